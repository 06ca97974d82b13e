"""fields: "Nơi nhận" items of an OCR'd closing, without what the signing block and stains leave.

The letters are written for these tests, in the shapes a scan's OCR gives when the two columns of
the closing run together on shared lines. Each rule has its negative cases: legitimate items that
must come out as they are printed.
"""

from __future__ import annotations

import unicodedata

import pytest

from pipeline.examine.fields.metadata import extract_metadata
from pipeline.records import Metadata, PdfText

BODY = """\
ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH MẪU SƠN Độc lập - Tự do - Hạnh phúc
Số: 31/UBND-KT Mẫu Sơn, ngày 09 tháng 02 năm 2026
V/v báo cáo kết quả chuyển đổi số năm 2025
Kính gửi: Sở Tài chính
Ủy ban nhân dân tỉnh đề nghị Sở Tài chính tổng hợp, báo cáo trước ngày 20/02/2026./.
"""


def recipients(closing: str) -> tuple[str, ...]:
    text = unicodedata.normalize("NFC", BODY + closing)
    return extract_metadata(PdfText((text,))).recipients


def read(closing: str) -> Metadata:
    return extract_metadata(PdfText((unicodedata.normalize("NFC", BODY + closing),)))


# --- an authority run into an item after a dash -----------------------------------------------


@pytest.mark.parametrize("dash", ["-", "–", "~"])
def test_authority_after_an_item_and_a_dash_is_the_signing_block(dash: str) -> None:
    m = read("Nơi nhận: TL. CHỦ TỊCH\n"
             f"- Như trên; {dash} KT. CHÁNH VĂN PHÒNG\n"
             "- Sở Nội vụ; PHÓ CHÁNH VĂN PHÒNG\n"
             "- Lưu: VT, KT.\n"
             "Trần Văn Bình\n")
    assert m.recipients == ("Như trên", "Sở Nội vụ", "Lưu: VT, KT")
    assert m.signer.authority == "TL. CHỦ TỊCH KT. CHÁNH VĂN PHÒNG"


@pytest.mark.parametrize("line", [
    "- Như trên; - KT, TH;",  # an office's codes, not an authority: no dot and no title after "KT"
    "- Như trên; - KTTH;",
    "- Như trên; - TL, NC;",
])
def test_office_codes_after_a_dash_stay_items(line: str) -> None:
    got = recipients(f"Nơi nhận:\n{line}\n- Lưu: VT, KT.\n")
    assert got[0] == line.removeprefix("- ").removesuffix(";")
