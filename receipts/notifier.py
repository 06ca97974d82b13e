"""The notifier: poll the feed, send what is due, remind of overdue urgent letters.

`Notifier.cycle()` does one round; the web service runs it in a background thread (web.py) and
`python -m receipts poll` runs it once. Each step commits on its own (sync.py, outbox.py), so the
process may be stopped or killed at any moment: the next start picks up where it was.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, and_, exists, select

from . import outbox as box
from .database import StoreUnavailable, reading, retrying, writing
from .directory import DirectoryError, load_directory
from .feed import FeedError, load_feed
from .letters import Letter, MailContext, digest, notice, reminder
from .schema import deliveries, documents, outbox
from .settings import Settings
from .smtp import Mailer, SendError
from .sync import Policy, SyncResult, insert_ignoring, record_poll, sync_feed
from .workhours import Calendar, Deadlines

log = logging.getLogger("receipts")
REMIND_WINDOW = dt.timedelta(days=31)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Round:
    polled: bool
    sync: SyncResult | None
    feed_error: str | None
    sent: int
    failed: int  # failed for good this round
    deferred: int  # will be retried
    reminders: int


class Notifier:
    def __init__(self, settings: Settings, engine: Engine, clock: Callable[[], dt.datetime] = utcnow) -> None:
        self.settings = settings
        self.engine = engine
        self.clock = clock
        self.directory = load_directory(settings.portal, settings.addresses)
        self.last_poll = float("-inf")
        self.smtp_paused_until = float("-inf")
        self.retry = box.Retry(settings.retry_seconds, settings.retry_max_seconds, settings.max_attempts)

    @property
    def calendar(self) -> Calendar:
        s = self.settings
        return Calendar(s.work_hours, s.timezone, self.directory.holidays)

    @property
    def deadlines(self) -> Deadlines:
        return Deadlines(self.calendar, self.settings.urgent_hours, self.settings.normal_hours)

    def reload_directory(self) -> None:
        """portal.yml and receipts.yml are read again at every poll; a broken edit keeps the last good one."""
        try:
            self.directory = load_directory(self.settings.portal, self.settings.addresses)
        except DirectoryError as exc:
            log.error("Không đọc được danh sách đơn vị, tiếp tục dùng danh sách cũ: %s", exc)

    # -- feed -------------------------------------------------------------------------------------
    def poll(self) -> tuple[SyncResult | None, str | None]:
        self.last_poll = time.monotonic()
        self.reload_directory()
        now = self.clock()
        try:
            feed = load_feed(self.settings.feed)
        except FeedError as exc:
            log.error("Bản tin: %s", exc)
            record_poll(self.engine, now, str(exc))
            return None, str(exc)
        s = self.settings
        policy = Policy(s.mode, s.digest_hour, s.mail_existing, self.calendar)
        result = sync_feed(self.engine, feed, self.directory, policy, now)
        record_poll(self.engine, now, None)
        if result.new_documents or result.withdrawn or result.restored:
            log.info("Bản tin: %d văn bản mới (%d thư cần gửi%s), %d văn bản đã thu hồi, %d văn bản đăng lại",
                     result.new_documents, result.new_mails, ", lần đầu: không gửi thư" if result.baseline else "",
                     result.withdrawn, result.restored)
        return result, None

    # -- reminders --------------------------------------------------------------------------------
    def remind(self) -> int:
        """Queue one reminder per unit and urgent letter left unconfirmed past its deadline."""
        if not self.settings.remind:
            return 0
        now = self.clock()
        has_reminder = exists().where(and_(outbox.c.document == deliveries.c.document,
                                           outbox.c.unit == deliveries.c.unit, outbox.c.kind == "reminder"))
        query = (select(deliveries.c.document, deliveries.c.unit, deliveries.c.addressed_at,
                        deliveries.c.notified_at)
                 .join(documents, documents.c.sha256 == deliveries.c.document)
                 .where(documents.c.urgency.is_not(None), documents.c.withdrawn_at.is_(None),
                        documents.c.baseline.is_(False), deliveries.c.confirmed_at.is_(None),
                        deliveries.c.notified_at.is_not(None), deliveries.c.addressed_at >= now - REMIND_WINDOW,
                        ~has_reminder))

        def candidates() -> list[tuple[str, str, dt.datetime]]:
            with reading(self.engine) as conn:
                return [(r.document, r.unit, r.notified_at) for r in conn.execute(query)]
        rows = []
        for document, unit_id, start in retrying(candidates):
            unit = self.directory.unit(unit_id)
            if unit and unit.emails and self.deadlines.due(start, urgent=True) <= now:
                rows.append({"document": document, "unit": unit_id, "kind": "reminder", "urgent": True,
                             "digest": False, "status": "pending", "attempts": 0, "created_at": now,
                             "due_at": now, "next_attempt_at": now})
        if rows:
            def work() -> None:
                with writing(self.engine) as conn:
                    insert_ignoring(conn, outbox, rows, ["document", "unit", "kind"])
            retrying(work)
            log.info("Nhắc %d đơn vị chưa xác nhận văn bản khẩn", len(rows))
        return len(rows)

    # -- sending ----------------------------------------------------------------------------------
    def _letters(self, shas: tuple[str, ...]) -> dict[str, tuple[Letter, bool]]:
        def work() -> dict[str, tuple[Letter, bool]]:
            with reading(self.engine) as conn:
                rows = conn.execute(select(documents).where(documents.c.sha256.in_(shas))).all()
            return {r.sha256: (Letter(r.sha256, r.number, r.title, r.subject, r.type_name, r.urgency,
                                      r.issued_date, r.signer, r.url, r.pdf_url), r.withdrawn_at is not None)
                    for r in rows}
        return retrying(work)

    def _context(self) -> MailContext:
        s = self.settings
        assert s.smtp is not None
        return MailContext(self.directory.organisation, s.smtp.sender, s.public_url, s.secret, s.mail_domain,
                           s.urgent_hours)

    def deliver(self, limit: int | None = None) -> tuple[int, int, int]:
        """Send every mail due now, urgent first. Returns (sent, failed for good, deferred)."""
        smtp = self.settings.smtp
        if smtp is None or time.monotonic() < self.smtp_paused_until:
            return 0, 0, 0
        sent = failed = deferred = 0
        ctx = self._context()
        with Mailer(smtp) as mailer:
            while limit is None or sent + failed + deferred < limit:
                mail = box.claim(self.engine, self.clock())
                if mail is None:
                    break
                unit = self.directory.unit(mail.unit)
                letters = self._letters(mail.documents)
                live = [letters[s][0] for s in mail.documents if s in letters and not letters[s][1]]
                if unit is None or not unit.emails or not live:
                    reason = "văn bản đã thu hồi" if unit and unit.emails else "đơn vị không có địa chỉ thư"
                    box.mark_cancelled(self.engine, mail, reason)
                    continue
                key = mail.message_key
                if mail.kind == "reminder":
                    message = reminder(live[0], unit, key, ctx)
                elif mail.digest and len(mail.documents) > 1:
                    message = digest(live, unit, key, ctx, self.calendar.local(self.clock()).date())
                else:
                    message = notice(live[0], unit, key, ctx)
                try:
                    accepted = mailer.send(message)
                except SendError as exc:
                    status = box.mark_failed(self.engine, mail, str(exc), exc.permanent, self.retry, self.clock())
                    if status == "failed":
                        failed += 1
                        log.error("Không gửi được thư %s tới %s: %s (đã thử %d lần, dừng)", key, unit.id, exc,
                                  mail.attempts)
                    else:
                        deferred += 1
                        log.warning("Chưa gửi được thư %s tới %s: %s; thử lại sau %s", key, unit.id, exc,
                                    self.retry.delay(mail.attempts))
                    if exc.connection:
                        self.smtp_paused_until = time.monotonic() + self.retry.delay(mail.attempts).total_seconds()
                        break
                    continue
                box.mark_sent(self.engine, mail, accepted, self.clock())
                sent += 1
        return sent, failed, deferred

    # -- one round --------------------------------------------------------------------------------
    def due_for_poll(self) -> bool:
        return time.monotonic() - self.last_poll >= self.settings.poll_seconds

    def cycle(self, force_poll: bool = False) -> Round:
        polled = force_poll or self.due_for_poll()
        result, error = self.poll() if polled else (None, None)
        reminders = self.remind()
        sent, failed, deferred = self.deliver()
        return Round(polled, result, error, sent, failed, deferred, reminders)

    def safe_cycle(self, force_poll: bool = False) -> Round | None:
        """A round that never raises: a busy database is logged and tried again next round."""
        try:
            return self.cycle(force_poll)
        except StoreUnavailable as exc:
            log.error("%s", exc)
        except Exception:  # a bug must not stop the notifier for good; it is logged in full
            log.exception("Lỗi không lường trước trong vòng gửi thư")
        return None
