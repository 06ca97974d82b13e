"""Find the PDFs the office committed and describe each as a SourceFile."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from .history import blob_id, first_commit_times
from .records import SourceFile


def discover(root: Path, folder: str = "documents") -> tuple[SourceFile, ...]:
    base = root / folder
    if not base.is_dir():
        return ()
    times = first_commit_times(root, folder)
    found = []
    for path in sorted(base.rglob("*")):
        if not path.is_file() or path.suffix.lower() != ".pdf":
            continue
        data = path.read_bytes()
        found.append(
            SourceFile(
                path=path.relative_to(root).as_posix(),
                sha256=hashlib.sha256(data).hexdigest(),
                size=len(data),
                # git's SHA-1 only when there is history to look it up in
                first_commit_time=times.get(blob_id(data)) if times else None,
            )
        )
    return tuple(found)


def fallback_time(root: Path, source: SourceFile) -> dt.datetime:
    """Publication time for a file not committed yet (a preview): its modification time."""
    stamp = (root / source.path).stat().st_mtime
    return dt.datetime.fromtimestamp(int(stamp), tz=dt.UTC)
