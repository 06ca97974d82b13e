"""portal.yml parsed into frozen dataclasses. Unknown keys and wrong types are errors, collected
together so the office sees every mistake at once (the way MkDocs reports config errors)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from asn1crypto import pem as asn1_pem
from asn1crypto import x509 as asn1_x509

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


# A distinguished name compared as a multiset of (attribute, value): the order of the RDNs differs
# between tools (RFC 4514 writes CN first, OpenSSL's default C first), the values must match exactly
# (after NFC): "LIÊN ĐOÀN..." in capitals is another name than "Liên đoàn...".
DistinguishedName = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class CertificatePin:
    """One certificate of the organisation, as portal.yml pins it (`organisation.certificates`):
    issuer and subject together (survives a renewal by the same CA), and/or the key's fingerprint."""

    issuer: DistinguishedName | None
    subject: DistinguishedName | None
    key_sha256: str | None  # lowercase hex of SHA-256(SubjectPublicKeyInfo)
    text: str  # as written, for messages


@dataclass(frozen=True)
class Organisation:
    name: str
    short_name: str
    require_organisation_signature: bool
    certificate_names: tuple[str, ...]
    # Issue 15. A signature is the organisation's only when its certificate matches one of these.
    certificates: tuple[CertificatePin, ...] = ()
    # Decree 30: a document born digital carries the competent person's signature before the office's.
    require_person_signature: bool = True
    # Issuers (printed organ names) other than `name` whose letters the office publishes.
    publishes_for: tuple[str, ...] = ()


@dataclass(frozen=True)
class Contact:
    """How visitors reach the office (issue 20, `site.contact`): shown in every page's footer, on the
    About page and the 404 page. Every part is optional; a contact with none is not shown."""

    address: str | None = None
    phone: str | None = None
    email: str | None = None
    hours: str | None = None  # office hours, as the office writes them

    def __bool__(self) -> bool:
        return any((self.address, self.phone, self.email, self.hours))


@dataclass(frozen=True)
class SiteSettings:
    title: str
    url: str  # absolute, ends with "/"
    description: str
    # The optional receipts service (issue 19): where units confirm receipt; the subscribe page then
    # offers the office's own e-mail notices first. The site never depends on it.
    receipts_url: str | None = None
    # What the host accepts (issue 18): GitHub Pages refuses sites over 1 GB. None: no limit.
    size_limit: int | None = 1 << 30
    contact: Contact = dataclasses.field(default_factory=Contact)
    # Issue 18: the signed PDFs served from another origin (absolute, ends with "/"), so that a host with
    # a size limit carries only the pages. Pages, feeds and the copy check link there; `split-site`
    # separates the two for the deploy step and `check-pdfs` checks the uploaded bytes.
    pdf_base_url: str | None = None

    def pdf_href(self, slug: str, relative: str) -> str:
        """Where a document's signed PDF is downloaded: the PDF origin when there is one, otherwise
        `relative` (the site's own copy, as the linking page sees it)."""
        return f"{self.pdf_base_url}{slug}.pdf" if self.pdf_base_url else relative


@dataclass(frozen=True)
class Trust:
    root_paths: tuple[Path, ...]
    roots_pem: tuple[bytes, ...]
    require_revocation_check: bool


@dataclass(frozen=True)
class Policy:
    publishable_types: tuple[str, ...]


