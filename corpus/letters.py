"""Realistic Vietnamese official letters rendered to PDF with reportlab, with their ground truth.

`Letter` holds what a reader should find in the document; `render_letter` lays it out as Nghị định
30/2020/NĐ-CP (state and trade-union bodies) or Hướng dẫn 36-HD/VPTW (Party bodies) describe: the
two-column header, the title or the "V/v" subject, "Kính gửi:", the body, then "Nơi nhận:" beside the
signing block. The text is drawn with the embedded DejaVu Serif TrueType font so that it stays
extractable (pypdf gives NFC Vietnamese back). Output is deterministic for the same Letter.

`demo_letters` is the corpus of the fictional "Liên đoàn Lao động tỉnh Mẫu" used by the demo portal
and the tests. Nothing here signs; see pipeline.signing.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Spacer

System = Literal["state", "party"]

FONT_DIR = "/usr/share/fonts/truetype/dejavu"
REGULAR = "DejaVuSerif"
BOLD = "DejaVuSerif-Bold"

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT_MARGIN = 30 * mm
RIGHT_MARGIN = 15 * mm
TOP_MARGIN = 20 * mm
BOTTOM_MARGIN = 20 * mm
FRAME_WIDTH = PAGE_WIDTH - LEFT_MARGIN - RIGHT_MARGIN

# Header columns, as page x coordinates (centre, width). The left column starts left of the body
# margin, as in printed documents.
HEADER_LEFT = (57 * mm, 80 * mm)
HEADER_RIGHT = (148 * mm, 92 * mm)
HEADER_SIZE = 11.0
HEADER_LEADING = 14.0
BODY_SIZE = 12.0
BODY_LEADING = 17.0
# Bottom block: "Nơi nhận:" at the left margin, the signing block centred on SIGN_CENTRE.
RECIPIENTS_WIDTH = 82 * mm
SIGN_CENTRE = 145 * mm
SIGN_WIDTH = 90 * mm

STATE_MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
PARTY_MOTTO = "ĐẢNG CỘNG SẢN VIỆT NAM"

# Type codes used in document numbers (Nghị định 30 Phụ lục III; Hướng dẫn 36-HD/VPTW).
STATE_TYPE_CODES = {
    "Nghị quyết": "NQ",
    "Quyết định": "QĐ",
    "Chỉ thị": "CT",
    "Quy chế": "QC",
    "Quy định": "QyĐ",
    "Thông báo": "TB",
    "Hướng dẫn": "HD",
    "Chương trình": "CTr",
    "Kế hoạch": "KH",
    "Phương án": "PA",
    "Đề án": "ĐA",
    "Báo cáo": "BC",
    "Biên bản": "BB",
    "Tờ trình": "TTr",
    "Giấy mời": "GM",
    "Giấy giới thiệu": "GGT",
    "Giấy ủy quyền": "GUQ",
    "Công điện": "CĐ",
}
PARTY_TYPE_CODES = {
    "Nghị quyết": "NQ",
    "Quyết định": "QĐ",
    "Chỉ thị": "CT",
    "Kết luận": "KL",
    "Quy chế": "QC",
    "Quy định": "QĐi",
    "Thông tri": "TT",
    "Hướng dẫn": "HD",
    "Báo cáo": "BC",
    "Kế hoạch": "KH",
    "Chương trình": "CTr",
    "Thông báo": "TB",
    "Tờ trình": "TTr",
    "Công văn": "CV",
    "Biên bản": "BB",
    "Đề án": "ĐA",
}
CONG_VAN = "Công văn"


Order = Literal["columns", "rows", "right-first"]


@dataclass(frozen=True)
class Printing:
    """How the text layer spells and orders what is printed: the traps of real PDFs (DOMAIN.md §2).

    The defaults print clean text: NFC, tone marks on the first vowel ("HÒA", "ỦY"), "-" dashes,
    ordinary spaces, each two-column block drawn one column after the other. None of the options
    changes what a reader sees as the ground truth; they change the characters and their order.

    - `unicode_form`: "NFD" draws every string decomposed (base letters then combining marks).
    - `old_tones`: the other tone placement, on the second vowel ("HOÀ", "UỶ", "thuỷ").
    - `dash`: printed for every "-" of the number, of the motto and of list bullets ("–", "—").
    - `nbsp`: no-break spaces for every space of the header, the lists and the closing.
    - `number_spaces`: spaces around the number's first separator ("78 /LĐLĐ", "145 - CV/TU").
    - `order`: content-stream order of the header and of the closing: "columns" (left column, then
      right), "rows" (line by line, so a plain-text reader interleaves them), "right-first".
    - `page_numbers`: "later-top" (top centre from page 2 on), "bottom" (bottom centre of every
      page), "none"; `page_number_format` like "{n}", "- {n} -", "Trang {n}".
    - `addressee_label`: "inline" puts the first "Kính gửi:" item on the label's line, "own-line"
      prints the label alone above the items.
    - `list_end`: the separator closing list items; None is ";" for state and "," for Party.
    - `star_inline`: Party documents print the "*" after the organisation's name, not under it.
    - `spaced_heading`: the type heading letter-spaced ("K Ế  H O Ạ C H"), as some templates print it.
    """

    unicode_form: Literal["NFC", "NFD"] = "NFC"
    old_tones: bool = False
    dash: str = "-"
    nbsp: bool = False
    number_spaces: bool = False
    order: Order = "columns"
    page_numbers: Literal["later-top", "bottom", "none"] = "later-top"
    page_number_format: str = "{n}"
    addressee_label: Literal["inline", "own-line"] = "inline"
    list_end: str | None = None
    star_inline: bool = False
    spaced_heading: bool = False


PLAIN = Printing()


@dataclass(frozen=True)
class Letter:
    """Ground truth of one document, field by field, exactly as it is printed.

    - `number`: the number and notation after "Số" ("78/LĐLĐ", "291/QĐ-LĐLĐ", "145-CV/TU"); None
      prints a blank number ("Số:      /LĐLĐ", notation from `type_name` and `organ_code`).
    - `issued_date`: None prints a blank date ("ngày    tháng    năm 2026").
    - `subject`: the trích yếu without its prefix; a công văn prints it as "V/v <subject>" under the
      number, other types print it centred under the type name, after `subject_prefix` if set
      ("Về việc"); a công văn may set another prefix ("V.v", "Về việc").
    - `addressees`: the "Kính gửi:" items; `recipients`: the "Nơi nhận:" items. Both without the
      leading "- " and the closing ";" or "." that the layout adds.
    - `body`: paragraphs. A short paragraph in capitals ("QUYẾT ĐỊNH:") is centred in bold.
    - `authority`: "TM. BAN THƯỜNG VỤ", "KT. CHỦ TỊCH", Party "T/M BAN THƯỜNG VỤ"; "" for none; a
      "\n" prints it over several lines ("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH").
    - `signed_by` / `signed_time`: when set, the "Ký bởi:" and "Thời gian ký:" lines that the
      organisation's signature stamp leaves in the text layer of real documents.
    - `organ_code`: the issuer's part of the notation ("LĐLĐ", Party "TU"), used for blank numbers.
    - `cites`: numbers of other documents the body cites (ground truth for references).
    - `printing`: how the text layer spells and orders the text (`Printing`); ground truth is the
      same whatever it says.
    """

    system: System
    parent_organ: str | None
    organ_name: str
    number: str | None
    place: str
    issued_date: dt.date | None
    type_name: str
    subject: str
    addressees: tuple[str, ...]
    body: tuple[str, ...]
    recipients: tuple[str, ...]
    authority: str
    position: str
    signer_name: str
    urgency: str | None = None
    secrecy: str | None = None
    circulation: str | None = None
    signed_by: str | None = None
    signed_time: dt.datetime | None = None
    organ_code: str = "LĐLĐ"
    cites: tuple[str, ...] = field(default=(), compare=False)  # numbers of cited documents
    subject_prefix: str | None = None  # None: "V/v" for a công văn, nothing for the other types
    printing: Printing = PLAIN

    @property
    def is_cong_van(self) -> bool:
        return self.type_name == CONG_VAN

    @property
    def printed_subject(self) -> str:
        """The trích yếu as printed: "V/v <subject>", "Về việc <subject>" or the bare subject."""
        if not self.subject:
            return ""
        prefix = self.subject_prefix if self.subject_prefix is not None else ("V/v" if self.is_cong_van else "")
        return f"{prefix} {self.subject}" if prefix else self.subject

    @property
    def authority_lines(self) -> tuple[str, ...]:
        return tuple(line.strip() for line in self.authority.split("\n") if line.strip())

    @property
    def year(self) -> int:
        if self.issued_date is not None:
            return self.issued_date.year
        if self.signed_time is not None:
            return self.signed_time.year
        return 2026

    def printed_number_line(self) -> str:
        """The number line as printed ("Số: 78/LĐLĐ", "Số 145-CV/TU", "Số:      /KH-LĐLĐ"), with the
        dash and the spaces that `printing` asks for ("Số: 78 /LĐLĐ", "Số 145 – CV/TU")."""
        if self.system == "party":
            if self.number is not None:
                line = f"Số {_space_number(self.number, self.printing)}"
            else:
                code = PARTY_TYPE_CODES.get(self.type_name, "CV")
                line = f"Số      -{code}/{self.organ_code}"
        elif self.number is not None:
            line = f"Số: {_space_number(self.number, self.printing)}"
        else:
            state_code = STATE_TYPE_CODES.get(self.type_name)
            notation = f"{state_code}-{self.organ_code}" if state_code else self.organ_code
            line = f"Số:      /{notation}"
        return line.replace("-", self.printing.dash)

    def printed_date_line(self) -> str:
        """"Mẫu Sơn, ngày 05 tháng 10 năm 2026" (day < 10 and months 1-2 take a leading zero)."""
        if self.issued_date is None:
            return f"{self.place}, ngày      tháng      năm {self.year}"
        d = self.issued_date
        day = f"{d.day:02d}"
        month = f"{d.month:02d}" if d.month < 3 else str(d.month)
        return f"{self.place}, ngày {day} tháng {month} năm {d.year}"


# ---------------------------------------------------------------------------------------------
# Fonts and text helpers


_NBSP = "\u00a0"
_NBSP_STAND_IN = 0xF8A0  # a private-use code point, never printed


class _Font(TTFont):
    """DejaVu that keeps U+00A0 NO-BREAK SPACE in the text layer: reportlab maps it to a plain
    space when it subsets the font; real producers (word processors) do not, and the no-break space
    is one of the traps of the golden corpus. Text without one is encoded exactly as by TTFont."""

    def splitString(self, text: str, doc: Any, encoding: str = "utf-8") -> list[tuple[int, bytes]]:
        if _NBSP not in text:
            return super().splitString(text, doc, encoding)  # type: ignore[no-any-return]
        self.face.charToGlyph.setdefault(_NBSP_STAND_IN, self.face.charToGlyph[0xA0])
        out = super().splitString(text.replace(_NBSP, chr(_NBSP_STAND_IN)), doc, encoding)
        for subset in self.state[doc].subsets:  # the ToUnicode map names U+00A0, not the stand-in
            subset[:] = [0xA0 if code == _NBSP_STAND_IN else code for code in subset]
        return out  # type: ignore[no-any-return]


@cache
def _register_fonts() -> None:
    pdfmetrics.registerFont(_Font(REGULAR, f"{FONT_DIR}/DejaVuSerif.ttf"))
    pdfmetrics.registerFont(_Font(BOLD, f"{FONT_DIR}/DejaVuSerif-Bold.ttf"))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


_TONE_MARKS = frozenset("\u0300\u0301\u0309\u0303\u0323")  # grave, acute, hook, tilde, dot below
_MOVABLE = {("o", "a"), ("o", "e"), ("u", "y")}


def old_tones(text: str) -> str:
    """The other tone placement of a final "oa", "oe", "uy" rhyme: "HÒA" -> "HOÀ", "ủy" -> "uỷ",
    "Hỏa tốc" -> "Hoả tốc" (the inverse of `pipeline.normalize.canonical`); "quý" stays."""

    def move(m: re.Match[str]) -> str:
        word = m.group()
        if len(word) < 2:
            return word
        first = unicodedata.normalize("NFD", word[-2])
        tone = "".join(c for c in first if c in _TONE_MARKS)
        base = _nfc("".join(c for c in first if c not in _TONE_MARKS))
        if not tone or (base.lower(), word[-1].lower()) not in _MOVABLE:
            return word
        if base.lower() == "u" and len(word) >= 3 and word[-3].lower() == "q":
            return word
        return word[:-2] + base + _nfc(word[-1] + tone)

    return re.sub(r"\w+", move, _nfc(text))


def spell(text: str, printing: Printing, *, spaces: bool = False) -> str:
    """`text` as the text layer carries it: tone placement, no-break spaces (only where `spaces`:
    text drawn at a fixed place, never a paragraph that reportlab wraps), Unicode form."""
    out = _nfc(text)
    if printing.old_tones:
        out = old_tones(out)
    if spaces and printing.nbsp:
        out = out.replace(" ", "\u00a0")
    if printing.unicode_form == "NFD":
        out = unicodedata.normalize("NFD", out)
    return out


def _space_number(number: str, printing: Printing) -> str:
    """"78 /LĐLĐ", "145 - CV/TU" when `printing.number_spaces`, else the number unchanged."""
    found = re.match(r"(\d+)([/-])", number)
    if not printing.number_spaces or not found:
        return number
    digits, separator = found.groups()
    spaced = f"{digits} /" if separator == "/" else f"{digits} - "  # as state and Party clerks type them
    return spaced + number[found.end():]


def _width(text: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font, size)


def _fit(text: str, font: str, size: float, width: float, smallest: float = 8.0) -> float:
    """The largest size <= `size` (half-point steps) at which `text` fits in `width`."""
    while size > smallest and _width(text, font, size) > width:
        size -= 0.5
    return size


def _wrap(text: str, font: str, size: float, width: float, first_width: float | None = None) -> list[str]:
    """Greedy word wrap; `first_width` lets the first line be narrower or wider."""
    words = text.split()
    lines: list[str] = []
    current = ""
    limit = first_width if first_width is not None else width
    for word in words:
        candidate = f"{current} {word}" if current else word
        if current and _width(candidate, font, size) > limit:
            lines.append(current)
            current = word
            limit = width
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def _balanced_wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Wrap into as few lines as `width` allows, with the lines as even as possible."""
    lines = _wrap(text, font, size, width)
    low = width / 2
    high = width
    while high - low > 2:
        mid = (low + high) / 2
        if len(_wrap(text, font, size, mid)) > len(lines):
            low = mid
        else:
            high = mid
    return _wrap(text, font, size, high)


