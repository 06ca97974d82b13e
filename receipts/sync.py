"""One feed poll into the database, in one transaction: new documents, whom they reach, the mails to
send; documents that left the feed marked withdrawn (never deleted: their receipts stay).

The published feed lists only the newest documents (50 in the portal today). A document missing
from it is withdrawn only if it is not older than the oldest one the feed still shows; an older one
simply scrolled out. Withdrawal is undone if the document comes back. A withdrawn document's mails
not yet sent are cancelled; one already sent is never sent again (the outbox row stays `sent`).

On the very first poll (an empty database) the documents already on the site are recorded as the
baseline: units may confirm them, but they are not mailed and not counted in reports, unless
CONGBO_RECEIPTS_MAIL_EXISTING=1.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Table, and_, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from .database import retrying, writing
from .directory import Directory
from .feed import Feed, FeedItem
from .schema import deliveries, documents, outbox, state
from .workhours import Calendar

CHUNK = 400  # ids per IN (...): well under SQLite's parameter limit


@dataclass(frozen=True)
class Policy:
    mode: str  # "immediate" | "digest"
    digest_hour: int
    mail_existing: bool
    calendar: Calendar


@dataclass(frozen=True)
class SyncResult:
    new_documents: int
    new_mails: int
    withdrawn: int
    restored: int
    baseline: bool


def insert_ignoring(conn: Connection, table: Table, rows: Sequence[dict[str, Any]], keys: list[str]) -> None:
    """INSERT ... ON CONFLICT DO NOTHING, in SQLite and PostgreSQL."""
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(dialect.insert(table).on_conflict_do_nothing(index_elements=keys), list(rows))


def set_state(conn: Connection, key: str, value: str, now: dt.datetime) -> None:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(state).values(key=key, value=value, updated_at=now)
    conn.execute(statement.on_conflict_do_update(index_elements=["key"],
                                                 set_={"value": value, "updated_at": now}))


def get_state(conn: Connection, key: str) -> tuple[str, dt.datetime] | None:
    row = conn.execute(select(state.c.value, state.c.updated_at).where(state.c.key == key)).first()
    return (row.value, row.updated_at) if row else None


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def mail_due(item: FeedItem, unit_digest: bool | None, policy: Policy, now: dt.datetime) -> dt.datetime | None:
    """When the notice goes: now (urgent letters always), or None for the unit's next daily digest."""
    digest = unit_digest if unit_digest is not None else policy.mode == "digest"
    return now if item.urgency or not digest else None


def _document_row(item: FeedItem, now: dt.datetime, baseline: bool) -> dict[str, Any]:
    return {
        "sha256": item.sha256, "number": item.number, "title": item.title, "subject": item.subject,
        "type_name": item.type_name, "urgency": item.urgency, "issued_date": item.issued_date,
        "signer": item.signer, "url": item.url, "pdf_url": item.pdf_url, "published_at": item.published_at,
        "first_seen_at": now, "last_seen_at": now, "withdrawn_at": None, "baseline": baseline,
    }


def _reach(item: FeedItem, units: Iterable[str], directory: Directory, policy: Policy, now: dt.datetime,
           mail: bool, delivery_rows: list[dict[str, Any]], mail_rows: list[dict[str, Any]]) -> None:
    for unit_id in units:
        delivery_rows.append({"document": item.sha256, "unit": unit_id, "addressed_at": now})
        unit = directory.unit(unit_id)
        if mail and unit is not None and unit.emails:
            due = mail_due(item, unit.digest, policy, now)
            digest = due is None
            due = due or policy.calendar.next_digest(now, policy.digest_hour)
            mail_rows.append({
                "document": item.sha256, "unit": unit_id, "kind": "notice", "urgent": bool(item.urgency),
                "digest": digest, "status": "pending", "attempts": 0, "created_at": now, "due_at": due,
                "next_attempt_at": due,
            })


