"""Sending, against a real SMTP server (aiosmtpd on a loopback port): one mail per unit and document,
urgent first, the daily digest, reminders, refusals, time-outs, STARTTLS with a login."""

from __future__ import annotations

import datetime as dt
import socket
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.smtp import AuthResult
from receipts_kit import Doc, Portal, Recorder, environment, smtp_server
from sqlalchemy import Engine, select

from receipts.confirm import confirm
from receipts.database import make_engine, migrate
from receipts.notifier import Notifier
from receipts.overview import health
from receipts.schema import deliveries, outbox
from receipts.settings import load_settings

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MORNING = dt.datetime(2026, 12, 1, 8, 0, tzinfo=VN)  # a Tuesday

URGENT = Doc("78/LĐLĐ", "V/v hội nghị", ("ldld-huyen",), urgency="Khẩn")
PLAN = Doc("80/KH-LĐLĐ", "Kế hoạch tháng 12", ("cd-y-te", "cdcs-khong-thu"))
GUIDE = Doc("81/HD-LĐLĐ", "Hướng dẫn thi đua", ("cd-y-te", "ldld-chau-thanh"))


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def notifier(portal: Portal, smtp_port: int | None, clock: Clock | None = None, **extra: str) -> Notifier:
    settings = load_settings(environment(portal, smtp_port, public_url="https://congbo.example.org/nhan/", **extra))
    engine = make_engine(settings.database, "NORMAL")
    migrate(engine)
    return Notifier(settings, engine, clock or Clock(MORNING))


def rows(engine: Engine) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(select(outbox).order_by(outbox.c.id)))


def test_one_mail_per_unit_and_document_urgent_first(portal: Portal, smtp: tuple[Any, Recorder]) -> None:
    controller, recorder = smtp
    portal.publish([PLAN, URGENT])
    n = notifier(portal, controller.port)
    result = n.cycle(force_poll=True)
    assert (result.sent, result.failed, result.deferred) == (3, 0, 0)
    mails = recorder.wait_for(3)
    assert [m.subject for m in mails[:2]] == ["[KHẨN] Số 78/LĐLĐ – V/v hội nghị"] * 2  # urgent ones first
    assert {(m.envelope_to, m.subject) for m in mails} == {
        (("vanthu@chauthanh.example.org",), "[KHẨN] Số 78/LĐLĐ – V/v hội nghị"),
        (("vanthu@hoaan.example.org",), "[KHẨN] Số 78/LĐLĐ – V/v hội nghị"),
        (("vanthu@yte.example.org",), "Số 80/KH-LĐLĐ – Kế hoạch tháng 12"),
    }
    assert len({m.message_id for m in mails}) == 3
    assert all(len(m.links) == 1 and m.links[0].startswith("https://congbo.example.org/nhan/xac-nhan/") for m in mails)
    assert {r.status for r in rows(n.engine)} == {"sent"}
    with n.engine.connect() as conn:
        notified = {r.unit: r.notified_at for r in conn.execute(select(deliveries))}
    assert notified["cd-y-te"] == MORNING and notified["cdcs-khong-thu"] is None  # no address, no mail
    # A second round, and a second poll of the same feed, send nothing more.
    assert n.cycle(force_poll=True).sent == 0
    assert len(recorder.received) == 3


def test_the_daily_digest_gathers_non_urgent_letters(portal: Portal, smtp: tuple[Any, Recorder]) -> None:
    controller, recorder = smtp
    clock = Clock(MORNING)
    n = notifier(portal, controller.port, clock, CONGBO_RECEIPTS_MODE="digest", CONGBO_RECEIPTS_DIGEST_HOUR="7")
    portal.publish([URGENT, PLAN, GUIDE])
    assert n.cycle(force_poll=True).sent == 2  # the urgent letter, at once
    assert {m.subject for m in recorder.received} == {"[KHẨN] Số 78/LĐLĐ – V/v hội nghị"}
    clock.now = dt.datetime(2026, 12, 2, 6, 59, tzinfo=VN)
    assert n.cycle().sent == 0
    clock.now = dt.datetime(2026, 12, 2, 7, 0, tzinfo=VN)
    assert n.cycle().sent == 2  # one digest for each unit
    digests = {m.envelope_to[0]: m for m in recorder.wait_for(4)[2:]}
    yte = digests["vanthu@yte.example.org"]
    assert yte.subject == "Văn bản mới ngày 02/12/2026: 2 văn bản gửi Công đoàn ngành Y tế"
    assert "Kế hoạch tháng 12" in yte.text and "Hướng dẫn thi đua" in yte.text and len(yte.links) == 2
    assert "notice-digest." in yte.message_id
    chau_thanh = digests["vanthu@chauthanh.example.org"]
    assert chau_thanh.subject == "Số 81/HD-LĐLĐ – Hướng dẫn thi đua"  # a digest of one letter is its notice
    assert len(chau_thanh.links) == 1


