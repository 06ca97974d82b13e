"""The outbox: which mail goes next, and what became of it.

A row moves   pending --claim--> sending --SMTP accepted--> sent
                                         --refused/timeout--> pending again (back-off) or failed
Each step is its own committed transaction, and a mail's Message-ID is fixed by what it carries
(`message_key`: the document(s), the unit, the kind), so:

* a crash before the SMTP server accepted the mail leaves the row `sending`; at start the service
  puts it back to `pending` (recover) and sends it: no gap;
* a crash after the server accepted it but before `sent` was committed (a window of one database
  commit) also leaves it `sending`: it is sent again after the restart, with the same Message-ID and
  the same confirmation link. That is the one case where a unit can get a second copy, and mail
  stores that drop a repeated Message-ID show it once. Nothing else is ever sent twice: a row marked
  `sent` is never claimed again, and the unique (document, unit, kind) key stops a second row.

Rows are claimed one mail at a time, so at most one mail is ever in that window. Run one notifier
per database (the systemd unit of the README does).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy import Engine, and_, or_, select, update

from .database import retrying, writing
from .schema import deliveries, outbox


@dataclass(frozen=True)
class Claimed:
    ids: tuple[int, ...]
    unit: str
    kind: str  # notice | reminder
    documents: tuple[str, ...]  # sha256, in the mail's order
    message_key: str
    attempts: int  # this attempt's number (1 = first)
    urgent: bool
    digest: bool


@dataclass(frozen=True)
class Retry:
    base_seconds: float
    max_seconds: float
    max_attempts: int

    def delay(self, attempts: int) -> dt.timedelta:
        return dt.timedelta(seconds=min(self.base_seconds * 2 ** max(attempts - 1, 0), self.max_seconds))


def message_key(kind: str, unit: str, shas: tuple[str, ...]) -> str:
    """Left part of the Message-ID: the same mail always gets the same one."""
    if len(shas) == 1:
        return f"{kind}.{shas[0][:32]}.{unit}"
    digest = hashlib.sha256("\n".join(sorted(shas)).encode()).hexdigest()[:32]
    return f"{kind}-digest.{digest}.{unit}"


def recover(engine: Engine) -> int:
    """At start: mails left `sending` by a stopped or killed run go back to `pending` with their key."""
    def work() -> int:
        with writing(engine) as conn:
            return conn.execute(update(outbox).where(outbox.c.status == "sending").values(status="pending")).rowcount
    return retrying(work)


def _claim(engine: Engine, now: dt.datetime) -> Claimed | None:
    with writing(engine) as conn:
        due = and_(outbox.c.status == "pending", outbox.c.due_at <= now, outbox.c.next_attempt_at <= now)
        first = conn.execute(select(outbox).where(due)
                             .order_by(outbox.c.urgent.desc(), outbox.c.due_at, outbox.c.id).limit(1)).first()
        if first is None:
            return None
        if first.message_key:  # recovered after a crash: exactly the same mail again
            rows = conn.execute(select(outbox).where(and_(outbox.c.status == "pending",
                                                          outbox.c.message_key == first.message_key))
                                .order_by(outbox.c.id)).all()
        elif first.digest:
            rows = conn.execute(select(outbox).where(and_(due, outbox.c.unit == first.unit, outbox.c.digest,
                                                          outbox.c.kind == first.kind,
                                                          or_(outbox.c.message_key.is_(None),
                                                              outbox.c.message_key == "")))
                                .order_by(outbox.c.id)).all()
        else:
            rows = [first]
        ids = tuple(r.id for r in rows)
        shas = tuple(r.document for r in rows)
        key = first.message_key or message_key(first.kind, first.unit, shas)
        attempts = max(r.attempts for r in rows) + 1
        done = conn.execute(update(outbox).where(and_(outbox.c.id.in_(ids), outbox.c.status == "pending"))
                            .values(status="sending", attempts=attempts, claimed_at=now, message_key=key)).rowcount
        if done != len(ids):  # another notifier got there first: leave it all to them
            conn.rollback()
            return None
        return Claimed(ids, first.unit, first.kind, shas, key, attempts, bool(first.urgent), bool(first.digest))


def claim(engine: Engine, now: dt.datetime) -> Claimed | None:
    """The next mail due (urgent first), marked `sending`; None when nothing is due."""
    return retrying(lambda: _claim(engine, now))


def mark_sent(engine: Engine, mail: Claimed, sent_to: str, now: dt.datetime) -> None:
    def work() -> None:
        with writing(engine) as conn:
            conn.execute(update(outbox).where(and_(outbox.c.id.in_(mail.ids), outbox.c.status == "sending"))
                         .values(status="sent", sent_at=now, sent_to=sent_to, last_error=None))
            if mail.kind == "notice":
                conn.execute(update(deliveries).where(and_(deliveries.c.document.in_(mail.documents),
                                                           deliveries.c.unit == mail.unit,
                                                           deliveries.c.notified_at.is_(None)))
                             .values(notified_at=now))
    retrying(work)


def mark_failed(engine: Engine, mail: Claimed, error: str, permanent: bool, retry: Retry, now: dt.datetime) -> str:
    """Back to `pending` after a back-off, or `failed` for good. Returns the new status."""
    status = "failed" if permanent or mail.attempts >= retry.max_attempts else "pending"
    when = now + retry.delay(mail.attempts)

    def work() -> None:
        with writing(engine) as conn:
            conn.execute(update(outbox).where(and_(outbox.c.id.in_(mail.ids), outbox.c.status == "sending"))
                         .values(status=status, next_attempt_at=when, last_error=error[:1000]))
    retrying(work)
    return status


def mark_cancelled(engine: Engine, mail: Claimed, reason: str) -> None:
    def work() -> None:
        with writing(engine) as conn:
            conn.execute(update(outbox).where(and_(outbox.c.id.in_(mail.ids), outbox.c.status == "sending"))
                         .values(status="cancelled", last_error=reason))
    retrying(work)

