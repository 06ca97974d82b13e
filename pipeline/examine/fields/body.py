"""Fields after the head: addressees, recipients, signing block, cited documents, signature stamp.

Split from fields.py to keep each module short (fields_header.py reads the head). Every function is
pure and takes canonical `Line`s. In layout-mode text "Nơi nhận" (left) and the signing block (right)
share lines; the column where the signing block starts separates them. In plain-mode text they come
one after the other or interleaved, and are told apart by what they say: list items start with a
dash, the signing block is in capitals, the signer's name is in title case.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.examine.fields.header import KINH_GUI, TYPE_NAMES, heading_of, opens_body, read_notation
from pipeline.examine.fields.lines import Line, Segment, collapse
from pipeline.examine.fields.noise import (
    alien_character,
    close_brackets,
    family_name_first,
    respell_capitals,
    respell_names,
    vietnamese_name,
)
from pipeline.normalize import fold
from pipeline.records import Reference, SignerBlock

_BULLET = re.compile(r"^[-+•*–~]\s*")  # "~": a dash as OCR may read it
# "Nơi nhận:", and the OCR's "Noi nhận:", "Nơi nhân:", "NƠI NHẬN" (the colon required when misspelt).
# "Nơi nhận:" as OCR gives it too: "Noi nhận:", "Nơi nhân:", and its first letter misread ("Vơi nhận:",
# "Aơi nhận:"); without the marks or the first letter, the colon is required.
# A colon or a bar OCR repeated after it ("Nơi nhận: : TL.CHỦ TỊCH") is part of the label.
_NOI_NHAN = re.compile(r"^\W*(?:nơi\s*nhận\b\s*:?|[a-zđ]?[oơóòờ]i\s*nh[aâậạấầ]n\s*:)(?:\s*[:;|]+)*\s*", re.IGNORECASE)
# Capital letters, Vietnamese ones with their marks included ("Ủ", "Ị").
_CAPITAL = "A-Z" + "".join(c for c in map(chr, range(0xC0, 0x1EFA)) if c.isalpha() and c.isupper())
# "KT. CHỦ TỊCH", "KT CHỦ TỊCH", and "KT.CHỦ TỊCH" as many offices type it (no space after the dot,
# then capitals: "Lưu: VT, KT.bngoc106" ends with an office's code and a drafter's).
AUTHORITY = re.compile(
    r"^(?:TM|KT|TL|TUQ|Q|T/M|K/T|T/L|T\.M|K\.T|T\.L)(?:\s*\.\s+|\s+|\s*\.(?=[" + _CAPITAL + r"]))(?=\S)")
_POSITION_WORDS = re.compile(
    r"\b(?:CHỦ TỊCH|BÍ THƯ|TRƯỞNG|GIÁM ĐỐC|CHÁNH|ỦY VIÊN|THƯỜNG TRỰC|TỔNG BIÊN TẬP|THỦ TƯỚNG|PHÓ)\b"
)
_STAMP = re.compile(r"(?:Ký bởi|Thời gian ký|Người ký|Ngày ký|Email|Cơ quan)\s*:", re.IGNORECASE)
_SIGNED_BY = re.compile(r"Ký bởi\s*:\s*(?P<value>.*)", re.IGNORECASE)
_SIGNED_TIME = re.compile(r"Thời gian ký\s*:\s*(?P<value>.*)", re.IGNORECASE)
# "(Đã ký)", "(Ký, đóng dấu)", and a copy's "Đã ký" where the signature was
_SIGNATURE_NOTE = re.compile(r"^(?:\(.*(?:ký|dấu).*\)|đã ký(?: và đóng dấu)?\.?)$", re.IGNORECASE)
_LIST_END = ";,."
_WINDOW = 40  # lines a list or a signing block may span
_WRAP_INDENT = 6  # columns a wrapped line of a list item may be indented by


def _is_capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and not any(c.islower() for c in letters)


# Words of a body's name that no person's name has, compared with their marks ("TINH", with its
# mark lost, may be a given name): the kinds of body and of locality, and the plural "các".
_BODY_WORDS = frozenset((
    "TỈNH", "HUYỆN", "QUẬN", "PHƯỜNG", "XÃ", "ỦY", "UỶ", "CÁC", "NGÀNH", "SỞ", "CỤC", "VIỆN", "ĐẢNG",
))
# Abbreviations of bodies that hold a vowel, in capitals ("UBND"; "TU", Tỉnh ủy: "VP TU"). A name in
# capitals ending in a given name "TU" is then unknown, never a recipient dropped in silence.
_BODY_ABBREVIATIONS = frozenset(("UBND", "HĐND", "UBKT", "UBMTTQ", "TAND", "TU"))


def _body_word(word: str) -> bool:
    """Whether a word names a body, never a person: a word of `_BODY_WORDS` ("Tỉnh Ủy" too), or an
    abbreviation in capitals, which has no vowel ("BTV", "LĐLĐ", "VP", "CĐ": every Vietnamese
    syllable has one, a name of a minority people written in Latin letters too) or is a known one
    ("UBND", "TU"). In title case a word without a vowel is what OCR made of a signature over a
    printed name ("Zf Thị Lê Vân"), which stays the signing block's."""
    if word.upper() in _BODY_WORDS:
        return True
    return word.isupper() and (not any(c in "aeiouy" for c in fold(word)) or word in _BODY_ABBREVIATIONS)


