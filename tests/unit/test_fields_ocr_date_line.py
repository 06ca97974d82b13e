"""The date line as OCR gives it on a scan (issue 16): "ngày" read "ngàu", a handwritten month read as
a digit and a mark, the comma lost beside the number. The place is read, a date that cannot be read
is unknown, and a date cited in a sentence is never the letter's (lines written for the test)."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.examine.fields.lines import find_date_line


@pytest.mark.parametrize(("line", "place", "date"), [
    ("Số: 2!8] /CT-CS Hà Nội ngày 0? tháng 2# năm 2026", "Hà Nội", None),  # no comma, beside the number
    ("Số: 145/UBND-KT Mẫu Sơn ngày 09 tháng 02 năm 2026", "Mẫu Sơn", dt.date(2026, 2, 9)),
    ("Quảng Ngãi, ngàu/{ tháng 5 năm 2021", "Quảng Ngãi", None),  # "ngày" read "ngàu", the day marks
    ("Mẫu Sơn, ngàu 09 tháng 02 năm 2026", "Mẫu Sơn", dt.date(2026, 2, 9)),
    ("Mẫu Sơn, ngày 09 tháng 1Ø năm 2026", "Mẫu Sơn", None),  # a month of a digit and a mark
    ("Mẫu Sơn, ngày $8⁄4 tháng 01 năm 2026", "Mẫu Sơn", None),  # a handwritten day read as four signs
    ("Số: 40_ /QĐ-UBND Mẫu Sơn, ngày 4{Ệ` tháng 01 năm 2026", "Mẫu Sơn", None),  # a digit and three signs
    ("Mẫu Sơn, ngày 12 tháng %1⁄2 năm 2026", "Mẫu Sơn", None),  # the month likewise
])
def test_a_damaged_date_line_still_gives_its_place(line: str, place: str, date: dt.date | None) -> None:
    found = find_date_line(line)
    assert found is not None and (found.place, found.date) == (place, date)


@pytest.mark.parametrize("line", [
    "Thực hiện chỉ đạo của UBND tỉnh Mẫu Sơn ngày 12 tháng 3 năm 2024, Sở đề nghị",
    "theo Kế hoạch của Bộ Tài chính ngày 05 tháng 01 năm 2026",
])
def test_a_date_cited_without_a_comma_is_no_date_line(line: str) -> None:
    assert find_date_line(line) is None
