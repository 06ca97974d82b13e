"""Shapes of real letters (issue 16), through `extract_metadata`: the Nơi nhận list as closings print
it and OCR reads it (the label with its first letter misread, an item's own list under its head, one
part a line without a dash), and a quyết định's subject printed in capitals under its heading.
Letters written for these tests."""

from __future__ import annotations

import unicodedata

import pytest

from pipeline.examine.fields.metadata import extract_metadata
from pipeline.records import Metadata, PdfText

LETTER = """\
ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH MẪU SƠN Độc lập - Tự do - Hạnh phúc
Số: 16/CT-UBND Mẫu Sơn, ngày 09 tháng 02 năm 2026
CHỈ THỊ
Về việc tăng cường phòng, chống dịch bệnh trên địa bàn tỉnh
Để chủ động phòng, chống dịch bệnh, Chủ tịch Ủy ban nhân dân tỉnh chỉ thị các cơ quan thực hiện
nghiêm các biện pháp phòng, chống dịch./.
{label} KT. CHỦ TỊCH
- Thường trực Tỉnh ủy (b/cáo); PHÓ CHỦ TỊCH
- Các sở, ban ngành, đơn vị trực thuộc UBND tỉnh;
- Các Công ty: CP Cấp nước Mẫu Sơn;
CP Môi trường đô thị Mẫu Sơn;
Điện lực Mẫu Sơn;
- Báo Mẫu Sơn, Đài Phát thanh và Truyền hình tỉnh;
- Lưu: VT, KGVX.
Trần Văn Bình
"""


def read(text: str) -> Metadata:
    return extract_metadata(PdfText((unicodedata.normalize("NFC", text),)))


@pytest.mark.parametrize("label", ["Nơi nhận:", "Noi nhận:", "Vơi nhận:", "-Vơi nhận:", "Aơi nhận:", "ơi nhận:"])
def test_the_label_as_ocr_reads_it_and_an_item_s_own_list(label: str) -> None:
    m = read(LETTER.format(label=label))
    assert m.recipients == (
        "Thường trực Tỉnh ủy (b/cáo)", "Các sở, ban ngành, đơn vị trực thuộc UBND tỉnh",
        "Các Công ty: CP Cấp nước Mẫu Sơn; CP Môi trường đô thị Mẫu Sơn; Điện lực Mẫu Sơn",
        "Báo Mẫu Sơn, Đài Phát thanh và Truyền hình tỉnh", "Lưu: VT, KGVX")



def test_an_undashed_line_after_an_item_without_a_head_is_no_part_of_it() -> None:
    """The archive line's colon is no head of a list: the line under it is no part of it. It reads
    as an addressee whose dash was lost, so it is an item of its own (it ended the list before,
    and was lost in silence: issue 16)."""
    text = LETTER.format(label="Nơi nhận:").replace("- Lưu: VT, KGVX.", "- Lưu: VT, KGVX;\nCP Môi trường đô thị;")
    assert read(text).recipients[-2:] == ("Lưu: VT, KGVX", "CP Môi trường đô thị")


DECISION = """\
BỘ NỘI VỤ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 812/QĐ-BNV Hà Nội, ngày 05 tháng 03 năm 2026

QUYẾT ĐỊNH
SỬA ĐỔI QUYẾT ĐỊNH SỐ 77/QĐ-BNV NGÀY 12/01/2026 CỦA
BỘ TRƯỞNG BỘ NỘI VỤ VỀ QUY CHẾ LƯU TRỮ ĐIỆN TỬ
{decider}
Căn cứ Nghị định số 63/2022/NĐ-CP ngày 12 tháng 9 năm 2022 của Chính phủ;
Theo đề nghị của Cục trưởng Cục Văn thư và Lưu trữ nhà nước,
QUYẾT ĐỊNH:
Điều 1. Sửa đổi Điều 3 Quyết định số 77/QĐ-BNV.
Điều 2. Quyết định này có hiệu lực từ ngày ký./.
Nơi nhận: KT. BỘ TRƯỞNG
- Như Điều 2; THỨ TRƯỞNG
- Lưu: VT, VTLTNN.
Nguyễn Văn Hùng
"""


def test_a_decision_s_subject_printed_in_capitals_up_to_the_decider_s_title() -> None:
    m = read(DECISION.format(decider="BỘ TRƯỞNG BỘ NỘI VỤ"))
    assert m.subject == ("SỬA ĐỔI QUYẾT ĐỊNH SỐ 77/QĐ-BNV NGÀY 12/01/2026 CỦA BỘ TRƯỞNG BỘ NỘI VỤ VỀ QUY CHẾ "
                         "LƯU TRỮ ĐIỆN TỬ")  # the wrapped "BỘ TRƯỞNG ..." line is the subject's, not the title


SUBJECT = "SỬA ĐỔI QUYẾT ĐỊNH SỐ 77/QĐ-BNV NGÀY 12/01/2026 CỦA BỘ TRƯỞNG BỘ NỘI VỤ VỀ QUY CHẾ LƯU TRỮ ĐIỆN TỬ"


def _spaced(text: str, blanks: int) -> str:
    """The head of `text` with `blanks` blank lines after each of its lines, as a page printed
    with double spacing gives it, down to the first line of the body."""
    head, body = text.split("Căn cứ", 1)
    return ("\n" * (blanks + 1)).join(head.rstrip("\n").split("\n")) + "\n" * (blanks + 1) + "Căn cứ" + body


def test_a_subject_in_capitals_printed_double_spaced() -> None:
    assert read(_spaced(DECISION.format(decider="BỘ TRƯỞNG BỘ NỘI VỤ"), 1)).subject == SUBJECT


def test_two_blank_lines_end_a_subject_in_capitals() -> None:
    assert read(_spaced(DECISION.format(decider="BỘ TRƯỞNG BỘ NỘI VỤ"), 2)).subject is None


def test_without_the_decider_s_title_a_subject_in_capitals_is_not_guessed() -> None:
    assert read(DECISION.format(decider="")).subject is None


@pytest.mark.parametrize(("heading", "kind"), [("QUYÉT ĐỊNH", "Quyết định"), ("CHÍ THỊ", "Chỉ thị"),
                                                ("QUYẾT ĐỊNH", "Quyết định")])
def test_a_heading_whose_marks_ocr_changed_is_still_the_type(heading: str, kind: str) -> None:
    """OCR writes "QUYÉT" for "QUYẾT": the heading is read folded (no two type names fold alike), so
    the type is not guessed from the "Về việc" line and the heading does not run into the issuer."""
    text = DECISION.format(decider="BỘ TRƯỞNG BỘ NỘI VỤ").replace("Số: 812/QĐ-BNV", "Số: 812/BNV").replace(
        "QUYẾT ĐỊNH\n", heading + "\n", 1)
    m = read(text)
    assert m.type_name == kind and m.organ_name == "BỘ NỘI VỤ"
