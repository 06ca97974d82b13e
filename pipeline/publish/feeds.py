"""Feeds: RSS 2.0, Atom (RFC 4287) and JSON Feed 1.1 for the whole portal, urgent documents, every
document type, every unit and every group, plus an OPML list of them all. jinja2 templates only.

Addresses are stable: feeds/<name>.xml (RSS), feeds/<name>.atom, feeds/<name>.json, where <name> is
`all`, `khan`, `loai-<type slug>` or a unit or group id; the OPML is feeds/index.opml.

Output is a function of the documents alone: no build time anywhere (a feed's date is its newest
item's publication time, which comes from git), items ordered by (published_at, slug), newest first,
so two builds of the same commit write the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from jinja2 import Environment

from pipeline.config import PortalConfig
from pipeline.decide.units import UnitIndex, kind_name
from pipeline.present import clean, date_vi, newest_first, title_of, type_slug
from pipeline.publish.templating import environment as template_environment
from pipeline.publish.templating import write_rendered
from pipeline.records import Document

FEED_SIZE = 50
FORMATS = (("rss", "xml"), ("atom", "atom"), ("json", "json"))
FORMAT_NAMES = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}
OPML_PATH = "feeds/index.opml"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Characters XML 1.0 forbids (C0 controls except tab and newlines, lone surrogates, U+FFFE/U+FFFF). PDF
# text layers do contain them; one would make the whole feed unparseable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def rfc822(moment: dt.datetime) -> str:
    """RFC 822 (as updated by RFC 1123) in UTC, with English names whatever the machine's locale."""
    u = moment.astimezone(dt.UTC)
    return f"{_DAYS[u.weekday()]}, {u.day:02d} {_MONTHS[u.month - 1]} {u.year:04d} {u:%H:%M:%S} +0000"


