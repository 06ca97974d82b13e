"""portal.yml parsed into frozen dataclasses. Unknown keys and wrong types are errors, collected
together so the office sees every mistake at once (the way MkDocs reports config errors)."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pipeline.names import key as name_key


class ConfigError(Exception):
    """portal.yml cannot be used. `problems` lists every mistake, in Vietnamese."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = tuple(problems)
        super().__init__(f"{path}: " + "; ".join(problems))


DEFAULT_PUBLISHABLE_TYPES = (
    "Giấy mời",
    "Công văn",
    "Báo cáo",
    "Chương trình",
    "Thông báo",
    "Hướng dẫn",
    "Kế hoạch",
    "Quyết định",
)


@dataclass(frozen=True)
class Organisation:
    name: str
    short_name: str
    require_organisation_signature: bool
    certificate_names: tuple[str, ...]


@dataclass(frozen=True)
class SiteSettings:
    title: str
    url: str  # absolute, ends with "/"
    description: str


@dataclass(frozen=True)
class Trust:
    root_paths: tuple[Path, ...]
    roots_pem: tuple[bytes, ...]
    require_revocation_check: bool


@dataclass(frozen=True)
class Policy:
    publishable_types: tuple[str, ...]


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    kind: str
    aliases: tuple[str, ...]
    groups: tuple[str, ...]
    parent: str | None = None


@dataclass(frozen=True)
class Group:
    id: str
    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class PortalConfig:
    root: Path  # the folder holding portal.yml
    organisation: Organisation
    site: SiteSettings
    trust: Trust
    policy: Policy
    units: tuple[Unit, ...]
    groups: tuple[Group, ...]
    # Recipients who never get a feed: superiors and the office's own leadership (units.py).
    ignored_recipients: tuple[str, ...] = ()

    @property
    def documents_dir(self) -> Path:
        return self.root / "documents"

    def trust_fingerprint(self) -> str:
        """Part of the inspection cache key: a change of trust roots re-examines every file."""
        digest = hashlib.sha256()
        for pem in self.trust.roots_pem:
            digest.update(hashlib.sha256(pem).digest())
        return digest.hexdigest()

    def with_roots(self, pems: tuple[bytes, ...], paths: tuple[Path, ...]) -> PortalConfig:
        trust = Trust(paths, pems, self.trust.require_revocation_check)
        return dataclasses.replace(self, trust=trust)


