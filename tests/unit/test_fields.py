"""fields: metadata read from hand-written text shaped like pypdf's layout and plain modes."""

from __future__ import annotations

import datetime as dt
import unicodedata
from random import Random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.examine.fields.header import parse_number
from pipeline.examine.fields.lines import find_date_line
from pipeline.examine.fields.metadata import extract_metadata
from pipeline.records import Marks, Metadata, PdfText, Reference, SignerBlock

ORGAN = "LIÊN ĐOÀN LAO ĐỘNG TỈNH MẪU"
PARENT = "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM"
SUBJECT = "tổ chức Hội nghị tổng kết công tác năm 2026"


def metadata(*pages: str) -> Metadata:
    return extract_metadata(PdfText(tuple(pages)))


# --- a công văn in layout mode (pypdf extraction_mode="layout") --------------------------------------

LAYOUT_CONG_VAN = """\
      LIÊN ĐOÀN LAO ĐỘNG TỈNH MẪU                 CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
                                                        Độc lập - Tự do - Hạnh phúc
            Số: 78/LĐLĐ
   V/v tổ chức Hội nghị tổng kết                  Mẫu Sơn, ngày 13 tháng 4 năm 2026
      công tác năm 2026

                    Kính gửi:   - Các Liên đoàn Lao động huyện, thành phố;
                                - Các công đoàn ngành, công đoàn cơ sở trực
                                  thuộc Liên đoàn Lao động tỉnh.

        Thực hiện Thông báo số 71/TB-LĐLĐ ngày 17/3/2026 của Ban Thường vụ Liên đoàn Lao
   động tỉnh và Kế hoạch số 15/KH-LĐLĐ ngày 05 tháng 3 năm 2026, Ban Thường vụ tổ chức
   Hội nghị tổng kết công tác năm 2026 (Công văn số 78/LĐLĐ này thay thế Giấy mời số
   12/GM-LĐLĐ).

   Nơi nhận:                                          TM. BAN THƯỜNG VỤ
   - Như trên;                                           PHÓ CHỦ TỊCH
   - Thường trực LĐLĐ tỉnh;
   - Các Ban, Văn phòng LĐLĐ tỉnh;
   - Lưu: VT, VP.
                                                  Ký bởi: Liên đoàn Lao động tỉnh Mẫu Sơn
                                                  Thời gian ký: 13.04.2026 09:15

                                                        Nguyễn Văn An
"""


def test_layout_cong_van() -> None:
    assert metadata(LAYOUT_CONG_VAN) == Metadata(
        number="78/LĐLĐ",
        code_number="78",
        code_notation="LĐLĐ",
        issued_date=dt.date(2026, 4, 13),
        place="Mẫu Sơn",
        organ_name=ORGAN,
        parent_organ=None,
        type_name="Công văn",
        subject=SUBJECT,
        addressees=(
            "Các Liên đoàn Lao động huyện, thành phố",
            "Các công đoàn ngành, công đoàn cơ sở trực thuộc Liên đoàn Lao động tỉnh",
        ),
        recipients=("Như trên", "Thường trực LĐLĐ tỉnh", "Các Ban, Văn phòng LĐLĐ tỉnh", "Lưu: VT, VP"),
        signer=SignerBlock("TM. BAN THƯỜNG VỤ", "PHÓ CHỦ TỊCH", "Nguyễn Văn An"),
        marks=Marks(),
        references=(
            Reference("71/TB-LĐLĐ", "Thông báo", dt.date(2026, 3, 17)),
            Reference("15/KH-LĐLĐ", "Kế hoạch", dt.date(2026, 3, 5)),
            Reference("12/GM-LĐLĐ", "Giấy mời", None),  # its date is not printed: unknown
        ),
        signed_by_text="Liên đoàn Lao động tỉnh Mẫu Sơn",
        signed_time_text="13.04.2026 09:15",
        system="state",
    )


# --- the same kind of letter in plain mode, every trap at once --------------------------------------

# Columns one after the other; NFD; "HOÀ" and "Uỷ"; en dashes; no-break spaces; "78 /LĐLĐ"; the first
# addressee on the "Kính gửi:" line and the others undashed, ending in ","; "KT." then the title.
PLAIN_ONE_AFTER_THE_OTHER = unicodedata.normalize("NFD", """\
TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM
LIÊN ĐOÀN LAO ĐỘNG TỈNH MẪU
Số: 78 /LĐLĐ
V/v tổ chức Hội nghị tổng kết
công tác năm 2026
CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập – Tự do – Hạnh phúc
Mẫu Sơn, ngày 13 tháng 4 năm 2026
Kính gửi: Các LĐLĐ huyện, thành phố,
Các công đoàn ngành,
Công đoàn cơ sở trực thuộc.
Thực hiện Kế hoạch số 15/KH–LĐLĐ ngày 05 tháng 3 năm 2026 của Ban Thường vụ
Liên đoàn Lao động tỉnh, đề nghị các đơn vị cử cán bộ dự Hội nghị.
Nơi nhận:
- Như kính gửi;
– Uỷ ban nhân dân tỉnh (b/c);
- Lưu: VT, VP.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Ký bởi: Liên đoàn Lao động tỉnh Mẫu Sơn
Thời gian ký: 13.04.2026 09:15
Trần Văn Bình
""").replace(" ", "\u00a0", 3)


def test_plain_columns_one_after_the_other() -> None:
    assert metadata(PLAIN_ONE_AFTER_THE_OTHER) == Metadata(
        number="78/LĐLĐ",
        code_number="78",
        code_notation="LĐLĐ",
        issued_date=dt.date(2026, 4, 13),
        place="Mẫu Sơn",
        organ_name=ORGAN,
        parent_organ=PARENT,
        type_name="Công văn",
        subject=SUBJECT,
        addressees=("Các LĐLĐ huyện, thành phố", "Các công đoàn ngành", "Công đoàn cơ sở trực thuộc"),
        recipients=("Như kính gửi", "Ủy ban nhân dân tỉnh (b/c)", "Lưu: VT, VP"),
        signer=SignerBlock("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Văn Bình"),
        references=(Reference("15/KH-LĐLĐ", "Kế hoạch", dt.date(2026, 3, 5)),),
        signed_by_text="Liên đoàn Lao động tỉnh Mẫu Sơn",
        signed_time_text="13.04.2026 09:15",
        system="state",
    )


