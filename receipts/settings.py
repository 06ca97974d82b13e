"""Configuration from the environment: secrets never sit in a file of the public site.

Every problem is collected and reported together, in Vietnamese, the way portal.yml errors are.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PREFIX = "CONGBO_RECEIPTS_"
SMTP_PREFIX = "CONGBO_SMTP_"
DEFAULT_DATABASE = "sqlite:///.congbo/receipts.sqlite3"
DEFAULT_WORK_HOURS = "07:30-11:30,13:30-17:00"
MIN_SECRET = 32


class SettingsError(Exception):
    """The service cannot start: `problems` lists every mistake, in Vietnamese."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    tls: str  # "starttls" | "ssl" | "none" (loopback only)
    user: str | None
    password: str | None
    sender: str  # From:, e.g. "Văn phòng LĐLĐ tỉnh <vanthu@ldld.example.vn>"
    timeout: float
    ca_file: Path | None  # extra CA to trust (a private mail server); the system store otherwise


@dataclass(frozen=True)
class Settings:
    database: str  # SQLAlchemy URL: sqlite:///path or postgresql+psycopg://...
    secret: bytes  # HMAC key of the confirmation links
    feed: str  # http(s) URL or path of the published feeds/all.json
    portal: Path  # portal.yml: units, groups (and, once the pipeline accepts it, `email`)
    addresses: Path | None  # private receipts.yml: unit id -> address(es), holidays
    public_url: str  # where units reach this service, ends with "/"
    office_user: str
    office_password: str | None  # no password: the office pages answer 503, never without a credential
    deploy_token: str | None  # no token: the deploy ping is refused
    poll_seconds: float
    tick_seconds: float
    mode: str  # "immediate" | "digest" (non-urgent letters; urgent ones always go at once)
    digest_hour: int
    urgent_hours: float  # working hours before an unconfirmed urgent letter is overdue
    normal_hours: float  # working hours before any other letter's confirmation counts as late
    remind: bool  # remind units of overdue urgent letters by e-mail
    mail_existing: bool  # on the very first poll, also mail the letters already published
    work_hours: tuple[tuple[dt.time, dt.time], ...]
    timezone: ZoneInfo
    retry_seconds: float
    retry_max_seconds: float
    max_attempts: int
    sqlite_synchronous: str  # FULL (default: a confirmation survives a power cut) or NORMAL
    busy_seconds: float  # how long one SQLite statement waits for a lock before the retry loop steps in
    smtp: SmtpSettings | None  # None: nothing is mailed (receipts and the office view still work)

    @property
    def mail_domain(self) -> str:
        """Right-hand side of our Message-IDs: the sender's domain, else the service's host."""
        if self.smtp and "@" in self.smtp.sender:
            return self.smtp.sender.rsplit("@", 1)[1].strip(" >") or "congbo.invalid"
        return urlsplit(self.public_url).hostname or "congbo.invalid"

    def replace(self, **changes: object) -> Settings:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


class _Reader:
    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env
        self.problems: list[str] = []

    def text(self, name: str, default: str | None = None) -> str | None:
        value = self.env.get(name, "").strip()
        return value or default

    def number(self, name: str, default: float, low: float, high: float) -> float:
        raw = self.text(name)
        if raw is None:
            return default
        try:
            value = float(raw)
        except ValueError:
            self.problems.append(f"{name} phải là một số (đang là '{raw}')")
            return default
        if not low <= value <= high:
            self.problems.append(f"{name} phải nằm trong khoảng {low:g} đến {high:g} (đang là {value:g})")
            return default
        return value

    def flag(self, name: str, default: bool = False) -> bool:
        raw = self.text(name)
        if raw is None:
            return default
        if raw.lower() in ("1", "true", "yes", "co", "có"):
            return True
        if raw.lower() in ("0", "false", "no", "khong", "không"):
            return False
        self.problems.append(f"{name} phải là 1 hoặc 0 (đang là '{raw}')")
        return default

    def choice(self, name: str, default: str, allowed: tuple[str, ...]) -> str:
        raw = (self.text(name) or default).lower()
        if raw not in allowed:
            self.problems.append(f"{name} phải là một trong: {', '.join(allowed)} (đang là '{raw}')")
            return default
        return raw


