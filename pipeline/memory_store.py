"""A build's memory (pipeline/memory.py) kept on disk between one-shot builds (issue 21: today's
letter in a portal of 100,000 letters). Without it, every `build` read back and judged every
inspection again (30-40 s at 100,000 letters) to publish one new letter.

The memory is split into chunks by a hash of each source's path, so that today's letter rewrites
one chunk, not the whole memory (200 MB at 100,000 letters). A chunk holds, for its sources, what
pipeline/memory.py describes: the inspection and evaluation of each file, its routing and slug,
its document's digest and its listing line. Every answer is still reused only under memory.py's conditions (the same
configuration, source record, inspection and sidecar state; an equal document record), checked by
the build as for a long-running process; this module adds the conditions of the disk:

- a chunk is read only when it was written by the same code: a digest of every pipeline module
  and Python (a stale answer after an upgrade would be a wrong answer), under the same inspection
  cache key (code, libraries, trust roots, OCR engine) and the same configuration (config.pickle,
  compared whole);
- a chunk is unpickled with only the record classes of the pipeline and a few plain types allowed,
  so a planted file can name no function to run; a chunk that is damaged, of another version or
  refused is simply not used (the next build is slower, never different);
- chunks are written each atomically, and only when what they hold changed.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import io
import os
import pickle
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import state
from pipeline.files import write_atomically
from pipeline.memory import BuildMemory

_VERSION = 1
_CONFIG = "config.pickle"  # the configuration the chunks' answers were made under

# What a chunk may name besides the pipeline's own classes: plain values of the standard library.
_PLAIN = {
    "builtins": frozenset({"set", "frozenset", "bytearray", "complex", "slice", "range"}),
    "datetime": frozenset({"datetime", "date", "time", "timedelta", "timezone"}),
    "pathlib": frozenset({"Path", "PosixPath", "PurePath", "PurePosixPath", "WindowsPath", "PureWindowsPath"}),
    "collections": frozenset({"OrderedDict"}),
    "zoneinfo": frozenset({"ZoneInfo"}),
}


class _Refused(pickle.UnpicklingError):
    pass


class _RecordsOnly(pickle.Unpickler):
    """Unpickles the pipeline's records and plain values only: any other global is refused."""

    def find_class(self, module: str, name: str) -> Any:
        if name in _PLAIN.get(module, ()):
            return super().find_class(module, name)
        if module == "pipeline" or module.startswith("pipeline."):
            found = super().find_class(module, name)
            if isinstance(found, type):  # a class (a record, an enumeration), never a function
                return found
        raise _Refused(f"{module}.{name} is not a record")


