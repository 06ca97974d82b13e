"""The clerk's escape hatch: an optional `name.yml` beside `name.pdf` that sets or corrects fields.

Every mistake is reported at once, naming the file, the key and the fix. A sidecar can add a secrecy
mark but never remove one; `secrecy: none` is a person's declaration (who, when) that pages nobody
could read hold no secret, never a way to lift a mark that was found. It can override a false
`excluded-category` refusal only with an explicit declaration of who decided and why, and list the
embedded files the office decided may be published (`attachments:`); the document's page shows all
of them.

The file is written by hand and read from the repository, so it is read defensively: `.yml` or
`.yaml` in any case, one per PDF; a file that only looks like one (`name.pdf.yml`, `name.yml.txt`,
`Name.yml` for `name.pdf`) refuses the PDF, since it may say `secrecy: MẬT`; at most 64 KiB, never
through a symbolic link, no YAML anchors, aliases or merge keys, no duplicate keys, shallow nesting.
A value quoted back in a message is shortened and stripped of control characters.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipeline.decide.policy import OVERRIDABLE
from pipeline.normalize import canonical
from pipeline.records import (
    AttachmentApproval,
    Metadata,
    PublicationOverride,
    Reference,
    SecrecyDeclaration,
    SignerBlock,
)

Override = PublicationOverride

URGENCIES = {"khẩn": "Khẩn", "thượng khẩn": "Thượng khẩn", "hỏa tốc": "Hỏa tốc", "hoả tốc": "Hỏa tốc"}
SECRECY = {"mật": "MẬT", "tối mật": "TỐI MẬT", "tuyệt mật": "TUYỆT MẬT"}
NO_SECRET = frozenset({"none", "không", "không mật"})  # `secrecy: none`: a declaration, with decided_by

SUFFIXES = (".yml", ".yaml")  # in any case
# A sidecar is read without following a link and without waiting on a pipe or device.
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
MAX_BYTES = 64 * 1024  # a clerk's sidecar is a few hundred bytes
MAX_DEPTH = 6  # deepest legitimate nesting: the document, attachments:, one entry, its value
MAX_PERSON = 200  # decided_by: a name and a title
MAX_NOTE = 1000
SHOWN = 60  # characters of a clerk's value quoted back in a message

# sidecar key -> (Metadata field, Vietnamese hint)
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
    "recipients": ("recipients", "danh sách Nơi nhận, mỗi dòng bắt đầu bằng '- ' (hoặc recipients: none khi văn bản không gửi đơn vị nào)"),
}
DECLARATION_KEYS = {"decided_by", "decided_on", "note"}  # only with `secrecy: none`
NO_RECIPIENTS = frozenset({"none", "không", "không có"})  # `recipients: none`
OTHER_KEYS = {"date", "signer", "urgency", "secrecy", "references", "override", "replaces", "attachments",
              *DECLARATION_KEYS}


@dataclass(frozen=True)
class Sidecar:
    path: str
    values: tuple[tuple[str, Any], ...]  # Metadata field name -> value
    override: Override | None = None
    replaces: str | None = None
    declaration: SecrecyDeclaration | None = None  # `secrecy: none` + decided_by
    attachments: tuple[AttachmentApproval, ...] = ()  # `attachments:`


@dataclass(frozen=True)
class SidecarError:
    path: str
    problems: tuple[str, ...]


def shown(value: object, limit: int = SHOWN) -> str:
    """A clerk's value, safe to quote in a message: no control or format characters (a newline, a
    right-to-left override), at most `limit` characters."""
    text = value if isinstance(value, str) else repr(value)
    text = text[: limit * 4]  # enough to fill `limit` after cleaning, without walking 64 KiB
    cleaned = "".join(" " if ch.isspace() else "\ufffd" if unicodedata.category(ch).startswith("C") else ch
                      for ch in text)
    cleaned = " ".join(cleaned.split())
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


# --- finding the sidecar ------------------------------------------------------------------------------

_YAML_WORD = re.compile(r"\.\s*ya?ml", re.IGNORECASE)
_PDF_TAIL = re.compile(r"\.\s*pdf\s*$", re.IGNORECASE)


def stem_key(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


def sidecar_stem_key(name: str) -> str | None:
    """The PDF stem a file name seems to be the sidecar of ("Name .PDF.yml~" -> "name"), or None."""
    if name.lower().endswith(".pdf"):
        return None
    found = _YAML_WORD.search(name)
    if found is None:
        return None
    return stem_key(_PDF_TAIL.sub("", name[: found.start()]))


class Neighbours:
    """Names in the folders of the documents, listed once per folder: one decide() pass asks for the
    sidecar of every PDF, and a folder may hold thousands. Not kept between builds."""

    def __init__(self) -> None:
        self._folders: dict[Path, dict[str, tuple[str, ...]]] = {}
        self._parents: dict[tuple[Path, str], Path] = {}  # (root, "a/b/") -> root / "a/b"

    def like(self, folder: Path, stem: str) -> tuple[str, ...]:
        """Names in `folder` that look like a sidecar of a PDF named `stem`, in any spelling."""
        index = self._index(folder)
        return index.get(stem_key(stem), ()) if index else ()

    def state(self, root: Path, path: str) -> tuple[tuple[object, ...], ...]:
        """sidecar_state(root / path, self), without a Path per file where nothing in its folder
        looks like a sidecar (nearly every folder: 10,000 paths made and taken apart at each build)."""
        cut = path.rfind("/") + 1
        name = path[cut:]
        # A name ending in .pdf is never "", "." or "..": root / path is then root / path[:cut] / name.
        if name.lower().endswith(".pdf") and "\\" not in path:
            key = (root, path[:cut])
            folder = self._parents.get(key)
            if folder is None:
                folder = self._parents[key] = (root / path).parent
            if not self._index(folder):
                return ()
        return sidecar_state(root / path, self)

    def _index(self, folder: Path) -> dict[str, tuple[str, ...]]:
        """The folder's names that look like a sidecar, by the PDF stem they seem to belong to."""
        index = self._folders.get(folder)
        if index is None:
            grouped: dict[str, list[str]] = {}
            try:
                names = sorted(os.listdir(folder))
            except OSError:
                names = []
            for name in names:
                key = sidecar_stem_key(name)
                if key is not None:
                    grouped.setdefault(key, []).append(name)
            index = self._folders[folder] = {k: tuple(v) for k, v in grouped.items()}
        return index


