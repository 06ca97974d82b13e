"""Helpers of the receipts tests: feeds of the portal's exact shape, a portal.yml with addresses, a
real SMTP server (aiosmtpd) that records what it receives and can misbehave, the real service in its
own process on a loopback port, and PostgreSQL from Debian's package in a temporary folder."""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import datetime as dt
import email
import email.policy
import glob
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

REPO = Path(__file__).resolve().parents[2]
BASE = "https://congbo.example.org/"
ICT = dt.timezone(dt.timedelta(hours=7))
SECRET = "kiem-thu-bi-mat-" + "x" * 40
OFFICE_PASSWORD = "mat-khau-van-phong"
DEPLOY_TOKEN = "ma-trien-khai-kiem-thu"
LINK = re.compile(r"https?://[^\s]+/xac-nhan/[0-9a-f]{64}/[a-z0-9-]+/[mf][A-Za-z0-9_-]{22}")

# A small registry of the portal's shape: four units, two groups.
PORTAL_YML = """\
organisation:
  name: Liên đoàn Lao động tỉnh Mẫu
  short_name: LĐLĐ tỉnh Mẫu
site:
  title: Trang thông tin điều hành - LĐLĐ tỉnh Mẫu
  url: https://congbo.example.org/
units:
  - id: ldld-chau-thanh
    name: Liên đoàn Lao động huyện Châu Thành
    kind: district-union
    groups: [ldld-huyen]
  - id: ldld-hoa-an
    name: Liên đoàn Lao động huyện Hòa An
    kind: district-union
    groups: [ldld-huyen]
  - id: cd-y-te
    name: Công đoàn ngành Y tế
    kind: sector-union
    groups: [cd-nganh]
  - id: cdcs-khong-thu
    name: Công đoàn cơ sở chưa có thư
    kind: grassroots-union
groups:
  - id: ldld-huyen
    name: Liên đoàn Lao động các huyện, thành phố
  - id: cd-nganh
    name: Công đoàn ngành và tương đương
"""
ADDRESSES = {
    "ldld-chau-thanh": "vanthu@chauthanh.example.org",
    "ldld-hoa-an": "vanthu@hoaan.example.org",
    "cd-y-te": "vanthu@yte.example.org",
}


def slugify(text: str) -> str:
    plain = text.replace("Đ", "D").replace("đ", "d")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


@dataclasses.dataclass(frozen=True)
class Doc:
    """One published letter, as the portal's feed (pipeline feeds.item) describes it."""

    number: str
    subject: str
    units: tuple[str, ...]
    urgency: str | None = None
    type_name: str = "Công văn"
    issued: dt.date = dt.date(2026, 12, 1)
    published: dt.datetime = dt.datetime(2026, 12, 1, 9, 0, tzinfo=ICT)
    signer: str = "Nguyễn Văn An"
    role: str = "TM. BAN THƯỜNG VỤ, CHỦ TỊCH"
    size: int = 70_000

    @property
    def sha256(self) -> str:
        return hashlib.sha256(f"{self.number}|{self.subject}".encode()).hexdigest()

    @property
    def slug(self) -> str:
        return f"{self.issued.isoformat()}-{slugify(self.number)}"

    @property
    def title(self) -> str:
        prefix = f"[{self.urgency.upper()}] " if self.urgency else ""
        return f"{prefix}Số {self.number} – {self.subject}".replace("<", "‹").replace(">", "›")

    def context(self) -> dict[str, Any]:
        """The values pipeline/feeds.py `item()` gives the template for this document."""
        summary = ". ".join(p for p in (
            f"{self.type_name} số {self.number}, ngày {self.issued:%d/%m/%Y}",
            f"Độ khẩn: {self.urgency}" if self.urgency else "",
            "Cơ quan ban hành: LIÊN ĐOÀN LAO ĐỘNG TỈNH MẪU",
            f"Người ký: {self.signer} ({self.role})",
            "Kính gửi: " + "; ".join(self.units),
        ) if p) + "."
        return {
            "id": f"urn:sha256:{self.sha256}",
            "title": self.title,
            "url": f"{BASE}van-ban/{self.slug}/",
            "summary": summary,
            "content": "\n".join((self.subject, summary,
                                   f"Bản gốc đã ký số (PDF, 70 KB): {BASE}van-ban/{self.slug}.pdf")),
            "rfc3339": self.published.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "category": self.type_name,
            "enclosure": f"{BASE}van-ban/{self.slug}.pdf",
            "enclosure_title": f"{self.type_name} {self.number} (bản gốc đã ký số)",
            "length": self.size,
            "extension": {
                "about": f"{BASE}nhan-thong-bao/",
                "number": self.number,
                "type": self.type_name,
                "issued_date": self.issued.isoformat(),
                "urgency": self.urgency,
                "sha256": self.sha256,
                "units": list(self.units),
            },
        }


