"""The pages people browse and read (jinja2): each document's page, the home page, listings by type,
by year and month, by signer and of urgent documents, the search page, and the two small JSON
indexes that the search and copy-check pages read.

Listings are static pages of PAGE_SIZE documents (`loai/ke-hoach/`, `loai/ke-hoach/trang-2/`, ...),
so every page but search and the copy check works without JavaScript. The work is linear in the
number of documents: every index (by number, type, month, signer, hash) is built in one pass and
every page is written once; a document page carries only its own text and its own links.

Every value that comes from a PDF reaches a template as plain text and is escaped by autoescape.
The module is a little over 400 lines because each page's context is assembled here, next to the
others, so that they say the same things the same way.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import html
import json
import operator
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from jinja2 import Environment
from markupsafe import Markup, escape

from pipeline.config import PortalConfig
from pipeline.decide.numbers import Relations, number_key
from pipeline.decide.numbers import relations as find_relations
from pipeline.decide.units import UnitIndex
from pipeline.normalize import fold, slugify
from pipeline.present import (
    basis_date,
    clean,
    coverage_vi,
    date_vi,
    month_vi,
    organ_vi,
    role_vi,
    signer_line,
    signer_name,
    subject_vi,
    time_vi,
    type_slug,
)
from pipeline.publish.feeds import feed_paths
from pipeline.publish.office_pages import lifecycle_html
from pipeline.publish.reading import Block, blocks, linker
from pipeline.publish.search import bundles
from pipeline.publish.site_state import document_digest
from pipeline.publish.templating import environment as template_environment
from pipeline.publish.templating import known_line_keys, line_digest, page_key, write_rendered
from pipeline.records import Document

PAGE_SIZE = 50
HOME_LATEST = 20
HOME_URGENT = 10
URGENT_WINDOW = dt.timedelta(days=30)  # urgent documents stay on the home page this long
HASH_SHARDS = 256  # kiem-tra/sha256/<first two hex digits>.json
NUMBER_SHARDS = 100  # tim-kiem/so/<number modulo 100>.json
SIDECAR_LABELS = {
    "number": "số, ký hiệu", "issued_date": "ngày ban hành", "place": "địa danh", "organ_name": "cơ quan ban hành",
    "parent_organ": "cơ quan chủ quản", "type_name": "loại văn bản", "subject": "trích yếu",
    "addressees": "kính gửi", "recipients": "nơi nhận", "signer": "người ký", "urgency": "độ khẩn",
    "secrecy": "độ mật", "references": "văn bản được dẫn",
}


# Characters HTML forbids (C0 controls but tab and newlines, DEL, lone surrogates, non-characters).
# PDF text layers do contain them; they are dropped from every value a template prints.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def _finalize(value: Any) -> Any:
    if isinstance(value, str) and not isinstance(value, Markup):
        return _CONTROL.sub("", value)
    return value


def _meta(value: str) -> str:
    """A front-matter value (page title, description). MkDocs themes print these without escaping,
    in <title>, in the header and in attributes: escape them here, quotes included."""
    return html.escape(_CONTROL.sub("", clean(value)), quote=True)


def environment() -> Environment:
    env = template_environment(trim=True, finalize=_finalize)
    env.filters["meta"] = _meta
    return env


class Sink(Protocol):
    """What these pages need from render.Writer."""

    def write(self, relative: str, text: str) -> None: ...

    def write_keyed(self, relative: str, key: str, render: Callable[[], str]) -> None: ...

    def link(self, relative: str, source: Path | str, sha256: str) -> None: ...


def type_of(doc: Document) -> str:
    return doc.metadata.type_name or "Văn bản"


def item_view(doc: Document, own: str = "", unit_names: dict[str, str] | None = None,
              shared: dict[tuple[str, ...], list[tuple[str, str]]] | None = None) -> dict[str, Any]:
    """One document as a line of a listing (_list.html.j2). The issuer is left out when it is the
    portal's own organisation `own`: nearly every line would repeat it. `year` and `units` (id, name)
    are what a listing's filters choose by (issue 20). `shared`: one `units` list for all the lines
    with the same receivers (listing_filters unites each distinct list once; never changed)."""
    m = doc.metadata
    organ = organ_vi(m.organ_name, own) if own else clean(m.organ_name or "") or None
    names = unit_names or {}
    units = shared.get(doc.units) if shared is not None else None
    if units is None:
        units = [(u, names.get(u, u)) for u in doc.units]
        if shared is not None:
            shared[doc.units] = units
    return {
        "year": str(basis_date(doc).year),
        "units": units,
        "slug": doc.slug,
        "number": clean(m.number or "không số"),
        "subject": subject_vi(m),
        "type_name": type_of(doc),
        "urgency": m.marks.urgency,
        "issued": date_vi(m.issued_date),
        "published": time_vi(doc.published_at),
        "organ": None if organ == own else organ,
        "signer": signer_name(m),
    }


# --- numbers: citations, replacements, the number search ---------------------------------------


# --- the document page ------------------------------------------------------------------------


def _signature_view(doc: Document) -> list[dict[str, Any]]:
    return [{
        "role": role_vi(s),
        "signer": s.signer,
        "organisation": s.organisation,
        "signed_at": time_vi(s.signed_at),
        "timestamp_at": time_vi(s.timestamp_at) if s.timestamp_at else None,
        "coverage": coverage_vi(s),
        "issuer": s.issuer,
        "trust_root": s.trust_root,
        "revocation_checked": s.revocation_checked,
        "chain": s.chain,
        "serial": s.serial,
        "not_before": time_vi(s.not_before),
        "not_after": time_vi(s.not_after),
        "sub_filter": s.sub_filter,
        "field_name": s.field_name,
    } for s in doc.signatures]


_LINK = Markup('<a href="{}">{}</a>')
_BREAK = Markup("<br>")


def _lines_html(lines: tuple[str, ...], cut: Callable[[str], tuple[tuple[str, str | None], ...]]) -> Markup:
    """Lines joined by <br>, every cited number a link. Built here rather than in a template macro
    (several times faster at 10,000 documents); `Markup.format` and `escape` escape every piece of
    text from the PDF, so nothing in it can become markup."""
    out = []
    for line in lines:
        pieces = []
        for text, href in cut(line):
            text = _CONTROL.sub("", text)
            pieces.append(_LINK.format(href, text) if href else escape(text))
        out.append(Markup("").join(pieces))
    return _BREAK.join(out)


def _reading_view(found: tuple[Block, ...], targets: dict[str, str]) -> list[dict[str, Any]]:
    cut = linker(targets)
    return [{"kind": b.kind, "lines": _lines_html(b.lines, cut), "right": _lines_html(b.right, cut)}
            for b in found]


def _doc_link(doc: Document, root: str) -> dict[str, Any]:
    m = doc.metadata
    return {"href": f"{root}van-ban/{doc.slug}/", "number": clean(m.number or "không số"),
            "type_name": type_of(doc), "subject": subject_vi(m), "issued": date_vi(m.issued_date)}


def render_document(env: Environment, config: PortalConfig, units: UnitIndex, rel: Relations, doc: Document,
                    unit_names: dict[str, str], lifecycle: Callable[[Document, str], Markup]) -> str:
    root = "../../"
    m = doc.metadata
    addressees = []
    for line in m.addressees:
        found = units.lookup(line)
        addressees.append({"text": line, "url": f"{root}don-vi/{found[1]}/" if found else None})
    cites = []
    targets: dict[str, str] = {}
    for number, type_name, issued, target in rel.cites.get(doc.slug, []):
        href = f"{root}van-ban/{target.slug}/" if target is not None else None
        if href:
            targets[number] = href
        cites.append({"number": number, "type_name": type_name, "issued": date_vi(issued) if issued else None,
                      "href": href, "subject": subject_vi(target.metadata) if target else None})
    replaced_by = []
    for other in doc.links:
        if other.slug:
            targets.setdefault(other.number, f"{root}van-ban/{other.slug}/")
        if other.relation == "replaced-by":
            replaced_by.append({"number": other.number, "withdrawn": other.withdrawn,
                                "href": f"{root}van-ban/{other.slug}/" if other.slug else None})
    type_name = type_of(doc)
    subject = subject_vi(m)
    number = f"Số {m.number}" if m.number else type_name
    urgency = f"[{m.marks.urgency.upper()}] " if m.marks.urgency else ""
    return env.get_template("document.md.j2").render(
        doc=doc, m=m, root=root, title=f"{urgency}{number} – {subject}", subject=subject,
        organ=organ_vi(m.organ_name, config.organisation.name),
        description=clean(f"{type_name} {m.number or ''}: {m.subject or ''}"),
        type_name=type_name, type_slug=type_slug(type_name),
        issued=date_vi(m.issued_date), published=time_vi(doc.published_at),
        year=basis_date(doc).year,
        addressees=addressees, signer_line=signer_line(m), signer=signer_name(m),
        signer_slug=slugify(signer_name(m) or ""),
        units=[{"name": unit_names[u], "href": f"{root}don-vi/{u}/"} for u in doc.units if u in unit_names],
        signatures=_signature_view(doc), pdf_href=config.site.pdf_href(doc.slug, f"../{doc.slug}.pdf"),
        size_kb=max(1, round(doc.source.size / 1024)),
        sidecar_fields=[SIDECAR_LABELS.get(name, name) for name in m.from_sidecar],
        reading=_reading_view(blocks(doc.text.pages), targets),
        cites=cites,
        cited_by=[_doc_link(d, root) for d in rel.cited_by.get(doc.slug, [])],
        replaced_by=replaced_by, lifecycle=lifecycle(doc, root),
        unread_pages=", ".join(map(str, doc.unread_pages)) if doc.declaration else "",
        machine_read_pages=", ".join(map(str, doc.machine_read_pages)),
    )


def document_key(doc: Document, rel: Relations, digest: str, digests: dict[str, str]) -> str:
    """Everything a document page shows that is not the same for the whole site: the document
    itself (`digest`: site_state.document_digest) and the documents it cites (by their digests,
    `digests`: everything about each) and that cite it. What is the same for every page (code,
    templates, portal.yml, units) is in the site's global fingerprint (site_state.py), so a page is
    rendered again only when this key changes."""
    cites = [(number, type_name, issued, target and (target.slug, digests[target.slug]))
             for number, type_name, issued, target in rel.cites.get(doc.slug, [])]
    cited_by = [(d.slug, d.metadata.number, d.metadata.type_name, d.metadata.subject, d.metadata.issued_date)
                for d in rel.cited_by.get(doc.slug, [])]
    if not cites and not cited_by:
        return "doc:" + digest  # most letters cite nothing and are cited by none: the digest says it all
    # The same values as at this process's last build: the same key, without the repr and hash of
    # them (a third of a second at 30,000 letters that each cite one).
    last = _DOCUMENT_KEYS.get(doc.slug)
    if last is not None and last[0] == digest and last[1] == cites and last[2] == cited_by:
        return last[3]
    key = hashlib.sha256(repr((digest, cites, cited_by)).encode("utf-8")).hexdigest()
    _DOCUMENT_KEYS[doc.slug] = (digest, cites, cited_by, key)
    return key


# slug -> what its page's key was made of at this process's last build, and the key (document_key).
_DOCUMENT_KEYS: dict[str, tuple[str, list[Any], list[Any], str]] = {}


# --- listings -----------------------------------------------------------------------------------


def archived_pages(count: int, page_size: int) -> int:
    """How many numbered pages a listing of `count` documents has besides its first page.

    Numbered pages hold `page_size` documents each and are counted from the oldest ("trang-1/" holds
    the oldest documents for good), so that today's letter changes the first page of each listing
    it is on and no other (issue 9: pages numbered from the newest would all shift by one document).
    The first page shows the newest `page_size` to 2 x `page_size` - 1 documents."""
    return max(0, count // page_size - 1)


def pager(folder: str, current: int, pages: int, root: str) -> dict[str, Any] | None:
    """Links between the pages of one listing, newest first: the first page (`current` 0, "Mới
    nhất"), then the numbered pages from `pages` down to 1. A numbered page links to the first page,
    to page 1 and to two pages on each side of itself, so its links change only when the pages next
    to it do."""
    if pages == 0:
        return None

    def href(page: int) -> str:
        return f"{root}{folder}/" + (f"trang-{page}/" if page else "")

    near = {pages, pages - 1, pages - 2} if current == 0 else set(range(current - 2, current + 3))
    wanted = [0, *sorted((p for p in near | {1} if 1 <= p <= pages), reverse=True)]
    shown: list[dict[str, Any] | None] = []
    for index, page in enumerate(wanted):
        # The first page sits just above page `pages`.
        if index and (wanted[index - 1] or pages + 1) - page > 1:
            shown.append(None)  # a gap: "…"
        shown.append({"number": page, "href": href(page), "current": page == current})
    newer = None if current == 0 else href(current + 1 if current < pages else 0)
    older = href(pages if current == 0 else current - 1) if current != 1 else None
    return {"current": current, "pages": pages, "links": shown, "previous": newer, "next": older}


@dataclass(frozen=True)
class FrontPage:
    """What the first page of a listing shows, for a caller that renders that page itself."""

    items: list[dict[str, Any]]
    pager: dict[str, Any] | None
    note: str  # says where the older documents are, or ""
    filters: str | None = None  # the listing's filter file, from the first page (listing_filters)


FILTERS_FILE = "loc.json"
FILTER_FACETS = (("type", "loai", "Loại văn bản"), ("year", "nam", "Năm"), ("unit", "don-vi", "Đơn vị nhận"))


def listing_filters(items: list[dict[str, Any]], pages: int, units: bool = True) -> dict[str, Any] | None:
    """What a listing can be filtered by (issue 20): the types, years and receiving units of all its
    documents, every page of it, for theme/assets/cb/loc-danh-sach.js, which builds the form from
    this (`<folder>/loc.json`) and reads the listing's other pages itself. Only a choice between two
    values or more is offered; None when there is none (a listing of one type and one year). The
    pages carry no list of choices, so that a new document changes only the first page and this file."""
    types = sorted({i["type_name"] for i in items}, key=fold)
    years = sorted({i["year"] for i in items}, reverse=True)
    # Each distinct `units` list once (item_view shares one list between the lines with the same
    # receivers): a listing of every letter to a group holds thousands of lines naming dozens of units.
    receivers: dict[str, str] = {}
    if units:
        distinct = {id(named): named for named in [i["units"] for i in items]}
        receivers = dict(sorted({u for named in distinct.values() for u in named}, key=lambda u: fold(u[1])))
    choices = {"type": [[t, t] for t in types], "year": [[y, y] for y in years],
               "unit": [[k, v] for k, v in receivers.items()]}
    facets = [{"key": key, "param": param, "label": label, "options": choices[key]}
              for key, param, label in FILTER_FACETS if len(choices[key]) > 1]
    return {"pages": pages, "total": len(items), "facets": facets} if facets else None


def write_listing(env: Environment, writer: Sink, folder: str, title: str, intro: str, items: list[dict[str, Any]],
                  crumbs: list[dict[str, str]], feed: str | None = None, extra: dict[str, Any] | None = None,
                  page_size: int | None = None, own_front: bool = False, filter_units: bool = True) -> FrontPage:
    """`folder`/index.md, the newest documents, and `folder`/trang-N.md, `page_size` (PAGE_SIZE)
    documents each counted from the oldest (archived_pages). A page is rendered only when what it
    shows changed: its key is everything it is rendered from. With `own_front` the first page is
    left to the caller (a unit's page), which gets what it shows. `folder`/loc.json: the listing's
    filters (listing_filters; `filter_units` False on a unit's own listing)."""
    page_size = page_size or PAGE_SIZE
    pages = archived_pages(len(items), page_size)
    depth = folder.count("/") + 1
    chosen = _FILTERS.get(folder)
    if (chosen is not None and chosen[0] == (pages, filter_units) and len(chosen[1]) == len(items)
            and all(map(operator.is_, chosen[1], items))):
        filters = chosen[2]  # the same lines: the same choices
    else:
        filters = listing_filters(items, pages, filter_units)
        _FILTERS[folder] = ((pages, filter_units), items, filters)
    if filters:
        writer.write(f"{folder}/{FILTERS_FILE}", _dump(filters) + "\n")
    count = len(items)
    newest = items[:count - pages * page_size]
    note = (f"Trang này: {len(newest)} văn bản mới nhất; văn bản cũ hơn ở trang {pages} đến trang 1."
            if pages else "")
    template = env.get_template("listing.md.j2")
    crumbed = tuple((c["name"], c["href"]) for c in crumbs)

    def context_of(page: int, shown: list[dict[str, Any]]) -> dict[str, Any]:
        root = "../" * (depth + (page > 0))
        if page:
            dates = [item["issued"] for item in (shown[-1], shown[0]) if item["issued"]]
            lead = f"Trang {page} (trang 1 là trang cũ nhất): {len(shown)} văn bản" + (
                f" ban hành từ {dates[0]} đến {dates[1]}." if len(dates) == 2 else ".")
        else:
            lead = f"{intro} {note}".strip()
        return {
            "root": root, "base": f"{root}{folder}/", "title": f"{title} – trang {page}" if page else title,
            "heading": title, "lead": lead, "items": shown, "pager": pager(folder, page, pages, root),
            "crumbs": [{"name": c["name"], "href": root + c["href"]} for c in crumbs],
            "feeds": feed_paths(root, feed) if feed else [], "extra": (extra or {}) if not page else {},
            "filters": f"{root}{folder}/{FILTERS_FILE}" if filters else None, "page": page,
        }

    for page in range(1 if own_front else 0, pages + 1):
        relative = f"{folder}/trang-{page}.md" if page else f"{folder}/index.md"
        if not page:
            write_rendered(writer, relative, template, context_of(page, newest))
            continue
        shown = items[count - page * page_size: count - (page - 1) * page_size]
        # An archived page (counted from the oldest) is the same page as long as its lines are the
        # same objects and what else it is made of is the same: its key is not made again.
        made_of = (template.name, page, pages, title, feed, bool(filters), crumbed)
        last = _ARCHIVED.get(relative)
        if (last is not None and last[0] == made_of and len(last[1]) == len(shown)
                and all(map(operator.is_, last[1], shown))):
            key = last[2]
        else:
            key = page_key(template, context_of(page, shown))
            _ARCHIVED[relative] = (made_of, shown, key)
        writer.write_keyed(relative, key, functools.partial(_render_page, template, context_of, page, shown))
    return FrontPage(newest, pager(folder, 0, pages, "../" * depth), note,
                     f"{'../' * depth}{folder}/{FILTERS_FILE}" if filters else None)


# The archived pages of the listings of this process's last builds (a long-running process: the
# preview, the watcher): docs-relative path -> (what the page is made of besides its lines, its
# lines, its key). The lines are kept with it, so an id is never another line's.
_ARCHIVED: dict[str, tuple[tuple[Any, ...], list[dict[str, Any]], str]] = {}


# The filters of the listings of this process's last builds, by folder: (pages, filter_units), the
# lines (kept, as above), the filters made of them.
_FILTERS: dict[str, tuple[tuple[int, bool], list[dict[str, Any]], dict[str, Any] | None]] = {}


def _render_page(template: Any, context_of: Callable[[int, list[dict[str, Any]]], dict[str, Any]], page: int,
                 shown: list[dict[str, Any]]) -> str:
    return str(template.render(context_of(page, shown)))


def _counted(total: int) -> str:
    return f"{total} văn bản, mới nhất trước." if total else "Chưa có văn bản."


@dataclass
class Groups:
    """Documents (newest first) grouped once for every listing."""

    by_type: dict[str, list[Document]]
    by_year: dict[int, list[Document]]
    by_month: dict[tuple[int, int], list[Document]]
    by_signer: dict[str, list[Document]]
    signer_names: dict[str, str]  # slug -> the spelling met most often
    signer_titles: dict[str, list[str]]  # slug -> positions, in order of first appearance


def group(ordered: list[Document]) -> Groups:
    by_type: dict[str, list[Document]] = defaultdict(list)
    by_year: dict[int, list[Document]] = defaultdict(list)
    by_month: dict[tuple[int, int], list[Document]] = defaultdict(list)
    by_signer: dict[str, list[Document]] = defaultdict(list)
    spellings: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    titles: dict[str, dict[str, None]] = defaultdict(dict)
    days: dict[str, dt.date] = {}
    slugs: dict[str, str] = {}  # a signer's name -> its slug: a handful of signers sign thousands of letters
    for doc in ordered:
        by_type[type_of(doc)].append(doc)
        day = days[doc.slug] = basis_date(doc)
        by_year[day.year].append(doc)
        by_month[(day.year, day.month)].append(doc)
        name = signer_name(doc.metadata)
        slug = slugs.get(name) if name else None
        if name and slug is None:
            slug = slugs[name] = slugify(name)
        if name and slug:
            by_signer[slug].append(doc)
            spellings[slug][name] += 1
            if doc.metadata.signer.position:
                titles[slug][doc.metadata.signer.position] = None
    # Each document's place once (the same order as by day, then publication time, then slug): the
    # key of a sort is made once per element, and a year and a month list hold every document again.
    place = {doc.slug: n for n, doc in enumerate(sorted(
        ordered, key=lambda d: (days[d.slug], d.published_at, d.slug), reverse=True))}
    for docs in (*by_year.values(), *by_month.values()):
        docs.sort(key=lambda d: place[d.slug])
    names = {slug: max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0] for slug, counts in spellings.items()}
    return Groups(dict(by_type), dict(by_year), dict(by_month), dict(by_signer), names,
                  {slug: list(t) for slug, t in titles.items()})


def write_listings(env: Environment, writer: Sink, ordered: list[Document], items: dict[str, dict[str, Any]],
                   groups: Groups) -> None:
    home = {"name": "Trang chủ", "href": ""}

    def views(docs: list[Document]) -> list[dict[str, Any]]:
        return [items[d.slug] for d in docs]

    types = sorted(groups.by_type.items(), key=lambda kv: fold(kv[0]))
    for name, docs in types:
        write_listing(env, writer, f"loai/{type_slug(name)}", name, _counted(len(docs)), views(docs),
                      [home, {"name": "Loại văn bản", "href": "loai/"}], feed=f"loai-{type_slug(name)}")
    writer.write("loai/index.md", env.get_template("index_list.md.j2").render(
        title="Loại văn bản", intro="Văn bản đã đăng, theo loại.",
        crumbs=[{"name": "Trang chủ", "href": "../"}],
        entries=[{"name": n, "href": f"{type_slug(n)}/", "count": len(d), "note": None} for n, d in types]))

    urgent = [d for d in ordered if d.metadata.marks.urgency]
    write_listing(env, writer, "khan", "Văn bản khẩn",
                  f"{len(urgent)} văn bản khẩn, thượng khẩn, hỏa tốc, mới nhất trước." if urgent
                  else "Chưa có văn bản khẩn.", views(urgent), [home], feed="khan")

    years = sorted(groups.by_year, reverse=True)
    for year in years:
        months = sorted((m for (y, m) in groups.by_month if y == year), reverse=True)
        month_links = [{"name": f"Tháng {m}", "href": f"thang-{m}/", "count": len(groups.by_month[(year, m)])}
                       for m in months]
        write_listing(env, writer, f"nam/{year}", f"Văn bản năm {year}",
                      f"{len(groups.by_year[year])} văn bản, theo ngày ban hành, mới nhất trước.",
                      views(groups.by_year[year]), [home, {"name": "Theo thời gian", "href": "nam/"}],
                      extra={"months": month_links})
        for month in months:
            docs = groups.by_month[(year, month)]
            write_listing(env, writer, f"nam/{year}/thang-{month}", f"Văn bản {month_vi(year, month).lower()}",
                          f"{len(docs)} văn bản, theo ngày ban hành, mới nhất trước.", views(docs),
                          [home, {"name": "Theo thời gian", "href": "nam/"},
                           {"name": f"Năm {year}", "href": f"nam/{year}/"}])
    writer.write("nam/index.md", env.get_template("years.md.j2").render(
        title="Văn bản theo thời gian", crumbs=[{"name": "Trang chủ", "href": "../"}],
        years=[{"year": y, "count": len(groups.by_year[y]),
                "months": [{"month": m, "count": len(groups.by_month[(y, m)])}
                           for m in range(12, 0, -1) if (y, m) in groups.by_month]} for y in years]))

    signers = sorted(groups.by_signer, key=lambda s: (fold(groups.signer_names[s].split()[-1]), s))
    for slug in signers:
        docs = groups.by_signer[slug]
        titles = groups.signer_titles.get(slug, [])
        intro = _counted(len(docs)) + (f" Chức vụ ghi trên văn bản: {', '.join(titles)}." if titles else "")
        write_listing(env, writer, f"nguoi-ky/{slug}", f"Văn bản do {groups.signer_names[slug]} ký", intro,
                      views(docs), [home, {"name": "Người ký", "href": "nguoi-ky/"}])
    writer.write("nguoi-ky/index.md", env.get_template("index_list.md.j2").render(
        title="Người ký", intro="Người ký văn bản, theo tên; chức vụ như ghi trên văn bản.",
        crumbs=[{"name": "Trang chủ", "href": "../"}],
        entries=[{"name": groups.signer_names[s], "href": f"{s}/", "count": len(groups.by_signer[s]),
                  "note": ", ".join(groups.signer_titles.get(s, [])) or None} for s in signers]))


# --- home, search, indexes ------------------------------------------------------------------------


def write_home(env: Environment, writer: Sink, config: PortalConfig, ordered: list[Document],
               items: dict[str, dict[str, Any]], groups: Groups) -> None:
    newest = ordered[0].published_at if ordered else None
    urgent = [d for d in ordered if d.metadata.marks.urgency
              and newest is not None and newest - d.published_at <= URGENT_WINDOW][:HOME_URGENT]
    shown = {d.slug for d in urgent}
    latest = [d for d in ordered if d.slug not in shown][:HOME_LATEST]
    types = sorted(groups.by_type.items(), key=lambda kv: fold(kv[0]))
    years = sorted(groups.by_year, reverse=True)
    writer.write("index.md", env.get_template("home.md.j2").render(
        root="", site_title=config.site.title, description=config.site.description,
        total=len(ordered), updated=time_vi(newest) if newest else None,
        urgent=[items[d.slug] for d in urgent], urgent_total=sum(1 for d in ordered if d.metadata.marks.urgency),
        latest=[items[d.slug] for d in latest],
        types=[{"name": n, "slug": type_slug(n), "count": len(d)} for n, d in types],
        years=[{"year": y, "count": len(groups.by_year[y])} for y in years[:6]],
        signers=len(groups.by_signer), feeds=feed_paths("", "all"), urgent_feeds=feed_paths("", "khan"),
    ))


def write_search_page(env: Environment, writer: Sink, config: PortalConfig, groups: Groups) -> None:
    plan = bundles({year: len(docs) for year, docs in groups.by_year.items()})
    writer.write("tim-kiem.md", env.get_template("search.md.j2").render(
        total=sum(len(docs) for docs in groups.by_type.values()),
        types=sorted(groups.by_type, key=fold),
        units=[u.name for u in config.units],
        years=sorted(groups.by_year, reverse=True),
        indexes=_dump([{"path": f"{name}/", "years": years} for name, years in plan]),
        newest=plan[0][1][0] if len(plan) > 1 else None,  # the search page shows this year's matches first
    ))


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def write_hash_index(writer: Sink, ordered: list[Document], config: PortalConfig, digests: dict[str, str]) -> None:
    """kiem-tra/sha256/<xx>.json: {sha256: {url, number, subject, type, issued}} for the copy check,
    one file per first two hex digits so that a phone downloads a few kilobytes, never the whole
    index. Every shard is written, empty or not, so a missing shard means a broken site. A shard is
    made only when one of its documents changed (`digests`: site_state.document_digest by slug)."""
    members: dict[str, list[Document]] = {f"{n:02x}": [] for n in range(HASH_SHARDS)}
    for doc in ordered:
        members[doc.source.sha256[:2]].append(doc)

    def shard_text(docs: list[Document]) -> str:
        entries = {}
        for doc in docs:
            m = doc.metadata
            entries[doc.source.sha256] = {
                "url": f"van-ban/{doc.slug}/", "number": m.number, "subject": subject_vi(m), "type": type_of(doc),
                "issued": date_vi(m.issued_date), "pdf": config.site.pdf_href(doc.slug, f"van-ban/{doc.slug}.pdf"),
            }
        return _dump(entries) + "\n"

    for shard, docs in members.items():
        _write_by_members(writer, f"kiem-tra/sha256/{shard}.json", docs, digests,
                          functools.partial(shard_text, docs))


def _write_by_members(writer: Sink, relative: str, docs: list[Document], digests: dict[str, str],
                      render: Callable[[], str]) -> None:
    """An index file made from `docs` alone (in this order) and what is the same for the whole site:
    keyed by its documents' digests, so that an unchanged one is neither made nor compared (issue 21:
    the indexes of every document were encoded again at every build)."""
    members = "\n".join(f"{doc.slug}\0{digests[doc.slug]}" for doc in docs)
    writer.write_keyed(relative, "index:" + hashlib.sha256(members.encode("utf-8")).hexdigest(), render)


def number_shard(key: str) -> str | None:
    """tim-kiem/so/<n>.json holds the numbers whose leading digits are n modulo NUMBER_SHARDS."""
    digits = ""
    for ch in key:
        if not ch.isdigit():
            break
        digits += ch
    return str(int(digits) % NUMBER_SHARDS) if digits else None


def write_number_index(writer: Sink, ordered: list[Document], digests: dict[str, str]) -> None:
    """tim-kiem/so/<n>.json: {number key: [{url, number, subject, type, issued, urgency?}]}, newest first, so
    that a search for "78/LĐLĐ" or "78 LDLD" shows that document first. A shard is made only when one
    of its documents changed (_write_by_members)."""
    members: dict[str, list[Document]] = {str(n): [] for n in range(NUMBER_SHARDS)}
    for doc in ordered:
        if doc.metadata.number:
            shard = number_shard(number_key(doc.metadata.number))
            if shard is not None:
                members[shard].append(doc)

    def shard_text(docs: list[Document]) -> str:
        entries: dict[str, list[dict[str, Any]]] = {}
        for doc in docs:
            m = doc.metadata
            entry = {
                "url": f"van-ban/{doc.slug}/", "number": m.number, "subject": subject_vi(m),
                "type": type_of(doc), "issued": date_vi(m.issued_date),
            }
            if m.marks.urgency:  # the exact-number card keeps the urgency badge the listings show
                entry["urgency"] = m.marks.urgency
            entries.setdefault(number_key(m.number or ""), []).append(entry)
        return _dump(entries) + "\n"

    for shard, docs in members.items():
        _write_by_members(writer, f"tim-kiem/so/{shard}.json", docs, digests, functools.partial(shard_text, docs))


def _views(config: PortalConfig, ordered: list[Document], unit_names: dict[str, str], digests: dict[str, str],
           lines: dict[str, tuple[str, str, dict[str, Any], str]] | None) -> list[dict[str, Any]]:
    """Each document's listing line; with `lines`, the last build's line (and its digest, for page
    keys) where the document's digest is the same (a line is made from the document record and the
    configuration, and `lines` is emptied when the configuration changes)."""
    own = config.organisation.name
    shared: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    if lines is None:
        return [item_view(d, own, unit_names, shared) for d in ordered]
    kept: dict[str, tuple[str, str, dict[str, Any], str]] = {}
    for doc in ordered:
        found = lines.get(doc.slug)
        if found is None or found[1] != digests[doc.slug]:
            view = item_view(doc, own, unit_names, shared)
            found = (doc.source.path, digests[doc.slug], view, line_digest(view))
        else:
            # A line read back from disk has its own `units` list (each chunk of the memory is a
            # pickle of its own): shared again, an equal list, so the line's repr and digest are
            # unchanged and listing_filters unites each distinct list once.
            units = found[2]["units"]
            common = shared.setdefault(doc.units, units)
            if common is not units:
                found[2]["units"] = common
        kept[doc.slug] = found
    lines.clear()
    lines.update(kept)
    known_line_keys((found[2], found[3]) for found in kept.values())
    return [found[2] for found in kept.values()]


def render_browse(config: PortalConfig, ordered: list[Document], writer: Sink,
                  digests: dict[str, str] | None = None, relations: Relations | None = None,
                  lines: dict[str, tuple[str, str, dict[str, Any], str]] | None = None) -> list[dict[str, Any]]:
    """Every page and index of this module. Returns the listing view of each document, newest
    first, for the pages other modules write (units). `digests`: slug -> document_digest, when the
    caller has them already; `relations`: the citations between documents, as the decide stage found
    them (decide.numbers.relations); `lines`: the last build's listing lines, by slug (source path,
    document digest, line, its digest), kept for the next build (pipeline/memory.py)."""
    env = environment()
    units = UnitIndex(config)
    unit_names = {u.id: u.name for u in config.units}
    rel = relations if relations is not None else find_relations(ordered)
    if digests is None:
        digests = {doc.slug: document_digest(doc) for doc in ordered}

    root_folder = str(config.root)
    for doc in ordered:
        def page(doc: Document = doc) -> str:
            return render_document(env, config, units, rel, doc, unit_names, lifecycle_html)

        writer.write_keyed(f"van-ban/{doc.slug}.md", document_key(doc, rel, digests[doc.slug], digests), page)
        writer.link(f"van-ban/{doc.slug}.pdf", f"{root_folder}/{doc.source.path}", doc.source.sha256)
    views = _views(config, ordered, unit_names, digests, lines)
    items = {d.slug: v for d, v in zip(ordered, views, strict=True)}
    groups = group(ordered)
    write_home(env, writer, config, ordered, items, groups)
    write_listings(env, writer, ordered, items, groups)
    write_search_page(env, writer, config, groups)
    write_hash_index(writer, ordered, config, digests)
    write_number_index(writer, ordered, digests)
    return views

