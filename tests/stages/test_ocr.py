"""Issue 17, reading scanned pages: `pipeline.examine.ocr.ocr_pages` on the scans of corpus/scans.py
(real Tesseract with its Vietnamese data, real poppler). A clean scan is readable and its fields
come out of the OCR text; a red MẬT stamp with the seal printed half over it is read from the red
ink; blank paper, noise and a blurred low-resolution scan are not readable; without Tesseract
nothing is readable; a reading that runs out of time stops and says so. A handful of pages in all:
OCR is slow."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest
from PIL import Image, ImageFilter

from corpus.scans import Scan, image_pdf, render_scan, scan_images, scans
from pipeline.examine.fields.metadata import extract_metadata
from pipeline.examine.marks import detect_marks
from pipeline.examine.ocr import OcrLimits, ocr_notice, ocr_pages, tesseract_available
from pipeline.records import PdfText

pytestmark = pytest.mark.skipif(not tesseract_available(), reason="needs tesseract-ocr and tesseract-ocr-vie")

# Room for a loaded machine (the tests run beside others): a bound, never a timed assertion.
ROOMY = OcrLimits(seconds=180, child_seconds=120)


def _scan(name: str) -> Scan:
    return next(scan for scan in scans() if scan.name == name)


@pytest.fixture(scope="module")
def clean_scan() -> tuple[Scan, bytes]:
    """Letter 258/LĐLĐ on yellowish paper, 200 dpi, turned, with seal and signature, no stamp
    (its urgency is stamped on the paper copy in red: scan-02a has the KHẨN stamp)."""
    scan = dataclasses.replace(_scan("scan-02a"), stamp=None)
    return scan, render_scan(scan)


def test_a_clean_scan_is_readable_and_its_fields_come_out(clean_scan: tuple[Scan, bytes]) -> None:
    scan, data = clean_scan
    result = ocr_pages(data, (1,), ROOMY)
    assert result.available and result.engine.startswith("tesseract")
    [page] = result.pages
    assert page.page == 1 and page.readable, page.problem
    assert page.confidence >= 80 and page.words >= 100
    metadata = extract_metadata(PdfText((page.text,)))
    expected = scan.expected
    assert metadata.number == expected["number"]
    assert metadata.issued_date == expected["issued_date"]
    assert metadata.type_name == expected["type_name"]
    assert metadata.subject == expected["subject"]
    # The red seal is read in the red pass and is no mark; no mark is invented on the page either.
    assert detect_marks(PdfText((page.text, page.red_text))).secrecy is None
    assert metadata.marks.urgency is None


def test_a_red_secrecy_stamp_under_the_seal_is_read_from_the_red_ink() -> None:
    scan = _scan("scan-extra-mat")  # 150 dpi, grey paper, heavy noise, JPEG 45, seal half over the stamp
    assert scan.stamp == "MẬT" and scan.seal_over_stamp
    [page] = ocr_pages(render_scan(scan), (1,), ROOMY).pages
    assert page.red_text.strip(), "the red ink was read"
    assert detect_marks(PdfText((page.red_text,))).secrecy == "MẬT"
    assert page.readable, page.problem  # the rest of the page still reads


def test_blank_paper_noise_and_a_blurred_scan_are_not_readable(clean_scan: tuple[Scan, bytes]) -> None:
    blank = Image.new("RGB", (1240, 1754), (238, 236, 228))
    noise = Image.merge("RGB", (Image.effect_noise((1240, 1754), 60),) * 3)
    # The clean scan's letter scanned at 100 dpi, out of focus: words come out, damaged.
    blurred = scan_images(dataclasses.replace(clean_scan[0], dpi=100, noise=20.0))[0]
    blurred = blurred.filter(ImageFilter.GaussianBlur(2)).resize((1240, 1754))
    result = ocr_pages(image_pdf([blank, noise, blurred], 150), (1, 2, 3), ROOMY)
    assert [p.page for p in result.pages] == [1, 2, 3]
    assert not any(p.readable for p in result.pages)
    assert result.pages[0].words == result.pages[1].words == 0
    assert result.pages[2].words > 100 and "confidence" in result.pages[2].problem


def test_a_page_that_does_not_exist_or_a_file_that_is_not_a_pdf_is_not_readable(
        clean_scan: tuple[Scan, bytes]) -> None:
    [missing] = ocr_pages(clean_scan[1], (9,)).pages
    [garbage] = ocr_pages(b"%PDF-1.7\n" + os.urandom(2000), (1,)).pages
    assert not missing.readable and missing.problem
    assert not garbage.readable and garbage.problem


def test_without_tesseract_nothing_is_read_and_the_build_can_say_why(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_scan: tuple[Scan, bytes]) -> None:
    assert ocr_notice() is None  # control: here it is installed
    only_poppler = tmp_path / "bin"
    only_poppler.mkdir()
    (only_poppler / "pdftoppm").symlink_to("/usr/bin/pdftoppm")
    monkeypatch.setenv("PATH", str(only_poppler))
    assert not tesseract_available()
    notice = ocr_notice()
    assert notice is not None and "tesseract" in notice
    result = ocr_pages(clean_scan[1], (1, 2))
    assert not result.available
    assert [(p.page, p.readable) for p in result.pages] == [(1, False), (2, False)]


def test_a_reading_out_of_time_is_stopped_and_the_page_is_not_readable(clean_scan: tuple[Scan, bytes]) -> None:
    result = ocr_pages(clean_scan[1], (1, 2), OcrLimits(seconds=0.01))
    assert [p.page for p in result.pages] == [1, 2]
    assert not any(p.readable for p in result.pages)
    assert all("time limit" in p.problem for p in result.pages)