# Columns interleaved line by line, header and closing; a single addressee without punctuation,
# a wrapped subject whose second line starts with a capital ("Ngày sinh ...").
PLAIN_INTERLEAVED = """\
LIÊN ĐOÀN LAO ĐỘNG TỈNH MẪU
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
BAN TUYÊN GIÁO
Độc lập - Tự do - Hạnh phúc
Số: 79/LĐLĐ-TG
Mẫu Sơn, ngày 14 tháng 4 năm 2026
V/v tuyên truyền kỷ niệm
Ngày sinh Chủ tịch Hồ Chí Minh
Kính gửi: Các công đoàn cơ sở trực thuộc
Thực hiện Hướng dẫn số 36-HD/VPTW ngày 03/4/2018, Ban Tuyên giáo đề nghị các đơn vị
tuyên truyền.
Nơi nhận:
TM. BAN THƯỜNG VỤ
- Như trên;
CHỦ TỊCH
- Lưu: VT, TG.
Lê Thị Hoa
"""


def test_plain_interleaved() -> None:
    assert metadata(PLAIN_INTERLEAVED) == Metadata(
        number="79/LĐLĐ-TG",
        code_number="79",
        code_notation="LĐLĐ-TG",
        issued_date=dt.date(2026, 4, 14),
        place="Mẫu Sơn",
        organ_name="BAN TUYÊN GIÁO",
        parent_organ=ORGAN,
        type_name="Công văn",
        subject="tuyên truyền kỷ niệm Ngày sinh Chủ tịch Hồ Chí Minh",
        addressees=("Các công đoàn cơ sở trực thuộc",),
        recipients=("Như trên", "Lưu: VT, TG"),
        signer=SignerBlock("TM. BAN THƯỜNG VỤ", "CHỦ TỊCH", "Lê Thị Hoa"),
        references=(Reference("36-HD/VPTW", "Hướng dẫn", dt.date(2018, 4, 3)),),
        system="state",
    )


# Both columns run together on one line with a single space.
PLAIN_RUN_TOGETHER = """\
LIÊN ĐOÀN LAO ĐỘNG TỈNH MẪU CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 80/LĐLĐ Mẫu Sơn, ngày 15 tháng 4 năm 2026
V/v góp ý dự thảo văn kiện
Kính gửi: Các công đoàn ngành.
Đề nghị các đơn vị góp ý.
Nơi nhận: TM. BAN THƯỜNG VỤ
- Như trên; PHÓ CHỦ TỊCH
- Lưu: VT, VP. Nguyễn Văn An
"""


def test_plain_columns_run_together() -> None:
    assert metadata(PLAIN_RUN_TOGETHER) == Metadata(
        number="80/LĐLĐ",
        code_number="80",
        code_notation="LĐLĐ",
        issued_date=dt.date(2026, 4, 15),
        place="Mẫu Sơn",
        organ_name=ORGAN,
        type_name="Công văn",
        subject="góp ý dự thảo văn kiện",
        addressees=("Các công đoàn ngành",),
        recipients=("Như trên", "Lưu: VT, VP"),
        signer=SignerBlock("TM. BAN THƯỜNG VỤ", "PHÓ CHỦ TỊCH", "Nguyễn Văn An"),
        system="state",
    )


def test_signing_block_before_the_recipients() -> None:
    text = PLAIN_INTERLEAVED.split("Nơi nhận:")[0] + "TM. BAN THƯỜNG VỤ\nCHỦ TỊCH\nLê Thị Hoa\n" + (
        "Nơi nhận:\n- Như trên;\n- Lưu: VT, TG.\n"
    )
    found = metadata(text)
    assert found.signer == SignerBlock("TM. BAN THƯỜNG VỤ", "CHỦ TỊCH", "Lê Thị Hoa")
    assert found.recipients == ("Như trên", "Lưu: VT, TG")


# --- Party ------------------------------------------------------------------------------------------

PARTY_LAYOUT = """\
     TỈNH UỶ MẪU SƠN                           ĐẢNG CỘNG SẢN VIỆT NAM
     BAN TUYÊN GIÁO
           *                                 Mẫu Sơn, ngày 5 tháng 5 năm 2026

     Số 145 - CV/BTGTU
   Về việc tuyên truyền kỷ niệm
   Ngày sinh Chủ tịch Hồ Chí Minh

                 Kính gửi: - Các huyện ủy, thị ủy, thành ủy,
                           - Các đảng ủy trực thuộc Tỉnh ủy.

        Thực hiện Quy định số 217-QĐ/TW ngày 02/01/2020 của Bộ Chính trị và Kết luận số
   21-KL/TW ngày 25 tháng 10 năm 2021, Ban Tuyên giáo Tỉnh ủy đề nghị ...

   Nơi nhận:                                    K/T TRƯỞNG BAN
   - Như trên,                                   PHÓ TRƯỞNG BAN
   - Lưu VPTU.

                                                  Lê Văn Cường
"""


def test_party_layout() -> None:
    assert metadata(PARTY_LAYOUT) == Metadata(
        number="145-CV/BTGTU",
        code_number="145",
        code_notation="CV/BTGTU",
        issued_date=dt.date(2026, 5, 5),
        place="Mẫu Sơn",
        organ_name="BAN TUYÊN GIÁO",
        parent_organ="TỈNH ỦY MẪU SƠN",
        type_name="Công văn",
        subject="tuyên truyền kỷ niệm Ngày sinh Chủ tịch Hồ Chí Minh",
        addressees=("Các huyện ủy, thị ủy, thành ủy", "Các đảng ủy trực thuộc Tỉnh ủy"),
        recipients=("Như trên", "Lưu VPTU"),
        signer=SignerBlock("K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Lê Văn Cường"),
        references=(
            Reference("217-QĐ/TW", "Quy định", dt.date(2020, 1, 2)),
            Reference("21-KL/TW", "Kết luận", dt.date(2021, 10, 25)),
        ),
        system="party",
    )


PARTY_PLAIN = unicodedata.normalize("NFD", """\
ĐẢNG BỘ TỈNH MẪU SƠN
TỈNH ỦY
*
ĐẢNG CỘNG SẢN VIỆT NAM
Số 150-KH/TU
Mẫu Sơn, ngày      tháng      năm 2026
LƯU HÀNH NỘI BỘ
KẾ HOẠCH
Tổ chức học tập, quán triệt Nghị quyết Đại hội Đảng bộ
tỉnh lần thứ XVIII nhiệm kỳ 2025 – 2030
I. MỤC ĐÍCH, YÊU CẦU
Thực hiện Kế hoạch số 12-KH/TW ngày 5 tháng 1 năm 2026.
Nơi nhận:
- Các đảng ủy trực thuộc,
- Lưu Văn phòng Tỉnh ủy.
T/M BAN THƯỜNG VỤ
PHÓ BÍ THƯ
Trần Thị Bình
""")