@dataclass(frozen=True)
class TimelinessSettings:
    """How "Tình hình công bố" judges promptness (issue 20, portal.yml `timeliness`)."""

    # Documents first published before this day (an imported backlog, the portal's first weeks) are
    # listed as imported and not judged. None: every document is judged.
    since: dt.date | None = None
    # Days off besides Saturdays and Sundays (public holidays, Tết, days swapped by decision).
    holidays: frozenset[dt.date] = frozenset()


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
    timeliness: TimelinessSettings = dataclasses.field(default_factory=TimelinessSettings)

    @property
    def documents_dir(self) -> Path:
        return self.root / "documents"

    def trust_fingerprint(self) -> str:
        """Part of the inspection cache key: a change of trust roots re-examines every file."""
        digest = hashlib.sha256()
        for pem in self.trust.roots_pem:
            digest.update(hashlib.sha256(pem).digest())
        # The worker marks a signature whose CN is one of these as the organisation's (the pins,
        # judged in decide/trust.py from reported facts, are not the worker's business).
        for name in self.organisation.certificate_names:
            digest.update(b"\0name\0" + name.encode("utf-8"))
        return digest.hexdigest()

    def with_roots(self, pems: tuple[bytes, ...], paths: tuple[Path, ...]) -> PortalConfig:
        """The same portal trusting other roots (`inspect --trust`); they must be CA certificates too."""
        problems = [problem for pem, path in zip(pems, paths, strict=False) for problem in root_problems(path, pem)]
        if problems:
            raise ConfigError(paths[0], problems)
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
                    {"organisation", "site", "trust", "policy", "units", "groups", "ignored_recipients",
                     "timeliness"})

    org_raw = r.section(top.get("organisation"), "organisation",
                        {"name", "short_name", "require_organisation_signature", "certificate_names",
                         "certificates", "require_person_signature", "publishes_for"})
    org_name = r.text(org_raw, "name", "organisation")
    organisation = Organisation(
        name=org_name,
        short_name=r.text(org_raw, "short_name", "organisation", default=org_name or "?"),
        require_organisation_signature=r.flag(org_raw, "require_organisation_signature", "organisation", True),
        certificate_names=r.texts(org_raw, "certificate_names", "organisation", default=(org_name,)),
        certificates=tuple(_pins(org_raw.get("certificates"), r)),
        require_person_signature=r.flag(org_raw, "require_person_signature", "organisation", True),
        publishes_for=r.texts(org_raw, "publishes_for", "organisation"),
    )

    site_raw = r.section(top.get("site"), "site",
                         {"title", "url", "description", "receipts_url", "size_limit", "contact", "pdf_base_url"})
    url = r.text(site_raw, "url", "site", default="http://localhost:8000/")
    if not url.startswith(("http://", "https://")):
        problems.append("'site.url' phải là địa chỉ tuyệt đối bắt đầu bằng http:// hoặc https://")
    site = SiteSettings(
        title=r.text(site_raw, "title", "site", default=org_name or "congbo"),
        url=url if url.endswith("/") else url + "/",
        description=r.text(site_raw, "description", "site", default=org_name or "congbo"),
        receipts_url=r.text(site_raw, "receipts_url", "site") if site_raw.get("receipts_url") is not None else None,
        size_limit=_size_limit(site_raw.get("size_limit", "1 GB"), problems),
        contact=_contact(site_raw.get("contact"), r),
        pdf_base_url=_pdf_base_url(site_raw, r, problems),
    )
    if site.receipts_url and not site.receipts_url.startswith(("http://", "https://")):
        problems.append("'site.receipts_url' phải là địa chỉ tuyệt đối bắt đầu bằng http:// hoặc https://")

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
        problems.extend(root_problems(root_path, pem))
        pems.append(pem)
    trust = Trust(root_paths, tuple(pems), r.flag(trust_raw, "require_revocation_check", "trust", False))

    policy_raw = r.section(top.get("policy"), "policy", {"publishable_types"})
    policy = Policy(r.texts(policy_raw, "publishable_types", "policy", default=DEFAULT_PUBLISHABLE_TYPES))

    groups = tuple(_groups(top.get("groups"), r))
    units = tuple(_units(top.get("units"), r, {g.id for g in groups}))
    ignored = r.texts(top, "ignored_recipients", "portal.yml")
    _check_unique_ids(units, groups, problems)
    timeliness = _timeliness(top.get("timeliness"), r)

    if problems:
        raise ConfigError(path, problems)
    config = PortalConfig(path.parent, organisation, site, trust, policy, units, groups, ignored, timeliness)
    problems.extend(registry_problems(config))
    if problems:
        raise ConfigError(path, problems)
    return config


def root_problems(path: Path, pem: bytes) -> list[str]:
    """A trust root must be a CA certificate (basicConstraints cA true): an end-entity certificate
    listed as a root would make whatever it signs, or itself, a trust anchor."""
    problems = []
    try:
        blocks = list(asn1_pem.unarmor(pem, multiple=True))
    except ValueError as exc:
        return [f"không đọc được chứng thư gốc '{path}': {exc}"]
    for index, (kind, _, der) in enumerate(blocks, 1):
        if kind != "CERTIFICATE":
            continue
        where = f"'{path}'" if len(blocks) == 1 else f"chứng thư thứ {index} trong '{path}'"
        try:
            cert = asn1_x509.Certificate.load(der)
            is_ca = bool(cert.ca)
            subject = cert.subject.human_friendly
        except (ValueError, TypeError, KeyError) as exc:
            problems.append(f"không đọc được {where}: {exc}")
            continue
        if not is_ca:
            problems.append(f"{where} ({subject}) không phải chứng thư của tổ chức cung cấp dịch vụ chứng thực "
                            "(CA: basicConstraints cA=true) nên không thể dùng làm chứng thư gốc tin cậy; "
                            "hãy dùng chứng thư gốc (Root CA) của tổ chức đó")
    return problems


