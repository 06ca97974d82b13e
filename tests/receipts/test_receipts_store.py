"""The database side, on SQLite and on a real PostgreSQL: feed polls, withdrawals, the outbox,
confirmations, the monthly report, migrations."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from receipts_kit import Doc, feed_json, make_portal
from sqlalchemy import Engine, func, select

from receipts import outbox as box
from receipts.confirm import confirm, lookup
from receipts.database import make_engine, migrate, revision
from receipts.directory import Directory, load_directory
from receipts.feed import Feed, parse_feed
from receipts.overview import document_detail, monthly_report, recent_documents, report_csv, report_text
from receipts.schema import deliveries, documents, outbox
from receipts.settings import parse_work_hours
from receipts.sync import Policy, sync_feed
from receipts.workhours import Calendar, Deadlines

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = Calendar(parse_work_hours("07:30-11:30,13:30-17:00"), VN)
NOW = dt.datetime(2026, 12, 1, 8, 0, tzinfo=VN)  # a Tuesday morning
IMMEDIATE = Policy("immediate", 7, True, CAL)


def feed(*docs: Doc) -> Feed:
    return parse_feed(json.dumps(feed_json(list(docs))).encode())


def published(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, tzinfo=VN)


URGENT = Doc("78/LĐLĐ", "V/v hội nghị", ("ldld-huyen",), urgency="Khẩn", published=published(1))
PLAN = Doc("80/KH-LĐLĐ", "Kế hoạch tháng 12", ("ldld-chau-thanh", "cd-y-te", "cdcs-khong-thu"),
           published=published(1, 10))
OLD = Doc("60/LĐLĐ", "Văn bản cũ", ("cd-y-te",), published=dt.datetime(2026, 11, 20, 9, tzinfo=VN))


@pytest.fixture
def setup(database: str, tmp_path: Path) -> Iterator[tuple[Engine, Directory]]:
    engine = make_engine(database, "NORMAL")
    migrate(engine)
    portal = make_portal(tmp_path / "p")
    yield engine, load_directory(portal.portal_yml, portal.receipts_yml)
    engine.dispose()


def count(engine: Engine, table: object, *where: object) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())  # type: ignore[arg-type]


def statuses(engine: Engine) -> dict[tuple[str, str, str], str]:
    with engine.connect() as conn:
        return {(r.document[:6], r.unit, r.kind): r.status for r in conn.execute(select(outbox))}


def test_migrations_reach_head_and_run_twice(setup: tuple[Engine, Directory]) -> None:
    engine, _ = setup
    assert revision(engine) == "0001"
    migrate(engine)  # nothing to do, no error
    assert revision(engine) == "0001"


def test_a_poll_records_units_with_groups_expanded_and_queues_one_mail_per_unit_with_an_address(
        setup: tuple[Engine, Directory]) -> None:
    engine, directory = setup
    result = sync_feed(engine, feed(URGENT, PLAN), directory, IMMEDIATE, NOW)
    assert (result.new_documents, result.new_mails) == (2, 4)
    assert count(engine, deliveries) == 5  # cdcs-khong-thu receives, but has no address
    assert statuses(engine) == {
        (URGENT.sha256[:6], "ldld-chau-thanh", "notice"): "pending",
        (URGENT.sha256[:6], "ldld-hoa-an", "notice"): "pending",
        (PLAN.sha256[:6], "ldld-chau-thanh", "notice"): "pending",
        (PLAN.sha256[:6], "cd-y-te", "notice"): "pending",
    }
    again = sync_feed(engine, feed(URGENT, PLAN), directory, IMMEDIATE, NOW + dt.timedelta(minutes=5))
    assert (again.new_documents, again.new_mails, again.withdrawn) == (0, 0, 0)
    assert count(engine, outbox) == 4 and count(engine, deliveries) == 5


def test_the_first_poll_is_a_baseline_unless_told_to_mail_existing_letters(setup: tuple[Engine, Directory]) -> None:
    engine, directory = setup
    quiet = Policy("immediate", 7, False, CAL)
    first = sync_feed(engine, feed(OLD), directory, quiet, NOW)
    assert first.baseline and first.new_mails == 0 and count(engine, outbox) == 0
    assert count(engine, deliveries) == 1  # the unit can still confirm it
    later = sync_feed(engine, feed(OLD, PLAN), directory, quiet, NOW)
    assert not later.baseline and later.new_mails == 2


def test_urgent_letters_go_at_once_and_others_wait_for_the_digest(setup: tuple[Engine, Directory]) -> None:
    engine, directory = setup
    digest = Policy("digest", 7, True, CAL)
    sync_feed(engine, feed(URGENT, PLAN), directory, digest, NOW)
    with engine.connect() as conn:
        rows = {(r.document, r.unit): r for r in conn.execute(select(outbox))}
    assert rows[(URGENT.sha256, "ldld-hoa-an")].due_at == NOW and not rows[(URGENT.sha256, "ldld-hoa-an")].digest
    plan = rows[(PLAN.sha256, "cd-y-te")]
    assert plan.digest and plan.due_at == dt.datetime(2026, 12, 2, 7, 0, tzinfo=VN)
    assert box.claim(engine, NOW).documents == (URGENT.sha256,)  # type: ignore[union-attr]
    assert box.claim(engine, NOW).documents == (URGENT.sha256,)  # type: ignore[union-attr]
    assert box.claim(engine, NOW) is None  # the plan waits
    at_seven = dt.datetime(2026, 12, 2, 7, 0, tzinfo=VN)
    first = box.claim(engine, at_seven)
    assert first is not None and first.digest and first.documents == (PLAN.sha256,)


def test_a_withdrawn_document_keeps_its_receipts_and_is_never_mailed_again(setup: tuple[Engine, Directory]) -> None:
    engine, directory = setup
    sync_feed(engine, feed(URGENT, PLAN), directory, IMMEDIATE, NOW)
    sent = box.claim(engine, NOW)
    assert sent is not None and sent.documents == (URGENT.sha256,)
    box.mark_sent(engine, sent, "vanthu@chauthanh.example.org", NOW)
    assert confirm(engine, URGENT.sha256, sent.unit, "mail", NOW) is not None
    # The feed shrinks: URGENT withdrawn (it is newer than the oldest item still shown).
    shrunk = sync_feed(engine, feed(PLAN, Doc("1/LĐLĐ", "cũ nhất", ("cd-y-te",), published=published(1, 8))),
                       directory, IMMEDIATE, NOW)
    assert shrunk.withdrawn == 1
    state = statuses(engine)
    assert state[(URGENT.sha256[:6], sent.unit, "notice")] == "sent"
    other = "ldld-hoa-an" if sent.unit == "ldld-chau-thanh" else "ldld-chau-thanh"
    assert state[(URGENT.sha256[:6], other, "notice")] == "cancelled"  # never went: never goes
    receipt = lookup(engine, URGENT.sha256, sent.unit)
    assert receipt is not None and receipt.withdrawn and receipt.confirmed_at is not None
    # It comes back: the unsent mail goes, the sent one does not go twice.
    back = sync_feed(engine, feed(URGENT, PLAN), directory, IMMEDIATE, NOW)
    assert back.restored == 1 and back.new_mails == 0
    state = statuses(engine)
    assert state[(URGENT.sha256[:6], sent.unit, "notice")] == "sent"
    assert state[(URGENT.sha256[:6], other, "notice")] == "pending"


def test_a_document_that_scrolled_out_of_the_feed_is_not_withdrawn(setup: tuple[Engine, Directory]) -> None:
    engine, directory = setup
    sync_feed(engine, feed(OLD, URGENT), directory, IMMEDIATE, NOW)
    result = sync_feed(engine, feed(URGENT, PLAN), directory, IMMEDIATE, NOW)  # OLD is older than all shown
    assert result.withdrawn == 0
    with engine.connect() as conn:
        assert conn.execute(select(documents.c.withdrawn_at).where(documents.c.sha256 == OLD.sha256)).scalar() is None


def test_an_empty_feed_withdraws_everything_and_a_fixed_one_undoes_it(setup: tuple[Engine, Directory]) -> None:
    engine, directory = setup
    sync_feed(engine, feed(URGENT, PLAN), directory, IMMEDIATE, NOW)
    assert sync_feed(engine, feed(), directory, IMMEDIATE, NOW).withdrawn == 2
    assert set(statuses(engine).values()) == {"cancelled"}
    assert sync_feed(engine, feed(URGENT, PLAN), directory, IMMEDIATE, NOW).restored == 2
    assert set(statuses(engine).values()) == {"pending"}
    assert count(engine, outbox) == 4 and count(engine, deliveries) == 5


def test_a_confirmation_is_recorded_once(setup: tuple[Engine, Directory]) -> None:
    engine, directory = setup
    sync_feed(engine, feed(PLAN), directory, IMMEDIATE, NOW)
    first = confirm(engine, PLAN.sha256, "cd-y-te", "mail", NOW)
    later = confirm(engine, PLAN.sha256, "cd-y-te", "feed", NOW + dt.timedelta(hours=3))
    assert first is not None and first.first_time and first.confirmed_at == NOW
    assert later is not None and not later.first_time
    assert (later.confirmed_at, later.channel) == (NOW, "mail")
    assert confirm(engine, PLAN.sha256, "ldld-hoa-an", "mail", NOW) is None  # not addressed to it
    assert confirm(engine, "f" * 64, "cd-y-te", "mail", NOW) is None  # unknown document


def test_claims_take_urgent_first_and_a_failed_mail_waits_its_back_off(setup: tuple[Engine, Directory]) -> None:
    engine, directory = setup
    sync_feed(engine, feed(PLAN), directory, IMMEDIATE, NOW)
    sync_feed(engine, feed(PLAN, URGENT), directory, IMMEDIATE, NOW)
    first = box.claim(engine, NOW)
    assert first is not None and first.urgent and first.attempts == 1
    retry = box.Retry(60, 3600, 3)
    assert box.mark_failed(engine, first, "451 thử lại", False, retry, NOW) == "pending"
    taken = []
    while (mail := box.claim(engine, NOW)) is not None:
        taken.append(mail)
    assert {m.documents[0] for m in taken} == {URGENT.sha256, PLAN.sha256} and first.ids not in [m.ids for m in taken]
    again = box.claim(engine, NOW + dt.timedelta(seconds=61))
    assert again is not None and again.ids == first.ids and again.attempts == 2
    assert again.message_key == first.message_key  # a retry is the same mail
    assert box.mark_failed(engine, again, "550 không có hộp thư", True, retry, NOW) == "failed"
    assert box.claim(engine, NOW + dt.timedelta(days=1)) is None


def test_recover_puts_interrupted_mails_back_with_their_message_key(setup: tuple[Engine, Directory]) -> None:
    engine, directory = setup
    sync_feed(engine, feed(URGENT), directory, IMMEDIATE, NOW)
    interrupted = box.claim(engine, NOW)
    assert interrupted is not None
    assert box.recover(engine) == 1
    again = box.claim(engine, NOW)
    assert again is not None and again.ids == interrupted.ids and again.message_key == interrupted.message_key


def test_monthly_report_counts_received_confirmed_late_and_not_confirmed(setup: tuple[Engine, Directory]) -> None:
    engine, directory = setup
    deadlines = Deadlines(CAL, 2, 8)
    sync_feed(engine, feed(URGENT, PLAN), directory, IMMEDIATE, NOW)
    confirm(engine, URGENT.sha256, "ldld-chau-thanh", "mail", NOW + dt.timedelta(hours=1))  # in time
    confirm(engine, URGENT.sha256, "ldld-hoa-an", "mail", NOW + dt.timedelta(hours=5))  # past 10:00: late
    confirm(engine, PLAN.sha256, "cd-y-te", "feed", NOW + dt.timedelta(hours=26))  # due 08:30 next day: late
    report = monthly_report(engine, "2026-12", directory, deadlines)
    rows = {r.unit: (r.received, r.confirmed, r.late, r.not_confirmed) for r in report.rows}
    assert rows == {"ldld-chau-thanh": (2, 1, 0, 1), "ldld-hoa-an": (1, 1, 1, 0), "cd-y-te": (1, 1, 1, 0),
                    "cdcs-khong-thu": (1, 0, 0, 1)}
    assert report.documents == 2
    assert (report.total.received, report.total.confirmed, report.total.late) == (5, 3, 2)
    assert monthly_report(engine, "2026-11", directory, deadlines).total.received == 0
    csv = report_csv(report)
    assert csv.startswith("\ufeffMã đơn vị,Đơn vị,Văn bản nhận,Đã xác nhận,Xác nhận muộn,Chưa xác nhận\r\n")
    assert "ldld-hoa-an,Liên đoàn Lao động huyện Hòa An,1,1,1,0\r\n" in csv
    assert ",Tổng cộng,5,3,2,2\r\n" in csv
    text = report_text(report)
    assert "tháng 12/2026 (2 văn bản)" in text and "Công đoàn cơ sở chưa có thư" in text


def test_overdue_urgent_letters_are_counted_for_the_office(setup: tuple[Engine, Directory]) -> None:
    engine, directory = setup
    deadlines = Deadlines(CAL, 2, 8)
    sync_feed(engine, feed(URGENT, PLAN), directory, IMMEDIATE, NOW)
    confirm(engine, URGENT.sha256, "ldld-chau-thanh", "mail", NOW)
    docs, total = recent_documents(engine, deadlines, NOW + dt.timedelta(hours=3))
    by_number = {d.letter.number: d for d in docs}
    assert total == 2
    assert (by_number["78/LĐLĐ"].confirmed, by_number["78/LĐLĐ"].units, by_number["78/LĐLĐ"].overdue) == (1, 2, 1)
    assert by_number["80/KH-LĐLĐ"].overdue == 0  # 8 working hours not yet gone
    found = document_detail(engine, URGENT.sha256, directory, deadlines, NOW + dt.timedelta(hours=3))
    assert found is not None
    summary, rows = found
    assert (summary.units, summary.confirmed, summary.overdue) == (2, 1, 1)
    assert [(r.unit, r.overdue, r.confirmed_at is not None) for r in rows] == [
        ("ldld-chau-thanh", False, True), ("ldld-hoa-an", True, False)]
    assert rows[1].emails == ("vanthu@hoaan.example.org",)
