"""Did documents go out on time? (issue 7) Pure functions: records in, statistics out.

The rule (DOMAIN.md §1): a document goes out the day it is signed, at the latest the next working
morning; urgent ones (Khẩn, Thượng khẩn, Hỏa tốc) at once.

- Signing time: the organisation's signature (Decree 30: the office signs last, just before sending),
  its timestamp token's time when it has a valid one, else the time the signature claims. Without an
  organisation signature, the last approval signature. Without any, the document is "unknown".
- Publication time: the first commit that added the document (`Document.published_at`).
- Both are compared in Viet Nam time (UTC+7, no daylight saving).
- "Same day": published on the calendar day of signing (or, clocks being what they are, before it).
- "Next working morning": published before 12:00 of the first working day after the signing day.
  Working days are Monday to Friday; `holidays` (dates, portal.yml `timeliness.holidays`) are
  skipped too.
- "Late": anything after that.
- An urgent document published more than two hours after signing is flagged, whatever its class.
- A month is the month of signing (the month whose obligation it was); withdrawn documents count,
  since they were published.
- "Imported" (issue 20): a backlog put on the portal at once says nothing of the office's promptness.
  A document that was not out by the next working morning is imported, not late, when it came in a
  commit that added BULK_IMPORT documents or more (an office publishing as it signs adds a few at a
  time), or in the portal's very first commit more than IMPORT_AGE after it was signed. Imported
  documents are counted apart and never flagged as urgent ones published late.
- `since` (portal.yml `timeliness.since`): a document first published before that day (Viet Nam
  time) is imported and not judged at all, on time or not: the office says when it began publishing
  as it signs.
"""

from __future__ import annotations

import datetime as dt
import enum
import operator
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from pipeline.present import VIETNAM, local
from pipeline.records import Document, Metadata, SignatureReport, WithdrawnDocument

MORNING_ENDS = dt.time(12, 0)
URGENT_LIMIT = dt.timedelta(hours=2)
BULK_IMPORT = 10  # documents first published by one commit (one commit time): an import
IMPORT_AGE = dt.timedelta(days=7)  # in the portal's first commit, older than this: the backlog
WORKING_WEEKDAYS = frozenset(range(5))  # Monday .. Friday


class Timeliness(enum.Enum):
    SAME_DAY = "same-day"
    NEXT_MORNING = "next-morning"
    LATE = "late"
    UNKNOWN = "unknown"
    IMPORTED = "imported"  # came with a backlog imported at once: not judged


@dataclass(frozen=True)
class Published:
    """What the on-time rule needs to know about one published document."""

    slug: str
    number: str | None
    subject: str | None
    urgency: str | None
    body: str  # the signing body: the organisation certificate's name
    signed_at: dt.datetime | None  # aware
    published_at: dt.datetime  # aware
    withdrawn: bool = False


@dataclass(frozen=True)
class Verdict:
    item: Published
    timeliness: Timeliness
    delay: dt.timedelta | None  # publication minus signing
    urgent_late: bool
    month: str  # "2026-11"


@dataclass(frozen=True)
class Row:
    body: str
    same_day: int
    next_morning: int
    late: int
    unknown: int
    imported: int = 0

    @property
    def total(self) -> int:
        return self.same_day + self.next_morning + self.late + self.unknown + self.imported


@dataclass(frozen=True)
class MonthReport:
    month: str  # "2026-11"
    rows: tuple[Row, ...]  # one per signing body, by name
    urgent_late: tuple[Verdict, ...]  # urgent documents published more than two hours after signing
    late: tuple[Verdict, ...]  # every late document
    unknown: tuple[Verdict, ...]  # signing time unknown
    imported: tuple[Verdict, ...] = ()  # came with a backlog imported at once

    @property
    def total(self) -> Row:
        return Row("Tổng", *(sum(getattr(r, f) for r in self.rows) for f in ("same_day", "next_morning", "late",
                                                                              "unknown", "imported")))


def signing_time(signatures: tuple[SignatureReport, ...]) -> tuple[dt.datetime | None, str | None]:
    """(time, body) of the organisation's signature, else of the last approval signature."""
    approvals = [s for s in signatures if s.role != "timestamp"]
    organisation = [s for s in approvals if s.role == "organisation"]
    chosen = organisation[-1] if organisation else (approvals[-1] if approvals else None)
    if chosen is None:
        return None, None
    moment = chosen.timestamp_at if chosen.timestamp_at and chosen.timestamp_ok else chosen.signed_at
    body = chosen.signer if chosen.role == "organisation" else (chosen.organisation or chosen.signer)
    return moment, body


def is_working_day(day: dt.date, holidays: frozenset[dt.date] = frozenset()) -> bool:
    return day.weekday() in WORKING_WEEKDAYS and day not in holidays


