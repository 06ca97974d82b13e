"""Secrecy, urgency and circulation marks (DOMAIN.md §2, "marks").

A mark is printed on its own: alone on its line, or as its own column segment of a layout line
(pieces separated by runs of 3+ spaces), or as the left-column text of a plain-mode line once the
right-column phrases are cut out. Any case, either tone placement, NFD, letter spacing ("M Ậ T", even
"M   Ậ   T") and decorations such as "(MẬT)" or "*MẬT*" are accepted. A sentence that mentions the word
("bí mật", "trừ các văn bản MẬT", `nội dung không "Mật"`) is not a mark.

Secrecy errs on the side of refusing, because a false refusal costs a clerk a minute and a leak
cannot be undone: a standalone segment that reads MẬT is a mark even in lowercase; an all-capital
one is also read without its tone marks ("MAT", "MÂT" from a damaged text layer, but not the words
"MẶT", "MÁT", "MẮT"); an all-capital line that starts or ends with MẬT ("TÀI LIỆU MẬT", a plain-mode
line where the mark ran into the header) is a mark unless the word is "BÍ MẬT", "BẢO MẬT", "MẬT KHẨU"...
Urgency and circulation marks must stand alone.

Also read as marks: a label with its value ("Độ mật: Mật", "Mức độ mật: Tối mật", "Độ khẩn: Khẩn"), a
capital mark in quotes standing alone (“MẬT”, "TUYỆT MẬT"; a quoted "Mật" alone is a wrapped
sentence), and a numbered copy ("MẬT 1", "Mật 2"). `field_marks` reads a metadata value (a title,
keywords, an annotation's text), whose parts are separated by punctuation rather than by layout.
"""

from __future__ import annotations

import re

from pipeline.examine.fields.lines import Line, column_pieces, lines_of
from pipeline.normalize import canonical, fold, fold_aligned
from pipeline.records import Marks, PdfText

SECRECY = {"tuyệtmật": "TUYỆT MẬT", "tốimật": "TỐI MẬT", "mật": "MẬT"}  # compact lowercase -> mark
_SECRECY_FOLDED = {"tuyetmat": "TUYỆT MẬT", "toimat": "TỐI MẬT", "mat": "MẬT"}
_SECRECY_RANK = ("TUYỆT MẬT", "TỐI MẬT", "MẬT")  # most severe first
URGENCY = {"hỏatốchẹngiờ": "Hỏa tốc", "hỏatốc": "Hỏa tốc", "thượngkhẩn": "Thượng khẩn", "khẩn": "Khẩn"}
_URGENCY_RANK = ("Hỏa tốc", "Thượng khẩn", "Khẩn")  # most urgent first
CIRCULATION = {
    "lưuhànhnộibộ": "LƯU HÀNH NỘI BỘ",
    "xemxongtrảlại": "XEM XONG TRẢ LẠI",
    "tàiliệuhộinghị": "TÀI LIỆU HỘI NGHỊ",
    "khôngphổbiến": "KHÔNG PHỔ BIẾN",
}
_DECORATION = "()[]{}*.:;,!-_|/\\<> "
_MAX_COMPACT = 16  # the longest mark, "tàiliệuhộinghị", has 14 letters
_MAX_RUN = 16  # letter-spaced marks come out as one segment per letter
# Words that turn a trailing "MẬT" into an ordinary phrase: "BÍ MẬT", "BẢO MẬT", "ĐỘ MẬT".
_NOT_BEFORE_SECRECY = {"bi", "bao", "do", "giai", "tiet", "cam"}
# ... and a leading "MẬT" into a word: "MẬT KHẨU", "MẬT MÃ", "MẬT ĐỘ", "MẬT THIẾT", "MẬT ONG".
_NOT_AFTER_SECRECY = {"ma", "khau", "do", "thiet", "ong", "danh", "bao", "tham"}

# A capital A that cannot be a damaged "Ậ": "MẶT" (face, as in "MẶT TRẬN"), "MÁT", "MẮT" are words.
_OTHER_A = frozenset("ĂẮẰẲẴẶÁÀẢÃẠ")

Found = tuple[str, str]  # ("secrecy" | "urgency" | "circulation", mark)

_QUOTES = "\"'“”‘’«»„‟`"
# "Độ mật: Mật", "Mức độ mật: Tối mật", "Độ khẩn: Thượng khẩn", read on folded text.
_LABEL = re.compile(r"(?:muc\s*)?do\s*(mat|khan)\s*[:=\-–—]?\s*(?=\S)")
_NUMBERED = re.compile(r"(.*\D)\s*\d{1,2}")  # "MẬT 1", "Mật 2": numbered copies


def _compact(candidate: str) -> str | None:
    """Lowercase letters of a candidate with decorations and spaces removed; None when it holds
    anything else (quotes, digits, other punctuation), which a mark never does."""
    bare = candidate.strip(_DECORATION)
    if not bare or any(not (c.isalpha() or c == " ") for c in bare):
        return None
    compact = bare.replace(" ", "").lower()
    return compact if len(compact) <= _MAX_COMPACT else None


def segment_mark(candidate: str) -> Found | None:
    """The mark a standalone piece of canonical text is, if it is one."""
    found = _plain_mark(candidate)
    if found is None and len(candidate) <= _MAX_LABELLED:
        found = _labelled_mark(candidate) or _quoted_mark(candidate) or _numbered_mark(candidate)
    return found


_MAX_LABELLED = 64  # "Mức độ mật: Tuyệt mật" and the like are short


