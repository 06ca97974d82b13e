"""Content-addressed cache of inspections: JSON files keyed by the file's SHA-256, the trust
configuration and the pipeline's version. Only the expensive inspection is cached; the policy runs
again on every build, so a cache entry can never decide acceptance on its own."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from . import __version__
from .records import Inspection, InspectionFailure
from .serial import from_data, to_data


class InspectionCache:
    def __init__(self, folder: Path, trust_fingerprint: str) -> None:
        self.folder = folder
        self.salt = hashlib.sha256(f"{__version__}|{trust_fingerprint}".encode()).hexdigest()[:16]

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
