"""fields: metadata read from OCR'd text layers (issue 16), through `extract_metadata`.

The letters here are written for these tests, then damaged the way Tesseract damages Vietnamese:
tone marks dropped or changed, words run together, a two-column header and closing read as one
column (the signing block on the lines of "Nơi nhận"), labels misspelt, the handwritten number and
day read as debris, a signature over the printed name. Each test asserts either the right value or
unknown (None): a wrong value would be worse than none.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from pipeline.examine.fields.metadata import extract_metadata
from pipeline.records import Metadata, PdfText

# A công văn as OCR gives a clean scan: the two header columns and the closing columns run together
# on shared lines, one space between them.
CLEAN = """\
ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH MẪU SƠN Độc lập - Tự do - Hạnh phúc
Số: 145/UBND-KT Mẫu Sơn, ngày 09 tháng 02 năm 2026
V/v triển khai kế hoạch chuyển đổi
số năm 2026 tại kỳ họp thứ 12
Kính gửi:
- Sở Tài chính;
- Sở Nội vụ.
Thực hiện Kế hoạch số 12/KH-UBND ngày 05/01/2026 của Ủy ban nhân dân tỉnh, Ủy ban nhân dân
tỉnh đề nghị các sở triển khai kế hoạch chuyển đổi số năm 2026 đúng thời hạn./.
Nơi nhận: KT. CHỦ TỊCH
- Như trên; PHÓ CHỦ TỊCH
- CT, PCT UBND tỉnh;
- Lưu: VT, KT.
Trần Văn Bình
"""


def read(text: str) -> Metadata:
    return extract_metadata(PdfText((unicodedata.normalize("NFC", text),)))


def test_clean_ocr_letter_reads_every_field() -> None:
    m = read(CLEAN)
    assert m.number == "145/UBND-KT"
    assert m.issued_date == dt.date(2026, 2, 9)
    assert m.place == "Mẫu Sơn"
    assert m.organ_name == "ỦY BAN NHÂN DÂN TỈNH MẪU SƠN"
    assert m.subject == "triển khai kế hoạch chuyển đổi số năm 2026 tại kỳ họp thứ 12"
    assert m.addressees == ("Sở Tài chính", "Sở Nội vụ")
    assert m.recipients == ("Như trên", "CT, PCT UBND tỉnh", "Lưu: VT, KT")
    assert (m.signer.authority, m.signer.position, m.signer.full_name) == ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH",
                                                                            "Trần Văn Bình")


def _strip_marks(s: str) -> str:
    """Every mark OCR can lose: tone marks and the letters' own (â, ơ, đ...)."""
    decomposed = unicodedata.normalize("NFD", s).replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def _swap_tone(s: str, old: str, new: str) -> str:
    return unicodedata.normalize("NFC", s).replace(old, new)


@pytest.mark.parametrize("damaged", [
    CLEAN.replace("TỈNH MẪU SƠN Độc", _strip_marks("TỈNH MẪU SƠN") + " Độc"),  # every mark lost
    CLEAN.replace("ỦY BAN NHÂN DÂN CỘNG", "ỦY BANNHÂNDÂN CỘNG").replace("TỈNH MẪU", "TĨNH MẪU"),
    CLEAN.replace("ỦY BAN NHÂN DÂN CỘNG", "UY BAN NHAN DAN CỘNG").replace("TỈNH MẪU", "TINH MẪU"),
])
def test_issuer_with_lost_or_changed_marks(damaged: str) -> None:
    """The words of a body's kind are respelled, the province from the date line's place."""
    assert read(damaged).organ_name == "ỦY BAN NHÂN DÂN TỈNH MẪU SƠN"


def test_issuer_of_another_place_is_not_respelled_from_the_date_line() -> None:
    """Only a tail with every mark lost, equal to the place once folded, takes the place's spelling."""
    text = CLEAN.replace("TỈNH MẪU SƠN Độc", "TỈNH MẪU SON Độc")
    assert read(text).organ_name == "ỦY BAN NHÂN DÂN TỈNH MẪU SON"