def _list_items(items: Sequence[str], separator: str = ";", last: str = ".", dash: str = "-") -> list[str]:
    """"- X;" lines, the last one closed with `last`."""
    out = []
    for i, item in enumerate(items):
        end = last if i == len(items) - 1 else separator
        out.append(f"{dash} {item.rstrip(';.,')}{end}")
    return out


def _separator(letter: Letter) -> str:
    if letter.printing.list_end is not None:
        return letter.printing.list_end
    return "," if letter.system == "party" else ";"


@dataclass(frozen=True)
class _Text:
    x: float  # anchor x, in the flowable's coordinates
    y: float  # baseline, from the flowable's top (positive downwards)
    text: str
    font: str
    size: float
    align: Literal["left", "centre", "right"] = "left"


@dataclass(frozen=True)
class _Rule:
    x1: float
    x2: float
    y: float  # from the flowable's top
    width: float = 0.6


@dataclass(frozen=True)
class _Box:
    x: float
    y: float  # top, from the flowable's top
    w: float
    h: float


class _Drawing(Flowable):
    """A fixed block of positioned text, rules and boxes (header, signing block, ...)."""

    def __init__(
        self, items: Iterable[_Text | _Rule | _Box], height: float, printing: Printing = PLAIN
    ) -> None:
        super().__init__()
        self._items = _ordered(tuple(items), printing.order)
        self._height = height
        self._printing = printing

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return FRAME_WIDTH, self._height

    def draw(self) -> None:
        c: Canvas = self.canv
        top = self._height
        for item in self._items:
            if isinstance(item, _Text):
                c.setFont(item.font, item.size)
                y = top - item.y
                text = spell(item.text, self._printing, spaces=True)
                if item.align == "centre":
                    c.drawCentredString(item.x, y, text)
                elif item.align == "right":
                    c.drawRightString(item.x, y, text)
                else:
                    c.drawString(item.x, y, text)
            elif isinstance(item, _Rule):
                c.setLineWidth(item.width)
                c.line(item.x1, top - item.y, item.x2, top - item.y)
            else:
                c.setLineWidth(0.8)
                c.rect(item.x, top - item.y - item.h, item.w, item.h, stroke=1, fill=0)


_COLUMN_SPLIT = 0.45 * FRAME_WIDTH  # text anchored right of this is in the right column


def _ordered(items: tuple[_Text | _Rule | _Box, ...], order: Order) -> tuple[_Text | _Rule | _Box, ...]:
    """Items in content-stream order: as built (left column, then right), line by line (by
    baseline, then left to right), or right column first."""
    if order == "rows":
        return tuple(sorted(items, key=lambda i: (round(i.y, 1), i.x if isinstance(i, _Text | _Box) else i.x1)))
    if order == "right-first":
        return tuple(sorted(items, key=lambda i: not (isinstance(i, _Text) and i.x >= _COLUMN_SPLIT)))
    return items


def _frame_x(page_x: float) -> float:
    return page_x - LEFT_MARGIN


def _centred_column(
    lines: Sequence[tuple[str, str]], centre: float, width: float, first_row: int = 0
) -> tuple[list[_Text], int]:
    """Centred header lines (text, font), each on its own row; shrinks a line that is too wide."""
    out = []
    row = first_row
    for text, font in lines:
        size = _fit(text, font, HEADER_SIZE, width)
        out.append(_Text(_frame_x(centre), (row + 1) * HEADER_LEADING, text, font, size, "centre"))
        row += 1
    return out, row