def _sync(engine: Engine, feed: Feed, directory: Directory, policy: Policy, now: dt.datetime) -> SyncResult:
    with writing(engine) as conn:
        baseline = get_state(conn, "initialised") is None and not policy.mail_existing
        shas = [i.sha256 for i in feed.items]
        known: dict[str, Any] = {}
        reached: dict[str, set[str]] = {}
        for part in _chunks(shas):
            for doc in conn.execute(select(documents.c.sha256, documents.c.withdrawn_at, documents.c.baseline)
                                    .where(documents.c.sha256.in_(part))):
                known[doc.sha256] = doc
            for pair in conn.execute(select(deliveries.c.document, deliveries.c.unit)
                                     .where(deliveries.c.document.in_(part))):
                reached.setdefault(pair.document, set()).add(pair.unit)
        new_docs: list[dict[str, Any]] = []
        delivery_rows: list[dict[str, Any]] = []
        mail_rows: list[dict[str, Any]] = []
        restored: list[str] = []
        for item in feed.items:
            units = directory.expand(item.units)
            row = known.get(item.sha256)
            if row is None:
                new_docs.append(_document_row(item, now, baseline))
                _reach(item, units, directory, policy, now, not baseline, delivery_rows, mail_rows)
                continue
            if row.withdrawn_at is not None:
                restored.append(item.sha256)
            missing = [u for u in units if u not in reached.get(item.sha256, set())]
            _reach(item, missing, directory, policy, now, not row.baseline, delivery_rows, mail_rows)
        if new_docs:
            conn.execute(insert(documents), new_docs)
        insert_ignoring(conn, deliveries, delivery_rows, ["document", "unit"])
        insert_ignoring(conn, outbox, mail_rows, ["document", "unit", "kind"])
        seen = [s for s in shas if s in known]
        for part in _chunks(seen):
            conn.execute(update(documents).where(documents.c.sha256.in_(part)).values(last_seen_at=now))
        for part in _chunks(restored):
            conn.execute(update(documents).where(documents.c.sha256.in_(part)).values(withdrawn_at=None))
            conn.execute(update(outbox).where(and_(outbox.c.document.in_(part), outbox.c.status == "cancelled"))
                         .values(status="pending", next_attempt_at=now))
        withdrawn = _withdraw(conn, feed, set(shas), now)
        if get_state(conn, "initialised") is None:
            set_state(conn, "initialised", now.isoformat(), now)
        return SyncResult(len(new_docs), len(mail_rows), withdrawn, len(restored), baseline and bool(new_docs))


def _withdraw(conn: Connection, feed: Feed, present: set[str], now: dt.datetime) -> int:
    query = select(documents.c.sha256).where(documents.c.withdrawn_at.is_(None))
    if feed.items:
        query = query.where(documents.c.published_at >= min(i.published_at for i in feed.items))
    gone = [sha for sha in conn.execute(query).scalars() if sha not in present]
    for part in _chunks(gone):
        conn.execute(update(documents).where(documents.c.sha256.in_(part)).values(withdrawn_at=now))
        conn.execute(update(outbox).where(and_(outbox.c.document.in_(part), outbox.c.status == "pending"))
                     .values(status="cancelled", last_error="văn bản đã thu hồi trước khi gửi"))
    return len(gone)


def sync_feed(engine: Engine, feed: Feed, directory: Directory, policy: Policy, now: dt.datetime) -> SyncResult:
    """Record one poll of the feed. The whole poll is one transaction: all of it or nothing."""
    return retrying(lambda: _sync(engine, feed, directory, policy, now))


def record_poll(engine: Engine, now: dt.datetime, error: str | None) -> None:
    """What the office page shows about the feed: the last poll, the last good one, the last error."""
    def work() -> None:
        with writing(engine) as conn:
            set_state(conn, "last_poll", now.isoformat(), now)
            if error is None:
                set_state(conn, "last_good_poll", now.isoformat(), now)
                set_state(conn, "feed_error", "", now)
            else:
                set_state(conn, "feed_error", error, now)
    retrying(work)
