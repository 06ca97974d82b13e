"""portal.yml `timeliness` (issue 20): `since`, the day the office began publishing as it signs
(documents first published before it are imported, never judged), and `holidays`, days off besides
weekends, as days or ranges. Mistakes are reported in Vietnamese with every other portal.yml problem."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from pipeline.config import ConfigError, TimelinessSettings, load_config
from pipeline.decide.timeliness import Published, Timeliness, on_time

REPO = Path(__file__).resolve().parents[2]
ICT = dt.timezone(dt.timedelta(hours=7))


def _portal(folder: Path, timeliness: Any) -> Path:
    raw = yaml.safe_load((REPO / "portal.yml").read_text(encoding="utf-8"))
    raw["trust"]["roots"] = [str(REPO / name) for name in raw["trust"]["roots"]]
    if timeliness is None:
        raw.pop("timeliness", None)
    else:
        raw["timeliness"] = timeliness
    path = folder / "portal.yml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_without_the_section_every_document_is_judged_and_only_weekends_are_off(tmp_path: Path) -> None:
    assert load_config(_portal(tmp_path, None)).timeliness == TimelinessSettings()


def test_days_and_ranges_of_holidays_and_since(tmp_path: Path) -> None:
    settings = load_config(_portal(tmp_path, {
        "since": "2027-01-04",
        "holidays": [dt.date(2027, 1, 1), "2027-04-30", {"from": dt.date(2027, 2, 5), "to": "2027-02-11"}],
    })).timeliness
    assert settings.since == dt.date(2027, 1, 4)
    assert len(settings.holidays) == 2 + 7
    assert {dt.date(2027, 1, 1), dt.date(2027, 4, 30), dt.date(2027, 2, 5), dt.date(2027, 2, 11)} <= settings.holidays
    assert dt.date(2027, 2, 12) not in settings.holidays


def test_the_demo_portal_declares_its_holidays() -> None:
    settings = load_config(REPO / "portal.yml").timeliness
    assert dt.date(2026, 1, 1) in settings.holidays and dt.date(2026, 2, 17) in settings.holidays


@pytest.mark.parametrize(("timeliness", "said"), [
    ({"since": "4/1/2027"}, "'timeliness.since' phải là một ngày viết dạng năm-tháng-ngày"),
    ({"holidays": "2027-01-01"}, "'timeliness.holidays' phải là một danh sách ngày nghỉ"),
    ({"holidays": ["Tết"]}, "'timeliness.holidays[0]' phải là một ngày"),
    ({"holidays": [{"from": "2027-02-05"}]}, "cần cả 'from' (ngày đầu) và 'to' (ngày cuối)"),
    ({"holidays": [{"from": "2027-02-11", "to": "2027-02-05"}]}, "ngày cuối (2027-02-05) trước ngày đầu"),
    ({"holidays": [{"from": "2027-02-05", "to": "2028-02-11"}]}, "quá 31 ngày"),
    ({"holidays": [{"from": "2027-02-05", "to": "2027-02-06", "name": "Tết"}]},
     "khóa không hợp lệ 'timeliness.holidays[0].name'"),
    ({"start": "2027-01-04"}, "khóa không hợp lệ 'timeliness.start'"),
    ("2027-01-04", "'timeliness' phải là một bảng khóa: giá trị"),
])
def test_a_wrong_timeliness_is_reported_in_vietnamese(tmp_path: Path, timeliness: Any, said: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(_portal(tmp_path, timeliness))
    assert any(said in problem for problem in caught.value.problems), caught.value.problems


def _at(day: int, hour: int, month: int = 2) -> dt.datetime:
    return dt.datetime(2027, month, day, hour, tzinfo=ICT)


def _verdicts(items: list[Published], **settings: Any) -> dict[str, Timeliness]:
    found = {}
    for month in on_time(items, **settings):
        for row in month.rows:
            assert row.total == sum((row.same_day, row.next_morning, row.late, row.unknown, row.imported))
        found |= {v.item.slug: Timeliness.LATE for v in month.late}
        found |= {v.item.slug: Timeliness.IMPORTED for v in month.imported}
    return found


def test_a_holiday_moves_the_next_working_morning() -> None:
    # Thursday 2027-02-04, 16:00, published Friday 09:00: on time, unless that Friday is a day off,
    # and then the following Monday morning is still on time.
    friday = [Published("a", "1/TB", "x", None, "LĐLĐ", _at(4, 16), _at(5, 9)),
              Published("b", "2/TB", "x", None, "LĐLĐ", _at(4, 16), _at(8, 9)),
              Published("c", "3/TB", "x", None, "LĐLĐ", _at(4, 16), _at(8, 14))]
    assert _verdicts(friday) == {"b": Timeliness.LATE, "c": Timeliness.LATE}
    assert _verdicts(friday, holidays=frozenset({dt.date(2027, 2, 5)})) == {"c": Timeliness.LATE}


def test_documents_published_before_since_are_imported_not_judged() -> None:
    # (the portal's first commit, on time, so that the late one below is not taken for its backlog)
    items = [Published("first", "0/TB", "x", None, "LĐLĐ", _at(1, 9), _at(1, 10)),
             Published("old-late", "1/TB", "x", "Khẩn", "LĐLĐ", _at(1, 9), _at(20, 9)),
             Published("old-on-time", "2/TB", "x", None, "LĐLĐ", _at(22, 9), _at(22, 10)),
             Published("new-late", "3/TB", "x", None, "LĐLĐ", _at(22, 9), _at(24, 15))]
    assert _verdicts(items) == {"old-late": Timeliness.LATE, "new-late": Timeliness.LATE}
    since = _verdicts(items, since=dt.date(2027, 2, 23))
    assert since == {"first": Timeliness.IMPORTED, "old-late": Timeliness.IMPORTED,
                     "old-on-time": Timeliness.IMPORTED, "new-late": Timeliness.LATE}
    assert on_time(items)[0].urgent_late
    (month,) = on_time(items, since=dt.date(2027, 2, 23))
    assert not month.urgent_late  # an imported urgent letter is not flagged either


def test_judgements_kept_between_builds_give_what_judging_afresh_gives() -> None:
    """Issue 21: a long-running process keeps its verdicts (timeliness.Judged) between builds. The
    reports are those of judging afresh, as documents come and go and the settings change."""
    from pipeline.decide.timeliness import Judged

    kept = Judged()
    first = [Published("a", "1/TB", "x", None, "LĐLĐ", _at(4, 16), _at(5, 9)),
             Published("b", "2/TB", "x", "Khẩn", "LĐLĐ", _at(4, 16), _at(8, 9)),
             Published("c", "3/TB", "x", None, "LĐLĐ", _at(2, 16, 3), _at(3, 9, 3))]
    # One more in February, one gone; then ten in one commit (a backlog: the late one among them
    # is imported now, the verdict kept for it must not be reused); then a holiday.
    more = [*first, Published("d", "4/TB", "x", None, "LĐLĐ", _at(9, 9), _at(12, 15))]
    fewer = more[1:]
    # (published with "d", in the same commit: "d", late, is now taken for part of the backlog)
    bulk = [*fewer, *(Published(f"n{n}", f"{n}/TB", "x", None, "LĐLĐ", _at(1, 9), _at(12, 15))
                      for n in range(10, 20))]
    for items, settings in ((first, {}), (first, {}), (more, {}), (fewer, {}), (bulk, {}),
                            (bulk, {"holidays": frozenset({dt.date(2027, 2, 5)})}),
                            (bulk, {"since": dt.date(2027, 2, 10)}), (first, {})):
        assert on_time(items, kept=kept, **settings) == on_time(items, **settings)
    assert set(kept.months) == {"2027-02", "2027-03"}
    assert "d" in {v.item.slug for v in on_time(more)[1].late}
    assert "d" in {v.item.slug for v in on_time(bulk, kept=kept)[1].imported}
