"""Content-addressed cache of inspections: JSON files keyed by the file's SHA-256, the trust
configuration and the pipeline's version. Only the expensive inspection is cached; the policy runs
again on every build, so a cache entry can never decide acceptance on its own."""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import os
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from pipeline import __version__
from pipeline.files import stat_identity, write_atomically
from pipeline.memory import BuildMemory
from pipeline.records import Inspection, InspectionFailure
from pipeline.serial import from_data, to_data

# Everything whose code decides what an inspection contains: the whole examining sub-package (a
# module added to or moved within it is covered without a list to keep up to date), the foundation
# modules it builds on, and the libraries they use. A change to any of them must never be answered
# from an older cache entry (a verification fix would be ignored). tests/unit/test_layout.py checks
# that every pipeline module the examining code imports is covered here.
FOUNDATION_MODULES = ("records.py", "normalize.py", "serial.py", "files.py", "state.py", "memory.py")
LIBRARIES = ("pyhanko", "pyhanko-certvalidator", "pypdf", "asn1crypto", "cryptography", "pillow")


def examining_code() -> list[Path]:
    """The source files whose code decides an inspection, in a stable order."""
    examine = Path(__file__).resolve().parent
    return sorted(examine.rglob("*.py")) + [examine.parent / name for name in FOUNDATION_MODULES]