def feed_json(docs: list[Doc]) -> dict[str, Any]:
    """feeds/all.json as pipeline/templates/feed.json.j2 renders it (key for key)."""
    items = []
    for doc in sorted(docs, key=lambda d: d.published, reverse=True):
        i = doc.context()
        items.append({
            "id": i["id"], "url": i["url"], "title": i["title"], "summary": i["summary"],
            "content_text": i["content"], "date_published": i["rfc3339"], "tags": [i["category"]],
            "language": "vi",
            "attachments": [{"url": i["enclosure"], "mime_type": "application/pdf", "title": i["enclosure_title"],
                             "size_in_bytes": i["length"]}],
            "_congbo": i["extension"],
        })
    return {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Trang thông tin điều hành - LĐLĐ tỉnh Mẫu",
        "home_page_url": BASE,
        "feed_url": f"{BASE}feeds/all.json",
        "description": "Văn bản điện tử đã ký số của Liên đoàn Lao động tỉnh Mẫu gửi các cấp công đoàn.",
        "language": "vi",
        "authors": [{"name": "Liên đoàn Lao động tỉnh Mẫu", "url": BASE}],
        "items": items,
    }


def write_feed(path: Path, docs: list[Doc]) -> None:
    """Written atomically, as a deploy replaces the file."""
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(feed_json(docs), ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(temporary, path)


@dataclasses.dataclass
class Portal:
    folder: Path

    @property
    def feed(self) -> Path:
        return self.folder / "site" / "feeds" / "all.json"

    @property
    def portal_yml(self) -> Path:
        return self.folder / "portal.yml"

    @property
    def receipts_yml(self) -> Path:
        return self.folder / "private" / "receipts.yml"

    @property
    def database(self) -> str:
        return f"sqlite:///{self.folder / 'receipts.sqlite3'}"

    def publish(self, docs: list[Doc]) -> None:
        write_feed(self.feed, docs)


def make_portal(folder: Path, addresses: dict[str, str] | None = None, extra: str = "") -> Portal:
    portal = Portal(folder)
    portal.feed.parent.mkdir(parents=True, exist_ok=True)
    portal.receipts_yml.parent.mkdir(parents=True, exist_ok=True)
    portal.portal_yml.write_text(PORTAL_YML, encoding="utf-8")
    lines = ["units:"] + [f"  {k}: {v}" for k, v in (ADDRESSES if addresses is None else addresses).items()]
    portal.receipts_yml.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return portal


def environment(portal: Portal, smtp_port: int | None, database: str | None = None, public_url: str = "",
                **extra: str) -> dict[str, str]:
    env = {
        "CONGBO_RECEIPTS_SECRET": SECRET,
        "CONGBO_RECEIPTS_DATABASE": database or portal.database,
        "CONGBO_RECEIPTS_FEED": str(portal.feed),
        "CONGBO_RECEIPTS_PORTAL": str(portal.portal_yml),
        "CONGBO_RECEIPTS_ADDRESSES": str(portal.receipts_yml),
        "CONGBO_RECEIPTS_URL": public_url or "http://127.0.0.1:9/",
        "CONGBO_RECEIPTS_OFFICE_PASSWORD": OFFICE_PASSWORD,
        "CONGBO_RECEIPTS_DEPLOY_TOKEN": DEPLOY_TOKEN,
        "CONGBO_RECEIPTS_POLL_SECONDS": "3600",
        "CONGBO_RECEIPTS_TICK_SECONDS": "0.05",
        "CONGBO_RECEIPTS_RETRY_SECONDS": "0.05",
        "CONGBO_RECEIPTS_RETRY_MAX_SECONDS": "0.2",
        "CONGBO_RECEIPTS_MAIL_EXISTING": "1",
        "CONGBO_RECEIPTS_SQLITE_SYNCHRONOUS": "normal",
    }
    if smtp_port is not None:
        env.update({"CONGBO_SMTP_HOST": "127.0.0.1", "CONGBO_SMTP_PORT": str(smtp_port), "CONGBO_SMTP_TLS": "none",
                    "CONGBO_SMTP_FROM": "Văn phòng LĐLĐ tỉnh Mẫu <vanthu@ldld.example.org>",
                    "CONGBO_SMTP_TIMEOUT": "2"})
    env.update(extra)
    return env


# -- a real SMTP server ----------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclasses.dataclass
class Received:
    envelope_to: tuple[str, ...]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])

    @property
    def text(self) -> str:
        body = self.message.get_body(preferencelist=("plain",))
        return body.get_content() if body is not None else ""

    @property
    def links(self) -> list[str]:
        return LINK.findall(self.text)


