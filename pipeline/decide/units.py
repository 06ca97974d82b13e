"""Resolve Kính gửi / Nơi nhận lines to the units of portal.yml.

Matching is on a *key*: accent-folded, lowercase, punctuation-free text with the usual abbreviations
expanded and the plural marker "các" dropped, so "LĐLĐ huyện Châu Thành;", "Liên đoàn lao động huyện
Chau Thanh" and "- LIÊN ĐOÀN LAO ĐỘNG HUYỆN CHÂU THÀNH," are the same unit, and "Các CĐCS trực thuộc
LĐLĐ tỉnh" is the same group as "CĐCS trực thuộc LĐLĐ tỉnh".

One line, in this order:
1. "Như trên", "Như kính gửi", "Như KG" (Nơi nhận): the addressees, already counted.
2. "Lưu: VT, VP": the office's own archive, nobody outside.
3. "Như Điều 2" (quyết định): the units and groups that article of the text names.
4. A unit or group name or alias, exactly.
5. A name listed in `ignored_recipients` (superiors, the office's own leadership), exactly.
6. Several names on one line, split at "," ";" "và": every part must be known (rule 4, 7 or 8).
7. A unit or group name ending the line after a title ("Thường trực LĐLĐ huyện Châu Thành",
   "Chủ tịch CĐCS Công ty ..."). Only at the end: "Ban Tổ chức Tỉnh ủy" is not "Ban Tổ chức".
8. A line containing an ignored name ("Đồng chí Chủ tịch Ủy ban nhân dân tỉnh"), or marked
   "(b/c)" / "(để báo cáo)": a report to a superior, who has no feed here.
Anything else is unknown and the build warns, suggesting the closest registered name as an alias.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from typing import Literal

from pipeline.config import PortalConfig
from pipeline.names import BULLET as _BULLET
from pipeline.names import key
from pipeline.normalize import canonical, fold, fold_aligned

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
_SEPARATORS = re.compile(r"[,;]|\s+và\s+", re.IGNORECASE)
_ARTICLE = re.compile(r"^nhu dieu (\d{1,2})\b")
_PARAGRAPH_LIMIT = 2000  # characters of an article scanned for names

Target = tuple[str, str]  # ("unit" | "group", id)


def kind_name(kind: str) -> str:
    return KIND_NAMES.get(kind, kind)


def clean_line(line: str) -> str:
    """The line as a clerk would type it in portal.yml: no bullet, no note in brackets, no final ';'."""
    text = _BULLET.sub("", canonical(line))
    text = re.sub(r"\(.*?\)", " ", text)
    return " ".join(text.split()).strip(" ;,.:")


Verdict = Literal["unit", "group", "several", "addressees", "archive", "article", "outside", "unknown", "empty"]


@dataclass(frozen=True)
class LineMatch:
    verdict: Verdict
    targets: tuple[Target, ...] = ()  # for "unit", "group" and "several"
    article: int | None = None  # for "article": the number in "Như Điều 2"

    @property
    def target(self) -> Target | None:
        """The one unit or group the line names; None for none or several."""
        return self.targets[0] if len(self.targets) == 1 else None


@dataclass(frozen=True)
class Resolution:
    units: tuple[str, ...]  # unit ids, in registry order
    groups: tuple[str, ...]  # group ids named (directly or through "Như Điều N"), in registry order
    unmatched: tuple[str, ...]  # lines that named nobody we know
    outside: tuple[str, ...] = ()  # lines naming superiors or ignored recipients
    warnings: tuple[str, ...] = ()  # Vietnamese messages for the build report, with suggestions


@dataclass(frozen=True)
class Suggestion:
    target: Target
    name: str
    score: float


class UnitIndex:
    def __init__(self, config: PortalConfig) -> None:
        self.config = config
        self.order = {unit.id: index for index, unit in enumerate(config.units)}
        self.group_order = {group.id: index for index, group in enumerate(config.groups)}
        self.display = {("unit", u.id): u.name for u in config.units} | {
            ("group", g.id): g.name for g in config.groups
        }
        self.names: dict[str, Target] = {}  # key -> target
        for unit in config.units:
            for name in (unit.name, *unit.aliases):
                self.names.setdefault(key(name), ("unit", unit.id))
        for group in config.groups:
            for name in (group.name, *group.aliases):
                self.names.setdefault(key(name), ("group", group.id))
        self.names.pop("", None)
        self.ignored = frozenset(k for k in map(key, config.ignored_recipients) if k)
        self.members = {
            group.id: tuple(u.id for u in config.units if group.id in u.groups) for group in config.groups
        }
        # Longest names first, for "ends with" and for scanning articles.
        self._by_length = sorted(self.names.items(), key=lambda item: (-len(item[0]), item[0]))
        self._idf = _weights(self.names)
        # The same few hundred lines ("Như trên", "Lưu: VT", unit names) recur in every document:
        # classified once per build, not once per document (10,000 documents: about 40,000 lines).
        self._classified: dict[str, LineMatch] = {}

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
        if wanted in self.names:
            return self._target(self.names[wanted])
        if wanted in self.ignored:
            return LineMatch("outside")
        several = self._several(line)
        if several is not None:
            return several
        named = self._name_at_end(wanted)
        if named is not None:
            return self._target(named)
        if self._outside(wanted, line):
            return LineMatch("outside")
        return LineMatch("unknown")

    def _name_at_end(self, wanted: str) -> Target | None:
        """The longest unit or group name that ends the line after other words (a title)."""
        for name_key, target in self._by_length:
            if wanted.endswith(" " + name_key):
                return target
        return None

    def _outside(self, wanted: str, line: str) -> bool:
        padded = f" {wanted} "
        return any(f" {ignored} " in padded for ignored in self.ignored) or bool(_TO_SUPERIOR.search(fold(line)))

    def _several(self, line: str) -> LineMatch | None:
        """"LĐLĐ huyện Châu Thành, LĐLĐ huyện Hòa An" on one line: every part must be known, else None
        (so that "LĐLĐ huyện Châu Thành, Hòa An" is reported rather than half resolved)."""
        parts = [part for part in _SEPARATORS.split(canonical(line)) if key(part)]
        if len(parts) < 2:
            return None
        targets: list[Target] = []
        for part in parts:
            part_key = key(part)
            target = self.names.get(part_key) or self._name_at_end(part_key)
            if target is None and not (part_key in self.ignored or self._outside(part_key, part)):
                return None
            if target is not None and target not in targets:
                targets.append(target)
        if not targets:
            return LineMatch("outside")
        if len(targets) == 1:
            return self._target(targets[0])
        return LineMatch("several", tuple(targets))

    def lookup(self, line: str) -> Target | None:
        """("unit" | "group", id) that a line names, or None."""
        return self.classify(line).target

    def _target(self, target: Target) -> LineMatch:
        return LineMatch("unit" if target[0] == "unit" else "group", (target,))

    # --- a document -------------------------------------------------------------------------------

    def resolve(self, addressees: tuple[str, ...], recipients: tuple[str, ...], text: str = "") -> Resolution:
        """Units a document reaches, from its Kính gửi and Nơi nhận lines (and, for "Như Điều N",
        its text)."""
        units: set[str] = set()
        groups: set[str] = set()
        unmatched: list[str] = []
        outside: list[str] = []
        warnings: list[str] = []
        warned: set[str] = set()

        def reach(target: Target) -> None:
            if target[0] == "unit":
                units.add(target[1])
            else:
                groups.add(target[1])
                units.update(self.members.get(target[1], ()))

        lines = [("Kính gửi", line) for line in addressees] + [("Nơi nhận", line) for line in recipients]
        for where, line in lines:
            match = self.classify(line)
            if match.targets:
                for target in match.targets:
                    reach(target)
            elif match.verdict == "outside":
                outside.append(line)
            elif match.verdict == "addressees" and not addressees and "nhu-tren" not in warned:
                warned.add("nhu-tren")
                warnings.append(f"Nơi nhận ghi {clean_line(line)!r} nhưng không đọc được dòng Kính gửi nào; "
                                "văn bản chưa đến được đơn vị nhận nào qua dòng này")
            elif match.verdict == "article" and match.article is not None:
                named = self.scan(article_text(text, match.article) or "")
                if named:
                    for target in named:
                        reach(target)
                else:
                    warnings.append(f"Nơi nhận ghi {clean_line(line)!r} nhưng Điều {match.article} của văn bản "
                                    "không nêu đơn vị nào có trong portal.yml (hoặc không tìm thấy Điều này)")
            elif match.verdict == "unknown":
                unmatched.append(line)
                if key(line) not in warned:
                    warned.add(key(line))
                    warnings.append(self.unknown_message(line, where))
        return Resolution(
            units=tuple(sorted(units, key=self.order.__getitem__)),
            groups=tuple(sorted(groups, key=self.group_order.__getitem__)),
            unmatched=tuple(unmatched),
            outside=tuple(outside),
            warnings=tuple(warnings),
        )

    def scan(self, paragraph: str) -> tuple[Target, ...]:
        """Units and groups named anywhere in running text, longest name first, without overlaps."""
        tokens = key(paragraph).split()
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
                for words, target in candidates:
                    if tokens[position:position + len(words)] == words:
                        if target not in found:
                            found.append(target)
                        step = len(words)
                        break
            position += step
        return tuple(found)

    # --- suggestions ------------------------------------------------------------------------------

    def suggest(self, line: str) -> Suggestion | None:
        """The registered name closest to an unknown line, by token similarity weighted towards rare
        words (place names count more than "Liên đoàn Lao động"); None when nothing is close."""
        wanted = key(line).split()
        if not wanted:
            return None
        best: Suggestion | None = None
        for name_key, target in self._by_length:
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

    def unknown_message(self, line: str, where: str) -> str:
        alias = clean_line(line)
        head = f"không xác định được đơn vị nhận {alias!r} (dòng {where})"
        suggestion = self.suggest(line)
        outside = ("nếu là nơi nhận không theo dõi Trang tin (cơ quan cấp trên, lãnh đạo cơ quan, cơ quan ngoài "
                   "hệ thống), thêm tên vào ignored_recipients")
        if suggestion is None:
            return f"{head}. Gợi ý: nếu là đơn vị nhận mới, khai báo trong mục units của portal.yml; {outside}."
        what = "đơn vị" if suggestion.target[0] == "unit" else "nhóm"
        return (f"{head}. Gợi ý: nếu đó là {suggestion.name}, thêm bí danh {alias!r} vào aliases của {what} "
                f"'{suggestion.target[1]}' trong portal.yml; {outside}.")


def article_text(text: str, number: int) -> str | None:
    """The paragraph of "Điều <number>." in a document's text, up to the next article, a blank line or
    "Nơi nhận"; None when the text has no such article."""
    folded = fold_aligned(canonical(text))
    start = re.search(rf"(?m)^[ \t]*dieu[ \t]+{number}[ \t]*[.:]", folded)
    if start is None:
        return None
    rest = folded[start.end():start.end() + _PARAGRAPH_LIMIT]
    first_break = rest.find("\n")
    stop = None
    if first_break >= 0:
        stop = re.search(r"(?m)^[ \t]*(?:dieu[ \t]+\d+[ \t]*[.:]|noi nhan|$)", rest[first_break + 1:])
    end = first_break + 1 + stop.start() if stop is not None and first_break >= 0 else len(rest)
    return rest[:end]


def _weights(names: dict[str, Target]) -> dict[str, float]:
    """Inverse document frequency of each token over the registered names."""
    counts: dict[str, int] = {}
    for name_key in names:
        for token in set(name_key.split()):
            counts[token] = counts.get(token, 0) + 1
    total = max(1, len(names))
    return {token: math.log(1 + total / count) for token, count in counts.items()}
