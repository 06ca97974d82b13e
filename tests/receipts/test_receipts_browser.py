"""A real browser (Debian's chromium through Playwright) opens a unit's link from a received mail and
presses the button; the office page is checked in the same browser, with and without its credential.
Every request that would leave the service is refused and recorded."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from receipts_kit import OFFICE_PASSWORD, REPO, Doc, Portal, Recorder, Service

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
URGENT = Doc("78/LĐLĐ", "V/v tổ chức hội nghị tổng kết công tác công đoàn năm 2026", ("ldld-huyen",), urgency="Khẩn")

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def open_context(browser: Any, service: Service, outside: list[str], **options: Any) -> Any:
    context = browser.new_context(locale="vi-VN", **options)
    context.set_default_timeout(10_000)

    def refuse(route: Any) -> None:
        outside.append(route.request.url)
        route.abort()

    context.route(re.compile(rf"^(?!{re.escape(service.base)})(?:https?|wss?|ftp)://"), refuse)
    return context


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}],
                         ids=["desktop", "phone"])
def test_a_unit_opens_its_link_and_presses_the_button(browser: Any, portal: Portal, smtp: tuple[Any, Recorder],
                                                       service_factory: Any, viewport: dict[str, int]) -> None:
    controller, recorder = smtp
    portal.publish([URGENT])
    service = service_factory(portal, controller.port)
    mails = recorder.wait_for(2)
    (mail,) = [m for m in mails if m.envelope_to == ("vanthu@hoaan.example.org",)]
    outside: list[str] = []
    context = open_context(browser, service, outside, viewport=viewport)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    name = "desktop" if viewport["width"] > 800 else "phone"
    try:
        tab.goto(mail.links[0])
        assert tab.locator("h1").inner_text() == "Xác nhận đã nhận văn bản"
        assert "Liên đoàn Lao động huyện Hòa An" in tab.locator("main").inner_text()
        button = tab.get_by_role("button", name="Xác nhận đã nhận")
        assert button.is_visible()
        # The stylesheet loaded under the page's own security policy: the button is green and big enough.
        assert button.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(30, 123, 52)"
        assert button.bounding_box()["height"] >= 44
        assert tab.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(SCREENSHOTS / f"receipts-confirm-{name}.png"), full_page=True)
        tab.reload()  # opening it again still records nothing
        button.click()
        status = tab.get_by_role("status")
        assert "Đã ghi nhận: đơn vị đã nhận văn bản." in status.inner_text()
        assert re.search(r"Thời điểm xác nhận: \d\d:\d\d \d\d/\d\d/\d{4}\.", status.inner_text())
        tab.screenshot(path=str(SCREENSHOTS / f"receipts-confirmed-{name}.png"), full_page=True)
        tab.goto(mail.links[0])
        assert tab.get_by_role("button", name="Xác nhận đã nhận").count() == 0
        assert "Đơn vị đã xác nhận đã nhận văn bản này." in tab.get_by_role("status").inner_text()
    finally:
        context.close()
    assert not errors and not outside, (errors, outside)

    # The office: refused without the credential, then the document page and the printed report.
    from playwright.sync_api import Error as PlaywrightError

    anonymous = open_context(browser, service, outside)
    try:
        with pytest.raises(PlaywrightError, match="ERR_INVALID_AUTH_CREDENTIALS"):
            anonymous.new_page().goto(service.base + "van-phong/")  # headless chromium: 401, no prompt
        response = anonymous.request.get(service.base + f"van-phong/van-ban/{URGENT.sha256}")
        assert response.status == 401 and "78/LĐLĐ" not in response.text()
    finally:
        anonymous.close()
    office = open_context(browser, service, outside, viewport=viewport,
                          http_credentials={"username": "vanthu", "password": OFFICE_PASSWORD})
    try:
        tab = office.new_page()
        tab.goto(service.base + "van-phong/")
        tab.get_by_role("link", name="78/LĐLĐ").click()
        rows = tab.locator("tbody tr")
        assert rows.count() == 2
        confirmed = rows.filter(has_text="Liên đoàn Lao động huyện Hòa An")
        assert "qua thư" in confirmed.inner_text() and "chưa xác nhận" not in confirmed.inner_text()
        assert "chưa xác nhận" in rows.filter(has_text="Liên đoàn Lao động huyện Châu Thành").inner_text()
        tab.screenshot(path=str(SCREENSHOTS / f"receipts-office-{name}.png"), full_page=True)
        tab.get_by_role("link", name="Báo cáo tháng").click()
        tab.goto(service.base + "van-phong/bao-cao?thang=2026-12")
        table = tab.locator("table")
        assert "Liên đoàn Lao động huyện Hòa An" in table.inner_text()
        tab.emulate_media(media="print")
        assert not tab.locator("nav.office").is_visible() and not tab.locator("form").is_visible()
        assert table.is_visible()
        pdf = tab.pdf() if viewport["width"] > 800 else b"%PDF"
        assert pdf.startswith(b"%PDF")
    finally:
        office.close()
    assert not outside, outside
