"""Text of a PDF, from pypdf. The only module that imports pypdf.

Layout mode keeps the two header columns on shared lines separated by runs of spaces, which is what
fields.py splits on; plain mode is the fallback for pages layout mode cannot handle.
"""

from __future__ import annotations

import base64
import re
import struct
import unicodedata
from contextvars import ContextVar
from io import BytesIO
from typing import Any

from pypdf import PdfReader, get_configuration
from pypdf import filters as pdf_filters
from pypdf._text_extraction._layout_mode._text_state_params import TextStateParams
from pypdf._utils import read_until_regex
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, FloatObject, NameObject, NumberObject
from pypdf.generic._data_structures import IndirectPattern, read_object
from pypdf.generic._font import Font
from pypdf.generic._utils import StreamParsingBudget, create_string_object

from pipeline.records import PdfText

MAX_PAGES = 200  # a letter has a few pages; a huge page count is hostile or not a letter


def read_text(data: bytes) -> tuple[PdfText, int]:
    """Return the NFC text of every page (at most MAX_PAGES) and the page count.
    pypdf errors propagate: the sandbox turns them into an `unreadable` refusal."""
    reader = PdfReader(BytesIO(data), strict=False)
    if reader.is_encrypted:
        raise ValueError("the file is encrypted")
    pages = []
    fonts = _document_fonts.set({})  # pages share their fonts: build each once per document
    try:
        for page in reader.pages[:MAX_PAGES]:
            try:
                text = page.extract_text(extraction_mode="layout")
            except (ValueError, KeyError, IndexError, ZeroDivisionError):
                text = page.extract_text()
            pages.append(unicodedata.normalize("NFC", text))
    finally:
        _document_fonts.reset(fonts)
    return PdfText(tuple(pages)), len(reader.pages)


# --- Speed -------------------------------------------------------------------------------------
# Layout-mode extraction is a third of a sandbox worker's time on the two-signature letters of
# bench/bench_verify.py. pypdf reads every content-stream operand, and every number of a font's
# /Widths, through `read_object`, which skips white space one `stream.read(1)` at a time and seeks
# back and forth for every token; it also builds every font again for every page.
# `_parse_content_stream` below is the same loop over the same tokens, but it takes the common ones
# (plain numbers, plain names, literal strings, short operators) with one regular expression on the
# bytes and builds the very objects pypdf builds from them; every other token (arrays, dictionaries,
# hex strings, inline images, long or unusual tokens) is read by pypdf's own code at the same
# position, and the parsing budget is charged exactly as pypdf charges it, so limits and errors are
# unchanged. Measured (best of 8, one process): tokenising 2.2 -> 1.2 ms and a letter's text 9.0 -> 7.3 ms
# with the two below.

# A literal string "( ... )": runs of plain bytes, balanced parentheses, and the escapes pypdf and
# pyhanko read alike (the single-character ones, octal codes up to 255). pypdf reads it one byte
# per call. (Only text extraction uses this: the verifier reads files with pyhanko's own parser.)
_LITERAL_RUN = re.compile(rb"[^()\\]*")
_OCTAL = re.compile(rb"[0-7]{1,3}")
_LITERAL_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f",
                    **{c: bytes((c,)) for c in b"()/\\ %<>[]#_&$"}}


# The usual literal: no unescaped parenthesis inside, only those escapes. Possessive quantifiers
# (no backtracking: linear time on hostile input) take an octal code's up to three digits as the
# libraries do, and _LITERAL_ESCAPE decodes left to right the same way.
_FLAT_LITERAL = re.compile(rb"\((?:[^()\\]++|\\(?:[0-7]{1,3}+|[nrtbf()/\\ %<>\[\]#_&$]))*+\)")
_LITERAL_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.DOTALL)
# An octal code above 255, or one of fewer than three digits followed by 8 or 9 (pyhanko's error);
# may also match after an escaped backslash, which only sends the string the longer way.
_ODD_OCTAL = re.compile(rb"\\(?:[4-7][0-7][0-7]|[0-7]{1,2}[89])")
_ESCAPED = {
    **{bytes((c,)): escaped for c, escaped in _LITERAL_ESCAPES.items()},
    **{format(value, "o").zfill(width).encode(): bytes((value,))
       for value in range(256) for width in (1, 2, 3) if len(format(value, "o")) <= width},
}