def is_name(text: str) -> bool:
    """A person's name: the shape of one (`_name_shape`), none of its words one that names a body
    ("BTV LĐLĐ", "TỈNH ỦY", "CĐ NGÀNH" are recipients, not a signer)."""
    return _name_shape(text) and not any(map(_body_word, text.split()))


def _name_shape(text: str) -> bool:
    """2 to 6 words in title case ("Nguyễn Văn A"), or in capitals (<= 5 words)."""
    words = text.split()
    if not 2 <= len(words) <= 6 or not all(w.isalpha() for w in words):
        return False
    if all(w[0].isupper() and (len(w) == 1 or w[1:].islower()) for w in words):
        return True
    return len(words) <= 5 and _is_capitals(text) and not _POSITION_WORDS.search(text) and not heading_of(text)


def cut_stamp(text: str) -> str:
    """The text before a signature stamp ("Ký bởi: ...", "Thời gian ký: ...") in a segment."""
    found = _STAMP.search(text)
    return text[: found.start()].strip() if found else text


def signature_stamp(lines: Sequence[Line]) -> tuple[str | None, str | None]:
    """The values of the first "Ký bởi:" and "Thời gian ký:" lines, as printed."""
    by = when = None
    for line in lines:
        for segment in line.segments:
            if by is None and (m := _SIGNED_BY.search(segment.text)):
                by = collapse(cut_stamp(m.group("value"))) or None
            if when is None and (m := _SIGNED_TIME.search(segment.text)):
                when = collapse(cut_stamp(m.group("value"))) or None
    return by, when


# --- lists: Kính gửi and Nơi nhận ----------------------------------------------------------------


def _item_text(text: str) -> str:
    """An item as printed, without its dash, closing punctuation and what OCR left around it."""
    item = close_brackets(collapse(_BULLET.sub("", _FILE_PATH.split(text, 1)[0])))
    item = _drop_sign_tail(_drop_debris_tail(_drop_debris_head(item)))
    return item.rstrip(" :" + _LIST_END).strip()


_TWO_LETTERS = re.compile(r"[^\W\d_]{2,}")
# A sign no list writes between its numbers ("các phường: 1, 3, 5", "bản số 2-4/10" are kept).
_SIGN = re.compile(r"[^\w\s.,;/\-–]")


def _drop_sign_tail(item: str) -> str:
    """An item without what OCR read after its closing qualifier, or after its colon, when that
    holds no word, only signs and stray letters or digits: "... TKCN (b/c)/ ~ (3y 4" (a qualifier
    in brackets ends its item), "Bộ Tài chính: ˆ R X ề" (its ";" read as ":", and the other column's
    strokes after it). A tail with a word (the drafter's ").LHQ12", "Lưu: VT", a name) or only a full
    stop and digits (").4", a count of copies as some offices write it) is kept; so is a colon inside
    brackets ("(số lượng: 02)")."""
    depth = 0
    anchor = None
    for pos, char in enumerate(item):
        if char == "(":
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            anchor = pos if depth == 0 else anchor
        elif char == ":" and depth == 0:
            anchor = pos
    if anchor is None:
        return item
    tail = item[anchor + 1:]
    if tail.strip() and not _TWO_LETTERS.search(tail) and (_SIGN.search(tail) or any(map(alien_character, tail))):
        return item[:anchor + 1]
    return item


# The path of the drafter's file printed under the list ("d:\2011\CV\SVH\T4\..."), run into the last
# item by the text layer: no item holds one.
_FILE_PATH = re.compile(r"\s+[A-Za-z]:\\")


# Marks no list item ends with, which OCR makes of stains and of the other column's strokes.
_DEBRIS_MARKS = frozenset("«»‹›`~^=<>|¡¿§ÿ£¤¦¨¬°±")


def _debris(token: str) -> bool:
    """A token of OCR debris: no letter or digit at all ("--", "=<"), a short token holding a mark
    no word has ("«ố"), or a token of any length holding a character typed Vietnamese has not
    ("49ÿ/£s", "b).Ả⁄"): an office's code or a drafter's initials are letters and digits. A word of
    letters alone is kept whatever its letters ("Müller": a foreign name)."""
    if not any(c.isalnum() for c in token) or (len(token) <= 3 and bool(_DEBRIS_MARKS & set(token))):
        return True
    alien = [c for c in token if alien_character(c)]
    return bool(alien) and (not all(c.isalpha() for c in alien) or not token.strip(_LIST_END + ":").isalpha())


def _drop_debris_tail(item: str) -> str:
    """An item without the OCR debris after its last word ("Như trên, -- ` : =<", "Lưu: CNTT, VT. =
    ` «ố", "... (báo cáo); -"). Brackets and the punctuation that closes an item are kept."""
    tokens = item.split(" ")
    while len(tokens) > 1 and _debris(tokens[-1]) and not tokens[-1].endswith(")"):
        tokens.pop()
    return " ".join(tokens).rstrip(" -–—")


def _drop_debris_head(item: str) -> str:
    """An item without the OCR debris before its first word, after its dash ("‹ Sở Tài chính",
    "=< Sở Nội vụ", "§¡ Bộ Y tế"): signs with no letter or digit, or a short token of marks no word
    has. A token with a letter or a digit ("(b)", "1.", "“Sở") or an opening bracket is kept."""
    tokens = item.split(" ")
    while len(tokens) > 1 and _debris(tokens[0]) and not tokens[0].startswith(("(", "[", "“", '"')):
        tokens.pop(0)
    return " ".join(tokens)


