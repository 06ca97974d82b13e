"""Issue 9: a build on top of the last one renders and builds only what changed, and its site is
the same, file for file, as a full build of the same documents."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from kit import Portal, assert_same_site, make_portal, sign, site_files

from corpus.letters import demo_letters, render_letter
from corpus.pki import DemoPki
from pipeline.build import BuildOptions, PublishStats, collect, publish
from pipeline.config import load_config
from pipeline.publish import pages as render_pages


def _build(portal: Portal, out: Path, **options: object) -> PublishStats:
    config = load_config(portal.root / "portal.yml")
    return publish(config, collect(config), out, BuildOptions(**options))  # type: ignore[arg-type]


def _check_against_full_build(portal: Portal, tmp_path: Path, name: str) -> PublishStats:
    stats = _build(portal, portal.site)
    # The reference: a full build in another folder, its pages shared between two processes.
    reference = tmp_path / f"full-{name}"
    full = _build(portal, reference, incremental=False, split_at=1)
    assert not full.incremental and full.pages_kept == 0
    assert_same_site(portal.site, reference)
    return stats


def test_incremental_builds_equal_full_builds(tmp_path: Path, pki: DemoPki) -> None:
    letters = demo_letters()
    portal = make_portal(tmp_path / "p", pki)
    for n, letter in enumerate(letters[:5]):
        portal.add(f"2026/{n:02d}.pdf", sign(letter, pki))
    # A letter of an earlier year: the search index then has an archive bundle besides the newest year's.
    old = dataclasses.replace(letters[7], issued_date=dt.date(2025, 12, 1))
    portal.add("2025/old.pdf", sign(old, pki))
    first = _build(portal, portal.site)
    assert not first.incremental and first.pages_kept == 0 and first.search_bundles_rebuilt == 2
    assert (portal.site / "pagefind-2025" / "pagefind-entry.json").is_file()

    # One more document: its page and the listings that show it are built; the rest is carried over.
    portal.add("2026/05.pdf", sign(letters[5], pki))
    added = _check_against_full_build(portal, tmp_path, "added")
    assert added.incremental and added.pages_kept > 0 and added.files_kept > 0
    assert added.pages_built < first.pages_built
    assert added.search_bundles_rebuilt == 1, "the archive of earlier years is carried over"
    assert added.audited_files < len(site_files(portal.site)), "only what the build wrote is audited again"

    # Nothing changed: nothing is rendered, built or indexed again.
    same = _check_against_full_build(portal, tmp_path, "same")
    assert same.incremental and same.search_bundles_rebuilt == 0
    assert same.pages_built == len([p for p in (portal.root / "content").rglob("*.md")]), "only hand-written pages"

    # A sidecar corrects a field of a published document: its page and the listings change.
    (portal.root / "documents/2026/00.yml").write_text("subject: Trích yếu đã sửa bằng tệp khai báo\n",
                                                       encoding="utf-8")
    corrected = _check_against_full_build(portal, tmp_path, "corrected")
    assert corrected.incremental
    assert any("Trích yếu đã sửa bằng tệp khai báo" in p.read_text(encoding="utf-8")
               for p in (portal.site / "van-ban").glob("*/index.html"))

    # A refused file: what the audit looks for changed, so the whole site is audited again.
    portal.add("2026/unsigned.pdf", render_letter(letters[6]))
    refused = _check_against_full_build(portal, tmp_path, "refused")
    assert refused.incremental and refused.audited_files == len(site_files(portal.site))

    # A document removed: its page and PDF are gone, as in a full build.
    removed_pdf = portal.root / "documents/2026/03.pdf"
    removed_pdf.unlink()
    removed = _check_against_full_build(portal, tmp_path, "removed")
    assert removed.incremental
    assert len(list((portal.site / "van-ban").glob("*.pdf"))) == 6


def test_a_touched_site_is_rebuilt_in_full(tmp_path: Path, pki: DemoPki) -> None:
    portal = make_portal(tmp_path / "p", pki)
    portal.add("2026/a.pdf", sign(demo_letters()[0], pki))
    _build(portal, portal.site)
    page = next((portal.site / "van-ban").glob("*/index.html"))
    page.write_text(page.read_text(encoding="utf-8") + "<!-- edited by hand -->", encoding="utf-8")
    again = _build(portal, portal.site)
    assert not again.incremental, "a site edited after the build is never built upon"
    assert "edited by hand" not in page.read_text(encoding="utf-8")
    assert _build(portal, portal.site).incremental


def test_a_site_restored_by_a_ci_cache_is_built_upon_and_audited_whole(tmp_path: Path, pki: DemoPki) -> None:
    """Issue 18: a CI cache gives the site back with its sizes and times but new inodes. It is built
    upon (only what changed is rendered), every file is audited again, and the result equals a full
    build. A file whose time changed still makes the build start from nothing."""
    portal = make_portal(tmp_path / "p", pki)
    portal.add("2026/a.pdf", sign(demo_letters()[0], pki))
    _build(portal, portal.site, spare_now=True)
    # The cache gives back site/ alone, not the spare beside it (the files the build left).
    shutil.rmtree(portal.site.with_name(f".{portal.site.name}.spare"))
    for path in sorted(p for p in portal.site.rglob("*") if p.is_file()):  # as tar -x does: new inodes
        copy = path.with_name(path.name + ".restored")
        copy.write_bytes(path.read_bytes())
        stat = path.stat()
        os.utime(copy, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        os.replace(copy, path)
    portal.add("2026/b.pdf", sign(demo_letters()[1], pki))
    stats = _check_against_full_build(portal, tmp_path, "restored")
    assert stats.incremental and stats.pages_kept > 0
    assert stats.audited_files == len(site_files(portal.site))  # audited whole, not only the new files
    assert _build(portal, portal.site).audited_files < stats.audited_files  # and built upon as usual after
    page = next((portal.site / "van-ban").glob("*/index.html"))
    os.utime(page, ns=(page.stat().st_atime_ns, page.stat().st_mtime_ns + 1_000_000_000))
    assert not _build(portal, portal.site).incremental


def test_a_new_letter_changes_the_first_page_of_a_listing_only(tmp_path: Path, pki: DemoPki,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Numbered listing pages count from the oldest, so today's letter leaves them as they were:
    they are carried over from the last build (the same file), not built again."""
    monkeypatch.setattr(render_pages, "PAGE_SIZE", 2)
    letters = demo_letters()
    portal = make_portal(tmp_path / "p", pki)
    dated = [dataclasses.replace(letter, issued_date=dt.date(2026, 3, 1 + n)) for n, letter in enumerate(letters[:7])]
    for n, letter in enumerate(dated[:6]):
        portal.add(f"2026/{n:02d}.pdf", sign(letter, pki))
    _build(portal, portal.site)
    year = portal.site / "nam" / "2026"
    numbered = sorted(year.glob("trang-*/index.html"))
    assert [p.parent.name for p in numbered] == ["trang-1", "trang-2"]
    before = {p: p.stat().st_ino for p in [year / "index.html", *numbered]}

    portal.add("2026/06.pdf", sign(dated[6], pki))  # the newest letter
    added = _check_against_full_build(portal, tmp_path, "newest")
    assert added.incremental
    assert sorted(year.glob("trang-*/index.html")) == numbered
    assert all(p.stat().st_ino == before[p] for p in numbered), "numbered pages carried over"
    assert (year / "index.html").stat().st_ino != before[year / "index.html"]
    assert dated[6].number in (year / "index.html").read_text(encoding="utf-8")
