"""The expensive part of looking at one file: signatures (pyhanko), text (pypdf) and the metadata
read from that text. Runs inside a sandboxed worker process; its result is cached by content hash."""

from __future__ import annotations

import hashlib
import logging

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
