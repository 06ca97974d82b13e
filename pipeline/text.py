"""Text of a PDF, from pypdf. The only module that imports pypdf.

Layout mode keeps the two header columns on shared lines separated by runs of spaces, which is what
fields.py splits on; plain mode is the fallback for pages layout mode cannot handle.
"""

from __future__ import annotations

import unicodedata
from io import BytesIO

from pypdf import PdfReader

from .records import PdfText

MAX_PAGES = 200  # a letter has a few pages; a huge page count is hostile or not a letter


def read_text(data: bytes) -> tuple[PdfText, int]:
    """Return the NFC text of every page (at most MAX_PAGES) and the page count.
    pypdf errors propagate: the sandbox turns them into an `unreadable` refusal."""
    reader = PdfReader(BytesIO(data), strict=False)
    if reader.is_encrypted:
        raise ValueError("the file is encrypted")
    pages = []
    for page in reader.pages[:MAX_PAGES]:
        try:
            text = page.extract_text(extraction_mode="layout")
        except (ValueError, KeyError, IndexError, ZeroDivisionError):
            text = page.extract_text()
        pages.append(unicodedata.normalize("NFC", text))
    return PdfText(tuple(pages)), len(reader.pages)
