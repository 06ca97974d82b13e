"""What OCR makes of a seal or a stamp beside the fields of a scan (issue 16).

Written for the test, in the shapes OCR gives: the signer's title on the "Nơi nhận" label's line
after marks a red seal left ("Nơi nhận: ‹%à CHỦ TỊCH"), a printed name whose first letter OCR gave a
mark no Vietnamese consonant has ("Ñguyễn"), and a line of debris under a wrapped subject.
"""

from __future__ import annotations

import unicodedata

import pytest

from pipeline.examine.fields.metadata import extract_metadata
from pipeline.records import Metadata, PdfText

CLOSING = """\
ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH MẪU SƠN Độc lập - Tự do - Hạnh phúc
Số: 12/CT-UBND Mẫu Sơn, ngày 09 tháng 02 năm 2026
CHỈ THỊ
Về tăng cường công tác phòng, chống thiên tai năm 2026
Mùa mưa bão năm 2026 được dự báo diễn biến phức tạp; Chủ tịch UBND tỉnh yêu cầu các sở, ngành
triển khai ngay các biện pháp phòng, chống thiên tai./.
Nơi nhận: ‹%à CHỦ TỊCH
- Văn phòng Chính phủ (b/c);
- Các Sở, ban, ngành tỉnh;
- Lưu: VT, KTN.
Trần Văn Bình
"""


def read(text: str) -> Metadata:
    return extract_metadata(PdfText((unicodedata.normalize("NFC", text),)))


@pytest.mark.parametrize("title", ["CHỦ TỊCH", "PHÓ CHỦ TỊCH", "GIÁM ĐỐC"])
def test_a_title_beside_the_label_after_stamp_debris(title: str) -> None:
    m = read(CLOSING.replace("CHỦ TỊCH\n- Văn", f"{title}\n- Văn"))
    assert m.signer.position == title
    assert m.signer.full_name == "Trần Văn Bình"
    assert m.recipients == ("Văn phòng Chính phủ (b/c)", "Các Sở, ban, ngành tỉnh", "Lưu: VT, KTN")


@pytest.mark.parametrize("debris", ["ZZE=ak", "x~", "%"])
def test_an_authority_run_into_stamp_debris_beside_the_label(debris: str) -> None:
    """"Nơi nhận: ZZE=akKT. CHỦ TỊCH": no space between the seal's debris and the authority."""
    m = read(CLOSING.replace("‹%à CHỦ TỊCH", f"{debris}KT. CHỦ TỊCH").replace("CHỦ TỊCH\n- Văn", "CHỦ TỊCH\n"
                                                                               "PHÓ CHỦ TỊCH\n- Văn"))
    assert (m.signer.authority, m.signer.position) == ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    assert m.recipients == ("Văn phòng Chính phủ (b/c)", "Các Sở, ban, ngành tỉnh", "Lưu: VT, KTN")


def test_an_office_code_run_into_capitals_is_no_authority() -> None:
    """"Lưu: VT, KT." ends a list item; a word in capitals before "KT." is no debris."""
    m = read(CLOSING.replace("‹%à CHỦ TỊCH", "VPKT. CHỦ TỊCH"))
    assert m.signer.authority is None


@pytest.mark.parametrize("before", ["Bộ Tài chính", "Số 12"])
def test_words_or_digits_before_capitals_on_the_label_s_line_are_no_debris(before: str) -> None:
    """Only marks with no word in them are a stamp's debris: words are a recipient, digits a number."""
    assert read(CLOSING.replace("‹%à CHỦ TỊCH", f"{before} CHỦ TỊCH")).signer.position is None


@pytest.mark.parametrize("debris", ["Ñguyễn Văn Bình", "Trần Văn Bìnç"])
def test_a_mark_on_a_consonant_is_no_vietnamese_name(debris: str) -> None:
    """Vietnamese marks vowels only (and has "đ"): the name is unknown, never printed wrong."""
    m = read(CLOSING.replace("Trần Văn Bình", debris))
    assert m.signer.full_name is None and m.signer.position == "CHỦ TỊCH"


