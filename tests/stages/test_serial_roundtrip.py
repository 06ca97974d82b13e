"""A cached inspection comes back equal to the one that was stored: serial.py rebuilds every record,
tuple, optional value, date and enum from its JSON form."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pipeline.config import load_config
from pipeline.examine.sandbox import Job, examine_all
from pipeline.examine.verify import TrustAnchors
from pipeline.records import Inspection, PdfText, StoredText
from pipeline.serial import from_data, to_data

REPO = Path(__file__).resolve().parents[2]


def test_an_inspection_survives_the_json_round_trip() -> None:
    config = load_config(REPO / "portal.yml")
    anchors = TrustAnchors.from_pem(config.trust.roots_pem, config.organisation.certificate_names)
    paths = sorted((REPO / "documents").rglob("*.pdf"))[:3]
    jobs = [Job(p.name, p, hashlib.sha256(p.read_bytes()).hexdigest()) for p in paths]
    results = [result for _, result in examine_all(jobs, anchors)]
    assert results and all(isinstance(r, Inspection) for r in results)
    for result in results:
        stored = json.loads(json.dumps(to_data(result), ensure_ascii=False))
        assert from_data(Inspection, stored) == result
        assert from_data(Inspection, stored).text.pages == result.text.pages


def test_stored_text_is_compressed_and_reads_back_every_character() -> None:
    """Issue 21: the text a build holds for every document is compressed; nothing is lost, not a
    line separator, a NUL or a page that is empty."""
    pages = ("ỦY BAN NHÂN DÂN\u2028dòng\x85hai\nba " * 40, "", "\x00\f MẬT", "Kính gửi: Các đơn vị " * 60)
    stored = StoredText.of(PdfText(pages))
    assert stored.pages == pages and stored.full == "\n".join(pages)
    assert len(stored.packed) < sum(len(p.encode()) for p in pages) / 4
    assert stored == StoredText.of(PdfText(pages)) and stored != StoredText.of(PdfText(pages[:3]))
    data = json.loads(json.dumps(to_data(stored)))
    assert isinstance(data["packed"], str) and from_data(StoredText, data) == stored


def test_a_document_digest_changes_with_its_text_alone() -> None:
    """site_state.document_digest is the hash of a record's repr: the text must be part of it."""
    first, second = StoredText.of(PdfText(("Kính gửi: A",))), StoredText.of(PdfText(("Kính gửi: B",)))
    assert repr(first) != repr(second) and repr(first) == repr(StoredText.of(PdfText(("Kính gửi: A",))))
