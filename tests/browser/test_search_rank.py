"""Issue 20: search results in the order of relevance over every year's bundle. The newest year's
matches are shown first, as soon as its bundle answers; once the earlier years have answered too,
a search by relevance is shown again in the order of the whole search, so that the letter whose
subject is what was typed comes before letters of the newest year that only mention it in passing
(and a list the visitor has pressed on or moved into stays where it is).

The portal: the plan for the workers' sports meet ("Hội thao công nhân, viên chức, lao động") is of
2025, the archive bundle; the newest year, 2026, has letters that mention the meet in their body
only, under subjects that hold none of the words searched for."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import Any

import pytest
from browser_kit import CHROMIUM, Server, open_context, screenshot
from kit import make_portal, sign
from pages_kit import BuiltSite
from test_portal import goto, search

from corpus.letters import demo_letters, letter_filename
from corpus.pki import DemoPki

pytestmark = pytest.mark.browser

EXACT = "255/KH-LĐLĐ"  # subject: "Tổ chức Hội thao công nhân, viên chức, lao động tỉnh Mẫu năm 2026"
# Letters by their index in demo_letters(): year, and a subject in place of their own (None: their own).
LETTERS: dict[int, tuple[int, str | None]] = {
    0: (2025, None),  # EXACT
    9: (2025, None),
    13: (2025, None),
    3: (2026, "Kết quả thực hiện nhiệm vụ tháng 9 năm 2026"),  # its body mentions the meet twice
    4: (2026, "Nhiệm vụ trọng tâm tháng 10 năm 2026"),  # twice
    6: (2026, None),  # once ("Kết luận của đồng chí Chủ tịch ... tại cuộc họp giao ban")
    5: (2026, None),  # not at all
    8: (2026, None),  # not at all
}
WEAK = {"265/BC-LĐLĐ", "267/CTr-LĐLĐ", "274/TB-LĐLĐ"}  # the newest year's letters that mention the meet
LETTERS_BY_NUMBER = {demo_letters()[index].number: year for index, (year, _) in LETTERS.items()}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, pki: DemoPki) -> BuiltSite:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (make test installs it)")
    portal = make_portal(tmp_path_factory.mktemp("rank"), pki)
    published = {}
    letters = demo_letters()
    for index, (year, subject) in LETTERS.items():
        original = letters[index]
        assert original.issued_date is not None
        letter = dataclasses.replace(original, issued_date=original.issued_date.replace(year=year),
                                     subject=subject or original.subject)
        data = sign(letter, pki)
        portal.add(f"{year}/{letter_filename(letter)}", data)
        published[letter.number or ""] = (letter, data)
    status, out, err = portal.build()
    assert status == 0, out + err
    assert (portal.site / "pagefind-2025" / "pagefind-entry.json").is_file(), "two bundles: 2026, and 2025"
    return BuiltSite(portal, status, out + err, published, (letters[0], b""))


@pytest.fixture
def tab(browser: Any, server: Server) -> Iterator[Any]:
    context = open_context(browser, server, "desktop")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()
    assert not errors, errors


def _numbers(tab: Any) -> list[str]:
    return [n.removeprefix("số ") for n in tab.locator("#cb-results .cb-number").all_inner_texts()]


class Held:
    """The earlier year's bundle, held back on its way to the page until `release`."""

    def __init__(self, tab: Any) -> None:
        self.routes: list[Any] = []
        self.released = False
        tab.route(re.compile(r"/pagefind-2025/"), self._hold)

    def _hold(self, route: Any) -> None:
        if self.released:
            route.continue_()
        else:
            self.routes.append(route)

    def release(self) -> None:
        self.released = True
        for route in self.routes:
            route.continue_()


