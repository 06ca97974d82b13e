"""Examine untrusted PDFs in worker processes with a time and a memory limit.

A hostile file may loop, explode in memory or crash the parser. Each worker handles one file at a
time; a worker that overruns its time is killed and replaced, one that dies is replaced, and the
file becomes an InspectionFailure while every other file goes on. Workers are forked once and reuse
their parsed trust anchors for every file (pyhanko start-up dominates per-process cost).

Workers install the libraries' speed-ups (worker.install_speedups) as they start; this process,
and any other that imports the examining code, keeps the libraries as published.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import resource
import time
import traceback
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from pipeline.examine.limits import Limits
from pipeline.examine.verify import TrustAnchors
from pipeline.examine.worker import OcrBudget, configure_ocr, examine, install_speedups, speedups_installed
from pipeline.examine.worker import speedup_notices as _speedup_notices
from pipeline.records import Inspection, InspectionFailure

# Files handed to a worker at once: the one it reads and the next, which waits in its pipe. A worker
# then starts its next file as soon as it has sent a result, without waiting for this process to
# wake up, read the result and answer (on a busy machine that wait left workers idle). A queued file
# has not been opened: when its worker is killed or dies, it goes back to the queue for another one.
QUEUED_PER_WORKER = 2

@dataclass(frozen=True)
class Job:
    key: str  # caller's identifier (path)
    path: Path
    sha256: str


def _inherited_address_space() -> int:
    """Bytes of address space this process already maps (0 where /proc is not available)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def speedup_notices() -> list[str]:
    """The speed-ups workers leave out on the installed library versions, one line each (the same
    version check as theirs, made here without installing anything): for the build's report."""
    return _speedup_notices()


def _start_worker(memory_bytes: int) -> None:
    """What a worker does before its first file."""
    install_speedups()  # its notices: speedup_notices(), once per build in the parent
    limit = _inherited_address_space() + memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    # Silence pyhanko's warnings about odd files; the failure comes back as a value.
    import logging

    logging.disable(logging.WARNING)
    # Everything inherited from the parent lives as long as the worker: keep it out of the cyclic
    # garbage collector's way, and collect less often (parsing a letter allocates a lot of
    # short-lived objects; the memory limit still bounds what a hostile file can hold on to).
    gc.freeze()
    gc.set_threshold(20_000, 20, 50)


@dataclass(frozen=True)
class OcrStarted:
    """Sent by a worker, in place of a result, when it starts reading scanned pages (issue 17):
    the parent then gives the file Limits.ocr_seconds more."""


def _worker(conn: Connection, anchors: TrustAnchors, memory_bytes: int, ocr_seconds: float) -> None:
    _start_worker(memory_bytes)
    configure_ocr(OcrBudget(ocr_seconds, partial(conn.send, (None, OcrStarted()))))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        key, path, sha = job
        try:
            data = Path(path).read_bytes()
            result: Inspection | InspectionFailure = examine(data, anchors)
        except MemoryError:
            result = InspectionFailure(sha, "memory limit exceeded while reading the file")
        except RecursionError:
            result = InspectionFailure(sha, "object structure nested too deeply (recursion limit)")
        except Exception as exc:  # hostile input: any parser error is a refusal, not a crash
            last = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
            where = f" at {last[0].filename.rsplit('/', 2)[-1]}:{last[0].lineno}" if last else ""
            result = InspectionFailure(sha, f"{type(exc).__name__}: {exc}"[:500] + where)
        try:
            conn.send((key, result))
        except MemoryError:
            conn.send((key, InspectionFailure(sha, "memory limit exceeded while reporting")))


def probe_worker(limits: Limits | None = None) -> dict[str, bool]:
    """speedups_installed() as seen inside a worker started as examine_all starts them (tests check
    that workers, and only they, run the speed-ups)."""
    memory_bytes = (limits or Limits()).memory_bytes
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe()
    process = ctx.Process(target=_probe, args=(child, memory_bytes), daemon=True)
    process.start()
    child.close()
    try:
        found: dict[str, bool] = parent.recv()
        return found
    finally:
        parent.close()
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join()


def _probe(conn: Connection, memory_bytes: int) -> None:
    _start_worker(memory_bytes)
    conn.send(speedups_installed())