@pytest.mark.parametrize(("authority", "title", "expected"), [
    ("KT. CHU TỊCH", "PHO CHU TICH", ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")),
    ("TL. CHỦ TICH", "CHANH VĂN PHONG", ("TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG")),
    ("KT. TONG CỤC TRƯỞNG", "PHO TONG CUC TRUONG", ("KT. TỔNG CỤC TRƯỞNG", "PHÓ TỔNG CỤC TRƯỞNG")),
])
def test_signing_block_titles_with_broken_marks(authority: str, title: str, expected: tuple[str, str]) -> None:
    text = CLEAN.replace("KT. CHỦ TỊCH", authority).replace("PHÓ CHỦ TỊCH", title)
    m = read(text)
    assert (m.signer.authority, m.signer.position) == expected
    assert m.recipients == ("Như trên", "CT, PCT UBND tỉnh", "Lưu: VT, KT")


def test_interleaved_closing_with_a_dash_before_the_title() -> None:
    """The issue's shape: "Noi nhận: KT. TONG CỤC TRƯỞNG" / "- Như trên; — PHO TONG CUC TRUONG"."""
    text = CLEAN.replace("Nơi nhận: KT. CHỦ TỊCH", "Noi nhận: KT. TONG CỤC TRƯỞNG").replace(
        "- Như trên; PHÓ CHỦ TỊCH", "- Như trên; — PHO TONG CUC TRUONG")
    m = read(text)
    assert m.recipients == ("Như trên", "CT, PCT UBND tỉnh", "Lưu: VT, KT")
    assert (m.signer.authority, m.signer.position) == ("KT. TỔNG CỤC TRƯỞNG", "PHÓ TỔNG CỤC TRƯỞNG")
    assert m.signer.full_name == "Trần Văn Bình"


@pytest.mark.parametrize("debris", ["Zf Văn Bình", "Prần Văn Bình", "Trần Văn Bìnhđ", "Xếđuyên Văn Bình"])
def test_signature_over_the_name_leaves_it_unknown(debris: str) -> None:
    """Letters no Vietnamese word has ("Zf", "Pr..."): the name is unknown, never printed wrong."""
    m = read(CLEAN.replace("Trần Văn Bình", debris))
    assert m.signer.full_name is None
    assert m.signer.position == "PHÓ CHỦ TỊCH"


@pytest.mark.parametrize("name", ["Trần Văn Bình", "Nguyễn Thị Quỳnh Giao", "Nghiêm Xuân Khuyến", "Đặng Ngọc Ưng",
                                  "Ksor Phước Hà"])
def test_vietnamese_names_are_kept(name: str) -> None:
    assert read(CLEAN.replace("Trần Văn Bình", name)).signer.full_name == name


def test_issue_example_number_and_date_on_one_line() -> None:
    """"số: 4222 /TCT -PC Hà Nội. ngày 09 tháng 11 năm 2023": a lowercase label, spaces around the
    separators, "." for the comma of the date line."""
    text = CLEAN.replace("Số: 145/UBND-KT Mẫu Sơn, ngày 09 tháng 02 năm 2026",
                         "số: 4222 /UBND -KT Mẫu Sơn. ngày 19 tháng 11 năm 2026")
    m = read(text)
    assert m.number == "4222/UBND-KT"
    assert (m.place, m.issued_date) == ("Mẫu Sơn", dt.date(2026, 11, 19))


def test_ministry_name_with_a_changed_mark() -> None:
    """"TỎNG CỤC THUÊ": a national body's name respelled, its marks changed by OCR."""
    text = CLEAN.replace("ỦY BAN NHÂN DÂN CỘNG", "TỎNG CỤC THUÊ CỘNG").replace(
        "TỈNH MẪU SƠN Độc", "CỤC THUÊ TỈNH MẪU SƠN Độc")
    m = read(text)
    assert (m.parent_organ, m.organ_name) == ("TỔNG CỤC THUẾ", "CỤC THUẾ TỈNH MẪU SƠN")


# --- the number and day a clerk writes by hand after signing -------------------------------------

NUMBER_LINE = "Số: 145/UBND-KT Mẫu Sơn, ngày 09 tháng 02 năm 2026"


@pytest.mark.parametrize("debris", ["ngày0P tháng", "ngày@© tháng", "ngày{Š tháng", "ngày t0 tháng"])
def test_unread_day_leaves_a_filled_in_number_unknown(debris: str) -> None:
    """Digits written into the blank ("145 /UBND") beside a day OCR could not read: the number is
    unknown (its notation, printed with the form, is kept), the date too, the place is read."""
    m = read(CLEAN.replace(NUMBER_LINE, f"Số: 145 /UBND-KT Mẫu Sơn, {debris} 02 năm 2026"))
    assert (m.number, m.code_number, m.code_notation) == (None, None, "UBND-KT")
    assert (m.place, m.issued_date) == ("Mẫu Sơn", None)


def test_typed_number_beside_an_unread_day_is_kept() -> None:
    m = read(CLEAN.replace(NUMBER_LINE, "Số: 145/UBND-KT Mẫu Sơn, ngày0P tháng 02 năm 2026"))
    assert m.number == "145/UBND-KT"
    assert m.issued_date is None


def test_filled_in_number_beside_a_read_day_is_kept() -> None:
    m = read(CLEAN.replace(NUMBER_LINE, "Số: 145 /UBND-KT Mẫu Sơn, ngày 19 tháng 02 năm 2026"))
    assert (m.number, m.issued_date) == ("145/UBND-KT", dt.date(2026, 2, 19))


def test_one_digit_day_beside_a_zero_padded_month_is_unknown() -> None:
    """Nghị định 30 writes "ngày 03 tháng 01": "ngày 3 tháng 01" lost a digit of the day."""
    m = read(CLEAN.replace(NUMBER_LINE, "Số: 145 /UBND-KT Mẫu Sơn, ngày 3 tháng 01 năm 2026"))
    assert (m.number, m.issued_date, m.place) == (None, None, "Mẫu Sơn")


def test_one_digit_day_of_a_letter_that_pads_nothing_is_read() -> None:
    m = read(CLEAN.replace(NUMBER_LINE, "Số: 145 /UBND-KT Mẫu Sơn, ngày 3 tháng 4 năm 2026"))
    assert (m.number, m.issued_date) == ("145/UBND-KT", dt.date(2026, 4, 3))


# --- subject, addressees and recipients -----------------------------------------------------------


def test_subject_digits_read_as_letters_and_a_lone_bracket() -> None:
    text = CLEAN.replace("tại kỳ họp thứ 12", "tại kỳ họp thứ l2 ) năm 2O26")
    assert read(text).subject == "triển khai kế hoạch chuyển đổi số năm 2026 tại kỳ họp thứ 12 năm 2026"


def test_subject_keeps_words_made_of_those_letters() -> None:
    text = CLEAN.replace("tại kỳ họp thứ 12", "tại kỳ họp thứ 12 (lần II)")
    assert read(text).subject == "triển khai kế hoạch chuyển đổi số năm 2026 tại kỳ họp thứ 12 (lần II)"


NOTICE = """\
ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH MẪU SƠN Độc lập - Tự do - Hạnh phúc
Số: 61/TB-UBND Mẫu Sơn, ngày 20 tháng 3 năm 2026
THÔNG BÁO
Kết luận của Chủ tịch Ủy ban nhân dân tỉnh tại buổi làm việc
với Ban Chỉ đạo chuyển đổi số tỉnh
{opener}, Ban Chỉ đạo chuyển đổi số tỉnh đã kịp thời triển khai các nhiệm vụ được giao,
ban hành quy chế hoạt động và kế hoạch thực hiện; đến nay các xã đã hoàn thành.
Chủ tịch Ủy ban nhân dân tỉnh yêu cầu các sở, ngành tiếp tục thực hiện.
Nơi nhận: TL. CHỦ TỊCH
- CT, PCT UBND tỉnh; CHÁNH VĂN PHÒNG
- Lưu: VT, KGVX.
Lê Thị Hoa
"""


@pytest.mark.parametrize("opener", ["Thời gian qua", "Trong thời gian qua", "Vừa qua", "Hiện nay"])
def test_heading_subject_ends_where_the_body_opens_without_a_blank_line(opener: str) -> None:
    m = read(NOTICE.format(opener=opener))
    assert m.subject == ("Kết luận của Chủ tịch Ủy ban nhân dân tỉnh tại buổi làm việc với Ban Chỉ đạo "
                         "chuyển đổi số tỉnh")
    assert (m.signer.authority, m.signer.position, m.signer.full_name) == ("TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG",
                                                                            "Lê Thị Hoa")


def test_known_names_with_broken_marks_in_the_lists() -> None:
    """"Công TTĐT" is the e-portal "Cổng TTĐT"; a department every province has is respelled; a
    "~" that OCR read for a dash still opens an item. Each letter keeps its printed case."""
    text = (CLEAN.replace("- Sở Tài chính;", "- Sở Nông nghiệp và Phát triên nông thôn;")
            .replace("- CT, PCT UBND tỉnh;", "- Công TTĐT tỉnh;\n- cổng thông tỉn điện tử tỉnh;")
            .replace("- Lưu: VT, KT.", "~ Lưu: VT, KT."))
    m = read(text)
    assert m.addressees == ("Sở Nông nghiệp và Phát triển nông thôn", "Sở Nội vụ")
    assert m.recipients == ("Như trên", "Cổng TTĐT tỉnh", "cổng thông tin điện tử tỉnh", "Lưu: VT, KT")


def test_words_that_only_look_like_a_known_name_are_left_alone() -> None:
    text = CLEAN.replace("- CT, PCT UBND tỉnh;", "- Công ty TNHH Thông tin Mẫu Sơn;")
    assert read(text).recipients == ("Như trên", "Công ty TNHH Thông tin Mẫu Sơn", "Lưu: VT, KT")


def test_no_day_beside_a_printed_month_leaves_a_filled_in_number_unknown() -> None:
    m = read(CLEAN.replace(NUMBER_LINE, "Số: 145  /UBND-KT Mẫu Sơn, ngày tháng 01 năm 2026"))
    assert (m.number, m.issued_date, m.place) == (None, None, "Mẫu Sơn")


def test_blank_day_and_month_keep_a_typed_number() -> None:
    m = read(CLEAN.replace(NUMBER_LINE, "Số: 145/UBND-KT Mẫu Sơn, ngày      tháng      năm 2026"))
    assert (m.number, m.issued_date) == ("145/UBND-KT", None)


def test_title_run_on_after_a_long_item_keeps_the_name_under_it() -> None:
    """Plain text runs the title onto a long Nơi nhận item: where it starts on that line is no
    column of the page, so the name at the start of the next line is still the signer's."""
    text = CLEAN.replace("Nơi nhận: KT. CHỦ TỊCH\n- Như trên; PHÓ CHỦ TỊCH\n",
                         "Nơi nhận:\n- Như trên;\n- Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh; CHỦ TỊCH\n")
    m = read(text)
    assert (m.signer.position, m.signer.full_name) == ("CHỦ TỊCH", "Trần Văn Bình")
    assert m.recipients == ("Như trên", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "CT, PCT UBND tỉnh",
                            "Lưu: VT, KT")


# --- labels, digits and marks of the number and date lines --------------------------------------


@pytest.mark.parametrize(("line", "number", "date"), [
    ("Số: 1O5/UBND-KT Mẫu Sơn, ngày O9 tháng O2 năm 2O26", "105/UBND-KT", dt.date(2026, 2, 9)),
    ("Số: 145/UBND-KT Mẫu Sơn, ngay 09 thang 02 nam 2026", "145/UBND-KT", dt.date(2026, 2, 9)),
    ("Số: 145 / UBND - KT Mẫu Sơn, ngày 19 tháng 02 năm 2026", "145/UBND-KT", dt.date(2026, 2, 19)),
    ("Sô: 145/UBND-KT Mẫu Sơn. ngày 09 tháng 02 năm 2026", "145/UBND-KT", dt.date(2026, 2, 9)),
])
def test_number_and_date_lines_as_ocr_gives_them(line: str, number: str, date: dt.date) -> None:
    m = read(CLEAN.replace(NUMBER_LINE, line))
    assert (m.number, m.issued_date, m.place) == (number, date, "Mẫu Sơn")


@pytest.mark.parametrize("line", ["Số: l45/UBND-KT Mẫu Sơn, ngày 09 tháng 02 năm 2026",
                                  "Số: I45/UBND-KT Mẫu Sơn, ngày 09 tháng 02 năm 2026"])
def test_a_letter_before_the_digits_leaves_the_number_unknown(line: str) -> None:
    """"l45" may be 145, or 45 beside a table rule: the number is unknown, never guessed."""
    m = read(CLEAN.replace(NUMBER_LINE, line))
    assert m.number is None
    assert m.issued_date == dt.date(2026, 2, 9)


@pytest.mark.parametrize("prefix", ["VIv", "V|v", "Vlv"])
def test_subject_prefix_with_its_slash_misread(prefix: str) -> None:
    m = read(CLEAN.replace("V/v triển", f"{prefix} triển"))
    assert m.subject == "triển khai kế hoạch chuyển đổi số năm 2026 tại kỳ họp thứ 12"


def test_issuer_naming_the_first_word_of_the_place() -> None:
    """"LIÊN ĐOÀN LAO ĐỘNG TỈNH MAU" beside "Mẫu Sơn, ngày ...": the province is the place's first word."""
    text = (CLEAN.replace("ỦY BAN NHÂN DÂN CỘNG", "LIÊN ĐOÀN LAO ĐỌNG CỘNG")
            .replace("TỈNH MẪU SƠN Độc", "TĨNH MAU Độc"))
    assert read(text).organ_name == "LIÊN ĐOÀN LAO ĐỘNG TỈNH MẪU"


def test_words_after_no_kind_of_locality_are_not_respelled() -> None:
    text = CLEAN.replace("TỈNH MẪU SƠN Độc", "VÙNG MAU SON Độc")
    assert read(text).organ_name == "ỦY BAN NHÂN DÂN VÙNG MAU SON"


PARTY = """\
ĐẢNG CỘNG SẢN VIỆT NAM
Mẫu Sơn, ngày 16 tháng 10 năm 2026
TỈNH UY MẪU SƠN *
Sô 148-CV/TU
V/v triển khai tiếp nhận văn bản điện tử
Kính gửi:
- Các huyện úy, thành ủy;
- Các đảng uy trực thuộc Tính ủy.
Thực hiện chương trình công tác năm 2026, Ban Thường vụ Tỉnh ủy đề nghị các cấp ủy triển khai.
Nơi nhận: T/M BAN THƯỜNG VỤ
- Như trên, PHÓ BÍ THƯ
- Lưu VPTU.
Hoàng Văn Dũng
"""


def test_party_letter_with_its_label_and_committees_misspelt() -> None:
    """"Sô 148-CV/TU" (a Party number has no colon), "TỈNH UY", "huyện úy", "Tính ủy"."""
    m = read(PARTY)
    assert (m.number, m.organ_name, m.system) == ("148-CV/TU", "TỈNH ỦY MẪU SƠN", "party")
    assert m.addressees == ("Các huyện ủy, thành ủy", "Các đảng uy trực thuộc Tỉnh ủy")
    assert (m.signer.position, m.signer.full_name) == ("PHÓ BÍ THƯ", "Hoàng Văn Dũng")


def test_misspelt_label_run_on_after_the_issuer() -> None:
    text = CLEAN.replace("TỈNH MẪU SƠN Độc lập - Tự do - Hạnh phúc\nSố: 145/UBND-KT",
                         "SƠ NỘI VỤ Độc lập - Tự do - Hạnh phúc\nTỈNH MẪU SƠN Sộ: 145/UBND-KT")
    m = read(text)
    assert m.number == "145/UBND-KT"
    assert (m.parent_organ, m.organ_name) == ("ỦY BAN NHÂN DÂN", "SỞ NỘI VỤ TỈNH MẪU SƠN")


def test_body_line_starting_with_a_citation_is_no_number() -> None:
    """A lowercase "số" without colon starts a wrapped body line, not the number line."""
    text = CLEAN.replace(NUMBER_LINE, "Mẫu Sơn, ngày 09 tháng 02 năm 2026").replace(
        "Thực hiện Kế hoạch số 12/KH-UBND", "Thực hiện Kế hoạch\nsố 12/KH-UBND")
    assert read(text).number is None


@pytest.mark.parametrize("notation", ["UBND-KÐT", "UBNDÐ-KT", "UBND-KTß"])
def test_notation_with_a_letter_no_notation_has_leaves_the_number_unknown(notation: str) -> None:
    """OCR's "Ð" (Icelandic eth) among the "Đ"s: the number is unknown, not a wrong one."""
    m = read(CLEAN.replace("Số: 145/UBND-KT", f"Số: 145/{notation}"))
    assert (m.number, m.code_number, m.code_notation) == (None, None, None)
    assert m.organ_name == "ỦY BAN NHÂN DÂN TỈNH MẪU SƠN"


@pytest.mark.parametrize(("authority", "title"), [("TL. THỦ TRƯỞNG", "CHÁNH VĂN PHÒNG"),
                                                  ("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG")])
def test_titles_that_fold_alike_are_kept_as_printed(authority: str, title: str) -> None:
    """"THỦ TRƯỞNG" and "THỨ TRƯỞNG" fold alike: neither is respelled into the other."""
    m = read(CLEAN.replace("KT. CHỦ TỊCH", authority).replace("PHÓ CHỦ TỊCH", title))
    assert (m.signer.authority, m.signer.position) == (authority, title)


def test_list_words_that_fold_like_a_committee_are_kept() -> None:
    text = CLEAN.replace("- CT, PCT UBND tỉnh;", "- Quân ủy Trung ương;\n- Cơ sở y tế đang ủy quyền;")
    assert read(text).recipients == ("Như trên", "Quân ủy Trung ương", "Cơ sở y tế đang ủy quyền", "Lưu: VT, KT")


@pytest.mark.parametrize("debris", ["''- ", "» - "])
def test_debris_and_a_dash_before_a_heading_subject(debris: str) -> None:
    m = read(NOTICE.format(opener="Thời gian qua").replace("Kết luận của", f"{debris}Kết luận của"))
    assert m.subject == ("Kết luận của Chủ tịch Ủy ban nhân dân tỉnh tại buổi làm việc với Ban Chỉ đạo "
                         "chuyển đổi số tỉnh")


def test_a_subject_in_quotes_keeps_them() -> None:
    m = read(CLEAN.replace("V/v triển khai kế hoạch chuyển đổi", "V/v “Ngày chuyển đổi số” - triển khai kế hoạch"))
    assert m.subject is not None and m.subject.startswith("“Ngày chuyển đổi số” - triển khai")


@pytest.mark.parametrize("prefix", ["V/w", "Vềviệc", "Về việc"])
def test_subject_prefix_as_ocr_runs_or_misreads_it(prefix: str) -> None:
    m = read(CLEAN.replace("V/v triển", f"{prefix} triển"))
    assert m.subject == "triển khai kế hoạch chuyển đổi số năm 2026 tại kỳ họp thứ 12"


# The closing of a scan whose OCR lost the signing block's authority and title (under the stamp and
# the signature) and kept only the printed name: where the name is found, and when it is not taken.
_BODY_END = CLEAN.split("Nơi nhận:")[0]


@pytest.mark.parametrize("closing", [
    "Nơi nhận:\n- Như trên;\n- CT, PCT UBND tỉnh;\n- Lưu: VT, KT.\nTrần Ngọc Căng\n",  # its own line
    "Nơi nhận:\n- Như trên;\n- CT, PCT UBND tỉnh; Trần Ngọc Căng\n- Lưu: VT, KT.\n",  # after an item
    "Nơi nhận:\n- Như trên;\n- CT, PCT UBND tỉnh;\n- Lưu: VT, KT.bngoc106\n“Trần Ngọc Căng\n",  # a quote
    "Nơi nhận:\n- Như trên;\n- CT, PCT UBND tỉnh;\n- Lưu: VT, KT.th54 Trần Ngọc Căng\n",  # run into Lưu
])
def test_a_name_left_alone_by_a_lost_signing_block_is_the_signer_s(closing: str) -> None:
    m = read(_BODY_END + closing)
    assert (m.signer.authority, m.signer.position, m.signer.full_name) == (None, None, "Trần Ngọc Căng")
    assert m.recipients[:2] == ("Như trên", "CT, PCT UBND tỉnh")
    assert m.recipients[2] in ("Lưu: VT, KT", "Lưu: VT, KT.bngoc106", "Lưu: VT, KT.th54")


@pytest.mark.parametrize("closing", [
    "Nơi nhận:\n- Như trên;\n- Lưu: VT, KT.\nTrân Ngọc Căng\n",  # the family name misread: no name
    "Nơi nhận:\n- Như trên;\n- Lưu: VT, KT.\nNgọc Căng Trần\n",  # no family name first
    "Nơi nhận:\n- Như trên; Trần Ngọc Căng\n- Lưu: VT, KT.\nLê Văn Tám\n",  # two names: whose?
    "- Như trên;\n- Lưu: VT, KT.\nTrần Ngọc Căng\n",  # no Nơi nhận label
])
def test_a_lone_name_that_may_not_be_the_signer_s_is_unknown(closing: str) -> None:
    assert read(_BODY_END + closing).signer.full_name is None


def test_a_date_line_with_a_handwritten_day_and_month_keeps_its_place() -> None:
    """"Quảng Ngãi, ngày 2# thángØŸ năm 2021": the place is printed, the day and month were written by
    hand and read as debris; the date is unknown, and so is the number filled in beside it."""
    m = read(CLEAN.replace("Số: 145/UBND-KT Mẫu Sơn, ngày 09 tháng 02 năm 2026",
                           "Số: 2ƒ /UBND-KT Mẫu Sơn, ngày 2# thángØŸ năm 2026"))
    assert (m.place, m.issued_date, m.number) == ("Mẫu Sơn", None, None)


@pytest.mark.parametrize(("line", "item"), [
    ("- Như trên, -- ` : =<", "Như trên"),
    ("- Như trên; -", "Như trên"),
    ("- Như trên. = ` «ố", "Như trên"),
    ("- Như trên (b/c); ~", "Như trên (b/c)"),
])
def test_ocr_debris_after_an_item_is_dropped(line: str, item: str) -> None:
    m = read(CLEAN.replace("- Như trên; PHÓ CHỦ TỊCH", line + " PHÓ CHỦ TỊCH"))
    assert m.recipients[0] == item


@pytest.mark.parametrize("debris", ["x", "‹%à", "»"])
def test_the_signing_block_on_the_label_line_after_debris_is_no_item(debris: str) -> None:
    m = read(CLEAN.replace("Nơi nhận: KT. CHỦ TỊCH", f"Nơi nhận: {debris} KT. CHỦ TỊCH"))
    assert m.recipients == ("Như trên", "CT, PCT UBND tỉnh", "Lưu: VT, KT")


@pytest.mark.parametrize("label", ["Nơi nhận: :", "Nơi nhận: | :", "Nơi nhận:;"])
def test_a_colon_or_bar_repeated_after_the_recipients_label(label: str) -> None:
    """OCR's "Nơi nhận: : TL.CHỦ TỊCH": the stray marks belong to the label, not to the authority."""
    text = CLEAN.replace("Nơi nhận: KT. CHỦ TỊCH", f"{label} TL.CHỦ TỊCH").replace(
        "- Như trên; PHÓ CHỦ TỊCH", "- Như trên; CHÁNH VĂN PHÒNG")
    m = read(text)
    assert (m.signer.authority, m.signer.position) == ("TL.CHỦ TỊCH", "CHÁNH VĂN PHÒNG")
    assert m.recipients == ("Như trên", "CT, PCT UBND tỉnh", "Lưu: VT, KT")