_WORD = re.compile(r"[^\W\d_]+")


def _real_words(text: str) -> bool:
    """Whether text holds a word of a name: lowercase letters in a word of 3 letters or more, or a
    whole lowercase word of 2 ("Sở Y tế"); OCR noise from a signing block beside the list does not
    ("b ' È", "DHÓ ể:", "Bồ) CS DRCH")."""
    return any((len(w) >= 3 and any(c.islower() for c in w)) or (len(w) == 2 and w.islower())
               for w in _WORD.findall(text))


# What an addressee written without its dash may hold: letters, digits and a list's punctuation, no
# sign OCR makes of a stain or a stroke ("` L$", "E»Ạ4", "b ' È").
_ITEM_CHARS = re.compile(r"[^\W_]+(?:[\s,;.:/&()\-–]+[^\W_]*)*[\s,;.:]*")
_ITEM_WORDS = 12  # words an addressee line without its dash may have


def reads_as_item(text: str) -> bool:
    """Whether a line without a dash reads as an addressee whose dash was lost, not as what OCR
    left of the signing block beside the list: it opens with a capital and holds only words and a
    list's punctuation (brackets balanced), up to `_ITEM_WORDS` words; no word in capitals with a
    vowel other than one that names a body ("TỈNH", "ỦY"), which is a title or a body of the
    signing block ("PHÓ CHỦ TỊCH", "ai RỦ TƯỚNG", "LAO ĐỘNG TỈNH"); no authority, title, name or
    signature note (`_signer_like`); and a word that names a body ("BTV LĐLĐ", "UBND", "Sở") or
    a lowercase word after its first, as the name of a body in sentence case has ("Bộ Tài chính",
    "BTV LĐLĐ tỉnh"), where a name ("Nguyễn Văn An") or a stray mark ("Ni", "R f") has none."""
    text = text.strip()
    if not text[:1].isupper() or not _ITEM_CHARS.fullmatch(text) or text.count("(") != text.count(")"):
        return False
    if len(text.split()) > _ITEM_WORDS or any(map(alien_character, text)) or _signer_like(text):
        return False
    words = [w for w in _WORD.findall(text) if len(w) >= 2]  # a letter alone ("R f", "Y") says nothing
    if any(w.isupper() and not _body_word(w) for w in words):
        return False
    return any(map(_body_word, words)) or any(w.islower() for w in words[1:])


def _drop_noise(text: str) -> str:
    """An item closed by ";" and followed, on the same line, by noise from the other column of an
    OCR'd page keeps only the item. What follows that reads as an addressee ("- Như trên; BTV
    LĐLĐ": two items, the second one's dash lost) is kept: the router splits items at ";"."""
    head, sep, rest = text.partition(";")
    if head.count("(") > head.count(")"):
        return text  # "- Lưu (VP ; KT&KĐCL).": a ";" inside the item's brackets
    if sep and rest.strip() and not _BULLET.match(rest.strip()) and not _real_words(rest) \
            and not reads_as_item(rest):
        return head + sep
    return text


_NOISE_LINE = re.compile(r"^[\W_]*$")
_STRAY_GAP = 2  # lines of the signing block or marks between a stray line and the item after it


def _stray_item(text: str) -> str | None:
    """A stray line inside a dashed list as an item: without the OCR debris before its first word
    (tokens, then characters typed Vietnamese has not: "Ả⁄ Sở Tài chính", "⁄Sở Nội vụ;"), if what
    is left reads as an addressee whose dash was lost (`reads_as_item`); None otherwise."""
    item = _drop_debris_head(collapse(text))
    item = item.lstrip("".join(c for c in item if alien_character(c) or not (c.isalnum() or c in "(“\"")))
    return item if item and reads_as_item(item) else None


_FILED_ITEM = re.compile(r"^\W*l[ưu]u\s*:", re.IGNORECASE)  # "- Lưu: VT, KT": the office's own copy


