"""fields on real PDF text: each demo letter rendered with reportlab, read back with pypdf (layout
mode, as pipeline.text does), must give back its ground truth field by field."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from functools import cache
from io import BytesIO
from typing import Any, Literal

import pytest
from pypdf import PdfReader

from corpus.letters import Letter, demo_letters, render_letter
from pipeline.examine.fields.metadata import extract_metadata
from pipeline.normalize import canonical
from pipeline.records import Metadata, PdfText

LETTERS = demo_letters()


def pdf_text(pdf: bytes, mode: Literal["layout", "plain"] = "layout") -> PdfText:
    return PdfText(pages=tuple(unicodedata.normalize("NFC", p.extract_text(extraction_mode=mode))
                               for p in PdfReader(BytesIO(pdf)).pages))


@cache
def rendered(letter: Letter) -> bytes:
    return render_letter(letter)


def _urgency(letter: Letter) -> str | None:
    return canonical(letter.urgency).capitalize() if letter.urgency else None


def assert_matches(metadata: Metadata, letter: Letter) -> None:
    number = canonical(letter.number) if letter.number else None
    assert metadata.number == number
    if number:
        parts = re.match(r"(\d+)[/-](.*)", number)
        assert parts is not None
        code, notation = parts.groups()
        assert metadata.code_number == code
        assert metadata.code_notation == notation
    assert metadata.issued_date == letter.issued_date
    assert metadata.place == canonical(letter.place)
    assert metadata.organ_name == canonical(letter.organ_name).upper()
    assert metadata.parent_organ == (canonical(letter.parent_organ).upper() if letter.parent_organ else None)
    assert metadata.system == letter.system
    assert metadata.type_name == canonical(letter.type_name)
    assert metadata.subject == canonical(letter.subject)
    assert metadata.addressees == tuple(canonical(a) for a in letter.addressees)
    assert metadata.recipients == tuple(canonical(r) for r in letter.recipients)
    assert metadata.signer.authority == (canonical(letter.authority).upper() or None)
    assert metadata.signer.position == canonical(letter.position).upper()
    assert metadata.signer.full_name == canonical(letter.signer_name)
    assert metadata.marks.urgency == _urgency(letter)
    assert metadata.marks.secrecy == (canonical(letter.secrecy).upper() if letter.secrecy else None)
    assert metadata.marks.circulation == ((canonical(letter.circulation).upper(),) if letter.circulation else ())
    numbers = [r.number for r in metadata.references]
    assert set(letter.cites) <= set(numbers)
    assert number not in numbers
    assert metadata.signed_by_text == (canonical(letter.signed_by) if letter.signed_by else None)
    expected_time = f"{letter.signed_time:%d.%m.%Y %H:%M}" if letter.signed_time else None
    assert metadata.signed_time_text == expected_time


@pytest.mark.parametrize("letter", LETTERS, ids=[letter.number or letter.subject[:20] for letter in LETTERS])
def test_demo_letter_layout_text(letter: Letter) -> None:
    assert_matches(extract_metadata(pdf_text(rendered(letter))), letter)


@pytest.mark.parametrize("letter", LETTERS, ids=[letter.number or letter.subject[:20] for letter in LETTERS])
def test_demo_letter_plain_text(letter: Letter) -> None:
    """pypdf's plain mode prints the columns one after the other: a producer we do not control."""
    assert_matches(extract_metadata(pdf_text(rendered(letter), mode="plain")), letter)


def test_cited_dates_are_read() -> None:
    report = next(letter for letter in LETTERS if letter.number == "265/BC-LĐLĐ")
    references = {r.number: r for r in extract_metadata(pdf_text(rendered(report))).references}
    assert references["255/KH-LĐLĐ"].type_name == "Kế hoạch"
    assert references["255/KH-LĐLĐ"].issued_date is not None
    assert references["255/KH-LĐLĐ"].issued_date.isoformat() == "2026-09-10"
    assert references["258/LĐLĐ"].type_name == "Công văn"


VARIANTS: dict[str, dict[str, Any]] = {
    "party": dict(system="party", parent_organ="Đảng bộ tỉnh Mẫu Sơn", organ_name="Tỉnh ủy", number="145-CV/TU",
                  type_name="Công văn", authority="T/M BAN THƯỜNG VỤ", position="PHÓ BÍ THƯ",
                  signer_name="Hoàng Văn Dũng", organ_code="TU"),
    "party-plan": dict(system="party", parent_organ="Đảng bộ tỉnh Mẫu Sơn", organ_name="Tỉnh ủy",
                       number="150-KH/TU", type_name="Kế hoạch", authority="T/M BAN THƯỜNG VỤ",
                       position="PHÓ BÍ THƯ", signer_name="Hoàng Văn Dũng", organ_code="TU",
                       circulation="Lưu hành nội bộ"),
    "blank-number-and-date": dict(number=None, issued_date=None),
    "secret": dict(secrecy="MẬT"),
    "no-parent": dict(parent_organ=None, organ_name="Công đoàn ngành Giáo dục tỉnh Mẫu Sơn"),
    "hoa-toc": dict(urgency="HỎA TỐC"),
}


@pytest.mark.parametrize("name", list(VARIANTS))
@pytest.mark.parametrize("mode", ["layout", "plain"])
def test_letter_variants(name: str, mode: Literal["layout", "plain"]) -> None:
    base = next(letter for letter in LETTERS if letter.number == "279/LĐLĐ")
    letter = dataclasses.replace(base, **VARIANTS[name])
    if letter.type_name != "Công văn":
        letter = dataclasses.replace(letter, subject="Tổ chức học tập, quán triệt Nghị quyết Đại hội Đảng bộ "
                                                     "tỉnh lần thứ XVIII nhiệm kỳ 2025 - 2030")
    metadata = extract_metadata(pdf_text(render_letter(letter), mode))
    if letter.number is None:
        assert metadata.number is None and metadata.code_number is None
        assert metadata.code_notation == "LĐLĐ"
        letter = dataclasses.replace(letter, number=None)
    assert_matches(metadata, letter)