def test_a_unit_can_choose_the_digest_alone(tmp_path: Path, smtp: tuple[Any, Recorder]) -> None:
    from receipts_kit import make_portal

    controller, recorder = smtp
    portal = make_portal(tmp_path / "p", extra="")
    portal.receipts_yml.write_text("units:\n  cd-y-te: {email: vanthu@yte.example.org, digest: true}\n"
                                   "  ldld-chau-thanh: vanthu@chauthanh.example.org\n", encoding="utf-8")
    portal.publish([GUIDE])
    n = notifier(portal, controller.port)
    assert n.cycle(force_poll=True).sent == 1
    assert recorder.received[0].envelope_to == ("vanthu@chauthanh.example.org",)


def test_a_temporary_refusal_is_retried_with_back_off(portal: Portal, smtp: tuple[Any, Recorder]) -> None:
    controller, recorder = smtp
    recorder.temporary_failures = 2
    portal.publish([PLAN])
    clock = Clock(MORNING)
    n = notifier(portal, controller.port, clock, CONGBO_RECEIPTS_RETRY_SECONDS="60",
                 CONGBO_RECEIPTS_RETRY_MAX_SECONDS="600")
    first = n.cycle(force_poll=True)
    assert (first.sent, first.deferred) == (0, 1)
    (row,) = rows(n.engine)
    assert row.status == "pending" and "451" in row.last_error and row.next_attempt_at == MORNING + dt.timedelta(
        seconds=60)
    assert n.cycle().sent == 0 and recorder.attempts == 1  # waits its back-off
    clock.now += dt.timedelta(seconds=61)
    assert n.cycle().deferred == 1
    (row,) = rows(n.engine)
    assert row.next_attempt_at == clock.now + dt.timedelta(seconds=120)  # doubled
    clock.now += dt.timedelta(seconds=121)
    assert n.cycle().sent == 1
    assert len(recorder.received) == 1 and recorder.attempts == 3
    assert rows(n.engine)[0].attempts == 3 and rows(n.engine)[0].last_error is None


def test_a_refused_address_is_reported_and_the_others_still_go(portal: Portal, smtp: tuple[Any, Recorder]) -> None:
    controller, recorder = smtp
    recorder.refuse_rcpt = {"vanthu@hoaan.example.org"}
    portal.publish([URGENT])
    n = notifier(portal, controller.port)
    result = n.cycle(force_poll=True)
    assert (result.sent, result.failed) == (1, 1)
    assert [m.envelope_to for m in recorder.received] == [("vanthu@chauthanh.example.org",)]
    state = health(n.engine)
    assert state.outbox == {"sent": 1, "failed": 1}
    ((number, unit, status, error),) = state.failures
    assert (number, unit, status) == ("78/LĐLĐ", "ldld-hoa-an", "failed") and "550" in error


