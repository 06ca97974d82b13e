"""The sandbox hands each worker its next file while it reads the current one (QUEUED_PER_WORKER).
A file waiting in a worker's queue has not been opened: when that worker is killed for time or
dies, the file it was reading is the one refused, and the queued ones are read by another worker.
The workers are forked, so the stand-in for `examine` patched here is what they run."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from pipeline.examine import sandbox
from pipeline.examine.sandbox import Job, Limits, examine_all
from pipeline.records import InspectionFailure


def _stand_in(data: bytes, anchors: object) -> InspectionFailure:
    """Reads what the file says to do: "crash" exits the process, "hang" sleeps past any limit."""
    if data == b"crash":
        os._exit(7)
    if data == b"hang":
        time.sleep(60)
    return InspectionFailure(hashlib.sha256(data).hexdigest(), f"examined {data.decode()} in {os.getpid()}")


def _run(tmp_path: Path, contents: list[bytes], workers: int, seconds: float = 20.0) -> list[tuple[str, str]]:
    jobs = []
    for index, data in enumerate(contents):
        path = tmp_path / f"{index:03d}.pdf"
        path.write_bytes(data)
        jobs.append(Job(path.stem, path, hashlib.sha256(data).hexdigest()))
    results = list(examine_all(jobs, None, Limits(seconds=seconds), workers))  # type: ignore[arg-type]
    assert sorted(key for key, _ in results) == [job.key for job in jobs]  # each file exactly once
    return [(key, result.detail) for key, result in results]  # type: ignore[union-attr]


@pytest.fixture(autouse=True)
def stand_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox, "examine", _stand_in)


def test_every_file_is_read_once_in_order_with_one_worker(tmp_path: Path) -> None:
    contents = [f"ok-{i}".encode() for i in range(9)]
    results = _run(tmp_path, contents, workers=1)
    assert [detail.split(" in ")[0] for _, detail in results] == [f"examined ok-{i}" for i in range(9)]
    assert len({detail.split(" in ")[1] for _, detail in results}) == 1  # one worker read them all


@pytest.mark.parametrize("workers", [1, 2])
def test_a_dying_worker_costs_only_the_file_it_was_reading(tmp_path: Path, workers: int) -> None:
    contents = [b"ok-0", b"crash", b"ok-2", b"ok-3", b"crash", b"crash", b"ok-6", b"ok-7"]
    _assert_only_refused(contents, dict(_run(tmp_path, contents, workers)), b"crash",
                         "the reader stopped unexpectedly (exit code 7)")


def test_a_file_over_the_time_limit_costs_only_itself(tmp_path: Path) -> None:
    contents = [b"hang", b"ok-1", b"ok-2", b"hang", b"ok-4"]
    started = time.monotonic()
    details = dict(_run(tmp_path, contents, workers=1, seconds=1.0))
    assert time.monotonic() - started < 15
    _assert_only_refused(contents, details, b"hang", "time limit of 1 s exceeded")


def _assert_only_refused(contents: list[bytes], details: dict[str, str], bad: bytes, refusal: str) -> None:
    """Every `bad` file refused with `refusal`; every other file examined."""
    for index, data in enumerate(contents):
        detail = details[f"{index:03d}"]
        if data == bad:
            assert detail == refusal, (index, detail)
        else:
            assert detail.startswith(f"examined {data.decode()} in "), (index, detail)


def test_the_time_limit_of_a_queued_file_starts_when_it_is_started(tmp_path: Path) -> None:
    """Two files of 0.6 s each under a limit of 1 s, queued together: the second is not charged the
    time the first took."""
    original = _stand_in

    def slow(data: bytes, anchors: object) -> InspectionFailure:
        time.sleep(0.6)
        return original(data, anchors)

    sandbox.examine = slow  # type: ignore[assignment]  # undone by the autouse fixture's monkeypatch
    details = dict(_run(tmp_path, [b"ok-0", b"ok-1", b"ok-2"], workers=1, seconds=1.0))
    assert all(detail.startswith("examined ") for detail in details.values()), details


def test_a_worker_is_given_its_next_file_before_it_finishes_the_current_one(tmp_path: Path) -> None:
    assert sandbox.QUEUED_PER_WORKER == 2
    sent: list[str] = []
    original_send = sandbox._Slot.__init__

    def recording_init(self: sandbox._Slot, *args: object) -> None:
        original_send(self, *args)  # type: ignore[arg-type]
        connection = self.conn
        send = connection.send

        def send_and_record(message: object) -> None:
            if message is not None:
                sent.append(f"send {message[0]}")  # type: ignore[index]
            send(message)

        connection.send = send_and_record  # type: ignore[method-assign]

    paths = []
    for index in range(3):
        path = tmp_path / f"{index}.pdf"
        path.write_bytes(f"ok-{index}".encode())
        paths.append(Job(str(index), path, "x"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sandbox._Slot, "__init__", recording_init)
        events = []
        for key, _ in examine_all(paths, None, Limits(), 1):  # type: ignore[arg-type]
            events.extend(sent)
            sent.clear()
            events.append(f"result {key}")
    # Files 0 and 1 sent at once; file 2 as soon as 0's result came in (before the caller gets it).
    # One file at a time would have been: send 0, send 1, result 0, send 2, result 1.
    assert events == ["send 0", "send 1", "send 2", "result 0", "result 1", "result 2"]