@dataclass(frozen=True)
class SidecarFiles:
    found: tuple[Path, ...]  # `stem.yml` / `stem.yaml`, in any case: the sidecar (two are an error)
    lookalikes: tuple[Path, ...] = field(default=())  # names that only look like one


def sidecar_files(pdf: Path, neighbours: Neighbours | None = None) -> SidecarFiles:
    names = (neighbours or Neighbours()).like(pdf.parent, pdf.stem)
    found, lookalikes = [], []
    for name in names:
        stem, dot, suffix = name.rpartition(".")
        if stem == pdf.stem and f"{dot}{suffix}".lower() in SUFFIXES:
            found.append(pdf.parent / name)
        else:
            lookalikes.append(pdf.parent / name)
    return SidecarFiles(tuple(found), tuple(lookalikes))


def sidecar_state(pdf: Path, neighbours: Neighbours) -> tuple[tuple[object, ...], ...]:
    """What load_sidecar's answer for `pdf` depends on besides the portal's root: the names beside it
    that could be its sidecar, each one's kind and inode, and a regular file's content (its digest):
    times are not enough, two writes within a clock tick leave them equal. Read without following
    links; there are as many as there are sidecars."""
    found: list[tuple[object, ...]] = []
    for name in neighbours.like(pdf.parent, pdf.stem):
        path = pdf.parent / name
        try:
            st = os.lstat(path)
            content = b""
            if stat.S_ISREG(st.st_mode):
                fd = os.open(path, _READ_FLAGS)
                with os.fdopen(fd, "rb") as handle:
                    content = handle.read(MAX_BYTES + 1)
        except OSError:
            continue
        found.append((name, st.st_mode, st.st_dev, st.st_ino, st.st_nlink, hashlib.sha256(content).hexdigest()))
    return tuple(found)


def sidecar_path(pdf: Path) -> Path:
    """Where the sidecar of `pdf` is, or where a new one goes (`name.yml`)."""
    found = sidecar_files(pdf).found
    return found[0] if len(found) == 1 else pdf.with_suffix(".yml")


# --- reading it ---------------------------------------------------------------------------------------


class UnsafeYaml(yaml.YAMLError):
    """YAML a clerk never needs and an attacker loves: anchors, aliases, merge keys, deep nesting,
    a key given twice (the second `secrecy:` would silently win)."""