def _header_lines(text: str, font: str, width: float) -> list[str]:
    """An organ name in capitals: one line, shrunk a little if needed, else wrapped."""
    upper = _nfc(text).upper()
    if _width(upper, font, HEADER_SIZE - 1.5) <= width:
        return [upper]
    return _wrap(upper, font, HEADER_SIZE, width)


def _mark_box(text: str, centre: float, row: int) -> tuple[list[_Text | _Rule | _Box], int]:
    """A stand-alone mark (MẬT, KHẨN, ...) in bold inside a box, on its own row."""
    size = HEADER_SIZE + 1
    w = _width(text, BOLD, size) + 8
    baseline = (row + 1) * HEADER_LEADING + 6
    x = _frame_x(centre)
    return [
        _Text(x, baseline, text, BOLD, size, "centre"),
        _Box(x - w / 2, baseline - size - 1, w, size + 5),
    ], row + 2


_VV_SIZE = HEADER_SIZE - 0.5


def _subject_lines(letter: Letter) -> list[str]:
    """The printed subject's lines: under the number for a công văn, under the heading otherwise."""
    if not letter.printed_subject:
        return []
    if letter.is_cong_van:
        return _wrap(_nfc(letter.printed_subject), REGULAR, _VV_SIZE, HEADER_LEFT[1] - 8 * mm)
    return _balanced_wrap(_nfc(letter.printed_subject), BOLD, BODY_SIZE, FRAME_WIDTH - 25 * mm)


def header_line_count(organ_name: str) -> int:
    """How many lines an issuer's name takes in the left column of the header."""
    _register_fonts()
    return len(_header_lines(organ_name, BOLD, HEADER_LEFT[1]))


def subject_line_count(letter: Letter) -> int:
    """How many lines the subject is printed on (more than one: a wrapped subject)."""
    _register_fonts()
    return len(_subject_lines(letter))


def _header(letter: Letter) -> _Drawing:
    left_centre, left_width = HEADER_LEFT
    right_centre, right_width = HEADER_RIGHT
    items: list[_Text | _Rule | _Box] = []

    left: list[tuple[str, str]] = []
    if letter.parent_organ:
        left.extend((line, REGULAR) for line in _header_lines(letter.parent_organ, REGULAR, left_width))
    organ_lines = _header_lines(letter.organ_name, BOLD, left_width)
    if letter.system == "party" and letter.printing.star_inline:
        organ_lines[-1] += " *"
    left.extend((line, BOLD) for line in organ_lines)
    organ_row_end = len(left)
    if letter.system == "party" and not letter.printing.star_inline:
        left.append(("*", BOLD))

    if letter.circulation:
        # Scope of circulation: a stand-alone mark above the national motto.
        marks, _ = _mark_box(_nfc(letter.circulation).upper(), right_centre, 0)
        top_shift = 2 * HEADER_LEADING
    else:
        marks, top_shift = [], 0.0

    left_items, left_rows = _centred_column(left, left_centre, left_width)
    items.extend(left_items)
    if letter.system == "state":
        # A short rule under the issuing body's name.
        organ_w = max(_width(t, f, HEADER_SIZE) for t, f in left[organ_row_end - len(organ_lines):organ_row_end])
        rule_w = min(organ_w, left_width) / 3
        y = organ_row_end * HEADER_LEADING + 7
        items.append(_Rule(_frame_x(left_centre) - rule_w / 2, _frame_x(left_centre) + rule_w / 2, y))
        right_lines = [(STATE_MOTTO[0], BOLD), (STATE_MOTTO[1].replace("-", letter.printing.dash), BOLD)]
    else:
        right_lines = [(PARTY_MOTTO, BOLD)]
    right_items, right_rows = _centred_column(right_lines, right_centre, right_width)
    items.extend(right_items)
    motto = right_items[-1]
    motto_w = _width(motto.text, motto.font, motto.size)
    y = right_rows * HEADER_LEADING + 7
    items.append(_Rule(_frame_x(right_centre) - motto_w / 2, _frame_x(right_centre) + motto_w / 2, y))

    # Number line (left) and place/date line (right) share a row, one blank row below the mottos.
    row = max(left_rows, right_rows) + 1
    number = _nfc(letter.printed_number_line())
    items.append(_Text(_frame_x(left_centre), (row + 1) * HEADER_LEADING, number, REGULAR,
                       _fit(number, REGULAR, HEADER_SIZE + 1, left_width), "centre"))
    date_line = _nfc(letter.printed_date_line())
    items.append(_Text(_frame_x(right_centre), (row + 1) * HEADER_LEADING, date_line, REGULAR,
                       _fit(date_line, REGULAR, HEADER_SIZE + 1, right_width), "centre"))
    row += 1
    if letter.is_cong_van:
        for line in _subject_lines(letter):
            items.append(_Text(_frame_x(left_centre), (row + 1) * HEADER_LEADING, line, REGULAR, _VV_SIZE,
                               "centre"))
            row += 1
    for mark in (letter.secrecy, letter.urgency):
        if mark:
            row += 0
            mark_items, row = _mark_box(_nfc(mark).upper(), left_centre, row)
            items.extend(mark_items)

    height = (row + 1) * HEADER_LEADING
    if top_shift:
        items = [*marks, *(_shift(item, top_shift) for item in items)]
        height += top_shift
    return _Drawing(items, height, letter.printing)


def _shift(item: _Text | _Rule | _Box, dy: float) -> _Text | _Rule | _Box:
    if isinstance(item, _Text):
        return _Text(item.x, item.y + dy, item.text, item.font, item.size, item.align)
    if isinstance(item, _Rule):
        return _Rule(item.x1, item.x2, item.y + dy, item.width)
    return _Box(item.x, item.y + dy, item.w, item.h)


def _heading_text(letter: Letter) -> str:
    heading = _nfc(letter.type_name).upper()
    if letter.printing.spaced_heading:
        return "\u2003".join(" ".join(word) for word in heading.split())  # an em space between words
    return heading


def _title(letter: Letter) -> list[Flowable]:
    title_style = ParagraphStyle(
        "title", fontName=BOLD, fontSize=BODY_SIZE + 1, leading=BODY_LEADING, alignment=TA_CENTER
    )
    subject_style = ParagraphStyle(
        "subject", fontName=BOLD, fontSize=BODY_SIZE, leading=BODY_LEADING - 1, alignment=TA_CENTER
    )
    subject_lines = _subject_lines(letter)
    rule_w = 35 * mm
    printing = letter.printing
    return [
        Spacer(1, 4 * mm),
        Paragraph(escape(spell(_heading_text(letter), printing)), title_style),
        Paragraph("<br/>".join(escape(spell(line, printing)) for line in subject_lines), subject_style),
        _Drawing([_Rule(FRAME_WIDTH / 2 - rule_w / 2, FRAME_WIDTH / 2 + rule_w / 2, 5)], 8),
    ]


_KINH_GUI = "Kính gửi:"
_ITEM_SIZE = BODY_SIZE - 2.5  # "Nơi nhận" items


def _addressee_lines(letter: Letter) -> tuple[float, list[list[str]]]:
    """Where "Kính gửi:" starts, and the lines of each item (a single one centred on its line)."""
    size = BODY_SIZE
    label_w = _width(_KINH_GUI + " ", REGULAR, size)
    if len(letter.addressees) == 1:
        entry = f"{_nfc(letter.addressees[0]).rstrip(';.,')}."
        label_x = max(0.0, (FRAME_WIDTH - label_w - _width(entry, REGULAR, size)) / 2)
        return label_x, [_wrap(entry, REGULAR, size, FRAME_WIDTH - label_x - label_w)]
    label_x = 18 * mm
    entries = _list_items([_nfc(a) for a in letter.addressees], separator=_separator(letter), dash=letter.printing.dash)
    return label_x, [_wrap(entry, REGULAR, size, FRAME_WIDTH - label_x - label_w - 8) for entry in entries]


def _recipient_lines(letter: Letter) -> list[list[str]]:
    entries = _list_items([_nfc(r) for r in letter.recipients], separator=_separator(letter), dash=letter.printing.dash)
    return [_wrap(entry, REGULAR, _ITEM_SIZE, RECIPIENTS_WIDTH - 6) for entry in entries]


def wraps_list_items(letter: Letter) -> bool:
    """Whether a "Kính gửi" or "Nơi nhận" item is printed over two lines or more."""
    _register_fonts()
    items = [*(_addressee_lines(letter)[1] if letter.addressees else []), *_recipient_lines(letter)]
    return any(len(lines) > 1 for lines in items)


