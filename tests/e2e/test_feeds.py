"""Feeds end to end (issue 6): a git-committed portal of real signed letters is built twice; every RSS 2.0,
Atom and JSON Feed 1.1 file is parsed with feedparser and checked against its specification's rules;
a letter sent to a group reaches every member's feed and nobody else's; the OPML lists every feed;
unit pages and "Nhận thông báo" link them; two builds of one commit write the same bytes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils
import hashlib
import json
import os
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import feedparser
import pytest
import yaml
from kit import Portal, make_portal, run, sign

from corpus.letters import Letter, demo_letters, letter_filename
from corpus.pki import DemoPki
from pipeline.config import load_config
from pipeline.publish.feeds import FEED_SIZE, JSON_FEED_VERSION, plan_feeds, write_feeds
from pipeline.publish.writer import Writer, write_planned

BASE = "https://congbo.example.org/"
RECEIPTS = "https://nhan.ldld-mau.example.vn/"
ATOM = "{http://www.w3.org/2005/Atom}"
RFC822 = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                    r"\d{4} \d{2}:\d{2}:\d{2} (\+0000|GMT)$")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
FIRST_COMMIT = "2026-11-23T08:00:00+07:00"
SECOND_COMMIT = "2026-11-24T09:15:00+07:00"

# The Party group of the issue, added to the union's registry as a test-specific portal.yml: a provincial
# union does write to "Ban thường vụ các huyện ủy, thị ủy, thành ủy" about union work in the districts.
PARTY_UNITS = [
    {"id": "huyen-uy-chau-thanh", "name": "Huyện ủy Châu Thành", "kind": "party-committee", "groups": ["btv-huyen-uy"]},
    {"id": "huyen-uy-hoa-an", "name": "Huyện ủy Hòa An", "kind": "party-committee", "groups": ["btv-huyen-uy"]},
    {"id": "thanh-uy-tan-mau", "name": "Thành ủy Tân Mẫu", "kind": "party-committee", "groups": ["btv-huyen-uy"]},
]
PARTY_GROUP = {"id": "btv-huyen-uy", "name": "Ban thường vụ các huyện ủy, thị ủy, thành ủy"}


def _extra_letters() -> dict[str, Letter]:
    base = next(x for x in demo_letters() if x.number == "258/LĐLĐ")  # a công văn with Kính gửi
    return {
        "group": dataclasses.replace(
            base, number="321/TB-LĐLĐ", type_name="Thông báo", issued_date=dt.date(2026, 11, 24),
            subject="lịch tập huấn nghiệp vụ công tác công đoàn cơ sở năm 2027",
            addressees=("Các CĐCS trực thuộc LĐLĐ tỉnh",), recipients=("Như trên", "Lưu: VT, VP"),
            urgency="HỎA TỐC", signed_by=None, signed_time=None,
        ),
        "party": dataclasses.replace(
            base, number="322/LĐLĐ", issued_date=dt.date(2026, 11, 24),
            subject="phối hợp chỉ đạo tổ chức đại hội công đoàn cơ sở nhiệm kỳ 2027 - 2032",
            addressees=("Ban Thường vụ các huyện ủy, thị ủy, thành ủy",),
            recipients=("Như trên", "Thường trực Tỉnh ủy (b/c)", "Thường trực LĐLĐ tỉnh", "Lưu: VT, VP"),
            urgency=None, signed_by=None, signed_time=None,
        ),
        "unknown": dataclasses.replace(
            base, number="323/LĐLĐ", issued_date=dt.date(2026, 11, 24),
            subject="rà soát danh sách đoàn viên có hoàn cảnh khó khăn dịp Tết",
            addressees=("LĐLĐ huyện Châu Thàn", "Liên đoàn Lao động huyện Hòa An"),
            recipients=("Như trên", "Sở Giao thông vận tải", "Lưu: VT"),
            urgency=None, signed_by=None, signed_time=None,
        ),
    }


@dataclasses.dataclass
class Built:
    portal: Portal
    stdout: str
    letters: dict[str, tuple[Letter, bytes]]  # sha256 -> (letter, signed bytes)
    extra: dict[str, str]  # "group" | "party" | "unknown" -> sha256
    config: dict[str, Any]

    @property
    def feeds(self) -> Path:
        return self.portal.site / "feeds"

    def sha(self, number: str) -> str:
        return next(s for s, (letter, _) in self.letters.items() if letter.number == number)


def _git(root: Path, *args: str, when: str | None = None) -> None:
    env = dict(os.environ)
    if when:
        env |= {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", "-c", "user.name=Văn thư", "-c", "user.email=vanthu@example.org",
                    "-c", "commit.gpgsign=false", *args], cwd=root, env=env, check=True, capture_output=True)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, pki: DemoPki) -> Built:
    portal = make_portal(tmp_path_factory.mktemp("feeds-portal"), pki)
    config = yaml.safe_load((portal.root / "portal.yml").read_text(encoding="utf-8"))
    config["units"] += PARTY_UNITS
    config["groups"].append(PARTY_GROUP)
    config["site"]["receipts_url"] = RECEIPTS  # issue 19: the office's own e-mail notices
    (portal.root / "portal.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                                            encoding="utf-8")
    (portal.root / ".gitignore").write_text("site/\nsite-*/\n.congbo/\n", encoding="utf-8")
    letters: dict[str, tuple[Letter, bytes]] = {}
    _git(portal.root, "init", "-q", "-b", "main")
    for letter in demo_letters():
        data = sign(letter, pki)
        portal.add(f"2026/{letter_filename(letter)}", data)
        letters[hashlib.sha256(data).hexdigest()] = (letter, data)
    _git(portal.root, "add", "-A")
    _git(portal.root, "commit", "-q", "-m", "Văn bản tháng 9 đến tháng 11", when=FIRST_COMMIT)
    extra = {}
    for kind, letter in _extra_letters().items():
        data = sign(letter, pki)
        portal.add(f"2026/{letter_filename(letter)}", data)
        letters[hashlib.sha256(data).hexdigest()] = (letter, data)
        extra[kind] = hashlib.sha256(data).hexdigest()
    _git(portal.root, "add", "-A")
    _git(portal.root, "commit", "-q", "-m", "Văn bản ngày 24/11", when=SECOND_COMMIT)
    status, stdout, stderr = portal.build()
    assert status == 0, stdout + stderr
    return Built(portal, stdout, letters, extra, config)


def _feed_names(built: Built) -> set[str]:
    return {p.name.rsplit(".", 1)[0] for p in built.feeds.iterdir() if p.suffix in (".xml", ".atom", ".json")}


def _entries(built: Built, name: str, fmt: str = "xml") -> list[Any]:
    parsed = feedparser.parse((built.feeds / f"{name}.{fmt}").read_bytes())
    assert not parsed.bozo, (name, fmt, parsed.get("bozo_exception"))
    return list(parsed.entries)


def _ids(built: Built, name: str, fmt: str = "xml") -> list[str]:
    if fmt == "json":  # feedparser 6.0 reads RSS and Atom only; JSON Feed is checked by its own rules below
        items = json.loads((built.feeds / f"{name}.json").read_text(encoding="utf-8"))["items"]
        return [i["id"].removeprefix("urn:sha256:") for i in items]
    return [e.id.removeprefix("urn:sha256:") for e in _entries(built, name, fmt)]


def _pdf_size(url: str, site: Path) -> int:
    assert url.startswith(BASE + "van-ban/") and url.endswith(".pdf"), url
    return (site / url.removeprefix(BASE)).stat().st_size


def test_a_feed_in_three_formats_for_the_portal_urgent_every_type_unit_and_group(built: Built) -> None:
    types = {letter.type_name for letter, _ in built.letters.values()}
    expected = {"all", "khan"} | {u["id"] for u in built.config["units"]} | {g["id"] for g in built.config["groups"]}
    assert _feed_names(built) == expected | {f"loai-{_slug(t)}" for t in types}
    for name in _feed_names(built):
        for fmt in ("xml", "atom", "json"):
            assert (built.feeds / f"{name}.{fmt}").is_file(), (name, fmt)


def _slug(type_name: str) -> str:
    from pipeline.normalize import slugify

    return slugify(type_name)


def test_every_feed_parses_without_errors(built: Built) -> None:
    """feedparser for RSS and Atom (no bozo); JSON Feed is checked in test_json_feed_follows_version_1_1,
    feedparser 6.0 having no JSON Feed reader."""
    versions = {"xml": "rss20", "atom": "atom10"}
    for path in sorted(built.feeds.iterdir()):
        if path.suffix not in (".xml", ".atom"):
            json.loads(path.read_bytes()) if path.suffix == ".json" else ET.parse(path)
            continue
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path.name, parsed.get("bozo_exception"))
        assert parsed.version == versions[path.suffix[1:]], path.name
        assert parsed.feed.language == "vi", path.name


def test_rss_follows_the_rss_2_0_rules(built: Built) -> None:
    for path in sorted(built.feeds.glob("*.xml")):
        root = ET.parse(path).getroot()
        assert root.tag == "rss" and root.get("version") == "2.0"
        [channel] = root.findall("channel")
        for required in ("title", "link", "description"):
            assert (channel.findtext(required) or "").strip(), (path.name, required)
        assert channel.findtext("language") == "vi"
        [self_link] = [a for a in channel.findall(f"{ATOM}link") if a.get("rel") == "self"]
        assert self_link.get("href") == f"{BASE}feeds/{path.name}"
        assert self_link.get("type") == "application/rss+xml"
        items = channel.findall("item")
        assert len(items) <= FEED_SIZE
        if items:
            assert channel.findtext("lastBuildDate") == items[0].findtext("pubDate")
        guids = [i.findtext("guid") for i in items]
        assert len(set(guids)) == len(guids), path.name
        dates = []
        for item in items:
            assert item.findtext("title") and item.findtext("link", "").startswith(BASE + "van-ban/")
            assert item.find("guid").get("isPermaLink") == "false"  # type: ignore[union-attr]
            stamp = item.findtext("pubDate") or ""
            assert RFC822.match(stamp), stamp
            parsed = email.utils.parsedate_to_datetime(stamp)
            assert parsed.strftime("%a") == stamp[:3]  # the day name agrees with the date
            dates.append(parsed)
            assert item.findtext("description")
            [enclosure] = item.findall("enclosure")
            assert enclosure.get("type") == "application/pdf"
            assert int(enclosure.get("length") or -1) == _pdf_size(enclosure.get("url") or "", built.portal.site)
            letter, _ = built.letters[(item.findtext("guid") or "").removeprefix("urn:sha256:")]
            assert item.findtext("category") == letter.type_name
        assert dates == sorted(dates, reverse=True), path.name


def test_atom_follows_rfc_4287(built: Built) -> None:
    for path in sorted(built.feeds.glob("*.atom")):
        root = ET.parse(path).getroot()
        assert root.tag == f"{ATOM}feed"
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "vi"
        assert root.findtext(f"{ATOM}id") and root.findtext(f"{ATOM}title")
        assert RFC3339.match(root.findtext(f"{ATOM}updated") or ""), path.name
        links = {link.get("rel"): link for link in root.findall(f"{ATOM}link")}
        assert links["self"].get("href") == f"{BASE}feeds/{path.name}"
        assert links["self"].get("type") == "application/atom+xml"
        assert links["alternate"].get("href", "").startswith(BASE)
        assert root.findtext(f"{ATOM}author/{ATOM}name")  # so entries need no author of their own
        entries = root.findall(f"{ATOM}entry")
        assert len(entries) <= FEED_SIZE
        if entries:
            assert root.findtext(f"{ATOM}updated") == entries[0].findtext(f"{ATOM}updated")
        ids = [e.findtext(f"{ATOM}id") for e in entries]
        assert len(set(ids)) == len(ids)
        for entry in entries:
            assert entry.findtext(f"{ATOM}title")
            for stamp in (entry.findtext(f"{ATOM}updated"), entry.findtext(f"{ATOM}published")):
                assert RFC3339.match(stamp or ""), stamp
                dt.datetime.fromisoformat(stamp or "")
            rels = {link.get("rel"): link for link in entry.findall(f"{ATOM}link")}
            assert rels["alternate"].get("href", "").startswith(BASE + "van-ban/")
            enclosure = rels["enclosure"]
            assert enclosure.get("type") == "application/pdf"
            assert int(enclosure.get("length") or -1) == _pdf_size(enclosure.get("href") or "", built.portal.site)
            assert entry.find(f"{ATOM}category").get("term")  # type: ignore[union-attr]
            assert entry.findtext(f"{ATOM}summary")


def test_json_feed_follows_version_1_1(built: Built) -> None:
    for path in sorted(built.feeds.glob("*.json")):
        feed = json.loads(path.read_text(encoding="utf-8"))
        assert feed["version"] == JSON_FEED_VERSION == "https://jsonfeed.org/version/1.1"
        assert isinstance(feed["title"], str) and feed["title"]
        assert feed["feed_url"] == f"{BASE}feeds/{path.name}"
        assert feed["home_page_url"].startswith(BASE)
        assert feed["language"] == "vi"
        assert all(isinstance(a["name"], str) and set(a) <= {"name", "url", "avatar"} for a in feed["authors"])
        assert set(feed) <= JSON_FEED_TOP_KEYS, set(feed) - JSON_FEED_TOP_KEYS  # "author" is 1.0 only
        items = feed["items"]
        assert isinstance(items, list) and len(items) <= FEED_SIZE
        ids = [i["id"] for i in items]
        assert all(isinstance(i, str) for i in ids) and len(set(ids)) == len(ids)
        for entry in items:
            assert entry["url"].startswith(BASE + "van-ban/")
            assert entry["title"]
            assert isinstance(entry.get("content_text") or entry.get("content_html"), str)
            assert RFC3339.match(entry["date_published"])
            dt.datetime.fromisoformat(entry["date_published"])
            assert entry["tags"] == [built.letters[entry["id"].removeprefix("urn:sha256:")][0].type_name]
            [attachment] = entry["attachments"]
            assert set(attachment) <= {"url", "mime_type", "title", "size_in_bytes", "duration_in_seconds"}
            assert attachment["mime_type"] == "application/pdf"
            assert attachment["size_in_bytes"] == _pdf_size(attachment["url"], built.portal.site)
            assert all(k.startswith("_") or k in JSON_FEED_ITEM_KEYS for k in entry), entry.keys()


JSON_FEED_TOP_KEYS = {"version", "title", "home_page_url", "feed_url", "description", "user_comment", "next_url",
                      "icon", "favicon", "authors", "language", "expired", "hubs", "items"}
JSON_FEED_ITEM_KEYS = {"id", "url", "external_url", "title", "content_html", "content_text", "summary", "image",
                       "banner_image", "date_published", "date_modified", "authors", "tags", "language",
                       "attachments"}


def test_the_three_formats_carry_the_same_items_in_the_same_order(built: Built) -> None:
    for name in _feed_names(built):
        rss = _ids(built, name, "xml")
        assert rss == _ids(built, name, "atom") == _ids(built, name, "json"), name


def test_items_are_newest_first_by_git_time_with_urgency_in_the_title(built: Built) -> None:
    entries = _entries(built, "all")
    # The three letters of the second commit come first, published at that commit's time.
    newest = {e.id.removeprefix("urn:sha256:") for e in entries[:3]}
    assert newest == set(built.extra.values())
    second = dt.datetime.fromisoformat(SECOND_COMMIT)
    first = dt.datetime.fromisoformat(FIRST_COMMIT)
    for entry in entries:
        published = email.utils.parsedate_to_datetime(entry.published)
        expected = second if entry.id.removeprefix("urn:sha256:") in newest else first
        assert published == expected, entry.title
    group = next(e for e in entries if e.id == f"urn:sha256:{built.extra['group']}")
    # The subject keeps its capital once the parser took "V/v" away (issue 20), as on the pages.
    assert group.title == "[HỎA TỐC] Số 321/TB-LĐLĐ – Lịch tập huấn nghiệp vụ công tác công đoàn cơ sở năm 2027"
    urgent_258 = next(e for e in entries if e.id == f"urn:sha256:{built.sha('258/LĐLĐ')}")
    assert urgent_258.title.startswith("[KHẨN] Số 258/LĐLĐ – Nắm tình hình")
    plain = next(e for e in entries if e.id == f"urn:sha256:{built.extra['party']}")
    assert plain.title.startswith("Số 322/LĐLĐ – ")


def test_summary_names_type_number_date_issuer_signer_and_addressees(built: Built) -> None:
    letter, _ = built.letters[built.extra["party"]]
    [entry] = [e for e in _entries(built, "all") if e.id == f"urn:sha256:{built.extra['party']}"]
    for needle in ("Công văn số 322/LĐLĐ", "ngày 24/11/2026", "Cơ quan ban hành: LIÊN ĐOÀN LAO ĐỘNG TỈNH MẪU",
                   f"Người ký: {letter.signer_name}", "Kính gửi: Ban Thường vụ các huyện ủy, thị ủy, thành ủy"):
        assert needle in entry.summary, needle
    assert entry.tags[0].term == "Công văn"


def test_urgent_type_and_portal_feeds_carry_the_right_documents(built: Built) -> None:
    everything = set(built.letters)
    assert set(_ids(built, "all")) == everything
    urgent = {s for s, (letter, _) in built.letters.items() if letter.urgency}
    assert set(_ids(built, "khan")) == urgent and len(urgent) >= 5
    for type_name in {letter.type_name for letter, _ in built.letters.values()}:
        expected = {s for s, (letter, _) in built.letters.items() if letter.type_name == type_name}
        assert set(_ids(built, f"loai-{_slug(type_name)}")) == expected, type_name


@pytest.mark.parametrize(("kind", "group"), [("group", "cdcs-truc-thuoc"), ("party", "btv-huyen-uy")])
def test_a_document_sent_to_a_group_reaches_every_member_and_nobody_else(built: Built, kind: str, group: str) -> None:
    sha = built.extra[kind]
    members = {u["id"] for u in built.config["units"] if group in u.get("groups", [])}
    assert len(members) >= 2
    for unit in built.config["units"]:
        for fmt in ("xml", "atom", "json"):
            assert (sha in _ids(built, unit["id"], fmt)) == (unit["id"] in members), (unit["id"], fmt)
    for other in built.config["groups"]:
        assert (sha in _ids(built, other["id"])) == (other["id"] == group), other["id"]
    # The group's own page lists it, and links its feeds.
    page = (built.portal.site / "don-vi" / group / "index.html").read_text(encoding="utf-8")
    letter, _ = built.letters[sha]
    assert (letter.number or "?") in page and f"feeds/{group}.xml" in page


def test_a_grassroots_union_under_a_district_is_not_a_member_of_the_provincial_group(built: Built) -> None:
    assert built.extra["group"] not in _ids(built, "cdcs-thpt-chau-thanh")


def test_unknown_addressee_lines_are_reported_with_a_suggested_alias(built: Built) -> None:
    out = built.stdout
    assert "'LĐLĐ huyện Châu Thàn'" in out and "'ldld-chau-thanh'" in out and "aliases" in out
    assert "'Sở Giao thông vận tải'" in out and "ignored_recipients" in out
    # Superiors "(b/c)", the office's own leadership and "Như Điều 2" are not worth a warning.
    for quiet in ("Tổng Liên đoàn", "Thường trực Tỉnh ủy", "Thường trực LĐLĐ tỉnh", "Như Điều 2"):
        assert quiet not in out, quiet
    # The misspelled line reaches nobody; the other addressee still gets the letter.
    assert built.extra["unknown"] not in _ids(built, "ldld-chau-thanh")
    assert built.extra["unknown"] in _ids(built, "ldld-hoa-an")


def test_opml_lists_every_feed(built: Built) -> None:
    root = ET.parse(built.feeds / "index.opml").getroot()
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.findtext("head/title")
    outlines = [o for o in root.iter("outline") if o.get("type") == "rss"]
    listed = {o.get("xmlUrl") for o in outlines}
    assert listed == {f"{BASE}feeds/{name}.xml" for name in _feed_names(built)}
    assert len(listed) == len(outlines)
    for outline in outlines:
        assert outline.get("text") and outline.get("htmlUrl", "").startswith(BASE)
        assert outline.get("language") == "vi"
    folders = [o.get("text") for o in root.find("body") if o.get("type") is None]  # type: ignore[union-attr]
    assert {"Theo loại văn bản", "Theo đơn vị nhận", "Theo nhóm đơn vị"} <= set(folders)


def test_unit_page_lists_what_was_sent_newest_first_with_urgent_marked_and_feed_links(built: Built) -> None:
    page = (built.portal.site / "don-vi" / "cdcs-may-mau-son" / "index.html").read_text(encoding="utf-8")
    assert "Văn bản gửi Công đoàn cơ sở Công ty TNHH May Mẫu Sơn" in page
    # Plain words for the feed on a public page (issue 20): "Nhận thông báo", leading to the unit's line
    # of the subscribe page; the feed's own address is there for those who know what to do with it.
    assert '<a href="../../nhan-thong-bao/#cdcs-may-mau-son">Nhận thông báo</a>' in page
    assert 'href="../../feeds/cdcs-may-mau-son.xml"' in page and "JSON Feed" not in page and "Atom" not in page
    # The breadcrumb of every listing, then the urgent letters first, then everything, newest first.
    assert '<a href="../../">Trang chủ</a> › <a href="../../don-vi/">Đơn vị nhận</a> ›' in page
    urgent_box, everything = page.split('id="moi-van-ban"')
    urgent_box = urgent_box.split('id="van-ban-khan"')[1]
    feed_order = [e.link.removeprefix(BASE + "van-ban/").rstrip("/") for e in _entries(built, "cdcs-may-mau-son")]
    listed = re.findall(r'href="\.\./\.\./van-ban/([^/"]+)/"', everything)
    assert listed == feed_order and listed
    assert everything.count("cb-item--urgent") == sum(
        1 for s in _ids(built, "cdcs-may-mau-son") if built.letters[s][0].urgency)
    boxed = re.findall(r'href="\.\./\.\./van-ban/([^/"]+)/"', urgent_box)
    assert boxed and boxed == [slug for slug in feed_order if f'van-ban/{slug}/"' in urgent_box]
    assert urgent_box.count("cb-item--urgent") == len(boxed) == everything.count("cb-item--urgent")  # 2 of them
    index = (built.portal.site / "don-vi" / "index.html").read_text(encoding="utf-8")
    assert "Huyện ủy, thị ủy, thành ủy" in index and "Nhóm đơn vị" in index and "feeds/index.opml" in index


def test_subscribe_page_offers_email_first_then_readers_with_a_link_per_unit(built: Built) -> None:
    page = (built.portal.site / "nhan-thong-bao" / "index.html").read_text(encoding="utf-8")
    for needle in ("Nhận thông báo", "phần mềm đọc tin", "thư điện tử", "Thunderbird", "chữ ký số",
                   "Xác nhận đã nhận", f'href="{RECEIPTS}"'):
        assert needle in page, needle
    assert page.index("Cách 1: nhận thư điện tử") < page.index("Cách 2: bản tin") < page.index("Thunderbird")
    # A unit picker at the top leads to the unit's own line of the table (issue 20: on a phone the
    # table is thousands of pixels down), each line an anchor.
    assert page.index('class="cb-unit-picker"') < page.index('id="thu-dien-tu"')
    for unit in built.config["units"]:
        assert f'href="{BASE}feeds/{unit["id"]}.xml"' in page, unit["id"]
        assert f'href="../don-vi/{unit["id"]}/"' in page, unit["id"]
        assert f'<a href="#{unit["id"]}">' in page and f'<span id="{unit["id"]}"></span>' in page, unit["id"]
    assert f'href="{BASE}feeds/khan.xml"' in page


def test_without_the_receipts_service_the_email_route_is_a_feed_to_mail_service() -> None:
    from pipeline.publish.templating import environment

    page = environment(trim=True).get_template("subscribe.md.j2").render(
        units=[], groups=[], general=[], opml_url="feeds/index.opml", receipts_url=None)
    assert "rss2email" in page and "Xác nhận đã nhận" not in page
    assert page.index("Cách 1: nhận thư điện tử") < page.index("Cách 2: bản tin")


def test_refused_or_absent_documents_never_reach_atom_or_opml(built: Built) -> None:
    """Every item of every format points at a PDF that is on the site, byte for byte one of ours."""
    for path in built.feeds.iterdir():
        for url in re.findall(rf"{re.escape(BASE)}van-ban/[^\"<\s]+\.pdf", path.read_text(encoding="utf-8")):
            data = (built.portal.site / url.removeprefix(BASE)).read_bytes()
            assert hashlib.sha256(data).hexdigest() in built.letters


def test_two_builds_of_the_same_commit_write_byte_identical_feeds(built: Built) -> None:
    again = built.portal.root / "site-again"
    status, stdout, stderr = run("--root", str(built.portal.root), "build", "--out", str(again), "--no-cache")
    assert status == 0, stdout + stderr
    first = {p.relative_to(built.feeds): p.read_bytes() for p in built.feeds.rglob("*") if p.is_file()}
    second = {p.relative_to(again / "feeds"): p.read_bytes() for p in (again / "feeds").rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    for name, data in first.items():
        assert data == second[name], name
    for page in ("don-vi/ldld-chau-thanh/index.html", "nhan-thong-bao/index.html"):
        assert (built.portal.site / page).read_bytes() == (again / page).read_bytes(), page


def test_a_feed_carries_only_the_newest_50(built: Built, tmp_path: Path) -> None:
    """Sixty documents (the built ones, re-dated) through the real feed writer: each feed keeps 50."""
    from pipeline.build import collect

    config = load_config(built.portal.root / "portal.yml")
    report = collect(config)
    base = report.documents[0]
    start = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    documents = [
        dataclasses.replace(base, slug=f"{base.slug}-{n:02d}", published_at=start + dt.timedelta(hours=n),
                            source=dataclasses.replace(base.source, sha256=f"{n:064x}"))
        for n in range(60)
    ]
    writer = Writer(frozenset())
    feeds = write_feeds(config, documents, writer)
    write_planned(tmp_path, writer.planned)
    assert len(feeds[0].documents) == 60
    parsed = feedparser.parse((tmp_path / "feeds" / "all.xml").read_bytes())
    assert len(parsed.entries) == FEED_SIZE == 50
    assert parsed.entries[0].id == f"urn:sha256:{59:064x}" and parsed.entries[-1].id == f"urn:sha256:{10:064x}"
    assert len(json.loads((tmp_path / "feeds" / "all.json").read_text(encoding="utf-8"))["items"]) == 50
    # The plan itself is deterministic: the same input gives the same order.
    assert [d.slug for d in plan_feeds(config, documents)[0].documents] == [d.slug for d in feeds[0].documents]
