"""Issue 9: the search index in two bundles (the newest year, and the years before it), merged by
the search page: one search finds documents of every year, and "newest first" is newest first
across both bundles."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_kit import CHROMIUM, Server, open_context
from kit import make_portal, sign
from pages_kit import BuiltSite
from test_portal import goto, search

from pipeline.corpus.letters import demo_letters, letter_filename
from pipeline.corpus.pki import DemoPki

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
    assert (built.site / "pagefind-truoc" / "pagefind-entry.json").is_file()


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
    assert any("/pagefind-truoc/" in url for url in loaded)


def test_nothing_left_the_server(server: Server) -> None:
    assert server.outside == []
    assert Path(server.site.site / "tim-kiem" / "index.html").is_file()