def test_party_plain_with_blank_date_and_circulation_mark() -> None:
    assert metadata(PARTY_PLAIN) == Metadata(
        number="150-KH/TU",
        code_number="150",
        code_notation="KH/TU",
        issued_date=None,
        place="Mẫu Sơn",
        organ_name="TỈNH ỦY",
        parent_organ="ĐẢNG BỘ TỈNH MẪU SƠN",
        type_name="Kế hoạch",
        subject="Tổ chức học tập, quán triệt Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XVIII nhiệm kỳ 2025 - 2030",
        recipients=("Các đảng ủy trực thuộc", "Lưu Văn phòng Tỉnh ủy"),
        signer=SignerBlock("T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Trần Thị Bình"),
        marks=Marks(circulation=("LƯU HÀNH NỘI BỘ",), evidence=("LƯU HÀNH NỘI BỘ",)),
        references=(Reference("12-KH/TW", "Kế hoạch", dt.date(2026, 1, 5)),),
        system="party",
    )


# --- a decision over two pages ----------------------------------------------------------------------

DECISION_PAGE_1 = """\
   TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
   LIÊN ĐOÀN LAO ĐỘNG TỈNH MẪU                  Độc lập - Tự do - Hạnh phúc

      Số: 291/QĐ-LĐLĐ                         Mẫu Sơn, ngày 02/01/2026

                                  QUY ĐỊNH
                 Về việc quản lý, sử dụng tài sản công đoàn
             BAN THƯỜNG VỤ LIÊN ĐOÀN LAO ĐỘNG TỈNH MẪU

   Căn cứ Điều lệ Công đoàn Việt Nam;
   Căn cứ Quyết định số 933/QĐ-TLĐ ngày 01 tháng 3 năm 2024 của Tổng Liên đoàn;

                               QUYẾT ĐỊNH:
   Điều 1. Ban hành kèm theo Quyết định này Quy định quản lý tài sản.
                                     1
"""

DECISION_PAGE_2 = """\
                                    - 2 -
   Điều 2. Quyết định có hiệu lực kể từ ngày ký.

   Nơi nhận:                                      TM. BAN THƯỜNG VỤ
   - Như Điều 2;                                       CHỦ TỊCH
   - Tổng Liên đoàn (b/c);
"""

DECISION_PAGE_3 = """\
                                     3
   - Lưu: VT, TC.
                                                    Phạm Minh Đức
"""


def test_decision_titled_by_its_heading_over_three_pages() -> None:
    """A union 291/QĐ-LĐLĐ titled QUY ĐỊNH is a Quy định; page numbers alone on a line are not text."""
    assert metadata(DECISION_PAGE_1, DECISION_PAGE_2, DECISION_PAGE_3) == Metadata(
        number="291/QĐ-LĐLĐ",
        code_number="291",
        code_notation="QĐ-LĐLĐ",
        issued_date=dt.date(2026, 1, 2),
        place="Mẫu Sơn",
        organ_name=ORGAN,
        parent_organ=PARENT,
        type_name="Quy định",
        subject="quản lý, sử dụng tài sản công đoàn",
        recipients=("Như Điều 2", "Tổng Liên đoàn (b/c)", "Lưu: VT, TC"),
        signer=SignerBlock("TM. BAN THƯỜNG VỤ", "CHỦ TỊCH", "Phạm Minh Đức"),
        references=(Reference("933/QĐ-TLĐ", "Quyết định", dt.date(2024, 3, 1)),),
        system="state",
    )


# --- blanks, codes and gaps -------------------------------------------------------------------------

BLANK_NUMBER = """\
      LIÊN ĐOÀN LAO ĐỘNG TỈNH MẪU                 CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
                                                        Độc lập - Tự do - Hạnh phúc
            Số:      /KH-LĐLĐ               Mẫu Sơn, ngày      tháng      năm 2026
                              KHẨN

                                     KẾ HOẠCH
              Tổ chức các hoạt động Tháng Công nhân năm 2026

   I. MỤC ĐÍCH, YÊU CẦU
   1. Tuyên truyền sâu rộng ...
"""


def test_blank_number_and_date_are_unknown() -> None:
    assert metadata(BLANK_NUMBER) == Metadata(
        number=None,
        code_number=None,
        code_notation="KH-LĐLĐ",
        issued_date=None,
        place="Mẫu Sơn",
        organ_name=ORGAN,
        type_name="Kế hoạch",
        subject="Tổ chức các hoạt động Tháng Công nhân năm 2026",
        marks=Marks(urgency="Khẩn", evidence=("KHẨN",)),
        system="state",
    )


WRAPPED_ORGAN = """\
        BAN CHẤP HÀNH CÔNG ĐOÀN              CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
       VIÊN CHỨC TỈNH MẪU SƠN                  Độc lập - Tự do - Hạnh phúc
             ________

           Số: 15/2020/QĐ-CĐVC              Mẫu Sơn, ngày 31 tháng 12 năm 2020

 Ban Chấp hành quyết định ...
"""


def test_wrapped_organ_name_and_type_from_the_code() -> None:
    assert metadata(WRAPPED_ORGAN) == Metadata(
        number="15/2020/QĐ-CĐVC",
        code_number="15",
        code_notation="QĐ-CĐVC",
        issued_date=dt.date(2020, 12, 31),
        place="Mẫu Sơn",
        organ_name="BAN CHẤP HÀNH CÔNG ĐOÀN VIÊN CHỨC TỈNH MẪU SƠN",
        type_name="Quyết định",
        system="state",
    )


def test_no_heading_no_subject_prefix_means_no_subject() -> None:
    text = """\
    LIÊN ĐOÀN LAO ĐỘNG                       CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
      TỈNH MẪU SƠN                               Độc lập - Tự do - Hạnh phúc
     Số: 12/BC-LĐLĐ                        Mẫu Sơn, ngày 3 tháng 2 năm 2026
  Kết quả công tác tháng 1
"""
    found = metadata(text)
    assert found.organ_name == "LIÊN ĐOÀN LAO ĐỘNG TỈNH MẪU SƠN"
    assert found.parent_organ is None
    assert found.type_name == "Báo cáo"
    assert found.subject is None


