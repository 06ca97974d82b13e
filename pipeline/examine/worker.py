"""The expensive part of looking at one file: signatures (pyhanko), text (pypdf), the metadata
read from that text, and what the file carries beyond it (channels.py: earlier revisions,
annotations, form fields, metadata, embedded files, active content, unread pages), and the OCR of
the pages without usable text and of stamp-sized images (ocr.py, issue 17). Runs inside a
sandboxed worker process; its result is cached by content hash.
That process, and no other, installs the speed-ups of the libraries (install_speedups)."""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.examine import text_speedups, verify_speedups
from pipeline.examine.channels import inspect_channels
from pipeline.examine.fields.metadata import extract_metadata
from pipeline.examine.marks import detect_marks
from pipeline.examine.ocr import OcrLimits, image_pages, ocr_pages
from pipeline.examine.text import open_pdf, read_pages
from pipeline.examine.verify import TrustAnchors, verify_pdf
from pipeline.records import ChannelMark, Inspection, Metadata, OcrPage, PdfText, StoredText

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OcrBudget:
    """The time the pages to read by OCR get in all, for one file, and what to call before they
    are read (the sandbox then gives the file that much more time). Set once per worker process
    by the sandbox (configure_ocr)."""

    seconds: float = 120.0
    started: Callable[[], None] | None = None


_budget = OcrBudget()


def configure_ocr(budget: OcrBudget) -> None:
    global _budget
    _budget = budget


def examine(data: bytes, anchors: TrustAnchors) -> Inspection:
    if data.lstrip()[:5] != b"%PDF-":
        raise ValueError("not a PDF file (no %PDF- header)")
    verify = verify_pdf(data, anchors)
    reader = open_pdf(data)
    layer, page_count = read_pages(reader)
    channels = inspect_channels(data, reader, layer)
    # Issue 17: the pages without usable text, and those with an image large enough to carry a
    # stamp, read by OCR. A readable unread page's OCR text takes its place in the text; every OCR
    # text, readable or not, and the red ink's, is read for marks.
    stamped = tuple(p for p in image_pages(data) if p not in channels.unread_pages)
    wanted = channels.unread_pages + stamped
    budget = _budget
    if wanted and budget.started is not None:
        budget.started()
    # A little under the sandbox's extra time, so that the pages out of time come back unreadable.
    ocr = ocr_pages(data, wanted, OcrLimits(seconds=max(1.0, budget.seconds - 5))).pages if wanted else ()
    text = _with_ocr(layer, channels.unread_pages, ocr)
    metadata: Metadata | None
    try:
        metadata = extract_metadata(text)
    except Exception:  # a bug in extraction must not hide the file: policy refuses missing metadata
        log.exception("metadata extraction failed")
        metadata = None
    if ocr:
        read = tuple(t for page in ocr for t in (page.text, page.red_text) if t.strip())
        marks = detect_marks(PdfText(text.pages + read))
        if metadata is not None:
            metadata = dataclasses.replace(metadata, marks=marks)
        channels = dataclasses.replace(channels, marks=channels.marks + _ocr_marks(ocr))
    return Inspection(hashlib.sha256(data).hexdigest(), verify, StoredText.of(text), page_count, metadata, channels,
                      ocr)


def _with_ocr(layer: PdfText, unread: tuple[int, ...], ocr: tuple[OcrPage, ...]) -> PdfText:
    """The text layer with each unread page that OCR could read replaced by its OCR text."""
    readable = {page.page: page.text for page in ocr if page.readable and page.page in unread}
    if not readable:
        return layer
    return PdfText(tuple(readable.get(number, shown) for number, shown in enumerate(layer.pages, start=1)))


def _ocr_marks(ocr: tuple[OcrPage, ...]) -> tuple[ChannelMark, ...]:
    """Secrecy and circulation marks OCR read on a page, as marks of the "ocr" channel: refused
    like a typed mark (decide/channels.py) whether or not the page was readable."""
    found: list[ChannelMark] = []
    for page in ocr:
        for label, shown in (("page", page.text), ("red ink", page.red_text)):
            marks = detect_marks(PdfText((shown,))) if shown.strip() else None
            if marks is None:
                continue
            evidence = " / ".join(marks.evidence)[:120]
            where = f"page {page.page}, {label}, read by OCR"
            if marks.secrecy:
                found.append(ChannelMark("ocr", where, "secrecy", marks.secrecy, evidence))
            found.extend(ChannelMark("ocr", where, "circulation", mark, evidence) for mark in marks.circulation)
    return tuple(found)


def install_speedups() -> list[str]:
    """Install every speed-up written for the installed library versions (see speedups.py); return
    a notice for each one left out."""
    return verify_speedups.install() + text_speedups.install()


def speedup_notices() -> list[str]:
    """What install_speedups would report, without installing anything."""
    return verify_speedups.notices() + text_speedups.notices()


def speedups_installed() -> dict[str, bool]:
    """Whether each replaced library attribute holds its speed-up in this process, by dotted name."""
    return verify_speedups.installed() | text_speedups.installed()
