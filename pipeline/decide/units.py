"""Resolve Kính gửi / Nơi nhận lines to the units of portal.yml.

Matching is on a *key*: accent-folded, lowercase, punctuation-free text with the usual abbreviations
expanded and the plural marker "các" dropped, so "LĐLĐ huyện Châu Thành;", "Liên đoàn lao động huyện
Chau Thanh" and "- LIÊN ĐOÀN LAO ĐỘNG HUYỆN CHÂU THÀNH," are the same unit, and "Các CĐCS trực thuộc
LĐLĐ tỉnh" is the same group as "CĐCS trực thuộc LĐLĐ tỉnh". Tone marks are folded for the lookup,
not ignored: a word printed with marks must carry the registered name's ("Thanh Trà", a signer's name
the OCR left on a line, is not "Thanh tra tỉnh"; `UnitIndex.spelled_as`).

Besides the names and aliases written in portal.yml, the index knows the short forms a clerk reads
without thinking, each only when it points at exactly one unit or group of this registry:
the name without the office's own level ("Công đoàn Viên chức tỉnh" -> "Công đoàn Viên chức"), "trực
thuộc" without whom ("Các đơn vị trực thuộc LĐLĐ tỉnh" -> "Các đơn vị trực thuộc"), and the initials
of a name ("CĐGD" for "Công đoàn Giáo dục tỉnh"). A name with some runs of its words written as
their initials and the rest written out ("TT Công báo", "Ngân hàng Nhà nước - CN Quảng Ngãi", "Cục
GSQL về HQ", "cơ quan thuộc CP") is read too, when one name only reads so (`UnitIndex.initialled`).
A group named by the kinds of body it holds ("UBND các huyện, thị xã, thành phố") is also named by
two or more of them, commas or not ("UBND các huyện thành phố"), when its members are all of the
kinds named, or by all of them in any order, a kind of two words by its first ("UBND các huyện,
thành, thị"; `UnitIndex._some_kinds`). Other names clerks give a body (`_variants`): a subdivision
without the body it belongs to, or with that body's kind alone ("Ban PC" for "Ban Pháp chế Cục Thuế",
"Thanh tra Bộ"), a body of the people's police or army by its ministry ("BHXH Bộ Công an"), "cấp tỉnh"
for "các tỉnh, thành phố trực thuộc Trung ương", a group of hospitals by the term for every treating
facility ("Cơ sở khám, chữa bệnh trực thuộc Bộ Y tế"); a portal called "Website" (`UnitIndex.loosen`);
and a name with a space the OCR put one letter off ("Đầut ư", `UnitIndex._respaced`).

One line, in this order:
1. "Như trên", "Như kính gửi", "Như KG" (Nơi nhận): the addressees, already counted.
2. "Lưu: VT, VP": the office's own archive, nobody outside.
3. "Như Điều 2" (quyết định): the units and groups that article of the text names.
4. A unit or group name or alias (or a short form above), exactly.
5. A name listed in `ignored_recipients` (superiors, the office's own leadership), exactly.
6. A list: split at ";" then at "," and "và" (never inside brackets), every part judged on its own,
   as a clerk reads it: consecutive parts that together make one name ("Sở Văn hóa, Thể thao và Du
   lịch"); a head before ":" shared by the parts ("Các Sở: Tài chính, Nội vụ"); the head of the first
   part carried to the next ("LĐLĐ huyện Châu Thành, Hòa An"); the qualifier of the last part shared
   by the ones before it ("Các huyện ủy, thị ủy, thành ủy, đảng ủy trực thuộc", "Các ban, đơn vị trực
   thuộc LĐLĐ tỉnh"). Known parts route even when another part is unknown; the unknown part is warned.
   A list whose every part is the title of a body's head names the bodies they head ("Bộ trưởng,
   Thủ trưởng cơ quan ngang Bộ": "Bộ, cơ quan ngang Bộ"), when every one of them is known.
7. A unit or group name ending the line after a title ("Thường trực LĐLĐ huyện Châu Thành",
   "Chủ tịch CĐCS Công ty ..."). Only at the end: "Ban Tổ chức Tỉnh ủy" is not "Ban Tổ chức".
8. A line containing an ignored name ("Đồng chí Chủ tịch Ủy ban nhân dân tỉnh"), or marked
   "(b/c)" / "(để báo cáo)": a report to a superior, who has no feed here.
Anything else is unknown and the build warns, suggesting the closest registered name as an alias,
never a name that lacks the body a line's qualifier names ("Vụ Pháp chế - BTC" is not "Vụ Pháp chế"
of another ministry).
"""

from __future__ import annotations

import difflib
import itertools
import math
import re
from dataclasses import dataclass
from typing import Literal

from pipeline.config import PortalConfig
from pipeline.names import BULLET as _BULLET
from pipeline.names import drop_notes, initials, key, literal_key, qualifier, spelled_words
from pipeline.normalize import canonical, fold, fold_aligned
from pipeline.records import Metadata, Reason, ReasonCode, StoredText

# Display names of unit kinds (headings of the "Đơn vị nhận" page, OPML folders). A kind not listed
# here is shown as written in portal.yml.
KIND_NAMES = {
    "district-union": "Liên đoàn Lao động huyện, thành phố",
    "sector-union": "Công đoàn ngành và tương đương",
    "grassroots-union": "Công đoàn cơ sở",
    "board": "Các ban, văn phòng",
    "party-committee": "Huyện ủy, thị ủy, thành ủy",
    "party-affiliate": "Đảng ủy trực thuộc",
    "party-board": "Các ban, văn phòng cấp ủy",
    "unit": "Đơn vị khác",
}

_TO_SUPERIOR = re.compile(r"\(\s*(?:de\s+)?(?:b\s*/\s*c|bao\s+cao)\s*\)|[-–]\s*b\s*/\s*c\b")
_STRONG = re.compile(r";")
# "và" joins two items, except in "thuộc và trực thuộc X" (one set of bodies: X's own and affiliated).
_WEAK = re.compile(r",|\s+và\s+(?!trực\s+thuộc\b)|\s+&\s+", re.IGNORECASE)
_ARTICLE = re.compile(r"^nhu dieu ?(\d{1,2})\b")  # "Như Điều 3", "Như Điều3"
_PARAGRAPH_LIMIT = 2000  # characters of an article scanned for names
# An article's clauses ("..., Giám đốc các Sở: A, B; Chủ tịch UBND huyện C và Thủ trưởng ...").
_CLAUSES = re.compile(r";|\.(?= )|(?:,| va) (?=(?:pho )?(?:thu truong|chu tich|giam doc|chanh|cuc truong|truong"
                      r"|vu truong|chi huy truong|tong giam doc|hieu truong|vien truong|bi thu|ong|ba) )")
_HEAD_OF_KIND = re.compile(r"\b(tong cuc|chi cuc|vu|cuc|vien|so) truong (?=(?:cac )?\1\b)")
# What a clause charges its bodies with, after their names: "... chịu trách nhiệm thi hành Quyết định này".
_CHARGE = re.compile(r" (?:chiu trach nhiem|co trach nhiem|thi hanh|can cu)\b")
# The title before the body a clause charges (folded text).
_TITLE = re.compile(r"^(?:(?:ong|ba|dong chi|d/c) )?(?:(?:pho )?(?:giam doc|chu tich|chanh van phong|chanh thanh tra"
                    r"|thu truong|cuc truong|vu truong|truong ban|truong phong|chi huy truong|tong giam doc|bi thu"
                    r"|thu tuong|bo truong|hieu truong|vien truong)(?: cac)?) ")