PLAIN_REPORT = """\
LIÊN ĐOÀN LAO ĐỘNG TỈNH MẪU
Số: 12/BC-LĐLĐ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Mẫu Sơn, ngày 30 tháng 6 năm 2026
B Á O  C Á O
Kết quả hoạt động công đoàn
6 tháng đầu năm 2026
Thực hiện Chương trình công tác năm 2026, Ban Thường vụ báo cáo như sau:
I. KẾT QUẢ
Nơi nhận:
- Tổng Liên đoàn (b/c);
- Lưu: VT.
CHỦ TỊCH
Hoàng Thị Mai
"""


def test_plain_report_without_authority() -> None:
    assert metadata(PLAIN_REPORT) == Metadata(
        number="12/BC-LĐLĐ",
        code_number="12",
        code_notation="BC-LĐLĐ",
        issued_date=dt.date(2026, 6, 30),
        place="Mẫu Sơn",
        organ_name=ORGAN,
        type_name="Báo cáo",
        subject="Kết quả hoạt động công đoàn 6 tháng đầu năm 2026",
        recipients=("Tổng Liên đoàn (b/c)", "Lưu: VT"),
        signer=SignerBlock(None, "CHỦ TỊCH", "Hoàng Thị Mai"),
        system="state",
    )


@pytest.mark.parametrize(
    ("heading", "type_name"),
    [
        ("GIẤY MỜI", "Giấy mời"),
        ("CHƯƠNG TRÌNH", "Chương trình"),
        ("THÔNG BÁO", "Thông báo"),
        ("HƯỚNG DẪN", "Hướng dẫn"),
        ("KẾ HOẠCH", "Kế hoạch"),
        ("QUYẾT ĐỊNH", "Quyết định"),
        ("GIẤY UỶ QUYỀN", "Giấy ủy quyền"),
        ("TỜ TRÌNH", "Tờ trình"),
    ],
)
def test_type_from_the_heading(heading: str, type_name: str) -> None:
    text = f"{ORGAN}\nSố: 20/LĐLĐ\nMẫu Sơn, ngày 3 tháng 2 năm 2026\n{heading}\nDự Hội nghị tổng kết\n"
    found = metadata(text)
    assert found.type_name == type_name
    assert found.subject == "Dự Hội nghị tổng kết"


@pytest.mark.parametrize(
    ("number", "system", "type_name"),
    [
        ("Số: 20/TB-LĐLĐ", "state", "Thông báo"),
        ("Số: 20/CTr-LĐLĐ", "state", "Chương trình"),
        ("Số: 20/QyĐ-LĐLĐ", "state", "Quy định"),
        ("Số: 20/GM-LĐLĐ", "state", "Giấy mời"),
        ("Số: 20/LĐLĐ", "state", None),  # a công văn is told by its "V/v" subject, not shown here
        ("Số 20-CV/TU", "party", "Công văn"),
        ("Số 20-QĐi/TU", "party", "Quy định"),
        ("Số 20-TT/TU", "party", "Thông tri"),
    ],
)
def test_type_from_the_code(number: str, system: str, type_name: str | None) -> None:
    found = metadata(f"{ORGAN}\n{number}\n")
    assert found.type_name == type_name
    assert found.system == system


def test_nothing_is_guessed_from_nothing() -> None:
    assert metadata() == Metadata()
    assert metadata("", "   \n\n") == Metadata()
    assert metadata("Một trang chỉ có vài dòng chữ thường.\n") == Metadata()


# --- the pieces -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "number", "code_number", "code_notation"),
    [
        ("Số: 78/LĐLĐ", "78/LĐLĐ", "78", "LĐLĐ"),
        ("Số: 78 /LĐLĐ", "78/LĐLĐ", "78", "LĐLĐ"),
        ("Số:78/ LĐLĐ", "78/LĐLĐ", "78", "LĐLĐ"),
        ("Số: 291/QĐ-LĐLĐ", "291/QĐ-LĐLĐ", "291", "QĐ-LĐLĐ"),
        ("Số: 15/2020/QĐ-BNV", "15/2020/QĐ-BNV", "15", "QĐ-BNV"),
        ("Số 145-CV/TU", "145-CV/TU", "145", "CV/TU"),
        ("Số 145 - CV/TU", "145-CV/TU", "145", "CV/TU"),
        ("SỐ: 7/LĐLĐ", "7/LĐLĐ", "7", "LĐLĐ"),
        ("Số:    /LĐLĐ", None, None, "LĐLĐ"),
        ("Số      -CV/TU", None, None, "CV/TU"),
        ("      Số: 78/LĐLĐ           Mẫu Sơn, ngày 13 tháng 4 năm 2026", "78/LĐLĐ", "78", "LĐLĐ"),
        ("Số: 78/LĐLĐ - Mẫu Sơn", "78/LĐLĐ", "78", "LĐLĐ"),
    ],
)
def test_parse_number(line: str, number: str | None, code_number: str | None, code_notation: str) -> None:
    parsed = parse_number(line)
    assert parsed is not None
    assert (parsed.text, parsed.code_number, parsed.code_notation) == (number, code_number, code_notation)


@pytest.mark.parametrize("line", ["Số lượng đoàn viên tăng", "Số: ", "KỸ THUẬT SỐ", "Số điện thoại: 0203.3852"])
def test_not_a_number_line(line: str) -> None:
    assert parse_number(line) is None


@pytest.mark.parametrize(
    ("line", "place", "date"),
    [
        ("Mẫu Sơn, ngày 13 tháng 4 năm 2026", "Mẫu Sơn", dt.date(2026, 4, 13)),
        ("TP. Hồ Chí Minh, ngày 02 tháng 01 năm 2020", "TP. Hồ Chí Minh", dt.date(2020, 1, 2)),
        ("Thành phố Hồ Chí Minh, ngày 2/1/2020", "Thành phố Hồ Chí Minh", dt.date(2020, 1, 2)),
        ("Hà Nội, ngày 02/01/2020", "Hà Nội", dt.date(2020, 1, 2)),
        ("Mẫu Sơn, ngày      tháng      năm 2026", "Mẫu Sơn", None),
        ("Mẫu Sơn, ngày 31 tháng 2 năm 2026", "Mẫu Sơn", None),  # no such day: unknown, not guessed
        ("V/v tổ chức Hội nghị tổng kết Mẫu Sơn, ngày 13 tháng 4 năm 2026", "Mẫu Sơn", dt.date(2026, 4, 13)),
        ("Số: 78/LĐLĐ    Mẫu Sơn, ngày 13 tháng 4 năm 2026", "Mẫu Sơn", dt.date(2026, 4, 13)),
        ("HÀ NỘI, ngày 5 tháng 5 năm 2026", "HÀ NỘI", dt.date(2026, 5, 5)),
    ],
)
def test_find_date_line(line: str, place: str, date: dt.date | None) -> None:
    found = find_date_line(line)
    assert found is not None
    assert (found.place, found.date) == (place, date)


