"""What the office sees: the service's health, every document with who confirmed and who has not,
and the monthly report per unit (received, confirmed, confirmed late, not confirmed).

A confirmation is late when it came after its deadline (workhours.Deadlines: urgent letters 2 working
hours by default, others 8, counted from the unit's mail, or from when the letter was first seen for
a unit without an address). The report counts the documents published in the month (portal time
zone); documents withdrawn since, and those already on the site when the service first ran, are left
out (their receipts stay, on the document's page).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, and_, func, select

from .database import reading, retrying
from .directory import Directory
from .letters import Letter
from .schema import deliveries, documents, outbox, state
from .workhours import Deadlines


@dataclass(frozen=True)
class Health:
    last_poll: dt.datetime | None
    last_good_poll: dt.datetime | None
    feed_error: str
    outbox: dict[str, int]  # status -> rows
    failures: tuple[tuple[str, str, str, str], ...]  # (document number/title, unit, status, error)


@dataclass(frozen=True)
class UnitReceipt:
    unit: str
    name: str
    emails: tuple[str, ...]
    notified_at: dt.datetime | None
    mail_status: str | None  # the notice's outbox status, None for a unit without an address
    mail_error: str | None
    reminded_at: dt.datetime | None
    confirmed_at: dt.datetime | None
    channel: str | None
    deadline: dt.datetime
    overdue: bool  # not confirmed and past the deadline
    late: bool  # confirmed after the deadline


@dataclass(frozen=True)
class DocumentSummary:
    letter: Letter
    published_at: dt.datetime
    withdrawn: bool
    baseline: bool
    units: int
    confirmed: int
    overdue: int


@dataclass(frozen=True)
class ReportRow:
    unit: str
    name: str
    received: int
    confirmed: int
    late: int

    @property
    def not_confirmed(self) -> int:
        return self.received - self.confirmed


@dataclass(frozen=True)
class MonthlyReport:
    month: str
    documents: int
    rows: tuple[ReportRow, ...]

    @property
    def total(self) -> ReportRow:
        return ReportRow("", "Tổng cộng", sum(r.received for r in self.rows), sum(r.confirmed for r in self.rows),
                         sum(r.late for r in self.rows))


def _letter(r: Any) -> Letter:
    return Letter(r.sha256, r.number, r.title, r.subject, r.type_name, r.urgency, r.issued_date, r.signer, r.url,
                  r.pdf_url)


def health(engine: Engine) -> Health:
    def work() -> Health:
        with reading(engine) as conn:
            facts = {r.key: (r.value, r.updated_at) for r in conn.execute(select(state))}
            counts = {r.status: r.n for r in conn.execute(
                select(outbox.c.status, func.count().label("n")).group_by(outbox.c.status))}
            failures = conn.execute(
                select(documents.c.number, documents.c.title, outbox.c.unit, outbox.c.status, outbox.c.last_error)
                .join(documents, documents.c.sha256 == outbox.c.document)
                .where(and_(outbox.c.last_error.is_not(None), outbox.c.status.in_(("failed", "pending"))))
                .order_by(outbox.c.id.desc()).limit(20)).all()

        def moment(key: str) -> dt.datetime | None:
            return facts[key][1] if key in facts else None
        return Health(moment("last_poll"), moment("last_good_poll"), facts.get("feed_error", ("", None))[0],
                      counts, tuple((f.number or f.title, f.unit, f.status, f.last_error or "") for f in failures))
    return retrying(work)


def _receipts(engine: Engine, shas: list[str]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    with reading(engine) as conn:
        for start in range(0, len(shas), 400):
            part = shas[start:start + 400]
            for row in conn.execute(select(deliveries).where(deliveries.c.document.in_(part))):
                out.setdefault(row.document, []).append(row)
    return out


def _deadline(row: Any, urgent: bool, deadlines: Deadlines) -> dt.datetime:
    start = row.notified_at or row.addressed_at
    return deadlines.due(start, urgent)


def recent_documents(engine: Engine, deadlines: Deadlines, now: dt.datetime, limit: int = 200,
                     offset: int = 0) -> tuple[list[DocumentSummary], int]:
    """Newest first, with counts; and how many documents there are in all."""
    def work() -> tuple[list[DocumentSummary], int]:
        with reading(engine) as conn:
            total = conn.execute(select(func.count()).select_from(documents)).scalar_one()
            rows = conn.execute(select(documents).order_by(documents.c.published_at.desc(), documents.c.sha256)
                                .limit(limit).offset(offset)).all()
        receipts = _receipts(engine, [r.sha256 for r in rows])
        out = []
        for r in rows:
            units = receipts.get(r.sha256, [])
            confirmed = sum(1 for u in units if u.confirmed_at is not None)
            active = not (r.withdrawn_at or r.baseline)
            overdue = sum(1 for u in units
                          if active and u.confirmed_at is None and _deadline(u, bool(r.urgency), deadlines) <= now)
            out.append(DocumentSummary(_letter(r), r.published_at, r.withdrawn_at is not None, bool(r.baseline),
                                       len(units), confirmed, overdue))
        return out, total
    return retrying(work)


def document_detail(engine: Engine, sha256: str, directory: Directory, deadlines: Deadlines,
                    now: dt.datetime) -> tuple[DocumentSummary, list[UnitReceipt]] | None:
    def work() -> tuple[DocumentSummary, list[UnitReceipt]] | None:
        with reading(engine) as conn:
            doc = conn.execute(select(documents).where(documents.c.sha256 == sha256)).first()
            if doc is None:
                return None
            units = conn.execute(select(deliveries).where(deliveries.c.document == sha256)).all()
            mails = {(m.unit, m.kind): m for m in conn.execute(select(outbox).where(outbox.c.document == sha256))}
        urgent = bool(doc.urgency)
        rows = []
        for u in sorted(units, key=lambda u: directory.order(u.unit)):
            deadline = _deadline(u, urgent, deadlines)
            mail = mails.get((u.unit, "notice"))
            remind = mails.get((u.unit, "reminder"))
            unit = directory.unit(u.unit)
            active = not (doc.withdrawn_at or doc.baseline)
            rows.append(UnitReceipt(
                u.unit, directory.name(u.unit), unit.emails if unit else (), u.notified_at,
                mail.status if mail else None, mail.last_error if mail else None,
                remind.sent_at if remind else None, u.confirmed_at, u.channel, deadline,
                active and u.confirmed_at is None and deadline <= now,
                u.confirmed_at is not None and u.confirmed_at > deadline,
            ))
        summary = DocumentSummary(_letter(doc), doc.published_at, doc.withdrawn_at is not None, bool(doc.baseline),
                                  len(rows), sum(1 for r in rows if r.confirmed_at), sum(1 for r in rows if r.overdue))
        return summary, rows
    return retrying(work)


def monthly_report(engine: Engine, month: str, directory: Directory, deadlines: Deadlines) -> MonthlyReport:
    """Per unit, over the documents published in `month` ('2026-12'). ValueError for a malformed month."""
    start, end = deadlines.calendar.month_bounds(month)

    def work() -> MonthlyReport:
        with reading(engine) as conn:
            rows = conn.execute(
                select(deliveries, documents.c.urgency)
                .join(documents, documents.c.sha256 == deliveries.c.document)
                .where(and_(documents.c.published_at >= start, documents.c.published_at < end,
                            documents.c.withdrawn_at.is_(None), documents.c.baseline.is_(False)))).all()
        received: Counter[str] = Counter()
        confirmed: Counter[str] = Counter()
        late: Counter[str] = Counter()
        for r in rows:
            received[r.unit] += 1
            if r.confirmed_at is not None:
                confirmed[r.unit] += 1
                if r.confirmed_at > _deadline(r, bool(r.urgency), deadlines):
                    late[r.unit] += 1
        units = [u.id for u in directory.units] + sorted(set(received) - {u.id for u in directory.units})
        table = tuple(ReportRow(u, directory.name(u), received[u], confirmed[u], late[u]) for u in units)
        return MonthlyReport(month, len({r.document for r in rows}), table)
    return retrying(work)


CSV_HEADER = ("Mã đơn vị", "Đơn vị", "Văn bản nhận", "Đã xác nhận", "Xác nhận muộn", "Chưa xác nhận")


def report_csv(report: MonthlyReport) -> str:
    """CSV with a byte-order mark, so spreadsheet programs read the Vietnamese right."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for r in (*report.rows, report.total):
        writer.writerow((r.unit, r.name, r.received, r.confirmed, r.late, r.not_confirmed))
    return "\ufeff" + out.getvalue()


def report_text(report: MonthlyReport) -> str:
    """The report as a plain table for the terminal."""
    head = ("Đơn vị", "Nhận", "Đã xác nhận", "Muộn", "Chưa xác nhận")
    body = [(r.name, str(r.received), str(r.confirmed), str(r.late), str(r.not_confirmed))
            for r in (*report.rows, report.total)]
    widths = [max(len(row[i]) for row in (head, *body)) for i in range(len(head))]

    def line(cells: Iterable[str]) -> str:
        cells = list(cells)
        return "  ".join([cells[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(cells[1:], widths[1:],
                                                                                    strict=True)])
    rule = "-" * (sum(widths) + 2 * (len(widths) - 1))
    title = f"Báo cáo xác nhận đã nhận văn bản tháng {report.month[5:]}/{report.month[:4]} " \
            f"({report.documents} văn bản)"
    return "\n".join([title, rule, line(head), rule, *[line(b) for b in body[:-1]], rule, line(body[-1])]) + "\n"
