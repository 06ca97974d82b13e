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
from pipeline.files import identity
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
    found: list[SourceFile] = []
    last = _LAST_FOUND.get(str(memo_path), {})
    # Paths as text (issue 21): a Path object, its relative_to and as_posix per file took a third of
    # discovering 10,000 files. `prefix` is what relative_to(root).as_posix() gives for `base`.
    prefix = base.relative_to(root).as_posix() + "/" if files else ""
    if prefix == "./":
        prefix = ""
    for inside, path, st in files:
        relative = prefix + inside
        stamp = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
        entry = memo.get(relative)
        if entry is not None and entry[:4] == stamp:
            size, sha256, blob = st.st_size, str(entry[4]), str(entry[5])
            # The entry itself when it is [*stamp, sha256, blob] already: 10,000 lists not made again.
            kept = entry if sha256 is entry[4] and blob is entry[5] else [*stamp, sha256, blob]
        else:
            data = _read_regular(path)
            if data is None:  # replaced by a link or removed since the listing
                odd.append(Path(path))
                continue
            size, sha256, blob = len(data), hashlib.sha256(data).hexdigest(), blob_id(data)
            kept = [*stamp, sha256, blob]
        remembered[relative] = kept
        found.append(_record(last, relative, sha256, size, blob, times))
    if remembered != memo:
        _save_memo(memo_path, remembered)
    _LAST_FOUND.clear()
    _LAST_FOUND[str(memo_path)] = {source.path: source for source in found}
    return Discovered(tuple(found), tuple(_not_a_file(root, p) for p in sorted(odd)))


def _record(last: dict[str, SourceFile], relative: str, sha256: str, size: int, blob: str,
            times: dict[str, dt.datetime]) -> SourceFile:
    """The file's record: the last discovery's when it is this one, its time the same object (an
    equal time in another offset is printed otherwise): making 10,000 frozen records took 15 ms."""
    when = times.get(blob) if times else None  # git's SHA-1 only when there is history to look it up in
    source = last.get(relative)
    if source is None or source.sha256 != sha256 or source.size != size or source.first_commit_time is not when:
        source = SourceFile(path=relative, sha256=sha256, size=size, first_commit_time=when)
    return source


def _walk(base: Path) -> tuple[list[tuple[str, str, os.stat_result]], list[Path]]:
    """Regular *.pdf files, as (path inside `base` with "/" between names, path, lstat), and every
    link or other non-regular entry, each in path order (the order of Path objects: name by name).
    Links to folders are not entered."""
    files: list[tuple[str, str, os.stat_result]] = []
    odd: list[Path] = []
    pending = [(str(base), "")]  # (folder, its path inside base followed by "/", "" for base)
    while pending:
        folder, inside = pending.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            odd.append(Path(folder))  # unreadable folder: refused by name rather than silently skipped
            continue
        for entry in entries:
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                odd.append(Path(entry.path))
                continue
            if stat.S_ISDIR(info.st_mode):
                pending.append((entry.path, f"{inside}{entry.name}/"))
            elif stat.S_ISREG(info.st_mode):
                if entry.name.lower().endswith(".pdf"):
                    files.append((inside + entry.name, entry.path, info))
            else:  # a symbolic link (to anything, or dangling), a FIFO, a socket, a device
                odd.append(Path(entry.path))
    # Compared name by name, as Path objects are: "a/b.pdf" before "a-b.pdf" ("/" sorts after "-").
    files.sort(key=lambda item: item[0].split("/"))
    return files, odd


def _read_regular(path: str) -> bytes | None:
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


# The hash memo as this process last read or wrote it, by its path, with its file's identity (issue
# 21): a long-running process reads the file again only when something else replaced it (parsing
# 10,000 entries took 10 ms a build). An entry is trusted only for a file with its exact stat, as
# when it is read from the file.
_LAST_MEMO: dict[str, tuple[tuple[int, ...], dict[str, list[object]]]] = {}


# The records of the last discovery, by path, of the portal whose memo is at the key.
_LAST_FOUND: dict[str, dict[str, SourceFile]] = {}


def _load_memo(path: Path) -> dict[str, list[object]]:
    found = identity(path)  # before reading: a file replaced meanwhile is read again next time
    last = _LAST_MEMO.get(str(path))
    if found is not None and last is not None and last[0] == found:
        return last[1]
    raw = state.read_json(path)
    if not isinstance(raw, dict):
        return {}
    memo = {k: v for k, v in raw.items() if isinstance(v, list) and len(v) == 6}
    _remember_memo(path, found, memo)
    return memo


def _save_memo(path: Path, memo: dict[str, list[object]]) -> None:
    try:
        state.write_json(path, memo, compact=True)
    except OSError:
        return  # a read-only checkout: hash again next time
    _remember_memo(path, identity(path), memo)


def _remember_memo(path: Path, file: tuple[int, ...] | None, memo: dict[str, list[object]]) -> None:
    _LAST_MEMO.clear()  # one portal's memo: a process builds one portal
    if file is not None:
        _LAST_MEMO[str(path)] = (file, memo)


def fallback_time(root: Path, source: SourceFile) -> dt.datetime:
    """Publication time for a file not committed yet (a preview): its modification time."""
    stamp = (root / source.path).stat().st_mtime
    return dt.datetime.fromtimestamp(int(stamp), tz=dt.UTC)