@pytest.mark.parametrize(
    "sentence",
    [
        "Thực hiện Thông báo số 71/TB-LĐLĐ ngày 17/3/2026 của Ban Thường vụ",
        "theo Kế hoạch số 12/KH-LĐLĐ, ngày 17/3/2026 Ban Thường vụ",
        "hội nghị ngày 13 tháng 4 năm 2026",
    ],
)
def test_a_cited_date_is_not_the_date_line(sentence: str) -> None:
    assert find_date_line(sentence) is None


def test_own_number_is_not_a_reference_and_references_are_unique() -> None:
    text = LAYOUT_CONG_VAN + "\nThông báo số 71/TB-LĐLĐ và Công văn số 78/LĐLĐ nêu trên.\n"
    numbers = [r.number for r in metadata(text).references]
    assert numbers == ["71/TB-LĐLĐ", "15/KH-LĐLĐ", "12/GM-LĐLĐ"]


def test_references_of_every_shape() -> None:
    body = (
        "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ; Luật số 12/2012/QH13; "
        "theo văn bản số 45 /TLĐ ngày 1-2-2026 và Hướng dẫn số 36-HD/VPTW ngày 03 tháng 4 năm 2018, "
        "Quy định số 217 - QĐ/TW ngày 02/01/2020.\n"
    )
    assert metadata(body).references == (
        Reference("30/2020/NĐ-CP", "Nghị định", dt.date(2020, 3, 5)),
        Reference("12/2012/QH13", "Luật", None),
        Reference("45/TLĐ", None, dt.date(2026, 2, 1)),
        Reference("36-HD/VPTW", "Hướng dẫn", dt.date(2018, 4, 3)),
        Reference("217-QĐ/TW", "Quy định", dt.date(2020, 1, 2)),
    )


def test_secrecy_mark_reaches_metadata() -> None:
    text = LAYOUT_CONG_VAN.replace("      công tác năm 2026\n", "      công tác năm 2026\n            M Ậ T\n")
    found = metadata(text)
    assert found.marks.secrecy == "MẬT"
    assert found.subject == SUBJECT  # the mark is not part of the subject


def test_marks_are_not_part_of_the_issuer() -> None:
    text = "TUYỆT MẬT\n" + LAYOUT_CONG_VAN.replace("Số: 78/LĐLĐ", "Số: 78/LĐLĐ         HỎA TỐC")
    found = metadata(text)
    assert found.organ_name == ORGAN and found.parent_organ is None
    assert found.marks == Marks("TUYỆT MẬT", "Hỏa tốc", (), ("TUYỆT MẬT", "Số: 78/LĐLĐ HỎA TỐC"))


def test_wrapped_recipient_indented_under_its_dash() -> None:
    closing = """\
   Nơi nhận:                                      TM. BAN THƯỜNG VỤ
   - Thường trực Tỉnh ủy,                              CHỦ TỊCH
     Thường trực HĐND tỉnh (b/c);
   - Lưu: VT, VP.
                                                    Nguyễn Văn An
"""
    found = metadata(LAYOUT_CONG_VAN.split("   Nơi nhận:")[0] + closing)
    assert found.recipients == ("Thường trực Tỉnh ủy, Thường trực HĐND tỉnh (b/c)", "Lưu: VT, VP")
    assert found.signer == SignerBlock("TM. BAN THƯỜNG VỤ", "CHỦ TỊCH", "Nguyễn Văn An")


_SPELLINGS = [("HÒA", "HOÀ"), ("ỦY", "UỶ"), ("ủy", "uỷ"), (" - ", " – "), (" - ", " — "), ("-", "‑")]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([LAYOUT_CONG_VAN, PARTY_LAYOUT, PLAIN_INTERLEAVED, DECISION_PAGE_1]),
       st.lists(st.sampled_from(_SPELLINGS), max_size=4), st.booleans(), st.integers(0, 2**32))
def test_spelling_and_encoding_do_not_change_the_metadata(
    text: str, spellings: list[tuple[str, str]], nfd: bool, seed: int
) -> None:
    """Tone placement, dash variants, NFD and no-break spaces are all read the same."""
    expected = metadata(text)
    for old, new in spellings:
        text = text.replace(old, new)
    random = Random(seed)
    text = "".join("\u00a0" if c == " " and random.random() < 0.3 else c for c in text)
    if nfd:
        text = unicodedata.normalize("NFD", text)
    assert metadata(text) == expected


@pytest.mark.parametrize(
    "line",
    ["V/v triển khai nhiệm vụ", "v/v  triển khai   nhiệm vụ", "V.v: triển khai nhiệm vụ", "V/V triển khai nhiệm vụ",
     "Về việc triển khai nhiệm vụ", "VỀ VIỆC triển khai nhiệm vụ", "V/v triển khai nhiệm vụ."],
)
def test_subject_prefixes(line: str) -> None:
    found = metadata(f"{ORGAN}\nSố: 5/LĐLĐ\n{line}\nKính gửi: Các đơn vị.\n")
    assert found.subject == "triển khai nhiệm vụ"
    assert found.type_name == "Công văn"
    assert found.addressees == ("Các đơn vị",)


def test_issuer_run_into_the_number_line() -> None:
    text = "ĐẢNG CỘNG SẢN VIỆT NAM\nTỈNH ỦY MẪU SƠN Số 145-CV/TU Mẫu Sơn, ngày 5 tháng 5 năm 2026\nV/v học tập\n"
    found = metadata(text)
    assert (found.organ_name, found.parent_organ, found.number, found.place) == (
        "TỈNH ỦY MẪU SƠN", None, "145-CV/TU", "Mẫu Sơn")
    assert (found.system, found.type_name, found.subject) == ("party", "Công văn", "học tập")


def test_authority_in_two_steps() -> None:
    closing = """\
   Nơi nhận:                                      TM. ỦY BAN NHÂN DÂN
   - Như trên;                                        KT. CHỦ TỊCH
   - Lưu: VT.                                        PHÓ CHỦ TỊCH

                                                    Nguyễn Văn An
"""
    found = metadata(LAYOUT_CONG_VAN.split("   Nơi nhận:")[0] + closing)
    assert found.signer == SignerBlock("TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn An")
    assert found.recipients == ("Như trên", "Lưu: VT")