class _Reader:
    """Takes values out of a mapping, recording every problem instead of stopping at the first."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems

    def section(self, data: Any, where: str, allowed: set[str]) -> dict[str, Any]:
        if data is None:
            return {}
        if not isinstance(data, dict):
            self.problems.append(f"'{where}' phải là một bảng khóa: giá trị")
            return {}
        for key in data:
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                self.problems.append(f"khóa không hợp lệ '{where}.{key}' (các khóa được dùng: {known})")
        return data

    def text(self, data: dict[str, Any], key: str, where: str, default: str | None = None) -> str:
        value = data.get(key, default)
        if not isinstance(value, str) or not value.strip():
            self.problems.append(f"'{where}.{key}' phải là một chuỗi không rỗng")
            return default or ""
        return value.strip()

    def flag(self, data: dict[str, Any], key: str, where: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.problems.append(f"'{where}.{key}' phải là true hoặc false")
            return default
        return value

    def texts(self, data: dict[str, Any], key: str, where: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return default
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.problems.append(f"'{where}.{key}' phải là một danh sách chuỗi")
            return default
        return tuple(v.strip() for v in value)


def load_config(path: Path) -> PortalConfig:
    path = path.resolve()
    problems: list[str] = []
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(path, ["không tìm thấy tệp cấu hình"]) from exc
    except yaml.YAMLError as exc:
        raise ConfigError(path, [f"YAML không hợp lệ: {exc}"]) from exc
    r = _Reader(problems)
    top = r.section(raw, "portal.yml",
                    {"organisation", "site", "trust", "policy", "units", "groups", "ignored_recipients"})

    org_raw = r.section(top.get("organisation"), "organisation",
                        {"name", "short_name", "require_organisation_signature", "certificate_names"})
    org_name = r.text(org_raw, "name", "organisation")
    organisation = Organisation(
        name=org_name,
        short_name=r.text(org_raw, "short_name", "organisation", default=org_name or "?"),
        require_organisation_signature=r.flag(org_raw, "require_organisation_signature", "organisation", True),
        certificate_names=r.texts(org_raw, "certificate_names", "organisation", default=(org_name,)),
    )

    site_raw = r.section(top.get("site"), "site", {"title", "url", "description"})
    url = r.text(site_raw, "url", "site", default="http://localhost:8000/")
    if not url.startswith(("http://", "https://")):
        problems.append("'site.url' phải là địa chỉ tuyệt đối bắt đầu bằng http:// hoặc https://")
    site = SiteSettings(
        title=r.text(site_raw, "title", "site", default=org_name or "congbo"),
        url=url if url.endswith("/") else url + "/",
        description=r.text(site_raw, "description", "site", default=org_name or "congbo"),
    )

    trust_raw = r.section(top.get("trust"), "trust", {"roots", "require_revocation_check"})
    root_names = r.texts(trust_raw, "roots", "trust")
    if not root_names:
        problems.append("'trust.roots' phải liệt kê ít nhất một chứng thư số gốc (tệp PEM)")
    root_paths = tuple((path.parent / name).resolve() for name in root_names)
    pems: list[bytes] = []
    for root_path in root_paths:
        try:
            pem = root_path.read_bytes()
        except OSError:
            problems.append(f"không đọc được chứng thư gốc '{root_path}'")
            continue
        if b"-----BEGIN CERTIFICATE-----" not in pem:
            problems.append(f"'{root_path}' không phải chứng thư PEM")
            continue
        pems.append(pem)
    trust = Trust(root_paths, tuple(pems), r.flag(trust_raw, "require_revocation_check", "trust", False))

    policy_raw = r.section(top.get("policy"), "policy", {"publishable_types"})
    policy = Policy(r.texts(policy_raw, "publishable_types", "policy", default=DEFAULT_PUBLISHABLE_TYPES))

    groups = tuple(_groups(top.get("groups"), r))
    units = tuple(_units(top.get("units"), r, {g.id for g in groups}))
    ignored = r.texts(top, "ignored_recipients", "portal.yml")
    _check_unique_ids(units, groups, problems)

    if problems:
        raise ConfigError(path, problems)
    config = PortalConfig(path.parent, organisation, site, trust, policy, units, groups, ignored)
    problems.extend(registry_problems(config))
    if problems:
        raise ConfigError(path, problems)
    return config


# Unit and group ids name feeds and pages (feeds/<id>.xml, don-vi/<id>/): lowercase ASCII words joined by
# "-", and never one of the portal's own feed names.
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_RESERVED_IDS = frozenset({"all", "khan", "index"})
_RESERVED_PREFIX = "loai-"


def _groups(raw: Any, r: _Reader) -> list[Group]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        r.problems.append("'groups' phải là một danh sách")
        return []
    result = []
    for index, item in enumerate(raw):
        where = f"groups[{index}]"
        data = r.section(item, where, {"id", "name", "aliases"})
        result.append(Group(r.text(data, "id", where), r.text(data, "name", where), r.texts(data, "aliases", where)))
    return result


def _units(raw: Any, r: _Reader, group_ids: set[str]) -> list[Unit]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        r.problems.append("'units' phải là một danh sách")
        return []
    result = []
    for index, item in enumerate(raw):
        where = f"units[{index}]"
        data = r.section(item, where, {"id", "name", "kind", "aliases", "groups", "parent"})
        unit_groups = r.texts(data, "groups", where)
        for group in unit_groups:
            if group not in group_ids:
                r.problems.append(f"'{where}.groups' nhắc tới nhóm '{group}' chưa được khai báo trong 'groups'")
        parent = data.get("parent")
        if parent is not None and not (isinstance(parent, str) and parent.strip()):
            r.problems.append(f"'{where}.parent' phải là mã của một đơn vị")
        kind = r.text(data, "kind", where, default="unit")
        if not _ID.match(kind):
            r.problems.append(f"'{where}.kind' phải viết bằng chữ thường không dấu và dấu '-' (ví dụ district-union)")
        result.append(
            Unit(
                id=r.text(data, "id", where),
                name=r.text(data, "name", where),
                kind=kind,
                aliases=r.texts(data, "aliases", where),
                groups=unit_groups,
                parent=parent.strip() if isinstance(parent, str) and parent.strip() else None,
            )
        )
    unit_ids = {u.id for u in result}
    for unit in result:
        if unit.parent is not None and unit.parent not in unit_ids:
            r.problems.append(f"đơn vị '{unit.id}' có parent '{unit.parent}' chưa được khai báo trong 'units'")
        if unit.parent == unit.id:
            r.problems.append(f"đơn vị '{unit.id}' không thể là parent của chính nó")
    return result


def _check_unique_ids(units: tuple[Unit, ...], groups: tuple[Group, ...], problems: list[str]) -> None:
    seen: set[str] = set()
    for ident in [u.id for u in units] + [g.id for g in groups]:
        if not ident:
            continue  # already reported as a missing id
        if ident in seen:
            problems.append(f"mã đơn vị hoặc nhóm '{ident}' bị trùng")
        if not _ID.match(ident):
            problems.append(f"mã '{ident}' chỉ được gồm chữ thường không dấu, chữ số và dấu '-' "
                            "(dùng trong địa chỉ bản tin feeds/<mã>.xml)")
        elif ident in _RESERVED_IDS or ident.startswith(_RESERVED_PREFIX):
            problems.append(f"mã '{ident}' trùng tên bản tin chung của Trang tin (all, khan, index, loai-...); "
                            "hãy chọn mã khác")
        seen.add(ident)


def registry_problems(config: PortalConfig) -> list[str]:
    """Names that cannot be told apart once folded: two units (or a unit and a group) sharing a name,
    or a unit named in ignored_recipients. Reported by load_config."""
    problems = []
    seen: dict[str, tuple[str, str]] = {}
    entries = [(u.id, n) for u in config.units for n in (u.name, *u.aliases)]
    entries += [(g.id, n) for g in config.groups for n in (g.name, *g.aliases)]
    for ident, name in entries:
        folded = name_key(name)
        if not folded:
            problems.append(f"tên '{name}' của '{ident}' không có chữ nào dùng để so khớp")
            continue
        if folded in seen and seen[folded][0] != ident:
            problems.append(f"tên '{name}' của '{ident}' trùng với tên '{seen[folded][1]}' của "
                            f"'{seen[folded][0]}' (khi bỏ dấu và viết tắt)")
        seen.setdefault(folded, (ident, name))
    for name in config.ignored_recipients:
        if name_key(name) in seen:
            problems.append(f"'ignored_recipients' có '{name}', trùng tên đơn vị hoặc nhóm '{seen[name_key(name)][0]}'")
    return problems