# "Chánh" heads an inspectorate or an office named after it ("Chánh Thanh tra Bộ": Thanh tra Bộ).
_CHIEF = re.compile(r"^(?:(?:ong|ba|dong chi|d/c) )?(?:pho )?chanh (?=thanh tra |van phong )")
# The office's own level at the end of a name: "... tỉnh", "... tỉnh Quảng Ngãi" (not "... Tỉnh ủy").
_OWN_LEVEL = re.compile(r" tinh(?: (?!uy\b)[a-z0-9]+){0,3}$")
_STATIONED = re.compile(r"(?<!hoat) dong tren dia ban\b")  # "đóng", not "hoạt động"
_UNDER_WHOM = re.compile(r" truc thuoc .+$")
# A body's web portal, as clerks name it: "Website CT", "Website tỉnh" (the word, not initials).
_WEBSITE = re.compile(r" (?:website|trang web|trang thong tin dien tu|cong thong tin dien tu)(?= |$)")
_DIRECTLY_UNDER = re.compile(r" truc thuoc\b")
# The province's own level said in words ("... trong tỉnh", "... trên địa bàn tỉnh", "... của tỉnh",
# "... toàn tỉnh"): the same as "... tỉnh".
_IN_THE_PROVINCE = re.compile(r" (?:trong|tren dia ban|cua|toan) tinh(?= |$)")
_KINDS_OF_PLACE = frozenset({"tinh", "thanh", "pho", "thi", "xa", "huyen", "quan", "phuong", "tran", "cac"})
# "trực thuộc" and the kind of body only (a word or two): "Các đơn vị trực thuộc Bộ" (the issuer, a
# ministry), "... trực thuộc Tổng cục".
_UNDER_KIND = (re.compile(r"( truc thuoc [a-z]{2,})(?: [a-z0-9]+)+$"),
               re.compile(r"( truc thuoc [a-z]{2,} [a-z]{2,})(?: [a-z0-9]+)+$"))
# "các tỉnh, thành phố" means "các tỉnh, thành phố trực thuộc Trung ương": nothing else is meant.
_CENTRAL = re.compile(r"(?<=tinh thanh pho) truc thuoc (?:trung uong|tw)$")

Target = tuple[str, str]  # ("unit" | "group", id)
_OUTSIDE = ("outside", "")  # a part of a list that names a superior or an ignored recipient


# What the main process reads of one letter's addressee lines (they come from an untrusted PDF or
# sidecar): a real Kính gửi / Nơi nhận item is a line or two, a list a few dozen items, a name a few
# comma-separated parts. Beyond these, matching would grow faster than the text (measured:
# bench/measure_long_inputs.py), so longer items are warned as unread instead.
MAX_ITEM_CHARS = 500
MAX_ITEMS = 200
MAX_JOINED_PARTS = 6


