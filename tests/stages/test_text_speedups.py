"""The speed-ups in pipeline/examine/text_speedups.py replace pypdf code; they must behave exactly
like it, on ordinary and on hostile input (same values, or the same exception)."""

from __future__ import annotations

import base64
import random
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pypdf import filters as pdf_filters
from pypdf.generic._font import Font
from pypdf.generic._utils import StreamParsingBudget

from pipeline.examine import text, text_speedups

GOLDEN = Path(__file__).resolve().parents[1] / "golden"


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The speed-ups installed in this process for one test, as a sandbox worker has them, whatever
    the library versions (to compare them again after an upgrade)."""
    for speedup in text_speedups.SPEEDUPS:
        for replacement in speedup.replacements:
            monkeypatch.setattr(replacement.owner, replacement.name, replacement.value)


def test_fonts_are_built_once_per_document_with_the_same_text(installed: None,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    two_pages = sorted(GOLDEN.glob("*two-pages*.pdf"))
    assert two_pages
    calls = []
    original = text_speedups._original_from_font_resource

    def counting(font_dict: Any) -> Font:
        calls.append(id(font_dict))
        return original(font_dict)

    for path in two_pages:
        data = path.read_bytes()
        fast = text.read_text(data)
        monkeypatch.setattr(Font, "from_font_resource", counting)
        slow = text.read_text(data)  # no memo: pypdf's own path, one Font per font and page
        monkeypatch.setattr(Font, "from_font_resource", classmethod(text_speedups._from_font_resource))
        assert fast == slow, path.name
    pypdf_builds = len(calls)
    monkeypatch.setattr(text_speedups, "_original_from_font_resource", counting)
    calls.clear()
    for path in two_pages:
        text.read_text(path.read_bytes())
    assert len(calls) == pypdf_builds // 2  # the two pages share their fonts: each built once
    assert text_speedups._document_fonts.get() is None  # the memo lives only during read_text


def _array_outcome(read: Any, data: bytes, budget: int | None) -> tuple[Any, ...]:
    stream = BytesIO(data)
    parsing_budget = None if budget is None else StreamParsingBudget(remaining_budget=budget)
    try:
        value = read(stream, None, None, parsing_budget=parsing_budget)
    except Exception as exc:
        return ("error", type(exc).__name__)
    left = None if parsing_budget is None else parsing_budget.remaining_budget
    return (type(value).__name__, [(type(item).__name__, repr(item)) for item in value], stream.tell(), left)


def test_numeric_array_reader_matches_pypdf() -> None:
    rng = random.Random(29)
    cases = [b"[]", b"[ ]", b"[1 2 3]", b"[ 0 0 595.2756 841.8898 ]", b"[-1 -0.5 3.25]", b"[1.]", b"[.5]", b"[+5]",
             b"[1-2]", b"[1,2]", b"[1 0 R]", b"[1 0 R 2 0 R]", b"[1\x00 2]", b"[1\x0b2]", b"[1 2", b"[1 %c\n 2]",
             b"[/A 1]", b"[(x) 1]", b"[[1 2] 3]", b"[1 2]3", b"[" + b"600 " * 3000 + b"]", b"[1234567890 1]",
             b"[123456789.12345678]", b"[1.123456789]", b"[null 1]", b"[01 007.50]", b"[1..2]", b"[-]", b"x"]
    cases += [b"[" + bytes(rng.choice(b"0123456789 .-+R\n\x00\x0b]") for _ in range(rng.randint(0, 30))) + b"]"
              for _ in range(1500)]
    for data in cases:
        for budget in (None, 0, 2, 1000):
            assert (_array_outcome(text_speedups._read_array, data, budget)
                    == _array_outcome(text_speedups._original_read_array, data, budget)), (data, budget)


# --- ASCII85 --------------------------------------------------------------------------------------

def _a85_outcome(decode: Any, data: Any, **options: Any) -> tuple[Any, ...]:
    try:
        return ("ok", decode(data, **options))
    except Exception as exc:
        return ("error", type(exc).__name__, str(exc))


A85_OPTIONS: list[dict[str, Any]] = [
    {}, {"adobe": True}, {"adobe": True, "ignorechars": pdf_filters.WHITESPACES_AS_BYTES},
    {"adobe": False, "ignorechars": b" \n"}, {"foldspaces": True}, {"ignorechars": b"z "}, {"ignorechars": b"!"},
]
A85_CASES = [
    b"", b"~>", b"<~~>", b"<~", b"z", b"zz", b"!", b"!!", b"!!!", b"!!!!", b"!!!!!", b"uuuuu", b"s8W-!",
    b"s8W-\"", b"s8W-!s8W", b"87cURD]i,\"Ebo80", b"87cUR z D]i,\"Ebo80~>", b"<~87cURD]i,\"Ebo80~>",
    b"87cURz", b"87cUzR", b"87 cU\nR\tD\x00]i,\"Eb~>", b"87cURv", b"87cUR{", b"y", b"yy!!", b"87cUR~",
    b"<~z~>", b"<~!~>", b"<~uuuu~>", b"<~u~>", b"<~uu~>", "87cURD]i", bytearray(b"87cURD]i"), b"\xff",
    b"~>~>", b"<~<~~>", b"a\x0b", b"9jqo^BlbD-BleB1DJ+*+F(f,q/0JhKF<GL>Cj@.4Gp$d7F!,L7@<6@)/0JDEF<G%<+EV:2F!,O<",
]


@pytest.mark.parametrize("options", A85_OPTIONS)
def test_a85decode_matches_the_standard_library(options: dict[str, Any]) -> None:
    for data in A85_CASES:
        assert (_a85_outcome(text_speedups._a85decode, data, **options)
                == _a85_outcome(text_speedups._original_a85decode, data, **options)), (data, options)


def test_a85decode_matches_the_standard_library_on_random_input() -> None:
    rng = random.Random(31)
    alphabet = bytes(range(0x21, 0x76)) + b"z   \n\r\t\x00\x0b\x0cuuuuy~<>\x7f\x20\x80"
    for _ in range(6000):
        size = rng.choice([0, 1, 2, 3, 4, 5, 6, 9, 10, 11, 24, 80, 300])
        data = bytes(rng.choice(alphabet) for _ in range(size))
        if rng.random() < 0.3:
            data = base64.a85encode(rng.randbytes(size), adobe=rng.random() < 0.5)
            if rng.random() < 0.5 and data:
                at = rng.randrange(len(data))
                data = data[:at] + bytes([rng.choice(alphabet)]) + data[at:]
        for options in A85_OPTIONS[:4]:
            assert (_a85_outcome(text_speedups._a85decode, data, **options)
                    == _a85_outcome(text_speedups._original_a85decode, data, **options)), (data, options)


def test_a85decode_round_trips_what_the_standard_library_encodes() -> None:
    rng = random.Random(37)
    for size in [*range(0, 40), 1000, 65536]:
        raw = rng.randbytes(size) if size % 3 else bytes(size)  # zero runs become "z"
        for adobe in (True, False):
            encoded = base64.a85encode(raw, adobe=adobe, wrapcol=rng.choice([0, 2, 76]))
            assert text_speedups._a85decode(encoded, adobe=adobe) == raw


def test_pypdf_ascii85_filter_uses_the_fast_decoder_with_the_same_result(installed: None) -> None:
    rng = random.Random(41)
    raw = rng.randbytes(5000)
    for encoded in (base64.a85encode(raw, adobe=True), base64.a85encode(raw, adobe=True)[2:],
                    base64.a85encode(raw) + b"\n", b" \n" + base64.a85encode(raw, adobe=True, wrapcol=70) + b"\n"):
        assert pdf_filters.ASCII85Decode.decode(encoded) == raw
    assert pdf_filters.a85decode is text_speedups._a85decode
    assert base64.a85decode is text_speedups._original_a85decode  # only pypdf's reference is replaced


# --- Layout-mode widths -----------------------------------------------------------------------------

def _state(font: Font, raw_chars: str, **state: float) -> Any:
    """A TextStateParams with what word_tx reads (built without __post_init__, which calls it)."""
    from pypdf._text_extraction._layout_mode._text_state_params import TextStateParams

    params = TextStateParams.__new__(TextStateParams)
    params.font, params._raw_chars = font, raw_chars
    for name, value in state.items():
        setattr(params, name, value)
    return params


def _word_tx_outcome(word_tx: Any, params: Any, word: Any, offset: float) -> tuple[Any, ...]:
    try:
        return ("ok", word_tx(params, word, offset).hex())  # hex: bit for bit, -0.0 and nan included
    except Exception as exc:
        return ("error", type(exc).__name__)


def test_word_width_matches_pypdf_bit_for_bit() -> None:
    from pypdf.generic import FloatObject, NumberObject

    rng = random.Random(43)
    values: list[Any] = [0, 1, 250, 600, 0.1, 1e-9, -0.0, -3, 722.5, 2**60 + 1, 1.5e308, float("nan"),
                         FloatObject("0.3"), NumberObject(7), True]
    kinds = []
    for _ in range(400):
        chars = rng.sample("abcdeÂĐ ơ\u00a0x", rng.randint(0, 6))
        widths: dict[str, Any] = {c: rng.choice(values) for c in chars}
        if rng.random() < 0.9:
            widths["default"] = rng.choice(values)
        space_char = rng.choice([" ", "x", "\u00a0"])
        font = Font(name="/F", encoding="utf-16-be", character_widths=widths, space_width=rng.choice(values),
                    space_char=space_char)
        state = {"font_size": rng.choice([1.0, 10.0, 11.5]), "Tc": rng.choice([0.0, 0.3]),
                 "Tw": rng.choice([0.0, 1.25]), "Tz": rng.choice([100.0, 90.0])}
        raw = "".join(rng.choice("abcdeÂĐ ơ\u00a0xyz") for _ in range(rng.randint(0, 12)))
        params = _state(font, raw, **state)
        for word in (raw, raw.encode("utf-8"), "", space_char):
            offset = rng.choice([0.0, -250.0, 3.5])
            outcome = _word_tx_outcome(text_speedups._word_tx, params, word, offset)
            assert outcome == _word_tx_outcome(text_speedups._original_word_tx, params, word, offset), (widths, word)
            kinds.append(outcome[0])
    assert kinds.count("ok") > 1000 and "error" in kinds  # both paths were exercised


def test_layout_text_is_unchanged_on_the_golden_letters(installed: None, monkeypatch: pytest.MonkeyPatch) -> None:
    letters = sorted(GOLDEN.glob("*.pdf"))[:12]
    fast = [text.read_text(path.read_bytes()) for path in letters]
    monkeypatch.undo()  # every speed-up out: pypdf's own code throughout
    assert not any(text_speedups.installed().values())
    for path, expected in zip(letters, fast, strict=True):
        assert text.read_text(path.read_bytes()) == expected, path.name
