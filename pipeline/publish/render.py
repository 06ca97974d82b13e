"""Generated pages, PDFs and feeds, written into the staging docs folder (jinja2).

Only `Document`s reach this module. The staging folder starts as a copy of the hand-written
`content/`; a generated file that would replace a hand-written one is an error, never an overwrite.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.config import PortalConfig
from pipeline.decide.units import kind_name
from pipeline.present import newest_first
from pipeline.publish import pages as render_pages
from pipeline.publish.feeds import OPML_PATH, Feed, feed_paths, feed_urls, write_feeds
from pipeline.publish.feeds import environment as feeds_environment
from pipeline.publish.pages import render_browse
from pipeline.publish.templating import write_rendered
from pipeline.records import Document


class GeneratedClash(Exception):
    """A generated page would replace a hand-written one."""


@dataclass(frozen=True)
class Planned:
    """One generated file of the site, not yet written.

    `key` says what its content depends on: the hash of its text, of the signed PDF, or of the
    inputs of a document page (`Writer.write_keyed`). The content is `text`, or the file `source`
    (a signed PDF, or a file the Writer spooled), or neither for a file that did not change since
    the last build (a page is then not even rendered)."""

    key: str
    text: str | None = None
    source: Path | None = None


@dataclass
class Writer:
    """Collects the generated files of a build, refusing any that would replace a file copied
    from content/. `previous` holds the keys of the last build of the same site (site_state.py):
    a file whose key is among them is not kept (nor, for write_keyed, even rendered). With a
    `spool` folder, every other file is written there at once and only its key and path are kept:
    a full build of 10,000 documents would otherwise hold about a gigabyte of text."""

    hand_written: frozenset[str]
    previous: dict[str, str] = field(default_factory=dict)
    planned: dict[str, Planned] = field(default_factory=dict)
    spool: Path | None = None

    def write(self, relative: str, text: str) -> None:
        self._keep(relative, text_key(text), lambda: text)

    def write_keyed(self, relative: str, key: str, render: Callable[[], str]) -> None:
        """A page whose content is a function of `key` alone: rendered only when the key is new."""
        self._keep(relative, "in:" + key, render)

    def link(self, relative: str, source: Path, sha256: str) -> None:
        """Place a signed PDF: the site gets a copy of exactly these bytes (`sha256`, checked again
        by the output audit)."""
        self._claim(relative)
        self.planned[relative] = Planned("pdf:" + sha256, None, source)

    def _keep(self, relative: str, key: str, text: Callable[[], str]) -> None:
        self._claim(relative)
        if self.previous.get(relative) == key:
            self.planned[relative] = Planned(key)
        elif self.spool is None:
            self.planned[relative] = Planned(key, text())
        else:
            path = self.spool / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text(), encoding="utf-8")
            self.planned[relative] = Planned(key, None, path)

    @property
    def written(self) -> list[str]:
        return list(self.planned)

    def _claim(self, relative: str) -> None:
        if relative in self.hand_written:
            raise GeneratedClash(
                f"content/{relative} là trang viết tay nhưng trùng đường dẫn với trang sinh tự động; "
                "hãy đổi tên trang viết tay"
            )


def text_key(text: str) -> str:
    return "txt:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def write_planned(docs: Path, planned: dict[str, Planned]) -> None:
    """Write the planned files that have content into `docs` (tests, and pages mkdocs builds)."""
    for relative, item in planned.items():
        path = docs / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if item.text is not None:
            path.write_text(item.text, encoding="utf-8")
        elif item.source is not None:
            shutil.copyfile(item.source, path)


def copy_hand_written(content: Path, docs: Path) -> frozenset[str]:
    names = set()
    if content.is_dir():
        for path in sorted(content.rglob("*")):
            if path.is_file():
                relative = path.relative_to(content).as_posix()
                target = docs / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
                names.add(relative)
    return frozenset(names)


def render_all(config: PortalConfig, documents: tuple[Document, ...], writer: Writer,
               digests: dict[str, str] | None = None) -> None:
    ordered = newest_first(documents)
    # Document pages, home, listings by type, time, signer; search and copy-check pages (issue 8).
    items = render_browse(config, ordered, writer, digests)
    feeds = write_feeds(config, ordered, writer)
    write_unit_pages(config, ordered, items, feeds, writer)


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
            [home, {"name": "Đơn vị nhận", "href": "don-vi/"}], feed=ident, own_front=True)
        context = {"root": root, "title": feed.title, "description": feed.description, "facts": facts,
                   "intro": f"{intro} {front.note}".strip(), "items": front.items, "pager": front.pager,
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
        return {"name": names.get(ident, feed.title), "href": href, "count": len(feed.documents),
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
        general=general, opml_url=OPML_PATH))


_FEED_TYPES = {"RSS": "application/rss+xml", "Atom": "application/atom+xml", "JSON Feed": "application/feed+json"}


def _feed_links(root: str, name: str) -> list[dict[str, str]]:
    return [link | {"type": _FEED_TYPES[link["format"]]} for link in feed_paths(root, name)]
