"""Who receives, and at which official address.

Units and groups come from portal.yml (`units[].id/name/groups`, `groups[].id/name`); a unit's
address from `units[].email` there (once the portal accepts that key) or from a private file,
receipts.yml, kept outside the public site:

    units:
      ldld-chau-thanh: vanthu@chauthanh.example.vn
      cd-y-te: [vanthu@congdoanyte.example.vn, chutich@congdoanyte.example.vn]
      ldld-hoa-an:
        email: vanthu@hoaan.example.vn
        digest: true        # this unit wants non-urgent letters once a day
    holidays: [2026-09-02, 2027-01-01]   # not working days (deadlines skip them)

Unknown keys and unknown unit ids are errors, as in portal.yml.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                      r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")
UNIT_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")


class DirectoryError(Exception):
    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = tuple(problems)
        super().__init__(f"{path}: " + "; ".join(problems))


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    groups: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    digest: bool | None = None  # None: the service's mode decides


@dataclass(frozen=True)
class Directory:
    organisation: str
    units: tuple[Unit, ...]
    group_names: Mapping[str, str] = field(default_factory=dict)
    holidays: frozenset[dt.date] = frozenset()

    def unit(self, unit_id: str) -> Unit | None:
        return self._by_id().get(unit_id)

    def name(self, unit_id: str) -> str:
        unit = self.unit(unit_id)
        return unit.name if unit else unit_id

    def members(self, group_id: str) -> tuple[str, ...]:
        return tuple(u.id for u in self.units if group_id in u.groups)

    def expand(self, ids: Iterable[str]) -> tuple[str, ...]:
        """Unit ids, with every group id replaced by its members; order kept, each once."""
        out: dict[str, None] = {}
        for one in ids:
            if one in self.group_names:
                out.update(dict.fromkeys(self.members(one)))
            else:
                out[one] = None
        return tuple(out)

    def order(self, unit_id: str) -> tuple[int, str]:
        """Sort key: registry order, unknown ids last."""
        for position, unit in enumerate(self.units):
            if unit.id == unit_id:
                return (position, unit_id)
        return (len(self.units), unit_id)

    def _by_id(self) -> dict[str, Unit]:
        return {u.id: u for u in self.units}


def is_address(text: str) -> bool:
    return bool(_ADDRESS.fullmatch(text)) and len(text) <= 254


def _addresses(value: Any, where: str, problems: list[str]) -> tuple[str, ...]:
    values = value if isinstance(value, list) else [value]
    out = []
    for v in values:
        if not isinstance(v, str) or not is_address(v.strip()):
            problems.append(f"'{where}' phải là địa chỉ thư điện tử hoặc danh sách địa chỉ (đang là {v!r})")
            continue
        out.append(v.strip())
    return tuple(out)


def _load_yaml(path: Path, what: str) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DirectoryError(path, [f"không tìm thấy tệp {what}"]) from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DirectoryError(path, [f"{what} không phải YAML hợp lệ: {exc}"]) from exc


def _portal(path: Path, problems: list[str]) -> tuple[str, list[dict[str, Any]], dict[str, str]]:
    raw = _load_yaml(path, "portal.yml")
    if not isinstance(raw, dict):
        raise DirectoryError(path, ["portal.yml phải là một bảng khóa: giá trị"])
    org = raw.get("organisation") or {}
    organisation = org.get("name", "") if isinstance(org, dict) else ""
    units = raw.get("units") or []
    groups = raw.get("groups") or []
    if not isinstance(units, list) or not all(isinstance(u, dict) for u in units):
        problems.append("'units' trong portal.yml phải là danh sách đơn vị")
        units = []
    if not isinstance(groups, list) or not all(isinstance(g, dict) for g in groups):
        problems.append("'groups' trong portal.yml phải là danh sách nhóm")
        groups = []
    names = {str(g.get("id")): str(g.get("name") or g.get("id")) for g in groups if g.get("id")}
    return str(organisation or ""), units, names


def _private(path: Path, known: set[str], problems: list[str]) -> tuple[dict[str, Any], frozenset[dt.date]]:
    raw = _load_yaml(path, "receipts.yml") or {}
    if not isinstance(raw, dict):
        raise DirectoryError(path, ["receipts.yml phải là một bảng khóa: giá trị"])
    for key in raw:
        if key not in ("units", "holidays"):
            problems.append(f"khóa không hợp lệ '{key}' trong receipts.yml (các khóa được dùng: holidays, units)")
    entries = raw.get("units") or {}
    if not isinstance(entries, dict):
        problems.append("'units' trong receipts.yml phải là bảng mã đơn vị: địa chỉ thư")
        entries = {}
    out: dict[str, Any] = {}
    for unit_id, value in entries.items():
        if str(unit_id) not in known:
            problems.append(f"receipts.yml: mã đơn vị '{unit_id}' không có trong portal.yml")
            continue
        if isinstance(value, dict):
            for key in value:
                if key not in ("email", "digest"):
                    problems.append(f"khóa không hợp lệ 'units.{unit_id}.{key}' trong receipts.yml "
                                    "(các khóa được dùng: digest, email)")
            digest = value.get("digest")
            if digest is not None and not isinstance(digest, bool):
                problems.append(f"'units.{unit_id}.digest' phải là true hoặc false")
                digest = None
            out[str(unit_id)] = (_addresses(value.get("email"), f"units.{unit_id}.email", problems), digest)
        else:
            out[str(unit_id)] = (_addresses(value, f"units.{unit_id}", problems), None)
    holidays: set[dt.date] = set()
    for day in raw.get("holidays") or []:
        if isinstance(day, dt.date):
            holidays.add(day)
        else:
            problems.append(f"'holidays' phải là danh sách ngày dạng 2026-09-02 (đang có {day!r})")
    return out, frozenset(holidays)


def load_directory(portal: Path, private: Path | None = None) -> Directory:
    """The directory from portal.yml and, if given, receipts.yml. Raises DirectoryError."""
    problems: list[str] = []
    organisation, raw_units, group_names = _portal(portal, problems)
    known = {str(u.get("id")) for u in raw_units if u.get("id")}
    extra, holidays = _private(private, known, problems) if private else ({}, frozenset[dt.date]())
    units = []
    for raw in raw_units:
        unit_id = str(raw.get("id") or "")
        if not UNIT_ID.fullmatch(unit_id):
            problems.append(f"mã đơn vị không hợp lệ trong portal.yml: {unit_id!r}")
            continue
        groups = raw.get("groups") or []
        emails = _addresses(raw["email"], f"units.{unit_id}.email", problems) if raw.get("email") else ()
        digest = None
        if unit_id in extra:
            private_emails, digest = extra[unit_id]
            emails = tuple(dict.fromkeys((*emails, *private_emails)))
        units.append(Unit(unit_id, str(raw.get("name") or unit_id), tuple(str(g) for g in groups), emails, digest))
    if problems:
        raise DirectoryError(private if private and not any("portal.yml" in p for p in problems) else portal,
                             problems)
    return Directory(organisation, tuple(units), group_names, holidays)
