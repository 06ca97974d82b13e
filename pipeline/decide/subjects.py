"""Subjects in areas that are never published (DOMAIN.md §1): personnel and organisation ("tổ chức,
cán bộ"), complaints, finance, inspection and discipline. Pure.

A subject is compared as folded words: accents, case and punctuation do not matter, so "tổ chức,
cán bộ", "TỔ CHỨC - CÁN BỘ" and "to chuc can bo" are the same words. The phrases were chosen and are
measured against real subjects labelled by hand (tests/data/subjects.yml, bench/measure_subjects.py).
When in doubt a phrase refuses: a false refusal costs a clerk a minute, a published personnel or
finance letter cannot be taken back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.normalize import fold

# Folded phrases, by area. Each phrase matches whole words only ("bo may" never matches "bo mayo").
EXCLUDED_PHRASES: dict[str, tuple[str, ...]] = {
    "personnel": (
        "to chuc can bo", "cong tac can bo", "nhan su", "bo nhiem", "mien nhiem", "bai nhiem", "tu chuc",
        "dieu dong", "luan chuyen can bo", "biet phai", "quy hoach can bo", "tuyen dung", "chi dinh", "giu chuc",
        "chuc danh", "chuc vu", "nghi huu", "nang luong", "nang bac luong", "thoi viec", "nghi viec",
        "danh gia xep loai", "xep loai chat luong", "danh gia can bo", "danh gia dang vien", "tieu chi danh gia",
        "can bo cap cao", "can bo lanh dao", "can bo thuoc dien", "phan cap quan ly", "phan cong", "kien toan",
        "bau cu ban chap hanh", "quy trinh bau", "nguoi hoat dong khong chuyen trach", "ket nap dang",
        "chuyen sinh hoat dang", "dai ngo can bo",
    ),
    "organisation": (
        "to chuc bo may", "bo may", "bien che", "vi tri viec lam", "tinh gian", "tinh gon", "chuc nang nhiem vu",
        "nhiem vu quyen han", "vi tri va chuc nang", "vi tri chuc nang", "co cau to chuc", "to chuc cac co quan",
        "to chuc lai", "to chuc co quan", "to chuc va hoat dong", "to chuc va chuong trinh hoat dong",
        "he thong to chuc", "don vi su nghiep", "mo hinh to chuc", "to chuc chinh quyen", "bo cap huyen",
        "sap xep to chuc", "thanh lap", "hop nhat", "sap nhap", "giai the", "chia tach",
    ),
    "complaints": ("khieu nai", "to cao", "don thu", "tiep cong dan", "tiep dan", "don khieu"),
    "finance": (
        "tai chinh", "du toan", "quyet toan", "kinh phi", "ngan sach", "doan phi", "thu chi", "che do chi",
        "dinh muc chi", "chi phi quan ly", "tai san cong", "kiem toan", "tien luong", "bang luong", "phu cap",
        "mai am cong doan", "quy mai am", "mua sam",
    ),
    "inspection": ("kiem tra", "giam sat", "thanh tra", "hau kiem"),
    "discipline": (
        "ky luat", "kiem diem", "xu ly vi pham", "khien trach", "canh cao", "cach chuc", "khai tru",
        "dinh chi cong tac",
    ),
}

# Phrases that contain an excluded word without being in its area; they are taken out before matching.
# - "tăng cường kỷ cương, kỷ luật" is a general call for order (in issuing documents, in administration),
#   not the discipline of anyone; only with the verb of a call ("kỷ cương, kỷ luật đối với đồng chí X"
#   still refuses).
# - Bộ/Sở Tài chính are names of bodies: a letter from or about them is not finance by that name alone
#   (what they write about is still matched: "Sở Tài chính hướng dẫn quyết toán" refuses).
# - An anniversary ("kỷ niệm 96 năm Ngày thành lập Hội Liên hiệp Phụ nữ") founds nothing.
# - Words that fold to an excluded phrase: "giải thể thao" (a sports tournament) is not "giải thể"
#   (dissolving), "chi bộ nhiệm kỳ" is not "bổ nhiệm", "năng lượng" (energy) is not "nâng lương" (a
#   salary raise).
NOT_EXCLUDED = (
    "bo tai chinh", "so tai chinh",
    "ngay thanh lap", "nam thanh lap", "ky niem thanh lap", "giai the thao", "giai the duc", "bo nhiem ky",
    "an ninh nang luong", "tiet kiem nang luong", "nang luong tai tao", "nang luong sach", "su dung nang luong",
    "nganh nang luong", "chuyen doi nang luong",
)

_CALL_FOR_ORDER = re.compile(
    r" (?:tang cuong|siet chat|chan chinh|nang cao|giu nghiem|giu vung|thuc hien nghiem|cung co) "
    r"(?:ky cuong ky luat|ky luat ky cuong)(?: hanh chinh)? "
)

# Guidance to members about their own personal income tax ("hướng dẫn quyết toán thuế TNCN cho người
# lao động") is a service to them, not the organisation's finance; only with the members named.
_MEMBERS_TAX = re.compile(r" quyet toan thue (?:tncn|thu nhap ca nhan) ")
_MEMBERS = (" nguoi lao dong ", " doan vien ", " nguoi nop thue ", " ca nhan truc tiep ", " ca nhan tu ")

# Founding, merging, splitting or dissolving an administrative unit (territory: "thành lập thị xã",
# "sáp nhập một số xã", "hợp nhất và điều chỉnh địa giới một số huyện") is public law about places, not
# the organisation of a body. Such a verb is left out only when the unit follows it at once: a body
# named after its place ("thành lập Công đoàn cơ sở xã ...") is still an organisation.
_UNIT_VERBS = ("thanh lap", "hop nhat", "sap nhap", "giai the", "chia tach")
_TERRITORY_NEXT = re.compile(
    r"(?:cac |mot so |hai |ba |\d+ |va dieu chinh dia gioi (?:hanh chinh )?(?:mot so |cac )?)?"
    r"(?:thi xa|thi tran|thanh pho|huyen|phuong|xa|tinh|quan|khu pho|thon|ap|khom) "
)

# Subjects are a line or two (the longest of the labelled list is under 200 characters). Anything
# longer is not a trích yếu but text that went wrong (or a hostile sidecar): it is refused, and the main
# process never folds more than this.
MAX_SUBJECT_CHARS = 2_000


@dataclass(frozen=True)
class ExcludedSubject:
    area: str  # a key of EXCLUDED_PHRASES, or "length"
    phrase: str  # the folded phrase found, or what is wrong


def words(subject: str) -> str:
    """The subject as folded words, one space apart, with a space at both ends: " to chuc can bo "."""
    return " " + re.sub(r"[^a-z0-9]+", " ", fold(subject[:MAX_SUBJECT_CHARS])).strip() + " "


def _without_exemptions(text: str) -> str:
    for phrase in NOT_EXCLUDED:
        text = text.replace(f" {phrase} ", " | ")
    text = _CALL_FOR_ORDER.sub(" | ", text)
    if _MEMBERS_TAX.search(text) and any(member in text for member in _MEMBERS):
        text = _MEMBERS_TAX.sub(" | ", text)
    for verb in _UNIT_VERBS:
        start = text.find(f" {verb} ")
        while start != -1:
            end = start + len(verb) + 2  # just after the space that follows the verb
            if _TERRITORY_NEXT.match(text, end):
                text = text[:start] + " |" + " " * (len(verb) - 1) + text[end - 1:]
            start = text.find(f" {verb} ", start + 1)
    return text


def excluded_subject(subject: str) -> ExcludedSubject | None:
    """The excluded area and phrase a subject (trích yếu) falls under, or None when it may be published."""
    if len(subject) > MAX_SUBJECT_CHARS:
        return ExcludedSubject("length", f"subject longer than {MAX_SUBJECT_CHARS} characters")
    text = _without_exemptions(words(subject))
    for area, phrases in EXCLUDED_PHRASES.items():
        for phrase in phrases:
            if f" {phrase} " in text:
                return ExcludedSubject(area, phrase)
    return None


def excluded_area(subject: str) -> str | None:
    """The excluded phrase a subject (trích yếu) falls under, or None when it may be published."""
    found = excluded_subject(subject)
    return None if found is None else found.phrase