def _bounded(lines: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(lines to match, lines too long to read), whitespace runs collapsed, at most MAX_ITEMS."""
    kept: list[tuple[str, str]] = []
    too_long: list[tuple[str, str]] = []
    for where, line in lines[:MAX_ITEMS]:
        line = " ".join(line.split()) if len(line) <= 4 * MAX_ITEM_CHARS else line[:4 * MAX_ITEM_CHARS]
        (kept if len(line) <= MAX_ITEM_CHARS else too_long).append((where, line))
    too_long += [(where, line[:MAX_ITEM_CHARS + 1]) for where, line in lines[MAX_ITEMS:]]
    return kept, too_long


def kind_name(kind: str) -> str:
    return KIND_NAMES.get(kind, kind)


def clean_line(line: str) -> str:
    """The line as a clerk would type it in portal.yml: no bullet, no note in brackets, no final ';'."""
    text = drop_notes(_BULLET.sub("", canonical(line)))  # "(BTC)" stays: it says whose department
    return " ".join(text.split()).strip(" ;,.:")


Verdict = Literal["unit", "group", "several", "addressees", "archive", "article", "outside", "unknown", "empty"]


@dataclass(frozen=True)
class LineMatch:
    verdict: Verdict
    targets: tuple[Target, ...] = ()  # for "unit", "group" and "several"
    article: int | None = None  # for "article": the number in "Như Điều 2"
    unknown_parts: tuple[str, ...] = ()  # parts of the line that named nobody known (the line itself for "unknown")

    @property
    def target(self) -> Target | None:
        """The one unit or group the line names; None for none or several, or when part is unknown."""
        return self.targets[0] if len(self.targets) == 1 and not self.unknown_parts else None


@dataclass(frozen=True)
class Resolution:
    units: tuple[str, ...]  # unit ids, in registry order
    groups: tuple[str, ...]  # group ids named (directly or through "Như Điều N"), in registry order
    unmatched: tuple[str, ...]  # lines that named nobody we know
    outside: tuple[str, ...] = ()  # lines naming superiors or ignored recipients
    warnings: tuple[str, ...] = ()  # Vietnamese messages for the build report, with suggestions
    # Every item (a line, or the part of a list line) that reached no unit and was not ignored on
    # purpose: unknown names, "Như trên" with no Kính gửi read, "Như Điều N" naming nobody known.
    unresolved: tuple[str, ...] = ()
    # Lines left out on purpose: superiors and ignored recipients, "Lưu: ...", "Như trên" after a
    # Kính gửi that was read.
    ignored: tuple[str, ...] = ()

    @property
    def reaches_nobody_unresolved(self) -> bool:
        """No unit reached while some addressee item could not be resolved: the letter may have
        been meant for units that never hear of it (issue 16: refused `no-recipient`)."""
        return not self.units and not self.groups and bool(self.unresolved)


@dataclass(frozen=True)
class Suggestion:
    target: Target
    name: str
    score: float


@dataclass(frozen=True)
class _Part:
    text: str  # as printed, without the separator before it
    start: int  # offsets in the chunk's text, for joining consecutive parts as printed
    end: int


class UnitIndex:
    def __init__(self, config: PortalConfig) -> None:
        self.config = config
        self.order = {unit.id: index for index, unit in enumerate(config.units)}
        self.group_order = {group.id: index for index, group in enumerate(config.groups)}
        self.display = {("unit", u.id): u.name for u in config.units} | {
            ("group", g.id): g.name for g in config.groups
        }
        self.names: dict[str, Target] = {}  # key -> target
        self.spelled: dict[Target, list[str]] = {}  # target -> names as written, for initials
        for unit in config.units:
            for name in (unit.name, *unit.aliases):
                self.names.setdefault(key(name), ("unit", unit.id))
                self.spelled.setdefault(("unit", unit.id), []).append(name)
        for group in config.groups:
            for name in (group.name, *group.aliases):
                self.names.setdefault(key(name), ("group", group.id))
                self.spelled.setdefault(("group", group.id), []).append(name)
        self.names.pop("", None)
        # How each target's names spell their words, tone marks kept: a name written without any
        # marks says nothing of them (None).
        self.spellings: dict[Target, dict[str, set[str | None]]] = {}
        for target, spellings in self.spelled.items():
            forms = self.spellings.setdefault(target, {})
            for name in spellings:
                for folded, printed in spelled_words(name):
                    forms.setdefault(folded, set()).add(None if name.isascii() else printed)
        self.ignored = frozenset(k for k in map(key, config.ignored_recipients) if k)
        # Short forms that only leave out the level ("Công an" for "Công an tỉnh"): right when nothing
        # else qualifies the words, wrong under a list's head ("Bộ: Công an, Quốc phòng" names the
        # ministries).
        self.levelless: set[str] = set()
        self.members = {
            group.id: tuple(u.id for u in config.units if group.id in u.groups) for group in config.groups
        }
        self._variant_keys: set[str] = set()  # `_variants` forms, read with initials too ("BHXH Bộ Công an")
        self.short = self._short_forms()
        self.own_city = own_city(config.organisation.name)
        self.localities = tuple(sorted({*_localities(self.names), *([self.own_city] if self.own_city else [])},
                                       key=lambda f: (-len(f), f)))
        self.loose = self._loose_forms()
        self._by_first_letter = self._forms_by_first_letter()
        self._place_words = frozenset(_LEVEL_WORDS | {w for place in self.localities for w in place.split()})
        # Longest names first, for "ends with" and for scanning articles.
        self._by_length = sorted(self.names.items(), key=lambda item: (-len(item[0]), item[0]))
        self._idf = _weights(self.names)
        # The same few hundred lines ("Như trên", "Lưu: VT", unit names) recur in every document:
        # classified once per build, not once per document (10,000 documents: about 40,000 lines).
        self._classified: dict[str, LineMatch] = {}
        self._initialled: dict[tuple[str, tuple[str, ...]], Target | None] = {}  # the same, per part
        self._respacings: dict[str, Target | None] = {}

    def _short_forms(self) -> dict[str, Target]:
        """Short forms of registered names that point at exactly one target and collide with no
        written name or ignored recipient."""
        found: dict[str, set[Target]] = {}
        for name_key, target in self.names.items():
            stems = {name_key, _OWN_LEVEL.sub("", name_key), _UNDER_WHOM.sub(" truc thuoc", name_key),
                     _CENTRAL.sub("", name_key), *(kind.sub(r"\1", name_key) for kind in _UNDER_KIND)}
            for stem in stems:
                if stem != name_key and len(stem.split()) >= 2:
                    found.setdefault(stem, set()).add(target)
            for stem in (_OWN_LEVEL.sub("", name_key), _CENTRAL.sub("", name_key)):
                if stem != name_key:
                    self.levelless.add(stem)
        for name_key, target in self.names.items():
            for variant, partial in _variants(name_key, target[0] == "group"):
                found.setdefault(variant, set()).add(target)
                self._variant_keys.add(variant)
                if partial:
                    self.levelless.add(variant)
                for abbreviation in initials(variant):  # "Ban Pháp chế" (Cục Thuế) -> "Ban PC"
                    found.setdefault(abbreviation, set()).add(target)
        for target, spellings in self.spelled.items():
            for name in spellings:
                for abbreviation in initials(name):
                    found.setdefault(abbreviation, set()).add(target)
                if target[0] == "group":
                    for form in self._some_kinds(name, target[1]):
                        found.setdefault(form, set()).add(target)
        return {form: next(iter(targets)) for form, targets in found.items()
                if len(targets) == 1 and form not in self.names and form not in self.ignored}

    def _some_kinds(self, name: str, group: str) -> set[str]:
        """A group named by the kinds of body it holds ("UBND các huyện, thị xã, thành phố") is also
        named by some of its kinds, two at least, in any order, commas or not ("UBND các huyện thành
        phố", "UBND các huyện, TP"): when every registered member is of a kind the line names, so
        that the group reaches no unit the line leaves out; or by all of them in another order. A
        kind is one or two words, a kind of two words also written by its first alone ("thành" for
        "thành phố") when that word says which."""
        folded = fold(name)
        plural = re.search(r"(?:^| )cac ", folded)
        if plural is None:
            return set()
        head = key(name[:plural.start()])
        kinds = [key(part.text) for part in _split(name[plural.end():], _WEAK)]
        if not 2 <= len(kinds) <= _MAX_KINDS or not all(1 <= len(kind.split()) <= 2 for kind in kinds):
            return set()
        members = [[key(spelling) for spelling in self.spelled.get(("unit", unit), [])]
                   for unit in self.members.get(group, ())]
        # A kind of two words written by its first ("UBND các huyện, thành, thị": "thành phố", "thị
        # xã"), when that word is no kind of the group and begins no other of its kinds.
        firsts = [kind.split()[0] for kind in kinds]
        spellings_of = {kind: [kind, *([first] if len(kind.split()) == 2 and firsts.count(first) == 1
                                       and first not in kinds else [])]
                        for kind, first in zip(kinds, firsts, strict=True)}
        forms = set()
        for size in range(2, len(kinds) + 1):
            for named in itertools.permutations(kinds, size):
                # Every kind named: the line names the whole group, whoever is registered in it.
                # Some kinds only: when every registered member is of a kind named (none left out).
                if size < len(kinds):
                    starts = [" ".join(w for w in (head, kind) if w) + " " for kind in named]
                    if not members or not all(
                            any(spelling.startswith(starts_with) for spelling in spellings for starts_with in starts)
                            for spellings in members):
                        continue
                for spelled in itertools.product(*(spellings_of[kind] for kind in named)):
                    forms.add(" ".join(w for w in (head, *spelled) if w))
        return forms

    def spelled_as(self, printed: str, target: Target) -> bool:
        """Whether a line (or part) printed with tone marks spells the words it shares with the
        target's names as they do: the key folds marks away, and "Thanh Trà" (a signer's name) is not
        "Thanh tra" (an inspectorate). See `_agrees`."""
        return self._agrees(spelled_words(printed), target)

    def _agrees(self, words: tuple[tuple[str, str | None], ...], target: Target) -> bool:
        """A word printed with tone marks must carry the marks a registered name gives it; a word
        printed without any is read folded (text typed without marks, or marks the OCR lost). One
        word marked otherwise is taken for OCR damage only in a long name, when at least three
        other words agree exactly ("Đài Phát thanh - Truyẻn hình tỉnh"); in a short one it may be
        another word ("Trà", "tra")."""
        forms = self.spellings.get(target, {})
        differing = agreeing = 0
        for folded, printed in words:
            registered = forms.get(folded)
            if printed is None or not registered or None in registered:
                continue
            if printed in registered:
                agreeing += 1
            elif printed != folded:  # marks printed, and not the registered ones
                differing += 1
        return differing == 0 or (differing == 1 and agreeing >= 3)

    def _as_printed(self, found: Target | None, printed: str) -> Target | None:
        """`found`, unless the printed text spells its words otherwise (`spelled_as`)."""
        if found is None or found == _OUTSIDE or self.spelled_as(printed, found):
            return found
        return None

    def known(self, name_key: str) -> Target | None:
        """The unit or group a key names exactly, by a written name or a short form."""
        return self.names.get(name_key) or self.short.get(name_key)

    def _loose_forms(self) -> dict[str, Target]:
        """Every name and short form as `loose` spells it, where that points at one target only and
        is not how an ignored recipient is spelled loosely."""
        found: dict[str, set[Target]] = {}
        for form, target in (*self.names.items(), *self.short.items()):
            found.setdefault(self.loosen(form), set()).add(target)
        ignored = {self.loosen(k) for k in self.ignored}
        return {form: next(iter(targets)) for form, targets in found.items()
                if form and len(targets) == 1 and form not in ignored and len(form.split()) >= 2}

    def _forms_by_first_letter(self) -> dict[str, list[tuple[tuple[str, ...], Target]]]:
        """Every name and ignored name of two words or more, and each name without the office's level
        ("Trung tâm Công báo" for "Trung tâm Công báo tỉnh Mẫu Sơn") or as clerks name it otherwise
        (`_variants`: "Bảo hiểm xã hội Bộ Công an"), by its first letter (the first letter a name keeps
        when some of its words are written as initials). Words only: never a short form made of
        initials already."""
        out: dict[str, list[tuple[tuple[str, ...], Target]]] = {}
        stems = {stem: target for name_key, target in self.names.items()
                 for stem in (_OWN_LEVEL.sub("", name_key), _CENTRAL.sub("", name_key), self.loosen(name_key))}
        variants = ((form, target) for form, target in self.short.items() if form in self._variant_keys)
        for form, target in (*stems.items(), *self.names.items(), *variants, *((k, _OUTSIDE) for k in self.ignored)):
            words = tuple(form.split())
            if 2 <= len(words) <= _MAX_NAME_WORDS:
                out.setdefault(form[0], []).append((words, target))
        return out

    def initialled(self, text: str, heads: list[str] | None = None) -> Target | None:
        """The one registered name that `text` writes with runs of its words as their initials and
        the rest written out: "TT Công báo" (Trung tâm), "Ngân hàng Nhà nước - CN Quảng Ngãi" (Chi
        nhánh), "Phòng VH-TT các huyện", "Cục GSQL về HQ", "cơ quan thuộc CP" (Chính phủ: the key
        reads "CP" as "cổ phần"), "... trực thuộc TƯ". A run of initials is a token that cannot be a
        syllable, or one printed in capitals in a line that is not all capitals. None when no name or more than
        one reads so, when the words written out say no more than a level or a place ("TT tỉnh"), or
        when the words after leading initials are a body themselves: "TT HĐND tỉnh", "TT Tỉnh ủy"
        (Thường trực, a title before the body, never a Trung tâm)."""
        remembered = (text, tuple(heads or ()))
        if remembered not in self._initialled:
            self._initialled[remembered] = self._read_initials(text, heads)
        return self._initialled[remembered]

    def _read_initials(self, text: str, heads: list[str] | None) -> Target | None:
        capitals = {fold(w) for w in re.findall(r"[^\W\d_]{2,}", text) if w.isupper()}
        capitals = capitals if any(c.islower() for c in text) else set()
        if all(_WORD.fullmatch(t) and t not in capitals for t in literal_key(text).split()):
            return None  # words only: nothing is written as initials
        forms = [key(text), literal_key(text)]
        forms += [self.loosen(form) for form in forms]  # the level or the province's name at the end, or neither
        if heads:
            forms = [f"{head} {form}" for head in heads for form in forms]
        found: set[Target] = set()
        for form in dict.fromkeys(forms):
            tokens = tuple(form.split())
            if not 2 <= len(tokens) <= _MAX_NAME_WORDS:
                continue
            for words, target in self._by_first_letter.get(form[0], ()):
                if target not in found and len(words) > len(tokens) and any(
                        self._says_enough(tokens, written) for written in _spelled_out(tokens, words, capitals)):
                    found.add(target)
        return found.pop() if len(found) == 1 and _OUTSIDE not in found else None

    def _says_enough(self, tokens: tuple[str, ...], written: tuple[int, ...]) -> bool:
        """Whether the words a reading of initials keeps written out name more than a level or a
        place, and leading initials are not the title of the body the rest names."""
        if not any(tokens[i] not in self._place_words for i in written):
            return False
        if 0 not in written:
            rest = " ".join(tokens[1:])
            if self.known(rest) or rest in self.ignored or self.loose.get(self.loosen(rest)):
                return False
        return True

    def loosen(self, name_key: str) -> str:
        """A key as clerks vary it: "và" or a dash between two names ("Phát thanh và Truyền hình",
        "Phát thanh - Truyền hình"), initials spaced by a dash ("PT-TH", "PTTH"), "đóng" (stationed)
        before "trên địa bàn" or not ("Các cơ quan Trung ương đóng trên địa bàn tỉnh"), and the level
        at the end ("tỉnh", "tỉnh Quảng Ngãi", "Quảng Ngãi": the province whose bodies are registered;
        "thành phố Cần Thơ", "Cần Thơ" for an office of that city, `own_city`),
        and "trực thuộc" or "thuộc" ("Các Vụ, Cục trực thuộc Bộ Y tế" for "Các Vụ, Cục thuộc Bộ Y tế"),
        a body's web portal as "Cổng thông tin điện tử", "Trang thông tin điện tử" or "Website",
        and the province said in words ("trong tỉnh", "trên địa bàn tỉnh", "của tỉnh": "tỉnh")."""
        name_key = _WEBSITE.sub(" cong thong tin dien tu", _DIRECTLY_UNDER.sub(" thuoc", f" {name_key}"))
        name_key = _STATIONED.sub(" tren dia ban", name_key)
        words = [w for w in _IN_THE_PROVINCE.sub(" tinh", name_key).split() if w != "va"]
        joined: list[str] = []
        for word in words:  # "pt th" -> "ptth", "pctt tkcn" -> "pctttkcn": runs of initials
            if joined and not _SYLLABLE.fullmatch(word) and not _SYLLABLE.fullmatch(joined[-1]):
                joined[-1] += word
            else:
                joined.append(word)
        text = " ".join(joined)
        for locality in self.localities:
            if text.endswith(" " + locality):
                text = text[:-len(locality) - 1]
                if locality == self.own_city:  # "thành phố Cần Thơ" as "tỉnh Quảng Ngãi"
                    text = text.removesuffix(" thanh pho")
                break
        return text.removesuffix(" tinh")

    # --- one line -------------------------------------------------------------------------------

    def classify(self, line: str) -> LineMatch:
        found = self._classified.get(line)
        if found is None:
            found = self._classified[line] = self._classify(line)
        return found

    def _classify(self, line: str) -> LineMatch:
        wanted = key(line)
        if not wanted:
            return LineMatch("empty")
        if wanted in ("nhu tren", "nhu kinh gui", "nhu kg") or wanted.startswith(("nhu tren ", "nhu kinh gui ")):
            return LineMatch("addressees")
        if wanted.split()[0] == "luu":
            return LineMatch("archive")
        article = _ARTICLE.match(wanted)
        if article:
            return LineMatch("article", article=int(article.group(1)))
        named = self._as_printed(self.known(wanted), line)
        if named is not None:
            return self._target(named)
        if wanted in self.ignored:
            return LineMatch("outside")
        loosely = self._as_printed(self.loose.get(self.loosen(wanted)), line)
        if loosely is not None:
            return self._target(loosely)
        initialled = self._as_printed(self.initialled(line), line)
        if initialled is not None:
            return self._target(initialled)
        bodies = _bodies_headed(line)
        if bodies is not None:
            headed = self.classify(bodies)
            if headed.targets and not headed.unknown_parts:
                return headed
        listed = self._list(line)
        if listed is not None:
            return listed
        at_end = self._as_printed(self._name_at_end(wanted) or self._after_title(wanted), line)
        if at_end is not None:
            return self._target(at_end)
        respaced = self._respaced(line)
        if respaced is not None:
            return self._target(respaced)
        if self._outside(wanted, line):
            return LineMatch("outside")
        return LineMatch("unknown", unknown_parts=(line,))

    def _respaced(self, text: str) -> Target | None:
        """The one registered name `text` writes with a space the OCR put one letter off ("Xúc tiến
        Đầut ư" for "Xúc tiến Đầu tư") or put inside a word ("Đầu t ư"), as a clerk reads past it:
        only a whole name, exactly or loosely, spelled as printed once the space is moved."""
        if text not in self._respacings:  # a list's parts are read again for each part before them
            self._respacings[text] = self._respace(text)
        return self._respacings[text]

    def _respace(self, text: str) -> Target | None:
        words = text.split()
        if not 2 <= len(words) <= _MAX_NAME_WORDS:
            return None
        found: set[Target] = set()
        for i in range(len(words) - 1):
            first, second = words[i], words[i + 1]
            repairs: list[tuple[str, ...]] = [(first + second,)]
            if len(first) >= 2 and first[-1].isalpha():
                repairs.append((first[:-1], first[-1] + second))
            if len(second) >= 2 and second[0].isalpha():
                repairs.append((first + second[0], second[1:]))
            for repair in repairs:
                printed = " ".join([*words[:i], *repair, *words[i + 2:]])
                repaired = key(printed)
                target = self._as_printed(self.known(repaired) or self.loose.get(self.loosen(repaired)), printed)
                if target is not None:
                    found.add(target)
        return found.pop() if len(found) == 1 else None

    def _after_title(self, wanted: str) -> Target | None:
        """A short form after the title of the body's head ("Thủ trưởng các đơn vị trực thuộc Bộ",
        "Giám đốc Đài PTTH tỉnh"): registered names after any words are `_name_at_end`'s."""
        chief = _CHIEF.match(wanted)
        rest = wanted[chief.end():] if chief is not None else ""
        headed = self.known(rest) or self.loose.get(self.loosen(rest)) if rest else None
        if headed is not None:
            return headed  # "Chánh Thanh tra Bộ": the inspectorate itself
        title = _TITLE.match(wanted)
        if title is None:
            return None
        rest = wanted[title.end():]
        return self.known(rest) or self.loose.get(self.loosen(rest))

    def _name_at_end(self, wanted: str) -> Target | None:
        """The longest unit or group name that ends the line after other words (a title)."""
        for name_key, target in self._by_length:
            if wanted.endswith(" " + name_key):
                return target
        return None

    def _outside(self, wanted: str, line: str) -> bool:
        padded = f" {wanted} "
        return any(f" {ignored} " in padded for ignored in self.ignored) or bool(_TO_SUPERIOR.search(fold(line)))

    def _list(self, line: str) -> LineMatch | None:
        """A line naming several units, read part by part (rule 6); None when it is not a list or
        no part of it is known (then the whole line is judged by rules 7 and 8)."""
        text = _BULLET.sub("", canonical(line))
        chunks = [chunk for chunk in _split(text, _STRONG) if key(chunk.text)]
        targets: list[Target] = []
        unknown: list[str] = []
        parts_seen = outside = 0
        shared_heads: list[str] = []  # a head before ":" goes on over ";" ("Các Công ty: CP A; CP B")
        for chunk in chunks:
            heads: list[str] = []
            body = chunk.text
            colon = _outside_brackets(body).find(":")
            if colon > 0 and key(body[:colon]):
                head = body[:colon]
                if key(head) in self.ignored:  # "VPUB: CVP, PCVP": the office's own people
                    parts_seen += 2
                    outside += 1
                    shared_heads = []
                    continue
                heads = shared_heads = _heads(head)
                body = body[colon + 1:]
            parts = [part for part in _split(body, _WEAK) if key(part.text)]
            parts_seen += len(parts) + (1 if heads else 0)
            read = self._read_parts(body, parts, heads)
            if shared_heads and not heads:
                # An item after ";" under the first item's head, when the head reads more of it.
                under_head = self._read_parts(body, parts, shared_heads)
                if sum(found is None for found, _ in under_head) < sum(found is None for found, _ in read):
                    read = under_head
            for found, printed in read:
                if found is None:
                    unknown.append(printed)
                elif found == _OUTSIDE:
                    outside += 1
                elif found not in targets:
                    targets.append(found)
        if parts_seen < 2:
            return None
        if unknown and _TO_SUPERIOR.search(fold(line)):
            unknown = []  # "Thường trực Tỉnh ủy, HĐND tỉnh (b/c)": the whole line reports upward
        if not targets:
            if not unknown:
                return LineMatch("outside")
            # Nothing known: rules 7 and 8 judge the whole line; a superior among unknown parts
            # does not excuse them.
            return LineMatch("unknown", unknown_parts=tuple(unknown)) if outside else None
        verdict: Verdict = "several" if len(targets) > 1 else ("unit" if targets[0][0] == "unit" else "group")
        return LineMatch(verdict, tuple(targets), unknown_parts=tuple(unknown))

    def _read_parts(self, body: str, parts: list[_Part], heads: list[str]) -> list[tuple[Target | None, str]]:
        """Each part's target (or _OUTSIDE, or None for unknown), joining consecutive parts that
        make one name together."""
        if not parts:
            return []
        last = key(parts[-1].text).split()
        shared = [" ".join(last[i:]) for i in range(1, len(last))]  # the last part's qualifier
        shared += [q[len("truc thuoc "):] for q in shared if q.startswith("truc thuoc ")]
        out: list[tuple[Target | None, str]] = []
        carried: list[str] = []  # heads carried from the first known part of the list
        # Parts that an ignored name with a comma in it covers, e.g. both parts of "Đ/c Chủ tịch UBND
        # các tỉnh, thành phố trực thuộc Trung ương" when that committee is ignored.
        covered = {n for first in range(len(parts))
                   for last in range(first + 1, min(len(parts), first + MAX_JOINED_PARTS))
                   if self._spans_ignored(body, parts, first, last) for n in range(first, last + 1)}
        i = 0
        while i < len(parts):
            for j in range(min(len(parts), i + MAX_JOINED_PARTS), i + 1, -1):  # several parts, one name
                joined = body[parts[i].start:parts[j - 1].end]
                found = self._as_printed(self._exact(key(joined), heads), joined)
                if found is not None:
                    out.append((found, joined.strip()))
                    i = j
                    break
            else:
                part = parts[i]
                found = self._as_printed(self._part(part.text, heads, shared if i < len(parts) - 1 else [], carried),
                                         part.text)
                if found is None and i < len(parts) - 1 and all(
                        self._part(p.text, heads, [], carried) is None for p in parts[i + 1:]):
                    # "Sở Y tế, Chủ tịch UBND các huyện, thị xã, thành phố": a title before a name
                    # that has commas in it, the rest of the list
                    rest = body[part.start:parts[-1].end]
                    at_end = self._as_printed(self._name_at_end(" ".join([*heads[:1], key(rest)])), rest)
                    if at_end is not None:
                        out.append((at_end, rest.strip()))
                        break
                if found is None and i in covered:
                    found = _OUTSIDE  # "Đ/c Chủ tịch UBND các tỉnh, thành phố trực thuộc Trung ương"
                if found is not None and found != _OUTSIDE and not carried:
                    words = key(part.text).split()
                    # The name, without a title before it: "Giám đốc Bảo hiểm xã hội Bộ Quốc phòng, Công
                    # an nhân dân" carries "Bảo hiểm xã hội" to the next part.
                    words = next((words[start:] for start in range(len(words) - 1)
                                  if self.known(" ".join(words[start:])) == found), words)
                    carried = [" ".join(words[:n]) for n in range(len(words) - 1, 0, -1)]
                out.append((found, part.text.strip()))
                i += 1
        return out

    def _spans_ignored(self, body: str, parts: list[_Part], first: int, last: int) -> bool:
        """Whether parts first..last hold an ignored name that goes over the separator before part
        `last` (a name with a comma in it): one that neither the parts before it nor part `last`
        holds on its own."""
        joined = f" {key(body[parts[first].start:parts[last].end])} "
        before = f" {key(body[parts[first].start:parts[last - 1].end])} "
        alone = f" {key(parts[last].text)} "
        return any(f" {name} " in joined and f" {name} " not in before and f" {name} " not in alone
                   for name in self.ignored)

    def _exact(self, part_key: str, heads: list[str]) -> Target | None:
        for head in heads:
            found = self.known(f"{head} {part_key}")
            if found is not None:
                return found
        for head in heads:  # "Giám đốc các Sở: Giáo dục Đào tạo, ..." ("và" left out): the head's body
            found = self.loose.get(self.loosen(f"{head} {part_key}"))
            if found is not None:
                return found
        if heads:
            if part_key in self.levelless and part_key not in self.names:
                return None  # "Bộ: Công an, ...": the head's body, not this province's "Công an tỉnh"
            return self.known(part_key)
        return self.known(part_key) or self.loose.get(self.loosen(part_key))

    def _part(self, text: str, heads: list[str], shared: list[str], carried: list[str]) -> Target | None:
        part_key = key(text)
        found = self._exact(part_key, heads)
        if found is not None:
            return found
        if part_key in self.ignored:
            return _OUTSIDE
        if not heads:  # under a head the words are the head's body's (see _exact)
            loosely = self.loose.get(self.loosen(part_key))
            if loosely is not None:
                return loosely
        found = self.initialled(text, heads)
        if found is not None:
            return found
        for qualifier_key in shared:
            found = self.known(f"{part_key} {qualifier_key}")
            if found is not None:
                return found
            if f"{part_key} {qualifier_key}" in self.ignored:  # "Huyện ủy, UBND huyện Bình Sơn"
                return _OUTSIDE
        for head in carried:
            found = self.known(f"{head} {part_key}")
            if found is not None:
                return found
        found = self._name_at_end(part_key) or self._after_title(part_key) or self._respaced(text)
        if found is not None:
            return found
        if self._outside(part_key, text):
            return _OUTSIDE
        return None

    def lookup(self, line: str) -> Target | None:
        """("unit" | "group", id) that a line names, or None."""
        return self.classify(line).target

    def _target(self, target: Target) -> LineMatch:
        return LineMatch("unit" if target[0] == "unit" else "group", (target,))

    # --- a document -------------------------------------------------------------------------------

    def resolve(self, addressees: tuple[str, ...], recipients: tuple[str, ...],
                text: str | StoredText = "") -> Resolution:
        """Units a document reaches, from its Kính gửi and Nơi nhận lines (and, for "Như Điều N",
        its text, unpacked only for such a line: records hold it compressed)."""
        units: set[str] = set()
        groups: set[str] = set()
        unmatched: list[str] = []
        outside: list[str] = []
        unresolved: list[str] = []
        ignored: list[str] = []
        warnings: list[str] = []
        warned: set[object] = set()

        def reach(target: Target) -> None:
            if target[0] == "unit":
                units.add(target[1])
            else:
                groups.add(target[1])
                units.update(self.members.get(target[1], ()))

        lines, too_long = _bounded([("Kính gửi", line) for line in addressees]
                                   + [("Nơi nhận", line) for line in recipients])
        for where, line in too_long:  # text gone wrong, or hostile: never matched, always said
            unresolved.append(line[:60])
            warnings.append(f"{where}: một mục dài hơn {MAX_ITEM_CHARS} ký tự không được đọc "
                            f"(\"{line[:60]}…\"); kiểm tra văn bản hoặc khai báo đơn vị nhận trong tệp .yml")
        for where, line in lines:
            match = self.classify(line)
            for target in match.targets:
                reach(target)
            if match.verdict == "outside":
                outside.append(line)
                ignored.append(line)
            elif match.verdict == "archive" or (match.verdict == "addressees" and addressees):
                ignored.append(line)
            elif match.verdict == "addressees":
                unresolved.append(line)
                if "nhu-tren" not in warned:
                    warned.add("nhu-tren")
                    warnings.append(f"Nơi nhận ghi {clean_line(line)!r} nhưng không đọc được dòng Kính gửi nào; "
                                    "văn bản chưa đến được đơn vị nhận nào qua dòng này")
            elif match.verdict == "article" and match.article is not None:
                whole = text.full if isinstance(text, StoredText) else text
                named = self.article_targets(article_text(whole, match.article) or "")
                if named:
                    for target in named:
                        reach(target)
                else:
                    unresolved.append(line)
                    warnings.append(f"Nơi nhận ghi {clean_line(line)!r} nhưng Điều {match.article} của văn bản "
                                    "không nêu đơn vị nào có trong portal.yml (hoặc không tìm thấy Điều này)")
            if match.verdict == "unknown":
                unmatched.append(line)
            for part in match.unknown_parts:
                unresolved.append(part)
                if (key(part), key(line)) not in warned:
                    warned.add((key(part), key(line)))
                    warnings.append(self.unknown_message(part, where, line))
        return Resolution(
            units=tuple(sorted(units, key=self.order.__getitem__)),
            groups=tuple(sorted(groups, key=self.group_order.__getitem__)),
            unmatched=tuple(unmatched),
            outside=tuple(outside),
            warnings=tuple(warnings),
            unresolved=tuple(unresolved),
            ignored=tuple(ignored),
        )

    def article_targets(self, paragraph: str) -> tuple[Target, ...]:
        """Units and groups an article charges ("Như Điều 5"): the names written out anywhere in it,
        and its lists read as a Nơi nhận line is ("Giám đốc các Sở: Tài chính, Xây dựng; ...": the
        clauses between semicolons, each without the title before the body)."""
        found = list(self.scan(paragraph))
        text = " ".join(canonical(paragraph).split())
        folded = fold_aligned(text)  # the clauses are found in folded text and cut from the printed
        # A head named for the kind of body it heads, before that kind ("Vụ trưởng các Vụ, Cục trưởng
        # các Cục thuộc Bộ Y tế"): the bodies are one list, sharing the qualifier of its last part.
        for head in reversed(list(_HEAD_OF_KIND.finditer(folded))):
            blank = " " * (head.end() - head.start())
            text = text[:head.start()] + blank + text[head.end():]
            folded = folded[:head.start()] + blank + folded[head.end():]
        start = 0
        for separator in [*_CLAUSES.finditer(folded), None]:
            end = separator.start() if separator is not None else len(text)
            clause, clause_folded = text[start:end], folded[start:end]
            start = separator.end() if separator is not None else end
            strip = len(clause_folded) - len(clause_folded.lstrip(" .,"))
            clause, clause_folded = clause[strip:].rstrip(" .,"), clause_folded[strip:].rstrip(" .,")
            charge = _CHARGE.search(clause_folded)
            if charge is not None:
                clause, clause_folded = clause[:charge.start()], clause_folded[:charge.start()]
            title = _TITLE.match(clause_folded)
            chief = _CHIEF.match(clause_folded)
            # "Chánh Thanh tra Bộ": the chief of the inspectorate (or office) named after the title,
            # that body itself when it is registered, else the body the rest names.
            headed = self.classify(clause[chief.end():]).targets if chief is not None else ()
            clause = clause[title.end():] if title is not None else clause
            if not clause:
                continue
            for target in headed or self.classify(clause).targets:
                if target not in found:
                    found.append(target)
        return tuple(found)

    def scan(self, paragraph: str) -> tuple[Target, ...]:
        """Units and groups named anywhere in running text, longest name first, without overlaps."""
        spelled = spelled_words(paragraph)
        tokens = [folded for folded, _printed in spelled]
        ignored = sorted((k.split() for k in self.ignored), key=len, reverse=True)
        candidates = [(k.split(), target) for k, target in self._by_length]
        found: list[Target] = []
        position = 0
        while position < len(tokens):
            step = 1
            for words in ignored:
                if tokens[position:position + len(words)] == words:
                    step = len(words)
                    break
            else:
                for name, target in candidates:
                    if tokens[position:position + len(name)] == name:
                        if target not in found and self._agrees(spelled[position:position + len(name)], target):
                            found.append(target)
                        step = len(name)
                        break
            position += step
        return tuple(found)

    # --- suggestions ------------------------------------------------------------------------------

    def suggest(self, line: str) -> Suggestion | None:
        """The registered name closest to an unknown line, by token similarity weighted towards rare
        words (place names count more than "Liên đoàn Lao động"); None when nothing is close. A name
        that lacks the body the line's qualifier names ("Vụ Pháp chế - BTC", "Văn phòng (Bộ Tài
        chính)") is never suggested: it belongs to a different body."""
        wanted = key(line).split()
        if not wanted:
            return None
        belongs_to = qualifier(line)
        best: Suggestion | None = None
        for name_key, target in self._by_length:
            if belongs_to and not _covers(name_key.split(), belongs_to):
                continue
            score = self._similarity(wanted, name_key.split())
            if best is None or score > best.score + 1e-9:
                best = Suggestion(target, self.display[target], score)
        return best if best is not None and best.score >= 0.5 else None

    def _similarity(self, a: list[str], b: list[str]) -> float:
        unknown = max(self._idf.values(), default=1.0)
        weight = self._idf.get
        matched = 0.0
        remaining = list(b)
        for token in a:
            hit = token if token in remaining else next(
                (t for t in remaining if len(t) >= 4 and difflib.SequenceMatcher(None, t, token).ratio() >= 0.8),
                None,
            )
            if hit is not None:
                remaining.remove(hit)
                matched += weight(hit, unknown)
        total = sum(weight(t, unknown) for t in a) + sum(weight(t, unknown) for t in remaining)
        return matched / total if total else 0.0

    def unknown_message(self, item: str, where: str, line: str | None = None) -> str:
        """The build report's warning for an item that reached nobody: the item, its line (when the
        item is one part of a list) and the best suggestion."""
        alias = clean_line(item)
        whole = clean_line(line) if line is not None else alias
        place = f"dòng {where}" if whole == alias else f"dòng {where} {whole!r}"
        head = f"không xác định được đơn vị nhận {alias!r} ({place})"
        suggestion = self.suggest(item)
        outside = ("nếu là nơi nhận không theo dõi Trang tin (cơ quan cấp trên, lãnh đạo cơ quan, cơ quan ngoài "
                   "hệ thống), thêm tên vào ignored_recipients")
        if suggestion is None:
            return f"{head}. Gợi ý: nếu là đơn vị nhận mới, khai báo trong mục units của portal.yml; {outside}."
        what = "đơn vị" if suggestion.target[0] == "unit" else "nhóm"
        return (f"{head}. Gợi ý: nếu đó là {suggestion.name}, thêm bí danh {alias!r} vào aliases của {what} "
                f"'{suggestion.target[1]}' trong portal.yml; {outside}.")


def routing_warnings(metadata: Metadata, resolution: Resolution) -> tuple[str, ...]:
    """Every routing warning of an accepted letter: the items that reached no unit, and a letter with no
    Kính gửi and no Nơi nhận line at all (every letter has a Nơi nhận; none read means the text was not
    read as it stands, and the letter would reach no unit's feed without a word), unless its sidecar
    declares its recipients."""
    if metadata.addressees or metadata.recipients or "recipients" in metadata.from_sidecar:
        return resolution.warnings
    return (*resolution.warnings,
            "không đọc được dòng Kính gửi hay Nơi nhận nào: văn bản được đăng nhưng không đến nguồn tin của đơn vị "
            "nào. Cần làm: kiểm tra bản PDF; nếu văn bản gửi các đơn vị, ghi 'recipients:' (danh sách mã đơn vị) "
            "trong tệp .yml cùng tên; nếu không gửi đơn vị nào, ghi 'recipients: none'")


def no_recipient(metadata: Metadata, resolution: Resolution) -> Reason | None:
    """The `no-recipient` refusal (issue 16): the letter reaches no unit while some of its addressee
    items could not be resolved, and its sidecar neither names units that resolve (those would have
    reached a unit) nor declares that it has none (`recipients: none`, or `recipients: []`). A letter
    addressed only to superiors or the office's own leadership has nothing unresolved: no refusal."""
    declared_none = "recipients" in metadata.from_sidecar and not metadata.recipients
    if not resolution.reaches_nobody_unresolved or declared_none:
        return None
    return Reason(ReasonCode.NO_RECIPIENT, "reaches no unit of portal.yml; unresolved addressee items: "
                  + "; ".join(repr(item) for item in resolution.unresolved[:10]))


# The bodies a department, inspectorate, office or portal belongs to, by the words that begin their
# names: "Ban Pháp chế Cục Thuế", "Thanh tra Bộ Y tế". Within that body its staff leave the body's
# name out ("Ban Pháp chế", then "Ban PC") or write its kind alone ("Thanh tra Bộ").
_PARENT_KINDS = ("tong cuc", "bo", "cuc", "so")
# What only exists inside another body (a subdivision), so that the name without that body still
# names it: not "Bảo hiểm xã hội Bộ Quốc phòng", a body of its own whose name without the ministry
# ("Bảo hiểm xã hội") is another body.
_SUBDIVISIONS = ("ban", "vu", "van phong", "thanh tra", "phong", "cong thong tin dien tu", "trang thong tin dien tu")
# The people's forces and the ministries that command them are one body's two names: the bodies
# of one are the bodies of the other ("BHXH Bộ Công an" for "Bảo hiểm xã hội Công an nhân dân").
_FORCES = (("cong an nhan dan", "bo cong an"), ("quan doi nhan dan", "bo quoc phong"))
# The provinces and centrally run cities, as central bodies name them: "cấp tỉnh" says the same.
_PROVINCES = re.compile(r" tinh thanh pho(?: truc thuoc trung uong)?$")
# Facilities that examine and treat patients ("cơ sở khám bệnh, chữa bệnh", the law's term) by their
# kinds: a group of some of these kinds is named by the whole term, which names every one of them.
_TREATMENT = ("co so kham benh chua benh", "co so kham chua benh")
# "Bệnh viện, viện có giường bệnh" is the set phrase for a ministry's in-patient facilities, which its
# own letters shorten to the hospitals ("Các Bệnh viện trực thuộc BYT"): the group, same qualifier.
_IN_PATIENT = "benh vien vien co giuong benh"
_TREATING_KINDS = ("vien co giuong benh", "trung tam y te", "benh vien", "phong kham", "tram y te", "benh xa",
                   "nha ho sinh")


def _variants(name_key: str, group: bool) -> list[tuple[str, bool]]:
    """Other names a clerk gives a registered body, each with whether it leaves out the body the
    name belongs to (such a form is no name under a list's head, as a name without its level):
    a subdivision without its parent body, or with the parent's kind alone ("Ban Pháp chế", "Thanh
    tra Bộ"); a body of the people's police or army by its ministry, or the other way round; "cấp
    tỉnh" for "các tỉnh, thành phố trực thuộc Trung ương"; and a group of hospitals (and other
    kinds of treating facility) by the term for all of them, with the same qualifier; a group of
    "bệnh viện, viện có giường bệnh" by the hospitals alone, with the same qualifier."""
    words = name_key.split()
    out: list[tuple[str, bool]] = []
    for sub in _SUBDIVISIONS:
        if not name_key.startswith(sub + " "):
            continue
        for at in range(max(2, len(sub.split())), len(words) - 1):  # the subdivision's own name: two words or more
            rest = " ".join(words[at:])
            parent = next((kind for kind in _PARENT_KINDS if rest.startswith(kind + " ")), None)
            if parent is not None:
                own = " ".join(words[:at])
                out += [(own, True), (f"{own} {parent}", True)]
                break
        break
    padded = f" {name_key} "
    for force, ministry in _FORCES:
        for this, other in ((force, ministry), (ministry, force)):
            if f" {this} " in padded[1:]:  # after other words: a body of the force, not the force
                out.append((padded.replace(f" {this} ", f" {other} ", 1).strip(), False))
    if _PROVINCES.search(name_key):
        out.append((_PROVINCES.sub(" cap tinh", name_key), False))
    if group:
        rest = name_key
        while kind := next((k for k in _TREATING_KINDS if rest.startswith(k + " ")), None):
            rest = rest[len(kind) + 1:]
        if rest != name_key and rest:
            out += [(f"{term} {rest}", False) for term in _TREATMENT]
        if name_key.startswith(_IN_PATIENT + " ") and name_key != _IN_PATIENT:
            out.append((f"benh vien {name_key[len(_IN_PATIENT) + 1:]}", False))
    return [(form, partial) for form, partial in out if form != name_key and len(form.split()) >= 2]


# Words that place a body rather than name it: a reading of initials must write out more than these.
_LEVEL_WORDS = frozenset({"tinh", "huyen", "thanh", "pho", "thi", "xa", "quan", "phuong", "tran", "trung", "uong"})
_MAX_KINDS = 5  # kinds of body a group's name lists, at most, for naming it by some of them
_MAX_NAME_WORDS = 24  # a registered name's words, at most, for reading initials against it


# A folded Vietnamese syllable, as the onsets, vowels and finals of the language allow: a token that
# is not one ("tt", "cn", "gsql", "tbyt") can only be initials.
_WORD = re.compile(r"(?:ngh|ch|gh|gi|kh|ng|nh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?")


def _spelled_out(tokens: tuple[str, ...], words: tuple[str, ...], capitals: set[str]) -> list[tuple[int, ...]]:
    """The ways `tokens` write the name `words` with runs of two words or more as their initials ("và"
    left out of a run's initials), each as the positions of the tokens written out; at most a few."""
    readings: list[tuple[int, ...]] = []

    def walk(i: int, j: int, written: tuple[int, ...]) -> None:
        if len(readings) >= 4:
            return
        if i == len(tokens) or j == len(words):
            if i == len(tokens) and j == len(words):
                readings.append(written)
            return
        token = tokens[i]
        if token == words[j]:
            walk(i + 1, j + 1, (*written, i))
        if _WORD.fullmatch(token) and token not in capitals:
            return
        letters = ""
        for k in range(j, len(words)):
            if words[k] != "va":
                letters += words[k][0]
            if k > j and letters == token:
                walk(i + 1, k + 1, written)
            if len(letters) > len(token) or not token.startswith(letters):
                break

    walk(0, 0, ())
    return readings


# A Vietnamese syllable, roughly: a word that is not initials (the consonant clusters initials make,
# "pt", "th" alone excepted, are rare as syllables of a name).
_SYLLABLE = re.compile(r"[bcdghklmnpqrstvx]{0,3}[aeiouy]+[cghmnpt]{0,2}")


def _localities(names: dict[str, Target]) -> tuple[str, ...]:
    """The places registered names end with after "tỉnh" ("... tỉnh Quảng Ngãi" -> "quang ngai"),
    longest first."""
    found = set()
    for name_key in names:
        words = name_key.split()
        if "tinh" in words[:-1]:
            rest = words[len(words) - 1 - words[::-1].index("tinh") + 1:]
            if 1 <= len(rest) <= 3 and rest[0] != "uy":
                found.add(" ".join(rest))
    return tuple(sorted(found, key=lambda f: (-len(f), f)))


def own_city(organisation: str) -> str | None:
    """The city a city's office belongs to, as its name says ("Ủy ban nhân dân thành phố Cần Thơ" ->
    "can tho"; a province's city for that city's own office alike): its bodies are "... thành phố
    Cần Thơ", which its letters leave out as a province's leave out "tỉnh Quảng Ngãi". None for a
    province's office, where a "thành phố X" is one of the province's cities ("UBND thành phố Quảng
    Ngãi"), never its level."""
    words = key(organisation).split()
    for i in range(len(words) - 2):
        if words[i:i + 2] == ["thanh", "pho"]:
            rest = words[i + 2:]
            if 1 <= len(rest) <= 3 and not _KINDS_OF_PLACE & set(rest) and rest[0] not in ("uy", "truc"):
                return " ".join(rest)
    return None


def article_text(text: str, number: int) -> str | None:
    """The paragraph of "Điều <number>." in a document's text, up to the next article, a blank line or
    "Nơi nhận", as printed; None when the text has no such article."""
    printed = canonical(text)
    folded = fold_aligned(printed)
    start = re.search(rf"(?m)^[ \t]*dieu[ \t]*{number}[ \t]*[.:]", folded)  # "Điều 3.", "Điều3."
    if start is None:
        return None
    rest = folded[start.end():start.end() + _PARAGRAPH_LIMIT]
    first_break = rest.find("\n")
    stop = None
    if first_break >= 0:
        stop = re.search(r"(?m)^[ \t]*(?:dieu[ \t]*\d+[ \t]*[.:]|\S{0,3}oi[ \t]+nh[a-z]n\b|$)", rest[first_break + 1:])
    end = first_break + 1 + stop.start() if stop is not None and first_break >= 0 else len(rest)
    closing = rest.find("./.", 0, end)  # the body's last words end with "./.": nothing after it is charged
    offset = start.end()
    return printed[offset:offset + (closing if closing >= 0 else end)]


def _weights(names: dict[str, Target]) -> dict[str, float]:
    """Inverse document frequency of each token over the registered names."""
    counts: dict[str, int] = {}
    for name_key in names:
        for token in set(name_key.split()):
            counts[token] = counts.get(token, 0) + 1
    total = max(1, len(names))
    return {token: math.log(1 + total / count) for token, count in counts.items()}


def _covers(name: list[str], belongs_to: tuple[str, ...]) -> bool:
    """Whether a name's words say every qualifier word, spelled out or as the initials of a run of
    words ("btc": "bo tai chinh")."""
    runs = {"".join(w[0] for w in name[i:j] if w != "va")
            for i in range(len(name)) for j in range(i + 2, len(name) + 1)}
    return all(word in name or word in runs for word in belongs_to)


# The title of a body's head at the start of a list's part: "Thủ trưởng", "Giám đốc", "Chủ tịch" then
# the body; "Bộ trưởng", "Cục trưởng", "Vụ trưởng" then the body or nothing (the kind of body it heads).
_HEAD_TITLE = re.compile(r"^(?:cac )?(?:pho )?(?:thu truong|giam doc|chu tich|tong giam doc|truong ban) (?=\S)")
_HEAD_SEPARATOR = re.compile(r"[,;]")
_HEAD_OF = re.compile(r"^(?:cac )?(?:pho )?(tong cuc|bo|cuc|vu|vien) truong(?: |$)")


def _bodies_headed(line: str) -> str | None:
    """A list whose every part opens with the title of a body's head, as the bodies those heads head:
    "Bộ trưởng, Thủ trưởng cơ quan ngang Bộ" -> "Bộ, cơ quan ngang Bộ" (the Prime Minister's letters
    to the ministries). None unless there are two parts or more, each a head's title (a letter to
    "Bộ trưởng" alone is to one minister, as ignored recipients name him)."""
    text = _BULLET.sub("", canonical(drop_notes(line)))
    parts = [part for part in _split(text, _HEAD_SEPARATOR) if part.text.strip(" .")]
    if len(parts) < 2:
        return None
    bodies = []
    for part in parts:
        printed = " ".join(part.text.split())
        folded = fold_aligned(printed)
        title = _HEAD_TITLE.match(folded)
        if title is not None:
            bodies.append(printed[title.end():])
            continue
        kind = _HEAD_OF.match(folded)
        if kind is None:
            return None
        rest = printed[kind.end():].strip()
        bodies.append(rest or printed[kind.start(1):kind.end(1)])
    return ", ".join(bodies)


def _outside_brackets(text: str) -> str:
    """`text` with everything inside brackets blanked, offsets kept."""
    out = []
    depth = 0
    for char in text:
        if char == "(":
            depth += 1
        out.append(char if depth == 0 else " ")
        if char == ")" and depth:
            depth -= 1
    return "".join(out)


def _split(text: str, separator: re.Pattern[str]) -> list[_Part]:
    """The parts of `text` between separators outside brackets."""
    parts = []
    start = 0
    for found in separator.finditer(_outside_brackets(text)):
        parts.append(_Part(text[start:found.start()], start, found.start()))
        start = found.end()
    parts.append(_Part(text[start:], start, len(text)))
    return parts


def _heads(head: str) -> list[str]:
    """Keys a head before ":" lends to each part: "Các Sở" -> ["so"]; "Các sở, ngành" -> ["so nganh",
    "so", "nganh"]."""
    keys = [key(head)] + [key(part.text) for part in _split(head, _WEAK)]
    return list(dict.fromkeys(k for k in keys if k))
