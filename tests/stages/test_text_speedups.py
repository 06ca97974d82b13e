"""The speed-ups in pipeline/text.py replace pypdf code; they must behave exactly like it, on
ordinary and on hostile input (same operations, or the same exception)."""

from __future__ import annotations

import random
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream
from pypdf.generic._font import Font
from pypdf.generic._utils import StreamParsingBudget, read_string_from_stream

from pipeline import text

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
