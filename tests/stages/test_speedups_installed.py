"""Issue 14: the libraries' speed-ups (verify_speedups.py, text_speedups.py) run where intended, the
sandbox's examining workers, and nowhere else: importing the examining code, the signing code or
the CLI, or examining files, leaves this process's libraries as published. Each is installed only
on the exact library versions it was written for; on any other the library's own code runs and a
notice says so. (test_verify_speedups.py and test_text_speedups.py compare each with the original.)"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import subprocess
import sys
from pathlib import Path

import pytest
from kit import sign

from corpus.letters import demo_letters
from corpus.pki import DemoPki
from pipeline.examine import sandbox, speedups, text_speedups, verify_speedups, worker
from pipeline.examine.sandbox import Job, examine_all
from pipeline.examine.verify import TrustAnchors
from pipeline.records import Inspection

REPO = Path(__file__).resolve().parents[2]
ORGANISATION = "Liên đoàn Lao động tỉnh Mẫu"

# Every replaced attribute, named here independently of the speed-up modules' own tables.
TARGETS = {
    "pyhanko.pdf_utils.generic.read_hex_string_from_stream",
    "asn1crypto.x509.NameTypeAndValue._ldap_string_prep",
    "asn1crypto.x509.Name.__eq__",
    "asn1crypto.x509.Name.hashable",
    "pypdf.generic._data_structures.ArrayObject.read_from_stream",
    "pypdf.generic._font.Font.from_font_resource",
    "pypdf._text_extraction._layout_mode._text_state_params.TextStateParams.word_tx",
    "pypdf.filters.a85decode",
}

# Run in a fresh interpreter: import what the build, the office's signing command and the CLI
# import, examine one file through the sandbox, then report, for every replaced attribute, the
# module its current value comes from and whether it is the speed-up.
_OUTSIDE_WORKERS = """
import importlib, json, sys
from pathlib import Path
for module in ("pipeline.examine.verify", "pipeline.examine.text", "pipeline.examine.worker",
               "pipeline.examine.sandbox", "pipeline.examine.inspect", "pipeline.office.signing",
               "pipeline.office.sign", "pipeline.cli.main"):
    importlib.import_module(module)
from pipeline.examine.sandbox import Job, examine_all
from pipeline.examine.verify import TrustAnchors
pdf, root = Path(sys.argv[1]), Path(sys.argv[2])
anchors = TrustAnchors.from_pem((root.read_bytes(),), ())
examined = [type(result).__name__ for _, result in examine_all([Job("letter", pdf, "")], anchors, None, 1)]
from pipeline.examine import text_speedups, verify_speedups
attributes = {}
for speedup in verify_speedups.SPEEDUPS + text_speedups.SPEEDUPS:
    for replacement in speedup.replacements:
        value = vars(replacement.owner)[replacement.name]
        function = getattr(value, "__func__", None) or getattr(value, "fget", None) or value
        attributes[replacement.target] = [function.__module__, replacement.installed]