@dataclass
class _Items:
    """A list being read: its items, whether they are dashed, the column where the last item
    started (layout text indents wrapped lines), and whether a blank line came after it."""

    items: list[str]
    dashed: bool = False
    item_col: int = 0
    after_blank: bool = False
    # Whether a line in words after a closed item of a dashed list may be an item whose dash was
    # lost ("- Như trên;" / "BTV LĐLĐ tỉnh"): in "Nơi nhận", where the signing block is all that
    # may follow; after "Kính gửi" the body follows, so only a line without a lowercase word may.
    lost_dashes: bool = False
    # The lines that ended a dashed "Nơi nhận" list neither as items nor as stray marks ("- Như trên;"
    # / "Ả⁄ Sở Tài chính" / "- Sở Nội vụ;"), held until a later line tells whether the list goes on:
    # one such line, or a run of them each read as an item (`_chains`); and the lines of the signing
    # block or marks read since the last of them.
    strays: list[str] = field(default_factory=list)
    stray_gap: int = 0

    @property
    def closed(self) -> bool:
        """The last item ended. In a dashed list only ";" or "." ends one: a "," at the end of a line
        is a list inside the item going on ("- Các Sở: Tài chính, Kế hoạch và Đầu tư," / "Xây dựng;")."""
        ends = ";." if self.dashed else _LIST_END
        return bool(self.items) and self.items[-1].rstrip()[-1:] in ends

    @property
    def finished(self) -> bool:
        return bool(self.items) and self.items[-1].rstrip().endswith(".")

    def _start(self, text: str, col: int) -> bool:
        self.items.append(text)
        self.dashed = self.dashed or bool(_BULLET.match(text))
        self.item_col = col
        self.after_blank = False
        return True

    def add(self, text: str, col: int = 0, *, signer_like: bool = False) -> bool:
        """Take one line of the list; False when the list ended before it."""
        text = _drop_noise(text.strip())
        if self.strays and not signer_like and self._chains(text):
            self.strays.append(text)  # the next of a run of items whose dashes OCR read as debris
            self.stray_gap = 0
            return True
        if self.strays and not self._resume(text, signer_like=signer_like):
            return False
        if signer_like and not _BULLET.match(text):
            return True  # the signing block interleaved with the list
        # An item whose dash was lost, after one closed by ";" ("- Như trên;" / "BTV LĐLĐ"): kept, for
        # an item dropped here reaches no unit in silence, where one that reaches none is warned of.
        lost_dash = (self.dashed and self.closed and not self.finished and not self.after_blank
                     and not _BULLET.match(text) and reads_as_item(text)
                     and (self.lost_dashes or not _real_words(text)))
        if _NOISE_LINE.match(text) or (self.dashed and self.closed and not _BULLET.match(text)
                                         and not _real_words(text) and not lost_dash):
            return True  # a stray mark of an OCR'd page ("»", "Ni"), not the end of the list
        if _BULLET.match(text) or not self.items:
            return self._start(text, col)
        if self.finished or self.after_blank or opens_body(text):
            return False
        indented = 0 < col - self.item_col <= _WRAP_INDENT
        wrapped = indented or text[:1].islower() or text[:1].isdigit()
        if wrapped or (not self.closed and self.dashed):
            self.items[-1] = f"{self.items[-1]} {text}"  # a wrapped line of the last item
            return True
        if self.dashed and ":" in self.items[-1] and text.rstrip()[-1:] in ";,." \
                and not _FILED_ITEM.match(self.items[-1]):
            # "- Các Công ty: CP Môi trường đô thị;" / "CP Xây dựng và thoát nước;": the item's own
            # list, one part a line, under its head
            self.items[-1] = f"{self.items[-1]} {text}"
            return True
        if lost_dash:
            return self._start(text, col)
        if self.lost_dashes and self.dashed and self.closed:
            self.strays = [text]  # the list ends here, unless a dashed item follows (`_resume`)
            return True
        if not self.closed or self.dashed or len(text.split()) > 14:
            return False  # "Kính gửi: X" then the body; a dashed list ended
        return self._start(text, col)  # undashed items, one a line, each closed by ";" or ","

    def _chains(self, text: str) -> bool:
        """Whether a line after the held ones is the next of a run of items that lost their dashes
        ("- Sở Nội vụ;" / "Ả⁄ Sở Tài chính;" / "Ƒ Công an tỉnh"), to be held with them: the last held
        line reads as an item once its debris is dropped (`_stray_item`), no blank line came between,
        and this one reads as an item too, with evidence of its lost dash: debris where the dash was
        ("Ƒ Công an tỉnh"), or none needed after a held item closed by ";" (as `add` takes a line
        after a dashed item closed by ";"). A clean line in words after a held line not so closed
        ("Phụ lục kèm theo công văn") may be what follows the list, and ends it as before; the
        signing block never reads as an item."""
        last = _stray_item(self.strays[-1]) if not self.after_blank and not _BULLET.match(text) else None
        item = _stray_item(text) if last else None
        if last is None or item is None:
            return False
        return item != collapse(text) or self.strays[-1].rstrip().endswith(";")

    def held_items(self) -> list[str]:
        """The held lines that read as items once their debris is dropped (`_stray_item`)."""
        return [item for item in map(_stray_item, self.strays) if item]

    def _resume(self, text: str, *, signer_like: bool) -> bool:
        """Whether the list goes on after its held stray lines: at a dashed item, no blank line
        between, and at most `_STRAY_GAP` lines of the signing block or stray marks between (the
        columns interleaved). A held line is then an item if it reads as one once the debris
        before its first word is dropped ("Ả⁄ Sở Tài chính"), and is dropped otherwise."""
        if self.after_blank:
            return False
        if _BULLET.match(text):
            self.items.extend(self.held_items())
            self.strays, self.stray_gap = [], 0
            return True
        if (signer_like or _NOISE_LINE.match(text) or not _real_words(text)) and self.stray_gap < _STRAY_GAP:
            self.stray_gap += 1  # the lines gone past, never the one that ended the list (`_resumed`)
            return True
        return False

    def end(self, rest: Sequence[tuple[str, bool]]) -> None:
        """The list ended, or its window did, with stray lines held; `rest` is (text, looks like
        the signing block) for what is left of the window from the line that ended it. The held
        lines were then the list's last lines, and each is an item if it reads as one once its debris
        is dropped (`_stray_item`), when nothing but the signing block, blank lines, stray marks or
        debris follows them: no dashed line (an appendix after the signature, a list past a blank
        line) and no other line in words, after either of which the list's end is not known and
        the line is dropped, as before. The item before it was closed by ";": after one closed by
        "." ("- Lưu: VT, VP.") the list ended and no line is held."""
        if not self.strays:
            return
        kept = self.held_items()
        self.strays, self.stray_gap = [], 0
        if all(not _BULLET.match(text) and (signer_like or not _real_words(text)) for text, signer_like in rest):
            self.items.extend(kept)

    def result(self) -> tuple[str, ...]:
        return tuple(t for t in (respell_names(_item_text(i)) for i in self.items) if t)