@pytest.mark.parametrize("authority", ["KT.CHỦ TỊCH", "KT. CHỦ TỊCH", "KT CHỦ TỊCH"])
def test_an_authority_typed_without_a_space_after_its_dot(authority: str) -> None:
    """"KT.CHỦ TỊCH", as many offices type it, is the authority, not the title ("PHÓ CHỦ TỊCH" is)."""
    closing = f"""\
   Nơi nhận:                                      TM.ỦY BAN NHÂN DÂN
   - Như trên;                                        {authority}
   - Lưu: VT.                                        PHÓ CHỦ TỊCH

                                                    Nguyễn Văn An
"""
    found = metadata(LAYOUT_CONG_VAN.split("   Nơi nhận:")[0] + closing)
    assert found.signer == SignerBlock(f"TM.ỦY BAN NHÂN DÂN {authority}", "PHÓ CHỦ TỊCH", "Nguyễn Văn An")


# --- found by the golden corpus (tests/golden, issue 4) ----------------------------------------------

HEADED = f"{ORGAN}\nSố: 45/HD-LĐLĐ\nMẫu Sơn, ngày 3 tháng 2 năm 2026\n"


def test_a_subject_may_open_like_the_body() -> None:
    """"HƯỚNG DẪN" / "Thực hiện ký số ...": the line right under the heading is its subject."""
    found = metadata(HEADED + "HƯỚNG DẪN\nThực hiện ký số văn bản điện tử\n\nCăn cứ Nghị định số 30/2020/NĐ-CP;\n")
    assert found.subject == "Thực hiện ký số văn bản điện tử"


@pytest.mark.parametrize(
    "body", ["Căn cứ Điều lệ Công đoàn Việt Nam;", "Thực hiện Chương trình, Ban Thường vụ như sau:",
             "1. Thực hiện nhiệm vụ năm 2026"],
)
def test_a_body_clause_under_the_heading_is_no_subject(body: str) -> None:
    assert metadata(HEADED + f"HƯỚNG DẪN\n{body}\nNội dung.\n").subject is None


def test_a_wrapped_subject_goes_on_with_a_lowercase_opener() -> None:
    """"theo ...", "để ..." go on a sentence; only a capitalised "Theo ..." opens a paragraph."""
    text = HEADED + "KẾ HOẠCH\nTổ chức tập huấn công tác văn thư\ntheo Chương trình công tác năm 2026\n" \
        "Thực hiện Chương trình công tác năm 2026, Ban Thường vụ ban hành Kế hoạch như sau:\n"
    assert metadata(text).subject == "Tổ chức tập huấn công tác văn thư theo Chương trình công tác năm 2026"


def test_a_wrapped_subject_keeps_its_commas_and_a_lowercase_mat() -> None:
    text = (f"{ORGAN}                 CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "     Số: 5/LĐLĐ                       Mẫu Sơn, ngày 3 tháng 2 năm 2026\n"
            "  V/v phòng,\n  chống lộ lọt tài liệu bí\n          mật\n\nKính gửi: Các đơn vị.\n")
    found = metadata(text)
    assert found.subject == "phòng, chống lộ lọt tài liệu bí mật"
    assert found.marks.secrecy == "MẬT"  # a lowercase "mật" alone on its line still refuses: never a leak


