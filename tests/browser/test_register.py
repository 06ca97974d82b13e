"""The public register in a real browser (issue 20), at desktop and phone widths: a listing's own
filters by type, year and receiving unit over every page of it, in the address, by keyboard, and
the whole list without JavaScript; unit pages with the breadcrumb and urgent letters first; the
subscribe page on a phone; the publication-status page with `timeliness.since` and holidays; the
plain words on the document page. Axe on each. Screenshots go to test-artifacts/screenshots/.

The portal is the demo's (tests/pages_kit.py, four documents a listing page) with one letter of 2025
added, so that listings span two years, and a `timeliness` section in its portal.yml."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
import yaml
from browser_kit import CHROMIUM, Server, no_sideways_scroll, open_context, screenshot
from kit import make_portal, sign
from pages_kit import BuiltSite, extra_letters

from corpus.letters import Letter, demo_letters, letter_filename, render_letter
from corpus.pki import DemoPki
from pipeline.present import VIETNAM
from pipeline.publish import pages as render_pages

pytestmark = pytest.mark.browser

OLD_LETTER = "12/KH-LĐLĐ"  # issued in 2025: the year filter has two years to choose from
SINCE = dt.datetime.now(VIETNAM).date() + dt.timedelta(days=2)  # every letter was published before it
HOLIDAYS = [dt.date(2026, 1, 1), {"from": dt.date(2026, 2, 14), "to": dt.date(2026, 2, 22)}]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, pki: DemoPki) -> BuiltSite:
    """Overrides conftest's: the demo portal with a 2025 letter and a `timeliness` section."""
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (make test installs it)")
    portal = make_portal(tmp_path_factory.mktemp("browser-register"), pki)
    config_path = portal.root / "portal.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["timeliness"] = {"since": SINCE.isoformat(), "holidays": HOLIDAYS}
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    base = next(letter for letter in demo_letters() if letter.number == "255/KH-LĐLĐ")
    old = dataclasses.replace(base, number=OLD_LETTER, issued_date=dt.date(2025, 12, 22), urgency=None, cites=(),
                              subject="Tổ chức các hoạt động chăm lo Tết Nguyên đán năm 2026 cho đoàn viên")
    hostile, refused = extra_letters()
    published: dict[str, tuple[Letter, bytes]] = {}
    for letter in (*demo_letters(), hostile, old):
        data = sign(letter, pki)
        portal.add(f"{(letter.issued_date or dt.date(2026, 1, 1)).year}/{letter_filename(letter)}", data)
        published[letter.number or ""] = (letter, data)
    unsigned = render_letter(refused)
    portal.add("2026/chua-ky.pdf", unsigned)
    size = render_pages.PAGE_SIZE
    render_pages.PAGE_SIZE = 4
    try:
        status, out, err = portal.build()
    finally:
        render_pages.PAGE_SIZE = size
    assert (portal.site / "index.html").is_file(), out + err
    return BuiltSite(portal, status, out + err, published, (refused, unsigned))


def goto(tab: Any, server: Server, path: str) -> None:
    tab.goto(server.base + path)
    tab.wait_for_load_state("load")