_PIN_KEYS = {"issuer", "subject", "key_sha256"}
_HEX = re.compile(r"^[0-9a-f]{64}$")
_PIN_HELP = ("khai báo chứng thư số của cơ quan trong 'organisation.certificates', mỗi mục gồm 'issuer' và "
             "'subject' (tên phân biệt DN đầy đủ, ví dụ \"CN=Tên cơ quan,O=Tên cơ quan,C=VN\") và/hoặc "
             "'key_sha256' (SHA-256 của khóa công khai SubjectPublicKeyInfo, 64 chữ số hex); các giá trị "
             "này có trong thông báo từ chối của một văn bản đã ký bằng chứng thư đó")


def _pins(raw: Any, r: _Reader) -> list[CertificatePin]:
    """`organisation.certificates`. Fail closed: without a pin no signature is the organisation's,
    so a portal.yml without them is an error that says what to add."""
    if raw is None:
        r.problems.append("chưa có 'organisation.certificates': " + _PIN_HELP)
        return []
    if not isinstance(raw, list) or not raw:
        r.problems.append("'organisation.certificates' phải là một danh sách không rỗng: " + _PIN_HELP)
        return []
    pins = []
    for index, item in enumerate(raw):
        where = f"organisation.certificates[{index}]"
        data = r.section(item, where, _PIN_KEYS)
        parts: dict[str, str] = {}
        for key in _PIN_KEYS & set(data):
            value = data[key]
            if not isinstance(value, str) or not value.strip():
                r.problems.append(f"'{where}.{key}' phải là một chuỗi không rỗng")
            else:
                parts[key] = value.strip()
        issuer = _pin_dn(parts.get("issuer"), f"{where}.issuer", r)
        subject = _pin_dn(parts.get("subject"), f"{where}.subject", r)
        key_hex = None
        if "key_sha256" in parts:
            key_hex = re.sub(r"[\s:]", "", parts["key_sha256"]).lower()
            if not _HEX.match(key_hex):
                r.problems.append(f"'{where}.key_sha256' phải là 64 chữ số hex (SHA-256), có thể có dấu ':'")
                key_hex = None
        if (issuer is None) != (subject is None) and "key_sha256" not in parts:
            r.problems.append(f"'{where}' cần cả 'issuer' lẫn 'subject' (một mình tên chủ thể hay tên CA "
                              "không xác định được chứng thư), hoặc 'key_sha256'")
        elif not parts and isinstance(item, dict):
            r.problems.append(f"'{where}' trống: " + _PIN_HELP)
        text = ", ".join(f"{k}={parts[k]}" for k in ("issuer", "subject", "key_sha256") if k in parts)
        pins.append(CertificatePin(issuer, subject, key_hex, text))
    return pins


def _pin_dn(text: str | None, where: str, r: _Reader) -> DistinguishedName | None:
    if text is None:
        return None
    try:
        return parse_dn(text)
    except ValueError as exc:
        r.problems.append(f"'{where}' không phải tên phân biệt (DN) hợp lệ: {exc}")
        return None


# Attribute names as written by RFC 4514, OpenSSL and Windows, and their OIDs -> one spelling (the
# one examine/verify.py writes).
_DN_ALIASES = {
    "cn": "CN", "commonname": "CN", "2.5.4.3": "CN",
    "o": "O", "organizationname": "O", "2.5.4.10": "O",
    "ou": "OU", "organizationalunitname": "OU", "2.5.4.11": "OU",
    "c": "C", "countryname": "C", "2.5.4.6": "C",
    "l": "L", "localityname": "L", "2.5.4.7": "L",
    "st": "ST", "s": "ST", "stateorprovincename": "ST", "2.5.4.8": "ST",
    "street": "STREET", "streetaddress": "STREET", "2.5.4.9": "STREET",
    "serialnumber": "SERIALNUMBER", "2.5.4.5": "SERIALNUMBER",
    "t": "T", "title": "T", "2.5.4.12": "T",
    "sn": "SN", "surname": "SN", "2.5.4.4": "SN",
    "gn": "GN", "givenname": "GN", "g": "GN", "2.5.4.42": "GN",
    "e": "E", "email": "E", "emailaddress": "E", "1.2.840.113549.1.9.1": "E",
    "uid": "UID", "userid": "UID", "0.9.2342.19200300.100.1.1": "UID",
    "dc": "DC", "domaincomponent": "DC", "0.9.2342.19200300.100.1.25": "DC",
}
_OID = re.compile(r"^\d+(?:\.\d+)+$")