def _labelled_mark(candidate: str) -> Found | None:
    """"Độ mật: Mật": the value of a secrecy (or urgency) label is the mark."""
    bare = candidate.strip(_DECORATION)
    label = _LABEL.match(fold_aligned(bare))
    if label is None:
        return None
    value = bare[label.end():]
    found = _plain_mark(value) or _quoted_mark(value) or _numbered_mark(value)
    expected = "secrecy" if label.group(1) == "mat" else "urgency"
    return found if found is not None and found[0] == expected else None


def _quoted_mark(candidate: str) -> Found | None:
    """“MẬT” alone: a mark in quotes. Only in capitals: a quoted "Mật" alone is a sentence's word."""
    bare = candidate.strip(_DECORATION)
    if len(bare) < 3 or bare[0] not in _QUOTES or bare[-1] not in _QUOTES:
        return None
    inner = bare[1:-1]
    if inner.upper() != inner:
        return None
    return _plain_mark(inner)


def _numbered_mark(candidate: str) -> Found | None:
    """"MẬT 1", "Mật 2": a secrecy mark with its copy number."""
    numbered = _NUMBERED.fullmatch(candidate.strip(_DECORATION))
    if numbered is None:
        return None
    found = _plain_mark(numbered.group(1))
    return found if found is not None and found[0] == "secrecy" else None


def _plain_mark(candidate: str) -> Found | None:
    compact = _compact(candidate)
    if compact is None:
        return None
    if compact in SECRECY:
        return "secrecy", SECRECY[compact]
    if candidate.upper() == candidate and fold(compact) in _SECRECY_FOLDED and not _OTHER_A & set(candidate):
        return "secrecy", _SECRECY_FOLDED[fold(compact)]  # "MAT", "MÂT": a damaged text layer
    if compact in URGENCY:
        return "urgency", URGENCY[compact]
    if compact in CIRCULATION:
        return "circulation", CIRCULATION[compact]
    return None


def _capital_line_secrecy(piece: str) -> Found | None:
    """An all-capital piece that starts or ends with a secrecy mark ("TÀI LIỆU MẬT", "MẬT CỘNG...")."""
    letters = [c for c in piece if c.isalpha()]
    if len(letters) < 4 or any(c.islower() for c in letters):
        return None
    words = re.sub(r"[^\w\s]", " ", piece).split()  # toned: "MẶT TRẬN" is not "MẬT"
    for size, mark in ((2, "TUYỆT MẬT"), (2, "TỐI MẬT"), (1, "MẬT")):
        expected = mark.split()
        if len(words) <= size:
            continue
        if words[-size:] == expected and fold(words[-size - 1]) not in _NOT_BEFORE_SECRECY:
            return "secrecy", mark
        if words[:size] == expected and fold(words[size]) not in _NOT_AFTER_SECRECY:
            return "secrecy", mark
    return None


# Folded letters, spaces removed, that every mark contains: lines without any are skipped quickly.
_KEYS = re.compile(r"mat|khan|hoatoc|luuhanh|xemxong|tailieuhoi|phobien")


def _line_marks(line: Line) -> list[Found]:
    """Every mark read from one line."""
    found: list[Found] = []
    if not _KEYS.search(re.sub(r"[^a-z]", "", fold_aligned(line.raw))):
        return found
    pieces = column_pieces(line.raw) or [s.text for s in line.segments]
    candidates = [line.text, *pieces]
    for i in range(len(pieces)):  # runs of adjacent pieces: letter spacing wider than the gap
        for j in range(i + 2, min(len(pieces), i + _MAX_RUN) + 1):
            run = " ".join(pieces[i:j])
            if len(run.replace(" ", "")) > _MAX_COMPACT:
                break
            candidates.append(run)
    for candidate in candidates:
        mark = segment_mark(candidate) or _capital_line_secrecy(candidate)
        if mark and mark not in found:
            found.append(mark)
    return found


def _most(ranked: tuple[str, ...], values: list[str]) -> str | None:
    return next((v for v in ranked if v in values), None)


def detect_marks(text: PdfText) -> Marks:
    """Secrecy, urgency and circulation marks on any page, with the lines they were read from."""
    secrecy: list[str] = []
    urgency: list[str] = []
    circulation: list[str] = []
    evidence: list[str] = []
    for line in lines_of(text):
        if line.blank:
            continue
        found = _line_marks(line)
        for kind, mark in found:
            {"secrecy": secrecy, "urgency": urgency, "circulation": circulation}[kind].append(mark)
        if found:
            shown = re.sub(r"\s+", " ", line.raw.strip())
            if shown not in evidence:
                evidence.append(shown)
    return Marks(
        secrecy=_most(_SECRECY_RANK, secrecy),
        urgency=_most(_URGENCY_RANK, urgency),
        circulation=tuple(dict.fromkeys(circulation)),
        evidence=tuple(evidence),
    )


# Separators between the parts of a metadata value: "MẬT | Kế hoạch ...", "mật, hội nghị".
_FIELD_PARTS = re.compile(r"\s[-–—|/:]\s|[|;,\n\r\t]")


def field_marks(value: str) -> list[Found]:
    """Marks in a metadata value or an annotation's text: the value read as lines (what
    detect_marks reads on a page), and each part of it between separators read as a standalone
    segment, since a field has no layout to set a mark apart ("MẬT - Kế hoạch", "Mật; hội nghị")."""
    canonical_value = canonical(value)
    found: list[Found] = []
    marks = detect_marks(PdfText((canonical_value,)))
    for kind, most in (("secrecy", marks.secrecy), ("urgency", marks.urgency)):
        if most is not None:
            found.append((kind, most))
    found.extend(("circulation", mark) for mark in marks.circulation)
    for part in _FIELD_PARTS.split(canonical_value):
        mark = segment_mark(part.strip()) if part.strip() else None
        if mark is not None and mark not in found:
            found.append(mark)
    return found