def _indent(raw: str) -> int:
    return len(raw) - len(raw.lstrip())


def addressees(lines: Sequence[Line]) -> tuple[str, ...]:
    """The "Kính gửi:" items, without dashes and closing punctuation."""
    for i, line in enumerate(lines):
        label = KINH_GUI.match(line.text)
        if not label:
            continue
        found = _Items([])
        first = line.text[label.end():].strip()
        if first:
            stripped = line.raw.lstrip()
            in_raw = KINH_GUI.match(stripped)
            shift = len(line.raw) - len(stripped) + (in_raw.end() if in_raw else 0)
            after_label = " " * shift + line.raw[shift:]
            found.add(first, _indent(after_label))
        for following in lines[i + 1:i + 1 + _WINDOW]:
            if following.blank:
                found.after_blank = bool(found.items)
                continue
            text = cut_stamp(following.text)
            if heading_of(text) or _NOI_NHAN.match(text) or AUTHORITY.match(text):
                break
            if not found.add(text, _indent(following.raw)):
                break
        return found.result()
    return ()


def recipients(lines: Sequence[Line], signer_col: int | None) -> tuple[str, ...]:
    """The "Nơi nhận:" items ("Như trên", "Lưu: VT, VP"), without dashes and closing punctuation."""
    for i, line in enumerate(lines):
        label = _NOI_NHAN.match(line.segments[0].text) if line.segments else None
        if label is None:
            continue
        found = _Items([], lost_dashes=True)
        first_segments = [Segment(line.segments[0].col, line.segments[0].text[label.end():]), *line.segments[1:]]
        for text, col, signer_like in _left_texts(first_segments, signer_col):
            found.add(text, col, signer_like=signer_like or _capitals_beside_label(text))
        window = lines[i + 1:i + 1 + _WINDOW]
        stop = _feed(found, window, signer_col)
        while stop < len(window) and (resumed := _resumed(found, window[stop:], signer_col)) is not None:
            found, read = resumed
            stop += read
        found.end([(text.strip(), signer_like) for later in window[stop:]
                   for text, _, signer_like in _left_texts(later.segments, signer_col)])
        return found.result()
    return ()


def _feed(found: _Items, lines: Sequence[Line], signer_col: int | None) -> int:
    """Give lines to a "Nơi nhận" list: how many it read before the line that ended it (all of
    them when none did)."""
    for j, line in enumerate(lines):
        if line.blank:
            found.after_blank = bool(found.items)
            continue
        texts = _left_texts(line.segments, signer_col)
        if any(not found.add(text, col, signer_like=signer_like) for text, col, signer_like in texts):
            return j
    return len(lines)


# Lines of the signing block or marks a list may go past after its held stray lines, when it goes
# on to its filed item: a whole signing block ("TM. ...", "KT. ...", title, "(Đã ký)", name) and a
# mark. Blank lines, and those with text in the right column only, carry nothing to misread.
_RESUME_GAP = 6
# The office's own copy that closes a "Nơi nhận" list: "- Lưu: VT, VP.", "- Lưu VPTU." (Party
# documents write no colon), never "- Lưu ý: ..." or "- Lưu trữ ...", which an appendix may hold.
_FILED_END = re.compile(r"^\W*(?:[Ll][ưu]u|L[ƯU]U)(?:\s*:|\s+[" + _CAPITAL + r"]{2,}\b)")


def _dash_past_gap(lines: Sequence[Line], signer_col: int | None, gap: int) -> int | None:
    """Where the first dashed line is when all lines before it are blank, of the signing block or
    marks, `gap` of which came before them, at most `_RESUME_GAP` in all; None otherwise (a line in
    words: "Tài liệu gửi kèm theo:", "Nơi nhận:" of another letter)."""
    for k, line in enumerate(lines):
        texts = _left_texts(line.segments, signer_col)
        if not texts:
            continue
        if _BULLET.match(texts[0][0]):
            return k
        gap += 1
        if gap > _RESUME_GAP or not all(signer_like or not _real_words(text) for text, _, signer_like in texts):
            return None
    return None


def _resumed(found: _Items, lines: Sequence[Line], signer_col: int | None) -> tuple[_Items, int] | None:
    """The list read on past the line that ended it with stray lines held, and how many lines that
    read, when it goes on at a dashed item past a blank line or a longer stretch of the signing block
    (the columns interleaved: "- Như trên;" / "Ả⁄ Sở Tài chính" / "" / "- Sở Nội vụ;" / "- Lưu: VT."),
    within `_RESUME_GAP`, and reads on to the office's filed item ("- Lưu: ..."), which closes the
    "Nơi nhận" list and nothing else: an appendix after the signature ("- Nội dung phụ lục;") does not
    end with it, and stays out. The held lines are then items as `_Items._resume` takes them; None
    otherwise (`_Items.end` judges them)."""
    start = _dash_past_gap(lines, signer_col, found.stray_gap) if found.strays else None
    if start is None:
        return None
    trial = _Items([*found.items, *found.held_items()], dashed=True, item_col=found.item_col, lost_dashes=True)
    held = len(trial.items)
    read = start + _feed(trial, lines[start:], signer_col)
    # `read > start`: the dashed line was read whole, so the caller's loop moves on
    if read > start and len(trial.items) > held and _FILED_END.match(_BULLET.sub("", trial.items[-1])):
        return trial, read
    return None


