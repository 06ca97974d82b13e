"""Pages outside the navigation, rendered through the theme once per shape and filled per page
(issue 21).

mkdocs-material's HTML for a document page differs from its neighbour's only where the theme prints
the page's own values: its title, description, canonical address and content (the Markdown turned
into HTML by mkdocs' own Markdown pipeline, as in a build). Everything else (head, header, tabs,
footer, table of contents, links to the theme's files) is the same for every page of the same
shape: the same folder (links are relative to the page's address; a page outside the navigation is
never the target of one of them), the same template, the same front matter but for title and
description, the same table of contents, and content with or without its own <h1> (the theme adds
one when there is none). So the theme renders one page of each shape with probe values, and every
page of that shape is that shell with its own values put where the probes were.

This is exact, not approximate, and checked in every build rather than assumed:
- each probe value carries characters that escaping or tag stripping would change, and the shell is
  used only if every place the theme printed a probe holds it verbatim (the theme prints the value
  as it is there, so the page's own value goes there as it is);
- the first page of each shape is also rendered in full, and the shell filled with its values must
  give the same bytes; otherwise the pages of that shape are all rendered in full;
- the site is compared with mkdocs rendering every page (tests/e2e/test_shells.py).

Cost per page: reading its Markdown and converting it (the same Markdown instance mkdocs would build),
and a few string joins, instead of the theme's templates (7-14 ms a page on two cores). Memory does
not grow with the pages: mkdocs is told only about the pages of the navigation, and the sitemap,
which lists every page, is written here from the list of page addresses.
"""

from __future__ import annotations

import bisect
import functools
import gzip
import logging
import os
import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink
from mkdocs.utils import get_build_timestamp, write_file

log = logging.getLogger(__name__)

# Private-use characters mark where each value went; the probe between them is what escaping, tag
# stripping or entity decoding would change.
_PROBE = '<b class="x">&amp;&lt;"\'</b>'
_FIELDS = ("title", "description", "canonical", "content")
_MARKS = {name: (chr(0xE110 + 2 * n), chr(0xE111 + 2 * n)) for n, name in enumerate(_FIELDS)}
_ANY_MARK = re.compile("[\ue110-\ue11f]")


def nav_pages(nav: Any) -> set[str] | None:
    """The docs-relative pages named in mkdocs.yml's `nav`; None when there is no `nav` (every page
    is then in the navigation mkdocs makes)."""
    if nav is None:
        return None
    found: set[str] = set()

    def walk(item: Any) -> None:
        if isinstance(item, str):
            if not re.match(r"^[a-z][a-z0-9+.-]*:", item, re.I):
                found.add(posixpath.normpath(item))
        elif isinstance(item, dict):
            for value in item.values():
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)

    walk(nav)
    return found


class KnownFiles(Files):
    """mkdocs' files, answering also for the site's other files by name (File objects made when a
    link asks for one), so that links resolve as in a build that was told about every file."""

    def __init__(self, files: Iterable[File], known: frozenset[str], config: MkDocsConfig) -> None:
        super().__init__(list(files))
        self.known = known
        self.config = config

    def get_file_from_path(self, path: str) -> File | None:
        found = super().get_file_from_path(path)
        if found is None:
            uri = posixpath.normpath(path)
            found = plain_file(uri, self.config) if uri in self.known else None
        return found


def plain_file(uri: str, config: MkDocsConfig) -> File:
    file = File(uri, config.docs_dir, config.site_dir, config.use_directory_urls)
    file.inclusion = InclusionLevel.INCLUDED
    return file


@dataclass(frozen=True)
class _Shape:
    folder: str  # the page's address without its last part: relative links are the same
    below: tuple[str, ...]  # addresses of mkdocs' files under the page's own (none in practice)
    template: str
    meta: str  # the front matter but title and description (repr, keys sorted), and which of those two are there
    toc: tuple[Any, ...]
    heading: bool  # the content has an <h1> of its own


def _toc_key(items: Iterable[AnchorLink]) -> tuple[Any, ...]:
    return tuple((item.title, item.id, item.level, _toc_key(item.children)) for item in items)


