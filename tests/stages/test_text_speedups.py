"""The speed-ups in pipeline/text.py replace pypdf code; they must behave exactly like it, on
ordinary and on hostile input (same operations, or the same exception)."""

from __future__ import annotations

import base64
import random
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream
from pypdf.generic._font import Font
from pypdf.generic._utils import StreamParsingBudget, read_string_from_stream

from pipeline.examine import text

GOLDEN = Path(__file__).resolve().parents[1] / "golden"


def _operations(parse: Any, data: bytes, forced_encoding: Any = "bytes") -> tuple[Any, ...]:
    stream = ContentStream.__new__(ContentStream)
    stream._operations = []
    stream.forced_encoding = forced_encoding
    try:
        parse(stream, BytesIO(data))
    except Exception as exc:
        return ("error", type(exc).__name__)
    return ("ok", repr([(operands, operator) for operands, operator in stream._operations]),
            [[type(operand).__name__ for operand in operands] for operands, _ in stream._operations])


CONTENT = [
    b"", b"   ", b"q Q", b"BT /F2+0 10 Tf 12 TL (T\\001NG) Tj T* ET",
    b"1 0 0 1 85.03937 715.1969 cm\nBT 1 0 0 1 -31.45529 56 Tm ET", b".6 w n 40.39692 35 m 112.6739 35 l S",
    b"[(A) -250 (B)] TJ", b"<414243> Tj", b"/P <</MCID 0>> BDC EMC", b"/Name#20x Do", b"/caf\xc3\xa9 Do",
    b"% comment\nq % another\rQ", b"1 2 %c\n 3 re", b"+5 -.5 . - 1.2.3 1,5 w", b"1 0 R",
    b"12345678901234567890123 w", b"(unterminated", b"(a\\\nb) Tj", b"(\\777) Tj", b"(\\129) Tj", b"' \" T*",
    b"BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI Q",
    b"x" * 200 + b" op", b"1 2" + b" " * 100, b"/" + b"n" * 100 + b" Tf", b"null true false d0",
    b"Tj\x00Tj", b"\x00\t\n\f\r q", b"(a(b)c) Tj", b"[1 0 R] TJ", b"1 2 3", b"/Name", b"(at the end)", b"Tj",
    b"1 0 Rx w", b"12 0 R\n", b"1234567890123456789 w", b"12345678901234567890 w", b"/a\x7f\x01b Do", b"/ Do",
    b"1\x0b0\x0bR w", b"T\xc3\xa9 x", b"(\\0015\\12\\1) Tj", b"(a\\\\18) Tj", b"BI /W 1 ID x EI",
]


@pytest.mark.parametrize("data", CONTENT)
@pytest.mark.parametrize("forced_encoding", ["bytes", None])
def test_content_stream_parser_matches_pypdf(data: bytes, forced_encoding: Any) -> None:
    assert (_operations(text._parse_content_stream, data, forced_encoding)
            == _operations(text._original_parse_content_stream, data, forced_encoding))


def test_content_stream_parser_matches_pypdf_on_random_input() -> None:
    rng = random.Random(19)
    tokens = [b"1", b"-2.5", b".5", b"+", b"0 0 R", b"/F1", b"/A#42", b"(x)", b"(a\\(b)", b"(\\101\\1)", b"<41>",
              b"[1 (a)]", b"<</K 1>>", b"Tj", b"TJ", b"'", b"\"", b"%c\n", b"BT", b"ET", b"q", b"(", b")", b"]",
              b"\\", b"#", b"{", b"\x00", b"\xc3\xa9", b"12 0 R", b"1234567890123456789", b"\x0b", b"/a\x7f"]
    for _ in range(4000):
        data = b"".join(rng.choice(tokens) + rng.choice([b" ", b"\n", b"", b"\r\n"])
                        for _ in range(rng.randint(0, 12)))
        assert (_operations(text._parse_content_stream, data)
                == _operations(text._original_parse_content_stream, data)), data


def test_content_stream_parser_matches_pypdf_on_the_golden_letters() -> None:
    for path in sorted(GOLDEN.glob("*.pdf")):
        for page in PdfReader(path).pages:
            data = page.get_contents().get_data()  # type: ignore[union-attr]
            assert (_operations(text._parse_content_stream, data)
                    == _operations(text._original_parse_content_stream, data)), path.name


def _pypdf_literal(data: bytes) -> bytes | None:
    try:
        return bytes(read_string_from_stream(BytesIO(data), "bytes").original_bytes)
    except Exception:
        return None