def _capitals_beside_label(text: str) -> bool:
    """Whether text on the "Nơi nhận" label's own line is the signing block's, run into it by OCR
    with a title it misread ("Nơi nhận: ai RỦ TƯỚNG"): no dash, no punctuation closing an item, no
    comma, and most of its words in capitals, words with their marks as a title is printed ("TƯỚNG"),
    none of them a word that names a body. An item there is a name in sentence case ("Như trên", "Bộ
    Tài chính"), is closed by its ";", is a list of initials, which carry no tone or vowel marks
    ("BTV, UBKT LĐLĐ"), or names a body in capitals ("BCH LĐLĐ TỈNH", "TỈNH ỦY", "CĐ NGÀNH")."""
    words = _WORD.findall(text)
    if not words or _BULLET.match(text) or "," in text or text.rstrip()[-1:] in _LIST_END:
        return False
    capitals = [w for w in words if len(w) >= 2 and w.isupper()]
    marked = [w for w in capitals if not w.replace("Đ", "D").isascii()]
    return 2 * len(capitals) > len(words) and bool(marked) and not any(map(_body_word, capitals))


def _left_texts(segments: Sequence[Segment], signer_col: int | None) -> list[tuple[str, int, bool]]:
    """(text, column, looks like the signing block) for the left-column text of a closing line."""
    out = []
    for segment in segments:
        if signer_col is not None and segment.col >= signer_col:
            continue
        for part in _split_joined(respell_capitals(cut_stamp(segment.text))):
            if part:
                out.append((part, segment.col, _signer_like(part)))
    return out


_INNER_AUTHORITY = re.compile(r"(?<!\w)(?:TM|KT|TL|TUQ)\.\s*(?P<body>[^\W\d_]{2,})")
# A short token of OCR debris before the text of a line ("x TM. ỦY BAN NHÂN DÂN", "‹%à CHỦ TỊCH"):
# up to three characters with a mark that is no letter, digit or bracket ("(Đã ký)" is a note), or one
# lowercase letter alone.
_DEBRIS_TOKEN = re.compile(r"^(?:(?=\S{0,2}[^\w\s()\[\]])\S{1,3}|[^\W\d_A-ZĐ])\s+(?=\S)")
# Quotes OCR puts before a line's text ("“Đặng Văn Minh").
_QUOTES = "“”\"'‘’`"


def _signer_like(text: str, *, bodies: bool = False) -> bool:
    """Whether text is the signing block's. With `bodies`, capitals that name a body count as its
    too: after a list item on the same line they are an authority wrapped over two lines ("- Như
    trên; LAO ĐỘNG TỈNH"); standing alone in the list they are an item ("BTV LĐLĐ")."""
    if _BULLET.match(text):
        return False
    printed = text
    text = _DEBRIS_TOKEN.sub("", text).lstrip(_QUOTES)  # which takes "TM." for debris too
    inner = _INNER_AUTHORITY.search(text)
    return bool(
        AUTHORITY.match(printed) or AUTHORITY.match(text) or (inner and inner.group("body").isupper())
        or (_is_capitals(text) and _POSITION_WORDS.search(text))
        or (_name_shape(text) if bodies else is_name(text))
        or _SIGNATURE_NOTE.match(text)
    )


# A dash OCR read between them ("- Như trên; - KT. TRƯỞNG BAN"): no list item opens with an
# authority and the capitals of a title, so the dash is the signing block's, not an item's.
_JOINED = re.compile(r"(?<=[;,.])\s+(?:[-–—~]\s*)?(?=(?:TM|KT|TL|TUQ|T/M|K/T|T/L)[. ])")
_AUTHORITY_AHEAD = r"\s+(?=(?:TM|KT|TL|TUQ|T/M|K/T|T/L)\.\s)"
_UNPUNCTUATED_JOIN = re.compile(r"(?<=\w)" + _AUTHORITY_AHEAD)
# The second line of an authority wrapped over two lines: words only ("LAO ĐỘNG TỈNH"), never OCR
# debris from a stamp or a signature ("CÀ:", "#/) _ xé").
_AUTHORITY_WRAP = re.compile(r"[^\W\d_]{2,}(?:[ ,\-–]+[^\W\d_]+)*")


def _joined_authority(text: str) -> bool:
    """Whether `text` starts with an authority: the abbreviation then the capitals of a body or a
    title ("KT. CHỦ TỊCH"), not the office initials that end "Lưu: VT, KT."."""
    found = AUTHORITY.match(text)
    rest = text[found.end():] if found else ""
    return bool(found) and _is_capitals(rest.split()[0]) and not AUTHORITY.match(rest)


_TRAILING_NAME = re.compile(r"(?:\s[^\W\d_]+){2,5}$")


