"""Issue 21: pages outside the navigation are filled from shells the theme rendered once per shape
(publish/shells.py), and the site is the same, file for file, as one in which mkdocs builds every
page; a theme that changes a page's value where it prints it gets its pages rendered in full."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from kit import Portal, assert_same_site, make_portal, sign, site_files
from pages_kit import extra_letters

from corpus.letters import demo_letters
from corpus.pki import DemoPki
from pipeline.build import BuildOptions, PublishStats, collect, publish
from pipeline.config import load_config
from pipeline.publish import pages as render_pages


def _build(portal: Portal, out: Path, **options: object) -> PublishStats:
    config = load_config(portal.root / "portal.yml")
    old = render_pages.PAGE_SIZE
    render_pages.PAGE_SIZE = 3  # listings of several numbered pages, as at scale
    try:
        return publish(config, collect(config), out, BuildOptions(**options))  # type: ignore[arg-type]
    finally:
        render_pages.PAGE_SIZE = old


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory, pki: DemoPki) -> Portal:
    portal = make_portal(tmp_path_factory.mktemp("shells"), pki)
    hostile, _ = extra_letters()  # a subject with quotes, tags, "&", "</title>" and Markdown
    for n, letter in enumerate((*demo_letters(), hostile)):
        portal.add(f"2026/{n:02d}.pdf", sign(letter, pki))
    return portal


def test_pages_filled_from_shells_equal_mkdocs_building_every_page(portal: Portal, tmp_path: Path) -> None:
    # Shared between two processes, each filling its own shells; the first writes the sitemap.
    ours = _build(portal, tmp_path / "shells", incremental=False, split_at=1)
    reference = _build(portal, tmp_path / "mkdocs", incremental=False, shells=False)
    assert ours.pages_built == reference.pages_built
    # Few pages share a folder in a portal this small (each shape's first page is rendered in full).
    assert ours.pages_filled > 0 and ours.shells > 0
    assert reference.pages_filled == 0
    assert_same_site(tmp_path / "shells", tmp_path / "mkdocs")
    # The sitemap lists every page, documents included, though mkdocs was told only of the navigation.
    sitemap = (tmp_path / "shells" / "sitemap.xml").read_text(encoding="utf-8")
    pages = [p for p in site_files(tmp_path / "shells") if p.endswith("index.html")]
    assert sitemap.count("<loc>") == len(pages)
    assert "/van-ban/" in sitemap
    # The hostile subject is in the title as the front matter has it (pages.py escapes it there).
    pages_text = (p.read_text(encoding="utf-8") for p in (tmp_path / "shells" / "van-ban").glob("*/index.html"))
    text = next(t for t in pages_text if "<h1>Thử ký tự" in t)
    title = re.search(r"<title>(.*?)</title>", text, re.S)
    assert title is not None and "&quot;đặc biệt&quot;" in title.group(1) and "<" not in title.group(1)


def test_a_theme_that_changes_a_value_gets_its_pages_rendered_in_full(tmp_path: Path, pki: DemoPki) -> None:
    portal = make_portal(tmp_path / "p", pki)
    for n, letter in enumerate(demo_letters()[:4]):
        portal.add(f"2026/{n:02d}.pdf", sign(letter, pki))
    # The office's theme prints the page's title through a filter: a shell would be wrong there.
    main = portal.root / "theme" / "main.html"
    main.write_text(main.read_text(encoding="utf-8") + (
        "\n{% block htmltitle %}{% if page and page.meta.title %}<title>{{ page.meta.title | striptags | upper }}"
        "</title>{% else %}{{ super() }}{% endif %}{% endblock %}\n"),
        encoding="utf-8")
    ours = _build(portal, tmp_path / "shells", incremental=False)
    reference = _build(portal, tmp_path / "mkdocs", incremental=False, shells=False)
    assert reference.pages_filled == 0 and ours.pages_built == reference.pages_built
    assert ours.shells == 0 and ours.pages_filled == 0
    assert_same_site(tmp_path / "shells", tmp_path / "mkdocs")
    assert "<title>SỐ " in next((tmp_path / "shells" / "van-ban").glob("*/index.html")).read_text(encoding="utf-8")