def _addressees(letter: Letter) -> list[Flowable]:
    """"Kính gửi:" with the first item on the same line; several items as "- X;" lines aligned
    under the first (Party documents separate them with commas); a single one centred."""
    if not letter.addressees:
        return []
    label = _KINH_GUI
    size, leading = BODY_SIZE, BODY_LEADING
    label_w = _width(label + " ", REGULAR, size)
    label_x, wrapped_items = _addressee_lines(letter)
    indent = "  " if len(letter.addressees) > 1 else ""  # a wrapped list item under its first line's text
    lines = [line if i == 0 else indent + line for item in wrapped_items for i, line in enumerate(item)]
    first_row = 1
    if letter.printing.addressee_label == "own-line":
        first_row = 2  # the label alone on its line, the items under it
    items: list[_Text | _Rule | _Box] = [_Text(label_x, leading, label, REGULAR, size)]
    for row, line in enumerate(lines, start=first_row):
        items.append(_Text(label_x + label_w, row * leading, line, REGULAR, size))
    height = (len(lines) + first_row - 1) * leading + 6
    return [Spacer(1, 3 * mm), _Drawing(items, height, letter.printing), Spacer(1, 2 * mm)]


def _is_heading(text: str) -> bool:
    """A short paragraph in capitals ("QUYẾT ĐỊNH:", "BAN THƯỜNG VỤ ...") is a centred heading."""
    return len(text) <= 80 and text == text.upper() and any(c.isalpha() for c in text)


def _body(letter: Letter) -> list[Flowable]:
    style = ParagraphStyle(
        "body",
        fontName=REGULAR,
        fontSize=BODY_SIZE,
        leading=BODY_LEADING,
        alignment=TA_JUSTIFY,
        firstLineIndent=10 * mm,
        spaceAfter=4,
    )
    heading = ParagraphStyle(
        "heading", fontName=BOLD, fontSize=BODY_SIZE, leading=BODY_LEADING, alignment=TA_CENTER,
        spaceBefore=2, spaceAfter=4,
    )
    out: list[Flowable] = [Spacer(1, 2 * mm)]
    for paragraph in letter.body:
        text = _nfc(paragraph).strip()
        printed = escape(spell(text, letter.printing))
        if _is_heading(text):
            out.append(Paragraph(printed, heading))
        else:
            out.append(Paragraph(printed, style))
    return out


def _signed_by_lines(letter: Letter) -> list[str]:
    if not letter.signed_by:
        return []
    lines = [f"Ký bởi: {_nfc(letter.signed_by)}"]
    if letter.signed_time is not None:
        lines.append(f"Thời gian ký: {letter.signed_time:%d.%m.%Y %H:%M}")
    return lines


def _closing(letter: Letter) -> _Drawing:
    items: list[_Text | _Rule | _Box] = []
    # Nơi nhận, left.
    label_size = BODY_SIZE - 0.5
    item_leading = 12.0
    y = 16.0
    items.append(_Text(0, y, "Nơi nhận:", BOLD, label_size))
    for lines in _recipient_lines(letter):
        for i, line in enumerate(lines):
            y += item_leading
            items.append(_Text(0 if i == 0 else 6, y, line, REGULAR, _ITEM_SIZE))
    left_bottom = y

    # Signing block, right: authority, title, room for the signature and seal, then the name.
    centre = _frame_x(SIGN_CENTRE)
    size = BODY_SIZE
    y = 16.0
    for line in (*letter.authority_lines, letter.position):
        text = _nfc(line).strip().upper()
        if text:
            items.append(_Text(centre, y, text, BOLD, _fit(text, BOLD, size, SIGN_WIDTH), "centre"))
            y += BODY_LEADING
    stamp = _signed_by_lines(letter)
    gap_top = y
    gap = 30 * mm
    if stamp:
        sy = gap_top + 10 * mm
        for line in stamp:
            items.append(_Text(centre - 28 * mm, sy, line, REGULAR, 8.5))
            sy += 11
    y = gap_top + gap
    name = _nfc(letter.signer_name)
    items.append(_Text(centre, y, name, BOLD, _fit(name, BOLD, size, SIGN_WIDTH), "centre"))
    return _Drawing(items, max(left_bottom, y) + 6, letter.printing)


def _page_number(printing: Printing, *, first: bool) -> Callable[[Canvas, BaseDocTemplate], None]:
    """The onPage callback that prints the page number as a lone line, as `printing` asks."""

    def draw(canvas: Canvas, doc: BaseDocTemplate) -> None:
        if printing.page_numbers == "none" or (first and printing.page_numbers == "later-top"):
            return
        canvas.saveState()
        canvas.setFont(REGULAR, BODY_SIZE - 1)
        text = spell(printing.page_number_format.format(n=doc.page), printing)
        y = PAGE_HEIGHT - 12 * mm if printing.page_numbers == "later-top" else 10 * mm
        canvas.drawCentredString(PAGE_WIDTH / 2, y, text)
        canvas.restoreState()

    return draw


def render_letter(letter: Letter) -> bytes:
    """An A4 PDF of `letter` (deterministic bytes for the same Letter)."""
    _register_fonts()
    buf = io.BytesIO()
    title = f"{letter.type_name} {letter.number or ''}".strip()
    doc = BaseDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=LEFT_MARGIN,
        rightMargin=RIGHT_MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        title=_nfc(title),
        subject=_nfc(f"{letter.subject_prefix} {letter.subject}" if letter.subject_prefix else letter.subject),
        author=_nfc(letter.organ_name),
        creator="congbo demo corpus",
        lang="vi",
        invariant=1,
    )
    frame = Frame(
        LEFT_MARGIN, BOTTOM_MARGIN, FRAME_WIDTH, PAGE_HEIGHT - TOP_MARGIN - BOTTOM_MARGIN,
        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body",
    )
    doc.addPageTemplates([
        PageTemplate(id="first", frames=[frame], autoNextPageTemplate="later",
                     onPage=_page_number(letter.printing, first=True)),
        PageTemplate(id="later", frames=[frame], onPage=_page_number(letter.printing, first=False)),
    ])
    story: list[Flowable] = [_header(letter)]
    if not letter.is_cong_van:
        story.extend(_title(letter))
    story.extend(_addressees(letter))
    story.extend(_body(letter))
    story.append(Spacer(1, 3 * mm))
    story.append(_closing(letter))
    doc.build(story)
    return buf.getvalue()


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def letter_filename(letter: Letter) -> str:
    """ASCII file name from date and number: "2026-11-03-78-ldld.pdf"."""
    date_part = letter.issued_date.isoformat() if letter.issued_date else "khong-ngay"
    if letter.number:
        number_part = _slug(letter.number)
    else:
        number_part = "khong-so-" + "-".join(_slug(letter.subject).split("-")[:6])
    return f"{date_part}-{number_part}.pdf"


# ---------------------------------------------------------------------------------------------
# The demo corpus: the fictional "Liên đoàn Lao động tỉnh Mẫu", September to November 2026.

DEMO_PARENT = "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM"
DEMO_ORGAN = "LIÊN ĐOÀN LAO ĐỘNG TỈNH MẪU"
DEMO_ORGANISATION = "Liên đoàn Lao động tỉnh Mẫu"  # as on the organisation's certificate
DEMO_PLACE = "Mẫu Sơn"
VN_TZ = dt.timezone(dt.timedelta(hours=7), "+07")

CHAU_THANH = "Liên đoàn Lao động huyện Châu Thành"
CHAU_THANH_SHORT = "LĐLĐ huyện Châu Thành"
HOA_AN = "Liên đoàn Lao động huyện Hòa An"
DONG_SON = "Liên đoàn Lao động huyện Đông Sơn"
TAN_MAU = "Liên đoàn Lao động thành phố Tân Mẫu"
DISTRICTS = "Liên đoàn Lao động các huyện, thành phố"
GIAO_DUC = "Công đoàn ngành Giáo dục"
Y_TE = "Công đoàn ngành Y tế"
VIEN_CHUC = "Công đoàn Viên chức tỉnh"
KCN = "Công đoàn các Khu công nghiệp tỉnh"
SECTORS = "Công đoàn ngành và tương đương"
MAY_MAU_SON = "Công đoàn cơ sở Công ty TNHH May Mẫu Sơn"
THUY_DIEN = "Công đoàn cơ sở Công ty CP Thủy điện Sông Mẫu"
GRASSROOTS = "Các công đoàn cơ sở trực thuộc LĐLĐ tỉnh"
BAN_TO_CHUC = "Ban Tổ chức"
BAN_TUYEN_GIAO = "Ban Tuyên giáo"
VAN_PHONG = "Văn phòng LĐLĐ tỉnh"

DEMO_SIGNERS = {
    "Nguyễn Văn An": "CHỦ TỊCH",
    "Trần Thị Bình": "PHÓ CHỦ TỊCH",
    "Lê Hoàng Cường": "PHÓ CHỦ TỊCH",
}

_LUU = "Lưu: VT, VP"
_NHU_KG = "Như kính gửi"
_TLD_BC = "Tổng Liên đoàn Lao động Việt Nam (b/c)"
_TU_BC = "Thường trực Tỉnh ủy (b/c)"
_TT = "Thường trực LĐLĐ tỉnh"


def demo_signing_times(issued: dt.date, number: str) -> tuple[dt.datetime, dt.datetime]:
    """When the person and then the office signed a demo letter: the person around 08:30 on the
    letter's date (+07:00), the organisation 20 to 90 minutes later. Stable for a number."""
    spread = sum(ord(c) for c in number)
    person = dt.datetime(issued.year, issued.month, issued.day, 8, 12, tzinfo=VN_TZ) + dt.timedelta(
        minutes=spread % 37
    )
    organisation = person + dt.timedelta(minutes=20 + (spread * 7) % 71)
    return person, organisation