def test_office_initials_ending_lu_are_not_an_authority() -> None:
    """"- Lưu: VT, KT." ends with the initials of an office (Kinh tế), not "KT." of the signing block."""
    text = f"{ORGAN}\nSố: 5/LĐLĐ\nV/v triển khai\nNơi nhận:\n- Như trên;\n- Lưu: VT, KT.\nTL. CHỦ TỊCH\n" \
        "CHÁNH VĂN PHÒNG\nMai Xuân Trường\n"
    found = metadata(text)
    assert found.recipients == ("Như trên", "Lưu: VT, KT")
    assert found.signer == SignerBlock("TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "Mai Xuân Trường")
    joined = metadata(text.replace("- Lưu: VT, KT.\nTL. CHỦ TỊCH", "- Lưu: VT, KT. TL. CHỦ TỊCH"))
    assert joined.recipients == ("Như trên", "Lưu: VT, KT")
    assert joined.signer == SignerBlock("TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "Mai Xuân Trường")


# --- issue 16: Kính gửi / Nơi nhận lists as OCR gives them ---------------------------------------------

# An OCR'd scan (Tesseract on a two-column page): the signing block runs into the list line by line,
# the label is misspelt, noise follows the ";" that closes an item, a stray mark sits between items.
OCR_TWO_COLUMNS = """\
ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH QUẢNG NGÃI Độc lập - Tự do - Hạnh phúc
Số: 575/UBND-KTTH Quảng Ngãi, ngày 04 tháng 02 năm 2025
V/v tham gia ý kiến các dự thảo
Nghị định của Chính phủ
ae” Kính gửi: Sở Tài chính
Sở Tài chính chủ trì, tham gia góp ý dự thảo các Nghị định của Chính phủ.
Noi nhận: TL. CHỦ TỊCH
Mà bo KT. CHÁNH VĂN PHÒNG
- Như trên; b ' È
- CT, PCT UBND tỉnh; Bồ) CS DRCH
- Các Sở: Tài chính, Kế hoạch và Đầu tư,
Xây dựng, Nội vụ;
- VPUB: CVP, PCVP; >44À
Ni
»
- Cổng TT-ĐT tỉnh:
- Lưu: VT, NC (lnphong55) CHỦ TỊCH UBND TỈNH
"""


def test_ocr_lists_beside_a_signing_block() -> None:
    found = metadata(OCR_TWO_COLUMNS)
    assert found.addressees == ("Sở Tài chính",)
    assert found.recipients == (
        "Như trên", "CT, PCT UBND tỉnh", "Các Sở: Tài chính, Kế hoạch và Đầu tư, Xây dựng, Nội vụ",
        "VPUB: CVP, PCVP", "Cổng TT-ĐT tỉnh", "Lưu: VT, NC (lnphong55)",
    )


@pytest.mark.parametrize("label", ["Nơi nhận:", "Noi nhận:", "Nơi nhân:", "NƠI NHẬN:"])
def test_nơi_nhận_label_as_ocr_spells_it(label: str) -> None:
    text = PLAIN_RUN_TOGETHER.replace("Nơi nhận: TM. BAN THƯỜNG VỤ", f"{label} TM. BAN THƯỜNG VỤ")
    assert metadata(text).recipients == ("Như trên", "Lưu: VT, VP")


def test_a_misspelt_label_needs_its_colon() -> None:
    text = PLAIN_RUN_TOGETHER.replace("Nơi nhận: TM. BAN THƯỜNG VỤ", "Noi nhan TM. BAN THƯỜNG VỤ")
    assert metadata(text).recipients == ()


@pytest.mark.parametrize("line", ["Kính gửi: Các công đoàn ngành.", "ae” Kính gửi: Các công đoàn ngành.",
                                  "Kinh gửi: Các công đoàn ngành."])
def test_kính_gửi_after_ocr_noise_or_misspelt(line: str) -> None:
    text = PLAIN_RUN_TOGETHER.replace("Kính gửi: Các công đoàn ngành.", line)
    assert metadata(text).addressees == ("Các công đoàn ngành",)


def test_a_comma_at_the_end_of_a_dashed_item_goes_on_but_a_semicolon_ends_it() -> None:
    text = PLAIN_RUN_TOGETHER.replace("- Như trên; PHÓ CHỦ TỊCH", "- Như trên; PHÓ CHỦ TỊCH\n- Các ban, đơn vị trực\n"
                                      "thuộc LĐLĐ tỉnh;\n- Các Sở: Tài chính,\nNội vụ;")
    assert metadata(text).recipients == (
        "Như trên", "Các ban, đơn vị trực thuộc LĐLĐ tỉnh", "Các Sở: Tài chính, Nội vụ", "Lưu: VT, VP")


def test_a_second_item_on_the_line_is_kept() -> None:
    text = PLAIN_RUN_TOGETHER.replace("- Như trên; PHÓ CHỦ TỊCH", "- Như trên; PHÓ CHỦ TỊCH\n- Sở Y tế; Sở Xây dựng;")
    assert "Sở Y tế; Sở Xây dựng" in metadata(text).recipients


@pytest.mark.parametrize(("line", "place", "date"), [
    ("Số: 04 /QĐ-BCĐ138 Quảng Ngãi, ngày0P tháng 02 năm 2025", "Quảng Ngãi", None),  # the day unreadable
    ("Số: 04  /TTr-UBND Quảng Ngãi, ngày tháng 01 năm 2025", "Quảng Ngãi", None),
    ("Số:23 /TTr-UBND Quảng Ngãi, ngày 05 tháng 02 năm 2025", "Quảng Ngãi", dt.date(2025, 2, 5)),
    ("số: 4222 /TCT -PC Hà Nội. ngày 09 tháng 11 năm 2023", "Hà Nội", dt.date(2023, 11, 9)),
    ("Quảng Ngãi, ngày3{ tháng 12 năm 2024", "Quảng Ngãi", None),
])
def test_ocr_date_lines(line: str, place: str, date: dt.date | None) -> None:
    found = find_date_line(line)
    assert found is not None and (found.place, found.date) == (place, date)


def test_a_sentence_after_a_full_stop_is_no_date_line() -> None:
    assert find_date_line("theo ý kiến của Bộ Tài Chính. Ngày 12 tháng 3 năm 2021 Bộ đã trả lời") is None


OCR_HEAD = """\
ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
_ TỈNH QUẢNG NGÃI Độc lập - Tự do - Hạnh phúc
Số: †4/UBND-KTTH Quảng Ngãi, ngày Ø†tháng 02 năm 2025
TỜ TRÌNH
- Về việc miễn nhiệm chức danh Ủy viên
Ủy ban nhân dân tỉnh nhiệm kỳ 2021 - 2026
Kính gửi: Hội đồng nhân dân tỉnh
Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015;
"""


def test_an_ocr_head_is_read_and_what_is_unreadable_is_unknown() -> None:
    found = metadata(OCR_HEAD)
    assert found.number is None and found.issued_date is None  # "†4", "Ø†": never guessed
    assert found.organ_name == "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"  # not run into the number line
    assert found.place == "Quảng Ngãi"
    assert found.subject == "miễn nhiệm chức danh Ủy viên Ủy ban nhân dân tỉnh nhiệm kỳ 2021 - 2026"
    assert found.addressees == ("Hội đồng nhân dân tỉnh",)


# --- issue 16: LibreOffice renderings and OCR'd signing blocks (tests/real) -----------------------

LAYOUT_SUBJECT_ENDS_IN_AN_ABBREVIATION = """\
                BỘ Y TẾ                       CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
           Số: 384/BYT-KCB                               Độc lập - Tự do - Hạnh phúc
V/v cấp CCHN và GPHĐ khám bệnh,                      Hà Nội, ngày 27 tháng 01 năm 2014
  chữa bệnh theo quy định của Luật
                  KBCB

      Kính gửi: Sở Y tế các tỉnh, thành phố
      Bộ Y tế đề nghị các đơn vị thực hiện.
"""


def test_a_wrapped_subject_keeps_its_last_word_in_capitals() -> None:
    """LibreOffice wraps a narrow header column so that an abbreviation ends up alone on a line."""
    found = metadata(LAYOUT_SUBJECT_ENDS_IN_AN_ABBREVIATION)
    assert found.subject == "cấp CCHN và GPHĐ khám bệnh, chữa bệnh theo quy định của Luật KBCB"
    assert found.addressees == ("Sở Y tế các tỉnh, thành phố",)


def test_a_mark_or_two_words_in_capitals_under_the_subject_are_not_part_of_it() -> None:
    mark = LAYOUT_SUBJECT_ENDS_IN_AN_ABBREVIATION.replace("                  KBCB", "                  KHẨN")
    assert metadata(mark).subject == "cấp CCHN và GPHĐ khám bệnh, chữa bệnh theo quy định của Luật"
    heading = LAYOUT_SUBJECT_ENDS_IN_AN_ABBREVIATION.replace("                  KBCB", "              CÔNG VĂN")
    assert metadata(heading).subject == "cấp CCHN và GPHĐ khám bệnh, chữa bệnh theo quy định của Luật"


def test_an_authority_after_ocr_noise_on_its_line_is_read() -> None:
    """"Mà bo KT. CHÁNH VĂN PHÒNG": the left column's line lost to noise, the authority kept."""
    found = metadata(OCR_TWO_COLUMNS)
    assert found.signer.authority == "TL. CHỦ TỊCH KT. CHÁNH VĂN PHÒNG"
    assert found.recipients[0] == "Như trên"  # the noise is not a recipient


def test_an_office_code_in_capitals_is_not_an_authority() -> None:
    """The control: "Lưu: VT, KT." ends with an office code, not an authority."""
    text = PLAIN_RUN_TOGETHER.replace("- Lưu: VT, VP. Nguyễn Văn An", "Lưu VT KT. Nguyễn Văn An")
    assert metadata(text).signer.authority == "TM. BAN THƯỜNG VỤ"


OCR_STAMP_DEBRIS = """\
ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH QUẢNG NGÃI Độc lập - Tự do - Hạnh phúc
Số: 280/BC-UBND Quảng Ngãi, ngày 22 tháng 11 năm 2024
BÁO CÁO
Về việc điều chỉnh dự toán
Thực hiện quy định của Luật Ngân sách nhà nước, UBND tỉnh báo cáo như sau.
Nơi nhận: TM. ỦY BAN NHÂN DÂN
- Như trên; KT. CHỦ TỊCH
- Sở Tài chính;
- Lưu: VT, P.KTTH.
CÀ:
#/) _ xé
Trần Phước Hiền
"""


def test_stamp_debris_under_the_authority_is_not_part_of_it() -> None:
    found = metadata(OCR_STAMP_DEBRIS)
    assert found.signer.authority == "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH"
    assert found.signer.full_name == "Trần Phước Hiền"


def test_an_authority_wrapped_over_two_lines_is_still_joined() -> None:
    """The control: a real second line of an authority is words in capitals."""
    text = OCR_STAMP_DEBRIS.replace("CÀ:\n#/) _ xé\n", "").replace(
        "Nơi nhận: TM. ỦY BAN NHÂN DÂN\n- Như trên; KT. CHỦ TỊCH\n",
        "Nơi nhận: TM. BAN THƯỜNG VỤ LIÊN ĐOÀN\n- Như trên; LAO ĐỘNG TỈNH\n")
    assert metadata(text).signer.authority == "TM. BAN THƯỜNG VỤ LIÊN ĐOÀN LAO ĐỘNG TỈNH"


def test_a_notation_joined_by_an_ampersand_is_one_token() -> None:
    """"Số: 2865/GDĐT –KT&KĐCL": "&" joins two codes of one department (found by the ninth pass)."""
    found = metadata(f"{ORGAN}\nSố: 2865/GDĐT –KT&KĐCL\nMẫu Sơn, ngày 3 tháng 2 năm 2026\nV/v góp ý\n")
    assert found.number == "2865/GDĐT-KT&KĐCL"


@pytest.mark.parametrize(("line", "item"), [
    ("- Lưu (VP ; KT&KĐCL).", "Lưu (VP ; KT&KĐCL)"),  # a ";" inside the item's brackets
    ("- Lưu: VT, NCTH.HH d:\\2011\\CV\\SVH\\T4\\Bau cho Vinh", "Lưu: VT, NCTH.HH"),  # the drafter's file path
])
def test_the_last_item_keeps_its_brackets_and_loses_a_file_path(line: str, item: str) -> None:
    found = metadata(f"{ORGAN}\nSố: 5/LĐLĐ\nV/v triển khai\nNội dung./.\nNơi nhận:\n- Như trên;\n{line}\n")
    assert found.recipients == ("Như trên", item)


def test_an_older_letter_s_ve_subject_with_its_colon() -> None:
    """"Về: tham gia ý kiến ..." under the number, as older letters print the trích yếu: a công văn."""
    found = metadata(f"{ORGAN}\nSố: 2865/LĐLĐ\nVề: tham gia ý kiến về dự thảo Quy chế.\n"
                     "Mẫu Sơn, ngày 3 tháng 2 năm 2026\n"
                     "Kính gửi: Các đơn vị.\nVề công tác tổ chức, đề nghị các đơn vị góp ý.\n")
    assert (found.type_name, found.subject) == ("Công văn", "tham gia ý kiến về dự thảo Quy chế")


def test_a_subject_opening_with_ve_alone_right_under_the_number() -> None:
    """"Về tăng cường ..." on the first line under the number, as some offices print a công văn's
    trích yếu; a body paragraph opening with "Về" after Kính gửi is never the subject."""
    found = metadata(f"{ORGAN}\nSố: 54/VP-TH\nVề tăng cường quản lý đầu tư\nxây dựng cơ bản\n"
                     "Mẫu Sơn, ngày 3 tháng 2 năm 2026\n"
                     "Kính gửi: Các đơn vị.\nVề công tác tổ chức, đề nghị các đơn vị góp ý.\n")
    assert (found.type_name, found.subject) == ("Công văn", "tăng cường quản lý đầu tư xây dựng cơ bản")
    below_date = metadata(f"{ORGAN}\nSố: 54/VP-TH\nMẫu Sơn, ngày 3 tháng 2 năm 2026\n"
                          "Về công tác tổ chức, đề nghị các đơn vị góp ý.\n")
    assert below_date.subject is None
    body = metadata(f"{ORGAN}\nSố: 54/VP-TH\nKính gửi: Các đơn vị.\nVề công tác tổ chức, đề nghị góp ý.\n")
    assert body.subject is None


@pytest.mark.parametrize(("printed", "expected"), [
    ("ỦY BAN NHÂN DÂN\nTÍNH BINH ĐINH", "ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH"),  # OCR: the marks of a province
    ("LIÊN ĐOÀN LAO ĐỘNG\nTỈNH KHANH HOA", "LIÊN ĐOÀN LAO ĐỘNG TỈNH KHÁNH HÒA"),
    ("SỞ Y TẾ\nTHÀNH PHÔ CÂN THƠ", "SỞ Y TẾ THÀNH PHỐ CẦN THƠ"),
    ("ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\n: | „ Ỷ P", "ỦY BAN NHÂN DÂN TỈNH LÀO CAI"),  # specks from a stamp
    ("ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI QUYÉT ĐỊNH Ộ", "ỦY BAN NHÂN DÂN TỈNH LÀO CAI"),  # the heading beside it
    ("ỦY BAN NHÂN DÂN\nTỈNH MẪU SƠN", "ỦY BAN NHÂN DÂN TỈNH MẪU SƠN"),  # no province of that name: as printed
])
def test_an_ocr_issuer_is_read_as_the_province_prints_it(printed: str, expected: str) -> None:
    found = metadata(f"{printed}\nSố: 12/UBND-VP\nV/v triển khai nhiệm vụ\nKính gửi: Các đơn vị.\n")
    assert found.organ_name == expected
    assert found.subject == "triển khai nhiệm vụ"