def _name_after_filed(part: str) -> str | None:
    """The printed name of the signer run into the "Lưu:" item on its line, which the office's
    codes never end with: a name in title case that opens with a family name."""
    if not (_BULLET.match(part) and _FILED_ITEM.match(_BULLET.sub("", part))):
        return None
    found = _TRAILING_NAME.search(part)
    while found is not None:
        name = found.group().strip()
        if _printed_name(name):
            return name
        found = _TRAILING_NAME.search(part, found.start() + 1 + len(found.group().split()[0]))
    return None


def _split_joined(text: str) -> list[str]:
    """Plain-mode lines where a list item and the signing block run together:
    "- Như trên; PHÓ CHỦ TỊCH", "- Lưu: VT, VP. Nguyễn Văn A", "Nơi nhận: TM. BAN THƯỜNG VỤ"."""
    cuts = [m for m in _JOINED.finditer(text) if _joined_authority(text[m.end():])]
    bounds = [0, *(x for m in cuts for x in m.span()), len(text)]
    parts = [text[bounds[i]:bounds[i + 1]] for i in range(0, len(bounds), 2)]
    out = []
    for part in parts:
        m = re.match(r"^(.*[;,.])\s+(?:[-–—]\s+)?(\S.*)$", part)
        title = _POSITION_WORDS.search(part)
        if m and _BULLET.match(part) and _signer_like(m.group(2), bodies=True) and not _BULLET.match(m.group(2)):
            out.extend([m.group(1), m.group(2)])
        elif (filed := _name_after_filed(part)) is not None:
            out.extend([part[:-len(filed)], filed])  # "- Lưu: VT, KGVX.th54 Trần Hoàng Tuấn"
        elif (title and _BULLET.match(part) and part[title.start() - 1:title.start()] == " "
              and _is_capitals(part[title.start():]) and _real_words(part[:title.start()])):
            out.extend([part[:title.start()], part[title.start():]])  # "- Lưu: VT, NC CHỦ TỊCH UBND TỈNH"
        else:
            out.append(part)
    return [p.strip() for p in out]


# --- signing block --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Piece:
    line: int  # position in the searched line list
    col: int
    text: str
    # Cut from a line where one space joins it to the text before it ("- Lưu: VT, NC. CHỦ TỊCH"):
    # plain text, whose columns are run together, so `col` is no column of the page.
    run_on: bool = False


# Beside the "Nơi nhận" label, stamp debris run into the authority with no space ("ZZE=akKT. CHỦ
# TỊCH"): a lowercase letter or a sign right before "KT." is no word of a title.
_JOIN_BESIDE_LABEL = re.compile(r"(?<=\S)" + _AUTHORITY_AHEAD)
_GLUED_AUTHORITY = re.compile(r"(?<=[a-zđà-ỹ=~_^*#$%&|])(?=(?:TM|KT|TL|TUQ)\.\s*[" + _CAPITAL + r"])")


def _authority_tail(part: str, *, beside_label: bool = False) -> str:
    """The authority at the end of a non-list line of an OCR'd two-column block whose left half is
    noise ("Mà bo KT. CHÁNH VĂN PHÒNG"): only when all that follows it is in capitals, so an office
    code ("Lưu: VT, KT.") never is. Beside the "Nơi nhận" label, a title too, after stamp debris that
    holds no word ("Nơi nhận: ‹%à CHỦ TỊCH"). The list reader still sees the whole line."""
    if _BULLET.match(part):
        return part
    if beside_label:
        part = _GLUED_AUTHORITY.sub(" ", part)
    for m in (_JOIN_BESIDE_LABEL if beside_label else _UNPUNCTUATED_JOIN).finditer(part):
        tail = part[m.end():]
        if _joined_authority(tail) and _is_capitals(tail):
            return tail
    title = _POSITION_WORDS.search(part) if beside_label and not _is_capitals(part) else None
    if (title is not None and title.start() > 0 and part[title.start() - 1] == " "
            and _is_capitals(part[title.start():]) and len(part[title.start():].split()) <= 8
            and not _real_words(part[:title.start()]) and not any(c.isdigit() for c in part[:title.start()])):
        return part[title.start():]
    return part


def _signer_pieces(lines: Sequence[Line]) -> list[_Piece]:
    """Every piece of text, a segment split where a list item and the signing block run together
    (each part with the column it starts at: layout text may leave only two spaces between them)."""
    out = []
    for i, line in enumerate(lines):
        for segment in line.segments:
            text = cut_stamp(segment.text)
            label = _NOI_NHAN.match(text)
            shift = label.end() if label else 0
            text = respell_capitals(text[shift:])
            pos = 0
            for part in _split_joined(text):
                part = _authority_tail(part, beside_label=label is not None and pos == 0)
                if part:
                    found = text.find(part, pos)
                    pos = max(pos, found)
                    run_on = found > 0 and text[found - 1] == " " and text[found - 2:found - 1] != " "
                    out.append(_Piece(i, segment.col + shift + max(found, 0), part, run_on))
    return out