def rfc3339(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def text(value: str) -> str:
    """Plain one-line text, safe in XML and JSON: no control characters, no markup characters."""
    return clean(_NOT_XML.sub("", value))


@dataclass(frozen=True)
class Feed:
    name: str  # feeds/<name>.<ext>
    title: str
    description: str
    page: str  # absolute address of the matching HTML page
    section: str  # "portal" | "urgent" | "type" | "unit" | "group"
    documents: tuple[Document, ...]  # every matching document, newest first
    folder: str = ""  # OPML folder within the section (the unit's kind)

    def path(self, fmt: str) -> str:
        return f"feeds/{self.name}.{dict(FORMATS)[fmt]}"


def feed_urls(base: str, name: str) -> dict[str, str]:
    """{"rss": ..., "atom": ..., "json": ...}: absolute addresses of one feed in every format."""
    return {fmt: f"{base}feeds/{name}.{ext}" for fmt, ext in FORMATS}


def feed_paths(root: str, name: str) -> list[dict[str, str]]:
    """Links to one feed in every format, relative to a page (`root` leads to the site root)."""
    return [{"format": FORMAT_NAMES[fmt], "href": f"{root}feeds/{name}.{ext}"} for fmt, ext in FORMATS]


def plan_feeds(config: PortalConfig, documents: tuple[Document, ...] | list[Document],
               newest_first_already: bool = False) -> list[Feed]:
    """Every feed of the portal, in OPML order: all, khan, each type, each unit, each group.
    `newest_first_already`: `documents` are in present.newest_first's order (the build's)."""
    base = config.site.url
    org = config.organisation
    ordered = tuple(documents) if newest_first_already else tuple(newest_first(documents))
    feeds = [
        Feed("all", config.site.title, config.site.description, base, "portal", ordered),
        Feed("khan", f"Văn bản khẩn – {org.short_name}",
             f"Văn bản khẩn, thượng khẩn, hỏa tốc của {org.name}: đọc và xử lý trước.",
             base, "urgent", tuple(d for d in ordered if d.metadata.marks.urgency)),
    ]
    # Each document put in its type's, units' and groups' feeds in one pass, newest first (a pass per
    # feed was 5 million checks at 100,000 letters and 50 units).
    by_type: dict[str, list[Document]] = defaultdict(list)
    by_unit: dict[str, list[Document]] = defaultdict(list)
    by_group: dict[str, list[Document]] = defaultdict(list)
    for d in ordered:
        by_type[d.metadata.type_name or "Văn bản"].append(d)
        for unit_id in dict.fromkeys(d.units):
            by_unit[unit_id].append(d)
        for group_id in dict.fromkeys(d.groups):
            by_group[group_id].append(d)
    for type_name in sorted(by_type):
        feeds.append(Feed(
            f"loai-{type_slug(type_name)}", f"{type_name} – {org.short_name}",
            f"{type_name} của {org.name}, mới nhất trước.", f"{base}loai/{type_slug(type_name)}/", "type",
            tuple(by_type[type_name]),
        ))
    for unit in config.units:
        feeds.append(Feed(
            unit.id, f"Văn bản gửi {unit.name}",
            f"Văn bản điện tử đã ký số của {org.name} gửi {unit.name}.", f"{base}don-vi/{unit.id}/", "unit",
            tuple(by_unit.get(unit.id, ())), folder=kind_name(unit.kind),
        ))
    for group in config.groups:
        name = re.sub(r"^Các ", "các ", group.name)  # "Văn bản gửi các ban ..." reads as a sentence
        feeds.append(Feed(
            group.id, f"Văn bản gửi {name}",
            f"Văn bản điện tử đã ký số của {org.name} gửi chung {name}.", f"{base}don-vi/{group.id}/",
            "group", tuple(by_group.get(group.id, ())),
        ))
    return feeds


def item(config: PortalConfig, index: UnitIndex, doc: Document) -> dict[str, Any]:
    """What every format says about one document."""
    base = config.site.url
    m = doc.metadata
    type_name = m.type_name or "Văn bản"
    role = ", ".join(p for p in (m.signer.authority, m.signer.position) if p)
    signer = f"{m.signer.full_name} ({role})" if m.signer.full_name and role else (m.signer.full_name or role)
    if m.addressees:
        to = "Kính gửi: " + "; ".join(text(a) for a in m.addressees)
    else:
        to = "Gửi: " + "; ".join(_reached_names(config, index, doc)) if doc.units else ""
    summary = ". ".join(part for part in (
        f"{type_name} số {m.number or 'không số'}, ngày {date_vi(m.issued_date)}",
        f"Độ khẩn: {m.marks.urgency}" if m.marks.urgency else "",
        f"Cơ quan ban hành: {m.organ_name}" if m.organ_name else "",
        f"Người ký: {signer}" if signer else "",
        to,
    ) if part)
    size_kb = max(1, round(doc.source.size / 1024))
    pdf = config.site.pdf_href(doc.slug, f"{base}van-ban/{doc.slug}.pdf")
    content = "\n".join((
        m.subject or "(không rõ trích yếu)",
        summary + ".",
        f"Bản gốc đã ký số (PDF, {size_kb} KB): {pdf}",
    ))
    return {
        "id": f"urn:sha256:{doc.source.sha256}",
        "title": text(title_of(m)),
        "url": f"{base}van-ban/{doc.slug}/",
        "rfc822": rfc822(doc.published_at),
        "rfc3339": rfc3339(doc.published_at),
        "summary": text(summary + "."),
        "content": "\n".join(text(line) for line in content.splitlines()),
        "category": text(type_name),
        "category_scheme": f"{base}loai/",
        "enclosure": pdf,
        "enclosure_title": text(f"{type_name} {m.number or doc.slug} (bản gốc đã ký số)"),
        "length": doc.source.size,
        "extension": {
            "about": f"{base}nhan-thong-bao/",
            "number": m.number,
            "type": type_name,
            "issued_date": m.issued_date.isoformat() if m.issued_date else None,
            "urgency": m.marks.urgency,
            "sha256": doc.source.sha256,
            "units": list(doc.units),
        },
    }


def _reached_names(config: PortalConfig, index: UnitIndex, doc: Document) -> list[str]:
    """Groups the document was sent to, then the units not covered by one of them."""
    groups = doc.groups
    covered = {u for g in groups for u in index.members.get(g, ())}
    names = [g.name for g in config.groups if g.id in groups]
    names += [u.name for u in config.units if u.id in doc.units and u.id not in covered]
    return names


def environment() -> Environment:
    env = template_environment(trim=True)
    # JSON Feed through `tojson`: readable Vietnamese, keys in the order written, still HTML-safe.
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": False}
    return env


class Sink(Protocol):
    """What write_feeds needs from render.Writer."""

    def write(self, relative: str, text: str) -> None: ...

    def write_keyed(self, relative: str, key: str, render: Callable[[], str]) -> None: ...


def write_feeds(config: PortalConfig, documents: tuple[Document, ...] | list[Document], writer: Sink,
                newest_first_already: bool = False) -> list[Feed]:
    """Write every feed in every format and the OPML through `writer` (render.Writer). Returns the plan."""
    env = environment()
    index = UnitIndex(config)
    feeds = plan_feeds(config, documents, newest_first_already)
    items: dict[str, dict[str, Any]] = {}  # only the documents some feed shows (FEED_SIZE each)
    newest = feeds[0].documents[0].published_at if feeds[0].documents else EPOCH
    org = config.organisation
    for feed in feeds:
        shown = []
        for doc in feed.documents[:FEED_SIZE]:
            if doc.slug not in items:
                items[doc.slug] = item(config, index, doc)
            shown.append(items[doc.slug])
        updated = feed.documents[0].published_at if feed.documents else newest
        context = {
            "feed": {"title": feed.title, "description": feed.description, "page": feed.page},
            "urls": feed_urls(config.site.url, feed.name), "items": shown,
            "updated_rfc822": rfc822(updated) if feed.documents else None, "updated_rfc3339": rfc3339(updated),
            "organisation": org.name, "base": config.site.url, "json_feed_version": JSON_FEED_VERSION,
        }
        # A feed is rendered only when what it says changed (most do not when one letter is added).
        for fmt, _ext in FORMATS:
            write_rendered(writer, feed.path(fmt), env.get_template(_TEMPLATE[fmt]), context)
    top, folders = opml_outline(config, feeds)
    writer.write(OPML_PATH, env.get_template("opml.xml.j2").render(
        title=f"Bản tin – {config.site.title}", organisation=org.name, base=config.site.url,
        top=top, folders=folders,
    ))
    return feeds


_TEMPLATE = {"rss": "rss.xml.j2", "atom": "atom.xml.j2", "json": "feed.json.j2"}
_SECTION_TITLES = {
    "type": "Theo loại văn bản",
    "unit": "Theo đơn vị nhận",
    "group": "Theo nhóm đơn vị",
}


def opml_outline(config: PortalConfig, feeds: list[Feed]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """OPML outline: the portal and urgent feeds at the top, then folders by type, by unit (one
    sub-folder per kind of unit, in registry order) and by group."""
    base = config.site.url

    def entry(feed: Feed) -> dict[str, Any]:
        return {"text": feed.title, "description": feed.description, "page": feed.page,
                "urls": feed_urls(base, feed.name)}

    top = [entry(f) for f in feeds if f.section in ("portal", "urgent")]
    folders: list[dict[str, Any]] = []
    for section, title in _SECTION_TITLES.items():
        members = [f for f in feeds if f.section == section]
        if not members:
            continue
        if section == "unit":
            kinds = list(dict.fromkeys(f.folder for f in members))
            children = [{"text": k, "feeds": [entry(f) for f in members if f.folder == k], "folders": []}
                        for k in kinds]
            folders.append({"text": title, "feeds": [], "folders": children})
        else:
            folders.append({"text": title, "feeds": [entry(f) for f in members], "folders": []})
    return top, folders