def _demo(
    number: str,
    issued: str,
    type_name: str,
    subject: str,
    body: tuple[str, ...],
    recipients: tuple[str, ...],
    signer: str,
    *,
    authority: str = "TM. BAN THƯỜNG VỤ",
    addressees: tuple[str, ...] = (),
    urgency: str | None = None,
    signed: bool = False,
    cites: tuple[str, ...] = (),
    subject_prefix: str | None = None,
) -> Letter:
    issued_date = dt.date.fromisoformat(issued)
    _, organisation_time = demo_signing_times(issued_date, number)
    return Letter(
        system="state",
        parent_organ=DEMO_PARENT,
        organ_name=DEMO_ORGAN,
        number=number,
        place=DEMO_PLACE,
        issued_date=issued_date,
        type_name=type_name,
        subject=subject,
        addressees=addressees,
        body=body,
        recipients=recipients,
        authority=authority,
        position=DEMO_SIGNERS[signer],
        signer_name=signer,
        urgency=urgency,
        signed_by=DEMO_ORGANISATION if signed else None,
        signed_time=organisation_time if signed else None,
        cites=cites,
        subject_prefix=subject_prefix,
    )


def demo_letters() -> tuple[Letter, ...]:
    """Fifteen letters of the fictional provincial trade union, in issuing order."""
    return (
        _demo(
            "255/KH-LĐLĐ",
            "2026-09-10",
            "Kế hoạch",
            "Tổ chức Hội thao công nhân, viên chức, lao động tỉnh Mẫu năm 2026",
            (
                "Thực hiện Chương trình công tác năm 2026 của Ban Chấp hành Liên đoàn Lao động tỉnh "
                "Mẫu; nhằm đẩy mạnh phong trào “Rèn luyện thân thể theo gương Bác Hồ vĩ đại”, nâng cao "
                "sức khỏe, đời sống văn hóa, tinh thần cho đoàn viên, công nhân, viên chức, lao động, "
                "Ban Thường vụ Liên đoàn Lao động tỉnh xây dựng Kế hoạch tổ chức Hội thao công nhân, "
                "viên chức, lao động tỉnh Mẫu năm 2026 như sau:",
                "1. Mục đích, yêu cầu: Hội thao là dịp để đoàn viên, người lao động giao lưu, học hỏi, "
                "tăng cường đoàn kết, gắn bó giữa các cấp công đoàn trong tỉnh; qua đó phát hiện, bồi "
                "dưỡng những vận động viên có năng khiếu để tham gia các giải thể thao do Tổng Liên đoàn "
                "Lao động Việt Nam tổ chức. Việc tổ chức Hội thao phải bảo đảm thiết thực, an toàn, tiết "
                "kiệm, đúng điều lệ; thu hút đông đảo đoàn viên, người lao động trong các cơ quan, đơn "
                "vị, doanh nghiệp tham gia, đặc biệt là công nhân lao động đang làm việc tại các khu "
                "công nghiệp và các doanh nghiệp ngoài nhà nước trên địa bàn tỉnh.",
                "2. Thời gian, địa điểm và môn thi đấu: Hội thao diễn ra trong hai ngày 24 và 25/10/2026 "
                "tại Nhà thi đấu đa năng tỉnh và Sân vận động thành phố Tân Mẫu. Các môn thi đấu gồm: "
                "bóng đá nam (sân 7 người), bóng chuyền hơi nam nữ phối hợp, cầu lông, kéo co và cờ "
                "tướng. Mỗi đơn vị được đăng ký tối đa 30 vận động viên, trong đó có ít nhất 30% là nữ; "
                "vận động viên phải là đoàn viên công đoàn đang làm việc tại đơn vị, có đủ sức khỏe để "
                "tham gia thi đấu và có tên trong danh sách do thủ trưởng đơn vị xác nhận. Điều lệ chi "
                "tiết của từng môn được gửi kèm Kế hoạch này; việc bốc thăm, xếp lịch thi đấu tiến hành "
                "vào ngày 16/10/2026 tại trụ sở Liên đoàn Lao động tỉnh, số 15 đường Trần Hưng Đạo, "
                "thành phố Tân Mẫu.",
                "3. Tổ chức thực hiện: Ban Tuyên giáo chủ trì, phối hợp với Văn phòng LĐLĐ tỉnh tham mưu "
                "thành lập Ban Tổ chức Hội thao và Ban Trọng tài, hoàn thiện Điều lệ, chuẩn bị các điều "
                "kiện về cơ sở vật chất, y tế, an ninh trật tự và khen thưởng cho các vận động viên, đội "
                "thi đấu đạt giải. Liên đoàn Lao động các huyện, thành phố, Công đoàn ngành và tương "
                "đương, các công đoàn cơ sở trực thuộc LĐLĐ tỉnh căn cứ Kế hoạch này tổ chức tuyển chọn "
                "vận động viên, thành lập đoàn tham gia Hội thao và gửi danh sách đăng ký về Liên đoàn "
                "Lao động tỉnh (qua Ban Tuyên giáo) trước ngày 10/10/2026. Trong quá trình thực hiện, "
                "nếu có khó khăn, vướng mắc, các đơn vị kịp thời phản ánh về Liên đoàn Lao động tỉnh "
                "để được hướng dẫn, giải quyết.",
            ),
            (_TLD_BC, _TU_BC, DISTRICTS, SECTORS, GRASSROOTS, BAN_TUYEN_GIAO, _LUU),
            "Trần Thị Bình",
        ),
        _demo(
            "258/LĐLĐ",
            "2026-09-15",
            CONG_VAN,
            "nắm tình hình đoàn viên, người lao động bị ảnh hưởng do bão số 5",
            (
                "Theo thông tin của Ban Chỉ huy Phòng thủ dân sự tỉnh, bão số 5 và hoàn lưu sau bão đã "
                "gây mưa lớn, ngập úng cục bộ tại nhiều địa phương trên địa bàn tỉnh trong các ngày 12 "
                "và 13/9/2026, làm hư hỏng nhà ở, tài sản của nhiều hộ gia đình, trong đó có gia đình "
                "đoàn viên, người lao động.",
                "Để kịp thời thăm hỏi, động viên và có giải pháp hỗ trợ đoàn viên, người lao động gặp "
                "khó khăn, Liên đoàn Lao động tỉnh đề nghị các đơn vị khẩn trương nắm tình hình thiệt "
                "hại của đoàn viên, người lao động tại địa phương, đơn vị mình (số người có nhà ở bị "
                "sập, tốc mái, ngập nước; số người bị thương; số doanh nghiệp phải tạm dừng sản xuất) "
                "và báo cáo về Liên đoàn Lao động tỉnh (qua Văn phòng) trước 16 giờ 00 ngày 17/9/2026, "
                "đồng thời gửi bản điện tử qua hệ thống quản lý văn bản và điều hành.",
                "Đây là nhiệm vụ cấp bách, đề nghị lãnh đạo các đơn vị quan tâm chỉ đạo thực hiện./.",
            ),
            (_NHU_KG, _TT, _LUU),
            "Lê Hoàng Cường",
            authority="KT. CHỦ TỊCH",
            addressees=(CHAU_THANH, HOA_AN, DONG_SON, TAN_MAU, KCN),
            urgency="KHẨN",
            signed=True,
        ),
        _demo(
            "262/HD-LĐLĐ",
            "2026-09-18",
            "Hướng dẫn",
            "Tổ chức các hoạt động kỷ niệm 96 năm Ngày thành lập Hội Liên hiệp Phụ nữ Việt Nam "
            "(20/10/1930 - 20/10/2026) trong nữ công nhân, viên chức, lao động",
            (
                "Thực hiện Hướng dẫn của Tổng Liên đoàn Lao động Việt Nam về công tác nữ công năm 2026, "
                "Ban Thường vụ Liên đoàn Lao động tỉnh hướng dẫn các cấp công đoàn tổ chức các hoạt "
                "động kỷ niệm 96 năm Ngày thành lập Hội Liên hiệp Phụ nữ Việt Nam như sau:",
                "1. Nội dung tuyên truyền: Tập trung tuyên truyền truyền thống vẻ vang của phụ nữ Việt "
                "Nam, vai trò của nữ công nhân, viên chức, lao động trong sự nghiệp xây dựng và phát "
                "triển quê hương; các chế độ, chính sách pháp luật liên quan đến lao động nữ, bình đẳng "
                "giới, phòng, chống bạo lực gia đình và quấy rối tình dục tại nơi làm việc. Hình thức "
                "tuyên truyền đa dạng, phù hợp với đặc điểm của từng đơn vị, chú trọng tuyên truyền "
                "trên nền tảng số.",
                "2. Các hoạt động kỷ niệm: Các cấp công đoàn phối hợp với người sử dụng lao động tổ chức "
                "gặp mặt, tọa đàm, giao lưu văn nghệ, thể thao; biểu dương các tập thể, cá nhân tiêu "
                "biểu trong phong trào thi đua “Giỏi việc nước, đảm việc nhà”; quan tâm thăm hỏi nữ "
                "đoàn viên có hoàn cảnh khó khăn, nữ công nhân lao động làm việc tại các khu công "
                "nghiệp. Việc tổ chức phải thiết thực, tiết kiệm, tránh phô trương, hình thức.",
                "3. Chế độ báo cáo: Liên đoàn Lao động các huyện, thành phố, Công đoàn ngành và tương "
                "đương, các công đoàn cơ sở trực thuộc tổng hợp kết quả thực hiện, báo cáo về Liên đoàn "
                "Lao động tỉnh (qua Ban Tuyên giáo) trước ngày 30/10/2026./.",
            ),
            (_TT, DISTRICTS, SECTORS, GRASSROOTS, BAN_TUYEN_GIAO, _LUU),
            "Trần Thị Bình",
        ),
        _demo(
            "265/BC-LĐLĐ",
            "2026-09-25",
            "Báo cáo",
            "Kết quả công tác tháng 9, nhiệm vụ trọng tâm tháng 10 năm 2026",
            (
                "1. Kết quả công tác tháng 9 năm 2026: Các cấp công đoàn trong tỉnh tập trung tuyên "
                "truyền kỷ niệm 81 năm Cách mạng Tháng Tám và Quốc khánh 2/9; triển khai Kế hoạch số "
                "255/KH-LĐLĐ ngày 10/9/2026 về tổ chức Hội thao công nhân, viên chức, lao động tỉnh năm "
                "2026. Liên đoàn Lao động tỉnh đã chỉ đạo các đơn vị nắm tình hình đoàn viên, người lao "
                "động bị ảnh hưởng do bão số 5 theo Công văn số 258/LĐLĐ ngày 15/9/2026, kịp thời thăm "
                "hỏi 126 đoàn viên có nhà ở bị hư hỏng. Trong tháng, toàn tỉnh kết nạp mới 412 đoàn "
                "viên, thành lập mới 03 công đoàn cơ sở trong doanh nghiệp ngoài nhà nước.",
                "Công tác đại diện, bảo vệ quyền, lợi ích hợp pháp, chính đáng của đoàn viên, người lao "
                "động được quan tâm; các cấp công đoàn đã tham gia giải quyết 02 vụ ngừng việc tập thể "
                "tại doanh nghiệp trong Khu công nghiệp Tân Mẫu, bảo đảm quyền lợi cho 350 người lao "
                "động. Hoạt động tư vấn pháp luật tiếp tục được duy trì, với 57 lượt người lao động được "
                "tư vấn trực tiếp và qua đường dây nóng.",
                "2. Nhiệm vụ trọng tâm tháng 10 năm 2026: Tổ chức Hội nghị sơ kết công tác công đoàn 9 "
                "tháng đầu năm, triển khai nhiệm vụ 3 tháng cuối năm; tổ chức Hội thao công nhân, viên "
                "chức, lao động tỉnh năm 2026; hướng dẫn các hoạt động kỷ niệm Ngày Phụ nữ Việt Nam "
                "20/10 theo Hướng dẫn số 262/HD-LĐLĐ ngày 18/9/2026; chuẩn bị nội dung Diễn đàn đối "
                "thoại giữa lãnh đạo tỉnh với công nhân lao động năm 2026.",
            ),
            (_TLD_BC, _TU_BC, _TT, BAN_TO_CHUC, BAN_TUYEN_GIAO, VAN_PHONG, _LUU),
            "Lê Hoàng Cường",
            cites=("255/KH-LĐLĐ", "258/LĐLĐ", "262/HD-LĐLĐ"),
        ),
        _demo(
            "267/CTr-LĐLĐ",
            "2026-09-28",
            "Chương trình",
            "Công tác tháng 10 năm 2026",
            (
                "Căn cứ Chương trình công tác năm 2026 và kết quả thực hiện nhiệm vụ tháng 9 năm 2026 "
                "(Báo cáo số 265/BC-LĐLĐ ngày 25/9/2026), Ban Thường vụ Liên đoàn Lao động tỉnh xây "
                "dựng Chương trình công tác tháng 10 năm 2026 như sau:",
                "1. Ngày 07/10: Giao ban Thường trực với các Ban, Văn phòng LĐLĐ tỉnh. 2. Ngày 09/10: "
                "Hội nghị sơ kết công tác công đoàn 9 tháng đầu năm, triển khai nhiệm vụ 3 tháng cuối "
                "năm 2026 (Văn phòng LĐLĐ tỉnh chuẩn bị). 3. Ngày 16/10: Bốc thăm, xếp lịch thi đấu "
                "Hội thao công nhân, viên chức, lao động tỉnh (Ban Tuyên giáo). 4. Ngày 20/10: Tọa đàm "
                "kỷ niệm 96 năm Ngày thành lập Hội Liên hiệp Phụ nữ Việt Nam. 5. Ngày 24 và 25/10: Tổ "
                "chức Hội thao công nhân, viên chức, lao động tỉnh năm 2026.",
                "Các Ban, Văn phòng LĐLĐ tỉnh căn cứ Chương trình này chủ động triển khai; Liên đoàn Lao "
                "động các huyện, thành phố, Công đoàn ngành và tương đương xây dựng chương trình công "
                "tác của đơn vị cho phù hợp. Trường hợp có thay đổi, Văn phòng LĐLĐ tỉnh sẽ thông báo "
                "cụ thể.",
            ),
            (_TU_BC, _TT, BAN_TO_CHUC, BAN_TUYEN_GIAO, VAN_PHONG, DISTRICTS, SECTORS, _LUU),
            "Nguyễn Văn An",
            cites=("265/BC-LĐLĐ",),
        ),
        _demo(
            "270/GM-LĐLĐ",
            "2026-10-05",
            "Giấy mời",
            "Dự Hội nghị sơ kết công tác công đoàn 9 tháng đầu năm, triển khai nhiệm vụ 3 tháng cuối "
            "năm 2026",
            (
                "Ban Thường vụ Liên đoàn Lao động tỉnh trân trọng kính mời đại diện lãnh đạo các đơn vị "
                "dự Hội nghị sơ kết công tác công đoàn 9 tháng đầu năm, triển khai nhiệm vụ 3 tháng cuối "
                "năm 2026.",
                "Thời gian: 01 buổi, bắt đầu từ 08 giờ 00 phút, thứ Sáu, ngày 09/10/2026. Địa điểm: Hội "
                "trường tầng 3, trụ sở Liên đoàn Lao động tỉnh, số 15 đường Trần Hưng Đạo, thành phố "
                "Tân Mẫu.",
                "Đề nghị Liên đoàn Lao động các huyện, thành phố, Công đoàn ngành và tương đương chuẩn "
                "bị ý kiến tham luận (nếu có) và gửi báo cáo kết quả công tác 9 tháng về Văn phòng LĐLĐ "
                "tỉnh trước ngày 07/10/2026 để tổng hợp. Rất mong các đồng chí tham dự đầy đủ, đúng "
                "thời gian./.",
            ),
            (_NHU_KG, _TT, _LUU),
            "Trần Thị Bình",
            authority="KT. CHỦ TỊCH",
            addressees=(DISTRICTS, SECTORS, BAN_TO_CHUC, BAN_TUYEN_GIAO, VAN_PHONG),
            urgency="KHẨN",
        ),
        _demo(
            "274/TB-LĐLĐ",
            "2026-10-08",
            "Thông báo",
            "Kết luận của đồng chí Chủ tịch Liên đoàn Lao động tỉnh tại cuộc họp giao ban tháng 10 "
            "năm 2026",
            (
                "Ngày 07/10/2026, đồng chí Nguyễn Văn An, Chủ tịch Liên đoàn Lao động tỉnh chủ trì cuộc "
                "họp giao ban tháng 10 năm 2026 với lãnh đạo các Ban, Văn phòng LĐLĐ tỉnh. Sau khi nghe "
                "báo cáo kết quả công tác tháng 9 và ý kiến thảo luận của các đại biểu, đồng chí Chủ "
                "tịch kết luận như sau:",
                "1. Đánh giá chung: Trong tháng 9, các Ban, Văn phòng đã bám sát Chương trình công tác, "
                "hoàn thành các nhiệm vụ trọng tâm; kịp thời nắm tình hình, thăm hỏi đoàn viên, người "
                "lao động bị ảnh hưởng do bão số 5 theo Công văn số 258/LĐLĐ ngày 15/9/2026. Tuy nhiên, "
                "việc tổng hợp số liệu báo cáo của một số đơn vị còn chậm, chưa đúng thời gian quy định.",
                "2. Nhiệm vụ thời gian tới: Ban Tuyên giáo khẩn trương hoàn thiện Điều lệ Hội thao, phối "
                "hợp chặt chẽ với các đơn vị trong việc đăng ký vận động viên; Ban Tổ chức chủ trì "
                "chuẩn bị nội dung Diễn đàn đối thoại giữa lãnh đạo tỉnh với công nhân lao động năm "
                "2026; Văn phòng LĐLĐ tỉnh tham mưu xây dựng Quy chế tiếp nhận, xử lý và công bố văn "
                "bản điện tử, trình Ban Thường vụ trong tháng 10/2026.",
                "Liên đoàn Lao động tỉnh thông báo để các Ban, Văn phòng và các đơn vị liên quan biết, "
                "thực hiện./.",
            ),
            (_TT, BAN_TO_CHUC, BAN_TUYEN_GIAO, VAN_PHONG, _LUU),
            "Lê Hoàng Cường",
            authority="KT. CHỦ TỊCH",
            cites=("258/LĐLĐ",),
        ),
        _demo(
            "279/LĐLĐ",
            "2026-10-12",
            CONG_VAN,
            "đăng ký tham gia Hội thao công nhân, viên chức, lao động tỉnh năm 2026",
            (
                "Thực hiện Kế hoạch số 255/KH-LĐLĐ ngày 10/9/2026 của Ban Thường vụ Liên đoàn Lao động "
                "tỉnh về tổ chức Hội thao công nhân, viên chức, lao động tỉnh Mẫu năm 2026, đến hết "
                "ngày 10/10/2026, Liên đoàn Lao động tỉnh mới nhận được đăng ký của 05 đơn vị.",
                "Để kịp thời bốc thăm, xếp lịch thi đấu vào ngày 16/10/2026, Liên đoàn Lao động tỉnh đề "
                "nghị các đơn vị chưa đăng ký khẩn trương hoàn thành danh sách vận động viên theo mẫu "
                "gửi kèm Kế hoạch, gửi về Ban Tuyên giáo LĐLĐ tỉnh trước 17 giờ 00 ngày 14/10/2026 "
                "(bản điện tử gửi qua hộp thư công vụ). Quá thời hạn trên, đơn vị không gửi đăng ký "
                "được hiểu là không tham gia Hội thao.",
                "Liên đoàn Lao động tỉnh đề nghị các đơn vị quan tâm thực hiện./.",
            ),
            (_NHU_KG, BAN_TUYEN_GIAO, _LUU),
            "Trần Thị Bình",
            authority="KT. CHỦ TỊCH",
            addressees=(DISTRICTS, GIAO_DUC, Y_TE, VIEN_CHUC, KCN),
            signed=True,
            cites=("255/KH-LĐLĐ",),
        ),
        _demo(
            "284/KH-LĐLĐ",
            "2026-10-20",
            "Kế hoạch",
            "Tổ chức Diễn đàn đối thoại giữa lãnh đạo tỉnh với công nhân lao động năm 2026",
            (
                "Thực hiện Chương trình phối hợp giữa Ủy ban nhân dân tỉnh và Liên đoàn Lao động tỉnh "
                "giai đoạn 2025 - 2030, Ban Thường vụ Liên đoàn Lao động tỉnh ban hành Kế hoạch tổ chức "
                "Diễn đàn đối thoại giữa lãnh đạo tỉnh với công nhân lao động năm 2026, với chủ đề "
                "“Công nhân lao động Mẫu Sơn chung sức xây dựng quê hương”.",
                "1. Mục đích, yêu cầu: Tạo kênh thông tin trực tiếp để lãnh đạo tỉnh lắng nghe tâm tư, "
                "nguyện vọng của công nhân lao động về việc làm, tiền lương, nhà ở, nhà trẻ, điều kiện "
                "làm việc tại các khu công nghiệp; qua đó kịp thời giải đáp, tháo gỡ khó khăn, vướng "
                "mắc. Đối thoại bảo đảm dân chủ, cởi mở, thẳng thắn; câu hỏi của công nhân lao động "
                "được tổng hợp trước và chuyển đến các sở, ngành liên quan chuẩn bị nội dung trả lời.",
                "2. Thời gian, địa điểm, thành phần: Diễn đàn tổ chức vào 08 giờ 00 phút ngày "
                "20/11/2026 tại Nhà văn hóa công nhân Khu công nghiệp Tân Mẫu; thành phần gồm lãnh đạo "
                "Ủy ban nhân dân tỉnh, lãnh đạo các sở, ngành liên quan, đại diện doanh nghiệp và 300 "
                "công nhân lao động tiêu biểu do Công đoàn các Khu công nghiệp tỉnh, Liên đoàn Lao động "
                "các huyện, thành phố lựa chọn, giới thiệu. Ban Tổ chức LĐLĐ tỉnh chủ trì tổng hợp ý "
                "kiến, kiến nghị của công nhân lao động, gửi Văn phòng Ủy ban nhân dân tỉnh trước ngày "
                "10/11/2026.",
            ),
            (_TU_BC, "Ủy ban nhân dân tỉnh (b/c)", DISTRICTS, KCN, BAN_TO_CHUC, VAN_PHONG, _LUU),
            "Nguyễn Văn An",
        ),
        _demo(
            "291/QĐ-LĐLĐ",
            "2026-10-26",
            "Quyết định",
            "ban hành Quy chế tiếp nhận, xử lý và công bố văn bản điện tử trên Cổng thông tin của Liên "
            "đoàn Lao động tỉnh",
            (
                "BAN THƯỜNG VỤ LIÊN ĐOÀN LAO ĐỘNG TỈNH MẪU",
                "Căn cứ Điều lệ Công đoàn Việt Nam;",
                "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;",
                "Căn cứ Quyết định số 933/QĐ-TLĐ năm 2024 của Tổng Liên đoàn Lao động Việt Nam;",
                "Xét đề nghị của Chánh Văn phòng Liên đoàn Lao động tỉnh,",
                "QUYẾT ĐỊNH:",
                "Điều 1. Ban hành kèm theo Quyết định này Quy chế tiếp nhận, xử lý và công bố văn bản "
                "điện tử trên Cổng thông tin của Liên đoàn Lao động tỉnh Mẫu.",
                "Điều 2. Quyết định này có hiệu lực kể từ ngày ký. Văn phòng LĐLĐ tỉnh, các Ban của Liên "
                "đoàn Lao động tỉnh, Liên đoàn Lao động các huyện, thành phố, Công đoàn ngành và tương "
                "đương, các công đoàn cơ sở trực thuộc LĐLĐ tỉnh chịu trách nhiệm thi hành Quyết định "
                "này./.",
            ),
            ("Như Điều 2", _TLD_BC, _TU_BC, _LUU),
            "Nguyễn Văn An",
            signed=True,
            subject_prefix="Về việc",
        ),
        _demo(
            "294/BC-LĐLĐ",
            "2026-10-28",
            "Báo cáo",
            "Kết quả công tác tháng 10, nhiệm vụ trọng tâm tháng 11 năm 2026",
            (
                "1. Công tác tuyên truyền, giáo dục: Các cấp công đoàn đã tổ chức tuyên truyền kỷ niệm "
                "96 năm Ngày thành lập Hội Liên hiệp Phụ nữ Việt Nam (20/10/1930 - 20/10/2026) theo "
                "Hướng dẫn số 262/HD-LĐLĐ ngày 18/9/2026, với 146 hoạt động gặp mặt, tọa đàm, giao lưu "
                "văn nghệ được tổ chức tại các cơ quan, doanh nghiệp, thu hút trên 9.500 lượt đoàn viên "
                "tham gia. Hội nghị sơ kết công tác công đoàn 9 tháng đầu năm được tổ chức ngày "
                "09/10/2026, đánh giá đúng kết quả đạt được, chỉ rõ những hạn chế và đề ra 6 nhóm giải "
                "pháp trọng tâm cho 3 tháng cuối năm. Công tác tuyên truyền trên cổng thông tin điện "
                "tử, trang mạng xã hội của Liên đoàn Lao động tỉnh được duy trì thường xuyên, đăng tải "
                "84 tin, bài phản ánh hoạt động công đoàn và gương người tốt, việc tốt trong công nhân, "
                "viên chức, lao động.",
                "2. Công tác đại diện, bảo vệ quyền, lợi ích hợp pháp, chính đáng của đoàn viên, người "
                "lao động: Liên đoàn Lao động tỉnh phối hợp với Sở Nội vụ, Bảo hiểm xã hội tỉnh nắm "
                "tình hình việc làm, thu nhập của người lao động trong các doanh nghiệp; tham gia giải "
                "quyết 01 vụ ngừng việc tập thể tại doanh nghiệp may mặc, bảo đảm quyền lợi của 210 "
                "người lao động. Các cấp công đoàn tư vấn pháp luật cho 63 lượt người lao động, tập "
                "trung vào các nội dung về hợp đồng lao động, bảo hiểm xã hội và chế độ nghỉ dưỡng "
                "sức. Công đoàn các Khu công nghiệp tỉnh phối hợp với các doanh nghiệp tổ chức 12 cuộc "
                "đối thoại định kỳ tại nơi làm việc, ký kết mới 04 thỏa ước lao động tập thể có nhiều "
                "điều khoản có lợi hơn cho người lao động so với quy định của pháp luật.",
                "3. Phong trào thi đua và các hoạt động khác: Hội thao công nhân, viên chức, lao động "
                "tỉnh năm 2026 được tổ chức thành công trong hai ngày 24 và 25/10/2026 với sự tham gia "
                "của 9 đoàn và 386 vận động viên; Ban Tổ chức Hội thao đã trao 15 bộ huy chương cho "
                "các vận động viên, đội thi đấu xuất sắc. Phong trào thi đua lao động giỏi, lao động "
                "sáng tạo tiếp tục được triển khai sâu rộng, trong tháng có 27 sáng kiến, cải tiến kỹ "
                "thuật được công nhận, góp phần nâng cao năng suất lao động và hiệu quả sản xuất, kinh "
                "doanh của doanh nghiệp.",
                "4. Nhiệm vụ trọng tâm tháng 11 năm 2026: Tổ chức Diễn đàn đối thoại giữa lãnh đạo tỉnh "
                "với công nhân lao động năm 2026 theo Kế hoạch số 284/KH-LĐLĐ ngày 20/10/2026; triển "
                "khai Quy chế tiếp nhận, xử lý và công bố văn bản điện tử ban hành kèm theo Quyết định "
                "số 291/QĐ-LĐLĐ ngày 26/10/2026; hướng dẫn các cấp công đoàn tổng kết công tác năm "
                "2026, xây dựng chương trình công tác năm 2027; chủ động nắm tình hình việc làm, thu "
                "nhập và đời sống của người lao động dịp cuối năm, kịp thời báo cáo cấp ủy, chính "
                "quyền những vấn đề phát sinh.",
            ),
            (_TLD_BC, _TU_BC, _TT, BAN_TO_CHUC, BAN_TUYEN_GIAO, VAN_PHONG, _LUU),
            "Lê Hoàng Cường",
            signed=True,
            cites=("262/HD-LĐLĐ", "284/KH-LĐLĐ", "291/QĐ-LĐLĐ"),
        ),
        _demo(
            "296/CTr-LĐLĐ",
            "2026-10-29",
            "Chương trình",
            "Công tác tháng 11 năm 2026",
            (
                "Căn cứ Chương trình công tác năm 2026 và kết quả thực hiện nhiệm vụ tháng 10 năm 2026 "
                "(Báo cáo số 294/BC-LĐLĐ ngày 28/10/2026), Ban Thường vụ Liên đoàn Lao động tỉnh xây "
                "dựng Chương trình công tác tháng 11 năm 2026 như sau:",
                "1. Ngày 04/11: Giao ban Thường trực với các Ban, Văn phòng LĐLĐ tỉnh. 2. Từ ngày 09/11: "
                "Vận hành Cổng thông tin công bố văn bản điện tử của Liên đoàn Lao động tỉnh theo Quyết "
                "định số 291/QĐ-LĐLĐ ngày 26/10/2026 (Văn phòng LĐLĐ tỉnh). 3. Ngày 20/11: Diễn đàn đối "
                "thoại giữa lãnh đạo tỉnh với công nhân lao động năm 2026 (Ban Tổ chức). 4. Cuối tháng "
                "11: Ban hành hướng dẫn tổng kết công tác công đoàn năm 2026 (Ban Tuyên giáo).",
                "Các Ban, Văn phòng LĐLĐ tỉnh chủ động triển khai nhiệm vụ được phân công; Liên đoàn Lao "
                "động các huyện, thành phố, Công đoàn ngành và tương đương căn cứ Chương trình này xây "
                "dựng chương trình công tác tháng của đơn vị.",
            ),
            (_TU_BC, _TT, BAN_TO_CHUC, BAN_TUYEN_GIAO, VAN_PHONG, DISTRICTS, SECTORS, _LUU),
            "Nguyễn Văn An",
            cites=("294/BC-LĐLĐ", "291/QĐ-LĐLĐ"),
        ),
        _demo(
            "305/LĐLĐ",
            "2026-11-03",
            CONG_VAN,
            "báo cáo nhanh tình hình ngừng việc tập thể tại Công ty TNHH May Mẫu Sơn",
            (
                "Theo phản ánh của người lao động qua đường dây nóng của Liên đoàn Lao động tỉnh, sáng "
                "ngày 03/11/2026, khoảng 400 công nhân của Công ty TNHH May Mẫu Sơn (Khu công nghiệp "
                "Tân Mẫu) đã ngừng việc tập thể, kiến nghị về việc chậm trả lương tháng 10 và điều "
                "chỉnh định mức lao động.",
                "Liên đoàn Lao động tỉnh đề nghị Công đoàn các Khu công nghiệp tỉnh chỉ đạo Công đoàn "
                "cơ sở Công ty TNHH May Mẫu Sơn khẩn trương nắm bắt tâm tư, nguyện vọng của người lao "
                "động; phối hợp với người sử dụng lao động và các cơ quan chức năng tổ chức đối thoại, "
                "vận động người lao động thực hiện đúng quy định của pháp luật, bảo đảm an ninh, trật "
                "tự. Báo cáo nhanh bằng văn bản gửi về Liên đoàn Lao động tỉnh trước 16 giờ 00 cùng "
                "ngày; báo cáo kết quả giải quyết ngay sau khi vụ việc kết thúc.",
                "Đây là nhiệm vụ đột xuất, cấp bách, đề nghị các đơn vị nghiêm túc triển khai thực "
                "hiện./.",
            ),
            (_NHU_KG, _TU_BC, "Sở Nội vụ", _TT, _LUU),
            "Lê Hoàng Cường",
            authority="KT. CHỦ TỊCH",
            addressees=(KCN, MAY_MAU_SON),
            urgency="THƯỢNG KHẨN",
            signed=True,
        ),
        _demo(
            "309/TB-LĐLĐ",
            "2026-11-09",
            "Thông báo",
            "công bố văn bản điện tử của Liên đoàn Lao động tỉnh trên Cổng thông tin",
            (
                "Thực hiện Quyết định số 291/QĐ-LĐLĐ ngày 26/10/2026 của Ban Thường vụ Liên đoàn Lao "
                "động tỉnh ban hành Quy chế tiếp nhận, xử lý và công bố văn bản điện tử, từ ngày "
                "09/11/2026, các văn bản không có nội dung mật của Liên đoàn Lao động tỉnh như giấy "
                "mời, báo cáo, chương trình công tác, thông báo, hướng dẫn, kế hoạch và công văn hành "
                "chính được ký số và công bố trên Cổng thông tin của Liên đoàn Lao động tỉnh, không "
                "gửi bản giấy.",
                "Các đơn vị có trách nhiệm theo dõi Cổng thông tin hằng ngày hoặc đăng ký nhận tin qua "
                "nguồn cấp dữ liệu (RSS/Atom), kiểm tra chữ ký số trên văn bản và triển khai thực hiện "
                "kịp thời; văn bản khẩn, thượng khẩn được đánh dấu ở đầu danh sách. Trường hợp cần hỗ "
                "trợ, đề nghị liên hệ Văn phòng LĐLĐ tỉnh (bộ phận văn thư) để được hướng dẫn.",
                "Liên đoàn Lao động tỉnh thông báo để các đơn vị biết, thực hiện./.",
            ),
            (_NHU_KG, _TT, BAN_TO_CHUC, BAN_TUYEN_GIAO, VAN_PHONG, _LUU),
            "Trần Thị Bình",
            authority="KT. CHỦ TỊCH",
            addressees=(DISTRICTS, SECTORS, GRASSROOTS),
            cites=("291/QĐ-LĐLĐ",),
            subject_prefix="Về việc",
        ),
        _demo(
            "316/GM-LĐLĐ",
            "2026-11-16",
            "Giấy mời",
            "Dự Diễn đàn đối thoại giữa lãnh đạo tỉnh với công nhân lao động năm 2026",
            (
                "Thực hiện Kế hoạch số 284/KH-LĐLĐ ngày 20/10/2026 của Ban Thường vụ Liên đoàn Lao "
                "động tỉnh, Liên đoàn Lao động tỉnh trân trọng kính mời đại diện lãnh đạo các đơn vị và "
                "công nhân lao động tiêu biểu (theo danh sách đã đăng ký) tham dự Diễn đàn đối thoại "
                "giữa lãnh đạo tỉnh với công nhân lao động năm 2026.",
                "Thời gian: 08 giờ 00 phút, thứ Sáu, ngày 20/11/2026. Địa điểm: Nhà văn hóa công nhân "
                "Khu công nghiệp Tân Mẫu, thành phố Tân Mẫu. Đại biểu có mặt trước 30 phút để ổn định "
                "chỗ ngồi; Công đoàn các Khu công nghiệp tỉnh bố trí phương tiện đưa đón công nhân lao "
                "động từ các doanh nghiệp.",
                "Do thời gian gấp, đề nghị các đơn vị thông báo cho công nhân lao động được mời và xác "
                "nhận số lượng tham dự về Ban Tổ chức LĐLĐ tỉnh trước 10 giờ 00 ngày 18/11/2026./.",
            ),
            (_NHU_KG, _TT, BAN_TO_CHUC, VAN_PHONG, _LUU),
            "Nguyễn Văn An",
            addressees=(
                CHAU_THANH_SHORT, HOA_AN, DONG_SON, TAN_MAU, KCN, MAY_MAU_SON, THUY_DIEN,
            ),
            urgency="KHẨN",
            signed=True,
            cites=("284/KH-LĐLĐ",),
        ),
    )
