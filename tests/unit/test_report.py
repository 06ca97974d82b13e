"""Issue 7: the on-time rule, as pure functions. Same day, by the next working morning (before 12:00 of
the first working day after the signing day, Monday to Friday), or late; urgent documents flagged when
published more than two hours after signing."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from pipeline.decide.timeliness import (
    Published,
    Timeliness,
    classify,
    deadline,
    duration_vi,
    judge,
    next_working_day,
    on_time,
    signing_time,
    table_lines,
)
from pipeline.records import SignatureReport

ICT = dt.timezone(dt.timedelta(hours=7))


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> dt.datetime:
    """2026-11-<day> hh:mm Viet Nam time. 2026-11-06 is a Friday."""
    return dt.datetime(2026, month, day, hour, minute, tzinfo=ICT)


def item(signed: dt.datetime | None, published: dt.datetime, *, urgency: str | None = None, body: str = "LĐLĐ tỉnh",
         slug: str = "x") -> Published:
    return Published(slug, "78/LĐLĐ", "trích yếu", urgency, body, signed, published)


def test_the_calendar_of_the_test_is_right() -> None:
    assert at(6, 9).weekday() == 4  # Friday


@pytest.mark.parametrize(("signed", "published", "expected"), [
    (at(3, 9), at(3, 23, 59), Timeliness.SAME_DAY),  # Tuesday, the same evening
    (at(3, 9), at(3, 8), Timeliness.SAME_DAY),  # a clock behind: published "before" signing
    (at(3, 17), at(4, 11, 59), Timeliness.NEXT_MORNING),  # Wednesday before noon
    (at(3, 17), at(4, 12, 0), Timeliness.LATE),  # noon is already late
    (at(6, 16), at(9, 11), Timeliness.NEXT_MORNING),  # Friday -> Monday morning
    (at(6, 16), at(7, 10), Timeliness.NEXT_MORNING),  # Friday -> Saturday is before that deadline
    (at(6, 16), at(9, 14), Timeliness.LATE),  # Monday afternoon
    (at(7, 10), at(9, 9), Timeliness.NEXT_MORNING),  # signed on Saturday -> Monday morning
    (at(3, 9), at(5, 9), Timeliness.LATE),  # two days later
    (None, at(5, 9), Timeliness.UNKNOWN),
])
def test_classify(signed: dt.datetime | None, published: dt.datetime, expected: Timeliness) -> None:
    assert classify(signed, published) is expected


def test_times_are_compared_in_viet_nam_time_whatever_zone_they_come_in() -> None:
    # 23:30 ICT on Tuesday is 16:30 UTC the same day; published 00:30 ICT Wednesday = 17:30 UTC Tuesday.
    signed = at(3, 23, 30).astimezone(dt.UTC)
    published = at(4, 0, 30).astimezone(dt.UTC)
    assert signed.date() == published.date()  # same UTC day...
    assert classify(signed, published) is Timeliness.NEXT_MORNING  # ...but the next day in Viet Nam


def test_holidays_are_skipped_like_weekends() -> None:
    holidays = frozenset({dt.date(2026, 11, 9)})  # a Monday off
    assert next_working_day(dt.date(2026, 11, 6)) == dt.date(2026, 11, 9)
    assert next_working_day(dt.date(2026, 11, 6), holidays) == dt.date(2026, 11, 10)
    assert deadline(at(6, 16), holidays) == at(10, 12)
    assert classify(at(6, 16), at(10, 9), holidays) is Timeliness.NEXT_MORNING
    assert classify(at(6, 16), at(10, 9)) is Timeliness.LATE


def test_urgent_documents_are_flagged_after_two_hours_whatever_their_class() -> None:
    assert not judge(item(at(3, 9), at(3, 11), urgency="Khẩn")).urgent_late  # exactly two hours
    flagged = judge(item(at(3, 9), at(3, 11, 1), urgency="Hỏa tốc"))
    assert flagged.urgent_late and flagged.timeliness is Timeliness.SAME_DAY
    assert not judge(item(at(3, 9), at(5, 9))).urgent_late  # late, but not urgent
    assert not judge(item(None, at(5, 9), urgency="Khẩn")).urgent_late  # unknown signing time: not judged


def test_months_are_months_of_signing_and_rows_are_per_signing_body() -> None:
    items = [
        item(at(30, 16, month=10), at(2, 9), slug="a"),  # signed Friday 30 October, out Monday morning
        item(at(3, 9), at(3, 10), slug="b"),
        item(at(3, 9), at(3, 14), urgency="Thượng khẩn", slug="c"),
        item(at(4, 9), at(6, 9), body="Huyện ủy", slug="d"),
        item(None, at(5, 9), slug="e"),
    ]
    reports = on_time(items)
    assert [r.month for r in reports] == ["2026-11", "2026-10"]  # newest first
    november = reports[0]
    rows = {r.body: r for r in november.rows}
    assert list(rows) == ["Huyện ủy", "LĐLĐ tỉnh"]
    assert (rows["LĐLĐ tỉnh"].same_day, rows["LĐLĐ tỉnh"].next_morning, rows["LĐLĐ tỉnh"].late,
            rows["LĐLĐ tỉnh"].unknown) == (2, 0, 0, 1)
    assert (rows["Huyện ủy"].late, rows["Huyện ủy"].total) == (1, 1)
    assert november.total.total == 4
    assert [v.item.slug for v in november.urgent_late] == ["c"]
    assert [v.item.slug for v in november.late] == ["d"]
    assert reports[1].rows[0].next_morning == 1
    assert [r.month for r in on_time(items, month="2026-10")] == ["2026-10"]
    assert on_time(items, month="2027-01") == ()


def _signature(role: str, signed: dt.datetime, *, timestamp: dt.datetime | None = None,
               name: str = "Liên đoàn Lao động tỉnh Mẫu") -> SignatureReport:
    return SignatureReport(
        field_name=role, sub_filter="adbe.pkcs7.detached", signer=name, organisation="Liên đoàn Lao động tỉnh Mẫu",
        issuer="CA",
        chain=(name, "CA"), trust_root="CA", signed_at=signed, timestamp_at=timestamp,
        timestamp_ok=True if timestamp else None, intact=True, valid=True, trusted=True, revocation_checked=False,
        certificate_problem=None, coverage="ENTIRE_FILE", modification="NONE", docmdp_ok=None, role=role)


def test_signing_time_is_the_organisations_signature_and_its_timestamp_when_there_is_one() -> None:
    person = _signature("person", at(3, 8, 30), name="Nguyễn Văn An")
    organisation = _signature("organisation", at(3, 9, 15))
    assert signing_time((person, organisation)) == (at(3, 9, 15), "Liên đoàn Lao động tỉnh Mẫu")
    stamped = dataclasses.replace(organisation, timestamp_at=at(3, 9, 16), timestamp_ok=True)
    assert signing_time((person, stamped))[0] == at(3, 9, 16)
    # Without the organisation's signature: the last approval, and the organisation its certificate names.
    assert signing_time((person,)) == (at(3, 8, 30), "Liên đoàn Lao động tỉnh Mẫu")
    assert signing_time(()) == (None, None)


def test_the_printed_table_lines_up_and_totals_several_bodies() -> None:
    report = on_time([item(at(3, 9), at(3, 10)), item(at(3, 9), at(5, 10), body="Huyện ủy Châu Thành")])[0]
    lines = table_lines(report)
    assert lines[0].startswith("Cơ quan ký")
    assert "Trong ngày ký" in lines[0] and "Sáng ngày làm việc kế tiếp" in lines[0] and "Muộn" in lines[0]
    assert lines[-1].startswith("Tổng")
    assert len({len(line) for line in lines}) == 1  # every line as wide as the header


def test_durations_read_as_vietnamese() -> None:
    assert duration_vi(dt.timedelta(minutes=45)) == "45 phút"
    assert duration_vi(dt.timedelta(hours=2, minutes=1)) == "2 giờ 1 phút"
    assert duration_vi(dt.timedelta(days=1, hours=3)) == "1 ngày 3 giờ"
    assert duration_vi(dt.timedelta(0)) == "0 phút"


def test_the_on_time_page_shows_the_newest_year_and_links_a_page_per_earlier_year() -> None:
    from pipeline.publish.office_pages import _environment, write_on_time
    from pipeline.publish.writer import Writer

    earlier = dt.datetime(2025, 3, 4, 9, tzinfo=ICT)
    items = [item(at(3, 9), at(3, 10), slug="b"), item(earlier, earlier + dt.timedelta(days=400), slug="old")]
    writer = Writer(frozenset())
    write_on_time(_environment(), writer, on_time(items))
    assert sorted(writer.planned) == ["tinh-hinh-cong-bo.md", "tinh-hinh-cong-bo/2025.md"]
    newest, year = (writer.planned[p].text or "" for p in ("tinh-hinh-cong-bo.md", "tinh-hinh-cong-bo/2025.md"))
    assert 'id="thang-2026-11"' in newest and 'id="thang-2025-03"' not in newest
    assert '<a href="../tinh-hinh-cong-bo/2025/">Năm 2025</a>' in newest
    assert 'id="thang-2025-03"' in year and "van-ban/old/" in year and 'id="thang-2026-11"' not in year
    assert '<a href="../../tinh-hinh-cong-bo/">Năm 2026</a>' in year and "năm 2025" in year
    # The same months again: nothing to render (keyed pages).
    again = Writer(frozenset(), {r: p.key for r, p in writer.planned.items()})
    write_on_time(_environment(), again, on_time(items))
    assert all(p.text is None for p in again.planned.values())


def test_a_backlog_imported_at_once_is_counted_apart_not_as_late() -> None:
    """Issue 20: fifteen old letters added by one commit (the demo's import) are "imported"; a letter
    published late on its own, later, is still late. The control: the same letters published one
    by one, each late, are late."""
    commit = at(20, 10)
    backlog = [item(at(day, 9, month=10), commit, slug=f"old-{day}", urgency="Khẩn" if day == 5 else None)
               for day in range(1, 16)]
    own = item(at(23, 9), at(25, 15), slug="own")  # Monday, out on Wednesday afternoon: late
    reports = {r.month: r for r in on_time([*backlog, own])}
    october = reports["2026-10"]
    assert (october.total.imported, october.total.late, october.total.total) == (15, 0, 15)
    assert october.urgent_late == () and october.late == ()
    assert [v.item.slug for v in october.imported][:2] == ["old-1", "old-2"]
    assert [v.item.slug for v in reports["2026-11"].late] == ["own"]
    one_by_one = [dataclasses.replace(i, published_at=commit + dt.timedelta(minutes=n)) for n, i in enumerate(backlog)]
    # Apart from the portal's first commit (the backlog rule for the start), each is judged: late.
    judged = on_time([item(at(1, 9, month=10), at(1, 10, month=10), slug="start"), *one_by_one])[-1]
    assert judged.total.late == 15 and judged.total.imported == 0 and len(judged.urgent_late) == 1


def test_the_portals_first_commit_imports_only_what_was_signed_long_before() -> None:
    start = at(20, 10)
    recent = item(at(18, 9), start, slug="recent")  # Wednesday, two days before: late, and judged
    old = item(at(2, 9), start, slug="old")  # eighteen days before: the backlog
    report = on_time([recent, old])[0]
    assert [v.item.slug for v in report.late] == ["recent"]
    assert [v.item.slug for v in report.imported] == ["old"]


def test_a_busy_day_of_letters_out_on_time_stays_on_time() -> None:
    day = at(3, 16)
    same_commit = [item(at(3, 9), day, slug=f"d{n}") for n in range(12)]
    report = on_time([item(at(1, 9), at(1, 10), slug="start"), *same_commit])[0]
    assert report.total.same_day == 13 and report.total.imported == 0


def test_the_printed_table_has_an_imported_column_only_when_a_backlog_came() -> None:
    commit = at(20, 10)
    backlog = [item(at(day, 9, month=10), commit, slug=f"old-{day}") for day in range(1, 13)]
    lines = table_lines(on_time(backlog)[0])
    assert lines[0].endswith("Nhập từ trước") and lines[-1].split()[-1] == "12"
    assert len({len(line) for line in lines}) == 1
    assert "Nhập từ trước" not in table_lines(on_time([item(at(3, 9), at(3, 10))])[0])[0]
