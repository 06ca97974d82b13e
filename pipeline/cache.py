"""Content-addressed cache of inspections: JSON files keyed by the file's SHA-256, the trust
configuration and the pipeline's version. Only the expensive inspection is cached; the policy runs
again on every build, so a cache entry can never decide acceptance on its own."""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import os
import tempfile
from pathlib import Path

from . import __version__
from .records import Inspection, InspectionFailure
from .serial import from_data, to_data

# The modules whose code decides what an inspection contains, and the libraries they use: a change to
# any of them must never be answered from an older cache entry (a verification fix would be ignored).
EXAMINING_MODULES = ("examine", "verify", "text", "fields", "fields_header", "fields_body", "fields_lines",
                     "marks", "normalize", "records", "sandbox", "serial")
LIBRARIES = ("pyhanko", "pyhanko-certvalidator", "pypdf", "asn1crypto", "cryptography")


@functools.cache
def code_fingerprint() -> str:
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent
    for name in EXAMINING_MODULES:
        path = package / f"{name}.py"
        digest.update(path.read_bytes() if path.is_file() else b"-")
    digest.update(library_versions(LIBRARIES).encode())
    return digest.hexdigest()


def library_versions(libraries: tuple[str, ...]) -> str:
    """"name=version" of each installed library ("name=?" when it is not installed)."""
    found = []
    for library in libraries:
        try:
            found.append(f"{library}={importlib.metadata.version(library)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{library}=?")
    return ",".join(found)


class InspectionCache:
    def __init__(self, folder: Path, trust_fingerprint: str) -> None:
        self.folder = folder
        self.salt = hashlib.sha256(f"{code_fingerprint()}|{trust_fingerprint}".encode()).hexdigest()[:16]

    def _path(self, sha256: str) -> Path:
        return self.folder / self.salt / sha256[:2] / f"{sha256}.json"

    def get(self, sha256: str) -> Inspection | InspectionFailure | None:
        try:
            raw = json.loads(self._path(sha256).read_text(encoding="utf-8"))
            kind = raw["kind"]
            value = from_data(Inspection if kind == "inspection" else InspectionFailure, raw["value"])
        except (OSError, ValueError, KeyError, TypeError):
            return None  # a missing or damaged entry is simply a miss
        return value if value.sha256 == sha256 else None

    def put(self, result: Inspection | InspectionFailure) -> None:
        # Failures caused by limits (time, memory) may pass on a faster machine: don't cache them.
        if isinstance(result, InspectionFailure) and ("limit" in result.detail or "crashed" in result.detail):
            return
        path = self._path(result.sha256)
        path.parent.mkdir(parents=True, exist_ok=True)
        kind = "inspection" if isinstance(result, Inspection) else "failure"
        payload = json.dumps({"kind": kind, "value": to_data(result)}, ensure_ascii=False)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(payload)
        os.replace(tmp, path)
