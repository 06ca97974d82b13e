"""End to end (issue 8): the pages people browse, read and search, from a real build of signed
letters. Listings are cut at 4 documents so that the small corpus has several pages. The browser
side (search, copy check, layout, accessibility) is in tests/browser/."""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from pages_kit import HOSTILE_SUBJECT, REFUSED_SUBJECT, BuiltSite, build_site

from corpus.pki import DemoPki
from pipeline.decide.numbers import number_key
from pipeline.normalize import fold
from pipeline.publish.pages import NUMBER_SHARDS, number_shard
from pipeline.publish.search import count_of, restore

LABEL = "Bản đọc tham khảo, không thay thế văn bản đã ký số"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, pki: DemoPki) -> BuiltSite:
    return build_site(tmp_path_factory.mktemp("pages"), pki)


class Links(HTMLParser):
    """Every href/src/data/action of a page, and every id."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src", "data", "action") and not (tag == "link" and name == "href"
                                                                  and value.startswith("http")):
                self.links.append(value)
            if name == "id":
                self.ids.add(value)


def _parse(page: Path) -> Links:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def _items(page: Path) -> list[str]:
    """Document addresses listed on a listing page, in order (a unit's page lists its urgent letters
    first, in a list of their own: the listing is the page's last list)."""
    text = page.read_text(encoding="utf-8")
    if '<ol class="cb-list">' not in text:
        return []
    listing = text[text.rindex('<ol class="cb-list">'):text.index("</ol>", text.rindex('<ol class="cb-list">'))]
    return re.findall(r'<p class="cb-item-title"><a href="[./]*(van-ban/[^"]+/)">', listing)


def test_unit_pages_keep_older_documents_on_numbered_pages(built: BuiltSite) -> None:
    """A unit's page is its first listing page: the newest documents, then numbered pages counted
    from the oldest, together listing each document sent to the unit once."""
    paged = 0
    for front in sorted((built.site / "don-vi").glob("*/index.html")):
        text = front.read_text(encoding="utf-8")
        total = int(re.search(r"<p>(\d+) văn bản, mới nhất trước", text).group(1))
        numbered = sorted(front.parent.glob("trang-*/index.html"))
        listed = [url for page in [front, *numbered] for url in _items(page)]
        assert len(listed) == len(set(listed)) == total, front
        if numbered:
            paged += 1
            assert f'href="../../don-vi/{front.parent.name}/trang-{len(numbered)}/" rel="next"' in text
            assert "Văn bản gửi" in numbered[0].read_text(encoding="utf-8")
    assert paged, "the corpus has a unit with more than one page of documents"


def test_build_publishes_sixteen_and_refuses_the_unsigned_one(built: BuiltSite) -> None:
    assert built.status == 3
    assert "Đã đăng 16 văn bản." in built.output


def test_document_page_shows_every_fact_the_viewer_and_the_labelled_reading_copy(built: BuiltSite) -> None:
    for number, (letter, data) in built.published.items():
        page = built.page_of(number)
        text = page.read_text(encoding="utf-8")
        slug = page.parent.name
        assert html.escape(number, quote=False) in text
        assert letter.signer_name in text
        assert hashlib.sha256(data).hexdigest() in text
        assert f'<object data="../{slug}.pdf" type="application/pdf"' in text
        assert f'href="../{slug}.pdf" download' in text
        assert LABEL in text
        assert 'class="cb-reading"' in text and "<pre" not in text
        for heading in ("Thông tin văn bản", "Bản gốc đã ký số", "Chữ ký số", "Nội dung văn bản"):
            assert heading in text
        if letter.urgency:
            assert f'<span class="cb-urgent">{letter.urgency.upper()}</span>' in text
        assert (page.parent.parent / f"{slug}.pdf").read_bytes() == data


def test_addressees_link_to_their_unit_pages(built: BuiltSite) -> None:
    text = built.page_of("316/GM-LĐLĐ").read_text(encoding="utf-8")
    assert '<a href="../../don-vi/ldld-hoa-an/">Liên đoàn Lao động huyện Hòa An</a>' in text
    assert (built.site / "don-vi" / "ldld-hoa-an" / "index.html").is_file()


def test_cited_documents_link_to_their_pages_and_back(built: BuiltSite) -> None:
    """GIVEN 316/GM-LĐLĐ whose text says "Thực hiện Kế hoạch số 284/KH-LĐLĐ" WHEN both are published
    THEN the number in the reading copy links to 284's page, and 284's page links back."""
    citing = built.page_of("316/GM-LĐLĐ").read_text(encoding="utf-8")
    cited_url = built.url_of("284/KH-LĐLĐ")
    reading = citing[citing.index('class="cb-reading"'):]
    assert f'Kế hoạch số <a href="../../{cited_url}">284/KH-LĐLĐ</a>' in reading
    related = citing[citing.index('id="dan-chieu"'):citing.index('class="cb-reading"')]
    assert f'href="../../{cited_url}"' in related
    cited = built.page_of("284/KH-LĐLĐ").read_text(encoding="utf-8")
    back = cited[cited.index("Được dẫn chiếu bởi"):]
    assert f'href="../../{built.url_of("316/GM-LĐLĐ")}"' in back
    # A citation of a document that is not on the portal is named, not linked.
    decision = built.page_of("291/QĐ-LĐLĐ").read_text(encoding="utf-8")
    assert "933/QĐ-TLĐ" in decision and "(không đăng trên Trang này)" in decision


def test_listings_are_static_pages_that_together_list_each_document_once(built: BuiltSite) -> None:
    year = built.site / "nam" / "2026"
    # 16 documents, 4 a page: the first page holds the newest 4, numbered pages count from the
    # oldest (trang-1 holds the 4 oldest for good), so a new letter changes the first page only.
    pages = [year / "index.html", *(year / f"trang-{n}" / "index.html" for n in (3, 2, 1))]
    assert not (year / "trang-4").exists()
    listed = [url for page in pages for url in _items(page)]
    assert len(listed) == len(set(listed)) == 16
    assert [len(_items(p)) for p in pages] == [4, 4, 4, 4]
    first = pages[0].read_text(encoding="utf-8")
    assert 'href="../../nam/2026/trang-3/" rel="next"' in first and 'rel="prev"' not in first
    assert 'aria-current="page">Mới nhất<' in first
    assert "16 văn bản" in first and "văn bản cũ hơn ở trang 3 đến trang 1" in first
    newest = pages[1].read_text(encoding="utf-8")
    assert 'href="../../../nam/2026/" rel="prev"' in newest and 'href="../../../nam/2026/trang-2/" rel="next"' in newest
    oldest = pages[-1].read_text(encoding="utf-8")
    assert 'href="../../../nam/2026/trang-2/" rel="prev"' in oldest and 'rel="next"' not in oldest
    assert 'aria-current="page">Trang 1<' in oldest and "Trang 1 (trang 1 là trang cũ nhất)" in oldest
    # A numbered page does not say how many documents the listing holds: that changes every day.
    assert "16 văn bản" not in oldest
    # Months, types and signers: each listing holds exactly its documents.
    november = _items(year / "thang-11" / "index.html")
    assert built.url_of("316/GM-LĐLĐ") in november and built.url_of("284/KH-LĐLĐ") not in november
    invitations = _items(built.site / "loai" / "giay-moi" / "index.html")
    assert sorted(invitations) == sorted(built.url_of(n) for n in ("316/GM-LĐLĐ", "270/GM-LĐLĐ"))
    signers = (built.site / "nguoi-ky").glob("*/index.html")
    assert sum(len(_items(p)) for p in signers) >= 4


def test_home_shows_urgent_documents_first_then_the_latest_and_counts_per_type(built: BuiltSite) -> None:
    text = (built.site / "index.html").read_text(encoding="utf-8")
    urgent = [n for n, (letter, _) in built.published.items() if letter.urgency]
    assert text.index("Văn bản khẩn") < text.index("Văn bản mới đăng")
    urgent_box = text[text.index('id="van-ban-khan"'):text.index('id="moi-nhat"')]
    for number in urgent:
        assert built.url_of(number) in urgent_box
    assert '<a href="loai/giay-moi/">Giấy mời</a> <span class="cb-count">2<' in text


def test_every_internal_link_and_fragment_resolves(built: BuiltSite) -> None:
    site = built.site
    broken = []
    for page in site.rglob("*.html"):
        if page.name == "404.html" and page.parent == site:
            continue  # the theme's 404 page links from the site root ("/assets/..."), wherever it is served
        parsed = _parse(page)
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith(("mailto:", "javascript:", "//")):
                continue
            if not parts.path:
                if parts.fragment and parts.fragment not in parsed.ids and parts.fragment != "__skip":
                    broken.append((page.relative_to(site), link))
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file() and not str(target).startswith(str(site / "tim-kiem")):
                broken.append((page.relative_to(site), link))
    assert not broken, broken[:20]


def _fragments(site: Path) -> list[dict]:
    found = []
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(b"pagefind_dcd")
        found.append(json.loads(raw[len(b"pagefind_dcd"):]))
    return found


def test_search_index_holds_one_folded_record_per_published_document(built: BuiltSite) -> None:
    fragments = {f["url"].removeprefix("/"): f for f in _fragments(built.site)}
    assert set(fragments) == {built.url_of(n) for n in built.published}
    record = fragments[built.url_of("284/KH-LĐLĐ")]
    assert "cong doan" in record["content"] or "dien dan doi thoai" in record["content"]
    assert record["content"] == fold(record["content"])  # folded, đ -> d
    # Meta `dau` turns the folded words back into the document's spelling, and adds no word to the index.
    assert len(record["content"].split(" ")) == len(record["meta"]["dau"].split(" "))
    assert not re.search(r"\w", record["meta"]["dau"])
    original = restore(record["content"], record["meta"]["dau"])
    assert fold(original) == record["content"] and "Công đoàn" in original
    assert record["filters"]["loai"] == ["Kế hoạch"]
    # What a result shows is folded as the content is (a search matches it the same way, đ included),
    # with what folding took away beside it, and adds no word with diacritics to the index.
    shown = {name: restore(record["meta"][name], record["meta"][f"dau_{name}"]) for name in ("so", "loai", "title")}
    assert shown == {"so": "284/KH-LĐLĐ", "loai": "Kế hoạch",
                     "title": "Tổ chức Diễn đàn đối thoại giữa lãnh đạo tỉnh với công nhân lao động năm 2026"}
    assert all(record["meta"][name] == fold(shown[name]) for name in shown)
    assert all(value == fold(value) for value in record["meta"].values())  # every meta field is folded
    # What every letter repeats is not indexed (issue 20): letterhead, motto, labels, signing block.
    for boilerplate in ("cong hoa xa hoi chu nghia", "doc lap - tu do - hanh phuc", "so: 284", "kinh gui:",
                        "noi nhan:", "ky boi:", "thoi gian ky:", "luu: vt", "tm. ban thuong vu"):
        assert boilerplate not in record["content"].lower(), boilerplate
    # Number, type and subject, signer and date come first (weighted in the stand-in page); meta
    # `than` says where the body starts; the recipients of "Nơi nhận" stay.
    words = restore(record["content"], record["meta"]["dau"]).split(" ")
    assert not re.search(r"\w", record["meta"]["than"])  # no number for a search to find
    start = count_of(record["meta"]["than"])
    fields, body = " ".join(words[:start]), " ".join(words[start:])
    assert fields.startswith("284/KH-LĐLĐ. Kế hoạch Tổ chức Diễn đàn") and fields.endswith("20/10/2026.")
    assert "Nguyễn Văn An" in fields and "Nguyễn Văn An" not in body
    assert "Thường trực Tỉnh ủy" in body
    assert record["filters"]["nam"] == ["2026"] and record["filters"]["don_vi"]
    # Text from the PDF reaches the index as text: the stand-in pages escape it.
    hostile = fragments[built.url_of("320/TB-LĐLĐ")]
    hostile_subject = restore(hostile["meta"]["title"], hostile["meta"]["dau_title"])
    assert hostile_subject == HOSTILE_SUBJECT[0].upper() + HOSTILE_SUBJECT[1:]
    assert fold(HOSTILE_SUBJECT).split("<b>")[0].strip() in hostile["content"]
    assert 'ký tự "đặc biệt" <b>in đậm</b> & [bấm]' in restore(hostile["content"], hostile["meta"]["dau"])
    # The theme's single-file search index is not there; Pagefind's ready-made UIs are not shipped.
    assert not (built.site / "search").exists()
    assert not list((built.site / "pagefind").glob("pagefind-ui*"))


def test_copy_check_and_number_indexes(built: BuiltSite) -> None:
    shards = built.site / "kiem-tra" / "sha256"
    assert len(list(shards.glob("*.json"))) == 256
    for number, (_letter, data) in built.published.items():
        digest = hashlib.sha256(data).hexdigest()
        entry = json.loads((shards / f"{digest[:2]}.json").read_text(encoding="utf-8"))[digest]
        assert entry["url"] == built.url_of(number) and entry["number"] == number
        key = number_key(number)
        numbers = json.loads((built.site / "tim-kiem" / "so" / f"{number_shard(key)}.json").read_text("utf-8"))
        assert built.url_of(number) in [e["url"] for e in numbers[key]]
    assert len(list((built.site / "tim-kiem" / "so").glob("*.json"))) == NUMBER_SHARDS


def test_the_refused_document_appears_nowhere_not_even_in_the_indexes(built: BuiltSite) -> None:
    letter, data = built.refused
    needles = {hashlib.sha256(data).hexdigest(), fold(REFUSED_SUBJECT), fold(letter.number or "")}
    for path in built.site.rglob("*"):
        if not path.is_file() or path.suffix == ".pdf":
            continue
        raw = path.read_bytes()
        if path.suffix in (".pf_fragment", ".pf_index", ".pf_filter", ".pf_meta", ".gz"):
            raw = gzip.decompress(raw)
        text = fold(raw.decode("utf-8", errors="replace"))
        for needle in needles:
            assert needle not in text, (path, needle)
    assert data not in {p.read_bytes() for p in built.site.rglob("*.pdf")}


def test_text_from_the_pdf_stays_text(built: BuiltSite) -> None:
    """GIVEN a subject with markup, quotes, a Markdown link and template syntax WHEN it is published
    THEN every page shows it as text: no element, no link, no evaluated template, no broken attribute."""
    page = built.page_of("320/TB-LĐLĐ").read_text(encoding="utf-8")
    assert "<b>in đậm" not in page and "‹b›in đậm" not in page.split("<h1>")[1].split("</h1>")[0]
    assert 'href="javascript' not in page and "<em>sao</em>" not in page and "49" not in page.split("<h1>")[1][:300]
    assert "&lt;b&gt;in đậm&lt;/b&gt;" in page
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert title and "&quot;đặc biệt&quot;" in title.group(1)
    description = re.search(r'<meta name="description" content="([^"]*)">', page)
    assert description and "đặc biệt" in description.group(1)
    for path in built.site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert 'href="javascript:' not in text and "<b>in đậm" not in text, path
    assert HOSTILE_SUBJECT in html.unescape(page)  # the "Trích yếu" row: exactly as read


def test_a_portal_with_nothing_published_yet_still_builds_every_page(tmp_path: Path, pki: DemoPki) -> None:
    from kit import make_portal

    portal = make_portal(tmp_path / "empty", pki)
    status, out, err = portal.build()
    assert status == 0, out + err
    assert "Chưa có văn bản" in (portal.site / "index.html").read_text(encoding="utf-8")
    search = (portal.site / "tim-kiem" / "index.html").read_text(encoding="utf-8")
    assert "Chưa có văn bản nào được đăng." in search and "tim-kiem.js" not in search
    assert not (portal.site / "pagefind").exists()
    assert len(list((portal.site / "kiem-tra" / "sha256").glob("*.json"))) == 256
