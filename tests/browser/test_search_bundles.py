"""Issue 9: the search index in bundles of years (here the newest year, and the year before it),
merged by the search page: one search finds documents of every year, the newest year's matches are
shown before the earlier years are loaded, and "newest first" is newest first across bundles."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_kit import CHROMIUM, Server, open_context
from kit import make_portal, sign
from pages_kit import BuiltSite
from test_portal import goto, search

from corpus.letters import demo_letters, letter_filename
from corpus.pki import DemoPki

# Letters of two years: three of 2025 (the archive bundle) and five of 2026 (the newest year's).
YEARS = {0: 2025, 2: 2025, 4: 2025, 1: 2026, 3: 2026, 5: 2026, 6: 2026, 8: 2026}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, pki: DemoPki) -> BuiltSite:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (make test installs it)")
    portal = make_portal(tmp_path_factory.mktemp("bundles"), pki)
    published = {}
    letters = demo_letters()
    for index, year in YEARS.items():
        original = letters[index]
        day = original.issued_date or dt.date(2026, 11, 2)
        letter = dataclasses.replace(original, issued_date=day.replace(year=year))
        data = sign(letter, pki)
        portal.add(f"{year}/{letter_filename(letter)}", data)
        published[letter.number or ""] = (letter, data)
    status, out, err = portal.build()
    assert status == 0, out + err
    return BuiltSite(portal, status, out + err, published, (letters[0], b""))


@pytest.fixture
def tab(browser: Any, server: Server) -> Iterator[Any]:
    context = open_context(browser, server, "desktop")
    try:
        yield context.new_page()
    finally:
        context.close()


def _issued(tab: Any) -> list[tuple[str, ...]]:
    dates = tab.locator("#cb-results .cb-date").all_inner_texts()
    return [tuple(d.removeprefix("ngày ").split("/")[::-1]) for d in dates]


def test_the_site_has_two_bundles(built: BuiltSite) -> None:
    assert (built.site / "pagefind" / "pagefind.js").is_file()
    assert (built.site / "pagefind-2025" / "pagefind-entry.json").is_file()


def test_one_search_finds_documents_of_both_bundles(tab: Any, server: Server) -> None:
    goto(tab, server, "tim-kiem/")
    found = search(tab, "công đoàn")
    years = {server.site.published[n][0].issued_date.year for n in server.site.published
             if server.site.url_of(n) in found}
    assert years == {2025, 2026}


def test_newest_first_is_newest_first_across_bundles(tab: Any, server: Server) -> None:
    goto(tab, server, "tim-kiem/")
    tab.select_option("#cb-sap-xep", "moi")
    search(tab, "công đoàn")
    issued = _issued(tab)
    assert len(issued) >= 6 and {d[0] for d in issued} == {"2025", "2026"}
    assert issued == sorted(issued, reverse=True)
    # A year of the archive alone, newest first.
    tab.select_option("#cb-nam", "2025")
    search(tab, "công đoàn")
    issued = _issued(tab)
    assert issued and {d[0] for d in issued} == {"2025"} and issued == sorted(issued, reverse=True)


def test_the_search_page_loads_one_copy_of_pagefind_and_no_worker(tab: Any, server: Server) -> None:
    loaded: list[str] = []
    tab.on("response", lambda response: loaded.append(response.url))
    goto(tab, server, "tim-kiem/")
    search(tab, "công đoàn")
    assert sum(url.endswith("/pagefind.js") for url in loaded) == 1
    assert not any("pagefind-worker" in url for url in loaded)
    assert sum(url.endswith(".pagefind") for url in loaded) == 1, "one WebAssembly module for both bundles"
    assert any("/pagefind-2025/" in url for url in loaded)


def test_nothing_left_the_server(server: Server) -> None:
    assert server.outside == []
    assert Path(server.site.site / "tim-kiem" / "index.html").is_file()


def _hrefs(tab: Any) -> list[str]:
    links = tab.eval_on_selector_all("#cb-results .cb-item-title a", "links => links.map(a => a.getAttribute('href'))")
    return [re.sub(r"^(\.\./)+", "", h) for h in links]


def _year_of(server: Server, href: str) -> int:
    return next(server.site.published[n][0].issued_date.year for n in server.site.published
                if server.site.url_of(n) == href)


def test_the_newest_year_is_shown_first_and_earlier_years_follow(tab: Any, server: Server) -> None:
    held: list[Any] = []
    released = False

    def hold(route: Any) -> None:  # the earlier year's bundle, held back until released
        if released:
            route.continue_()
        else:
            held.append(route)

    tab.route(re.compile(r"/pagefind-2025/"), hold)
    goto(tab, server, "tim-kiem/")
    tab.locator("#cb-q").fill("cong doan")
    tab.locator("#cb-q").press("Enter")
    status = tab.locator("#cb-search-status")
    status.filter(has_text="Đang tìm tiếp trong năm 2025… Dưới đây là kết quả năm 2026.").wait_for()
    tab.locator("#cb-results li").first.wait_for()
    first = _hrefs(tab)
    assert first and {_year_of(server, h) for h in first} == {2026}
    assert tab.locator("#cb-results").get_attribute("aria-busy") == "true"
    # Excerpts in the document's own spelling, đ included, though the index is folded.
    assert "đoàn" in tab.locator(".cb-item-excerpt").first.inner_text().lower()

    released = True
    for route in held:
        route.continue_()
    status.filter(has_text="Tìm thấy").wait_for()
    final = _hrefs(tab)
    # Every year's matches now, by relevance over both years (tests/browser/test_search_rank.py).
    assert set(first) < set(final) and len(final) == len(set(final))
    assert {_year_of(server, h) for h in set(final) - set(first)} == {2025}
    assert tab.locator("#cb-results").get_attribute("aria-busy") == "false"
    assert f"Tìm thấy {len(final)} văn bản" in status.inner_text()


def test_a_search_in_the_newest_year_loads_no_other_bundle(tab: Any, server: Server) -> None:
    loaded: list[str] = []
    tab.on("request", lambda request: loaded.append(request.url))
    goto(tab, server, "tim-kiem/?nam=2026&q=cong+doan")
    tab.locator("#cb-search-status").filter(has_text="Tìm thấy").wait_for()
    assert {_year_of(server, h) for h in _hrefs(tab)} == {2026}
    assert any("/pagefind/" in url for url in loaded)
    assert not any("/pagefind-2025/" in url for url in loaded)


def test_a_search_in_an_earlier_year_finds_that_year_alone(tab: Any, server: Server) -> None:
    goto(tab, server, "tim-kiem/?nam=2025&q=cong+doan")
    tab.locator("#cb-search-status").filter(has_text="Tìm thấy").wait_for()
    found = _hrefs(tab)
    assert found and {_year_of(server, h) for h in found} == {2025}