def _first_paint(tab: Any, server: Server, typed: str) -> tuple[Held, list[str]]:
    """Search for `typed` with the 2025 bundle held back; the results shown meanwhile."""
    held = Held(tab)
    goto(tab, server, "tim-kiem/")
    tab.locator("#cb-q").fill(typed)
    tab.locator("#cb-q").press("Enter")
    tab.locator("#cb-search-status").filter(has_text="Đang tìm tiếp trong năm 2025").wait_for()
    tab.locator("#cb-results li").first.wait_for()
    assert tab.locator("#cb-results").get_attribute("aria-busy") == "true"
    return held, _numbers(tab)


def _all_in(tab: Any) -> list[str]:
    status = tab.locator("#cb-search-status")
    status.filter(has_text="Tìm thấy").wait_for()
    assert tab.locator("#cb-results").get_attribute("aria-busy") == "false"
    found = _numbers(tab)
    assert len(found) == len(set(found))
    assert f"Tìm thấy {len(found)} văn bản" in status.inner_text()
    return found


def test_an_exact_match_of_an_earlier_year_comes_before_weak_matches_of_the_newest(
    page: Any, server: Server, viewport: str
) -> None:
    held, first = _first_paint(page, server, "hoi thao")
    # The newest year's matches, shown while 2025 is on its way.
    assert set(first) >= WEAK and {LETTERS_BY_NUMBER[n] for n in first} == {2026}
    held.release()
    final = _all_in(page)
    assert final[0] == EXACT, final
    assert set(final) == set(first) | {EXACT}
    screenshot(page, "tim-kiem-xep-lai", viewport)


@pytest.mark.parametrize("typed", ["hội thao công nhân viên chức lao động", "hoi thao cong nhan vien chuc lao dong"])
def test_the_letter_whose_subject_is_the_phrase_comes_first(tab: Any, server: Server, typed: str) -> None:
    """A phrase with diacritics and "đ": the letter whose subject it is comes before the letters
    that hold the same phrase in their body (twice: 265/BC and 267/CTr)."""
    goto(tab, server, "tim-kiem/")
    found = search(tab, typed)
    assert found[0] == server.site.url_of(EXACT), found
    assert {server.site.url_of(n) for n in ("265/BC-LĐLĐ", "267/CTr-LĐLĐ")} <= set(found[1:])


def test_a_list_the_visitor_pressed_on_stays_where_it_is(page: Any, server: Server, viewport: str) -> None:
    held, first = _first_paint(page, server, "hoi thao")
    head = page.locator("#cb-results .cb-item-head").first  # not a link: the page stays
    if viewport == "phone":
        head.tap()
    else:
        head.click()
    held.release()
    final = _all_in(page)
    assert final[:len(first)] == first, "what the visitor pressed on does not move"
    assert final[len(first):] == [EXACT]
    assert page.url.startswith(server.base + "tim-kiem/")


def test_a_list_with_the_focus_in_it_stays_where_it_is(tab: Any, server: Server) -> None:
    held, first = _first_paint(tab, server, "hoi thao")
    tab.locator("#cb-results .cb-item-title a").first.focus()
    held.release()
    final = _all_in(tab)
    assert final[:len(first)] == first
    assert final[len(first):] == [EXACT]
    assert tab.evaluate("document.activeElement.closest('#cb-results') !== null")


def test_the_document_with_the_typed_number_stays_first_when_the_list_is_ordered_again(
    tab: Any, server: Server
) -> None:
    held, first = _first_paint(tab, server, "255")  # a number of 2025: found at once by its number
    assert first[0] == EXACT
    held.release()
    final = _all_in(tab)
    assert final[0] == EXACT
    assert "đúng số văn bản" in tab.locator("#cb-results > li").first.inner_text()


def test_newest_first_is_not_ordered_again(tab: Any, server: Server) -> None:
    goto(tab, server, "tim-kiem/")
    tab.select_option("#cb-sap-xep", "moi")
    found = search(tab, "hoi thao")
    years = [server.site.published[n][0].issued_date.year for n in _numbers(tab)]
    assert years == sorted(years, reverse=True) and found[-1] == server.site.url_of(EXACT)