class Recorder:
    """aiosmtpd handler: keeps every accepted message; can refuse, stall or kill on cue."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.lock = threading.Lock()
        self.temporary_failures = 0  # answer 451 to the next N messages
        self.refuse_rcpt: set[str] = set()  # answer 550 to these recipients
        self.kill_at_data: tuple[int, Callable[[], None]] | None = None  # (message number, kill)
        self.kill_at_mail: tuple[int, Callable[[], None]] | None = None
        self.attempts = 0

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        with self.lock:
            number = len(self.received) + 1
            cue = self.kill_at_mail
        if cue and cue[0] == number:
            self.kill_at_mail = None
            cue[1]()
            return "421 closing"
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address in self.refuse_rcpt:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.attempts += 1
            if self.temporary_failures > 0:
                self.temporary_failures -= 1
                return "451 4.3.0 try again later"
            message = email.message_from_bytes(envelope.original_content or envelope.content,
                                               policy=email.policy.default)
            self.received.append(Received(tuple(envelope.rcpt_tos), message))  # type: ignore[arg-type]
            number = len(self.received)
            cue = self.kill_at_data
        if cue and cue[0] == number:
            # The message is in: the sender dies before it hears "250", so before it can record it.
            self.kill_at_data = None
            cue[1]()
        return "250 2.0.0 accepted"

    def wait_for(self, count: int, timeout: float = 15.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.received) >= count:
                    return list(self.received)
            time.sleep(0.02)
        raise AssertionError(f"expected {count} mails, got {len(self.received)}: "
                             f"{[r.subject for r in self.received]}")


@contextlib.contextmanager
def smtp_server(**kwargs: Any) -> Iterator[tuple[Controller, Recorder]]:
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port(), **kwargs)
    controller.start()
    try:
        yield controller, recorder
    finally:
        controller.stop()


# -- the real service in its own process -----------------------------------------------------------

@dataclasses.dataclass
class Service:
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None
    port: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> Service:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(128)
        self.port = listener.getsockname()[1]
        self.env["CONGBO_RECEIPTS_URL"] = self.base
        full_env = {k: v for k, v in os.environ.items() if not k.startswith(("CONGBO_RECEIPTS_", "CONGBO_SMTP_"))}
        full_env.update(self.env)
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "receipts", "serve", "--fd", str(listener.fileno())],
                cwd=REPO, env=full_env, stdout=log, stderr=subprocess.STDOUT, pass_fds=(listener.fileno(),))
        listener.close()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                if self.process.returncode == -signal.SIGKILL:  # killed on purpose by a test's fault
                    return self
                raise AssertionError("service exited:\n" + self.log.read_text(encoding="utf-8"))
            with contextlib.suppress(OSError):
                if request(self, "GET", "suc-khoe")[0] == 200:
                    return self
            time.sleep(0.05)
        raise AssertionError("service did not start:\n" + self.log.read_text(encoding="utf-8"))

    def kill(self) -> None:
        """kill -9: no clean-up of any kind."""
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()

    def ping(self) -> int:
        return request(self, "POST", "api/deployed", headers={"Authorization": f"Bearer {DEPLOY_TOKEN}"})[0]

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def request(service: Service, method: str, path: str, headers: dict[str, str] | None = None,
            body: bytes | None = None) -> tuple[int, dict[str, str], str]:
    connection = http.client.HTTPConnection("127.0.0.1", service.port, timeout=15)
    try:
        connection.request(method, "/" + path.lstrip("/"), body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read().decode("utf-8", errors="replace")
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data
    finally:
        connection.close()


def office_headers(user: str = "vanthu", password: str = OFFICE_PASSWORD) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def path_of(link: str) -> str:
    return urllib.parse.urlsplit(link).path


# -- PostgreSQL from Debian's package --------------------------------------------------------------

def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


@dataclasses.dataclass
class Postgres:
    folder: Path
    port: int
    bin: Path
    as_user: list[str]

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://congbo@127.0.0.1:{self.port}/{database}"

    def run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-l", str(self.folder / "log"),
                 "-w", "-t", "30", "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -F", "start")

    def stop(self, mode: str = "fast") -> None:
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", mode, "-w", "stop")

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=congbo dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@contextlib.contextmanager
def postgres() -> Iterator[Postgres]:
    """A throw-away PostgreSQL cluster in a temporary folder (run as the `postgres` user when we are root)."""
    binaries = postgres_bin()
    if binaries is None:
        raise FileNotFoundError("PostgreSQL (Debian package postgresql) is not installed")
    folder = Path(tempfile.mkdtemp(prefix="congbo-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    server = Postgres(folder, free_port(), binaries, as_user)
    try:
        server.run(str(binaries / "initdb"), "-D", str(folder / "data"), "-U", "congbo", "-A", "trust",
                   "-E", "UTF8", "--no-locale", "--no-sync")
        server.start()
        yield server
    finally:
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            server.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)
