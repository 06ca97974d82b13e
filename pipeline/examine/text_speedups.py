"""Faster equivalents of pypdf code (and of the standard library's a85decode, as pypdf calls it)
that text extraction spends its time in.

Layout-mode extraction is a third of a sandbox worker's time on the two-signature letters of
bench/bench_verify.py. Each replacement below builds the very objects, or the very floats, pypdf
builds, and hands anything it does not take whole to pypdf's own code for its exact result or
error. pypdf's content-stream tokenizer is NOT replaced: it produces the text the secrecy rule
reads, and a second tokenizer would be a way for a "MẬT" mark to be read differently from pypdf
(it saved about 1 ms a letter; removed in issue 14).

Nothing is replaced on import: sandbox.py calls `install()` in its examining workers (see
speedups.py). tests/stages/test_text_speedups.py compares each replacement with the original.
"""

from __future__ import annotations

import base64
import re
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from pypdf import filters as pdf_filters
from pypdf import get_configuration
from pypdf._text_extraction._layout_mode._text_state_params import TextStateParams
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NumberObject
from pypdf.generic._font import Font
from pypdf.generic._utils import StreamParsingBudget

from pipeline.examine import speedups
from pipeline.examine.speedups import PYTHON, Replacement, SpeedUp

# The versions these were written for and compared with (tests/stages/test_text_speedups.py).
PYPDF_VERSION = "7.1.0"
PYTHON_VERSION = "3.11"  # the standard library's a85decode that _a85decode reproduces

# pypdf reads a font's /Widths (and boxes, matrices) one number at a time through read_object. An
# array of short plain numbers is read here in one step, into the same NumberObject/FloatObject
# values, charging the same element limit and parsing budget; pypdf's own reader gets any other
# array, and any array that would reach a limit (so its error is raised where pypdf raises it).
_original_read_array = ArrayObject.read_from_stream
_ARRAY_SPACE = rb"[ \t\n\r\x0b\f\x00]"  # what pypdf's array reader skips (isspace() or WHITESPACES)
# Shorter than read_object's 20-byte look-ahead, and ended where read_object ends it.
_SHORT_NUMBER = rb"-?[0-9]{1,9}(?:\.[0-9]{1,8})?"
_NUMBER_ARRAY = re.compile(rb"\[(?:" + _ARRAY_SPACE + rb"*+" + _SHORT_NUMBER + rb"(?=[ \t\n\r\x0b\f\x00\]]))*+"
                           + _ARRAY_SPACE + rb"*+\]")
_ARRAY_NUMBER = re.compile(_SHORT_NUMBER)


def _read_array(stream: Any, pdf: Any, forced_encoding: Any = None, *,
                parsing_budget: StreamParsingBudget | None = None) -> ArrayObject:
    start = stream.tell()
    chunk = stream.read(8192)
    found = _NUMBER_ARRAY.match(chunk)
    if found is not None:
        numbers = _ARRAY_NUMBER.findall(found.group())
        within_budget = parsing_budget is None or len(numbers) <= parsing_budget.remaining_budget
        if within_budget and len(numbers) <= get_configuration().array_maximum_element_count:
            if parsing_budget is not None:
                parsing_budget.remaining_budget -= len(numbers)
            stream.seek(start + found.end())
            return ArrayObject(FloatObject(number) if b"." in number else NumberObject(number) for number in numbers)
    stream.seek(start)
    return _original_read_array(stream, pdf, forced_encoding, parsing_budget=parsing_budget)


# Layout mode builds a Font (ToUnicode map, widths) from every font of a page's resources, again
# for every page, although the pages of a letter share one font dictionary. Within `font_memo()`
# (one read_text call) the Font built from a dictionary object is reused for the same object (the
# reader resolves an indirect font to one object; the memo holds it, so its id cannot be reused).
# pypdf's layout code only reads Font objects. Without the replacement installed the memo is kept
# but never consulted.
_original_from_font_resource = Font.from_font_resource
_document_fonts: ContextVar[dict[int, tuple[DictionaryObject, Font]] | None] = ContextVar(
    "_document_fonts", default=None)


@contextmanager
def font_memo() -> Iterator[None]:
    """The scope of one document: its pages share their fonts."""
    token = _document_fonts.set({})
    try:
        yield
    finally:
        _document_fonts.reset(token)


def _from_font_resource(cls: type[Font], pdf_font_dict: DictionaryObject) -> Font:
    memo = _document_fonts.get()
    if memo is None:
        return _original_from_font_resource(pdf_font_dict)
    known = memo.get(id(pdf_font_dict))
    if known is not None and known[0] is pdf_font_dict:
        return known[1]
    font = _original_from_font_resource(pdf_font_dict)
    memo[id(pdf_font_dict)] = (pdf_font_dict, font)
    return font