class ShellRenderer:
    """Renders pages outside the navigation, in the mkdocs build's own objects (config, theme
    environment, navigation, files)."""

    def __init__(self, config: MkDocsConfig, env: Any, nav: Navigation, files: KnownFiles) -> None:
        self.config, self.env, self.nav, self.files = config, env, nav, files
        self.doc_files = files.documentation_pages()
        self.urls = sorted(file.url for file in files)
        self.shells: dict[_Shape, list[str] | None] = {}  # None: this shape is rendered in full
        self.filled = self.full = 0

    def write(self, uri: str) -> None:
        """Render the page `uri` (docs-relative .md) into the site folder, as mkdocs' build would."""
        config = self.config
        page = Page(None, plain_file(uri, config), config)
        config._current_page = page
        try:
            page = config.plugins.on_pre_page(page, config=config, files=self.files)
            page.read_source(config)
            assert page.markdown is not None
            page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=self.files)
            page.render(config, self.files)
            assert page.content is not None
            page.content = config.plugins.on_page_content(page.content, page=page, config=config, files=self.files)
            output = self._output(page)
        finally:
            config._current_page = None
        if output.strip():
            write_file(output.encode("utf-8", errors="xmlcharrefreplace"), page.file.abs_dest_path)

    def _output(self, page: Page) -> str:
        shape = self._shape(page)
        if shape is None:
            self.full += 1
            return self._render(page)
        if shape not in self.shells:
            self.shells[shape] = self._make_shell(page)
            full = self._render(page)
            shell = self.shells[shape]
            if shell is not None and _fill(shell, _values(page)) != full:
                log.warning("congbo: pages like %s are rendered in full (their shell differs)", page.file.src_uri)
                self.shells[shape] = None
            self.full += 1
            return full
        shell = self.shells[shape]
        if shell is None:
            self.full += 1
            return self._render(page)
        self.filled += 1
        return _fill(shell, _values(page))

    def _shape(self, page: Page) -> _Shape | None:
        meta = page.meta
        if not isinstance(meta.get("title"), str) or not isinstance(meta.get("description", ""), str):
            return None
        if page.canonical_url is None or page.content is None or _ANY_MARK.search(page.content):
            return None
        rest = {key: value for key, value in meta.items() if key not in ("title", "description")}
        return _Shape(posixpath.dirname(page.url.rstrip("/")), self._below(page.url),
                      str(meta.get("template", "main.html")),
                      repr((sorted(rest.items(), key=lambda kv: kv[0]), "description" in meta)),
                      _toc_key(page.toc), "\u003ch1" in page.content)

    def _below(self, url: str) -> tuple[str, ...]:
        if not url:
            return tuple(self.urls)
        found = []
        for other in self.urls[bisect.bisect_left(self.urls, url):]:
            if not other.startswith(url):
                break
            found.append(other)
        return tuple(found)

    def _render(self, page: Page) -> str:
        """What mkdocs' build does with a read page (mkdocs.commands.build._build_page)."""
        config = self.config
        page.active = True
        try:
            context = get_context(self.nav, self.doc_files, config, page)
            template = self.env.get_template(page.meta.get("template", "main.html"))
            context = config.plugins.on_page_context(context, page=page, config=config, nav=self.nav)
            output = template.render(context)
            return str(config.plugins.on_post_page(output, page=page, config=config))
        finally:
            page.active = False

    def _make_shell(self, page: Page) -> list[str] | None:
        """The page rendered with probes in place of its values, cut where they are: text, field,
        text, field, ..., text. None when the theme changed a probe somewhere (it escapes or strips
        that value) or printed none."""
        saved = (dict(page.meta), page.canonical_url, page.content)
        try:
            probe = {name: start + _PROBE + end for name, (start, end) in _MARKS.items()}
            page.meta = {**page.meta, "title": probe["title"]}
            if "description" in saved[0]:
                page.meta["description"] = probe["description"]
            page.canonical_url = probe["canonical"]
            own_heading = "\u003ch1" in (saved[2] or "")
            page.content = probe["content"][:-1] + ("\u003ch1" if own_heading else "") + probe["content"][-1]
            output = self._render(page)
        finally:
            page.meta, page.canonical_url, page.content = saved
        parts: list[str] = []
        position = 0
        for start, field in ((m.start(), m.group()) for m in _ANY_MARK.finditer(output)):
            if start < position:
                continue
            name = next((n for n, (s, _) in _MARKS.items() if s == field), None)
            if name is None:
                return None
            end = output.find(_MARKS[name][1], start)
            if end < 0:
                return None
            inner = output[start + 1:end]
            if inner != _PROBE + ("\u003ch1" if name == "content" and own_heading else ""):
                return None
            parts += [output[position:start], name]
            position = end + 1
        parts.append(output[position:])
        if "content" not in parts[1::2]:
            return None
        return parts


def _values(page: Page) -> dict[str, str]:
    return {"title": page.meta["title"], "description": page.meta.get("description", ""),
            "canonical": page.canonical_url or "", "content": page.content or ""}


def _fill(shell: list[str], values: dict[str, str]) -> str:
    return "".join(part if n % 2 == 0 else values[part] for n, part in enumerate(shell))