@functools.cache
def code_digest() -> str:
    """Every pipeline module and Python (the libraries are in the inspection cache's key)."""
    digest = hashlib.sha256(f"{_VERSION}|{sys.version}".encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _stamp(cache_key: str) -> bytes:
    return f"{code_digest()}|{cache_key}".encode()


# A chunk: (evaluations, routes, digests, lines) of the sources whose path hashes to its name (memory.py).
_Chunk = tuple[dict[Any, Any], dict[str, Any], dict[str, Any], dict[str, Any]]


def _chunk_of(path: str) -> str:
    return hashlib.sha256(path.encode()).hexdigest()[:2]


@dataclass
class _OnDisk:
    """What the memory's folder holds: the configuration file's token (a hash of its bytes, which
    every chunk written under it carries) and each chunk's content as it was loaded or saved."""

    config: Any
    token: bytes
    chunks: dict[str, _Chunk] = field(default_factory=dict)


def load(config: Any, cache_key: str, memory: BuildMemory | None = None) -> BuildMemory:
    """The memory the last build left, put into `memory` (or a new one); left empty when there is
    none the code may use. `cache_key`: the inspection cache's (examine.cache.InspectionCache.salt)."""
    memory = memory if memory is not None else BuildMemory()
    folder = state.memory(config.root)
    stamp = _stamp(cache_key)
    head = _read(folder / _CONFIG, stamp)
    if head is None or head[1] != config:  # another configuration: every file is judged again
        return memory
    disk = _OnDisk(config, head[0])
    prefix = stamp + b"|" + disk.token
    # Half a million records at 100,000 letters: the collector would walk them again and again
    # while they are made, for nothing (none of them is garbage).
    enabled = gc.isenabled()
    gc.disable()
    try:
        for name in sorted(os.listdir(folder)):
            chunk = _read(folder / name, prefix) if name.endswith(".pickle") and name != _CONFIG else None
            if chunk is None or not _is_chunk(chunk[1]):
                continue
            evaluations, routes, digests, lines = chunk[1]
            memory.evaluations.update(evaluations)
            memory.routes.update(routes)
            memory.digests.update(digests)
            memory.lines.update(lines)
            disk.chunks[name.removesuffix(".pickle")] = chunk[1]
    finally:
        if enabled:
            gc.enable()
    for found in memory.evaluations.values():
        memory.inspections[(cache_key, found[0].sha256)] = found[0]
    memory.config, memory.disk = config, disk
    return memory


def _is_chunk(value: Any) -> bool:
    return isinstance(value, tuple) and len(value) == 4 and all(isinstance(part, dict) for part in value)


def _read(path: Path, prefix: bytes) -> tuple[bytes, Any] | None:
    """(a hash of the file, what it holds) when it starts with `prefix`; None when it is missing,
    written for other code, damaged, or names anything but records."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if not data.startswith(prefix + b"\n"):
        return None
    try:
        value = _RecordsOnly(io.BytesIO(data[len(prefix) + 1:])).load()
    except Exception:  # a damaged or refused file is simply not used (pickle raises many kinds)
        return None
    return hashlib.sha256(data).digest()[:16], value


def load_records(path: Path, kind: str) -> Any:
    """What dump_records wrote at `path` for `kind` with the same code; None otherwise (missing,
    damaged, other code, or naming anything but the pipeline's records and plain values)."""
    found = _read(path, _stamp(kind))
    return found[1] if found is not None else None


def dump_records(path: Path, kind: str, value: Any) -> None:
    write_atomically(path, _stamp(kind) + b"\n" + pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def save(config: Any, cache_key: str, memory: BuildMemory) -> int:
    """Write the chunks whose content changed since they were loaded or last saved, and remove the
    chunks no source belongs to any more. Returns how many files were written."""
    if memory.config is None:
        return 0  # nothing was judged (no documents)
    folder = state.memory(config.root)
    stamp = _stamp(cache_key)
    disk = memory.disk if isinstance(memory.disk, _OnDisk) and memory.disk.config is memory.config else None
    written = 0
    if disk is None:
        data = stamp + b"\n" + pickle.dumps(memory.config, protocol=pickle.HIGHEST_PROTOCOL)
        write_atomically(folder / _CONFIG, data)
        written += 1
        # Chunks written under another configuration or code: none of them is read any more.
        old = [n.removesuffix(".pickle") for n in os.listdir(folder) if n.endswith(".pickle") and n != _CONFIG]
        disk = _OnDisk(memory.config, hashlib.sha256(data).digest()[:16], {name: ({}, {}, {}, {}) for name in old})
    chunks: dict[str, _Chunk] = {}

    def chunk(path: str) -> _Chunk:
        return chunks.setdefault(_chunk_of(path), ({}, {}, {}, {}))

    for key, found in memory.evaluations.items():
        chunk(key[0].path)[0][key] = found
    for path, route in memory.routes.items():
        chunk(path)[1][path] = route
    for slug, known in memory.digests.items():
        chunk(known[0].source.path)[2][slug] = known
    for slug, line in memory.lines.items():
        chunk(line[0])[3][slug] = line
    prefix = stamp + b"|" + disk.token + b"\n"
    for name, content in chunks.items():
        loaded = disk.chunks.get(name)
        if loaded is not None and all(_identical(before, now) for before, now in zip(loaded, content, strict=True)):
            continue
        write_atomically(folder / f"{name}.pickle", prefix + pickle.dumps(content, protocol=pickle.HIGHEST_PROTOCOL))
        written += 1
    for name in disk.chunks.keys() - chunks.keys():
        (folder / f"{name}.pickle").unlink(missing_ok=True)
    disk.chunks = chunks
    memory.disk = disk
    return written


def _identical(before: dict[Any, Any], now: dict[Any, Any]) -> bool:
    """The same keys, each with the very answer it had (the build keeps an answer it reuses as the
    same object, and makes a new one for anything that changed)."""
    return before.keys() == now.keys() and all(now[key] is value for key, value in before.items())