def test_read_literal_agrees_with_pypdf() -> None:
    """Where read_literal answers, pypdf reads the same bytes and stops at the same place (pyhanko:
    test_verify_speedups)."""
    rng = random.Random(23)
    cases = [b"()", b"(a(b)c)", b"(\\001\\12x)", b"(\\0015)", b"(\\400)", b"(\\8)", b"(a\\\nb)", b"(a"]
    cases += [b"(" + bytes(rng.choice(b"ab()\\0123789nrx\n\r") for _ in range(rng.randint(0, 25))) + b")"
              for _ in range(3000)]
    answered = 0
    for data in cases:
        literal = text.read_literal(data + b" ", 0)
        if literal is None:
            continue
        answered += 1
        stream = BytesIO(data + b" ")
        expected = read_string_from_stream(stream, "bytes")
        assert (literal[0], literal[1]) == (bytes(expected.original_bytes), stream.tell()), data
        assert _pypdf_literal(data + b" ") == literal[0]
    assert answered > 1000


def test_fonts_are_built_once_per_document_with_the_same_text(monkeypatch: pytest.MonkeyPatch) -> None:
    two_pages = sorted(GOLDEN.glob("*two-pages*.pdf"))
    assert two_pages
    calls = []
    original = text._original_from_font_resource

    def counting(font_dict: Any) -> Font:
        calls.append(id(font_dict))
        return original(font_dict)

    for path in two_pages:
        data = path.read_bytes()
        fast = text.read_text(data)
        monkeypatch.setattr(Font, "from_font_resource", counting)
        slow = text.read_text(data)  # no memo: pypdf's own path, one Font per font and page
        monkeypatch.undo()
        assert fast == slow, path.name
    pypdf_builds = len(calls)
    monkeypatch.setattr(text, "_original_from_font_resource", counting)
    calls.clear()
    for path in two_pages:
        text.read_text(path.read_bytes())
    assert len(calls) == pypdf_builds // 2  # the two pages share their fonts: each built once
    assert text._document_fonts.get() is None  # the memo lives only during read_text


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
            assert (_array_outcome(text._read_array, data, budget)
                    == _array_outcome(text._original_read_array, data, budget)), (data, budget)


# --- ASCII85 --------------------------------------------------------------------------------------

def _a85_outcome(decode: Any, data: Any, **options: Any) -> tuple[Any, ...]:
    try:
        return ("ok", decode(data, **options))
    except Exception as exc:
        return ("error", type(exc).__name__, str(exc))


A85_OPTIONS = [{}, {"adobe": True}, {"adobe": True, "ignorechars": text.pdf_filters.WHITESPACES_AS_BYTES},
               {"adobe": False, "ignorechars": b" \n"}, {"foldspaces": True}, {"ignorechars": b"z "},
               {"ignorechars": b"!"}]
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
        assert (_a85_outcome(text._a85decode, data, **options)
                == _a85_outcome(text._original_a85decode, data, **options)), (data, options)


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
            assert (_a85_outcome(text._a85decode, data, **options)
                    == _a85_outcome(text._original_a85decode, data, **options)), (data, options)


def test_a85decode_round_trips_what_the_standard_library_encodes() -> None:
    rng = random.Random(37)
    for size in [*range(0, 40), 1000, 65536]:
        raw = rng.randbytes(size) if size % 3 else bytes(size)  # zero runs become "z"
        for adobe in (True, False):
            encoded = base64.a85encode(raw, adobe=adobe, wrapcol=rng.choice([0, 2, 76]))
            assert text._a85decode(encoded, adobe=adobe) == raw


def test_pypdf_ascii85_filter_uses_the_fast_decoder_with_the_same_result() -> None:
    rng = random.Random(41)
    raw = rng.randbytes(5000)
    for encoded in (base64.a85encode(raw, adobe=True), base64.a85encode(raw, adobe=True)[2:],
                    base64.a85encode(raw) + b"\n", b" \n" + base64.a85encode(raw, adobe=True, wrapcol=70) + b"\n"):
        assert text.pdf_filters.ASCII85Decode.decode(encoded) == raw
    assert text.pdf_filters.a85decode is text._a85decode
    assert base64.a85decode is text._original_a85decode  # only pypdf's reference is replaced


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
            outcome = _word_tx_outcome(text._word_tx, params, word, offset)
            assert outcome == _word_tx_outcome(text._original_word_tx, params, word, offset), (widths, word)
            kinds.append(outcome[0])
    assert kinds.count("ok") > 1000 and "error" in kinds  # both paths were exercised


def test_layout_text_is_unchanged_on_the_golden_letters(monkeypatch: pytest.MonkeyPatch) -> None:
    from pypdf._text_extraction._layout_mode._text_state_params import TextStateParams

    for path in sorted(GOLDEN.glob("*.pdf"))[:12]:
        data = path.read_bytes()
        fast = text.read_text(data)
        monkeypatch.setattr(TextStateParams, "word_tx", text._original_word_tx)
        monkeypatch.setattr(text.pdf_filters, "a85decode", text._original_a85decode)
        slow = text.read_text(data)
        monkeypatch.undo()
        assert fast == slow, path.name
