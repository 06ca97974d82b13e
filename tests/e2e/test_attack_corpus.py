"""The public attack corpus in ../shared/attacks (never copied into this repository): a build over
all of it publishes nothing, finishes, and refuses every file with a reason. With every file's own
signer certificate trusted, the manipulated ones are still refused for integrity, not for trust."""

from __future__ import annotations

import gzip
import hashlib
import shutil
from io import BytesIO
from pathlib import Path

import pytest
from asn1crypto import pem
from kit import ATTACKS, make_portal
from pyhanko.pdf_utils.reader import PdfFileReader

from corpus.pki import DemoPki
from pipeline.config import load_config
from pipeline.decide.policy import judge
from pipeline.examine.sandbox import Job, Limits, examine_all
from pipeline.examine.verify import TrustAnchors
from pipeline.records import Inspection

pytestmark = pytest.mark.skipif(not ATTACKS.is_dir(), reason="../shared/attacks is not present")


def test_no_attack_file_is_published_and_none_stalls_the_build(tmp_path, pki: DemoPki, capsys) -> None:
    portal = make_portal(tmp_path / "portal", pki)
    sources = sorted(p for p in ATTACKS.rglob("*") if p.is_file() and p.suffix in {".pdf", ".gz"})
    assert len(sources) >= 60
    for index, source in enumerate(sources):
        target = portal.root / "documents" / f"{index:03d}-{source.name.removesuffix('.gz')}"
        if source.suffix == ".gz":
            with gzip.open(source) as packed, target.open("wb") as out:
                shutil.copyfileobj(packed, out)
        else:
            shutil.copyfile(source, target)
    status, stdout, stderr = portal.build("--no-cache")
    assert status == 3, stderr
    assert "Đã đăng 0 văn bản." in stdout
    assert stdout.count("✗ documents/") == len(sources)
    assert not list(portal.site.rglob("*.pdf"))


INTEGRITY = {"unreadable", "signature-invalid", "modified-after-signing"}


def _must_fail_integrity(path: Path) -> bool:
    name = path.name
    return (name.startswith("4_") or name.startswith("coverage-anomalies__") or "sneaky" in name
            or name.endswith("_manipulate.pdf") or name == "minimal_cert_invalid.pdf")


# Genuinely signed files whose signatures are sound (the README's "legitimately signed" rows).
SOUND = {"minimal_cert.pdf", "01_NDA_cert_p2_original.pdf"}


def _signer_certificates(data: bytes) -> list[bytes]:
    """PEM of every signer certificate pyhanko can find, reading leniently."""
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        found = []
        for emb in reader.embedded_signatures:
            try:
                found.append(pem.armor("CERTIFICATE", emb.signer_cert.dump()))
            except Exception:
                continue
        return found
    except Exception:
        return []


def test_manipulated_files_are_refused_for_integrity_even_when_their_signers_are_trusted(
        tmp_path: Path, pki: DemoPki) -> None:
    portal = make_portal(tmp_path / "portal", pki)
    files = sorted(p for p in ATTACKS.rglob("*.pdf") if "rub-pdf101-dos" not in p.parts)
    targets = [p for p in files if _must_fail_integrity(p)]
    assert len(targets) >= 20
    own = sorted({cert for path in files for cert in _signer_certificates(path.read_bytes())})
    assert len(own) >= 5
    config = load_config(portal.root / "portal.yml")
    anchors = TrustAnchors.from_pem(tuple(own), config.organisation.certificate_names)
    jobs = [Job(str(p), p, hashlib.sha256(p.read_bytes()).hexdigest()) for p in files]
    results = dict(examine_all(jobs, anchors, Limits(seconds=30), workers=2))
    assert set(results) == {str(p) for p in files}  # every file answered: nothing hung or crashed
    codes = {}
    for path in files:
        result = results[str(path)]
        reasons = judge(result, result.metadata if isinstance(result, Inspection) else None, config)
        codes[path] = {r.code.value for r in reasons}
        assert codes[path], path  # nothing here is publishable
    not_for_integrity = {str(p.relative_to(ATTACKS)): sorted(codes[p]) for p in targets if not codes[p] & INTEGRITY}
    assert not not_for_integrity, not_for_integrity
    # The checks do not simply refuse everything: sound signatures pass them, only trust or
    # content (metadata, the organisation's signature) stops those files.
    for path in files:
        if path.name in SOUND or path.name.startswith("3_"):
            assert not codes[path] & INTEGRITY, (path.name, codes[path])
            assert "untrusted" not in codes[path], (path.name, codes[path])
