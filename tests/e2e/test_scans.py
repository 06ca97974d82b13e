"""Issue 17, end to end: scanned letters signed as digitised copies (organisation signature only)
go through a real build. The clean scan is read by OCR and published with its number; a scan with
a red MẬT stamp, and a typed letter whose scanned annex has one, are refused `secret`; a page of
noise is refused `unreadable` ("trang 1 là ảnh quét không đọc được"); none of them reaches the site
or a feed."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import pytest
from kit import Portal, make_portal
from PIL import Image

from corpus.pki import DemoPki
from corpus.scans import Scan, image_pdf, render_scan, scans, sign_scan, typed_with_scanned_annex
from pipeline.examine.ocr import tesseract_available

pytestmark = pytest.mark.skipif(not tesseract_available(), reason="needs tesseract-ocr and tesseract-ocr-vie")

CLEAN: Scan = dataclasses.replace(next(s for s in scans() if s.name == "scan-02a"), stamp=None)  # 258/LĐLĐ, 1 page
# Another letter (its own number and subject: the audit checks that no refused number or subject
# appears anywhere), with the red MẬT stamp under its number.
SECRET: Scan = dataclasses.replace(
    CLEAN, name="scan-secret", stamp="MẬT", seed=7,
    letter=dataclasses.replace(CLEAN.letter, number="301/LĐLĐ", subject="phối hợp chuẩn bị hội nghị chuyên đề quý IV"))


# A typed letter (its own number and subject) whose annex is a scan with the red MẬT stamp.
TYPED = dataclasses.replace(CLEAN.letter, number="302/LĐLĐ", subject="gửi kèm phụ lục danh sách đoàn viên")
ANNEX: Scan = dataclasses.replace(SECRET, name="annex", seed=11)


def _noise_page() -> bytes:
    return image_pdf([Image.merge("RGB", (Image.effect_noise((1240, 1754), 60),) * 3)], 150)


@dataclasses.dataclass
class Built:
    portal: Portal
    status: int
    report: dict[str, object]
    files: dict[str, bytes]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, pki: DemoPki) -> Built:
    portal = make_portal(tmp_path_factory.mktemp("portal"), pki)
    when = CLEAN.letter.signed_time
    files = {
        "clean": sign_scan(render_scan(CLEAN), pki.organisation, when),
        "secret": sign_scan(render_scan(SECRET), pki.organisation, when),
        "noise": sign_scan(_noise_page(), pki.organisation, when),
        "annex": sign_scan(typed_with_scanned_annex(TYPED, ANNEX), pki.organisation, when),
    }
    for name, data in files.items():
        portal.add(f"2026/{name}.pdf", data)
    status, stdout, stderr = portal.build("--json")
    assert stdout, stderr
    return Built(portal, status, json.loads(stdout), files)


def test_the_clean_scan_is_published_and_the_others_refused_with_their_code(built: Built) -> None:
    assert built.status == 3
    published = {Path(str(p["file"])).stem: p for p in built.report["published"]}  # type: ignore[attr-defined]
    assert set(published) == {"clean"}
    refused = {Path(str(r["file"])).stem: r["reasons"] for r in built.report["refused"]}  # type: ignore[attr-defined]
    assert set(refused) == {"secret", "noise", "annex"}
    assert "secret" in [reason["code"] for reason in refused["secret"]]
    assert "secret" in [reason["code"] for reason in refused["annex"]]  # on page 2, the scanned annex
    noise = [reason for reason in refused["noise"] if reason["code"] == "unreadable"]
    assert noise and any("trang 1 là ảnh quét không đọc được" in str(reason) for reason in noise), refused["noise"]


def test_the_clean_scan_is_on_the_site_byte_for_byte_and_searchable_by_its_number(built: Built) -> None:
    pdfs = {p.read_bytes() for p in built.portal.site.rglob("*.pdf")}
    assert built.files["clean"] in pdfs  # OCR never rewrites the signed file
    feed = (built.portal.site / "feeds" / "all.xml").read_text(encoding="utf-8")
    assert hashlib.sha256(built.files["clean"]).hexdigest() in feed
    pages = "".join(p.read_text(encoding="utf-8", errors="replace") for p in built.portal.site.rglob("*.html"))
    assert "258/LĐLĐ" in pages
    digest = hashlib.sha256(built.files["clean"]).hexdigest()
    [text] = [t for t in (p.read_text(encoding="utf-8") for p in (built.portal.site / "van-ban").glob("*/index.html"))
              if digest in t]
    assert "Trang 1 là ảnh quét" in text and "do máy đọc" in text  # its text is labelled as machine-read


def test_no_refused_scan_reaches_the_site(built: Built) -> None:
    refused = {built.files["secret"], built.files["noise"], built.files["annex"]}
    needles = [hashlib.sha256(data).hexdigest() for data in refused] + [
        "301/LĐLĐ", SECRET.letter.subject, "302/LĐLĐ", TYPED.subject]
    for path in built.portal.site.rglob("*"):
        if path.suffix == ".pdf":
            assert path.read_bytes() not in refused
        elif path.is_file() and path.suffix in {".html", ".xml", ".json", ".txt", ".js"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not any(needle in text for needle in needles), path
