"""The expensive part of looking at one file: signatures (pyhanko), text (pypdf) and the metadata
read from that text. Runs inside a sandboxed worker process; its result is cached by content hash.
That process, and no other, installs the speed-ups of the libraries (install_speedups)."""

from __future__ import annotations

import hashlib
import logging

from pipeline.examine import text_speedups, verify_speedups
from pipeline.examine.fields.metadata import extract_metadata
from pipeline.examine.text import read_text
from pipeline.examine.verify import TrustAnchors, verify_pdf
from pipeline.records import Inspection, Metadata

log = logging.getLogger(__name__)


def examine(data: bytes, anchors: TrustAnchors) -> Inspection:
    if data.lstrip()[:5] != b"%PDF-":
        raise ValueError("not a PDF file (no %PDF- header)")
    verify = verify_pdf(data, anchors)
    text, page_count = read_text(data)
    metadata: Metadata | None
    try:
        metadata = extract_metadata(text)
    except Exception:  # a bug in extraction must not hide the file: policy refuses missing metadata
        log.exception("metadata extraction failed")
        metadata = None
    return Inspection(hashlib.sha256(data).hexdigest(), verify, text, page_count, metadata)


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
