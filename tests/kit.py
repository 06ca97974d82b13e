"""Shared test helpers: a scratch portal built from the repository's own files, real signed letters
from the same generator as the demo corpus, and a way to run the CLI in-process."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import filecmp
import hashlib
import importlib.util
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

from corpus.letters import Letter, render_letter
from corpus.pki import DemoPki
from corpus.signing import sign_letter
from pipeline.cli.main import main

REPO = Path(__file__).resolve().parents[1]
ICT = dt.timezone(dt.timedelta(hours=7))
ATTACKS = REPO.parent / "shared" / "attacks"


def sign(letter: Letter, pki: DemoPki) -> bytes:
    """Render and sign as Decree 30 says: the letter's own signer first, then the organisation."""
    day = letter.issued_date or dt.date(2026, 11, 2)
    person_time = dt.datetime(day.year, day.month, day.day, 8, 30, tzinfo=ICT)
    person = next((p for p in pki.people if p.common_name == letter.signer_name), pki.people[0])
    return sign_letter(render_letter(letter), person, pki.organisation,
                       person_time=person_time, organisation_time=person_time + dt.timedelta(minutes=45))


def clerk_git(root: Path, *args: str, when: str | None = None) -> str:
    """git in `root` as the office's clerk would run it, at the time `when` (a git date) if given."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "Văn thư", "GIT_AUTHOR_EMAIL": "vanthu@example.org",
           "GIT_COMMITTER_NAME": "Văn thư", "GIT_COMMITTER_EMAIL": "vanthu@example.org"}
    if when:
        env |= {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    return subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True).stdout


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(argv))
    return status, out.getvalue(), err.getvalue()


def inspect_json(path: Path, root: Path, trust: Path) -> tuple[int, dict[str, Any]]:
    status, out, err = run("--root", str(root), "inspect", str(path), "--trust", str(trust), "--json")
    assert out, err
    return status, json.loads(out)


@dataclasses.dataclass
class Portal:
    root: Path

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def trust(self) -> Path:
        return self.root / "trust" / "root.pem"

    def add(self, name: str, data: bytes) -> Path:
        path = self.root / "documents" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def build(self, *extra: str) -> tuple[int, str, str]:
        return run("--root", str(self.root), "build", "--out", str(self.site), *extra)


def registry_portal(folder: Path, registry: dict[str, object], organisation: str) -> Path:
    """A portal.yml of `organisation` (the demo trust root and certificate) with `registry` (units,
    groups, ignored...) in `folder`, for the routing tests; no documents."""
    data = {
        "organisation": {"name": organisation, "certificates": [
            {"issuer": "CN=DEMO CA Ký số,O=DEMO congbo - không dùng thật,C=VN",
             "subject": f"CN={organisation},O={organisation},C=VN"}]},
        "site": {"url": "https://congbo.example.org/"},
        "trust": {"roots": [str(REPO / "trust" / "demo-root.pem")]},
        **registry,
    }
    path = folder / "portal.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def make_portal(folder: Path, pki: DemoPki) -> Portal:
    """A portal like the repository's, trusting `pki`'s root only."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml",):
        shutil.copyfile(REPO / name, folder / name)
    for name in ("content", "theme"):
        shutil.copytree(REPO / name, folder / name)
    (folder / "trust").mkdir()
    (folder / "trust" / "root.pem").write_bytes(pki.root.cert_pem())
    config = yaml.safe_load((REPO / "portal.yml").read_text(encoding="utf-8"))
    config["trust"]["roots"] = ["trust/root.pem"]
    # The demo letters include one Quyết định, which the repository's demo publishes through a sidecar
    # override (documents/2026/*-291-qd-ldld.yml); these test portals publish the kind itself.
    config["policy"]["publishable_types"].append("Quyết định")
    (folder / "portal.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (folder / "documents").mkdir()
    return Portal(folder)


def load_bench(name: str) -> ModuleType:
    """A script of bench/ as a module (bench_routing's reading of tests/real is what the tests assert)."""
    spec = importlib.util.spec_from_file_location(name, REPO / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def running_nginx(folder: Path, http_body: str, port: int) -> Iterator[None]:
    """Debian's nginx, unprivileged in `folder`, with `http_body` inside its http block, until the
    block ends; `port` is where it is ready (checked with `nginx -t` first)."""
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temp = "\n".join(f"    {kind}_temp_path {folder}/{kind};" for kind in kinds)
    (folder / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"worker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\nevents {{}}\n"
        f"http {{\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
        f"    access_log off;\n{temp}\n{http_body}\n}}\n", encoding="utf-8")
    checked = subprocess.run([NGINX, "-t", "-p", str(folder), "-c", str(folder / "nginx.conf")],
                             capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
                               stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert process.poll() is None and time.monotonic() < deadline, "nginx did not start"
            time.sleep(0.1)
    try:
        yield
    finally:
        process.terminate()
        process.wait(timeout=20)


def assert_nowhere_in_site(site: Path, refused: list[tuple[Letter, bytes]]) -> None:
    """Nothing of the refused letters (their SHA-256, subject or number, folded, in any text file;
    their bytes as a PDF) anywhere in `site`."""
    from pipeline.normalize import fold

    needles = [fold(n) for letter, data in refused
               for n in (hashlib.sha256(data).hexdigest(), letter.subject, letter.number or "?")]
    refused_bytes = {data for _letter, data in refused}
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".json", ".txt", ".js"}:
            text = fold(path.read_text(encoding="utf-8", errors="replace"))
            for needle in needles:
                assert needle not in text, (path, needle)
        if path.suffix == ".pdf":
            assert path.read_bytes() not in refused_bytes


# Pagefind does not write its filter and meta chunks the same way twice (their names are hashes of
# an unordered content); its per-document fragments are compared, the rest of its bundle is not.
UNSTABLE = "pagefind"


def site_files(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in site.rglob("*") if p.is_file()}


def assert_same_site(built: Path, reference: Path) -> None:
    """The two sites hold the same files, byte for byte (Pagefind's bundles: their fragments)."""
    ours, theirs = site_files(built), site_files(reference)
    compared = {r for r in ours if not r.startswith(UNSTABLE) or "/fragment/" in r}
    expected = {r for r in theirs if not r.startswith(UNSTABLE) or "/fragment/" in r}
    assert compared == expected, sorted(compared ^ expected)[:10]
    different = [r for r in sorted(compared) if not filecmp.cmp(ours[r], theirs[r], shallow=False)]
    assert not different, different[:10]
    assert (built / "pagefind" / "pagefind.js").is_file() == (reference / "pagefind" / "pagefind.js").is_file()
