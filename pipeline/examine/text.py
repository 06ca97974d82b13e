"""Text of a PDF, from pypdf. With text_speedups.py, the only module that imports pypdf.

Layout mode keeps the two header columns on shared lines separated by runs of spaces, which is what
fields.py splits on; plain mode is the fallback for pages layout mode cannot handle. The text is
pypdf's own: its content-stream tokenizer is never replaced, since the secrecy rule reads this text.
"""

from __future__ import annotations

import unicodedata
from io import BytesIO

from pypdf import PdfReader

from pipeline.examine.text_speedups import font_memo
from pipeline.records import PdfText

MAX_PAGES = 200  # a letter has a few pages; a huge page count is hostile or not a letter


def read_text(data: bytes) -> tuple[PdfText, int]:
    """Return the NFC text of every page (at most MAX_PAGES) and the page count.
    pypdf errors propagate: the sandbox turns them into an `unreadable` refusal."""
    reader = PdfReader(BytesIO(data), strict=False)
    if reader.is_encrypted:
        raise ValueError("the file is encrypted")
    pages = []
    with font_memo():  # pages share their fonts: where the memo is installed, each is built once
        for page in reader.pages[:MAX_PAGES]:
            try:
                text = page.extract_text(extraction_mode="layout")
            except (ValueError, KeyError, IndexError, ZeroDivisionError):
                text = page.extract_text()
            pages.append(unicodedata.normalize("NFC", text))
    return PdfText(tuple(pages)), len(reader.pages)
