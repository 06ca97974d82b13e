"""The unit pages ("Văn bản gửi <đơn vị>", one per unit and group, paginated like every listing),
the "Đơn vị nhận" index and the "Nhận thông báo" page: what each subordinate unit reads, with its
feeds."""

from __future__ import annotations

from typing import Any

from pipeline.config import PortalConfig
from pipeline.decide.units import kind_name
from pipeline.publish import pages as render_pages
from pipeline.publish.feeds import OPML_PATH, Feed, feed_paths, feed_urls
from pipeline.publish.feeds import environment as feeds_environment
from pipeline.publish.templating import write_rendered
from pipeline.publish.writer import Writer
from pipeline.records import Document


def write_unit_pages(
    config: PortalConfig, ordered: list[Document], items: list[dict[str, Any]], feeds: list[Feed], writer: Writer
) -> None:
    """"Văn bản gửi <unit>" for every unit and group, the "Đơn vị nhận" index and "Nhận thông báo"."""
    env = feeds_environment()  # trimmed blocks: these templates hold Markdown tables
    root = "../../"
    item_of = {d.slug: i for d, i in zip(ordered, items, strict=True)}
    by_name = {f.name: f for f in feeds}
    names = {u.id: u.name for u in config.units} | {g.id: g.name for g in config.groups}

    listings = render_pages.environment()
    home = {"name": "Trang chủ", "href": ""}

    def page(ident: str, facts: str, **extra: Any) -> None:
        feed = by_name[ident]
        listed = [item_of[d.slug] for d in feed.documents]
        urgent = sum(1 for i in listed if i["urgency"])
        intro = f"{len(listed)} văn bản, mới nhất trước" + (f"; {urgent} văn bản khẩn được đánh dấu." if urgent
                                                             else ".")
        # Older documents on numbered pages, as every listing: a unit of a provincial union gets
        # hundreds of documents a year, and today's letter then changes its first page only.
        front = render_pages.write_listing(
            listings, writer, f"don-vi/{ident}", feed.title, intro, listed,
            [home, {"name": "Đơn vị nhận", "href": "don-vi/"}], feed=ident, own_front=True,
            filter_units=False)
        # Urgent letters first (issue 20): the newest URGENT_FIRST of them above the list, as on the
        # home page; the list below stays newest first, like the unit's feed.
        context = {"root": root, "title": feed.title, "description": feed.description, "facts": facts,
                   "intro": f"{intro} {front.note}".strip(), "items": front.items, "pager": front.pager,
                   "urgent": [i for i in listed if i["urgency"]][:URGENT_FIRST], "urgent_total": urgent,
                   "ident": ident, "crumbs": [{"name": "Trang chủ", "href": root},
                                              {"name": "Đơn vị nhận", "href": f"{root}don-vi/"}],
                   "heading": feed.title, "filters": front.filters, "page": 0,
                   "feeds": _feed_links(root, ident), "parent": None, "groups": [], "members": []} | extra
        write_rendered(writer, f"don-vi/{ident}.md", env.get_template("unit.md.j2"), context)

    for unit in config.units:
        page(unit.id, f"{kind_name(unit.kind)}.",
             parent={"name": names[unit.parent], "href": f"{root}don-vi/{unit.parent}/"} if unit.parent else None,
             groups=[{"name": names[g], "href": f"{root}don-vi/{g}/"} for g in unit.groups])
    for group in config.groups:
        members = [u for u in config.units if group.id in u.groups]
        page(group.id, "Nhóm đơn vị: văn bản gửi chung cả nhóm.",
             members=[{"name": u.name, "href": f"{root}don-vi/{u.id}/"} for u in members])

    def entry(ident: str, href: str) -> dict[str, Any]:
        feed = by_name[ident]
        return {"id": ident, "name": names.get(ident, feed.title), "href": href, "count": len(feed.documents),
                "feeds": _feed_links("../", ident), "urls": feed_urls(config.site.url, ident),
                "page": f"don-vi/{ident}.md"}

    sections = []
    for kind in dict.fromkeys(u.kind for u in config.units):
        sections.append({"title": kind_name(kind),
                         "entries": [entry(u.id, f"{u.id}/") for u in config.units if u.kind == kind]})
    if config.groups:
        sections.append({"title": "Nhóm đơn vị", "entries": [entry(g.id, f"{g.id}/") for g in config.groups]})
    writer.write("don-vi/index.md", env.get_template("units_index.md.j2").render(sections=sections, opml=OPML_PATH))

    general = [{"name": f.title, "urls": feed_urls(config.site.url, f.name)}
               for f in feeds if f.section in ("portal", "urgent", "type")]
    writer.write("nhan-thong-bao.md", env.get_template("subscribe.md.j2").render(
        units=[entry(u.id, "") for u in config.units], groups=[entry(g.id, "") for g in config.groups],
        general=general, opml_url=OPML_PATH, receipts_url=config.site.receipts_url))


URGENT_FIRST = 5  # urgent letters shown above a unit's list

_FEED_TYPES = {"RSS": "application/rss+xml", "Atom": "application/atom+xml", "JSON Feed": "application/feed+json"}


def _feed_links(root: str, name: str) -> list[dict[str, str]]:
    return [link | {"type": _FEED_TYPES[link["format"]]} for link in feed_paths(root, name)]
