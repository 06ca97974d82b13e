"""The clerk's escape hatch: an optional `name.yml` beside `name.pdf` that sets or corrects fields.

Every mistake is reported at once, naming the file, the key and the fix. A sidecar can add a secrecy
mark but never remove one; it can override a false `excluded-category` refusal only with an explicit
declaration of who decided and why, which the document's page then shows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pipeline.decide.policy import OVERRIDABLE
from pipeline.normalize import canonical
from pipeline.records import Metadata, PublicationOverride, Reference, SignerBlock

Override = PublicationOverride

URGENCIES = {"khẩn": "Khẩn", "thượng khẩn": "Thượng khẩn", "hỏa tốc": "Hỏa tốc", "hoả tốc": "Hỏa tốc"}
SECRECY = {"mật": "MẬT", "tối mật": "TỐI MẬT", "tuyệt mật": "TUYỆT MẬT"}

# sidecar key -> (Metadata field, kind, Vietnamese hint)
TEXT_FIELDS = {
    "number": ("number", "số, ký hiệu, ví dụ: number: 78/LĐLĐ"),
    "place": ("place", "địa danh, ví dụ: place: Mẫu Sơn"),
    "issuer": ("organ_name", "cơ quan ban hành"),
    "parent_issuer": ("parent_organ", "cơ quan chủ quản"),
    "type": ("type_name", "loại văn bản, ví dụ: type: Kế hoạch"),
    "subject": ("subject", "trích yếu"),
}
LIST_FIELDS = {
    "addressees": ("addressees", "danh sách Kính gửi, mỗi dòng bắt đầu bằng '- '"),
    "recipients": ("recipients", "danh sách Nơi nhận, mỗi dòng bắt đầu bằng '- '"),
}
OTHER_KEYS = {"date", "signer", "urgency", "secrecy", "references", "override", "replaces"}


@dataclass(frozen=True)
class Sidecar:
    path: str
    values: tuple[tuple[str, Any], ...]  # Metadata field name -> value
    override: Override | None = None
    replaces: str | None = None


@dataclass(frozen=True)
class SidecarError:
    path: str
    problems: tuple[str, ...]


class _TextDatesLoader(yaml.SafeLoader):
    """YAML without implicit timestamps: "2026-02-30" stays text, so we can say what is wrong with it."""


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def sidecar_path(pdf: Path) -> Path:
    return pdf.with_suffix(".yml")


def load_sidecar(pdf: Path, root: Path) -> Sidecar | SidecarError | None:
    path = sidecar_path(pdf)
    if not path.is_file():
        return None
    relative = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_TextDatesLoader)  # a SafeLoader subclass
    except (yaml.YAMLError, UnicodeDecodeError, ValueError) as exc:
        return SidecarError(relative, (f"tệp khai báo không đúng cú pháp YAML: {exc}",))
    return parse_sidecar(raw, relative)


def parse_sidecar(raw: Any, relative: str) -> Sidecar | SidecarError:
    problems: list[str] = []
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        return SidecarError(relative, ("tệp khai báo phải là các dòng 'khóa: giá trị'",))
    values: dict[str, Any] = {}
    known = set(TEXT_FIELDS) | set(LIST_FIELDS) | OTHER_KEYS
    for key in raw:
        if key not in known:
            problems.append(f"khóa '{key}' không hợp lệ; các khóa được dùng: {', '.join(sorted(known))}")
    for key, (name, hint) in TEXT_FIELDS.items():
        if key in raw:
            value = raw[key]
            if isinstance(value, int | float) and key == "number":
                value = str(value)
            if not isinstance(value, str) or not value.strip():
                problems.append(f"khóa '{key}' phải là một chuỗi chữ ({hint})")
            else:
                values[name] = canonical(value.strip())
    for key, (name, hint) in LIST_FIELDS.items():
        if key in raw:
            value = raw[key]
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                problems.append(f"khóa '{key}' phải là {hint}")
            else:
                values[name] = tuple(canonical(v.strip()) for v in value)
    if "date" in raw:
        day = _date(raw["date"])
        if day is None:
            problems.append(f"khóa 'date': '{raw['date']}' không phải ngày có thật; viết theo dạng date: 2026-11-03")
        else:
            values["issued_date"] = day
    if "urgency" in raw:
        if raw["urgency"] is None:
            values["urgency"] = None
        else:
            _choice(raw, "urgency", URGENCIES, values, problems,
                    "khóa 'urgency' chỉ nhận: Khẩn, Thượng khẩn, Hỏa tốc (hoặc để trống)")
    if "secrecy" in raw:
        _choice(raw, "secrecy", SECRECY, values, problems,
                "khóa 'secrecy' chỉ nhận: MẬT, TỐI MẬT, TUYỆT MẬT; không thể dùng để xóa dấu mật")
    if "signer" in raw:
        signer = raw["signer"]
        allowed = {"name", "title", "authority"}
        if not isinstance(signer, dict) or set(signer) - allowed or not all(
            isinstance(v, str) and v.strip() for v in signer.values()
        ):
            problems.append("khóa 'signer' phải có dạng: signer: {name: Nguyễn Văn An, title: CHỦ TỊCH, authority: TM. BAN THƯỜNG VỤ}")
        else:
            values["signer"] = {k: canonical(v.strip()) for k, v in signer.items()}
    if "references" in raw:
        refs = raw["references"]
        if not isinstance(refs, list) or not all(isinstance(r, str) and r.strip() for r in refs):
            problems.append("khóa 'references' phải là danh sách số, ký hiệu văn bản được dẫn, ví dụ: - 71/TB-LĐLĐ")
        else:
            values["references"] = tuple(Reference(canonical(r.strip())) for r in refs)
    override = _override(raw.get("override"), problems) if "override" in raw else None
    replaces = raw.get("replaces")
    if replaces is not None and (not isinstance(replaces, str) or not replaces.strip()):
        problems.append("khóa 'replaces' phải là số, ký hiệu của văn bản được thay thế, ví dụ: replaces: 78/LĐLĐ")
        replaces = None
    if problems:
        return SidecarError(relative, tuple(problems))
    return Sidecar(relative, tuple(values.items()), override, canonical(replaces.strip()) if replaces else None)


def _choice(raw: dict[str, Any], key: str, table: dict[str, str], values: dict[str, Any],
            problems: list[str], hint: str) -> None:
    """A value from a closed list, spelled in any case or tone-mark style."""
    value = raw[key]
    folded = canonical(value.strip()).lower() if isinstance(value, str) else None
    if folded in table:
        values[key] = table[folded]
    else:
        problems.append(hint)


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        for parse in (dt.date.fromisoformat, lambda s: dt.datetime.strptime(s, "%d/%m/%Y").date()):
            try:
                return parse(text)
            except ValueError:
                continue
    return None


def _override(raw: Any, problems: list[str]) -> Override | None:
    form = "override: {rules: [excluded-category], decided_by: <họ tên, chức vụ>, reason: <lý do>, date: 2026-11-03}"
    if not isinstance(raw, dict):
        problems.append(f"khóa 'override' phải có dạng {form}")
        return None
    unknown = set(raw) - {"rules", "decided_by", "reason", "date"}
    if unknown:
        problems.append(f"khóa 'override' có trường lạ {sorted(unknown)}; dạng đúng: {form}")
    rules = raw.get("rules")
    if not isinstance(rules, list) or not rules or not all(isinstance(r, str) for r in rules):
        problems.append(f"'override.rules' phải liệt kê quy tắc được bỏ qua; dạng đúng: {form}")
        rules = []
    for rule in rules:
        if rule == "secret":
            problems.append("không thể bỏ qua quy tắc 'secret': văn bản mật tuyệt đối không được đăng")
        elif rule not in OVERRIDABLE:
            problems.append(f"quy tắc '{rule}' không thể bỏ qua bằng tệp khai báo (chỉ: {', '.join(sorted(OVERRIDABLE))})")
    decided_by, reason = raw.get("decided_by"), raw.get("reason")
    if not isinstance(decided_by, str) or not decided_by.strip():
        problems.append("'override.decided_by' phải ghi họ tên, chức vụ người quyết định")
    if not isinstance(reason, str) or len(reason.strip()) < 10:
        problems.append("'override.reason' phải ghi rõ lý do (ít nhất một câu)")
    day = _date(raw["date"]) if "date" in raw else None
    if "date" in raw and day is None:
        problems.append("'override.date' không phải ngày có thật; viết theo dạng 2026-11-03")
    if not isinstance(decided_by, str) or not isinstance(reason, str):
        return None
    return Override(tuple(rules), decided_by.strip(), reason.strip(), day)


def apply_sidecar(metadata: Metadata, sidecar: Sidecar) -> Metadata:
    """Fields from the sidecar win; a secrecy mark can only be added, never removed."""
    changes: dict[str, Any] = {}
    marks = metadata.marks
    names = []
    for name, value in sidecar.values:
        names.append(name)
        if name == "urgency":
            marks = dataclasses.replace(marks, urgency=value)
        elif name == "secrecy":
            marks = dataclasses.replace(marks, secrecy=marks.secrecy or value,
                                        evidence=(*marks.evidence, f"{sidecar.path}: secrecy: {value}"))
        elif name == "signer":
            current = metadata.signer
            changes["signer"] = SignerBlock(
                authority=value.get("authority", current.authority),
                position=value.get("title", current.position),
                full_name=value.get("name", current.full_name),
            )
        else:
            changes[name] = value
    if "number" in changes:
        number = changes["number"]
        head, _, tail = number.partition("/")
        changes["code_number"] = head.strip() or None
        changes["code_notation"] = tail.strip() or None
    return dataclasses.replace(metadata, **changes, marks=marks,
                               from_sidecar=tuple(dict.fromkeys((*metadata.from_sidecar, *names))))
