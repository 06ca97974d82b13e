"""The Nơi nhận list as real closings print it and OCR reads it (issue 16), through `extract_metadata`:
the label with its first letter misread, and an item's own list under its head, one part a line
without a dash. Letters written for these tests."""

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



def test_an_undashed_line_after_an_item_without_a_head_still_ends_the_list() -> None:
    text = LETTER.format(label="Nơi nhận:").replace("- Lưu: VT, KGVX.", "- Lưu: VT, KGVX;\nCP Môi trường đô thị;")
    assert read(text).recipients[-1] == "Lưu: VT, KGVX"  # the archive line's colon is no head of a list
