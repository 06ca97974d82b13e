"""The shape of extracted text, shared by marks.py and the fields_* modules.

A separate module because both marks.py and fields.py need it and fields.py imports marks.py.

Layout-mode text (pypdf `extraction_mode="layout"`) prints the two columns of the header and of the
signing area on shared lines, separated by runs of 3+ spaces: each piece is a `Segment`, with the
column it starts at. Plain-mode text of other producers has one segment a line, the columns one after
the other, interleaved line by line, or run together with a single space; for those, the phrases that
only ever appear in the right column (the national or Party motto and the "<Place>, ngày ..." line)
are cut out of a segment by `column_pieces`, which leaves the left-column text.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from pipeline.examine.fields.noise import read_zeros
from pipeline.normalize import canonical, fold_aligned
from pipeline.records import PdfText

_GAP = re.compile(r"\s{3,}")
_PAGE_NUMBER = re.compile(r"(?:trang\s*)?[-–(]?\s*\d{1,3}\s*(?:/\s*\d{1,3})?\s*[-–)]?", re.IGNORECASE)
_RULE = re.compile(r"[-_=*.~·•\s]+")  # underlines and decorations printed as characters


@dataclass(frozen=True)
class Segment:
    col: int  # column where the segment starts on its layout line
    text: str  # stripped, inner whitespace collapsed to one space


@dataclass(frozen=True)
class Line:
    index: int  # position in `lines_of(...)`
    page: int  # 0-based page number
    raw: str  # canonical line, trailing whitespace removed
    segments: tuple[Segment, ...]

    @property
    def text(self) -> str:
        """The whole line with whitespace collapsed ("" for a blank line)."""
        return " ".join(s.text for s in self.segments)

    @property
    def blank(self) -> bool:
        return not self.segments


def collapse(s: str) -> str:
    return " ".join(s.split())


def split_segments(raw: str) -> tuple[Segment, ...]:
    """Pieces of a layout line separated by runs of 3+ spaces, with their starting columns."""
    out = []
    pos = 0
    for piece in _GAP.split(raw):
        start = raw.index(piece, pos) if piece else pos
        pos = start + len(piece)
        if piece.strip():
            out.append(Segment(start + len(piece) - len(piece.lstrip()), collapse(piece)))
    return tuple(out)


def is_rule(s: str) -> bool:
    """An underline or decoration line ("______", "-----", "*")."""
    return bool(_RULE.fullmatch(s))


# extract_metadata and detect_marks both read a document's lines: the last result is remembered,
# keyed by the text itself (equal pages, character for character), and shared (Lines are frozen).
@functools.lru_cache(maxsize=1)
def lines_of(text: PdfText) -> tuple[Line, ...]:
    """Canonical lines of every page; page numbers printed alone at the top or bottom are dropped."""
    out: list[Line] = []
    for page_no, page in enumerate(text.pages):
        raws = [r.rstrip() for r in canonical(page).replace("\r\n", "\n").replace("\r", "\n").split("\n")]
        filled = [i for i, r in enumerate(raws) if r.strip()]
        drop = {i for i in filled[:1] + filled[-1:] if _PAGE_NUMBER.fullmatch(raws[i].strip())}
        for i, raw in enumerate(raws):
            if i in drop:
                continue
            out.append(Line(len(out), page_no, raw, split_segments(raw.replace("\t", "    "))))
    return tuple(out)


# --- phrases of the right column ------------------------------------------------------------------

_MOTTO = re.compile(r"cong\s*hoa\s+xa\s+hoi\s+chu\s+nghia\s+viet\s+nam")
_INDEPENDENCE = re.compile(r"doc\s*lap\s*-?\s*tu\s*do\s*-?\s*hanh\s*phuc")
PARTY_MOTTO = re.compile(r"dang\s+cong\s+san\s+viet\s+nam")
# ", ngày 13 tháng 4 năm 2026" (day, month or year may be blank) or ", ngày 02/01/2020".
# ", ngày 13 tháng 4 năm 2026". An OCR'd page may give the comma as "." ("Hà Nội. ngày") and a
# handwritten day as a few marks ("ngày0P tháng", "ngày{Š tháng"): the day is then unknown, the place
# and the rest are still read.
# OCR also reads "ngày" as "ngàu", a handwritten month as a digit and a mark ("tháng 2#"), and may
# lose the comma altogether on the number's line ("Số: 2!8] /CT-CS Hà Nội ngày 0? tháng 2# năm 2026").
_DATE_TAIL = re.compile(
    r"(?:[,.]|(?P<bare>\s))\s*nga[yu]\s*(?:(?P<d>\d{1,2})(?=\s*thang)|(?P<x>[^\s,.]{1,6}))?"
    r"\s*thang\s*(?:(?P<m>\d{1,2})(?=\s*nam)|(?P<xm>[^\s,.]{1,6}))?\s*nam\s*(?P<y>\d{4})?"
    r"|,\s*ngay\s*(?P<d2>\d{1,2})?\s*[/.-]\s*(?P<m2>\d{1,2})?\s*[/.-]\s*(?P<y2>\d{4})"
)
# The number's label and notation before the place: where a date line may lose its comma.
_NUMBER_BEFORE = re.compile(r"(?i)(?:^|\s)s[oố]\s*:?\s*\S*\s*/\s*\S+\s*$")
_PLACE_CONNECTORS = {"phố", "xã", "thị", "trấn", "tỉnh", "huyện", "quận", "thành"}
_ABBREVIATIONS = {"TP.", "Tp.", "TX.", "TT.", "Q.", "H."}


def _is_place_word(word: str) -> bool:
    """Title case ("Sơn", "Hồ") or an abbreviation ("TP."); never a piece of the number line
    ("/TTr-UBND", "Số:23")."""
    letters = [c for c in word if c.isalpha()]
    if word in _ABBREVIATIONS:
        return True
    if not word[:1].isalpha() or any(c.isdigit() or c in "/:" for c in word):
        return False
    return bool(letters) and letters[0].isupper() and (len(letters) == 1 or not word.isupper())


def _place_start(before: str) -> int:
    """Index where the place name starts in the text before ", ngày": the run of title-case words
    ("Mẫu Sơn", "TP. Hồ Chí Minh", "Thành phố Huế") that ends the text; failing that, a short
    run of capitalised words ("HÀ NỘI")."""
    words = list(re.finditer(r"\S+", before))
    start = len(before)
    for i in range(len(words) - 1, -1, -1):
        word = words[i].group()
        inner_connector = 0 < i < len(words) - 1 and word.lower() in _PLACE_CONNECTORS
        if not (_is_place_word(word) or inner_connector):
            break
        start = words[i].start()
    while start < len(before) and before[start:].split()[0] in _PLACE_CONNECTORS:
        start = before.index(" ", start) + 1  # "tỉnh Mẫu Sơn" -> "Mẫu Sơn"
    if start == len(before):
        capitals = [w for w in words[-3:] if w.group().isalpha() and w.group().isupper()]
        if capitals and len(capitals) == len(words[-3:]) and len(words) <= 3:
            start = capitals[0].start()
    return start


@dataclass(frozen=True)
class DateLine:
    place: str | None
    date: dt.date | None
    start: int  # span of "<place>, ngày ... năm ..." in the searched text
    end: int
    # The day was written but could not be read: marks that are no digits ("ngày0P"), nothing at all
    # beside a printed month ("ngày   tháng 01"), or one digit beside a month written with its
    # leading zero ("ngày 3 tháng 01": Nghị định 30 writes the day "03", so a digit of a handwritten
    # day was lost). The date is then unknown, and a number filled in by the same hand is not to be
    # trusted either.
    day_unclear: bool = False


def _date(d: str | None, m: str | None, y: str | None) -> dt.date | None:
    if not (d and m and y):
        return None
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


def find_date_line(s: str) -> DateLine | None:
    """The first "<Place>, ngày 13 tháng 4 năm 2026" (or ", ngày 02/01/2020") in a canonical string.

    The comma and a place name before "ngày" are what tell the date line from a date cited in a
    sentence ("Thông báo số 71/TB-LĐLĐ ngày 17/3/2026")."""
    s = read_zeros(s)
    folded = fold_aligned(s)
    for m in _DATE_TAIL.finditer(folded):
        matched = s[m.start():m.end()]
        label = matched[1:].lstrip()
        if matched.startswith(".") and not label.startswith("n"):
            continue  # after ".", only a lowercase "ngày" goes on a date line: "... năm 2020. Ngày 12 ..." does not
        before = s[:m.start()].rstrip()
        gaps = list(_GAP.finditer(before))
        floor = gaps[-1].end() if gaps else 0  # layout text: the place is in its own column segment
        start = floor + _place_start(before[floor:])
        place = collapse(before[start:])
        if not place:
            continue
        if m.group("bare") is not None and not _NUMBER_BEFORE.search(before[floor:start]):
            continue  # no comma: a date line only beside the number, never a date cited in a sentence
        day, month = m.group("d"), m.group("m")
        short_day = bool(day and month and len(day) == 1 and len(month) == 2 and month.startswith("0"))
        if short_day:
            day = None
        date = _date(day or m.group("d2"), month or m.group("m2"), m.group("y") or m.group("y2"))
        # No day beside a month that is printed: the day was left for the clerk's hand, and the
        # OCR read nothing where it was written.
        no_day = bool(m.group("m")) and not m.group("d") and not m.group("d2")
        # OCR's marks where a digit was written by hand ("ngày 2# thángØŸ năm 2021"): the place is
        # read, the date is not.
        unclear = short_day or no_day or m.group("x") is not None or m.group("xm") is not None
        return DateLine(place, date, start, m.end(), day_unclear=unclear)
    return None


def right_column_spans(s: str) -> list[tuple[int, int]]:
    """Spans of the right-column phrases in a canonical segment: mottos and the date line."""
    folded = fold_aligned(s)
    spans = [m.span() for pattern in (_MOTTO, _INDEPENDENCE, PARTY_MOTTO) for m in pattern.finditer(folded)]
    date_line = find_date_line(s)
    if date_line:
        spans.append((date_line.start, date_line.end))
    return sorted(spans)


def column_pieces(raw: str, *, keep_final_comma: bool = False) -> list[str]:
    """The text of a line (or segment) once the right-column phrases are cut out, split into its
    column segments; rules ("_____") are dropped. Commas around a piece are dropped too, except a
    final one with `keep_final_comma` (a subject wrapped after "phòng," goes on with "chống ...")."""
    kept = []
    pos = 0
    for start, end in right_column_spans(raw):
        if start >= pos:
            kept.append(raw[pos:start])
        pos = max(pos, end)
    kept.append(raw[pos:])
    right = " " if keep_final_comma else " ,"
    pieces = (s.text.lstrip(" ,").rstrip(right) for s in split_segments("   ".join(kept)))
    return [p for p in pieces if p and not is_rule(p)]