def read_literal(data: bytes, position: int) -> tuple[bytes, int] | None:
    """The bytes of the literal string starting with '(' at `position` and the index after its
    closing ')'; None for anything the libraries might read differently (other escapes, octal codes
    above 255 or followed by 8 or 9, a string not closed within `data`): the caller's library reads
    those itself."""
    flat = _FLAT_LITERAL.match(data, position)
    if flat is not None and flat.end() < len(data):
        value = _flat_literal_value(data[position + 1:flat.end() - 1])
        if value is not None:
            return value, flat.end()
    return _read_nested_literal(data, position)


def _flat_literal_value(body: bytes) -> bytes | None:
    """The bytes of a literal string whose inside `body` matched _FLAT_LITERAL; None for an odd
    octal code."""
    if b"\\" not in body:
        return body
    if _ODD_OCTAL.search(body) is not None:
        return None
    pieces = _LITERAL_ESCAPE.split(body)  # plain, escape, plain, escape, ..., plain
    pieces[1::2] = [_ESCAPED[escape] for escape in pieces[1::2]]
    return b"".join(pieces)


def _read_nested_literal(data: bytes, position: int) -> tuple[bytes, int] | None:
    parts = []
    depth = 1
    position += 1
    size = len(data)
    while True:
        run_end = _LITERAL_RUN.match(data, position).end()  # type: ignore[union-attr]
        parts.append(data[position:run_end])
        if run_end + 1 >= size:  # the string, or its escape, does not end within `data`
            return None
        char = data[run_end]
        if char == 0x28:  # '('
            depth += 1
            parts.append(b"(")
            position = run_end + 1
        elif char == 0x29:  # ')'
            depth -= 1
            if depth == 0:
                return b"".join(parts), run_end + 1
            parts.append(b")")
            position = run_end + 1
        else:  # backslash
            escaped = _LITERAL_ESCAPES.get(data[run_end + 1])
            if escaped is not None:
                parts.append(escaped)
                position = run_end + 2
                continue
            octal = _OCTAL.match(data, run_end + 1)
            if octal is None or octal.end() >= size:
                return None
            digits = octal.group()
            # pyhanko takes up to three decimal digits: an 8 or 9 among them is its error
            if len(digits) < 3 and data[octal.end()] in b"89":
                return None
            value = int(digits, 8)
            if value > 255:  # pyhanko fails, pypdf keeps the backslash
                return None
            parts.append(bytes((value,)))
            position = octal.end()


_original_parse_content_stream = ContentStream._parse_content_stream
_PDF_WHITESPACE = re.compile(rb"[\x00\t\n\f\r ]*")  # pypdf's WHITESPACES
_LINE_END = re.compile(rb"[\r\n]")
_NUMBER_START = frozenset(b"0123456789+-.")
_OPERATOR_START = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'\"")
_SHORT = 64  # tokens this short stay far below pypdf's length limits (128 for operators)
_DELIMITER = rb"\s()<>\[\]{}/%"  # NameObject.delimiter_pattern: white space (not NUL) or a delimiter
# One regular expression for white space and the common token after it, each exactly as pypdf ends it:
# a number whose run of number bytes ends within read_object's 20-byte look-ahead; a short operator
# or a short ASCII name without '#' ended by a delimiter; a literal string without nested parentheses.
_COMMON_TOKEN = re.compile(
    rb"[\x00\t\n\f\r ]*+(?:"
    rb"(?P<number>[0-9+\-.][0-9+,\-.]{0,18}+)(?=[^0-9+,\-.])"
    rb"|(?P<operator>[A-Za-z'\"][^" + _DELIMITER + rb"]{0,62}+)(?=[" + _DELIMITER + rb"])"
    rb"|(?P<name>/[^" + _DELIMITER + rb"#\x80-\xff]{0,62}+)(?=[" + _DELIMITER + rb"])"
    rb"|(?P<string>" + _FLAT_LITERAL.pattern + rb"))"
)