def axe_findings(tab: Any) -> list[Any]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(tab, options={"runOnly": {"type": "tag", "values": [
        "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}})
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5]) for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")]


def shown_numbers(tab: Any) -> list[str]:
    return [n.strip().removeprefix("số ").strip()
            for n in tab.locator(".cb-filter ~ .cb-list > li:visible .cb-number").all_inner_texts()]


def numbers_of(server: Server, pages: list[str]) -> list[str]:
    """The numbers a listing shows on these pages, as served (the truth the filter must agree with)."""
    found: list[str] = []
    for path in pages:
        text = (server.site.site / path / "index.html").read_text(encoding="utf-8")
        main = text.split('data-cb-filter="', 1)[1]
        found += re.findall(r'<span class="cb-number"><span class="cb-label">số </span>([^<]*)</span>', main)
    return found


def listing_numbers(server: Server, folder: str) -> list[str]:
    pages = sorted(p.name for p in (server.site.site / folder).glob("trang-*"))
    return numbers_of(server, [folder, *(f"{folder}/{p}" for p in pages)])


def wait_status(tab: Any) -> str:
    status = tab.locator(".cb-filter__status")
    status.filter(has_text=re.compile(r"phù hợp")).wait_for()
    return str(status.inner_text())


def letters(server: Server, **wanted: Any) -> set[str]:
    return {number for number, (letter, _data) in server.site.published.items()
            if all(getattr(letter, key) == value for key, value in wanted.items())}


# --- a listing's own filters ------------------------------------------------------------------------


def test_a_listing_filters_every_one_of_its_pages_by_type(page: Any, server: Server, viewport: str) -> None:
    goto(page, server, "nam/2026/")
    assert page.locator(".cb-pager").is_visible()  # the year runs over several pages
    on_this_page = set(shown_numbers(page))
    form = page.get_by_role("group", name="Lọc danh sách")
    form.wait_for()
    assert form.get_by_label("Loại văn bản").is_visible() and form.get_by_label("Đơn vị nhận").is_visible()
    assert form.get_by_label("Năm").count() == 0  # one year: nothing to choose
    form.get_by_label("Loại văn bản").select_option("Kế hoạch")
    said = wait_status(page)
    expected = letters(server, type_name="Kế hoạch") - {OLD_LETTER}
    assert set(shown_numbers(page)) == expected and len(expected) == 2
    assert expected - on_this_page, "the matches should come from other pages of the listing too"
    assert said == f"Có 2 văn bản phù hợp, trong {len(letters(server)) - 1} văn bản của danh sách."
    assert not page.locator(".cb-pager").is_visible()  # the filtered list is whole: no pages
    assert unquote(page.url).endswith("/nam/2026/?loai=Kế+hoạch")
    no_sideways_scroll(page)
    screenshot(page, "danh-sach-loc", viewport)
    assert not axe_findings(page)
    # A line brought from another page still leads to its document.
    older = next(n for n in expected if n not in on_this_page)
    page.locator(".cb-list > li", has_text=older).locator(".cb-item-title a").click()
    page.wait_for_url(re.compile(re.escape(server.site.url_of(older)) + "$"))
    page.go_back()
    page.wait_for_load_state("load")
    # Back in the listing the address still holds the choice, and the form says so.
    wait_status(page)
    assert page.get_by_label("Loại văn bản").input_value() == "Kế hoạch"
    page.get_by_role("button", name="Bỏ lọc").click()
    page.wait_for_function("!document.querySelector('.cb-filter__status').textContent")
    assert set(shown_numbers(page)) == on_this_page and page.locator(".cb-pager").is_visible()
    assert page.url.endswith("/nam/2026/")


def test_the_filters_of_a_numbered_page_cover_the_whole_listing_and_combine(page: Any, server: Server,
                                                                             viewport: str) -> None:
    if viewport == "phone":
        pytest.skip("the filter's logic is the same at both widths")
    pages = ["nam/2026", "nam/2026/trang-3", "nam/2026/trang-2", "nam/2026/trang-1"]
    goto(page, server, "nam/2026/trang-2/?loai=Gi%E1%BA%A5y+m%E1%BB%9Di&don-vi=ldld-hoa-an")
    wait_status(page)  # the choice in the address is applied on arrival
    invitations = letters(server, type_name="Giấy mời")
    to_hoa_an = set(listing_numbers(server, "don-vi/ldld-hoa-an"))  # the unit's own page, every page of it
    assert set(shown_numbers(page)) == invitations & to_hoa_an != set()
    # A type and a unit that were each in some letters, never in the same: together they match nothing.
    units = [v for v in page.get_by_label("Đơn vị nhận").locator("option").evaluate_all("os => os.map(o => o.value)")
             if v]
    kind, unit = next((kind, u) for kind in ("Quyết định", "Hướng dẫn", "Báo cáo", "Thông báo") for u in units
                      if not set(listing_numbers(server, f"don-vi/{u}")) & letters(server, type_name=kind))
    page.get_by_label("Loại văn bản").select_option(kind)
    page.get_by_label("Đơn vị nhận").select_option(unit)
    assert "Không có văn bản nào phù hợp" in page.locator(".cb-filter__status").filter(
        has_text="Không có").inner_text()
    assert page.locator(".cb-filter ~ .cb-list > li:visible").count() == 0
    page.get_by_label("Loại văn bản").select_option("")
    page.get_by_label("Đơn vị nhận").select_option("ldld-hoa-an")
    wait_status(page)
    assert set(shown_numbers(page)) == to_hoa_an - {OLD_LETTER}
    assert len(numbers_of(server, pages)) == len(letters(server)) - 1  # the truth: every page of the year
    assert sorted(listing_numbers(server, "nam/2026")) == sorted(numbers_of(server, pages))


def test_a_listing_over_two_years_filters_by_year_with_the_keyboard(page: Any, server: Server, viewport: str) -> None:
    goto(page, server, "loai/ke-hoach/")
    year = page.get_by_label("Năm")
    year.wait_for()
    assert [o.strip() for o in year.locator("option").all_inner_texts()] == ["Tất cả", "2026", "2025"]
    # Reached with Tab from the link before the form, changed with the arrow keys.
    page.locator(".cb-feeds a").last.focus()
    for _ in range(4):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "cb-loc-nam":
            break
    assert page.evaluate("document.activeElement.id") == "cb-loc-nam"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    wait_status(page)
    assert year.input_value() == "2025"
    assert shown_numbers(page) == [OLD_LETTER]
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    no_sideways_scroll(page)
    assert not axe_findings(page)


def test_without_javascript_a_listing_shows_its_whole_page_and_no_filter(browser: Any, server: Server) -> None:
    context = open_context(browser, server, "phone", javascript=False)
    try:
        tab = context.new_page()
        goto(tab, server, "nam/2026/?loai=Gi%E1%BA%A5y+m%E1%BB%9Di")
        assert not tab.locator(".cb-filter").is_visible()
        assert sorted(shown_numbers(tab)) == sorted(numbers_of(server, ["nam/2026"]))
        assert tab.locator(".cb-pager").is_visible()
    finally:
        context.close()


# --- unit pages ---------------------------------------------------------------------------------


def test_a_unit_page_has_its_breadcrumb_urgent_letters_first_and_its_own_filters(page: Any, server: Server,
                                                                              viewport: str) -> None:
    goto(page, server, "don-vi/ldld-hoa-an/")
    crumbs = page.get_by_role("navigation", name="Đường dẫn")
    assert crumbs.inner_text().startswith("Trang chủ › Đơn vị nhận › ")
    urgent, everything = page.locator("#van-ban-khan"), page.locator("#moi-van-ban")
    assert urgent.bounding_box()["y"] < everything.bounding_box()["y"]
    assert all(t.strip() for t in page.locator(".cb-urgent-box .cb-urgent").all_inner_texts())
    assert page.locator(".cb-urgent-box .cb-item").count() == page.locator(".cb-urgent-box .cb-urgent").count() > 0
    assert "RSS" not in page.locator(".md-content").inner_text()  # plain words for feeds
    assert page.get_by_role("link", name="Nhận thông báo").first.is_visible()
    form = page.get_by_role("group", name="Lọc danh sách")
    form.wait_for()
    assert form.get_by_label("Đơn vị nhận").count() == 0  # every letter here was sent to this unit
    form.get_by_label("Năm").select_option("2026")
    said = wait_status(page)
    assert OLD_LETTER not in shown_numbers(page) and "phù hợp" in said
    no_sideways_scroll(page)
    screenshot(page, "don-vi", viewport)
    assert not axe_findings(page)


# --- subscribe page -----------------------------------------------------------------------------


def test_the_subscribe_page_on_a_phone(page: Any, server: Server, viewport: str) -> None:
    goto(page, server, "nhan-thong-bao/")
    # A unit finds its own addresses from the top of the page.
    picker = page.locator(".cb-unit-picker summary")
    assert picker.bounding_box()["y"] < page.viewport_size["height"]
    picker.click()
    page.locator(".cb-unit-picker a", has_text="Liên đoàn Lao động huyện Hòa An").click()
    page.wait_for_url(re.compile(r"#ldld-hoa-an$"))
    row = page.locator("tr", has=page.locator("#ldld-hoa-an"))
    assert row.is_visible() and "https://congbo.example.org/feeds/ldld-hoa-an.xml" in row.inner_text()
    assert 0 <= row.bounding_box()["y"] < page.viewport_size["height"]
    # Vietnamese examples are not in a monospace font that may lack their tone marks.
    examples = page.locator(".cb-example")
    assert "[THƯỢNG KHẨN]" in examples.all_inner_texts()
    body_font = page.evaluate("getComputedStyle(document.querySelector('.md-typeset')).fontFamily")
    assert {e.evaluate("e => getComputedStyle(e).fontFamily") for e in examples.all()} == {body_font}
    vietnamese_code = page.evaluate(
        "[...document.querySelectorAll('.md-content code, .md-content kbd, .md-content pre')]"
        ".map(e => e.textContent).filter(t => /[^\\x00-\\x7f]/.test(t))")
    assert vietnamese_code == []
    # No table is cut off: each fits its box, nothing scrolls sideways.
    cut = page.evaluate("[...document.querySelectorAll('.md-content table')]"
                        ".filter(t => t.scrollWidth > t.parentElement.clientWidth + 1).length")
    assert cut == 0
    no_sideways_scroll(page)
    screenshot(page, "nhan-thong-bao", viewport)
    assert not axe_findings(page)


# --- publication status -------------------------------------------------------------------------


def test_the_status_page_lists_what_came_before_since_as_imported_and_names_the_holidays(
    page: Any, server: Server, viewport: str
) -> None:
    goto(page, server, "tinh-hinh-cong-bo/")
    assert "trừ ngày nghỉ lễ, Tết" in page.locator(".md-content p").first.inner_text()
    since = page.locator(".cb-since").inner_text()
    assert f"từ ngày {SINCE.strftime('%d/%m/%Y')}" in since and "không được đánh giá" in since
    holidays = page.locator(".cb-holidays")
    holidays.locator("summary").click()
    assert holidays.locator("li").all_inner_texts() == ["01/01/2026", "14/02/2026 – 22/02/2026"]
    tables = page.locator("table.cb-ontime-table")
    assert tables.count() >= 3
    for table in tables.all():
        heads = [h.strip() for h in table.locator("thead th").all_inner_texts()]
        cells = [c.strip() for c in table.locator("tbody tr").first.locator("th, td").all_inner_texts()]
        row = dict(zip(heads, cells, strict=True))
        assert row["Muộn"] == row["Trong ngày ký"] == row["Sáng ngày làm việc kế tiếp"] == "0"
        assert row["Nhập cùng lúc từ trước"] == row["Tổng số"] != "0"
    # A styled table: the header row is set apart and the cells are not run together.
    th = tables.first.locator("thead th").nth(1)
    assert th.evaluate("e => getComputedStyle(e).borderBottomStyle") != "none"
    assert float(th.evaluate("e => parseFloat(getComputedStyle(e).paddingLeft)")) > 2
    no_sideways_scroll(page)
    screenshot(page, "tinh-hinh-cong-bo", viewport)
    assert not axe_findings(page)


# --- the document page's plain words ------------------------------------------------------------


def test_the_document_page_says_what_unchecked_revocation_means_and_whose_root(page: Any, server: Server,
                                                                              viewport: str) -> None:
    goto(page, server, server.site.url_of("284/KH-LĐLĐ"))
    verdict = page.locator(".cb-verdict").first.inner_text()
    assert re.search(r"chứng thư gốc “[^”]+”", verdict), verdict
    page.locator("#chu-ky-so").scroll_into_view_if_needed()
    revocation = page.get_by_text(re.compile(r"^Tình trạng thu hồi:")).first
    text = revocation.inner_text()
    assert "chưa xác minh được" in text and "không biết chứng thư có bị" in text and "hãy hỏi" in text
    no_sideways_scroll(page)


def test_every_filter_file_is_plain_json_with_vietnamese_labels(built: BuiltSite) -> None:
    files = sorted(Path(built.site).rglob("loc.json"))
    assert any(f.parent.name == "ke-hoach" for f in files) and any(f.parent.name == "ldld-hoa-an" for f in files)
    labels = {facet["label"] for f in files for facet in json.loads(f.read_text(encoding="utf-8"))["facets"]}
    assert labels == {"Loại văn bản", "Năm", "Đơn vị nhận"}