def next_working_day(day: dt.date, holidays: frozenset[dt.date] = frozenset()) -> dt.date:
    following = day + dt.timedelta(days=1)
    while not is_working_day(following, holidays):
        following += dt.timedelta(days=1)
    return following


def deadline(signed: dt.datetime, holidays: frozenset[dt.date] = frozenset()) -> dt.datetime:
    """12:00 (Viet Nam time) of the first working day after the signing day."""
    day = next_working_day(local(signed).date(), holidays)
    return dt.datetime.combine(day, MORNING_ENDS, tzinfo=VIETNAM)


def classify(signed: dt.datetime | None, published: dt.datetime,
             holidays: frozenset[dt.date] = frozenset()) -> Timeliness:
    if signed is None:
        return Timeliness.UNKNOWN
    if local(published).date() <= local(signed).date():
        return Timeliness.SAME_DAY
    if published < deadline(signed, holidays):
        return Timeliness.NEXT_MORNING
    return Timeliness.LATE


def imported(items: Iterable[Published]) -> frozenset[str]:
    """Slugs of the documents that may have come with an imported backlog: those of a commit that
    first published BULK_IMPORT documents or more, and those of the portal's first commit signed
    more than IMPORT_AGE before it. Documents first published together share their commit's time."""
    chosen = list(items)
    if not chosen:
        return frozenset()
    together: dict[dt.datetime, int] = defaultdict(int)
    for item in chosen:
        together[item.published_at] += 1
    first = min(item.published_at for item in chosen)
    def backlog(item: Published) -> bool:
        if together[item.published_at] >= BULK_IMPORT:
            return True
        signed = item.signed_at
        return item.published_at == first and signed is not None and item.published_at - signed > IMPORT_AGE

    return frozenset(item.slug for item in chosen if backlog(item))


def judge(item: Published, holidays: frozenset[dt.date] = frozenset(), backlog: bool = False,
          since: dt.date | None = None) -> Verdict:
    """`backlog`: the document may have come with an imported backlog (`imported`); it is then
    judged only if it went out on time. Published before `since`: imported, never judged."""
    timeliness = classify(item.signed_at, item.published_at, holidays)
    if (backlog and timeliness is Timeliness.LATE) or (since is not None and local(item.published_at).date() < since):
        timeliness = Timeliness.IMPORTED
    delay = item.published_at - item.signed_at if item.signed_at else None
    urgent_late = (bool(item.urgency) and delay is not None and delay > URGENT_LIMIT
                   and timeliness is not Timeliness.IMPORTED)
    month_of = local(item.signed_at or item.published_at)
    return Verdict(item, timeliness, delay, urgent_late, f"{month_of.year:04d}-{month_of.month:02d}")


def _published(slug: str, metadata: Metadata, signatures: tuple[SignatureReport, ...],
               published_at: dt.datetime, withdrawn: bool) -> Published:
    signed, body = signing_time(signatures)
    return Published(slug, metadata.number, metadata.subject, metadata.marks.urgency,
                     body or metadata.organ_name or "không rõ", signed, published_at, withdrawn)


@dataclass
class Judged:
    """What a long-running process (the preview, the watcher) keeps of these judgements between its
    builds (issue 21: 30,000 of each at every build, half a second). An item is a function of its
    document record alone, kept by the record's identity (the decide stage keeps an unchanged
    document as the same object); a verdict, of its item (the same object), whether it may be
    backlog, the holidays and `since`; a month's report, of its verdicts (the same objects)."""

    items: dict[int, tuple[Document | WithdrawnDocument, Published]] = field(default_factory=dict)
    holidays: frozenset[dt.date] = frozenset()
    since: dt.date | None = None
    verdicts: dict[int, tuple[Published, bool, Verdict]] = field(default_factory=dict)
    # month -> its verdicts (the same objects, in order) and the report made of them
    months: dict[str, tuple[list[Verdict], MonthReport]] = field(default_factory=dict)


def items_from(documents: Iterable[Document], withdrawn: Iterable[WithdrawnDocument] = (),
               kept: Judged | None = None) -> tuple[Published, ...]:
    """`kept`: the items of the last build, reused for the same records, and replaced by these."""
    last = kept.items if kept is not None else {}
    made: dict[int, tuple[Document | WithdrawnDocument, Published]] = {}
    items = []
    for records, withdrawn_ones in ((documents, False), (withdrawn, True)):
        for record in records:
            found = last.get(id(record))
            if found is None or found[0] is not record:
                found = (record, _published(record.slug, record.metadata, record.signatures, record.published_at,
                                            withdrawn_ones))
            made[id(record)] = found
            items.append(found[1])
    if kept is not None:
        kept.items = made
    return tuple(items)


