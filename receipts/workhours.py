"""Working hours: when an unconfirmed letter becomes overdue, and when the daily digest goes.

Working days are Monday to Friday, less the holidays of receipts.yml; working hours are the spans
of CONGBO_RECEIPTS_WORK_HOURS (07:30–11:30 and 13:30–17:00 by default), in the portal's time zone.
"2 working hours" after a letter sent at 16:30 on a Friday ends at 09:00 on Monday.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from zoneinfo import ZoneInfo

Span = tuple[dt.time, dt.time]


@dataclass(frozen=True)
class Calendar:
    spans: tuple[Span, ...]
    zone: ZoneInfo
    holidays: Collection[dt.date] = frozenset()

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def add(self, start: dt.datetime, hours: float) -> dt.datetime:
        """The moment `hours` working hours after `start` (aware). Zero hours: the next working moment."""
        left = dt.timedelta(hours=hours)
        local = start.astimezone(self.zone)
        day = local.date()
        for _ in range(3700):  # ten years of days: ends long before for any sane configuration
            if self.is_working_day(day):
                for begin, end in self.spans:
                    span_start = dt.datetime.combine(day, begin, self.zone)
                    span_end = dt.datetime.combine(day, end, self.zone)
                    if span_end <= local:
                        continue
                    frm = max(span_start, local)
                    if frm + left <= span_end:
                        return (frm + left).astimezone(dt.UTC)
                    left -= span_end - frm
            day += dt.timedelta(days=1)
            local = dt.datetime.combine(day, dt.time(0), self.zone)
        raise ValueError("no working hours in the calendar")

    def next_digest(self, now: dt.datetime, hour: int) -> dt.datetime:
        """The next daily digest time at `hour`:00 local, now or later."""
        local = now.astimezone(self.zone)
        today = dt.datetime.combine(local.date(), dt.time(hour), self.zone)
        moment = today if today >= local else today + dt.timedelta(days=1)
        return moment.astimezone(dt.UTC)

    def month_bounds(self, month: str) -> tuple[dt.datetime, dt.datetime]:
        """'2026-12' -> [first moment, first moment of the next month) in UTC. ValueError if malformed."""
        year, mon = (int(p) for p in month.split("-"))
        if not (2000 <= year <= 2200 and 1 <= mon <= 12) or len(month) != 7:
            raise ValueError(month)
        start = dt.datetime(year, mon, 1, tzinfo=self.zone)
        end = dt.datetime(year + (mon == 12), mon % 12 + 1, 1, tzinfo=self.zone)
        return start.astimezone(dt.UTC), end.astimezone(dt.UTC)

    def local(self, moment: dt.datetime) -> dt.datetime:
        return moment.astimezone(self.zone)


@dataclass(frozen=True)
class Deadlines:
    """When a unit's confirmation is due: urgent letters after `urgent_hours` working hours, others after
    `normal_hours`, counted from the mail (or, for a unit without an address, from when the letter was
    first seen)."""

    calendar: Calendar
    urgent_hours: float
    normal_hours: float

    def due(self, start: dt.datetime, urgent: bool) -> dt.datetime:
        return self.calendar.add(start, self.urgent_hours if urgent else self.normal_hours)