# The demo letters, the scale corpus and the office's own letters come from ReportLab, whose page
# content is ASCII85 over Flate. pypdf decodes ASCII85 with the standard library's a85decode, a
# Python loop over every byte (about 1 ms a page). `_a85decode` decodes the same input five bytes
# at a time with the same arithmetic and keeps the standard library's rules: an input it does not
# take whole (other than bytes, folded spaces, characters outside the alphabet, a "z" inside a
# group, a group above 2**32 - 1, a missing end marker) goes to the original, for its exact errors.
_original_a85decode = base64.a85decode
_A85_DIGITS = bytes(range(0x21, 0x76))  # "!" .. "u"
_A85_BIAS = 33 * (85**4 + 85**3 + 85**2 + 85 + 1)


def _a85_groups(digits: bytes) -> bytes | None:
    """Four bytes for every five digits (len(digits) a multiple of 5); None on overflow."""
    if not digits:
        return b""
    values = [(((a * 85 + b) * 85 + c) * 85 + d) * 85 + e - _A85_BIAS
              for a, b, c, d, e in zip(digits[0::5], digits[1::5], digits[2::5], digits[3::5], digits[4::5],
                                       strict=True)]
    if max(values) > 0xFFFFFFFF:
        return None
    return struct.pack(f">{len(values)}I", *values)


def _a85decode(b: Any, *, foldspaces: bool = False, adobe: bool = False,
               ignorechars: Any = b" \t\n\r\v") -> bytes:
    def original() -> bytes:
        result: bytes = _original_a85decode(b, foldspaces=foldspaces, adobe=adobe, ignorechars=ignorechars)
        return result

    if foldspaces or type(b) is not bytes or type(ignorechars) is not bytes:
        return original()
    if ignorechars.translate(None, _A85_DIGITS + b"z") != ignorechars:
        return original()  # the original reads such a character as a digit or a "z"
    body = b
    if adobe:
        if not body.endswith(b"~>"):
            return original()
        body = body[2:-2] if body.startswith(b"<~") else body[:-2]
    body = body.translate(None, ignorechars)
    if body.translate(None, _A85_DIGITS + b"z"):
        return original()  # not an ASCII85 digit
    *complete, last = body.split(b"z")  # each "z" (four zero bytes) must stand between groups
    if any(len(run) % 5 for run in complete):
        return original()
    parts = []
    for run in complete:
        parts.append(_a85_groups(run))
        parts.append(b"\0\0\0\0")
    # As the original: the input is padded with "uuuu" and what is left of a last short group is
    # dropped with as many bytes.
    last += b"uuuu"
    whole = len(last) - len(last) % 5
    parts.append(_a85_groups(last[:whole]))
    if None in parts:
        return original()  # a group above 2**32 - 1
    result = b"".join(parts)  # type: ignore[arg-type]
    padding = 4 - (len(last) - whole)
    return result[:-padding] if padding else result


# Layout mode measures every text-showing operation character by character: `word_tx` calls the
# font's `get_text_width` for each character, which builds a one-element list and sums it. The same
# additions in the same order, without the calls: each width still goes through `0.0 + width` as
# in `sum([width], 0.0)` (ints and floats; any other value through that very sum), so the floats are
# bit for bit the same; a font without a "default" width, or of another class, goes to the original.
_original_word_tx = TextStateParams.word_tx
_NO_DEFAULT = object()


def _word_tx(self: TextStateParams, word: bytes | str, td_offset: float = 0.0) -> float:
    font = self.font
    widths = font.character_widths
    if type(font) is not Font or type(widths) is not dict or "default" not in widths:
        return _original_word_tx(self, word, td_offset)
    default = widths["default"]
    if isinstance(word, bytes):
        word = self._raw_chars
    space_char = font.space_char
    space_width = font.space_width
    get = widths.get
    width: float = 0.0
    for char in word:
        if char == space_char:
            width += space_width
        else:
            value = get(char, default)
            kind = type(value)
            width += 0.0 + value if kind is float or kind is int else sum([value], 0.0)
    return (
        (self.font_size * ((width - td_offset) / 1000.0))
        + len(word) * self.Tc
        + word.count(space_char) * self.Tw
    ) * (self.Tz / 100.0)


SPEEDUPS = (
    SpeedUp("pypdf text speed-ups", (("pypdf", PYPDF_VERSION),), (
        Replacement(ArrayObject, "read_from_stream", staticmethod(_read_array)),
        Replacement(Font, "from_font_resource", classmethod(_from_font_resource)),
        Replacement(TextStateParams, "word_tx", _word_tx),
    )),
    # pypdf's own name for the standard library's decoder: base64.a85decode itself is left alone.
    SpeedUp("ASCII85 decoder", (("pypdf", PYPDF_VERSION), (PYTHON, PYTHON_VERSION)), (
        Replacement(pdf_filters, "a85decode", _a85decode),
    )),
)


def install() -> list[str]:
    """Install the replacements written for the installed versions; notices for the others."""
    return speedups.install(SPEEDUPS)


def notices() -> list[str]:
    return speedups.notices(SPEEDUPS)


def installed() -> dict[str, bool]:
    return speedups.installed(SPEEDUPS)


def uninstall() -> None:
    speedups.uninstall(SPEEDUPS)