def parse_dn(text: str) -> DistinguishedName:
    """A DN written as RFC 4514 ("CN=A,O=B,C=VN"), OpenSSL ("C = VN, O = B, CN = A") or slash form
    ("/C=VN/O=B/CN=A"), as a sorted multiset of (attribute, NFC value). Backslash escapes, including
    UTF-8 hex pairs (\\C3\\A1), are understood. Raises ValueError."""
    text = text.strip()
    separators = {"/"} if text.startswith("/") else {",", ";", "+"}
    pieces: list[str] = []
    current: list[str] = []
    pending = bytearray()
    i = 0
    if text.startswith("/"):
        i = 1

    def flush_bytes() -> None:
        if pending:
            try:
                current.append(pending.decode("utf-8"))
            except UnicodeDecodeError as exc:
                raise ValueError("byte escapes that are not UTF-8") from exc
            pending.clear()

    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            pair = text[i + 1:i + 3]
            if len(pair) == 2 and all(c in "0123456789abcdefABCDEF" for c in pair):
                pending.append(int(pair, 16))
                i += 3
                continue
            flush_bytes()
            current.append("\0" + text[i + 1])  # marked: an escaped character is never a separator
            i += 2
            continue
        flush_bytes()
        if ch in separators:
            pieces.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    flush_bytes()
    pieces.append("".join(current))
    attributes = []
    for piece in pieces:
        equals = next((i for i, c in enumerate(piece) if c == "=" and (i == 0 or piece[i - 1] != "\0")), -1)
        name, value = (piece[:equals], piece[equals + 1:]) if equals >= 0 else (piece, "")
        name = name.replace("\0", "").strip()
        if equals < 0 or not name:
            raise ValueError(f"'{piece.replace(chr(0), '')}' không có dạng TÊN=giá trị")
        canonical = _DN_ALIASES.get(name.lower())
        if canonical is None:
            if not _OID.match(name):
                raise ValueError(f"không biết thuộc tính '{name}'")
            canonical = name
        value = _strip_unescaped(value).replace("\0", "")
        attributes.append((canonical, unicodedata.normalize("NFC", value)))
    return tuple(sorted(attributes))


def _strip_unescaped(value: str) -> str:
    """Trim spaces around a value, but not an escaped one (marked by a NUL before it)."""
    start, end = 0, len(value)
    while start < end and value[start] == " ":
        start += 1
    while end > start and value[end - 1] == " " and not (end >= 2 and value[end - 2] == "\0"):
        end -= 1
    return value[start:end]


def format_dn(name: DistinguishedName) -> str:
    return ", ".join(f"{key}={value}" for key, value in name)