class _SitemapPage:
    """What mkdocs' sitemap template reads of a page, set as mkdocs.structure.pages.Page sets it
    (`url`, `_set_canonical_url`, `update_date`), without the rest of a Page (a tenth of the time)."""

    __slots__ = ("abs_url", "canonical_url", "update_date")
    is_link = False

    def __init__(self, url: str, base: str | None, base_path: str, date: str) -> None:
        """`base`: the site's address ending with "/" (None without `site_url`), `base_path` its path."""
        url = "" if url in (".", "./") else url
        if base is None:
            self.canonical_url: str | None = None
            self.abs_url: str | None = None
        elif _PLAIN_RELATIVE.fullmatch(url):
            # What urljoin and urlsplit give for a relative path of plain segments (quoted: no "?",
            # "#" or ":"), at a thousandth of their cost (issue 21: every page, every build).
            self.canonical_url, self.abs_url = base + url, base_path + url
        else:
            self.canonical_url = urljoin(base, url)
            self.abs_url = urlsplit(self.canonical_url).path
        self.update_date = date


# A relative URL of plain path segments, none of them "." or "..", as quote() leaves a page's address.
_PLAIN_RELATIVE = re.compile(r"(?:(?!\.{1,2}/)[A-Za-z0-9_~%.-]+/)*(?:(?!\.{1,2}$)[A-Za-z0-9_~%.-]+)?")


# Pure functions of their arguments, asked of every page of the site at every build (the plan, the
# sitemap, the links): kept for a long-running process's next builds. Bounded.
@functools.lru_cache(maxsize=1 << 19)
def page_dest(uri: str, use_directory_urls: bool) -> str:
    """mkdocs' `File(uri, ...).dest_uri` for a Markdown page (File._get_dest_path), without building
    a File: "a/b.md" -> "a/b/index.html", "a/index.md" and "a/README.md" -> "a/index.html"."""
    parent, filename = posixpath.split(uri)
    stem = posixpath.splitext(filename)[0]
    name = "index" if stem == "README" else stem
    if not use_directory_urls or name == "index":
        return posixpath.join(parent, name + ".html")
    return posixpath.join(parent, name, "index.html")


@functools.lru_cache(maxsize=1 << 19)
def page_url(uri: str, use_directory_urls: bool) -> str:
    """mkdocs' `File(uri, ...).url` for a Markdown page (File._get_url), without building a File:
    "a/b.md" -> "a/b/", "a/index.md" and "a/README.md" -> "a/"."""
    if not uri.endswith(".md"):
        return File(uri, "", "", use_directory_urls).url
    dest = page_dest(uri, use_directory_urls)
    dirname, last = posixpath.split(dest)
    url = (dirname or ".") + "/" if use_directory_urls and last == "index.html" else dest
    return quote(url)


class _SitemapFile:
    __slots__ = ("page",)

    def __init__(self, page: _SitemapPage) -> None:
        self.page = page


def write_sitemap(config: MkDocsConfig, env: Any, nav: Navigation, pages: Iterable[str]) -> None:
    """sitemap.xml and sitemap.xml.gz listing `pages` (docs-relative, in the order of a build's walk
    of the docs folder), written by mkdocs' own template as mkdocs writes them
    (mkdocs.commands.build._build_theme_template), one page at a time."""
    template = env.get_template("sitemap.xml")
    one = Page(None, plain_file("index.md", config), config)
    date = one.update_date  # every page of a build has the build's date (mkdocs.utils.get_build_date)
    site_url = config.get("site_url", None)
    base = (site_url if site_url.endswith("/") else site_url + "/") if site_url else None
    base_path = urlsplit(base).path if base else ""
    directory_urls = bool(config.use_directory_urls)

    def files() -> Iterator[_SitemapFile]:
        for uri in pages:
            yield _SitemapFile(_SitemapPage(page_url(uri, directory_urls), base, base_path, date))

    context = get_context(nav, [], config)
    context["pages"] = files()  # type: ignore[typeddict-item]
    context = config.plugins.on_template_context(context, template_name="sitemap.xml", config=config)
    output = config.plugins.on_post_template(template.render(context), template_name="sitemap.xml", config=config)
    if not output.strip():
        return
    path = os.path.join(config.site_dir, "sitemap.xml")
    write_file(output.encode("utf-8"), path)
    timestamp = get_build_timestamp(pages=[one])
    gz_name = f"{path}.gz"
    with open(gz_name, "wb") as f, gzip.GzipFile(fileobj=f, filename=gz_name, mode="wb", mtime=timestamp) as gz:
        gz.write(output.encode("utf-8"))
