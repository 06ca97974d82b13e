"""Writing the build's own state files (.congbo/): whole or not at all; keeping in a folder of them
only the files written there."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path


def write_atomically(path: Path, text: str | bytes | Iterable[bytes]) -> None:
    """Write `text` (bytes as they are, str as UTF-8, or chunks of bytes one after another, so that a
    large file is never held whole) to a temporary file beside `path`, then rename it over `path`: a
    reader (or the next build, after a crash) sees the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(text, (str, bytes)):
                handle.write(text.encode("utf-8") if isinstance(text, str) else text)
            else:
                handle.writelines(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


FileStamp = tuple[int, int, int]  # size, mtime_ns, inode: a file of the site as a build left it


def identity(path: Path | str) -> tuple[int, ...] | None:
    """The file's device, inode, size, modification and change times (None when it is not there):
    while they are the same, the file is the one this process last read or wrote (a long-running
    process's state files: the hash memo, the site state, the inspection cache's pack)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return stat_identity(st)


def stat_identity(st: os.stat_result) -> tuple[int, ...]:
    """`identity` from a stat already made (of an open file: the very file read)."""
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def keep_stamped(folder: str, stamp_of: Callable[[str], FileStamp | None]) -> set[str]:
    """Remove from `folder` every file and link but the regular files whose size, modification time
    and inode are `stamp_of(relative path)`, and the folders left empty; returns the files kept.
    A file is never read: its stamp says it is the one written (the site, the spare, the search
    stand-ins: issue 21)."""
    kept: set[str] = set()

    def empty(path: str, prefix: str) -> bool:
        """Whether anything is left in `path` once emptied."""
        left = False
        with os.scandir(path) as entries:
            found = list(entries)
        for entry in found:
            relative = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                if empty(entry.path, relative + "/"):
                    left = True
                else:
                    os.rmdir(entry.path)
                continue
            expected = stamp_of(relative)
            if expected is not None:
                st = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(st.st_mode) and (st.st_size, st.st_mtime_ns, st.st_ino) == tuple(expected):
                    kept.add(relative)
                    left = True
                    continue
            os.unlink(entry.path)
        return left

    empty(folder, "")
    return kept