class _ClerkLoader(yaml.SafeLoader):
    """SafeLoader without implicit timestamps ("2026-02-30" stays text, so we can say what is wrong
    with it), and without anything in `UnsafeYaml`."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            line = event.start_mark.line + 1 if event.start_mark else 0
            raise UnsafeYaml(f"dòng {line}: không dùng neo và bí danh YAML (& và *) trong tệp khai báo")
        if self._depth >= MAX_DEPTH:
            raise UnsafeYaml(f"các mục lồng nhau quá {MAX_DEPTH} tầng")
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise UnsafeYaml(f"dòng {key_node.start_mark.line + 1}: không dùng khóa gộp '<<' trong tệp khai báo")
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    raise UnsafeYaml(f"dòng {key_node.start_mark.line + 1}: khóa '{shown(key_node.value)}' "
                                     "được ghi hai lần; mỗi khóa chỉ ghi một lần")
                seen.add(key_node.value)
        return super().construct_mapping(node, deep)  # type: ignore[no-any-return]


_ClerkLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_sidecar(pdf: Path, root: Path, neighbours: Neighbours | None = None) -> Sidecar | SidecarError | None:
    """The sidecar of `pdf`, every problem with it, or None when there is none. Files that only look
    like a sidecar, or two sidecars, are an error: whatever they say cannot be ignored."""
    files = sidecar_files(pdf, neighbours)

    def relative(path: Path) -> str:  # a file name is the clerk's text too: no control characters
        return shown(path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path), 200)

    problems = [f"tệp '{shown(p.name, 120)}' nằm cạnh văn bản, giống tệp khai báo nhưng sai tên nên không được "
                f"đọc (tệp có thể ghi mức độ mật, nên văn bản chưa được đăng). Đổi tên thành "
                f"'{shown(pdf.stem, 120)}.yml' (đúng tên tệp PDF, chỉ thay đuôi .pdf bằng .yml), hoặc xóa tệp "
                "nếu không dùng" for p in files.lookalikes]
    if len(files.found) > 1:
        names = " và ".join(f"'{shown(p.name, 120)}'" for p in files.found)
        problems.append(f"có {len(files.found)} tệp khai báo cho cùng một văn bản: {names}; gộp nội dung vào "
                        f"một tệp '{shown(pdf.stem, 120)}.yml' và xóa các tệp kia")
    where = relative(files.found[0] if files.found else files.lookalikes[0]) if problems or files.found else ""
    if problems:
        return SidecarError(where, tuple(problems))
    if not files.found:
        return None
    text = _read_text(files.found[0], root)
    if text is None:
        return None  # removed between listing and reading
    if isinstance(text, SidecarError):
        return SidecarError(where, text.problems)
    try:
        raw = yaml.load(text, Loader=_ClerkLoader)  # a SafeLoader subclass
    except UnsafeYaml as exc:
        return SidecarError(where, (f"tệp khai báo không được chấp nhận: {exc}",))
    except yaml.MarkedYAMLError as exc:
        line = f" ở dòng {exc.problem_mark.line + 1}" if exc.problem_mark else ""
        return SidecarError(where, (f"tệp khai báo không đúng cú pháp YAML{line}: {shown(exc.problem or '', 120)}",))
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        return SidecarError(where, (f"tệp khai báo không đúng cú pháp YAML: {shown(str(exc), 120)}",))
    return parse_sidecar(raw, where)


def _read_text(path: Path, root: Path) -> str | SidecarError | None:
    """The file's text: a regular file inside the repository, read without following a link, at most
    MAX_BYTES. None when it is gone."""
    def refused(problem: str) -> SidecarError:
        return SidecarError(path.name, (problem,))

    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(info.st_mode):
        return refused("tệp khai báo là liên kết (symlink), không được đọc; chép chính tệp .yml vào cạnh văn bản")
    if not stat.S_ISREG(info.st_mode):
        return refused("tệp khai báo không phải tệp thường (thư mục hoặc tệp đặc biệt); tạo tệp .yml thường")
    if not path.resolve().is_relative_to(root.resolve()):
        return refused("tệp khai báo nằm ngoài kho (qua thư mục liên kết), không được đọc")
    too_big = (f"tệp khai báo quá lớn (hơn {MAX_BYTES // 1024} KiB); tệp khai báo chỉ gồm vài dòng "
               "'khóa: giá trị'")
    if info.st_size > MAX_BYTES:
        return refused(too_big)
    try:
        fd = os.open(path, _READ_FLAGS)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return refused(f"không mở được tệp khai báo ({shown(exc.strerror or exc)})")
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # swapped after lstat
            return refused("tệp khai báo không phải tệp thường; tạo tệp .yml thường")
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        return refused(too_big)
    try:
        return data.decode("utf-8-sig")  # Notepad on the office PC may write a BOM
    except UnicodeDecodeError:
        return refused("tệp khai báo phải được lưu với bảng mã UTF-8")


# --- what it says -------------------------------------------------------------------------------------


def parse_sidecar(raw: Any, relative: str) -> Sidecar | SidecarError:
    problems: list[str] = []
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        return SidecarError(relative, ("tệp khai báo phải là các dòng 'khóa: giá trị'",))
    values: dict[str, Any] = {}
    known = set(TEXT_FIELDS) | set(LIST_FIELDS) | OTHER_KEYS
    unknown = [key for key in raw if key not in known]
    for key in unknown[:5]:
        problems.append(f"khóa '{shown(key)}' không hợp lệ; các khóa được dùng: {', '.join(sorted(known))}")
    if len(unknown) > 5:
        problems.append(f"và {len(unknown) - 5} khóa không hợp lệ khác")
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
            if key == "recipients" and isinstance(value, str) and value.strip().casefold() in NO_RECIPIENTS:
                values[name] = ()  # issue 16: a letter sent to no subordinate unit, said so by the clerk
                continue
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                problems.append(f"khóa '{key}' phải là {hint}")
            else:
                values[name] = tuple(canonical(v.strip()) for v in value)
    if "date" in raw:
        day = _date(raw["date"])
        if day is None:
            problems.append(f"khóa 'date': '{shown(raw['date'])}' không phải ngày có thật; viết theo dạng "
                            "date: 2026-11-03")
        else:
            values["issued_date"] = day
    if "urgency" in raw:
        if raw["urgency"] is None:
            values["urgency"] = None
        else:
            _choice(raw, "urgency", URGENCIES, values, problems,
                    "khóa 'urgency' chỉ nhận: Khẩn, Thượng khẩn, Hỏa tốc (hoặc để trống)")
    declaration = _secrecy(raw, values, problems)
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
    attachments = _attachments(raw["attachments"], problems) if "attachments" in raw else ()
    replaces = raw.get("replaces")
    if replaces is not None and (not isinstance(replaces, str) or not replaces.strip()):
        problems.append("khóa 'replaces' phải là số, ký hiệu của văn bản được thay thế, ví dụ: replaces: 78/LĐLĐ")
        replaces = None
    if problems:
        return SidecarError(relative, tuple(problems))
    return Sidecar(relative, tuple(values.items()), override, canonical(replaces.strip()) if replaces else None,
                   declaration, attachments)


def _choice(raw: dict[str, Any], key: str, table: dict[str, str], values: dict[str, Any],
            problems: list[str], hint: str) -> None:
    """A value from a closed list, spelled in any case or tone-mark style."""
    value = raw[key]
    folded = canonical(value.strip()).lower() if isinstance(value, str) else None
    if folded in table:
        values[key] = table[folded]
    else:
        problems.append(hint)


def _secrecy(raw: dict[str, Any], values: dict[str, Any], problems: list[str]) -> SecrecyDeclaration | None:
    """`secrecy: MẬT` adds a mark; `secrecy: none` with `decided_by:` is a person's declaration that
    the pages nobody could read hold no secret. Neither can lift a mark that was found."""
    value = raw.get("secrecy")
    folded = canonical(value.strip()).lower() if isinstance(value, str) else None
    declared = folded in NO_SECRET
    stray = sorted(DECLARATION_KEYS & set(raw))
    if "secrecy" in raw and not declared:
        if folded in SECRECY:
            values["secrecy"] = SECRECY[folded]
        else:
            problems.append("khóa 'secrecy' chỉ nhận: MẬT, TỐI MẬT, TUYỆT MẬT (thêm dấu mật), hoặc 'none' kèm "
                            "decided_by (người xác nhận các trang không đọc được tự động không có nội dung mật); "
                            "không thể dùng để xóa dấu mật đã có trên văn bản")
    if stray and not declared:
        problems.append(f"khóa {', '.join(repr(k) for k in stray)} chỉ dùng cùng 'secrecy: none'")
        return None
    if not declared:
        return None
    form = ("secrecy: none, decided_by: <họ tên, chức vụ người xác nhận>, decided_on: 2026-11-03 (không bắt "
            "buộc), note: <ghi chú> (không bắt buộc)")
    decided_by = _person(raw.get("decided_by"))
    if decided_by is None:
        problems.append(f"'secrecy: none' phải kèm 'decided_by' ghi họ tên, chức vụ người đã đọc các trang "
                        f"không đọc được tự động và xác nhận không có nội dung mật; dạng đúng: {form}")
    day = _date(raw["decided_on"]) if "decided_on" in raw else None
    if "decided_on" in raw and day is None:
        problems.append(f"khóa 'decided_on': '{shown(raw['decided_on'])}' không phải ngày có thật; viết theo "
                        "dạng decided_on: 2026-11-03")
    note = raw.get("note", "")
    if not isinstance(note, str) or len(note) > MAX_NOTE or _has_control(" ".join(note.split())):
        problems.append(f"khóa 'note' phải là một đoạn chữ (tối đa {MAX_NOTE} ký tự)")
        note = ""
    if decided_by is None:
        return None
    return SecrecyDeclaration(decided_by, day, canonical(" ".join(note.split())))


def _attachments(raw: Any, problems: list[str]) -> tuple[AttachmentApproval, ...]:
    """`attachments:`: each embedded file the office decided may be published with the letter."""
    form = ("attachments: [{name: phu-luc.xlsx, sha256: <mã SHA-256, 64 ký tự 0-9 a-f, trong dấu nháy>, "
            "decided_by: <họ tên, chức vụ>, decided_on: 2026-11-03}]")
    if not isinstance(raw, list):
        problems.append(f"khóa 'attachments' phải là danh sách tệp đính kèm, mỗi mục bắt đầu bằng '- '; dạng đúng: {form}")
        return ()
    approvals: list[AttachmentApproval] = []
    seen: set[tuple[str, str]] = set()
    for index, item in enumerate(raw, start=1):
        where = f"'attachments' mục {index}"
        if not isinstance(item, dict):
            problems.append(f"{where} phải có dạng {{name: ..., sha256: ..., decided_by: ...}}; dạng đúng: {form}")
            continue
        unknown = [k for k in item if k not in {"name", "sha256", "decided_by", "decided_on"}]
        if unknown:
            problems.append(f"{where} có trường lạ {', '.join(repr(shown(k)) for k in unknown[:5])}; dạng đúng: {form}")
        name, digest, decided_by = item.get("name"), item.get("sha256"), _person(item.get("decided_by"))
        ok = True
        if not isinstance(name, str) or not name.strip() or len(name) > 255 or _has_control(name):
            problems.append(f"{where}: 'name' phải là tên tệp đính kèm, đúng như trong tệp PDF")
            ok = False
        if not isinstance(digest, str) or not re.fullmatch(r"[0-9a-fA-F]{64}", digest.strip()):
            problems.append(f"{where}: 'sha256' phải là mã SHA-256 của tệp đính kèm (64 ký tự 0-9, a-f, đặt trong "
                            "dấu nháy), như báo cáo từ chối đã ghi")
            ok = False
        if decided_by is None:
            problems.append(f"{where}: 'decided_by' phải ghi họ tên, chức vụ người quyết định cho đăng tệp này")
            ok = False
        day = _date(item["decided_on"]) if "decided_on" in item else None
        if "decided_on" in item and day is None:
            problems.append(f"{where}: 'decided_on' '{shown(item['decided_on'])}' không phải ngày có thật; viết "
                            "theo dạng 2026-11-03")
            ok = False
        if not ok or not isinstance(name, str) or not isinstance(digest, str) or decided_by is None:
            continue
        key = (unicodedata.normalize("NFC", name.strip()), digest.strip().lower())
        if key in seen:
            problems.append(f"{where}: tệp '{shown(key[0])}' được khai báo hai lần")
            continue
        seen.add(key)
        approvals.append(AttachmentApproval(key[0], key[1], decided_by, day))
    return tuple(approvals)


def _person(value: Any) -> str | None:
    """Who decided: a name and a title, one line."""
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_PERSON or _has_control(value):
        return None
    return canonical(" ".join(value.split()))


def _has_control(text: str) -> bool:
    return any(unicodedata.category(ch).startswith("C") for ch in text)


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
        problems.append(f"khóa 'override' có trường lạ {', '.join(repr(shown(k)) for k in list(unknown)[:5])}; "
                        f"dạng đúng: {form}")
    rules = raw.get("rules")
    if not isinstance(rules, list) or not rules or not all(isinstance(r, str) for r in rules):
        problems.append(f"'override.rules' phải liệt kê quy tắc được bỏ qua; dạng đúng: {form}")
        rules = []
    for rule in rules:
        if rule == "secret":
            problems.append("không thể bỏ qua quy tắc 'secret': văn bản mật tuyệt đối không được đăng")
        elif rule not in OVERRIDABLE:
            problems.append(f"quy tắc '{shown(rule)}' không thể bỏ qua bằng tệp khai báo (chỉ: {', '.join(sorted(OVERRIDABLE))})")
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