def test_vietnamese_names_with_every_kind_of_mark_are_kept() -> None:
    for name in ("Nguyễn Thị Quỳnh Giao", "Đặng Ngọc Ưng", "Trương Thị Hằng", "Lê Ơn"):
        assert read(CLOSING.replace("Trần Văn Bình", name)).signer.full_name == name


LETTER = """\
ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH MẪU SƠN Độc lập - Tự do - Hạnh phúc
Số: 145/UBND-KT Mẫu Sơn, ngày 09 tháng 02 năm 2026
V/v triển khai kế hoạch chuyển đổi số,
đơn giản hóa TTHC, ĐKKD
{third}
| “ c= = - Sở Tài chính, Sở Nội vụ.
Thực hiện Kế hoạch số 12/KH-UBND ngày 05/01/2026 của Ủy ban nhân dân tỉnh, Ủy ban nhân dân
tỉnh đề nghị các sở triển khai kế hoạch đúng thời hạn./.
Nơi nhận:
- Như trên;
- Lưu: VT, KT.
"""


@pytest.mark.parametrize("debris", ['ötorữhaTmpÐriolndÐ[" BÙI:', "Ñ 7 ¡ørw@Ðxx ẞqq"])
def test_a_stamp_s_debris_under_the_subject_ends_it(debris: str) -> None:
    """A line of letters in no Vietnamese word (a seal or a stamp beside the subject) is no part of it."""
    subject = read(LETTER.format(third=debris)).subject
    assert subject == "triển khai kế hoạch chuyển đổi số, đơn giản hóa TTHC, ĐKKD"


def test_a_subject_line_of_words_and_abbreviations_goes_on() -> None:
    text = LETTER.format(third="đối với CĐCS Khánh Hòa và LĐLĐ huyện Mỹ Lộc").replace("| “ c= = - ", "Kính gửi: ")
    assert read(text).subject == ("triển khai kế hoạch chuyển đổi số, đơn giản hóa TTHC, ĐKKD đối với CĐCS Khánh "
                                  "Hòa và LĐLĐ huyện Mỹ Lộc")


@pytest.mark.parametrize("line", ["trên Zalo, Facebook và YouTube", "qua Internet, email và website",
                                  "[bấm](javascript:alert(1)) *sao* {{ 7*7 }} </title>"])
def test_a_subject_line_naming_foreign_words_goes_on(line: str) -> None:
    """Plainly written foreign words (a subject may name them, or hold text a hostile PDF put there) are
    no seal's debris: the subject keeps them."""
    text = LETTER.format(third=line).replace("| “ c= = - ", "Kính gửi: ")
    assert read(text).subject == f"triển khai kế hoạch chuyển đổi số, đơn giản hóa TTHC, ĐKKD {line}"


def test_a_signature_stamp_over_the_head_is_not_the_issuer() -> None:
    """A digital signature's stamp printed over the head ("Người ký: ...", "Cơ quan: ...") says who
    signed the file; the issuer is the body under it."""
    stamp = ("£ Người ký: CỔNG THÔNG TIN ĐIỆN TỬ TỈNH MẪU SƠN\nÑ 7 Cơ quan: VĂN PHÒNG UBND TỈNH MẪU SƠN\n"
             "Thời gian ký: 10.02.2026 09:44:21 +07:00\n")
    letter = LETTER.format(third="đối với CĐCS Khánh Hòa").replace("ỦY BAN NHÂN DÂN CỘNG", "THỦ TƯỚNG CHÍNH PHỦ CỘNG")
    letter = letter.replace("TỈNH MẪU SƠN Độc", "Độc")  # a name no body's kind opens: it would join the stamp's
    assert read(stamp + letter).organ_name == "THỦ TƯỚNG CHÍNH PHỦ"


DECISION = """\
ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH MẪU SƠN Độc lập - Tự do - Hạnh phúc
Số: 8Š /QĐ-UBND Mẫu Sơn, ngày 0ð tháng 02 năm 2026
{heading}
Về việc giao đất cho Ban Quản lý dự án huyện Cao Lộc
ỦY BAN NHÂN DÂN TỈNH MẪU SƠN
Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015;
Điều 1. Giao đất cho Ban Quản lý dự án huyện Cao Lộc./.
"""


