"""Text of a PDF, from pypdf. With text_speedups.py, the only module that imports pypdf: the other
examining modules (channels.py, revisions.py, pdf_objects.py) read the objects it opens.

Layout mode keeps the two header columns on shared lines separated by runs of spaces, which is what
fields.py splits on; plain mode is the fallback for pages layout mode cannot handle. The text is
pypdf's own: its content-stream tokenizer is never replaced, since the secrecy rule reads this text.

Every page is read: a mark on page 201 of a long file is still a mark. Only a page count beyond
MAX_PAGES fails the inspection (the file is then refused as unreadable, never read in part).
"""

from __future__ import annotations

import re
import unicodedata
from io import BytesIO
from typing import Any

from pypdf import PageObject, PdfReader
from pypdf.generic import ContentStream

from pipeline.examine.text_speedups import font_memo
from pipeline.records import PdfText

# Not a letter: the sandbox's time limit would stop it anyway; this fails it at once, and loudly.
MAX_PAGES = 5000


def open_pdf(data: bytes) -> PdfReader:
    """pypdf's reader of the bytes (non-strict, as viewers read files); encrypted files refused."""
    reader = PdfReader(BytesIO(data), strict=False)
    if reader.is_encrypted:
        raise ValueError("the file is encrypted")
    return reader


def read_text(data: bytes) -> tuple[PdfText, int]:
    """Return the NFC text of every page and the page count.
    pypdf errors propagate: the sandbox turns them into an `unreadable` refusal."""
    return read_pages(open_pdf(data))


def read_pages(reader: PdfReader) -> tuple[PdfText, int]:
    """The NFC text of every page of an open reader, and the page count."""
    count = len(reader.pages)
    if count > MAX_PAGES:
        raise ValueError(f"the file has {count} pages, more than the {MAX_PAGES} that can be read")
    with font_memo():  # pages share their fonts: where the memo is installed, each is built once
        pages = tuple(page_text(page) for page in reader.pages)
    return PdfText(pages), count


def page_text(page: Any) -> str:
    """One page's text, layout mode (plain mode where layout mode fails), NFC."""
    try:
        text = page.extract_text(extraction_mode="layout")
    except (ValueError, KeyError, IndexError, ZeroDivisionError):
        text = page.extract_text()
    return unicodedata.normalize("NFC", text)


def xobject_text(page: Any, xobject: Any) -> str:
    """The text a form XObject (an annotation's appearance) shows, read in the context of `page`."""
    return unicodedata.normalize("NFC", page.extract_xform_text(xobject))


def content_operations(owner: Any, reader: Any) -> list[tuple[Any, Any]]:
    """The (operands, operator) pairs of a page's contents or of a form XObject's stream."""
    if is_page(owner):
        contents = owner.get_contents()
        return [] if contents is None else list(contents.operations)
    return list(ContentStream(owner, reader).operations)


def is_page(value: Any) -> bool:
    return isinstance(value, PageObject)


# The operators that set a matrix; a matrix turns what follows when its second or third number is not
# zero ("0 1 -1 0 560 300 cm", "0 1 -1 0 0 0 Tm").
_MATRIX_OPERATOR = re.compile(rb"(?<![^\s\]])(?:cm|Tm)(?![^\s\[/(<%])")


def may_turn_text(page: Any) -> bool:
    """Whether the page's contents turn text or drawing (layout mode leaves turned text out)."""
    contents = page.get_contents()
    if contents is None:
        return False
    data = contents.get_data()
    for found in _MATRIX_OPERATOR.finditer(data):
        operands = data[max(0, found.start() - 160):found.start()].split()[-6:]
        try:
            if len(operands) == 6 and (float(operands[1]) != 0 or float(operands[2]) != 0):
                return True
        except ValueError:
            return True  # not plain numbers: read the page's turned text rather than guess
    return False


def turned_text(page: Any) -> str:
    """The text a page shows turned 90°, 180° or 270° (side stamps), plain mode, NFC."""
    return unicodedata.normalize("NFC", page.extract_text(orientations=(90, 180, 270)))
