"""Fields of the document's head: number, place and date, issuer, system, type heading, subject.

Split from fields.py to keep each module short: this one reads the first page down to "Kính gửi"
(or the body), fields_body.py reads the rest. Every function is pure and takes canonical `Line`s.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from pipeline.examine.fields.lines import (
    PARTY_MOTTO,
    DateLine,
    Line,
    collapse,
    column_pieces,
    find_date_line,
    is_rule,
)
from pipeline.examine.fields.noise import (
    drop_lone_brackets,
    fix_digits,
    read_zeros,
    respell_capitals,
    vietnamese_word,
)
from pipeline.examine.marks import segment_mark
from pipeline.normalize import fold, fold_aligned

HEADER_LINES = 45  # the head of a document fits in this many lines of its first page

# Type names (Nghị định 30 Phụ lục III, Hướng dẫn 36-HD/VPTW) in sentence case.
TYPE_NAMES = (
    "Nghị quyết", "Quyết định", "Chỉ thị", "Quy chế", "Quy định", "Thông cáo", "Thông báo", "Hướng dẫn",
    "Chương trình", "Kế hoạch", "Phương án", "Đề án", "Dự án", "Báo cáo", "Biên bản", "Tờ trình",
    "Hợp đồng", "Công văn", "Công điện", "Bản ghi nhớ", "Bản thỏa thuận", "Giấy ủy quyền", "Giấy mời",
    "Giấy giới thiệu", "Giấy nghỉ phép", "Phiếu gửi", "Phiếu chuyển", "Phiếu báo", "Kết luận",
    "Thông tri", "Thông tư", "Nghị định", "Bản sao",
)
_HEADINGS = {name.upper().replace(" ", ""): name for name in TYPE_NAMES}
# The headings as OCR may mark them ("QUYÉT ĐỊNH", "CHÍ THỊ"): no two type names fold alike.
_FOLDED_HEADINGS = {fold(name).replace(" ", ""): name for name in TYPE_NAMES}

STATE_CODES = {
    "NQ": "Nghị quyết", "QĐ": "Quyết định", "CT": "Chỉ thị", "QC": "Quy chế", "QyĐ": "Quy định",
    "TC": "Thông cáo", "TB": "Thông báo", "HD": "Hướng dẫn", "CTr": "Chương trình", "KH": "Kế hoạch",
    "PA": "Phương án", "ĐA": "Đề án", "DA": "Dự án", "BC": "Báo cáo", "BB": "Biên bản", "TTr": "Tờ trình",
    "HĐ": "Hợp đồng", "CĐ": "Công điện", "BGN": "Bản ghi nhớ", "BTT": "Bản thỏa thuận",
    "GUQ": "Giấy ủy quyền", "GM": "Giấy mời", "GGT": "Giấy giới thiệu", "GNP": "Giấy nghỉ phép",
    "PG": "Phiếu gửi", "PC": "Phiếu chuyển", "PB": "Phiếu báo", "NĐ": "Nghị định", "TT": "Thông tư",
}
PARTY_CODES = {
    "NQ": "Nghị quyết", "QĐ": "Quyết định", "CT": "Chỉ thị", "KL": "Kết luận", "QC": "Quy chế",
    "QĐi": "Quy định", "QyĐ": "Quy định", "TT": "Thông tri", "HD": "Hướng dẫn", "BC": "Báo cáo",
    "KH": "Kế hoạch", "CTr": "Chương trình", "TB": "Thông báo", "TTr": "Tờ trình", "CV": "Công văn",
    "BB": "Biên bản", "ĐA": "Đề án", "BS": "Bản sao",
}

# "Số:", and as OCR also gives it: "Sô:", "SÓ", "Sổ" at the start of a line (a Party number has no
# colon: "Số 148-CV/TU"), or anywhere with a colon and digits ("... TỈNH MẪU SƠN Sộ: 313/LĐLĐ");
# in lower case at the start of a line with its colon only ("số:"), since a wrapped body line may
# start with "số 12/QĐ-UBND".
_O = "oóòỏõọôốồổỗộOÓÒỎÕỌÔỐỒỔỖỘ"  # "o" with any tone, and "ô": never "ơ" ("Sở")
_NUMBER_LABEL = re.compile(
    rf"(?<!\w)(?:Số|SỐ)\s*[:.]?\s*|^\s*S[{_O}]\s*[:.]?\s*|(?<!\w)S[{_O}]\s*:\s*(?=\d)"
    rf"|^\s*s[{_O}]\s*:\s*")
_UNREAD_NUMBER = re.compile(r"^(?:Số|SỐ|số)\s*[:.]")
_DIGITS = re.compile(r"\d+(?: \d+)*")
_SEPARATOR = re.compile(r"\s*([/-])\s*")
# A token of a notation; "&" joins two within one ("KT&KĐCL", "KH&CN").
_TOKEN = re.compile(r"[^\W_]+(?:&[^\W_]+)*")
# "V/v", "Về việc"; an OCR'd page may put a stray dash before it ("- Về việc miễn nhiệm ...").
# OCR may read the "/" of "V/v" as "I", "l" or "|" ("VIv"). Older letters write "Về:" (with its colon:
# a sentence of the body may open with "Về").
SUBJECT_PREFIX = re.compile(
    r"^(?:[-–—]\s*)?(?:(?:V\s*[/.|Il]\s*[vw]|Vv|Về\s*việc)\b\s*[:.]?|Về\s*:)\s*", re.IGNORECASE)
# On the first line under a type heading, which is the subject's, OCR may also read the "ề" of "Về
# việc" as another "a" or "e" ("và việc", "Vê việc"): a subject never opens with "and". Only there:
# elsewhere a wrapped line of the body may open with "và việc ...".
_HEADING_SUBJECT_PREFIX = re.compile(
    SUBJECT_PREFIX.pattern + r"|^V[aàáảãạăâeèéẻẽẹêềếểễệ]\s*việc\b\s*[:.]?\s*", re.IGNORECASE)
# "Kính gửi:", and as OCR gives it: a few characters of noise before it ("ae” Kính gửi:"), or the
# label misspelt ("Kinh gửi:"), each only with its colon.
KINH_GUI = re.compile(
    r"^(?:\W*kính\s*gửi\b\s*:?|(?:\W*|\S{1,4}\W*\s+)k[iíìị]nh\s*g[uưửứừữ]i\s*:)\s*", re.IGNORECASE)
# How body paragraphs open; a wrapped subject line does not ("Ngày sinh Chủ tịch..." does not match).
BODY_OPENERS = re.compile(
    r"^(?:căn cứ|thực hiện|theo|nhằm|để|hôm nay|vào hồi|vào lúc|trân trọng|kính mời|kính đề nghị|xét|"
    r"(?:trong )?thời gian qua|vừa qua|hiện nay|tiếp theo|phúc đáp|trả lời|sau khi|trên cơ sở|được sự|"
    r"(?:sáng|chiều|tối)?\s*ngày \d|năm \d{4}\s*,)",
    re.IGNORECASE,
)
_NUMBERING = re.compile(r"^(?:[IVX]+\.|\d+(?:\.\d+)*[.)]|[a-zđ]\)|[-+•*])\s")


def opens_body(text: str) -> bool:
    """Whether `text` opens a body paragraph ("Căn cứ ...", "Thực hiện ..."): a paragraph starts with a
    capital, so a wrapped line that goes on with "theo ..." or "để ..." does not."""
    return text[:1].isupper() and bool(BODY_OPENERS.match(text))


@dataclass(frozen=True)
class Number:
    line: int  # index of the line it was read from
    code_number: str | None
    separator: str  # "/" (state) or "-" (Party)
    notation: tuple[tuple[str, str], ...]  # (separator before, token): (("/", "QĐ"), ("-", "LĐLĐ"))
    filled_in: bool = False  # spaces between the digits and the notation: written into the form's blank

    @property
    def text(self) -> str | None:
        if not self.code_number:
            return None
        return self.code_number + "".join(sep + token for sep, token in self.notation)

    @property
    def code_notation(self) -> str | None:
        """The notation without the year of "15/2020/QĐ-BNV" ("QĐ-BNV")."""
        parts = list(self.notation)
        if len(parts) > 1 and re.fullmatch(r"(?:19|20)\d\d", parts[0][1]):
            parts = parts[1:]
        if not parts:
            return None
        return parts[0][1] + "".join(sep + token for sep, token in parts[1:])

    @property
    def type_code(self) -> str | None:
        """The type code: first token of a notation with two or more ("QĐ-LĐLĐ", "CV/TU")."""
        notation = self.code_notation
        tokens = re.split(r"[/-]", notation) if notation else []
        return tokens[0] if len(tokens) >= 2 else None


def read_notation(s: str, pos: int) -> tuple[tuple[tuple[str, str], ...], int]:
    """Separator/token pairs of a notation starting at `pos` ("/QĐ-LĐLĐ", " - CV/TU"), and its end.

    Spaces around a separator are tolerated ("78 /LĐLĐ", "145 - CV/TU") except before a word in
    lower case, which is the text that follows, not the notation."""
    parts: list[tuple[str, str]] = []
    while True:
        sep = _SEPARATOR.match(s, pos)
        token = _TOKEN.match(s, sep.end()) if sep else None
        if not sep or not token:
            break
        word = token.group()
        if not (word[0].isupper() or word[0].isdigit()):
            break
        if parts and sep.group() != sep.group(1) and any(c.islower() for c in word):
            break
        parts.append((sep.group(1), word))
        pos = token.end()
    return tuple(parts), pos


def parse_number(s: str, line: int = 0) -> Number | None:
    """The number of a "Số: 78/LĐLĐ", "Số 145 - CV/TU" or blank "Số:    /LĐLĐ" line."""
    s = read_zeros(s)
    for label in _NUMBER_LABEL.finditer(s):
        before = s[: label.start()]
        last_word = before.split()[-1] if before.split() else ""
        if any(c.islower() for c in last_word) and not before.endswith("   "):
            continue  # "Nghị định Số 30/...": a citation, not the number line
        digits = _DIGITS.match(s, label.end())
        pos = digits.end() if digits else label.end()
        notation, _ = read_notation(s, pos)
        if notation and any(not fold(token).isascii() for _sep, token in notation):
            # A letter no Vietnamese notation has ("LĐÐĐLĐ", an Icelandic "Ð" among the "Đ"s): OCR
            # debris in the notation; the line is the number line, its number unread.
            return Number(line, None, notation[0][0], ())
        if notation:
            code = digits.group().replace(" ", "") if digits else None
            filled_in = bool(digits) and s[pos:pos + 1].isspace()
            return Number(line, code, notation[0][0], notation, filled_in)
    return None


def find_number(lines: Sequence[Line]) -> Number | None:
    for line in lines:
        number = parse_number(line.raw, line.index)
        if number:
            return number
    return None


def first_page_head(lines: Sequence[Line]) -> list[Line]:
    """The first lines of the first page that has text."""
    pages = [line.page for line in lines if not line.blank]
    if not pages:
        return []
    return [line for line in lines if line.page == pages[0]][:HEADER_LINES]


def left_pieces(line: Line, *, lowercase_marks: bool = False) -> list[str]:
    """The left-column text of a header line: right-column phrases, marks and rules removed.

    With `lowercase_marks`, a piece in lower case that reads like a mark is kept: marks are printed
    in capitals, and a wrapped subject may leave "mật" ("... bí / mật") alone on its line. (The
    secrecy check, marks.py, still reads it as a mark: a false refusal, never a leak.)"""
    out = []
    for piece in column_pieces(line.raw, keep_final_comma=True):
        piece = piece.strip(" *")
        if not piece or is_rule(piece):
            continue
        if segment_mark(piece) and not (lowercase_marks and piece != piece.upper()):
            continue
        out.append(piece)
    return out


def heading_of(piece: str) -> str | None:
    """The type name of a heading printed in capitals ("KẾ HOẠCH", "Q U Y Ế T  Đ Ị N H")."""
    bare = piece.strip(" :.")
    if not bare or bare.upper() != bare:
        return None
    squeezed = bare.replace(" ", "")
    return _HEADINGS.get(squeezed) or _FOLDED_HEADINGS.get(fold(squeezed))


def find_heading(lines: Sequence[Line]) -> tuple[int, str] | None:
    """(line index, type name) of the first heading in capitals of the head."""
    for line in lines:
        for piece in left_pieces(line):
            name = heading_of(piece) or heading_of(_LONE_LETTER_TAIL.sub("", piece))
            if name:
                return line.index, name
    return None


# A letter OCR read from a stain beside a heading ("QUYÉT ĐỊNH Ộ"): no heading ends with one after a
# word of two letters or more (a heading spaced out letter by letter is read whole first).
_LONE_LETTER_TAIL = re.compile(r"(?<=[^\W\d_]{2})\s+[^\W\d_]\W*$")


def find_date(lines: Sequence[Line]) -> DateLine | None:
    """The "<Place>, ngày 13 tháng 4 năm 2026" line."""
    for line in lines:
        found = find_date_line(line.raw)
        if found:
            return found
    return None


def trusted_number(number: Number | None, date_line: DateLine | None) -> Number | None:
    """`number` without its digits when they were written into the blank of the "Số:    /UBND" line
    (spaces between the digits and the notation) and the day beside them could not be read: the
    clerk writes both by hand after signing, and OCR that cannot read the day misreads the digits
    as often as not. The notation, printed with the form, is kept. A wrong number in the register is
    worse than none."""
    if number is not None and number.filled_in and date_line is not None and date_line.day_unclear:
        return replace(number, code_number=None)
    return number


def find_system(lines: Sequence[Line], number: Number | None) -> str | None:
    """"party" when the Party motto heads the document (or the number is Party style), else "state"."""
    if any(PARTY_MOTTO.search(fold_aligned(line.raw)) for line in lines):
        return "party"
    if number and number.separator == "-" and any(sep == "/" for sep, _ in number.notation):
        return "party"
    if number or any("cong hoa xa hoi" in fold(line.raw) or "doc lap" in fold(line.raw) for line in lines):
        return "state"
    return None


# --- issuer ---------------------------------------------------------------------------------------

# Folded words that start the name of a body: a line starting with one is a new level of the issuer.
_BODY_WORDS = (
    "tong lien doan", "lien doan", "ldld", "cong doan", "cd ", "cdcs", "cdn", "ban ", "bch ", "btv ",
    "uy ban", "ubnd", "ubkt", "hdnd", "hoi dong", "so ", "bo ", "dang bo", "dang uy", "tinh uy",
    "huyen uy", "thanh uy", "thi uy", "quan uy", "chi bo", "van phong", "phong ", "truong ", "hoi ",
    "tinh doan", "thanh doan", "huyen doan", "doan ", "mat tran", "cuc ", "vu ", "tong cuc", "chi cuc",
    "trung tam", "benh vien", "cong ty", "tap doan", "ngan hang", "kho bac", "cong an", "toa an",
    "vien ", "hoc vien", "dai hoc", "bo chi huy", "khoi ",
)
_INCOMPLETE = {"ban chap hanh", "ban thuong vu", "ban chap hanh cong doan"}
# The labels of a digital signature's stamp, which a scan's OCR reads with the head beside it.
_SIGNING_STAMP = re.compile(r"(?:Ký bởi|Người ký|Thời gian ký|Ngày ký|Cơ quan|Email)\s*:", re.IGNORECASE)


def _starts_body(line: str) -> bool:
    folded = fold(line) + " "
    return folded.startswith(_BODY_WORDS)


def issuer(head: Sequence[Line], stop: int) -> tuple[str | None, str | None]:
    """(organ_name, parent_organ) from the left-column capitals above line index `stop`."""
    names: list[str] = []
    for line in head:
        if line.index > stop:
            break
        pieces = left_pieces(line)
        if line.index == stop:  # plain text may run the issuer into the number line
            pieces = [p[: m.start()] for p in pieces[:1] if (m := _NUMBER_LABEL.search(p)) and m.start() > 0]
        for piece in pieces:
            if _UNREAD_NUMBER.match(piece) and not parse_number(piece):
                break  # "Số: †4/UBND-KTTH": a number the OCR could not read ends the issuer all the same
            if SUBJECT_PREFIX.match(piece) or KINH_GUI.match(piece) or parse_number(piece):
                continue
            if _SIGNING_STAMP.search(piece):
                continue  # "Người ký: CỔNG THÔNG TIN ĐIỆN TỬ ...": who signed the file, printed over the head
            letters = [c for c in piece if c.isalpha()]
            if not letters or sum(c.isupper() for c in letters) < 0.8 * len(letters):
                continue  # not an organ name in capitals
            joins = names and (not _starts_body(piece) or fold(names[-1]) in _INCOMPLETE)
            if joins:
                names[-1] = f"{names[-1]} {piece}"
            else:
                names.append(piece)
    # A lone mark the OCR read from a rule or a stain ("ỦY BAN NHÂN DÂN _ TỈNH ...") is not a word.
    names = [collapse(" ".join(w for w in n.split() if any(c.isalnum() for c in w))) for n in names]
    names = [_without_noise_tail(respell_capitals(n)) for n in names if n]
    names = [n for n in names if n]
    if not names:
        return None, None
    return names[-1], (names[-2] if len(names) > 1 else None)


def _without_noise_tail(name: str) -> str:
    """`name` without what OCR leaves after it on the issuer's lines: lone letters read from a stamp
    or a rule ("... TỈNH PHÚ THỌ Ỷ P"), and the type heading printed under the issuer ("... QUẢNG NGÃI
    QUYÉT ĐỊNH"). A name never ends in either; a one-letter word inside it ("SỞ Y TẾ") is kept."""
    words = name.split()
    while True:
        if len(words) > 1 and sum(c.isalpha() for c in words[-1]) == 1:
            words.pop()
            continue
        tail = next((n for n in range(min(4, len(words) - 1), 0, -1) if heading_of(" ".join(words[-n:]))), 0)
        if not tail:
            return " ".join(words)
        del words[-tail:]


_ADMINISTRATIVE = {"tinh", "huyen", "pho", "quan", "xa", "phuong", "tran"}  # "thành phố", "thị xã", "thị trấn"


def respell_locality(name: str | None, place: str | None) -> str | None:
    """An issuer whose last words name the place of the date line (or its first words) with every
    mark lost, after the kind of a locality ("... TỈNH QUANG NGAI" beside "Quảng Ngãi, ngày ..."):
    those words as the date line spells them. Only a tail with no mark at all is respelled, so two
    real names that fold alike are never mixed up."""
    if not name or not place:
        return name
    words, place_words = name.split(), place.split()
    for n in range(min(len(place_words), len(words) - 1), 0, -1):
        tail = " ".join(words[-n:])
        if fold(words[-n - 1]) not in _ADMINISTRATIVE or not tail.isupper() or fold(tail) != tail.lower():
            continue
        if fold(tail) == fold(" ".join(place_words[:n])):
            return " ".join([*words[:-n], " ".join(place_words[:n]).upper()])
    return name


# --- subject --------------------------------------------------------------------------------------


_SUBJECT_LINES = 6
# One word in capitals alone on a left-column line under a wrapped "V/v" subject is the subject's
# last word, an abbreviation the column was too narrow for ("... của Luật" / "KBCB"): a heading or
# an authority has two words or more, and marks are removed before this is asked.
_ABBREVIATION = re.compile(r"[^\W\d_][\w&-]{1,9}")
_LEFT_COLUMN_CHARS = 75  # a left-column line is shorter; a longer one is the body


def _ends_subject(piece: str, under_heading: bool) -> bool:
    """Whether `piece` is past the subject: capitals (a heading, an authority), "Kính gửi", the
    body (under a heading: how paragraphs open; in the left column: a line too long for it)."""
    letters = [c for c in piece if c.isalpha()]
    if len(letters) >= 2 and not any(c.islower() for c in letters) and not (
            not under_heading and _ABBREVIATION.fullmatch(piece.strip(" .;,"))):
        return True
    if KINH_GUI.match(piece) or heading_of(piece) or piece.lower().startswith("nơi nhận"):
        return True
    if under_heading:
        return bool(opens_body(piece) or _NUMBERING.match(piece))
    return len(piece) > _LEFT_COLUMN_CHARS


def _continue(following: Sequence[Line], first: str, under_heading: bool) -> str:
    """`first` plus the wrapped lines among `following` up to a blank line or the body."""
    parts = [first]
    for line in following:
        if line.blank:
            break
        pieces = left_pieces(line, lowercase_marks=True)
        if not pieces:
            continue  # only right-column text on this line (plain-mode interleaving)
        text = _after_border(" ".join(pieces))
        if (_ends_subject(text, under_heading) or len(parts) > _SUBJECT_LINES or _debris_line(text)
                or _RECEIVED_STAMP.match(text) or _stamp_capitals(text)):
            break
        parts.append(text)
    return collapse(" ".join(_before_paragraph(parts)))


_PARAGRAPH_LINES = 3
_PARAGRAPH_WORDS = 20


def _ends_sentence(text: str) -> bool:
    """A line ending with a full stop after a word in lower case ("... mất tích.", "... hiện./."),
    not after an abbreviation in capitals ("TP.")."""
    bare = text.rstrip().removesuffix("/.")
    return bare.endswith(".") and bare[-2:-1].islower()


def _before_paragraph(parts: list[str]) -> list[str]:
    """The subject's lines without the body paragraph run on after them: where OCR lost the blank
    line under the subject and the paragraph opens with no word that tells the body ("Cơn bão số 3
    ... mất tích."). A subject is a phrase, never a sentence: lines that open with a capital and run
    to a full stop, over three lines or more and twenty words or more, are a paragraph. The latest
    such opening is cut at, so a subject's own line opening with a name ("Quy hoạch ...") is kept;
    with no sentence end among the lines, or none of them opening with a capital, nothing is cut."""
    end = next((n for n, part in enumerate(parts) if _ends_sentence(part)), None)
    if end is None:
        return parts
    for start in range(end, 0, -1):
        paragraph = parts[start:end + 1]
        if (parts[start][:1].isupper() and len(paragraph) >= _PARAGRAPH_LINES
                and sum(len(p.split()) for p in paragraph) >= _PARAGRAPH_WORDS):
            return parts[:start]
    return parts


# The stamp an office puts on a letter it receives ("CÔNG VĂN ĐẾN / ĐẾN Số: ... Ngày: ... Chuyển:"),
# which a scan's OCR reads beside the subject.
_INNER_PREFIX = re.compile(r"\s(?=Về\s*việc\b)")


def _after_stamp(text: str) -> str:
    """The subject's line from its "Về việc" when a stamp's text in capitals comes before it on the
    line ("“TRÙNG TÂM CÔNG BẢO & Ti HỌC 0.NG Ãj Về việc tăng cường ..."): what a scan's OCR reads of
    a stamp beside the subject, never part of it."""
    found = _INNER_PREFIX.search(text)
    if found is None:
        return text
    before = [c for c in text[:found.start()] if c.isalpha()]
    capitals = sum(c.isupper() for c in before)
    return text[found.end():] if len(before) >= 4 and capitals >= 0.8 * len(before) else text


_RECEIVED_STAMP = re.compile(r"^\W*(?:ĐẾN\s+(?:Số|Ngày|Giờ|Chuyển)\b|.*\bChuyển\s*:)")


def _stamp_capitals(text: str) -> bool:
    """A line in capitals but for a mark or two OCR gave in lower case ("FBUNG TÂN CÔNG BAO, & TIN HộC
    0.NGÃI"): a stamp's text or a heading, past the subject, as a line all in capitals is."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 10 and sum(c.isupper() for c in letters) >= 0.9 * len(letters)


def _after_border(text: str) -> str:
    """A line without what a stamp's border ("|") leaves before it when that is OCR debris ("ii siran
    | trên địa bàn tỉnh"): a subject's line is words up to the border."""
    head, bar, rest = text.partition("|")
    return rest.strip() if bar and rest.strip() and _debris_line(head, at_least=1, foreign=False) else text


_LETTERS = re.compile(r"[^\W\d_]+")
_INITIALS = re.compile(r"[A-ZĐ]{2,6}")  # "TTHC", "ĐKKD": a subject's abbreviations


def _debris_line(text: str, at_least: int = 4, foreign: bool = True) -> bool:
    """Whether a line under a subject is what OCR made of a stamp or a seal beside it ("ötorữhaTmpÐ[\"
    BÙI:"): most of its letters (`at_least` of them) are in no word Vietnamese can have, nor in an
    abbreviation, nor in a plainly written foreign word ("Zalo", "Internet", "javascript": a subject
    may name them; with `foreign` False, before a stamp's border "|", they are debris too). A
    subject's own line is words."""
    words = _LETTERS.findall(text)
    letters = sum(map(len, words))
    readable = sum(len(w) for w in words
                   if vietnamese_word(w) or _INITIALS.fullmatch(w) or (foreign and _plain_foreign(w)))
    return letters >= at_least and readable * 2 < letters


def _plain_foreign(word: str) -> bool:
    """Unaccented Latin letters in one case or capitalised: what a foreign name or word looks like,
    never what OCR makes of a seal (marks no language puts there, case changing inside a word)."""
    return word.isascii() and (word.islower() or word.isupper() or word.istitle())


_LEADING_DEBRIS = re.compile(r"^[^\w(“\"]*[-–—•]\s+")  # "''- Kết quả ...": a subject never opens with a dash


def _clean_subject(text: str) -> str:
    """The subject without closing punctuation or a dash OCR put before it, with OCR's "l"/"O" read
    as digits inside a number and a ")" left alone by a stain dropped."""
    return _LEADING_DEBRIS.sub("", collapse(drop_lone_brackets(fix_digits(text)))).rstrip(" .;,")


# A trích yếu opening with "Về" alone ("Về tăng cường quản lý đầu tư ..."), as some offices print a
# công văn's: read only on the left column's first line under the number, where no sentence of the
# body is; a body paragraph opening with "Về ..." comes after "Kính gửi".
_BARE_VE = re.compile(r"^Về\s+(?=[a-zđà-ỹ])")


def vv_subject(head: Sequence[Line], after: int, under_number: bool = False) -> tuple[int, str] | None:
    """(line index, subject) of a "V/v ..." or "Về việc ..." trích yếu, without its prefix, on the
    lines from `after`; with `under_number` (`after` is the number's line), also a "Về ..." one on
    the first line under it."""
    position = {line.index: i for i, line in enumerate(head)}
    below: int | None = None  # the first line printed under the number's
    for line in head:
        if line.index < after:
            continue
        pieces = left_pieces(line)
        if below is None and not line.blank and line.index > after:
            below = line.index
        for n, piece in enumerate(pieces):
            prefix = SUBJECT_PREFIX.match(piece)
            if prefix is None and under_number and n == 0 and line.index == below:
                prefix = _BARE_VE.match(piece)
            if prefix and piece[prefix.end():].strip():
                following = head[position[line.index] + 1:]
                first = " ".join([piece[prefix.end():], *pieces[n + 1:]])
                text = _continue(following, first, under_heading=False)
                return line.index, _clean_subject(text)
            if KINH_GUI.match(piece) or heading_of(piece):
                return None
    return None


def _opens_subject(pieces: Sequence[str]) -> bool:
    """Whether the line right under the heading is its subject although it starts like a body
    paragraph ("HƯỚNG DẪN" / "Thực hiện ký số ..."): it does, unless it closes a clause of the body
    ("Căn cứ ...;", "... như sau:") or is numbered."""
    text = " ".join(pieces)
    return (opens_body(text) and not _NUMBERING.match(text) and text.rstrip()[-1:] not in ";:"
            and not _ends_subject(text, under_heading=False))


# A subject printed in capitals under the heading, as ministries print a quyết định's ("QUYẾT ĐỊNH" /
# "BAN HÀNH MẪU THẺ BẢO HIỂM Y TẾ" / "TỔNG GIÁM ĐỐC ..."): it opens with what the decision does...
_CAPITAL_SUBJECT = re.compile(
    r"(?:VỀ VIỆC|BAN HÀNH|SỬA ĐỔI|BỔ SUNG|PHÊ DUYỆT|QUY ĐỊNH|THÀNH LẬP|KIỆN TOÀN|GIAO|BỔ NHIỆM|CÔNG NHẬN"
    r"|CÔNG BỐ|CHO PHÉP|ĐIỀU CHỈNH|THU HỒI|HỦY BỎ|HUỶ BỎ|BÃI BỎ|PHÂN BỔ|KHEN THƯỞNG|TẶNG|ÁP DỤNG|GIẢI THỂ"
    r"|SÁP NHẬP|HỢP NHẤT|ỦY QUYỀN|UỶ QUYỀN|CHUYỂN|ĐỔI TÊN)\b")
# ... and the title of whoever decides follows it, in capitals; without that line it is not read.
_DECIDER = re.compile(
    r"(?:BỘ TRƯỞNG|THỨ TRƯỞNG|CHỦ TỊCH|PHÓ CHỦ TỊCH|TỔNG GIÁM ĐỐC|PHÓ TỔNG GIÁM ĐỐC|GIÁM ĐỐC|PHÓ GIÁM ĐỐC"
    r"|TỔNG CỤC TRƯỞNG|CỤC TRƯỞNG|VỤ TRƯỞNG|CHÁNH VĂN PHÒNG|TRƯỞNG BAN|THỦ TƯỚNG|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN"
    r"|BAN THƯỜNG VỤ|BAN CHẤP HÀNH|BAN CHỈ ĐẠO|THƯỜNG TRỰC|HỘI ĐỒNG|BÍ THƯ|ĐOÀN CHỦ TỊCH)\b")


def _in_capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and not any(c.islower() for c in letters)


def _capital_subject(lines: Sequence[Line], double_spaced: bool = False) -> str | None:
    """The subject in capitals on `lines` (from the first line under the heading), up to the
    decider's title; None unless that title closes it within _SUBJECT_LINES lines."""
    texts = [(line.blank, " ".join(left_pieces(line))) for line in lines[:2 * _SUBJECT_LINES + 6]]
    texts = [(blank, text) for blank, text in texts if blank or text]
    # On a page printed double spaced (`double_spaced`: a blank line under the heading too), a blank
    # line between the subject's lines and the decider's is the spacing; two in a row end the
    # subject. Otherwise a blank line ends it: the decider's title, if any, is right under it.
    if double_spaced:
        kept = [text for n, (blank, text) in enumerate(texts) if not blank or (n and texts[n - 1][0])]
    else:
        kept = [text for _, text in texts]
    spaced = kept[:kept.index("")] if "" in kept else kept
    parts: list[str] = []
    for n, text in enumerate(spaced):
        if not _in_capitals(text) or heading_of(text):
            return None
        # The decider's title is the last line in capitals: the body ("Căn cứ ...") follows it. A
        # wrapped subject may put "BỘ TRƯỞNG BỘ Y TẾ ..." at the start of a line of its own.
        following = spaced[n + 1] if n + 1 < len(spaced) else ""
        if parts and _DECIDER.match(text) and following and not _in_capitals(following):
            return _clean_subject(collapse(" ".join(parts))) or None
        if len(parts) >= _SUBJECT_LINES:
            return None
        parts.append(text)
    return None


def heading_subject(head: Sequence[Line], heading_line: int) -> str | None:
    """The subject printed under the type heading, without a "Về việc" prefix."""
    position = {line.index: i for i, line in enumerate(head)}
    if heading_line not in position:
        return None
    following = head[position[heading_line] + 1:]
    for i, line in enumerate(following):
        if line.blank:
            if i >= 2:
                return None
            continue
        pieces = left_pieces(line, lowercase_marks=True)
        first_text = " ".join(pieces)
        if _in_capitals(first_text) and _CAPITAL_SUBJECT.match(first_text) and not _DECIDER.match(first_text):
            found = _capital_subject(following[i:], double_spaced=i > 0)
            if found is not None:
                return SUBJECT_PREFIX.sub("", found) or None
        pieces = [_after_stamp(" ".join(pieces))] if pieces else pieces
        ends = not pieces or (not SUBJECT_PREFIX.match(pieces[0]) and _ends_subject(pieces[0], under_heading=True))
        if ends and not (i == 0 and _opens_subject(pieces)):
            return None
        first = _HEADING_SUBJECT_PREFIX.sub("", " ".join(pieces))
        text = _clean_subject(_continue(following[i + 1:], first, under_heading=True))
        return text or None
    return None