def signer(lines: Sequence[Line], start: int) -> tuple[SignerBlock, int | None]:
    """The signing block at or after position `start`, and the column where it starts (layout
    text only; None for plain text)."""
    pieces = [p for p in _signer_pieces(lines) if p.line >= start]
    noi_nhan = next((i for i, line in enumerate(lines) if i >= start and _NOI_NHAN.match(line.text)), None)
    anchor = noi_nhan if noi_nhan is not None else len(lines)
    authorities = [p for p in pieces if AUTHORITY.match(p.text) and _is_capitals(p.text)]
    positions = [p for p in pieces if _is_capitals(p.text) and _POSITION_WORDS.search(p.text)
                 and not _BULLET.match(p.text) and len(p.text.split()) <= 8]
    first = _nearest(authorities, anchor) or _nearest(positions, anchor)
    if first is None:
        return SignerBlock(full_name=_lone_name(pieces, noi_nhan)), None
    while above := next((p for p in authorities if p.line == first.line - 1 and abs(p.col - first.col) <= 15), None):
        first = above  # "TM. ỦY BAN NHÂN DÂN" above the "KT. CHỦ TỊCH" nearest to "Nơi nhận"
    col = first.col if first.col > 20 and not first.run_on else None
    block = [p for p in pieces if p.line >= first.line and (col is None or p.col >= col - 15)]
    block = [p for p in block if p.line <= first.line + _WINDOW and not _BULLET.match(p.text)]
    authority: str | None = None
    position: str | None = None
    names: list[str] = []
    for piece in block:
        text = collapse(piece.text)
        if AUTHORITY.match(text) and _is_capitals(text) and position is None:
            authority = f"{authority} {text}" if authority else text  # "TM. ỦY BAN ..." "KT. CHỦ TỊCH"
        elif position is None and _is_capitals(text):
            if _POSITION_WORDS.search(text) or piece is first or not authority:
                position = text
            elif _AUTHORITY_WRAP.fullmatch(text):
                authority = f"{authority} {text}"  # an authority wrapped over two lines
        elif (position or authority) and is_name(text):
            names.append(text)
            if not _is_capitals(text):
                break
    name = next((n for n in names if not _is_capitals(n)), names[0] if names else None)
    if name is not None and not vietnamese_name(name):
        name = None  # a signature over the printed name: what OCR made of it is no name ("Prẫn ...")
    signer_col = max(0, col - 15) if col is not None else None
    authority = respell_capitals(authority) if authority else None
    position = respell_capitals(position) if position else None
    return SignerBlock(authority=authority, position=position, full_name=name), signer_col


# What OCR leaves before a name it read under a signature: a quote or a mark ("“Đặng Văn Minh").
_NAME_DEBRIS = _QUOTES + "~^*.,:; "


def _printed_name(text: str) -> bool:
    """A signer's printed name standing without its title: title case, opening with a Vietnamese
    family name, every word one Vietnamese can have."""
    return is_name(text) and not _is_capitals(text) and family_name_first(text) and vietnamese_name(text)


def _lone_name(pieces: list[_Piece], noi_nhan: int | None) -> str | None:
    """The signer's name where the scan's OCR lost the signing block's authority and title and kept
    only the printed name: a name in title case, opening with a Vietnamese family name, that stands
    alone at or after the "Nơi nhận" label (on a line of its own, or after a list item's closing
    semicolon: the right column run into the left), and the only such name there. Otherwise
    unknown: the clerk is asked."""
    if noi_nhan is None:
        return None
    names = set()
    for piece in pieces:
        text = piece.text.lstrip(_NAME_DEBRIS)
        if piece.line >= noi_nhan and not _BULLET.match(piece.text) and _printed_name(text):
            names.add(text)
    return names.pop() if len(names) == 1 else None


def _nearest(pieces: list[_Piece], anchor: int) -> _Piece | None:
    """The piece nearest to the "Nơi nhận" line, preferring the one beside or just above it."""
    near = [p for p in pieces if anchor - 15 <= p.line <= anchor + 15]
    if near:
        return min(near, key=lambda p: (abs(p.line - anchor), p.line))
    return pieces[0] if pieces else None


# --- cited documents ------------------------------------------------------------------------------

_REFERENCE_TYPES = sorted((*TYPE_NAMES, "Thông tư liên tịch", "Nghị quyết liên tịch", "Luật", "Văn bản"),
                          key=len, reverse=True)
_CITATION = re.compile(
    r"(?<!\w)(?P<type>" + "|".join(re.escape(t) for t in _REFERENCE_TYPES) + r")\s+số\s*:?\s*(?P<num>\d+)",
    re.IGNORECASE,
)
_CITED_DATE = re.compile(
    r"\s*,?\s*ngày\s*(?:(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})"
    r"|(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4}))",
    re.IGNORECASE,
)
_TYPE_CASE = {t.lower(): t for t in _REFERENCE_TYPES}


def _cited_date(m: re.Match[str]) -> dt.date | None:
    try:
        return dt.date(int(m.group("y") or m.group("y2")), int(m.group("m") or m.group("m2")),
                       int(m.group("d") or m.group("d2")))
    except ValueError:
        return None


def references(lines: Sequence[Line], own_number: str | None) -> tuple[Reference, ...]:
    """Documents cited as "<Type> số <number> [ngày <date>]", never the document's own number."""
    text = " ".join(line.text for line in lines if not line.blank)
    found: dict[str, Reference] = {}
    for m in _CITATION.finditer(text):
        notation, end = read_notation(text, m.end("num"))
        if not notation:
            continue
        number = m.group("num") + "".join(sep + token for sep, token in notation)
        if number == own_number or number in found:
            continue
        date_match = _CITED_DATE.match(text, end)
        type_name = _TYPE_CASE[m.group("type").lower()]
        found[number] = Reference(
            number=number,
            type_name=None if type_name == "Văn bản" else type_name,
            issued_date=_cited_date(date_match) if date_match else None,
        )
    return tuple(found.values())
