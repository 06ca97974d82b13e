"""fields: the "Về việc" prefix of a subject as OCR misreads it ("và việc", "Vê việc").

The letters are written for these tests. A subject never opens with a conjunction, so "v" + one
vowel + "việc" at the start of the subject's line is the prefix with its "ề" misread; other openings
are left as they are.
"""

from __future__ import annotations

import unicodedata

import pytest

from pipeline.examine.fields.header import SUBJECT_PREFIX
from pipeline.examine.fields.metadata import extract_metadata
from pipeline.records import Metadata, PdfText

HEADING_LETTER = """\
ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH MẪU SƠN Độc lập - Tự do - Hạnh phúc
Số: 12/CT-UBND Mẫu Sơn, ngày 03 tháng 3 năm 2026
CHỈ THỊ
{subject_line}
trên địa bàn tỉnh Mẫu Sơn

Thực hiện Kế hoạch số 5/KH-UBND ngày 02/01/2026, Chủ tịch Ủy ban nhân dân tỉnh chỉ thị:
1. Các sở, ngành triển khai ngay các biện pháp phòng cháy./.
Nơi nhận:
- Các sở, ngành;
- Lưu: VT, NC.
"""


def read(subject_line: str) -> Metadata:
    text = HEADING_LETTER.format(subject_line=subject_line)
    return extract_metadata(PdfText((unicodedata.normalize("NFC", text),)))


@pytest.mark.parametrize("misread", ["và việc", "Vê việc", "Vẻ việc", "VÀ VIỆC"])
def test_misread_ve_viec_is_the_prefix(misread: str) -> None:
    m = read(f"{misread} tăng cường phòng cháy, chữa cháy mùa khô")
    assert m.subject == "tăng cường phòng cháy, chữa cháy mùa khô trên địa bàn tỉnh Mẫu Sơn"


def test_the_printed_prefix_still_reads() -> None:
    m = read("Về việc tăng cường phòng cháy, chữa cháy mùa khô")
    assert m.subject == "tăng cường phòng cháy, chữa cháy mùa khô trên địa bàn tỉnh Mẫu Sơn"


@pytest.mark.parametrize("subject", [
    "vì việc làm bền vững cho người lao động",  # "vì" is a word of its own, not a misread "Về"
    "việc làm cho thanh niên nông thôn",
    "vận động và việc thực hiện quy chế dân chủ",  # "và việc" inside the subject
    "Vào việc thực hiện chương trình",  # "Vào": two vowels, a word of its own
])
def test_other_openings_are_not_a_prefix(subject: str) -> None:
    assert SUBJECT_PREFIX.match(subject) is None
    assert read(subject).subject == f"{subject} trên địa bàn tỉnh Mẫu Sơn"


def test_a_body_line_opening_with_va_viec_is_no_subject() -> None:
    """Only the first line under a heading is the subject's: with no heading, no "V/v" and no
    "Kính gửi", a wrapped body line that opens with "và việc" is the body's, not a subject."""
    text = """\
ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH MẪU SƠN Độc lập - Tự do - Hạnh phúc
Số: 45/UBND-KT Mẫu Sơn, ngày 03 tháng 3 năm 2026
Ủy ban nhân dân tỉnh đề nghị các sở, ngành tăng cường công tác tuyên truyền
và việc thực hiện quy chế dân chủ ở cơ sở trong năm 2026./.
Nơi nhận:
- Các sở, ngành;
- Lưu: VT, KT.
"""
    assert extract_metadata(PdfText((unicodedata.normalize("NFC", text),))).subject is None
