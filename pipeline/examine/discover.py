"""Find the PDFs the office committed and describe each as a SourceFile.

Hashing ten thousand PDFs (about 700 MB) takes seconds, so the hashes are remembered in
`.congbo/hashes.json` with the file's size, modification and change times and inode, as git's
index does. The change time cannot be set from user space and moves on every write, so a file
rewritten in place is hashed again. A stale entry could not publish wrong bytes anyway: the copy
placed in the site is hashed again by the output audit against the inspected hash.

Only regular files are read. A symbolic link (to a file or a folder, inside the repository or out of
it, dangling or not) or any other non-regular entry under documents/ is never read through: it is
listed apart, and the decide stage refuses it (`not-a-file`), naming it, without stopping the build.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from pipeline import state
from pipeline.history import blob_id, first_commit_times
from pipeline.records import SourceFile


@dataclass(frozen=True)
class Discovered:
    sources: tuple[SourceFile, ...]  # regular PDF files, hashed
    not_files: tuple[SourceFile, ...]  # links and other non-regular entries: path only, never read


def discover(root: Path, folder: str = "documents") -> tuple[SourceFile, ...]:
    return discover_all(root, folder).sources


def discover_all(root: Path, folder: str = "documents") -> Discovered:
    base = root / folder
    if base.is_symlink():
        return Discovered((), (_not_a_file(root, base),))
    if not base.is_dir():
        return Discovered((), ())
    files, odd = _walk(base)
    times = first_commit_times(root, folder) if files else {}
    memo_path = state.hash_memo(root)
    memo = _load_memo(memo_path)
    remembered: dict[str, list[object]] = {}
    found = []
    for path, st in files:
        relative = path.relative_to(root).as_posix()
        stamp = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
        entry = memo.get(relative)
        if entry is not None and entry[:4] == stamp:
            size, sha256, blob = st.st_size, str(entry[4]), str(entry[5])
        else:
            data = _read_regular(path)
            if data is None:  # replaced by a link or removed since the listing
                odd.append(path)
                continue
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
    return Discovered(tuple(found), tuple(_not_a_file(root, p) for p in sorted(odd)))


def _walk(base: Path) -> tuple[list[tuple[Path, os.stat_result]], list[Path]]:
    """Regular *.pdf files (with their lstat), and every link or other non-regular entry, in path
    order. Links to folders are not entered."""
    files: list[tuple[Path, os.stat_result]] = []
    odd: list[Path] = []
    pending = [base]
    while pending:
        folder = pending.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            odd.append(folder)  # unreadable folder: refused by name rather than silently skipped
            continue
        for entry in entries:
            path = Path(entry.path)
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                odd.append(path)
                continue
            if stat.S_ISDIR(info.st_mode):
                pending.append(path)
            elif stat.S_ISREG(info.st_mode):
                if entry.name.lower().endswith(".pdf"):
                    files.append((path, info))
            else:  # a symbolic link (to anything, or dangling), a FIFO, a socket, a device
                odd.append(path)
    files.sort(key=lambda item: item[0])
    return files, odd


def _read_regular(path: Path) -> bytes | None:
    """The file's bytes, never through a link (the entry may have changed since it was listed)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
                     | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return None
        return handle.read()


def _not_a_file(root: Path, path: Path) -> SourceFile:
    """A refused entry, known by its path only: its bytes (if any) are never read, so no hash."""
    relative = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    return SourceFile(path=relative, sha256="", size=0)


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
