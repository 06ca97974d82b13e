"""marks: secrecy, urgency and circulation marks, read only where they stand alone."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.examine.marks import detect_marks, field_marks, segment_mark
from pipeline.records import Marks, PdfText

LAYOUT_HEAD = """\
      LIÊN ĐOÀN LAO ĐỘNG TỈNH MẪU                 CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
                                                        Độc lập - Tự do - Hạnh phúc
            Số: 78/LĐLĐ
   V/v tổ chức Hội nghị tổng kết                  Mẫu Sơn, ngày 13 tháng 4 năm 2026
      công tác năm 2026
"""

BODY = """\
        Thực hiện Thông báo số 71/TB-LĐLĐ ngày 17/3/2026, Ban Thường vụ đề nghị các đơn vị
   chuẩn bị báo cáo; văn bản có nội dung không "Mật" được gửi qua hệ thống điện tử.
"""


def marks_of(*pages: str) -> Marks:
    return detect_marks(PdfText(tuple(pages)))


def test_no_marks() -> None:
    assert marks_of(LAYOUT_HEAD + BODY) == Marks()


def test_secrecy_in_its_own_line_under_the_number() -> None:
    text = LAYOUT_HEAD.replace("      công tác năm 2026\n", "      công tác năm 2026\n               MẬT\n")
    marks = marks_of(text + BODY)
    assert marks.secrecy == "MẬT"
    assert marks.evidence == ("MẬT",)


def test_secrecy_in_its_own_column_segment() -> None:
    text = "            Số: 78/LĐLĐ                 TỐI MẬT\n"
    assert marks_of(text).secrecy == "TỐI MẬT"
    assert marks_of(text).evidence == ("Số: 78/LĐLĐ TỐI MẬT",)


def test_the_most_severe_secrecy_mark_wins() -> None:
    assert marks_of("MẬT\n", "   TUYỆT MẬT   \n", "TỐI MẬT").secrecy == "TUYỆT MẬT"


def test_secrecy_on_a_later_page() -> None:
    assert marks_of(LAYOUT_HEAD, BODY + "\n                    MẬT\n").secrecy == "MẬT"


@pytest.mark.parametrize(
    "line",
    [
        "M Ậ T",
        "T Ố I  M Ậ T",
        "T   Ố   I      M   Ậ   T",
        "(MẬT)",
        "*MẬT*",
        "mật",
        "Tuyệt mật",
        "MAT",  # a damaged text layer in capitals
        "M A T",
        unicodedata.normalize("NFD", "TUYỆT MẬT"),
        "MẬT\u00a0",
        "LIÊN ĐOÀN LAO ĐỘNG TỈNH MẪU MẬT CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",  # plain text run together
        "MẬT Mẫu Sơn, ngày 13 tháng 4 năm 2026",
        "TÀI LIỆU MẬT",
    ],
)
def test_secrecy_spellings(line: str) -> None:
    assert marks_of(f"Số: 78/LĐLĐ\n{line}\nKính gửi: Các đơn vị.").secrecy is not None


@pytest.mark.parametrize(
    "sentence",
    [
        "trừ các văn bản MẬT",
        'văn bản có nội dung không "Mật" được gửi qua mạng',
        "bảo vệ bí mật nhà nước",
        "III. CÔNG TÁC BẢO MẬT",
        "ĐẢM BẢO BÍ MẬT",
        '"Mật"',
        "Ủy ban   Mặt   trận Tổ quốc",  # layout gaps around a look-alike word
        "Mặt",
        "MẬT KHẨU",
        "MẬT ĐỘ DÂN SỐ",
        "Mật độ dân số",
        "ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM",
        "MẶT TRẬN TỔ QUỐC TỈNH MẪU SƠN",
        "CÔNG TÁC MẶT TRẬN",
        "ỦY BAN   MẶT   TRẬN",
        "MẶT",
    ],
)
def test_sentences_mentioning_mat_are_not_marks(sentence: str) -> None:
    assert marks_of(f"Số: 78/LĐLĐ\n{sentence}\n").secrecy is None


@pytest.mark.parametrize(
    ("line", "urgency"),
    [
        ("KHẨN", "Khẩn"),
        ("Khẩn", "Khẩn"),
        ("THƯỢNG KHẨN", "Thượng khẩn"),
        ("HỎA TỐC", "Hỏa tốc"),
        ("HOẢ TỐC", "Hỏa tốc"),
        (unicodedata.normalize("NFD", "Hoả tốc"), "Hỏa tốc"),
        ("(HỎA TỐC HẸN GIỜ)", "Hỏa tốc"),
        ("   Số: 78/LĐLĐ        K H Ẩ N", "Khẩn"),
    ],
)
def test_urgency(line: str, urgency: str) -> None:
    marks = marks_of(LAYOUT_HEAD + line + "\n" + BODY)
    assert marks.urgency == urgency
    assert marks.secrecy is None


def test_the_most_urgent_wins() -> None:
    assert marks_of("KHẨN\nHỎA TỐC\nTHƯỢNG KHẨN").urgency == "Hỏa tốc"


def test_urgency_in_a_sentence_is_not_a_mark() -> None:
    text = "Đề nghị các đơn vị khẩn trương triển khai, báo cáo hỏa tốc về Ban Thường vụ.\n"
    assert marks_of(text) == Marks()


@pytest.mark.parametrize(
    ("line", "mark"),
    [
        ("LƯU HÀNH NỘI BỘ", "LƯU HÀNH NỘI BỘ"),
        ("(Lưu hành nội bộ)", "LƯU HÀNH NỘI BỘ"),
        ("ĐẢNG CỘNG SẢN VIỆT NAMLƯU HÀNH NỘI BỘ", "LƯU HÀNH NỘI BỘ"),  # pypdf glued the box to the motto
        ("XEM XONG TRẢ LẠI", "XEM XONG TRẢ LẠI"),
        ("Tài liệu hội nghị", "TÀI LIỆU HỘI NGHỊ"),
        ("                      KHÔNG PHỔ BIẾN", "KHÔNG PHỔ BIẾN"),
    ],
)
def test_circulation(line: str, mark: str) -> None:
    marks = marks_of(line + "\n" + BODY)
    assert marks.circulation == (mark,)
    assert marks.secrecy is None and marks.urgency is None


def test_circulation_in_a_sentence_is_not_a_mark() -> None:
    assert marks_of("Tài liệu lưu hành nội bộ của Ban Thường vụ, không phổ biến ra ngoài.") == Marks()


def test_several_marks_and_their_evidence() -> None:
    text = "LƯU HÀNH NỘI BỘ\n" + LAYOUT_HEAD + "         MẬT\n         HỎA TỐC\n" + BODY
    marks = marks_of(text)
    assert marks == Marks("MẬT", "Hỏa tốc", ("LƯU HÀNH NỘI BỘ",), ("LƯU HÀNH NỘI BỘ", "MẬT", "HỎA TỐC"))


def test_segment_mark() -> None:
    assert segment_mark("TỐI MẬT") == ("secrecy", "TỐI MẬT")
    assert segment_mark("Thượng khẩn") == ("urgency", "Thượng khẩn")
    assert segment_mark("lưu hành nội bộ") == ("circulation", "LƯU HÀNH NỘI BỘ")
    assert segment_mark("Mặt") is None
    assert segment_mark("bí mật") is None


# --- issue 15: label forms, quotes, numbered copies; metadata values ---------------------------------


@pytest.mark.parametrize(
    ("line", "mark"),
    [
        ("Độ mật: Mật", "MẬT"),
        ("Mức độ mật: Mật", "MẬT"),
        ("Độ mật: Tối mật", "TỐI MẬT"),
        ("ĐỘ MẬT: TUYỆT MẬT", "TUYỆT MẬT"),
        (unicodedata.normalize("NFD", "Mức độ mật: Tối mật"), "TỐI MẬT"),
        ("“MẬT”", "MẬT"),
        ('"MẬT"', "MẬT"),
        ("“TUYỆT MẬT”", "TUYỆT MẬT"),
        ("MẬT 1", "MẬT"),
        ("Mật 2", "MẬT"),
        ("TỐI MẬT 3", "TỐI MẬT"),
        ("Mật", "MẬT"),
        ("mẬt", "MẬT"),
        ("   Số: 78/LĐLĐ        Độ mật: Mật", "MẬT"),
    ],
)
def test_label_quoted_and_numbered_secrecy_marks(line: str, mark: str) -> None:
    assert marks_of(f"Số: 78/LĐLĐ\n{line}\nKính gửi: Các đơn vị.").secrecy == mark


@pytest.mark.parametrize(
    "line",
    [
        "Độ mật: Thường",
        "Độ mật: Không",
        "Mật độ dân số: 2",
        '"Mật"',  # a quoted word alone on its line is a wrapped sentence, not a mark
        "“Mật”",
        "MẶT TRẬN 2",
        "Bí mật 1",
        "Độ khẩn: Khẩn",  # an urgency label, not secrecy
    ],
)
def test_look_alikes_of_the_new_forms_are_not_secrecy_marks(line: str) -> None:
    assert marks_of(f"Số: 78/LĐLĐ\n{line}\nKính gửi: Các đơn vị.").secrecy is None


def test_an_urgency_label_is_an_urgency_mark() -> None:
    assert marks_of("Độ khẩn: Thượng khẩn\n").urgency == "Thượng khẩn"


@pytest.mark.parametrize(
    ("value", "found"),
    [
        ("TUYỆT MẬT", [("secrecy", "TUYỆT MẬT")]),
        ("Độ mật: Mật", [("secrecy", "MẬT")]),
        ("MẬT - Kế hoạch tổ chức hội nghị", [("secrecy", "MẬT")]),
        ("hội nghị, mật, báo cáo", [("secrecy", "MẬT")]),
        ("Kế hoạch | LƯU HÀNH NỘI BỘ", [("circulation", "LƯU HÀNH NỘI BỘ")]),
        ("Kế hoạch bảo vệ bí mật nhà nước năm 2026", []),
        ('Văn bản có nội dung không "Mật"', []),
        ("MẶT TRẬN TỔ QUỐC", []),
        ("Về việc bảo mật thông tin; mật khẩu", []),
        ("", []),
    ],
)
def test_field_marks_read_a_metadata_value_by_its_parts(value: str, found: list[tuple[str, str]]) -> None:
    assert field_marks(value) == found


# --- properties -------------------------------------------------------------------------------------

_SECRECY = ("MẬT", "TỐI MẬT", "TUYỆT MẬT")
_FILLER = st.sampled_from([
    "      LIÊN ĐOÀN LAO ĐỘNG TỈNH MẪU                 CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "                                                        Độc lập - Tự do - Hạnh phúc",
    "            Số: 78/LĐLĐ",
    "   V/v tổ chức Hội nghị tổng kết                  Mẫu Sơn, ngày 13 tháng 4 năm 2026",
    "Kính gửi: Các công đoàn cơ sở trực thuộc.",
    "        Thực hiện Thông báo số 71/TB-LĐLĐ ngày 17/3/2026 của Ban Thường vụ.",
    "   Nơi nhận:                                          TM. BAN THƯỜNG VỤ",
    "   - Lưu: VT, VP.                                         Nguyễn Văn An",
    "",
    "2",
])


def _spell(mark: str, data: st.DataObject) -> str:
    """One printed spelling of a mark: case, letter spacing, NFD, decorations, spaces."""
    case = data.draw(st.sampled_from([str.upper, str.lower, str.title, str.capitalize]))
    text = case(mark)
    if data.draw(st.booleans()):
        gap = data.draw(st.sampled_from([" ", "  ", "   ", "\u00a0"]))
        text = (gap * 2).join(gap.join(word) for word in text.split())
    if data.draw(st.booleans()):
        text = unicodedata.normalize("NFD", text)
    left, right = data.draw(st.sampled_from([("", ""), ("(", ")"), ("*", "*"), ("[", "]")]))
    return left + text + right


@settings(max_examples=300)
@given(st.data())
def test_secrecy_marks_are_always_found(data: st.DataObject) -> None:
    mark = data.draw(st.sampled_from(_SECRECY))
    pages = [data.draw(st.lists(_FILLER, max_size=12)) for _ in range(data.draw(st.integers(1, 3)))]
    page = data.draw(st.integers(0, len(pages) - 1))
    spelled = _spell(mark, data)
    where = data.draw(st.sampled_from(["alone", "right", "left"]))
    line = {
        "alone": " " * data.draw(st.integers(0, 40)) + spelled,
        "right": "            Số: 78/LĐLĐ" + " " * data.draw(st.integers(3, 30)) + spelled,
        "left": spelled + " " * data.draw(st.integers(3, 30)) + "Mẫu Sơn, ngày 13 tháng 4 năm 2026",
    }[where]
    pages[page].insert(data.draw(st.integers(0, len(pages[page]))), line)
    marks = detect_marks(PdfText(tuple("\n".join(p) for p in pages)))
    assert marks.secrecy == mark
    assert marks.evidence


_WORDS = st.sampled_from([
    "văn bản", "các", "đơn vị", "không", "được", "gửi", "qua", "mạng", "công đoàn", "Ban Thường vụ",
    "tài liệu", "báo cáo", "Liên đoàn Lao động", "tỉnh", "theo", "quy định", "thực hiện", "nội dung",
])
_MENTIONS = st.sampled_from(["mật", "Mật", "MẬT", '"Mật"', "bí mật", "BÍ MẬT", "bảo mật", "tối mật", "tuyệt mật"])


@settings(max_examples=300)
@given(st.lists(_WORDS, min_size=1, max_size=8), _MENTIONS, st.lists(_WORDS, min_size=1, max_size=8),
       st.booleans(), st.sampled_from(["", ".", ",", ";"]))
def test_sentences_mentioning_mat_never_set_secrecy(
    before: list[str], mention: str, after: list[str], nfd: bool, end: str
) -> None:
    sentence = f"{' '.join(before).capitalize()} {mention} {' '.join(after)}{end}"
    if nfd:
        sentence = unicodedata.normalize("NFD", sentence)
    text = LAYOUT_HEAD + "        " + sentence + "\n" + BODY
    assert detect_marks(PdfText((text,))).secrecy is None