class _Slot:
    def __init__(self, ctx: Any, anchors: TrustAnchors, limits: Limits) -> None:
        parent, child = ctx.Pipe()
        self.conn = parent
        self.process = ctx.Process(target=_worker, args=(child, anchors, limits.memory_bytes, limits.ocr_seconds),
                                   daemon=True)
        self.process.start()
        child.close()
        self.jobs: deque[Job] = deque()  # sent to the worker, in order; the first is being read
        self.deadline = 0.0  # for the first job

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except (BrokenPipeError, OSError):
                self.process.kill()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def examine_all(
    jobs: Iterable[Job], anchors: TrustAnchors, limits: Limits | None = None, workers: int | None = None
) -> Iterator[tuple[str, Inspection | InspectionFailure]]:
    """Yield (key, result) for every job, in completion order."""
    limits = limits or Limits()
    pending = []
    for job in jobs:
        size = job.path.stat().st_size
        if size > limits.max_file_bytes:
            detail = f"file of {size} bytes exceeds the limit of {limits.max_file_bytes}"
            yield job.key, InspectionFailure(job.sha256, detail)
        else:
            pending.append(job)
    if not pending:
        return
    pending.reverse()  # pop() from the end keeps the caller's order
    count = max(1, min(workers or os.cpu_count() or 1, len(pending)))
    ctx = mp.get_context("fork")
    slots = [_Slot(ctx, anchors, limits) for _ in range(count)]

    def feed(index: int) -> None:
        """Give worker `index` files until it has QUEUED_PER_WORKER of them."""
        while pending and len(slots[index].jobs) < QUEUED_PER_WORKER:
            slot = slots[index]
            job = pending.pop()
            try:
                slot.conn.send((job.key, str(job.path), job.sha256))
            except (BrokenPipeError, OSError):
                if slot.jobs:  # it died reading its file: the wait below reports that file
                    pending.append(job)
                    return
                slot.stop(kill=True)
                slots[index] = slot = _Slot(ctx, anchors, limits)
                slot.conn.send((job.key, str(job.path), job.sha256))
            if not slot.jobs:
                slot.deadline = time.monotonic() + limits.seconds
            slot.jobs.append(job)

    def replace(index: int) -> Job:
        """Kill worker `index` and start another; the files queued behind the one it was reading go
        back to the queue. Returns that one."""
        slot = slots[index]
        slot.stop(kill=True)
        job = slot.jobs.popleft()
        pending.extend(reversed(slot.jobs))  # next out of the queue, in their order
        slot.jobs.clear()
        slots[index] = _Slot(ctx, anchors, limits)
        return job

    try:
        while pending or any(slot.jobs for slot in slots):
            for index in range(len(slots)):
                feed(index)
            busy = [slot for slot in slots if slot.jobs]
            timeout = max(0.0, min(slot.deadline for slot in busy) - time.monotonic())
            ready = wait([slot.conn for slot in busy], timeout=timeout)
            for index, slot in enumerate(slots):
                if not slot.jobs:
                    continue
                if slot.conn in ready:
                    try:
                        key, result = slot.conn.recv()
                    except (EOFError, OSError):
                        slot.process.join(timeout=1)  # its pipe closed as it died: let it be reaped
                        code = slot.process.exitcode
                        job = replace(index)
                        yield job.key, InspectionFailure(job.sha256, _death(code, limits))
                        continue
                    if isinstance(result, OcrStarted):  # reading scans: the file's time grows once
                        slot.deadline = max(slot.deadline, time.monotonic() + limits.ocr_seconds)
                        continue
                    slot.jobs.popleft()
                    if slot.jobs:  # the worker has started the next one
                        slot.deadline = time.monotonic() + limits.seconds
                    feed(index)  # before yielding: the worker runs while the caller stores the result
                    yield key, result
                elif time.monotonic() >= slot.deadline:
                    job = replace(index)
                    yield job.key, InspectionFailure(job.sha256, f"time limit of {limits.seconds:g} s exceeded")
    finally:
        for slot in slots:
            slot.stop(kill=bool(slot.jobs))


def _death(exitcode: int | None, limits: Limits) -> str:
    if exitcode is not None and exitcode < 0:
        return (f"the reader crashed (signal {-exitcode}); memory limit {limits.memory_bytes >> 20} MiB"
                " over the worker's own")
    return f"the reader stopped unexpectedly (exit code {exitcode})"
