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


# --- a tail of characters typed Vietnamese has not ----------------------------------------------


@pytest.mark.parametrize(("printed", "item"), [
    ("- Lưu: VT, NC ( c).Ẻ⁄\n38ÿ/£k", "Lưu: VT, NC"),  # a seal's strokes read on and under the last item
    ("- Lưu: VT, TH.§¡ 7ø", "Lưu: VT"),
    ("- Sở Y tế. 2„x", "Sở Y tế"),
])
def test_a_tail_of_characters_no_vietnamese_text_has_is_dropped(printed: str, item: str) -> None:
    got = recipients(f"Nơi nhận:\n- Như trên;\n{printed}\n")
    assert got == ("Như trên", item)


@pytest.mark.parametrize("item", [
    "Lưu: VT, NC (5b)",
    "Lưu: VT, KTTH (2b).LHQ12",  # the drafter's initials and the copies, after the office's codes
    "Đ/c Phó Chủ tịch tỉnh (để b/c)",
    "Công ty TNHH Müller Việt Nam",  # a foreign name: letters only, kept whatever its marks
    "Tập đoàn Nestlé",
    "Văn phòng UBND tỉnh (P.KT&HT)",
    "Sở Nội vụ {để thực hiện}",
])
def test_items_with_codes_brackets_and_foreign_names_are_kept(item: str) -> None:
    assert recipients(f"Nơi nhận:\n- Như trên;\n- {item}.\n") == ("Như trên", item)


# --- capitals beside the "Nơi nhận" label --------------------------------------------------------


@pytest.mark.parametrize("beside", ["ai RỦ TƯỚNG", "xy TỔNG GIÁM ĐÓC", "THU TUONG", "BAN THƯỜNG VỤ"])
def test_capitals_beside_the_label_are_the_signing_block(beside: str) -> None:
    """The other column's title, misread or after a stain's letters: no item of the list."""
    got = recipients(f"Nơi nhận: {beside}\n- Như trên;\n- Bộ Tài chính;\n- Lưu: VT, KT.\n")
    assert got == ("Như trên", "Bộ Tài chính", "Lưu: VT, KT")


@pytest.mark.parametrize(("beside", "item"), [
    ("Như trên;", "Như trên"),
    ("Bộ Tài chính;", "Bộ Tài chính"),
    ("UBND tỉnh", "UBND tỉnh"),  # an item in sentence case, its ";" lost
    ("UBND, HĐND tỉnh;", "UBND, HĐND tỉnh"),  # mostly capitals, but closed as an item
    ("- Sở Y tế", "Sở Y tế"),  # dashed
])
def test_items_beside_the_label_are_kept(beside: str, item: str) -> None:
    got = recipients(f"Nơi nhận: {beside}\n- Lưu: VT, KT.\n")
    assert got == (item, "Lưu: VT, KT")


# --- signs after an item's closing qualifier -----------------------------------------------------


@pytest.mark.parametrize(("printed", "item"), [
    ("- Văn phòng Chính phủ (b/c)/ ~ (3y 4;", "Văn phòng Chính phủ (b/c)"),
    ("- Bộ Công an (để phối hợp) ( x 7", "Bộ Công an (để phối hợp)"),
    ("- Sở Nội vụ (5b) | 2", "Sở Nội vụ (5b)"),
])
def test_signs_after_a_closing_qualifier_are_dropped(printed: str, item: str) -> None:
    got = recipients(f"Nơi nhận:\n- Như trên;\n{printed}\n- Lưu: VT, KT.\n")
    assert got == ("Như trên", item, "Lưu: VT, KT")


@pytest.mark.parametrize("item", [
    "Lưu: VT, KTTH (2b).LHQ12",  # the drafter's initials after the copies
    "Lưu: VT, KSTTHC (L-40b).4",  # only a full stop and digits: left as printed
    "Lưu: VT, ĐMDN (2b). Trung Anh",
    "Bộ Công an (C03), 01 bản",
    "Cục Đầu tư nước ngoài (Bộ KH-ĐT) và các đơn vị liên quan",
    "Sở Y tế (để b/c)",
    "Sở Tư pháp (Phòng (VB) QPPL)",  # brackets inside brackets
])
def test_items_after_a_qualifier_with_words_or_digits_are_kept(item: str) -> None:
    assert recipients(f"Nơi nhận:\n- Như trên;\n- {item}.\n") == ("Như trên", item)


# --- signs after an item's colon -----------------------------------------------------------------