def on_time(items: Iterable[Published], holidays: frozenset[dt.date] = frozenset(),
            month: str | None = None, since: dt.date | None = None, kept: Judged | None = None,
            ) -> tuple[MonthReport, ...]:
    """One report per month (newest first), or only `month` ("2026-11"). `holidays` and `since`:
    portal.yml `timeliness` (config.TimelinessSettings). `kept`: the verdicts of the last build,
    reused for the same items under the same settings, and replaced by these."""
    chosen = list(items)
    backlog = imported(chosen)
    if kept is None:
        verdicts = [judge(item, holidays, item.slug in backlog, since) for item in chosen]
    else:
        last = kept.verdicts if (kept.holidays, kept.since) == (holidays, since) else {}
        made: dict[int, tuple[Published, bool, Verdict]] = {}
        verdicts = []
        for item in chosen:
            may_be_backlog = item.slug in backlog
            judged = last.get(id(item))
            if judged is None or judged[0] is not item or judged[1] != may_be_backlog:
                judged = (item, may_be_backlog, judge(item, holidays, may_be_backlog, since))
            made[id(item)] = judged
            verdicts.append(judged[2])
        kept.holidays, kept.since, kept.verdicts = holidays, since, made
    by_month: dict[str, list[Verdict]] = defaultdict(list)
    for verdict in verdicts:
        if month is None or verdict.month == month:
            by_month[verdict.month].append(verdict)
    reports = []
    months = kept.months if kept is not None else {}
    for key in sorted(by_month, reverse=True):
        found = by_month[key]
        last_month = months.get(key)
        if (last_month is not None and len(last_month[0]) == len(found)
                and all(map(operator.is_, last_month[0], found))):
            reports.append(last_month[1])  # the very same verdicts: the same report
            continue
        counts: dict[str, dict[Timeliness, int]] = defaultdict(lambda: dict.fromkeys(Timeliness, 0))
        for verdict in found:
            counts[verdict.item.body][verdict.timeliness] += 1
        rows = tuple(Row(body, c[Timeliness.SAME_DAY], c[Timeliness.NEXT_MORNING], c[Timeliness.LATE],
                         c[Timeliness.UNKNOWN], c[Timeliness.IMPORTED]) for body, c in sorted(counts.items()))
        by_time = sorted(found, key=lambda v: (v.item.signed_at or v.item.published_at, v.item.slug))
        reports.append(MonthReport(
            key, rows,
            tuple(v for v in by_time if v.urgent_late),
            tuple(v for v in by_time if v.timeliness is Timeliness.LATE),
            tuple(v for v in by_time if v.timeliness is Timeliness.UNKNOWN),
            tuple(v for v in by_time if v.timeliness is Timeliness.IMPORTED),
        ))
        if kept is not None:
            months[key] = (found, reports[-1])
    if kept is not None:
        kept.months = {key: months[key] for key in by_month if key in months}
    return tuple(reports)


def duration_vi(delta: dt.timedelta) -> str:
    """"2 ngày 3 giờ 5 phút", "45 phút"."""
    minutes = max(0, int(delta.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [f"{days} ngày" if days else "", f"{hours} giờ" if hours else "", f"{mins} phút" if mins or not
             (days or hours) else ""]
    return " ".join(p for p in parts if p)


def month_vi(month: str) -> str:
    year, number = month.split("-")
    return f"tháng {int(number)}/{year}"


LABELS = {
    Timeliness.SAME_DAY: "Trong ngày ký",
    Timeliness.NEXT_MORNING: "Sáng ngày làm việc kế tiếp",
    Timeliness.LATE: "Muộn",
    Timeliness.UNKNOWN: "Không rõ thời điểm ký",
    Timeliness.IMPORTED: "Nhập cùng lúc từ trước",
}


def table_lines(report: MonthReport) -> list[str]:
    """The month's table as aligned plain-text lines (the same table as the page)."""
    header = ["Cơ quan ký", "Tổng", LABELS[Timeliness.SAME_DAY], LABELS[Timeliness.NEXT_MORNING],
              LABELS[Timeliness.LATE], "Không rõ"]
    rows = [*report.rows, report.total] if len(report.rows) > 1 else list(report.rows)
    cells = [header] + [[r.body, str(r.total), str(r.same_day), str(r.next_morning), str(r.late), str(r.unknown)]
                        for r in rows]
    if report.total.imported:  # a column only for a month with an imported backlog
        cells = [[*row, extra] for row, extra in zip(cells, ["Nhập từ trước"] + [str(r.imported) for r in rows],
                                                          strict=True)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
    lines = []
    for index, row in enumerate(cells):
        first = row[0].ljust(widths[0])
        rest = [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join([first, *rest]))
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines
