"""Writing the build's own state files (.congbo/): whole or not at all."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
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