@pytest.mark.parametrize(("printed", "item"), [
    ("- Sở Tài chính: ˆ R X ề", "Sở Tài chính"),  # its ";" read as ":", a signature's strokes after it
    ("- Sở Nội vụ: x ˆ 4", "Sở Nội vụ"),
])
def test_signs_after_an_item_s_colon_are_dropped(printed: str, item: str) -> None:
    got = recipients(f"Nơi nhận:\n- Như trên;\n{printed}\n- Lưu: VT, KT.\n")
    assert got == ("Như trên", item, "Lưu: VT, KT")


@pytest.mark.parametrize("item", [
    "Lưu: VT",
    "VPUB: CVP, PCVP (KT)",
    "Các Sở: Tài chính, Nội vụ",
    "Các Bộ: YT, LĐ-TB&XH, TC",
    "Sở Y tế (số lượng: 02)",  # a colon inside brackets
    "Lưu: 02",  # digits only, no sign
    "UBND các phường: 1, 3, 5",  # wards named by their numbers
    "Trường Tiểu học số 2 (cơ sở: 2-4/10)",
])
def test_items_with_a_colon_and_words_or_digits_are_kept(item: str) -> None:
    assert recipients(f"Nơi nhận:\n- Như trên;\n- {item}.\n") == ("Như trên", item)


# --- a round bracket closed by OCR's "}" or "]" --------------------------------------------------


@pytest.mark.parametrize(("printed", "item"), [
    ("- Đ/c Phó Chủ tịch tỉnh (để b/c};", "Đ/c Phó Chủ tịch tỉnh (để b/c)"),
    ("- Lưu: VT, NC (5b].", "Lưu: VT, NC (5b)"),
])
def test_a_round_bracket_closed_by_a_misread_brace_is_closed_round(printed: str, item: str) -> None:
    assert recipients(f"Nơi nhận:\n- Như trên;\n{printed}\n") == ("Như trên", item)


@pytest.mark.parametrize("item", [
    "Sở Tư pháp [để phối hợp]",
    "Sở Nội vụ {để thực hiện}",
    "Viện Chiến lược (Bộ KH&ĐT [2b])",
])
def test_brackets_paired_as_printed_are_kept(item: str) -> None:
    assert recipients(f"Nơi nhận:\n- Như trên;\n- {item}.\n") == ("Như trên", item)


@pytest.mark.parametrize(("beside", "item"), [
    ("BTV, UBKT LĐLĐ", "BTV, UBKT LĐLĐ"),  # initials: no marks, a comma
    ("BCH LĐLĐ TỈNH, CĐCS", "BCH LĐLĐ TỈNH, CĐCS"),
])
def test_initials_beside_the_label_are_items(beside: str, item: str) -> None:
    """A list of initials in capitals, unclosed, is still an item: dropping a recipient would miss
    a unit silently, which is worse than a line the build warns about."""
    assert recipients(f"Nơi nhận: {beside}\n- Lưu: VT, KT.\n") == (item, "Lưu: VT, KT")


# --- signs before an item's first word -----------------------------------------------------------


@pytest.mark.parametrize("printed", ["- ‹ Sở Tài chính;", "- =< Sở Tài chính;", "- §¡ Sở Tài chính;",
                                     "- | Sở Tài chính;", "~ » Sở Tài chính;"])
def test_signs_before_an_item_s_first_word_are_dropped(printed: str) -> None:
    got = recipients(f"Nơi nhận:\n- Như trên;\n{printed}\n- Lưu: VT, KT.\n")
    assert got == ("Như trên", "Sở Tài chính", "Lưu: VT, KT")


@pytest.mark.parametrize("item", [
    "(b) Sở Tài chính",  # an enumeration
    "1. Sở Nội vụ",
    "“Tổ công tác 1080”",
    "x Sở Y tế",  # a letter may be a word or a mark: kept
])
def test_items_opening_with_letters_digits_or_brackets_are_kept(item: str) -> None:
    assert recipients(f"Nơi nhận:\n- Như trên;\n- {item};\n- Lưu: VT.\n") == ("Như trên", item, "Lưu: VT")


def test_signs_before_an_addressee_are_dropped_too() -> None:
    text = BODY.replace("Kính gửi: Sở Tài chính", "Kính gửi:\n- « Sở Tài chính;\n- Sở Nội vụ.")
    m = extract_metadata(PdfText((unicodedata.normalize("NFC", text),)))
    assert m.addressees == ("Sở Tài chính", "Sở Nội vụ")