@pytest.mark.parametrize("heading", [": : QUYÉT ĐỊNH Ộ", "QUYẾT ĐỊNH", "Q U Y Ế T  Đ Ị N H"])
def test_a_heading_with_a_stain_s_letter_beside_it(heading: str) -> None:
    m = read(DECISION.format(heading=heading))
    assert m.type_name == "Quyết định"
    assert m.subject == "giao đất cho Ban Quản lý dự án huyện Cao Lộc"


@pytest.mark.parametrize(("item", "read_as"), [
    ("Thuế tính Ninh Bình", "Thuế tỉnh Ninh Bình"),  # OCR's "tính" before a province: "tỉnh"
    ("Sở Y tế thành phô Hà Nội", "Sở Y tế thành phố Hà Nội"),
    ("Công ty tính toán Ninh Thuận Xanh", "Công ty tính toán Ninh Thuận Xanh"),  # no province after "tính"
])
def test_a_province_after_its_kind_in_an_item(item: str, read_as: str) -> None:
    text = LETTER.format(third="đối với CĐCS").replace("| “ c= = - Sở Tài chính, Sở Nội vụ.", f"Kính gửi: {item}.")
    assert read(text).addressees == (read_as,)


def test_ubnd_read_with_a_horn_is_ubnd() -> None:
    text = LETTER.format(third="đối với CĐCS").replace("| “ c= = - Sở Tài chính, Sở Nội vụ.",
                                                       "Kính gửi: ƯBND các huyện, thị xã, thành phố.")
    assert read(text).addressees == ("UBND các huyện, thị xã, thành phố",)


DIRECTIVE = """\
ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH MẪU SƠN Độc lập - Tự do - Hạnh phúc
Số: 07/CT-UBND Mẫu Sơn, ngày 20 tháng 3 năm 2026
CHỈ THỊ
{first}
{second}
{third}
Trong thời gian qua, công tác thi hành án hành chính trên địa bàn tỉnh đã đạt những kết quả
tích cực. Tuy nhiên, vẫn còn một số bản án chưa được thi hành đầy đủ./.
"""


@pytest.mark.parametrize(("first", "second", "third"), [
    # A received-document stamp beside the subject: its capitals before "Về việc", its border "|"
    # after debris, its "ĐẾN Ngày ..." line under the subject.
    ("“TRÙNG TÂM CÔNG BẢO & Ti HỌC 0.NG Ãj Về việc tăng cường công tác thi hành án hành chính",
     "ii siran | trên địa bàn tỉnh Mẫu Sơn", "ĐẾN Ngày ĐÁLL.4 LÊ."),
    ("Về việc tăng cường công tác thi hành án hành chính", "trên địa bàn tỉnh Mẫu Sơn",
     "9Ì Chuyển: Tsnueeehmmit"),
    ("Về việc tăng cường công tác thi hành án hành chính", "trên địa bàn tỉnh Mẫu Sơn",
     "FBUNG TÂN CÔNG BAO, & TIN HộC 0.NGÃI ————"),  # a stamp in capitals, one mark read in lower case
])
def test_a_received_stamp_beside_a_subject_under_its_heading(first: str, second: str, third: str) -> None:
    subject = read(DIRECTIVE.format(first=first, second=second, third=third)).subject
    assert subject == "tăng cường công tác thi hành án hành chính trên địa bàn tỉnh Mẫu Sơn"


def test_a_subject_line_with_abbreviations_and_words_is_no_stamp() -> None:
    text = DIRECTIVE.format(first="Về việc đẩy mạnh giải quyết TTHC, ĐKKD, CCHC và BHXH",
                            second="ĐKKD, TTHC và CCHC năm 2026", third="")
    assert read(text).subject == "đẩy mạnh giải quyết TTHC, ĐKKD, CCHC và BHXH ĐKKD, TTHC và CCHC năm 2026"