@functools.cache
def code_fingerprint() -> str:
    digest = hashlib.sha256(__version__.encode())
    root = Path(__file__).resolve().parents[1]
    for path in examining_code():
        # A missing file is an error, not a placeholder: the fingerprint must describe real code.
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(library_versions(LIBRARIES).encode())
    # Issue 17: scanned pages read without Tesseract stay unread; installing it (or another version
    # of it, or of its data) must read them again, not answer from the cache.
    from pipeline.examine.ocr import ocr_engine  # here: a build whose files are all cached needs no Pillow

    digest.update(ocr_engine().encode())
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
    """Entries are JSON files, one per inspected file. Those a build used are also kept together in
    one pack (one line per entry: "<sha256> <json>"), read with one open instead of one per file
    (10,000 opens took 1.5 s). A line is parsed only when asked for. The pack is rewritten only when
    enough entries are outside it, or it holds too many that no build uses any more."""

    PACK = "pack.jsonl"

    def __init__(self, folder: Path, trust_fingerprint: str, memory: BuildMemory | None = None) -> None:
        self.folder = folder
        self.salt = hashlib.sha256(f"{code_fingerprint()}|{trust_fingerprint}".encode()).hexdigest()[:16]
        self._packed: dict[str, tuple[int, int]] | None = None  # sha256 -> (offset, length) in the pack
        self._pack_file: BinaryIO | None = None
        self._closing: Callable[[], object] | None = None
        # Entries read or written outside the pack: read again from their files when the pack is
        # rewritten, not held (a cold build at 30,000 letters held 360 MB of them as text).
        self._loose: set[str] = set()
        # A long-running process's inspections of its last build, under this key (pipeline/memory.py).
        self.memory = memory
        self._remembered = memory.inspections if memory is not None else {}
        self._used: dict[tuple[str, str], Inspection | InspectionFailure] = {}

    def _path(self, sha256: str) -> Path:
        return self.folder / self.salt / sha256[:2] / f"{sha256}.json"

    def _pack(self) -> dict[str, tuple[int, int]]:
        """Where each of the pack's entries is in it, (offset, length), read a line at a time; the
        entries themselves are read when asked for. Held as text the pack took 750 MB at 30,000
        letters; held as bytes it still grew with every letter (460 MB at 100,000). A damaged line
        is a miss, answered by the entry's own file. A long-running process keeps the index while
        the pack is the same file (BuildMemory.pack): the pack is only ever replaced whole."""
        if self._packed is None:
            packed: dict[str, tuple[int, int]] = {}
            try:
                handle = open(self.folder / self.salt / self.PACK, "rb")  # noqa: SIM115 - kept open, close()
            except OSError:
                handle = None  # no pack yet, or an unreadable one: every entry is then read on its own
            if handle is not None:
                identity = (self.salt, *stat_identity(os.fstat(handle.fileno())))
                known = self.memory.pack if self.memory is not None else None
                if known is not None and known[0] == identity:
                    packed = known[1]  # the same file as at the last build (it is only ever replaced)
                else:
                    offset = 0
                    for line in handle:  # lines end at b"\n" only; JSON escapes it inside an entry
                        sha256, space, payload = line.rstrip(b"\n").partition(b" ")
                        if len(sha256) == 64 and space and payload:
                            packed[sha256.decode("ascii", "replace")] = (offset + 65, len(payload))
                        offset += len(line)
                    if self.memory is not None:
                        self.memory.pack = (identity, packed)
                self._pack_file = handle
                # Closed by close(), or when the cache is let go of without it (a test, an error).
                self._closing = weakref.finalize(self, handle.close)
            self._packed = packed
        return self._packed

    def _packed_payload(self, sha256: str) -> bytes | None:
        """An entry's JSON as the pack holds it, or None (not in it, or the pack went away)."""
        where = self._pack().get(sha256)
        if where is None or self._pack_file is None:
            return None
        try:
            payload = os.pread(self._pack_file.fileno(), where[1], where[0])
        except OSError:
            return None
        return payload if len(payload) == where[1] else None

    def close(self) -> None:
        """Let go of the pack (a build's cache is closed when its files are examined)."""
        if self._closing is not None:
            self._closing()
            self._closing = None
        self._pack_file = None
        self._packed = None

    def get(self, sha256: str) -> Inspection | InspectionFailure | None:
        found = self._remembered.get((self.salt, sha256))
        if found is None:
            found = self._get(sha256)
        if found is not None and self.memory is not None:
            self._used[(self.salt, sha256)] = found
        return found

    def remember(self) -> None:
        """The memory keeps what this build used (got or put), and nothing else."""
        if self.memory is not None:
            self.memory.inspections = self._used
            self._remembered = self._used

    def _get(self, sha256: str) -> Inspection | InspectionFailure | None:
        packed = self._packed_payload(sha256)
        found = self._read(sha256, packed) if packed is not None else None
        if found is None:  # not in the pack (or damaged there): the entry's own file
            try:
                payload = self._path(sha256).read_text(encoding="utf-8")
            except (OSError, ValueError):
                return None  # a missing entry is simply a miss
            found = self._read(sha256, payload)
            if found is not None:
                self._loose.add(sha256)
        return found

    @staticmethod
    def _read(sha256: str, payload: str | bytes) -> Inspection | InspectionFailure | None:
        try:
            raw = json.loads(payload)
            kind = raw["kind"]
            value = from_data(Inspection if kind == "inspection" else InspectionFailure, raw["value"])
        except (ValueError, KeyError, TypeError):
            return None  # a damaged entry is simply a miss
        return value if value.sha256 == sha256 else None

    def put(self, result: Inspection | InspectionFailure) -> Inspection | InspectionFailure:
        """Store `result`; returns it as a later build reads it back, its texts shared with every
        other record read or stored (serial.py), which is what the build should keep."""
        # Failures caused by limits (time, memory) may pass on a faster machine: don't cache them.
        if isinstance(result, InspectionFailure) and ("limit" in result.detail or "crashed" in result.detail):
            return result
        path = self._path(result.sha256)
        kind = "inspection" if isinstance(result, Inspection) else "failure"
        data = to_data(result)
        write_atomically(path, json.dumps({"kind": kind, "value": data}, ensure_ascii=False))
        self._loose.add(result.sha256)
        stored: Inspection | InspectionFailure = from_data(type(result), data)
        if self.memory is not None:
            self._used[(self.salt, result.sha256)] = stored
        return stored

    def pack(self, used: set[str]) -> bool:
        """Keep the entries of `used` (this build's files) in the pack, if it is worth rewriting it:
        at least 2 % of them (and 20) are outside it, or a quarter of it is no longer used.
        Returns whether it was rewritten."""
        packed = self._pack()
        outside = [s for s in used if s not in packed and s in self._loose]
        stale = len(packed.keys() - used)
        if len(outside) < max(20, len(used) // 50) and stale <= len(packed) // 4:
            return False
        write_atomically(self.folder / self.salt / self.PACK, self._lines(sorted(used)))
        self.close()  # the old pack's entries were copied from its file, still open until now
        return True

    def _lines(self, entries: list[str]) -> Iterator[bytes]:
        """The pack's lines, one at a time (the pack is never held whole): an entry from the pack as it
        is, one outside it from its own file; an entry whose file went missing meanwhile is left out
        (a miss the next build answers)."""
        for sha256 in entries:
            payload = self._packed_payload(sha256)
            if payload is None and sha256 in self._loose:
                try:
                    payload = self._path(sha256).read_bytes()
                except OSError:
                    continue
            if payload is not None and b"\n" not in payload:
                yield sha256.encode("ascii") + b" " + payload + b"\n"

