"""The speed-ups in pipeline/examine/verify_speedups.py replace library code; they must behave
exactly like it, on ordinary and on hostile input (same value, or the same exception). Also the
event-loop runner (pipeline/examine/runner.py) that stands in for pyhanko's asyncio.run."""

from __future__ import annotations

import asyncio
import random
import threading
from io import BytesIO
from typing import Any

import pytest
from asn1crypto import x509 as asn1_x509

from pipeline.examine import runner, verify_speedups


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The speed-ups installed in this process for one test, as a sandbox worker has them, whatever
    the library versions (to compare them again after an upgrade)."""
    for speedup in verify_speedups.SPEEDUPS:
        for replacement in speedup.replacements:
            monkeypatch.setattr(replacement.owner, replacement.name, replacement.value)


HEX_CASES = [
    b"<>", b"<00>", b"<0>", b"<abc>", b"<ABCDEF0123456789>", b"< 41 42\n43\r\t44 >", b"<4\x00142>",
    b"<41%comment\n42>", b"<41G2>", b"<41", b"<", b"<41 42", b"<" + b"0" * 40000 + b">",
    b"<" + b"ab" * 9000 + b"> trailing", b"<\xff>", b"<41>>", b"<4 1>",
]


def _outcome(reader: Any, data: bytes) -> tuple[str, Any, int]:
    stream = BytesIO(data)
    try:
        value = reader(stream)
    except Exception as exc:
        return ("error", type(exc).__name__, stream.tell())
    return (type(value).__name__, bytes(value.original_bytes), stream.tell())


@pytest.mark.parametrize("data", HEX_CASES)
def test_bulk_hex_reader_matches_pyhanko(data: bytes) -> None:
    fast = _outcome(verify_speedups._read_hex_string_from_stream, data)
    original = _outcome(verify_speedups._original_read_hex, data)
    assert fast[:2] == original[:2]
    if fast[0] != "error":
        assert fast[2] == original[2]  # the stream is left just after the closing '>'


def test_bulk_hex_reader_matches_pyhanko_on_random_input() -> None:
    rng = random.Random(3)
    alphabet = b"0123456789abcdefABCDEF \n\r\t\x00%>gz"
    for _ in range(500):
        body = bytes(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        data = b"<" + body + (b">" if rng.random() < 0.8 else b"")
        fast = _outcome(verify_speedups._read_hex_string_from_stream, data)
        original = _outcome(verify_speedups._original_read_hex, data)
        assert fast[:2] == original[:2], data
        if fast[0] != "error":
            assert fast[2] == original[2], data


def _name(printable: bool = False, **attrs: str) -> asn1_x509.Name:
    return asn1_x509.Name.build(attrs, use_printable=printable)


NAMES = [
    _name(common_name="Liên đoàn Lao động tỉnh Mẫu", organization_name="Liên đoàn Lao động tỉnh Mẫu",
          country_name="VN"),
    _name(common_name="LIÊN ĐOÀN LAO ĐỘNG TỈNH MẪU", organization_name="Liên đoàn Lao động tỉnh Mẫu",
          country_name="VN"),
    _name(common_name="Liên  đoàn Lao động tỉnh Mẫu ", organization_name="Liên đoàn Lao động tỉnh Mẫu",
          country_name="VN"),
    _name(common_name="Liên đoàn Lao động tỉnh Mẫu", country_name="VN"),
    _name(common_name="DEMO Root CA congbo", organization_name="DEMO congbo - không dùng thật", country_name="VN"),
    _name(True, common_name="DEMO Root CA congbo", organization_name="DEMO congbo", country_name="VN"),
    _name(common_name="DEMO Root CA congbo", organization_name="DEMO congbo", country_name="VN"),
    _name(common_name="Nguyễn Văn An", organization_name="Liên đoàn Lao động tỉnh Mẫu", country_name="VN"),
]


def test_name_equality_matches_asn1crypto(installed: None) -> None:
    assert asn1_x509.Name.__eq__ is verify_speedups._name_eq
    for first in NAMES:
        for second in NAMES:
            expected = asn1_x509.RDNSequence.load(first.chosen.dump()) == asn1_x509.RDNSequence.load(
                second.chosen.dump())
            assert (first == second) is expected, (first.human_friendly, second.human_friendly)
    assert NAMES[0] == NAMES[1] == NAMES[2]  # RFC 5280: case and inner spaces do not matter
    assert NAMES[0] != NAMES[3] and NAMES[0] != "not a name"
    assert NAMES[5] == NAMES[6] and NAMES[5].dump() != NAMES[6].dump()  # PrintableString and UTF8String


@pytest.mark.parametrize("text", ["Liên đoàn Lao động tỉnh Mẫu", "  A  B ", "x\u200by", "\ufffd", "\ue000"])
def test_string_preparation_matches_asn1crypto(text: str) -> None:
    def outcome(prepare: Any) -> tuple[str, str]:
        try:
            return ("ok", prepare(None, text))
        except ValueError as exc:
            return ("error", str(exc))

    assert outcome(verify_speedups._string_prep) == outcome(verify_speedups._original_string_prep)


def test_name_hashable_matches_asn1crypto(installed: None) -> None:
    assert verify_speedups.installed()["asn1crypto.x509.Name.hashable"]
    for name in NAMES:
        assert name.hashable == verify_speedups._original_name_hashable.fget(name)
    assert NAMES[0].hashable == NAMES[1].hashable  # the normalised form: case does not matter


# --- pyhanko's coroutines on one event loop ------------------------------------------------------

class _Context:
    def __init__(self) -> None:
        self.closed = 0

    async def aclose(self) -> None:
        self.closed += 1


def test_run_gives_the_result_and_releases_the_contexts_like_asyncio_run() -> None:
    async def answer() -> int:
        await asyncio.sleep(0)
        return 42

    first, second = _Context(), _Context()
    assert runner.run(answer(), first, None, second) == 42
    assert (first.closed, second.closed) == (1, 1)

    async def fail() -> None:
        raise ValueError("bad signature")

    with pytest.raises(ValueError, match="bad signature"):
        runner.run(fail(), first)
    assert first.closed == 2
    assert runner.run(answer()) == 42  # the loop is still usable after an error


def test_run_cancels_tasks_left_behind() -> None:
    started: list[asyncio.Task[None]] = []

    async def leave_a_task() -> str:
        started.append(asyncio.get_running_loop().create_task(asyncio.sleep(3600)))
        return "done"

    assert runner.run(leave_a_task()) == "done"
    assert started[0].cancelled()
    assert not asyncio.all_tasks(runner.event_loop())


def test_event_loop_per_thread_and_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    here = runner.event_loop()
    assert runner.event_loop() is here
    elsewhere: list[asyncio.AbstractEventLoop] = []
    thread = threading.Thread(target=lambda: elsewhere.append(runner.event_loop()))
    thread.start()
    thread.join()
    assert elsewhere[0] is not here
    monkeypatch.setattr(runner.os, "getpid", lambda: -1)  # as in a forked worker
    assert runner.event_loop() is not here