@pytest.fixture
def silent_server() -> Iterator[int]:
    """Accepts connections and never says a word: an SMTP server that hangs."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for s in held:
        s.close()
    listener.close()


def test_a_server_that_times_out_or_is_down_delays_but_loses_nothing(portal: Portal, silent_server: int,
                                                                     smtp: tuple[Any, Recorder]) -> None:
    portal.publish([URGENT])
    hanging = notifier(portal, silent_server, CONGBO_SMTP_TIMEOUT="0.5")
    result = hanging.cycle(force_poll=True)
    assert (result.sent, result.deferred) == (0, 1)  # the round stops at the first connection failure
    assert {r.status for r in rows(hanging.engine)} == {"pending"}
    assert any("không kết nối được máy chủ thư" in (r.last_error or "") for r in rows(hanging.engine))
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    down_port = closed.getsockname()[1]
    closed.close()
    down = notifier(portal, down_port)
    down.clock = Clock(MORNING + dt.timedelta(minutes=5))
    assert down.cycle().deferred == 1
    controller, recorder = smtp
    working = notifier(portal, controller.port, Clock(MORNING + dt.timedelta(minutes=10)))
    assert working.cycle().sent == 2
    assert sorted(m.envelope_to[0] for m in recorder.received) == ["vanthu@chauthanh.example.org",
                                                                   "vanthu@hoaan.example.org"]


def _certificate(folder: Path) -> tuple[Path, Path]:
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "smtp.pem", folder / "smtp.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def test_starttls_and_login_with_credentials_from_the_environment(portal: Portal, tmp_path: Path) -> None:
    cert, key = _certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = data.login == b"vanthu" and data.password == b"dung-mat-khau"
        return AuthResult(success=ok, handled=False)

    portal.publish([PLAN])
    with smtp_server(tls_context=context, require_starttls=True, auth_required=True,
                     authenticator=authenticate) as (controller, recorder):
        tls = {"CONGBO_SMTP_TLS": "starttls", "CONGBO_SMTP_CA_FILE": str(cert), "CONGBO_SMTP_USER": "vanthu"}
        wrong = notifier(portal, controller.port, None, CONGBO_SMTP_PASSWORD="sai", **tls)
        assert wrong.cycle(force_poll=True).deferred == 1
        assert "không chấp nhận tài khoản vanthu" in rows(wrong.engine)[0].last_error
        untrusted = notifier(portal, controller.port, Clock(MORNING + dt.timedelta(hours=1)),
                             CONGBO_SMTP_PASSWORD="dung-mat-khau", **{**tls, "CONGBO_SMTP_CA_FILE": ""})
        assert untrusted.cycle().deferred == 1  # a certificate we do not trust: no mail, no password sent
        assert "TLS" in rows(untrusted.engine)[0].last_error
        right = notifier(portal, controller.port, Clock(MORNING + dt.timedelta(hours=2)),
                         CONGBO_SMTP_PASSWORD="dung-mat-khau", **tls)
        assert right.cycle().sent == 1
        assert [m.envelope_to for m in recorder.received] == [("vanthu@yte.example.org",)]


def test_overdue_urgent_letters_are_reminded_once(portal: Portal, smtp: tuple[Any, Recorder]) -> None:
    controller, recorder = smtp
    portal.publish([URGENT, PLAN])
    clock = Clock(MORNING)
    n = notifier(portal, controller.port, clock, CONGBO_RECEIPTS_REMIND="1")
    assert n.cycle(force_poll=True).sent == 3
    confirm(n.engine, URGENT.sha256, "ldld-chau-thanh", "mail", MORNING + dt.timedelta(minutes=30))
    clock.now = MORNING + dt.timedelta(hours=1, minutes=59)
    assert n.cycle().reminders == 0  # not yet two working hours
    clock.now = MORNING + dt.timedelta(hours=2, minutes=1)
    first = n.cycle()
    assert (first.reminders, first.sent) == (1, 1)
    nudge = recorder.wait_for(4)[3]
    assert nudge.envelope_to == ("vanthu@hoaan.example.org",)
    assert nudge.subject == "Nhắc xác nhận: [KHẨN] Số 78/LĐLĐ – V/v hội nghị" and len(nudge.links) == 1
    clock.now += dt.timedelta(hours=5)
    assert n.cycle().reminders == 0  # once
    assert len(recorder.received) == 4  # the plan (not urgent) is never reminded


def test_without_an_smtp_server_configured_nothing_is_lost(portal: Portal, smtp: tuple[Any, Recorder]) -> None:
    portal.publish([PLAN])
    n = notifier(portal, None)
    assert n.cycle(force_poll=True).sent == 0
    assert [r.status for r in rows(n.engine)] == ["pending"]
    controller, recorder = smtp
    assert notifier(portal, controller.port).cycle().sent == 1
    assert recorder.received[0].envelope_to == ("vanthu@yte.example.org",)
