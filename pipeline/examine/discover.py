"""Find the PDFs the office committed and describe each as a SourceFile.

Hashing ten thousand PDFs (about 700 MB) takes seconds, so the hashes are remembered in
`.congbo/hashes.json` with the file's size, modification and change times and inode, as git's
index does. The change time cannot be set from user space and moves on every write, so a file
rewritten in place is hashed again. A stale entry could not publish wrong bytes anyway: the copy
placed in the site is hashed again by the output audit against the inspected hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from pipeline import state
from pipeline.history import blob_id, first_commit_times
from pipeline.records import SourceFile


def discover(root: Path, folder: str = "documents") -> tuple[SourceFile, ...]:
    base = root / folder
    if not base.is_dir():
        return ()
    times = first_commit_times(root, folder)
    memo_path = state.hash_memo(root)
    memo = _load_memo(memo_path)
    remembered: dict[str, list[object]] = {}
    found = []
    for path in sorted(base.rglob("*")):
        if not path.is_file() or path.suffix.lower() != ".pdf":
            continue
        relative = path.relative_to(root).as_posix()
        st = path.stat()
        stamp = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
        entry = memo.get(relative)
        if entry is not None and entry[:4] == stamp:
            size, sha256, blob = st.st_size, str(entry[4]), str(entry[5])
        else:
            data = path.read_bytes()
            size, sha256, blob = len(data), hashlib.sha256(data).hexdigest(), blob_id(data)
        remembered[relative] = [*stamp, sha256, blob]
        found.append(
            SourceFile(
                path=relative,
                sha256=sha256,
                size=size,
                # git's SHA-1 only when there is history to look it up in
                first_commit_time=times.get(blob) if times else None,
            )
        )
    if remembered != memo:
        _save_memo(memo_path, remembered)
    return tuple(found)


def _load_memo(path: Path) -> dict[str, list[object]]:
    raw = state.read_json(path)
    if not isinstance(raw, dict):
        return {}
    return {k: v for k, v in raw.items() if isinstance(v, list) and len(v) == 6}


def _save_memo(path: Path, memo: dict[str, list[object]]) -> None:
    try:
        state.write_json(path, memo, compact=True)
    except OSError:
        pass  # a read-only checkout: hash again next time


def fallback_time(root: Path, source: SourceFile) -> dt.datetime:
    """Publication time for a file not committed yet (a preview): its modification time."""
    stamp = (root / source.path).stat().st_mtime
    return dt.datetime.fromtimestamp(int(stamp), tz=dt.UTC)
