"""The golden corpus (issue 4): generated letters with their expected metadata, one per trap.

Each `GoldenCase` is a `Letter` (pipeline.corpus.letters) of one document system - a state body
(UBND, Sở), a trade union (LĐLĐ) or a Party committee (Tỉnh ủy, Huyện ủy) - printed with the traps
that real text layers carry (DOMAIN.md §2): tone placement, NFD, dash variants, no-break spaces,
spaces inside the number, blank number or date, page numbers as lone lines, wrapped subjects, both
list separators, "Mật" inside sentences, fields that are genuinely absent, two-column blocks drawn
in three orders. Which traps a case exercises is read from the letter itself (`traps_of`), so the
coverage table cannot claim what the PDF does not contain.

`expected_metadata(letter)` is the ground truth in the shape of the inspection contract
(`congbo inspect --json`, key "metadata"); `metadata_data(metadata)` puts an extraction in the same
shape; `compare` lists the fields where they differ. scripts/make_golden.py writes the corpus to
tests/golden/, bench/bench_fields.py scores any folder of PDFs with expected JSON beside them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from corpus.letters import (
    CONG_VAN,
    PARTY_TYPE_CODES,
    STATE_TYPE_CODES,
    VN_TZ,
    Letter,
    Printing,
    header_line_count,
    old_tones,
    subject_line_count,
    wraps_list_items,
)
from pipeline.cli.contract import metadata_contract
from pipeline.normalize import canonical
from pipeline.records import Metadata

Family = Literal["state", "union", "party"]

# Every trap the corpus must cover, with what it means in the PDF.
TRAPS: dict[str, str] = {
    "system-state": "a state body: Sở or UBND, with its parent body above it",
    "system-union": "a trade union: LĐLĐ tỉnh under TỔNG LIÊN ĐOÀN, LĐLĐ huyện, công đoàn ngành",
    "system-party": "a Party committee: Tỉnh ủy, Huyện ủy, a Party board; ĐẢNG CỘNG SẢN VIỆT NAM",
    "columns-sequential": "two-column blocks drawn one column after the other (plain text: in sequence)",
    "columns-interleaved": "header columns drawn line by line (plain text: the motto between issuer lines)",
    "closing-interleaved": "Nơi nhận and the signing block drawn line by line (plain text: interleaved)",
    "right-column-first": "the right column (motto, date; signing block) drawn before the left one",
    "old-tones": "the other tone placement: HOÀ, UỶ, Hoả tốc, thuỷ",
    "nfd": "decomposed Unicode (base letters then combining marks)",
    "dash-variants": "en or em dash in the number, the motto and list bullets",
    "nbsp": "no-break spaces in the header, the lists and the closing",
    "number-spaces": "spaces inside the number: 78 /LĐLĐ, 145 - CV/TU",
    "blank-number": "the number left blank: Số:      /KH-LĐLĐ",
    "blank-date": "the date left blank: ngày      tháng      năm 2026",
    "page-numbers": "page numbers printed as lone lines (a second page, or every page's foot)",
    "wrapped-subject": "a subject wrapped over two or more lines",
    "first-addressee-inline": "the first Kính gửi item on the label's line",
    "addressee-label-own-line": "Kính gửi: alone on its line, the items under it",
    "single-addressee": "one addressee, centred on the Kính gửi line",
    "items-semicolon": "list items ending in ;",
    "items-comma": "list items ending in ,",
    "mat-in-body": "sentences mentioning Mật / MẬT / bí mật that are not a secrecy mark",
    "secrecy-mark": "a real secrecy mark (MẬT, TỐI MẬT) that must be read",
    "urgency-mark": "an urgency mark (KHẨN, THƯỢNG KHẨN, HỎA TỐC)",
    "circulation-mark": "LƯU HÀNH NỘI BỘ above the motto",
    "no-parent": "no parent body above the issuer: parent_issuer is None",
    "no-addressees": "no Kính gửi: addressees is empty",
    "no-authority": "the signer signs in their own title: authority is None",
    "no-references": "the body cites no document: references is empty",
    "no-subject": "no trích yếu at all: subject is None",
    "multi-line-authority": "an authority over two lines: TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH",
    "signature-stamp": "the Ký bởi / Thời gian ký lines of an organisation signature",
    "subject-prefix": "a Về việc / V.v prefix that is not part of the subject",
    "year-in-number": "a number with the year: 15/2026/QĐ-UBND",
    "party-star": "the * under (or after) a Party organisation's name",
    "spaced-heading": "a letter-spaced type heading: K Ế  H O Ạ C H",
    "heading-not-code": "a heading that is not the number's type code (291/QĐ-LĐLĐ titled QUY ĐỊNH)",
    "wrapped-items": "Kính gửi or Nơi nhận items wrapped over two lines",
    "wrapped-issuer": "an issuer's name wrapped over two lines",
}


@dataclass(frozen=True)
class GoldenCase:
    name: str  # file stem in tests/golden/
    family: Family
    letter: Letter
    pages: int = 1  # pages the rendered PDF has (checked by the tests)

    @property
    def traps(self) -> tuple[str, ...]:
        return traps_of(self)


# --- ground truth in the inspection contract's shape ----------------------------------------------


def _c(text: str) -> str:
    return " ".join(canonical(text).split())


def expected_metadata(letter: Letter) -> dict[str, Any]:
    """What `congbo inspect --json` must report under "metadata" for `letter`, whatever its
    printing: canonical spelling, the number without its inner spaces, the subject after its
    prefix, lists without dashes and closing punctuation, None or [] for what is absent."""
    authority = _c(" ".join(letter.authority_lines)).upper()
    return {
        "number": _c(letter.number) if letter.number else None,
        "date": letter.issued_date.isoformat() if letter.issued_date else None,
        "place": _c(letter.place),
        "issuer": _c(letter.organ_name).upper(),
        "type": _c(letter.type_name),
        "subject": _c(letter.subject) or None,
        "addressees": [_c(a) for a in letter.addressees],
        "recipients": [_c(r) for r in letter.recipients],
        "signer": {
            "name": _c(letter.signer_name),
            "title": _c(letter.position).upper(),
            "authority": authority or None,
        },
        "urgency": _c(letter.urgency).capitalize() if letter.urgency else None,
        "secrecy": _c(letter.secrecy).upper() if letter.secrecy else None,
        "references": [_c(number) for number in letter.cites],
        "circulation": [_c(letter.circulation).upper()] if letter.circulation else [],
        "parent_issuer": _c(letter.parent_organ).upper() if letter.parent_organ else None,
        "signed_by_text": _c(letter.signed_by) if letter.signed_by else None,
        "signed_time_text": f"{letter.signed_time:%d.%m.%Y %H:%M}" if letter.signed_time else None,
    }


def metadata_data(metadata: Metadata) -> dict[str, Any]:
    """An extraction in the inspection contract's shape (the "metadata" of pipeline.cli)."""
    return metadata_contract(metadata)


# Fields in the order the bench prints them; nested dicts are flattened to "signer.name".
FIELDS = (
    "number", "date", "place", "issuer", "parent_issuer", "type", "subject", "addressees", "recipients",
    "signer.name", "signer.title", "signer.authority", "urgency", "secrecy", "circulation", "references",
    "signed_by_text", "signed_time_text",
)


def flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, Mapping):
            out.update(flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


@dataclass(frozen=True)
class Mismatch:
    field: str
    expected: Any
    actual: Any


def compare(expected: Mapping[str, Any], actual: Mapping[str, Any]) -> list[Mismatch]:
    """The fields of `expected` (only those it has: a hand-checked file may give a few) whose
    value `actual` does not match."""
    want, got = flatten(expected), flatten(actual)
    return [Mismatch(k, v, got.get(k)) for k, v in want.items() if got.get(k) != v]


# --- which traps a case exercises -----------------------------------------------------------------


def _all_text(letter: Letter) -> str:
    return "\n".join([
        letter.parent_organ or "", letter.organ_name, letter.place, letter.type_name, letter.subject,
        *letter.addressees, *letter.body, *letter.recipients, letter.authority, letter.position,
        letter.signer_name, letter.urgency or "", letter.secrecy or "", letter.circulation or "",
        letter.signed_by or "", "CỘNG HÒA",
    ])


def _heading_not_code(letter: Letter) -> bool:
    """A heading whose type is not the one the number's code names."""
    if letter.is_cong_van or not letter.number:
        return False
    codes = PARTY_TYPE_CODES if letter.system == "party" else STATE_TYPE_CODES
    tokens = re.split(r"[/-]", letter.number)
    return len(tokens) > 2 and tokens[1] in codes.values() and codes.get(letter.type_name) != tokens[1]


def _left_header_lines(letter: Letter) -> int:
    """Lines of the header's left column above the number (two or more can interleave with the motto)."""
    star = letter.system == "party" and not letter.printing.star_inline
    parent = header_line_count(letter.parent_organ) if letter.parent_organ else 0
    return parent + header_line_count(letter.organ_name) + star


def traps_of(case: GoldenCase) -> tuple[str, ...]:
    """The traps `case` exercises, read from its letter and printing."""
    letter, printing = case.letter, case.letter.printing
    separator = printing.list_end or ("," if letter.system == "party" else ";")
    lists = len(letter.addressees) > 1 or len(letter.recipients) > 1
    found = {
        f"system-{case.family}": True,
        "columns-sequential": printing.order == "columns",
        "columns-interleaved": printing.order == "rows" and _left_header_lines(letter) > 1,
        "closing-interleaved": printing.order == "rows" and bool(letter.recipients),
        "right-column-first": printing.order == "right-first",
        "old-tones": printing.old_tones and old_tones(_all_text(letter)) != _all_text(letter),
        "nfd": printing.unicode_form == "NFD",
        "dash-variants": printing.dash != "-",
        "nbsp": printing.nbsp,
        "number-spaces": printing.number_spaces and letter.number is not None,
        "blank-number": letter.number is None,
        "blank-date": letter.issued_date is None,
        "page-numbers": printing.page_numbers == "bottom" or (case.pages > 1 and printing.page_numbers != "none"),
        "wrapped-subject": subject_line_count(letter) > 1,
        "first-addressee-inline": bool(letter.addressees) and printing.addressee_label == "inline",
        "addressee-label-own-line": bool(letter.addressees) and printing.addressee_label == "own-line",
        "single-addressee": len(letter.addressees) == 1,
        "items-semicolon": lists and separator == ";",
        "items-comma": lists and separator == ",",
        "mat-in-body": any("mật" in canonical(p).lower() for p in letter.body),
        "secrecy-mark": letter.secrecy is not None,
        "urgency-mark": letter.urgency is not None,
        "circulation-mark": letter.circulation is not None,
        "no-parent": letter.parent_organ is None,
        "no-addressees": not letter.addressees,
        "no-authority": not letter.authority_lines,
        "no-references": not letter.cites,
        "no-subject": not letter.subject,
        "multi-line-authority": len(letter.authority_lines) > 1,
        "signature-stamp": letter.signed_by is not None,
        "subject-prefix": letter.subject_prefix is not None and letter.subject_prefix != "V/v",
        "year-in-number": bool(letter.number and re.search(r"/(?:19|20)\d\d/", letter.number)),
        "party-star": letter.system == "party",
        "spaced-heading": printing.spaced_heading and not letter.is_cong_van,
        "heading-not-code": _heading_not_code(letter),
        "wrapped-items": wraps_list_items(letter),
        "wrapped-issuer": header_line_count(letter.organ_name) > 1,
    }
    return tuple(trap for trap in TRAPS if found.get(trap))


# --- the three document systems -------------------------------------------------------------------

PROVINCE = "Mẫu Sơn"
TLD = "Tổng Liên đoàn Lao động Việt Nam"
LDLD = "Liên đoàn Lao động tỉnh Mẫu Sơn"
UBND = "Ủy ban nhân dân tỉnh Mẫu Sơn"
TINH_UY = "Tỉnh ủy Mẫu Sơn"
DANG_BO = "Đảng bộ tỉnh Mẫu Sơn"


def _stamped(letter: Letter, organisation: str, hour: int = 9, minute: int = 41) -> Letter:
    """`letter` with the "Ký bởi" / "Thời gian ký" stamp of `organisation`, on the letter's date."""
    d = letter.issued_date or dt.date(letter.year, 12, 1)
    when = dt.datetime(d.year, d.month, d.day, hour, minute, tzinfo=VN_TZ)
    return dataclasses.replace(letter, signed_by=organisation, signed_time=when)


def _union(**fields: Any) -> Letter:
    base: dict[str, Any] = dict(
        system="state", parent_organ=TLD, organ_name=LDLD, number="312/LĐLĐ", place=PROVINCE,
        issued_date=dt.date(2026, 10, 12), type_name=CONG_VAN, subject="", addressees=(), body=(),
        recipients=("Như trên", "Thường trực LĐLĐ tỉnh", "Lưu: VT, VP"), authority="TM. BAN THƯỜNG VỤ",
        position="PHÓ CHỦ TỊCH", signer_name="Trần Thị Bình", organ_code="LĐLĐ",
    )
    return Letter(**(base | fields))


def _state(**fields: Any) -> Letter:
    base: dict[str, Any] = dict(
        system="state", parent_organ=UBND, organ_name="Sở Nội vụ", number="1245/SNV-VP", place=PROVINCE,
        issued_date=dt.date(2026, 10, 14), type_name=CONG_VAN, subject="", addressees=(), body=(),
        recipients=("Như trên", "Giám đốc Sở (b/c)", "Lưu: VT, VP"), authority="KT. GIÁM ĐỐC",
        position="PHÓ GIÁM ĐỐC", signer_name="Đỗ Thị Hạnh", organ_code="SNV",
    )
    return Letter(**(base | fields))


def _party(**fields: Any) -> Letter:
    base: dict[str, Any] = dict(
        system="party", parent_organ=None, organ_name=TINH_UY, number="145-CV/TU", place=PROVINCE,
        issued_date=dt.date(2026, 10, 16), type_name=CONG_VAN, subject="", addressees=(), body=(),
        recipients=("Như trên", "Thường trực Tỉnh ủy", "Lưu VPTU"), authority="T/M BAN THƯỜNG VỤ",
        position="PHÓ BÍ THƯ", signer_name="Hoàng Văn Dũng", organ_code="TU",
    )
    return Letter(**(base | fields))


# --- bodies ---------------------------------------------------------------------------------------

U_DISTRICTS = (
    "Liên đoàn Lao động các huyện, thành phố",
    "Công đoàn ngành Giáo dục",
    "Công đoàn các Khu công nghiệp tỉnh",
)
U_DISTRICTS_TONES = (
    "Liên đoàn Lao động huyện Hòa An",
    "Công đoàn cơ sở Công ty CP Thủy điện Sông Mẫu",
    "Công đoàn ngành Y tế tỉnh",
)
U_CARE = (
    "Thực hiện Kế hoạch số 112/KH-LĐLĐ ngày 15/8/2026 của Ban Thường vụ Liên đoàn Lao động tỉnh về tổ chức "
    "các hoạt động chăm lo cho đoàn viên, người lao động dịp cuối năm, Liên đoàn Lao động tỉnh đề nghị các "
    "đơn vị rà soát, lập danh sách đoàn viên có hoàn cảnh đặc biệt khó khăn, bị ảnh hưởng do thiên tai, mất "
    "việc làm, và gửi về Liên đoàn Lao động tỉnh (qua Ban Tổ chức) trước ngày 30/10/2026.",
    "Liên đoàn Lao động tỉnh đề nghị các đơn vị quan tâm, triển khai thực hiện./.",
)
U_CARE_CITES = ("112/KH-LĐLĐ",)
U_MEETING = (
    "Thực hiện Chương trình công tác năm 2026, Liên đoàn Lao động tỉnh tổ chức Hội nghị tập huấn nghiệp vụ "
    "công tác văn thư, lưu trữ và ứng dụng chữ ký số cho cán bộ công đoàn các cấp.",
    "Thời gian: 01 ngày, bắt đầu từ 07 giờ 30 phút, thứ Năm, ngày 22/10/2026. Địa điểm: Hội trường Liên đoàn "
    "Lao động tỉnh, số 15 đường Trần Hưng Đạo, thành phố Tân Mẫu.",
    "Đề nghị các đơn vị cử cán bộ tham dự đầy đủ, đúng thời gian./.",
)
U_MAT = (
    "Thực hiện Quyết định số 291/QĐ-LĐLĐ ngày 26/10/2026 của Ban Thường vụ Liên đoàn Lao động tỉnh, từ ngày "
    "09/11/2026 các văn bản có nội dung không \"Mật\" của Liên đoàn Lao động tỉnh được ký số và công bố trên "
    "Cổng thông tin; các văn bản MẬT, TỐI MẬT và TUYỆT MẬT không công bố mà thực hiện theo quy định về bảo vệ "
    "bí mật nhà nước.",
    "Cán bộ làm công tác văn thư có trách nhiệm kiểm tra độ mật của văn bản trước khi công bố, giữ bí mật mật "
    "khẩu của chứng thư số và không để lộ thông tin mật ra ngoài./.",
)
U_MAT_CITES = ("291/QĐ-LĐLĐ",)
U_REPORT = (
    "1. Công tác tuyên truyền, giáo dục: Các cấp công đoàn đã tổ chức tuyên truyền kỷ niệm các ngày lễ lớn "
    "của đất nước và của tổ chức Công đoàn theo Hướng dẫn số 262/HD-LĐLĐ ngày 18/9/2026, với 146 hoạt động "
    "gặp mặt, tọa đàm, giao lưu văn nghệ được tổ chức tại các cơ quan, doanh nghiệp, thu hút trên 9.500 lượt "
    "đoàn viên tham gia. Công tác tuyên truyền trên cổng thông tin điện tử, trang mạng xã hội của Liên đoàn "
    "Lao động tỉnh được duy trì thường xuyên, đăng tải 84 tin, bài phản ánh hoạt động công đoàn và gương người "
    "tốt, việc tốt trong công nhân, viên chức, lao động; các bản tin được biên tập ngắn gọn, dễ hiểu, phù hợp "
    "với công nhân lao động làm việc theo ca tại các khu công nghiệp.",
    "2. Công tác đại diện, bảo vệ quyền, lợi ích hợp pháp, chính đáng của đoàn viên, người lao động: Liên đoàn "
    "Lao động tỉnh phối hợp với Sở Nội vụ, Bảo hiểm xã hội tỉnh nắm tình hình việc làm, thu nhập của người "
    "lao động trong các doanh nghiệp; tham gia giải quyết 01 vụ ngừng việc tập thể tại doanh nghiệp may mặc, "
    "bảo đảm quyền lợi của 210 người lao động. Các cấp công đoàn tư vấn pháp luật cho 63 lượt người lao động, "
    "tập trung vào các nội dung về hợp đồng lao động, bảo hiểm xã hội và chế độ nghỉ dưỡng sức. Công đoàn các "
    "Khu công nghiệp tỉnh phối hợp với các doanh nghiệp tổ chức 12 cuộc đối thoại định kỳ tại nơi làm việc, "
    "ký kết mới 04 thỏa ước lao động tập thể có nhiều điều khoản có lợi hơn cho người lao động.",
    "3. Phong trào thi đua và các hoạt động khác: Hội thao công nhân, viên chức, lao động tỉnh năm 2026 được "
    "tổ chức thành công trong hai ngày 24 và 25/10/2026 theo Kế hoạch số 255/KH-LĐLĐ ngày 10/9/2026, với sự "
    "tham gia của 9 đoàn và 386 vận động viên. Phong trào thi đua lao động giỏi, lao động sáng tạo tiếp tục "
    "được triển khai sâu rộng, trong tháng có 27 sáng kiến, cải tiến kỹ thuật được công nhận, góp phần nâng "
    "cao năng suất lao động và hiệu quả sản xuất, kinh doanh của doanh nghiệp. Công tác phát triển đoàn viên, "
    "thành lập công đoàn cơ sở được quan tâm; toàn tỉnh kết nạp mới 412 đoàn viên, thành lập mới 03 công đoàn "
    "cơ sở trong doanh nghiệp ngoài nhà nước.",
    "4. Nhiệm vụ trọng tâm tháng tới: Tổ chức Diễn đàn đối thoại giữa lãnh đạo tỉnh với công nhân lao động "
    "năm 2026; triển khai Quy chế tiếp nhận, xử lý và công bố văn bản điện tử; hướng dẫn các cấp công đoàn "
    "tổng kết công tác năm 2026, xây dựng chương trình công tác năm 2027; chủ động nắm tình hình việc làm, "
    "thu nhập và đời sống của người lao động dịp cuối năm, kịp thời báo cáo cấp ủy, chính quyền những vấn đề "
    "phát sinh; chuẩn bị các điều kiện tổ chức Tết Sum vầy cho công nhân lao động có hoàn cảnh khó khăn.",
)
U_REPORT_CITES = ("262/HD-LĐLĐ", "255/KH-LĐLĐ")
U_DECISION = (
    "BAN THƯỜNG VỤ LIÊN ĐOÀN LAO ĐỘNG TỈNH MẪU SƠN",
    "Căn cứ Điều lệ Công đoàn Việt Nam;",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;",
    "Xét đề nghị của Chánh Văn phòng Liên đoàn Lao động tỉnh,",
    "QUYẾT ĐỊNH:",
    "Điều 1. Thành lập Tổ công tác chuyển đổi số của Liên đoàn Lao động tỉnh gồm các đồng chí có tên trong "
    "danh sách kèm theo.",
    "Điều 2. Quyết định này có hiệu lực kể từ ngày ký. Văn phòng, các Ban của Liên đoàn Lao động tỉnh và các "
    "đồng chí có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.",
)
U_DECISION_CITES = ("30/2020/NĐ-CP",)
U_PLAN = (
    "Thực hiện Chương trình phối hợp giữa Ủy ban nhân dân tỉnh và Liên đoàn Lao động tỉnh giai đoạn 2025 - 2030, "
    "Ban Thường vụ Liên đoàn Lao động tỉnh ban hành Kế hoạch như sau:",
    "1. Mục đích, yêu cầu: Tạo kênh thông tin trực tiếp để lãnh đạo tỉnh lắng nghe tâm tư, nguyện vọng của công "
    "nhân lao động; đối thoại bảo đảm dân chủ, cởi mở, thẳng thắn.",
    "2. Tổ chức thực hiện: Ban Tổ chức chủ trì, phối hợp với Văn phòng tham mưu tổ chức Diễn đàn; các đơn vị "
    "lựa chọn, giới thiệu công nhân lao động tiêu biểu tham dự./.",
)

S_UNITS = ("Các sở, ban, ngành tỉnh", "Ủy ban nhân dân các huyện, thành phố")
S_PAY = (
    "Thực hiện Công văn số 2871/UBND-KT ngày 02/10/2026 của Ủy ban nhân dân tỉnh về việc rà soát, thống kê "
    "số lượng người làm việc trong các đơn vị sự nghiệp công lập, Sở Nội vụ đề nghị các cơ quan, đơn vị tổng "
    "hợp số liệu theo biểu mẫu gửi kèm.",
    "Văn bản báo cáo gửi về Sở Nội vụ (qua Phòng Tổ chức, biên chế) trước ngày 25/10/2026, đồng thời gửi bản "
    "điện tử qua hệ thống quản lý văn bản và điều hành để tổng hợp, báo cáo Ủy ban nhân dân tỉnh./.",
)
S_PAY_CITES = ("2871/UBND-KT",)
S_ARCHIVE = (
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư và Thông tư số "
    "02/2019/TT-BNV ngày 24/01/2019 của Bộ Nội vụ, Sở Nội vụ hướng dẫn các cơ quan, tổ chức trên địa bàn tỉnh "
    "thực hiện việc ký số, phát hành và lưu trữ văn bản điện tử như sau:",
    "1. Văn bản điện tử được ký số bởi người có thẩm quyền và ký số của cơ quan, tổ chức theo đúng thứ tự; "
    "văn bản đi được phát hành trong ngày ký, chậm nhất là ngày làm việc tiếp theo.",
    "2. Các văn bản có nội dung bí mật nhà nước không được gửi, nhận qua hệ thống quản lý văn bản và điều "
    "hành; văn bản MẬT được quản lý theo quy định của pháp luật về bảo vệ bí mật nhà nước./.",
)
S_ARCHIVE_CITES = ("30/2020/NĐ-CP", "02/2019/TT-BNV")
S_DECISION = (
    "ỦY BAN NHÂN DÂN TỈNH MẪU SƠN",
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025;",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
    "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 415/TTr-SNV ngày 30/9/2026.",
    "QUYẾT ĐỊNH:",
    "Điều 1. Ban hành kèm theo Quyết định này Quy chế công tác văn thư, lưu trữ trên địa bàn tỉnh Mẫu Sơn.",
    "Điều 2. Quyết định này có hiệu lực kể từ ngày 01 tháng 11 năm 2026.",
    "Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ, Thủ trưởng các sở, ban, ngành tỉnh, "
    "Chủ tịch Ủy ban nhân dân các huyện, thành phố chịu trách nhiệm thi hành Quyết định này./.",
)
S_DECISION_CITES = ("30/2020/NĐ-CP", "415/TTr-SNV")
S_REPORT = (
    "1. Kết quả thực hiện: Trong quý III năm 2026, Sở Nội vụ đã tham mưu Ủy ban nhân dân tỉnh ban hành 12 "
    "văn bản quy phạm pháp luật và văn bản chỉ đạo, điều hành về tổ chức bộ máy, biên chế, cải cách hành "
    "chính; thẩm định đề án vị trí việc làm của 37 đơn vị sự nghiệp công lập; tổ chức 04 lớp bồi dưỡng kỹ "
    "năng soạn thảo văn bản và ứng dụng chữ ký số cho 520 lượt cán bộ, công chức, viên chức. Tỷ lệ văn bản "
    "đi được ký số và gửi trên môi trường điện tử đạt 97,6%, tăng 4,1% so với quý trước; thời gian xử lý "
    "hồ sơ công việc trung bình giảm từ 6,2 ngày xuống còn 4,8 ngày.",
    "2. Tồn tại, hạn chế: Một số đơn vị chưa thực hiện nghiêm việc phát hành văn bản điện tử trong ngày ký; "
    "việc số hóa tài liệu lưu trữ còn chậm so với kế hoạch; hạ tầng công nghệ thông tin tại một số xã chưa "
    "đáp ứng yêu cầu, đường truyền thường xuyên gián đoạn; đội ngũ làm công tác văn thư, lưu trữ ở cấp xã "
    "phần lớn kiêm nhiệm, thường xuyên thay đổi, chưa được bồi dưỡng nghiệp vụ đầy đủ, ảnh hưởng đến chất "
    "lượng lập hồ sơ và giao nộp hồ sơ, tài liệu vào lưu trữ cơ quan.",
    "3. Nguyên nhân: Nhận thức của một bộ phận cán bộ, công chức về chuyển đổi số chưa đầy đủ, còn thói quen "
    "sử dụng văn bản giấy; kinh phí đầu tư cho hạ tầng, thiết bị còn hạn chế; sự phối hợp giữa các cơ quan "
    "chuyên môn trong việc hướng dẫn, kiểm tra có lúc chưa chặt chẽ, kịp thời; một số phần mềm quản lý văn "
    "bản chưa được nâng cấp để kết nối liên thông với hệ thống của tỉnh.",
    "4. Nhiệm vụ quý IV năm 2026: Tiếp tục tham mưu hoàn thiện thể chế về công tác văn thư, lưu trữ; đẩy "
    "mạnh số hóa tài liệu lưu trữ lịch sử của tỉnh; kiểm tra việc thực hiện ký số và phát hành văn bản điện "
    "tử tại 20 cơ quan, đơn vị; tổ chức sơ kết việc thực hiện Kế hoạch số 88/KH-UBND ngày 15/3/2026 của Ủy "
    "ban nhân dân tỉnh về chuyển đổi số trong hoạt động của cơ quan nhà nước; đề xuất khen thưởng các tập "
    "thể, cá nhân có thành tích xuất sắc trong công tác văn thư, lưu trữ năm 2026.",
)
S_REPORT_CITES = ("88/KH-UBND",)

P_UNITS = (
    "Các huyện ủy, thị ủy, thành ủy",
    "Các đảng ủy trực thuộc Tỉnh ủy",
    "Các ban, cơ quan tham mưu, giúp việc Tỉnh ủy",
)
P_STUDY = (
    "Thực hiện Quy định số 217-QĐ/TW ngày 02/01/2020 của Bộ Chính trị về việc gửi, nhận văn bản điện tử "
    "trong các cơ quan, tổ chức đảng, Ban Thường vụ Tỉnh ủy đề nghị các cấp ủy, tổ chức đảng triển khai "
    "việc tiếp nhận văn bản điện tử được ký số trên Cổng thông tin của Tỉnh ủy.",
    "Các đơn vị phân công cán bộ theo dõi Cổng thông tin hằng ngày, kịp thời báo cáo cấp ủy xử lý văn bản "
    "đến; văn bản khẩn được xử lý ngay khi nhận./.",
)
P_STUDY_CITES = ("217-QĐ/TW",)
P_MAT = (
    "Căn cứ Quy định số 337-QĐ/TW năm 2025 của Bộ Chính trị và Hướng dẫn số 36-HD/VPTW ngày 03/4/2018 của "
    "Văn phòng Trung ương Đảng, chỉ các văn bản có nội dung không \"Mật\" mới được gửi qua Cổng thông tin; "
    "văn bản MẬT chỉ được chuyển trên mạng thông tin diện rộng của Đảng.",
    "Các cấp ủy quán triệt cán bộ, đảng viên nghiêm túc thực hiện quy định về bảo vệ bí mật của Đảng, không "
    "soạn thảo, lưu giữ tài liệu mật trên máy tính kết nối Internet./.",
)
P_MAT_CITES = ("337-QĐ/TW", "36-HD/VPTW")
P_PLAN = (
    "Thực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị, Ban Thường vụ Tỉnh ủy xây dựng Kế hoạch "
    "tổ chức học tập, quán triệt Nghị quyết Đại hội Đảng bộ tỉnh như sau:",
    "1. Đối tượng: Cán bộ chủ chốt cấp tỉnh, cấp huyện; bí thư chi bộ, đảng viên trong toàn Đảng bộ tỉnh.",
    "2. Thời gian: Hoàn thành trong tháng 11 năm 2026; các cấp ủy báo cáo kết quả về Ban Tuyên giáo Tỉnh ủy "
    "trước ngày 05/12/2026./.",
)
P_PLAN_CITES = ("05-CT/TW",)
P_REPORT = (
    "1. Tình hình tư tưởng: Trong quý III năm 2026, tình hình tư tưởng của cán bộ, đảng viên và Nhân dân "
    "trong tỉnh cơ bản ổn định; cán bộ, đảng viên tin tưởng vào sự lãnh đạo của Đảng, đồng tình với các chủ "
    "trương, chính sách của Đảng, pháp luật của Nhà nước, nhất là việc sắp xếp tổ chức bộ máy của hệ thống "
    "chính trị tinh gọn, hoạt động hiệu lực, hiệu quả. Nhân dân phấn khởi trước kết quả phát triển kinh tế - "
    "xã hội của tỉnh, tốc độ tăng trưởng kinh tế ước đạt 8,2%, thu ngân sách vượt dự toán.",
    "2. Công tác tuyên truyền: Các cấp ủy đã tổ chức quán triệt, triển khai các nghị quyết, chỉ thị, kết "
    "luận của Trung ương và của Tỉnh ủy theo Kế hoạch số 150-KH/TU ngày 20/8/2026; tổ chức 326 hội nghị "
    "với trên 41.000 lượt cán bộ, đảng viên tham gia. Công tác tuyên truyền trên báo chí, trên không gian "
    "mạng được đẩy mạnh; đấu tranh phản bác các quan điểm sai trái, thù địch được thực hiện thường xuyên, "
    "có trọng tâm, trọng điểm, góp phần bảo vệ nền tảng tư tưởng của Đảng.",
    "3. Công tác xây dựng Đảng: Các cấp ủy tập trung lãnh đạo tổ chức thành công đại hội chi bộ nhiệm kỳ "
    "2025 - 2027; kết nạp 612 đảng viên mới, đạt 68% chỉ tiêu năm; kiện toàn 14 tổ chức cơ sở đảng sau "
    "sắp xếp đơn vị hành chính cấp xã. Công tác kiểm tra, giám sát được thực hiện theo chương trình; việc "
    "tiếp nhận, phát hành văn bản điện tử trong các cơ quan đảng được triển khai đồng bộ, bảo đảm an toàn.",
    "4. Nhiệm vụ quý IV năm 2026: Tiếp tục lãnh đạo thực hiện thắng lợi các chỉ tiêu kinh tế - xã hội năm "
    "2026; chuẩn bị tổng kết công tác xây dựng Đảng năm 2026; triển khai Quy định số 337-QĐ/TW năm 2025 về "
    "gửi, nhận văn bản điện tử; chỉ đạo các cấp ủy làm tốt công tác nắm bắt tình hình tư tưởng, dư luận xã "
    "hội, kịp thời định hướng thông tin, giải quyết những vấn đề bức xúc phát sinh ở cơ sở.",
)
P_REPORT_CITES = ("150-KH/TU", "337-QĐ/TW")
P_DECISION = (
    "Căn cứ Điều lệ Đảng Cộng sản Việt Nam;",
    "Căn cứ Quy chế làm việc của Ban Chấp hành Đảng bộ tỉnh khóa XVIII, nhiệm kỳ 2025 - 2030;",
    "Xét đề nghị của Văn phòng Tỉnh ủy,",
    "BAN THƯỜNG VỤ TỈNH ỦY QUYẾT ĐỊNH",
    "Điều 1. Ban hành Quy chế tiếp nhận, xử lý và công bố văn bản điện tử của các cơ quan đảng tỉnh.",
    "Điều 2. Văn phòng Tỉnh ủy, các ban, cơ quan tham mưu, giúp việc Tỉnh ủy, các huyện ủy, thị ủy, thành ủy "
    "và đảng ủy trực thuộc Tỉnh ủy thi hành Quyết định này./.",
)


def _replace(letter: Letter, **fields: Any) -> Letter:
    return dataclasses.replace(letter, **fields)


def _cases() -> Iterator[GoldenCase]:
    union_stamp = "Liên đoàn Lao động tỉnh Mẫu Sơn"
    cong_van_union = _union(
        subject="rà soát, lập danh sách đoàn viên có hoàn cảnh khó khăn dịp cuối năm 2026",
        addressees=U_DISTRICTS, body=U_CARE, cites=U_CARE_CITES,
        recipients=("Như trên", "Thường trực LĐLĐ tỉnh", "Ban Tổ chức", "Lưu: VT, VP"),
        authority="KT. CHỦ TỊCH",
    )

    # Trade unions (LĐLĐ tỉnh under the Tổng Liên đoàn, LĐLĐ huyện, công đoàn ngành).
    yield GoldenCase("union-cong-van", "union", _stamped(cong_van_union, union_stamp))
    yield GoldenCase("union-rows", "union", _replace(cong_van_union, printing=Printing(order="rows")))
    yield GoldenCase("union-right-first", "union", _stamped(_replace(
        cong_van_union, number="313/LĐLĐ", printing=Printing(order="right-first")), union_stamp))
    yield GoldenCase("union-old-tones", "union", _union(
        number="318/LĐLĐ", subject="hỗ trợ đoàn viên Công ty CP Thủy điện Sông Mẫu khắc phục hậu quả lũ quét",
        addressees=U_DISTRICTS_TONES, body=U_CARE, cites=U_CARE_CITES, urgency="HỎA TỐC",
        recipients=("Như trên", "Thường trực Tỉnh ủy (b/c)", "Ủy ban nhân dân tỉnh (b/c)", "Lưu: VT, VP"),
        printing=Printing(old_tones=True)))
    yield GoldenCase("union-nfd", "union", _stamped(_replace(
        cong_van_union, number="320/LĐLĐ", urgency="KHẨN", printing=Printing(unicode_form="NFD")), union_stamp))
    yield GoldenCase("union-nbsp", "union", _stamped(_replace(
        cong_van_union, number="321/LĐLĐ", printing=Printing(nbsp=True)), union_stamp))
    yield GoldenCase("union-number-spaces", "union", _replace(
        cong_van_union, number="78/LĐLĐ", issued_date=dt.date(2026, 4, 13), printing=Printing(number_spaces=True)))
    yield GoldenCase("union-decision-en-dash", "union", _union(
        number="291/QĐ-LĐLĐ", type_name="Quyết định", subject_prefix="Về việc",
        subject="thành lập Tổ công tác chuyển đổi số của Liên đoàn Lao động tỉnh Mẫu Sơn",
        body=U_DECISION, cites=U_DECISION_CITES, recipients=("Như Điều 2", TLD + " (b/c)", "Lưu: VT, VP"),
        authority="TM. BAN THƯỜNG VỤ", position="CHỦ TỊCH", signer_name="Nguyễn Văn An",
        printing=Printing(dash="–")))
    yield GoldenCase("union-rule-titled-by-heading", "union", _union(
        number="292/QĐ-LĐLĐ", type_name="Quy định", issued_date=dt.date(2027, 1, 5),
        subject="Quản lý, sử dụng chữ ký số của Liên đoàn Lao động tỉnh", body=U_DECISION[1:3] + U_DECISION[5:],
        cites=U_DECISION_CITES, recipients=("Như Điều 2", "Lưu: VT, VP"), position="CHỦ TỊCH",
        signer_name="Nguyễn Văn An", printing=Printing(spaced_heading=True)))
    yield GoldenCase("union-plan-blank-number", "union", _union(
        number=None, type_name="Kế hoạch", issued_date=dt.date(2026, 10, 20),
        subject="Tổ chức Diễn đàn đối thoại giữa lãnh đạo tỉnh với công nhân lao động năm 2026",
        body=U_PLAN, recipients=("Ủy ban nhân dân tỉnh (b/c)", "Các đơn vị trực thuộc", "Lưu: VT, VP"),
        position="CHỦ TỊCH", signer_name="Nguyễn Văn An"))
    yield GoldenCase("union-plan-wrapped-theo", "union", _union(
        number="301/KH-LĐLĐ", type_name="Kế hoạch", issued_date=dt.date(2026, 11, 2),
        subject="Tổ chức tập huấn công tác văn thư theo Chương trình công tác năm 2026", body=U_PLAN,
        recipients=("Các đơn vị trực thuộc", "Lưu: VT, VP"), position="CHỦ TỊCH", signer_name="Nguyễn Văn An"))
    yield GoldenCase("union-em-dash-tight-closing", "union", _replace(
        cong_van_union, number="323/LĐLĐ", authority="TM. BAN THƯỜNG VỤ", position="PHÓ CHỦ TỊCH THƯỜNG TRỰC",
        signer_name="Lê Hoàng Cường", recipients=(TLD + " (b/c)", "Thường trực Tỉnh ủy (b/c)", "Lưu: VT, VP"),
        printing=Printing(dash="—")))
    yield GoldenCase("union-blank-date", "union", _replace(
        cong_van_union, number="322/LĐLĐ", issued_date=None))
    yield GoldenCase("union-report-two-pages", "union", _stamped(_union(
        number="294/BC-LĐLĐ", type_name="Báo cáo", issued_date=dt.date(2026, 10, 28),
        subject="Kết quả công tác tháng 10, nhiệm vụ trọng tâm tháng 11 năm 2026", body=U_REPORT,
        cites=U_REPORT_CITES, recipients=(TLD + " (b/c)", "Thường trực Tỉnh ủy (b/c)", "Lưu: VT, VP"),
        authority="TM. BAN THƯỜNG VỤ", position="PHÓ CHỦ TỊCH THƯỜNG TRỰC", signer_name="Lê Hoàng Cường"),
        union_stamp), pages=2)
    yield GoldenCase("union-mat-in-body", "union", _union(
        number="309/TB-LĐLĐ", type_name="Thông báo", subject_prefix="Về việc",
        subject="công bố văn bản điện tử của Liên đoàn Lao động tỉnh trên Cổng thông tin",
        addressees=U_DISTRICTS, body=U_MAT, cites=U_MAT_CITES,
        recipients=("Như kính gửi", "Thường trực LĐLĐ tỉnh", "Lưu: VT, VP")))
    yield GoldenCase("union-secret", "union", _union(
        number="310/LĐLĐ", subject="quản lý văn bản có nội dung bí mật", secrecy="MẬT",
        addressees=U_DISTRICTS, body=U_MAT, cites=U_MAT_CITES))
    yield GoldenCase("union-district-invitation", "union", _union(
        parent_organ=LDLD, organ_name="Liên đoàn Lao động huyện Châu Thành", number="45/GM-LĐLĐ",
        place="Châu Thành", type_name="Giấy mời",
        subject="Dự Hội nghị tập huấn nghiệp vụ công tác văn thư, lưu trữ năm 2026",
        addressees=("Ban Chấp hành Công đoàn cơ sở Trường THPT Châu Thành",), body=U_MEETING,
        recipients=("Như trên", "Lưu: VT"), authority="TM. BAN THƯỜNG VỤ", position="CHỦ TỊCH",
        signer_name="Võ Minh Tâm"))
    yield GoldenCase("union-sector-no-parent", "union", _union(
        parent_organ=None, organ_name="Công đoàn ngành Giáo dục tỉnh Mẫu Sơn", number="27/CĐN",
        subject="cử cán bộ dự tập huấn công tác văn thư", addressees=("Công đoàn các trường trực thuộc",
                                                                      "Công đoàn Phòng Giáo dục các huyện"),
        body=U_MEETING, recipients=("Như trên", "LĐLĐ tỉnh (b/c)", "Lưu: VT"), authority="",
        position="CHỦ TỊCH", signer_name="Lý Thị Mai", printing=Printing(addressee_label="own-line")))
    yield GoldenCase("union-long-names", "union", _union(
        parent_organ=LDLD, organ_name="Công đoàn các Khu công nghiệp và Khu kinh tế tỉnh Mẫu Sơn",
        number="03/CĐKCN", place="Tân Mẫu", issued_date=dt.date(2027, 1, 5),
        subject="tổ chức đối thoại định kỳ tại nơi làm việc năm 2027",
        addressees=("Ban Chấp hành Công đoàn cơ sở các doanh nghiệp trong Khu công nghiệp Tân Mẫu và Khu kinh tế "
                    "cửa khẩu Mẫu Sơn", "Công đoàn cơ sở Công ty TNHH May Mẫu Sơn"),
        body=U_CARE, cites=U_CARE_CITES,
        recipients=("Như trên", "Liên đoàn Lao động tỉnh (để báo cáo Thường trực và Ban Chính sách - Pháp luật)",
                    "Lưu: VT"), authority="KT. CHỦ TỊCH", position="PHÓ CHỦ TỊCH", signer_name="Tạ Quang Vinh"))

    # State bodies (Sở under the UBND, the UBND itself).
    state_stamp = "Sở Nội vụ tỉnh Mẫu Sơn"
    cong_van_state = _state(
        subject="rà soát, thống kê số lượng người làm việc trong các đơn vị sự nghiệp công lập năm 2026",
        addressees=S_UNITS, body=S_PAY, cites=S_PAY_CITES,
    )
    yield GoldenCase("state-cong-van", "state", _stamped(cong_van_state, state_stamp, 15, 36))
    yield GoldenCase("state-nfd-rows", "state", _replace(
        cong_van_state, number="1250/SNV-VP", printing=Printing(unicode_form="NFD", order="rows")))
    yield GoldenCase("state-em-dash-nbsp", "state", _stamped(_state(
        number="45/HD-SNV", type_name="Hướng dẫn",
        subject="Thực hiện ký số, phát hành và lưu trữ văn bản điện tử", body=S_ARCHIVE, cites=S_ARCHIVE_CITES,
        recipients=("Ủy ban nhân dân tỉnh (b/c)", "Các sở, ban, ngành tỉnh", "Lưu: VT, VP"),
        authority="", position="GIÁM ĐỐC", signer_name="Phạm Quang Huy",
        printing=Printing(dash="—", nbsp=True)), state_stamp, 15, 36))
    yield GoldenCase("state-ubnd-decision", "state", _state(
        parent_organ=None, organ_name=UBND, number="15/2026/QĐ-UBND", type_name="Quyết định",
        issued_date=dt.date(2026, 10, 21), subject_prefix="Về việc",
        subject="ban hành Quy chế công tác văn thư, lưu trữ trên địa bàn tỉnh Mẫu Sơn", body=S_DECISION,
        cites=S_DECISION_CITES, recipients=("Như Điều 3", "Bộ Nội vụ (b/c)", "Thường trực Tỉnh ủy (b/c)",
                                            "Lưu: VT, NC"),
        authority="TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH", position="PHÓ CHỦ TỊCH", signer_name="Bùi Đức Thắng",
        printing=Printing(order="right-first")))
    yield GoldenCase("state-ubnd-huyen-old-tones", "state", _state(
        parent_organ=None, organ_name="Ủy ban nhân dân huyện Hòa An", number="512/UBND-VP", place="Hòa An",
        subject="tăng cường công tác phòng, chống lũ quét, sạt lở đất mùa mưa bão năm 2026",
        addressees=("Ủy ban nhân dân các xã, thị trấn", "Phòng Nông nghiệp và Môi trường huyện"),
        body=("Theo dự báo của Đài Khí tượng thủy văn tỉnh, từ ngày 18 đến ngày 20/10/2026 trên địa bàn huyện "
              "có mưa to đến rất to, nguy cơ xảy ra lũ quét, sạt lở đất tại các xã vùng cao là rất lớn.",
              "Chủ tịch Ủy ban nhân dân huyện yêu cầu Chủ tịch Ủy ban nhân dân các xã, thị trấn chủ động sơ "
              "tán người dân ra khỏi khu vực nguy hiểm, bố trí lực lượng trực 24/24 giờ./."),
        recipients=("Như trên", "Thường trực Huyện ủy (b/c)", "Lưu: VT"), authority="KT. CHỦ TỊCH",
        position="PHÓ CHỦ TỊCH", signer_name="Nông Văn Thủy", urgency="HỎA TỐC",
        printing=Printing(old_tones=True)))
    yield GoldenCase("state-report-two-pages-bottom", "state", _state(
        number="298/BC-SNV", type_name="Báo cáo", subject="Kết quả công tác văn thư, lưu trữ quý III năm 2026",
        body=S_REPORT, cites=S_REPORT_CITES, recipients=("Ủy ban nhân dân tỉnh (b/c)", "Bộ Nội vụ (b/c)",
                                                          "Lưu: VT, VP"),
        authority="", position="GIÁM ĐỐC", signer_name="Phạm Quang Huy",
        printing=Printing(page_numbers="bottom", page_number_format="- {n} -")), pages=2)
    yield GoldenCase("state-blank-number-and-date", "state", _replace(
        cong_van_state, number=None, issued_date=None, printing=Printing(order="right-first")))
    yield GoldenCase("state-urgent-number-spaces", "state", _stamped(_replace(
        cong_van_state, number="1262/SNV-TCBC", urgency="THƯỢNG KHẨN", printing=Printing(number_spaces=True)),
        state_stamp, 15, 36))
    yield GoldenCase("state-label-own-line-comma", "state", _replace(
        cong_van_state, number="1270/SNV-VP", addressees=(*S_UNITS, "Các doanh nghiệp nhà nước thuộc tỉnh"),
        printing=Printing(addressee_label="own-line", list_end=",")))
    yield GoldenCase("state-tl-chanh-van-phong", "state", _state(
        parent_organ=None, organ_name=UBND, number="2901/UBND-KT", issued_date=dt.date(2026, 10, 22),
        subject="triển khai gửi, nhận văn bản điện tử qua trục liên thông văn bản quốc gia", addressees=S_UNITS,
        body=S_PAY, cites=S_PAY_CITES, recipients=("Như trên", "Chủ tịch, các PCT UBND tỉnh", "Lưu: VT, KT"),
        authority="TL. CHỦ TỊCH", position="CHÁNH VĂN PHÒNG", signer_name="Mai Xuân Trường"))
    yield GoldenCase("state-tuq-single-addressee", "state", _state(
        number="1281/SNV-CCVC", subject="rà soát hồ sơ công chức, viên chức để thực hiện chế độ nâng lương trước "
                                        "thời hạn năm 2026",
        addressees=("Sở Giáo dục và Đào tạo",), body=S_PAY, cites=S_PAY_CITES,
        recipients=("Như trên", "Lưu: VT, CCVC"), authority="TUQ. GIÁM ĐỐC", position="TRƯỞNG PHÒNG",
        signer_name="Hà Thị Lan"))
    yield GoldenCase("state-toi-mat", "state", _replace(
        cong_van_state, number="1290/SNV-VP", secrecy="TỐI MẬT", body=S_ARCHIVE, cites=S_ARCHIVE_CITES))
    yield GoldenCase("state-secret-urgent-rows", "state", _replace(
        cong_van_state, number="1291/SNV-VP", secrecy="MẬT", urgency="KHẨN", body=S_ARCHIVE, cites=S_ARCHIVE_CITES,
        printing=Printing(order="rows", old_tones=True)))
    yield GoldenCase("state-so-gd-plan", "state", _state(
        organ_name="Sở Giáo dục và Đào tạo", number="88/KH-SGDĐT", type_name="Kế hoạch",
        issued_date=dt.date(2026, 9, 8), subject="Chuyển đổi số trong công tác văn thư, lưu trữ năm học 2026 - 2027",
        body=S_ARCHIVE, cites=S_ARCHIVE_CITES, recipients=("Ủy ban nhân dân tỉnh (b/c)", "Các phòng GDĐT",
                                                            "Lưu: VT, VP"),
        authority="KT. GIÁM ĐỐC", position="PHÓ GIÁM ĐỐC", signer_name="Trịnh Văn Nam", organ_code="SGDĐT",
        printing=Printing(order="rows", dash="–")))

    # Party committees (Tỉnh ủy, Huyện ủy, a board or the bloc committee of the Tỉnh ủy).
    party_stamp = "Văn phòng Tỉnh ủy Mẫu Sơn"
    cong_van_party = _party(
        subject="triển khai tiếp nhận văn bản điện tử trên Cổng thông tin của Tỉnh ủy",
        addressees=P_UNITS, body=P_STUDY, cites=P_STUDY_CITES,
        recipients=("Như trên", "Thường trực Tỉnh ủy", "Lưu VPTU"),
    )
    yield GoldenCase("party-cong-van", "party", cong_van_party)
    yield GoldenCase("party-number-spaces", "party", _stamped(_replace(
        cong_van_party, number="146-CV/TU", printing=Printing(number_spaces=True)), party_stamp, 16, 5))
    yield GoldenCase("party-rows", "party", _replace(
        cong_van_party, number="147-CV/TU", printing=Printing(order="rows")))
    yield GoldenCase("party-right-first-star-inline", "party", _replace(
        cong_van_party, number="148-CV/TU", printing=Printing(order="right-first", star_inline=True)))
    yield GoldenCase("party-old-tones", "party", _replace(
        cong_van_party, number="149-CV/TU", urgency="HỎA TỐC", printing=Printing(old_tones=True)))
    yield GoldenCase("party-nfd", "party", _stamped(_replace(
        cong_van_party, number="151-CV/TU", urgency="KHẨN", printing=Printing(unicode_form="NFD")), party_stamp, 16, 5))
    yield GoldenCase("party-nfd-secret-old-tones", "party", _replace(
        cong_van_party, number="157-CV/TU", subject="quản lý tài liệu mật của Ban Chấp hành Đảng bộ tỉnh",
        secrecy="MẬT", urgency="HỎA TỐC", body=P_MAT, cites=P_MAT_CITES,
        printing=Printing(unicode_form="NFD", old_tones=True)))
    yield GoldenCase("party-plan-en-dash", "party", _party(
        number="150-KH/TU", type_name="Kế hoạch",
        subject="Học tập, quán triệt Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XVIII, nhiệm kỳ 2025 - 2030",
        body=P_PLAN, cites=P_PLAN_CITES, recipients=("Các đồng chí Tỉnh ủy viên", "Các huyện ủy, thành ủy",
                                                      "Lưu VPTU"),
        circulation="LƯU HÀNH NỘI BỘ", printing=Printing(dash="–")))
    yield GoldenCase("party-blank-number", "party", _replace(cong_van_party, number=None))
    yield GoldenCase("party-decision", "party", _party(
        number="152-QĐ/TU", type_name="Quyết định", subject_prefix="Về việc",
        subject="ban hành Quy chế tiếp nhận, xử lý và công bố văn bản điện tử của các cơ quan đảng tỉnh",
        body=P_DECISION, recipients=("Như Điều 2", "Văn phòng Trung ương Đảng (b/c)", "Lưu VPTU"),
        authority="T/M BAN THƯỜNG VỤ", position="BÍ THƯ", signer_name="Lương Quốc Khánh"))
    yield GoldenCase("party-report-two-pages", "party", _party(
        number="160-BC/TU", type_name="Báo cáo", issued_date=dt.date(2026, 10, 30),
        subject="Tình hình tư tưởng và công tác xây dựng Đảng quý III năm 2026", body=P_REPORT,
        cites=P_REPORT_CITES, recipients=("Ban Bí thư (b/c)", "Văn phòng Trung ương Đảng (b/c)", "Lưu VPTU"),
        printing=Printing(page_numbers="bottom", page_number_format="Trang {n}")), pages=2)
    yield GoldenCase("party-huyen-uy", "party", _party(
        parent_organ=DANG_BO, organ_name="Huyện ủy Châu Thành", number="210-CV/HU", place="Châu Thành",
        subject="báo cáo kết quả thực hiện Quy định số 217-QĐ/TW",
        addressees=("Các chi bộ, đảng bộ cơ sở",), body=P_STUDY, cites=P_STUDY_CITES,
        recipients=("Như trên", "Thường trực Huyện ủy", "Lưu VPHU"), authority="T/M BAN THƯỜNG VỤ",
        position="PHÓ BÍ THƯ THƯỜNG TRỰC", signer_name="Đinh Công Lực", organ_code="HU"))
    yield GoldenCase("party-huyen-uy-rows-nbsp", "party", _party(
        parent_organ=DANG_BO, organ_name="Huyện ủy Hòa An", number="88-KH/HU", place="Hòa An",
        type_name="Kế hoạch", subject="Tổ chức hội nghị báo cáo viên tháng 11 năm 2026", body=P_PLAN,
        cites=P_PLAN_CITES, recipients=("Các chi bộ, đảng bộ cơ sở", "Lưu VPHU"), authority="T/M BAN THƯỜNG VỤ",
        position="BÍ THƯ", signer_name="Chu Văn Quý", organ_code="HU",
        printing=Printing(order="rows", nbsp=True)))
    yield GoldenCase("party-board-guidance", "party", _party(
        parent_organ=TINH_UY, organ_name="Ban Tuyên giáo", number="88-HD/BTGTU", type_name="Hướng dẫn",
        subject="Tuyên truyền kỷ niệm 96 năm Ngày truyền thống ngành Tuyên giáo của Đảng", body=P_PLAN,
        cites=P_PLAN_CITES, recipients=("Thường trực Tỉnh ủy (b/c)", "Các huyện ủy, thành ủy", "Lưu BTGTU"),
        authority="K/T TRƯỞNG BAN", position="PHÓ TRƯỞNG BAN", signer_name="Vũ Thị Thu Hà", organ_code="BTGTU"))
    yield GoldenCase("party-bloc-notice", "party", _party(
        parent_organ=DANG_BO, organ_name="Đảng ủy Khối các cơ quan tỉnh", number="35-TB/ĐUK", type_name="Thông báo",
        issued_date=dt.date(2027, 2, 3), subject="Kết luận của Ban Thường vụ Đảng ủy Khối tại hội nghị tháng 01/2027",
        addressees=("Các chi bộ, đảng bộ cơ sở trực thuộc Đảng ủy Khối các cơ quan tỉnh, gồm cả các chi bộ "
                    "mới thành lập sau sắp xếp",), body=P_STUDY, cites=P_STUDY_CITES,
        recipients=("Thường trực Tỉnh ủy (b/c)", "Như kính gửi", "Lưu VPĐUK"), authority="T/L BAN THƯỜNG VỤ",
        position="CHÁNH VĂN PHÒNG", signer_name="Kiều Thị Ngọc Ánh", organ_code="ĐUK",
        printing=Printing(spaced_heading=True, addressee_label="own-line")))
    yield GoldenCase("party-mat-in-body", "party", _replace(
        cong_van_party, number="153-CV/TU", subject="bảo đảm an toàn khi gửi, nhận văn bản điện tử",
        body=P_MAT, cites=P_MAT_CITES))
    yield GoldenCase("party-secret", "party", _replace(
        cong_van_party, number="154-CV/TU", subject="quản lý tài liệu của Ban Thường vụ", secrecy="MẬT",
        body=P_MAT, cites=P_MAT_CITES, printing=Printing(order="rows")))
    yield GoldenCase("party-no-subject", "party", _replace(
        cong_van_party, number="155-CV/TU", subject="", addressees=("Văn phòng Tỉnh ủy",)))
    yield GoldenCase("party-thong-tri-em-dash-nbsp", "party", _party(
        number="12-TT/TU", type_name="Thông tri", subject="Về lãnh đạo tổ chức đại hội chi bộ nhiệm kỳ 2027 - 2030",
        body=P_STUDY, cites=P_STUDY_CITES, recipients=("Các huyện ủy, thị ủy, thành ủy", "Lưu VPTU"),
        authority="T/M BAN THƯỜNG VỤ", position="PHÓ BÍ THƯ THƯỜNG TRỰC", signer_name="Hoàng Văn Dũng",
        printing=Printing(dash="—", nbsp=True, unicode_form="NFD")))
    yield GoldenCase("party-blank-date-old-tones-rows", "party", _replace(
        cong_van_party, number="156-CV/TU", issued_date=None, printing=Printing(old_tones=True, order="rows")))


def golden_cases() -> tuple[GoldenCase, ...]:
    """The corpus, deterministic, in a stable order."""
    return tuple(_cases())


def golden_letters() -> tuple[Letter, ...]:
    return tuple(case.letter for case in golden_cases())


def golden_json(case: GoldenCase) -> str:
    """The text of tests/golden/<name>.json: the case, its traps and its expected metadata."""
    data = {
        "name": case.name,
        "family": case.family,
        "traps": list(case.traps),
        "pages": case.pages,
        "metadata": expected_metadata(case.letter),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


__all__ = [
    "FIELDS", "TRAPS", "GoldenCase", "Mismatch", "compare", "expected_metadata", "flatten",
    "golden_cases", "golden_json", "golden_letters", "metadata_data", "traps_of",
]