def _parse_content_stream(self: ContentStream, stream: Any) -> None:
    if not isinstance(stream, BytesIO):
        _original_parse_content_stream(self, stream)
        return
    data = stream.getvalue()
    size = len(data)
    delimiter = NameObject.delimiter_pattern
    check = self._check_limits
    budget = StreamParsingBudget(remaining_budget=get_configuration().stream_parsing_work_maximum_count)
    operands: list[Any] = []
    position = 0
    while True:
        common = _COMMON_TOKEN.match(data, position)
        if common is not None:
            kind = common.lastgroup
            token = common.group(kind)  # type: ignore[arg-type]
            value: Any = None
            if kind == "operator":
                if token != b"BI":
                    check(parsing_budget=budget, token_decrement=1)
                    self._operations.append((operands, token))
                    operands = []
                    position = common.end()
                    continue
            elif kind == "number":
                start = common.start(kind)
                if IndirectPattern.match(data, start, start + 20) is None:  # else read_object's error
                    value = FloatObject(token) if b"." in token else NumberObject(token)
            elif kind == "name":
                value = NameObject(token.decode("ascii"))
            else:
                string = _flat_literal_value(token[1:-1])
                if string is not None:
                    value = create_string_object(string, self.forced_encoding)
            if value is not None:
                check(parsing_budget=budget, token_decrement=1)
                operands.append(value)
                position = common.end()
                continue
        # Anything else: the same steps one at a time.
        position = _PDF_WHITESPACE.match(data, position).end()  # type: ignore[union-attr]
        if position >= size:
            break
        first = data[position]
        if first in _OPERATOR_START:
            found = delimiter.search(data, position, position + _SHORT)
            if found is None:  # long, or runs to the end: pypdf's reader, with its limit
                stream.seek(position)
                operator = read_until_regex(stream=stream, regex=delimiter, length=self._OPERATOR_LENGTH_LIMIT)
                position = stream.tell()
            else:
                operator = data[position:found.start()]
                position = found.start()
            if operator == b"BI":
                assert operands == []  # as in pypdf
                check(parsing_budget=budget, token_decrement=2)
                stream.seek(position)
                self._operations.append((self._read_inline_image(stream, parsing_budget=budget), b"INLINE IMAGE"))
                position = stream.tell()
            else:
                check(parsing_budget=budget, token_decrement=1)
                self._operations.append((operands, operator))
                operands = []
            continue
        if first == 0x25:  # '%': a comment runs to the end of the line, which it consumes
            line_end = _LINE_END.search(data, position)
            position = size if line_end is None else line_end.end()
            continue
        check(parsing_budget=budget, token_decrement=1)
        if first in _NUMBER_START:
            # pypdf's read_object for a number: a reference pattern (an error here) or a number
            # longer than its 20-byte look-ahead goes to it.
            peek = data[position:position + 20]
            number_end = NumberObject.NumberPattern.search(peek)
            if IndirectPattern.match(peek) is None and number_end is not None:
                number = peek[:number_end.start()]
                position += len(number)
                operands.append(FloatObject(number) if b"." in number else NumberObject(number))
                continue
        elif first == 0x28:  # '(': pypdf's read_string_from_stream builds the string from its bytes
            literal = read_literal(data, position)
            if literal is not None:
                position = literal[1]
                operands.append(create_string_object(literal[0], self.forced_encoding))
                continue
        elif first == 0x2F:  # '/': a name without '#' escapes, in ASCII, is its own bytes
            found = delimiter.search(data, position + 1, position + _SHORT)
            if found is not None:
                name = data[position:found.start()]
                if b"#" not in name and name.isascii():
                    position = found.start()
                    operands.append(NameObject(name.decode("ascii")))
                    continue
        stream.seek(position)
        operands.append(read_object(stream, None, self.forced_encoding, parsing_budget=budget))
        position = stream.tell()
    stream.seek(size)


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
# for every page, although the pages of a letter share one font dictionary. Within one read_text
# call the Font built from a dictionary object is reused for the same object (the reader resolves
# an indirect font to one object; the memo holds it, so its id cannot be reused). pypdf's layout
# code only reads Font objects.
_original_from_font_resource = Font.from_font_resource
_document_fonts: ContextVar[dict[int, tuple[DictionaryObject, Font]] | None] = ContextVar(
    "_document_fonts", default=None)


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


ContentStream._parse_content_stream = _parse_content_stream  # type: ignore[method-assign]
Font.from_font_resource = classmethod(_from_font_resource)  # type: ignore[method-assign,assignment]
ArrayObject.read_from_stream = staticmethod(_read_array)  # type: ignore[method-assign]
pdf_filters.a85decode = _a85decode  # pypdf's own name for it; the standard library is left as it is
TextStateParams.word_tx = _word_tx  # type: ignore[method-assign]
