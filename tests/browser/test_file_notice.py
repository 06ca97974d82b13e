"""Issue 18: a built site opened from disk (file://) says that it must be served and how; served over
HTTP it says nothing."""

from __future__ import annotations

from typing import Any

from browser_kit import VIEWPORTS, Server, open_context
from pages_kit import BuiltSite


def test_a_site_opened_from_disk_says_how_to_look_at_it(browser: Any, built: BuiltSite) -> None:
    context = browser.new_context(locale="vi-VN", **VIEWPORTS["desktop"])
    try:
        tab = context.new_page()
        tab.goto((built.site / "index.html").as_uri())
        notice = tab.locator("#cb-file-notice")
        notice.wait_for()
        assert "make serve" in notice.inner_text() and "http://127.0.0.1:8000/" in notice.inner_text()
    finally:
        context.close()


def test_a_served_site_shows_no_such_notice(browser: Any, server: Server) -> None:
    context = open_context(browser, server, "desktop")
    try:
        tab = context.new_page()
        tab.goto(server.base)
        tab.wait_for_load_state("load")
        assert tab.locator("#cb-file-notice").count() == 0
    finally:
        context.close()