print(json.dumps({"examined": examined, "attributes": attributes}))
"""


@pytest.fixture(scope="module")
def letter(pki: DemoPki, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, TrustAnchors]:
    folder = tmp_path_factory.mktemp("speedups")
    pdf = folder / "letter.pdf"
    pdf.write_bytes(sign(demo_letters()[0], pki))
    root = folder / "root.pem"
    root.write_bytes(pki.root.cert_pem())
    return pdf, TrustAnchors.from_pem((pki.root.cert_pem(),), (ORGANISATION,))


def test_importing_and_examining_leave_the_libraries_as_published(letter: tuple[Path, TrustAnchors]) -> None:
    pdf, _ = letter
    done = subprocess.run([sys.executable, "-c", _OUTSIDE_WORKERS, str(pdf), str(pdf.parent / "root.pem")],
                          cwd=REPO, capture_output=True, text=True, timeout=120, check=True)
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["examined"] == ["Inspection"]  # a worker ran, with its speed-ups
    attributes = report["attributes"]
    assert set(attributes) == TARGETS
    for target, (module, installed) in attributes.items():
        assert not installed, target
        assert not module.startswith("pipeline"), (target, module)
    assert attributes["pyhanko.pdf_utils.generic.read_hex_string_from_stream"][0] == "pyhanko.pdf_utils.generic"
    assert attributes["pypdf.filters.a85decode"][0] == "base64"  # pypdf's reference to the standard library's


# The ASCII85 decoder reproduces one Python's standard library (3.11): on 3.12 and 3.13 the
# library's own code runs and the build says so once; every other speed-up is installed.
THIS_PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"
ON_WRITTEN_PYTHON = THIS_PYTHON == text_speedups.PYTHON_VERSION
EXPECTED = {target: ON_WRITTEN_PYTHON or target != "pypdf.filters.a85decode" for target in TARGETS}
EXPECTED_NOTICES = [] if ON_WRITTEN_PYTHON else [
    f"Python {THIS_PYTHON}: ASCII85 decoder not installed (written for 3.11), the library's own code runs"]


def test_every_speedup_is_installed_in_a_sandbox_worker() -> None:
    inside = sandbox.probe_worker()
    assert inside == EXPECTED
    assert sandbox.speedup_notices() == EXPECTED_NOTICES
    assert not any(worker.speedups_installed().values())  # starting the worker changed nothing here


def test_workers_read_a_letter_as_the_libraries_own_code_does(letter: tuple[Path, TrustAnchors]) -> None:
    """The worker (speed-ups installed) and this process (the libraries as published) find the same
    signatures, text and metadata."""
    pdf, anchors = letter
    data = pdf.read_bytes()
    [(_, in_worker)] = examine_all([Job("letter", pdf, hashlib.sha256(data).hexdigest())], anchors, None, 1)
    assert isinstance(in_worker, Inspection)
    assert not any(worker.speedups_installed().values())
    assert in_worker == worker.examine(data, anchors)


def test_the_versions_written_for_are_the_installed_ones() -> None:
    """After a library upgrade: compare the speed-ups with the new version's code
    (test_verify_speedups.py, test_text_speedups.py), then update the versions, or delete them."""
    assert importlib.metadata.version("pyhanko") == verify_speedups.PYHANKO_VERSION
    assert importlib.metadata.version("asn1crypto") == verify_speedups.ASN1CRYPTO_VERSION
    assert importlib.metadata.version("pypdf") == text_speedups.PYPDF_VERSION
    if not ON_WRITTEN_PYTHON:
        pytest.skip(f"Python {THIS_PYTHON}: the ASCII85 decoder is left out on purpose (written for 3.11)")
    assert THIS_PYTHON == text_speedups.PYTHON_VERSION


def test_another_library_version_installs_nothing_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.metadata, "version", lambda name: "99.0")
    expected = [
        "pyhanko 99.0: pyhanko hex-string reader not installed (written for 0.38.0), the library's own code runs",
        "asn1crypto 99.0: asn1crypto name memos not installed (written for 1.5.1), the library's own code runs",
        "pypdf 99.0: pypdf text speed-ups not installed (written for 7.1.0), the library's own code runs",
        "pypdf 99.0: ASCII85 decoder not installed (written for 7.1.0), the library's own code runs",
    ]
    try:
        assert verify_speedups.install() + text_speedups.install() == expected
        assert not any(worker.speedups_installed().values())
    finally:
        verify_speedups.uninstall()
        text_speedups.uninstall()
    assert sandbox.speedup_notices() == expected
    # A worker forked now sees the same versions: it runs the libraries' own code.
    assert sandbox.probe_worker() == dict.fromkeys(TARGETS, False)


def test_another_python_leaves_out_only_the_standard_library_decoder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(speedups.platform, "python_version_tuple", lambda: ("3", "12", "1"))
    assert sandbox.speedup_notices() == [
        "Python 3.12: ASCII85 decoder not installed (written for 3.11), the library's own code runs"]
    inside = sandbox.probe_worker()
    assert inside == {target: target != "pypdf.filters.a85decode" for target in TARGETS}


def test_install_is_idempotent_and_uninstall_restores_the_libraries() -> None:
    originals = {replacement.target: vars(replacement.owner)[replacement.name]
                 for speedup in verify_speedups.SPEEDUPS + text_speedups.SPEEDUPS
                 for replacement in speedup.replacements}
    try:
        assert worker.install_speedups() == EXPECTED_NOTICES
        assert worker.install_speedups() == EXPECTED_NOTICES
        assert worker.speedups_installed() == EXPECTED
    finally:
        verify_speedups.uninstall()
        text_speedups.uninstall()
    for speedup in verify_speedups.SPEEDUPS + text_speedups.SPEEDUPS:
        for replacement in speedup.replacements:
            assert vars(replacement.owner)[replacement.name] is originals[replacement.target]