# Unit and group ids name feeds and pages (feeds/<id>.xml, don-vi/<id>/): lowercase ASCII words joined by
# "-", and never one of the portal's own feed names.
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_RESERVED_IDS = frozenset({"all", "khan", "index"})
_RESERVED_PREFIX = "loai-"


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|kib|mib|gib)?\s*$", re.IGNORECASE)
# Counted as Windows Explorer and the hosts' limits count them: a "GB" is 2^30 bytes.
_UNITS = {"b": 1, "kb": 1 << 10, "mb": 1 << 20, "gb": 1 << 30, "kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30}


_EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")
_PHONE = re.compile(r"^\+?[0-9(][0-9 .()\-]{5,}[0-9]$")


def _contact(raw: Any, r: _Reader) -> Contact:
    """`site.contact`: address, phone, email, hours; each optional, each a non-empty text."""
    data = r.section(raw, "site.contact", {"address", "phone", "email", "hours"})
    found = {key: r.text(data, key, "site.contact") if data.get(key) is not None else None
             for key in ("address", "phone", "email", "hours")}
    contact = Contact(**found)
    if contact.email and not _EMAIL.match(contact.email):
        r.problems.append("'site.contact.email' phải là một địa chỉ thư điện tử, ví dụ vanphong@example.org")
    if contact.phone and not _PHONE.match(contact.phone):
        r.problems.append("'site.contact.phone' phải là số điện thoại (chữ số, có thể có dấu cách, dấu chấm, "
                          "dấu gạch, dấu ngoặc và dấu + ở đầu)")
    return contact


def _pdf_base_url(site_raw: dict[str, Any], r: _Reader, problems: list[str]) -> str | None:
    if site_raw.get("pdf_base_url") is None:
        return None
    url = str(r.text(site_raw, "pdf_base_url", "site")).strip()
    if not url.startswith(("http://", "https://")) or any(c in url for c in ' "<>\\?#'):
        problems.append("'site.pdf_base_url' phải là địa chỉ tuyệt đối bắt đầu bằng http:// hoặc https:// "
                        "(thư mục chứa các tệp PDF, ví dụ https://pdf.ldld.example.vn/van-ban/)")
        return None
    return url if url.endswith("/") else url + "/"


HOLIDAY_SPAN = 31  # days: a longer range of holidays is a typo (Tết is at most ten days off)


def _day(raw: Any, where: str, r: _Reader) -> dt.date | None:
    """A day written 2027-01-01 (YAML reads it as a date) or "2027-01-01"."""
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    if isinstance(raw, str):
        try:
            return dt.date.fromisoformat(raw.strip())
        except ValueError:
            pass
    r.problems.append(f"'{where}' phải là một ngày viết dạng năm-tháng-ngày, ví dụ 2027-01-01")
    return None


def _timeliness(raw: Any, r: _Reader) -> TimelinessSettings:
    """`timeliness`: `since` (a day) and `holidays`, a list whose items are days or ranges
    `{from: 2027-02-05, to: 2027-02-11}` (both days included)."""
    data = r.section(raw, "timeliness", {"since", "holidays"})
    since = _day(data["since"], "timeliness.since", r) if data.get("since") is not None else None
    listed = data.get("holidays")
    days: set[dt.date] = set()
    if listed is not None and not isinstance(listed, list):
        r.problems.append("'timeliness.holidays' phải là một danh sách ngày nghỉ: mỗi dòng một ngày "
                          "(2027-01-01) hoặc một khoảng ({from: 2027-02-05, to: 2027-02-11})")
        listed = []
    for index, item in enumerate(listed or []):
        where = f"timeliness.holidays[{index}]"
        if not isinstance(item, dict):
            day = _day(item, where, r)
            if day is not None:
                days.add(day)
            continue
        span = r.section(item, where, {"from", "to"})
        if "from" not in span or "to" not in span:
            r.problems.append(f"'{where}' là một khoảng ngày nghỉ: cần cả 'from' (ngày đầu) và 'to' (ngày cuối)")
            continue
        first, last = _day(span["from"], f"{where}.from", r), _day(span["to"], f"{where}.to", r)
        if first is None or last is None:
            continue
        if last < first:
            r.problems.append(f"'{where}': ngày cuối ({last.isoformat()}) trước ngày đầu ({first.isoformat()})")
        elif (last - first).days + 1 > HOLIDAY_SPAN:
            r.problems.append(f"'{where}': khoảng nghỉ dài {(last - first).days + 1} ngày, quá {HOLIDAY_SPAN} "
                              "ngày; kiểm tra lại năm, tháng của ngày đầu và ngày cuối")
        else:
            days.update(first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    return TimelinessSettings(since, frozenset(days))


def _size_limit(raw: Any, problems: list[str]) -> int | None:
    """`site.size_limit`: "1 GB" (GitHub Pages, the default), "800 MB", a number of bytes, or `none`
    for a host without a limit."""
    if raw is None or (isinstance(raw, str) and raw.strip().lower() in {"none", "không"}):
        return None
    found = _SIZE.match(str(raw)) if isinstance(raw, int | float | str) and not isinstance(raw, bool) else None
    if found is None or float(found.group(1)) <= 0:
        problems.append("'site.size_limit' phải là dung lượng như \"1 GB\", \"800 MB\", hoặc none (không giới hạn)")
        return None
    return int(float(found.group(1)) * _UNITS[(found.group(2) or "b").lower()])


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
