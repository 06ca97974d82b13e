"""The limits a sandboxed worker reads one file under (sandbox.py). A module of its own, so that a
build whose files are all cached never imports the verifier (pyhanko: half a second of start-up)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    seconds: float = 30.0
    # Issue 17: a worker that starts reading scanned pages (OCR) says so, and gets this much more
    # time for the file from then on; a file with nothing to read keeps `seconds`.
    ocr_seconds: float = 120.0
    # Address space a worker may add to what it inherits from the process that forked it (a
    # build's parent is small, a test runner's can be large; the budget for the file is the same).
    memory_bytes: int = 1 << 30
    max_file_bytes: int = 50 << 20
