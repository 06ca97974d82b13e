"""Resolve Kính gửi / Nơi nhận lines to the units of portal.yml.

Matching is on accent-folded, punctuation-free text, with the usual abbreviations expanded, so
"LĐLĐ huyện Châu Thành;", "Liên đoàn lao động huyện Chau Thanh" and "- LĐLĐ HUYỆN CHÂU THÀNH,"
are the same unit. "Như trên" / "Như kính gửi" mean the addressees; "Lưu ..." means nobody outside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .config import PortalConfig
from .normalize import fold

_ABBREVIATIONS = (
    (r"\bldld\b", "lien doan lao dong"),
    (r"\bcdcs\b", "cong doan co so"),
    (r"\bcdvc\b", "cong doan vien chuc"),
    (r"\bcdckcn\b", "cong doan cac khu cong nghiep"),
    (r"\bkcn\b", "khu cong nghiep"),
    (r"\bcd\b", "cong doan"),
    (r"\bbtv\b", "ban thuong vu"),
    (r"\btp\b", "thanh pho"),
    (r"\bctcp\b", "cong ty co phan"),
    (r"\bcp\b", "co phan"),
)
_SAME_AS_ADDRESSEES = ("nhu tren", "nhu kinh gui")


def key(text: str) -> str:
    """Comparable form of a unit name."""
    folded = fold(text)
    folded = re.sub(r"\(.*?\)", " ", folded)  # "(b/c)", "(để biết)"
    folded = re.sub(r"[^a-z0-9]+", " ", folded)
    for pattern, replacement in _ABBREVIATIONS:
        folded = re.sub(pattern, replacement, folded)
    return " ".join(folded.split())


@dataclass(frozen=True)
class Resolution:
    units: tuple[str, ...]  # unit ids, in registry order
    groups: tuple[str, ...]  # group ids named directly
    unmatched: tuple[str, ...]  # lines that named nobody we know


class UnitIndex:
    def __init__(self, config: PortalConfig) -> None:
        self.config = config
        self.order = {unit.id: index for index, unit in enumerate(config.units)}
        self.names: dict[str, tuple[str, str]] = {}  # key -> ("unit"|"group", id)
        for unit in config.units:
            for name in (unit.name, *unit.aliases):
                self.names[key(name)] = ("unit", unit.id)
        for group in config.groups:
            for name in (group.name, *group.aliases):
                self.names[key(name)] = ("group", group.id)
        self.members = {
            group.id: tuple(u.id for u in config.units if group.id in u.groups) for group in config.groups
        }

    def lookup(self, line: str) -> tuple[str, str] | None:
        wanted = key(line)
        if not wanted:
            return None
        if wanted in self.names:
            return self.names[wanted]
        # "Thường trực LĐLĐ huyện Châu Thành" contains a known name as a whole phrase: the longest wins.
        best: tuple[int, tuple[str, str]] | None = None
        for name_key, target in self.names.items():
            if re.search(rf"(^| ){re.escape(name_key)}( |$)", wanted) and (best is None or len(name_key) > best[0]):
                best = (len(name_key), target)
        return best[1] if best else None

    def resolve(self, addressees: tuple[str, ...], recipients: tuple[str, ...]) -> Resolution:
        units: set[str] = set()
        groups: set[str] = set()
        unmatched: list[str] = []
        lines = list(addressees)
        for line in recipients:
            folded = key(line)
            if folded.startswith(_SAME_AS_ADDRESSEES):
                continue  # already counted: the addressees are resolved anyway
            if folded.startswith("luu"):
                continue  # "Lưu: VT, VP": the office's own archive
            lines.append(line)
        for position, line in enumerate(lines):
            found = self.lookup(line)
            if found is None:
                # Nơi nhận also lists superiors "(b/c)" and the office's own leadership, who are not
                # subordinate units: only an unknown Kính gửi line is worth the clerk's attention.
                if position < len(addressees):
                    unmatched.append(line)
            elif found[0] == "unit":
                units.add(found[1])
            else:
                groups.add(found[1])
                units.update(self.members.get(found[1], ()))
        ordered = tuple(sorted(units, key=lambda u: self.order[u]))
        return Resolution(ordered, tuple(sorted(groups)), tuple(unmatched))