def parse_work_hours(text: str) -> tuple[tuple[dt.time, dt.time], ...]:
    """'07:30-11:30,13:30-17:00' -> ((07:30, 11:30), (13:30, 17:00)); ValueError when malformed."""
    spans: list[tuple[dt.time, dt.time]] = []
    for part in text.split(","):
        m = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", part)
        if not m:
            raise ValueError(part)
        start = dt.time(int(m[1]), int(m[2]))
        end = dt.time(int(m[3]), int(m[4]))
        if end <= start or (spans and start < spans[-1][1]):
            raise ValueError(part)
        spans.append((start, end))
    if not spans:
        raise ValueError(text)
    return tuple(spans)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _smtp(r: _Reader, organisation_hint: str) -> SmtpSettings | None:
    host = r.text(SMTP_PREFIX + "HOST")
    if host is None:
        return None
    tls = r.choice(SMTP_PREFIX + "TLS", "starttls", ("starttls", "ssl", "none"))
    if tls == "none" and not is_loopback(host):
        r.problems.append(f"{SMTP_PREFIX}TLS=none chỉ dùng được với máy chủ thư trên chính máy này (127.0.0.1);"
                          " thư gửi ra ngoài phải được mã hóa (starttls hoặc ssl)")
    default_port = {"starttls": 587, "ssl": 465, "none": 25}[tls]
    port = int(r.number(SMTP_PREFIX + "PORT", default_port, 1, 65535))
    sender = r.text(SMTP_PREFIX + "FROM")
    if sender is None or "@" not in sender:
        r.problems.append(f"{SMTP_PREFIX}FROM phải là địa chỉ gửi thư, ví dụ "
                          f"'{organisation_hint} <vanthu@ten-mien.vn>'")
        sender = "congbo@localhost"
    user = r.text(SMTP_PREFIX + "USER")
    password = r.env.get(SMTP_PREFIX + "PASSWORD") or None
    if password is not None and not password.isascii():
        r.problems.append(f"{SMTP_PREFIX}PASSWORD chỉ được gồm ký tự không dấu (ASCII): smtplib không gửi được mật "
                          "khẩu có dấu")
    if (user is None) != (password is None):
        r.problems.append(f"{SMTP_PREFIX}USER và {SMTP_PREFIX}PASSWORD phải cùng được đặt (hoặc cùng bỏ trống)")
    ca = r.text(SMTP_PREFIX + "CA_FILE")
    ca_file = Path(ca) if ca else None
    if ca_file is not None and not ca_file.is_file():
        r.problems.append(f"không tìm thấy tệp chứng thư {ca_file} ({SMTP_PREFIX}CA_FILE)")
    timeout = r.number(SMTP_PREFIX + "TIMEOUT", 30.0, 0.1, 600)
    return SmtpSettings(host, port, tls, user, password, sender, timeout, ca_file)


def load_settings(env: Mapping[str, str], *, need_secret: bool = True) -> Settings:
    """Settings from the environment (os.environ, or a mapping in tests). Raises SettingsError."""
    r = _Reader(env)
    secret_text = env.get(PREFIX + "SECRET", "")
    if need_secret and len(secret_text) < MIN_SECRET:
        r.problems.append(f"{PREFIX}SECRET phải có ít nhất {MIN_SECRET} ký tự ngẫu nhiên (ví dụ: "
                          "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'); giữ bí mật, không "
                          "đưa vào kho mã")
    public_url = r.text(PREFIX + "URL", "http://127.0.0.1:8030/") or ""
    if not public_url.startswith(("http://", "https://")):
        r.problems.append(f"{PREFIX}URL phải là địa chỉ tuyệt đối bắt đầu bằng http:// hoặc https://")
    if not public_url.endswith("/"):
        public_url += "/"
    try:
        work_hours = parse_work_hours(r.text(PREFIX + "WORK_HOURS", DEFAULT_WORK_HOURS) or "")
    except ValueError:
        r.problems.append(f"{PREFIX}WORK_HOURS phải có dạng '07:30-11:30,13:30-17:00' (các khoảng tăng dần)")
        work_hours = parse_work_hours(DEFAULT_WORK_HOURS)
    zone_name = r.text(PREFIX + "TIMEZONE", "Asia/Ho_Chi_Minh") or "Asia/Ho_Chi_Minh"
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        r.problems.append(f"{PREFIX}TIMEZONE: không biết múi giờ '{zone_name}'")
        zone = ZoneInfo("Asia/Ho_Chi_Minh")
    addresses = r.text(PREFIX + "ADDRESSES")
    portal = Path(r.text(PREFIX + "PORTAL", "portal.yml") or "portal.yml")
    settings = Settings(
        database=r.text(PREFIX + "DATABASE", DEFAULT_DATABASE) or DEFAULT_DATABASE,
        secret=secret_text.encode("utf-8"),
        feed=r.text(PREFIX + "FEED", "site/feeds/all.json") or "",
        portal=portal,
        addresses=Path(addresses) if addresses else None,
        public_url=public_url,
        office_user=r.text(PREFIX + "OFFICE_USER", "vanthu") or "vanthu",
        office_password=env.get(PREFIX + "OFFICE_PASSWORD") or None,
        deploy_token=env.get(PREFIX + "DEPLOY_TOKEN") or None,
        poll_seconds=r.number(PREFIX + "POLL_SECONDS", 300, 0.05, 86400),
        tick_seconds=r.number(PREFIX + "TICK_SECONDS", 1.0, 0.01, 60),
        mode=r.choice(PREFIX + "MODE", "immediate", ("immediate", "digest")),
        digest_hour=int(r.number(PREFIX + "DIGEST_HOUR", 7, 0, 23)),
        urgent_hours=r.number(PREFIX + "URGENT_HOURS", 2, 0, 200),
        normal_hours=r.number(PREFIX + "NORMAL_HOURS", 8, 0, 400),
        remind=r.flag(PREFIX + "REMIND"),
        mail_existing=r.flag(PREFIX + "MAIL_EXISTING"),
        work_hours=work_hours,
        timezone=zone,
        retry_seconds=r.number(PREFIX + "RETRY_SECONDS", 30, 0.01, 3600),
        retry_max_seconds=r.number(PREFIX + "RETRY_MAX_SECONDS", 3600, 0.01, 86400),
        max_attempts=int(r.number(PREFIX + "MAX_ATTEMPTS", 10, 1, 1000)),
        sqlite_synchronous=r.choice(PREFIX + "SQLITE_SYNCHRONOUS", "full", ("full", "normal")).upper(),
        busy_seconds=r.number(PREFIX + "DB_BUSY_SECONDS", 5, 0.01, 120),
        smtp=_smtp(r, "Văn phòng"),
    )
    if r.problems:
        raise SettingsError(r.problems)
    return settings
