"""Issue 21: the site a build replaces is kept as the spare (`.site.spare`), and the next build
recycles it instead of linking every unchanged file into an empty folder. The recycled site is
emptied of everything the build does not carry over as the current site's own file, so the result is
the same as a full build's, whatever was left or put in the spare, and nothing is ever written
through a link into the site being replaced."""

from __future__ import annotations

import os
import time
from pathlib import Path

from kit import Portal, assert_same_site, make_portal, sign, site_files

from corpus.letters import demo_letters
from corpus.pki import DemoPki
from pipeline.build import BuildOptions, PublishStats, collect, publish
from pipeline.config import load_config


def _build(portal: Portal, out: Path, **options: object) -> PublishStats:
    config = load_config(portal.root / "portal.yml")
    return publish(config, collect(config), out, BuildOptions(**options))  # type: ignore[arg-type]


def _same_as_full_build(portal: Portal, tmp_path: Path, name: str) -> None:
    reference = tmp_path / f"full-{name}"
    _build(portal, reference, incremental=False)
    assert_same_site(portal.site, reference)


def _spare(portal: Portal) -> Path:
    return portal.site.with_name(f".{portal.site.name}.spare")


def _made_spare(portal: Portal) -> Path:
    """The spare made of the site in a detached process after a build that kept none, once made."""
    deadline = time.monotonic() + 60
    while not _spare(portal).is_dir() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _spare(portal).is_dir(), "no spare was made of the site"
    return _spare(portal)


def _two_builds(tmp_path: Path, pki: DemoPki) -> Portal:
    """A portal built twice, the second time with nothing changed: the spare is the first site."""
    portal = make_portal(tmp_path / "p", pki)
    for n, letter in enumerate(demo_letters()[:3]):
        portal.add(f"2026/{n:02d}.pdf", sign(letter, pki))
    assert not _build(portal, portal.site).incremental
    # A first build replaces no site: a spare is made of the new one, its files the site's own.
    first = _made_spare(portal)
    assert os.stat(first / "index.html").st_ino == os.stat(portal.site / "index.html").st_ino
    stats = _build(portal, portal.site)
    assert stats.incremental and stats.files_kept > 0
    assert _spare(portal).is_dir()
    return portal


def test_the_spare_is_recycled_and_the_site_equals_a_full_build(tmp_path: Path, pki: DemoPki) -> None:
    portal = _two_builds(tmp_path, pki)
    home = portal.site / "index.html"
    # The home page is the same file in the site and in the spare (carried over by the second build)
    # and the next letter changes it: it must be written anew, never through that link.
    held = tmp_path / "held.html"
    os.link(home, held)
    before = held.read_bytes()
    assert os.stat(_spare(portal) / "index.html").st_ino == held.stat().st_ino

    portal.add("2026/03.pdf", sign(demo_letters()[3], pki))
    stats = _build(portal, portal.site)
    assert stats.incremental and stats.files_kept > 0
    assert held.read_bytes() == before, "the replaced site's file was written through a link"
    assert home.read_bytes() != before
    _same_as_full_build(portal, tmp_path, "recycled")
    # The spare is now the site just replaced: its home page is the held one.
    assert os.stat(_spare(portal) / "index.html").st_ino == held.stat().st_ino

    # Nothing changed, then a letter removed: built on the spare each time, equal to a full build.
    _build(portal, portal.site)
    (portal.root / "documents/2026/01.pdf").unlink()
    assert _build(portal, portal.site).incremental
    _same_as_full_build(portal, tmp_path, "removed")


def test_whatever_was_put_in_the_spare_never_reaches_the_site(tmp_path: Path, pki: DemoPki) -> None:
    portal = _two_builds(tmp_path, pki)
    spare = _spare(portal)
    # A file that is no file of the site, one in a folder of its own, and a page of the site
    # replaced by other bytes (a new inode): none of them may be published.
    (spare / "secret.html").write_text("<p>TUYỆT MẬT</p>", encoding="utf-8")
    (spare / "extra").mkdir()
    (spare / "extra" / "note.txt").write_text("TUYỆT MẬT", encoding="utf-8")
    page = next(p for p in sorted(spare.glob("van-ban/*/index.html")))
    relative = page.relative_to(spare).as_posix()
    page.unlink()
    page.write_text("<p>TUYỆT MẬT</p>", encoding="utf-8")
    # And a published PDF, which this build carries over unchanged, replaced by another file's bytes.
    committed = {p.read_bytes(): p for p in (portal.root / "documents/2026").glob("*.pdf")}
    pdfs = sorted(spare.glob("van-ban/*.pdf"))
    swapped = pdfs[0].relative_to(spare).as_posix()
    other = pdfs[1].read_bytes()
    pdfs[0].unlink()
    pdfs[0].write_bytes(other)

    portal.add("2026/03.pdf", sign(demo_letters()[3], pki))
    assert _build(portal, portal.site).incremental
    files = site_files(portal.site)
    assert "secret.html" not in files and "extra/note.txt" not in files
    assert not (portal.site / "extra").exists(), "a folder emptied by the recycling is removed"
    assert "TUYỆT MẬT" not in files[relative].read_text(encoding="utf-8")
    assert files[swapped].read_bytes() in committed and files[swapped].read_bytes() != other
    _same_as_full_build(portal, tmp_path, "tampered")


def test_a_spare_that_is_a_link_is_neither_used_nor_followed(tmp_path: Path, pki: DemoPki) -> None:
    portal = _two_builds(tmp_path, pki)
    spare = _spare(portal)
    os.rename(spare, tmp_path / "moved-spare")
    mine = tmp_path / "clerk-files"
    mine.mkdir()
    (mine / "index.html").write_text("của văn thư", encoding="utf-8")
    spare.symlink_to(mine, target_is_directory=True)

    portal.add("2026/03.pdf", sign(demo_letters()[3], pki))
    assert _build(portal, portal.site).incremental
    assert spare.is_symlink() and (mine / "index.html").read_text(encoding="utf-8") == "của văn thư"
    assert sorted(p.name for p in mine.iterdir()) == ["index.html"]
    _same_as_full_build(portal, tmp_path, "linked")


def test_a_full_build_keeps_no_old_site_and_makes_a_spare_of_the_new_one(tmp_path: Path, pki: DemoPki) -> None:
    """A full build carries nothing over: the spare is not built upon, and the site it replaces shares
    no file with the new one, so it is removed, not kept. A spare is made of the new site instead
    (publish/spare.py), so that the next build links only what changed."""
    portal = _two_builds(tmp_path, pki)
    assert not _build(portal, portal.site, incremental=False).incremental
    live_home = os.stat(portal.site / "index.html").st_ino
    assert os.stat(_made_spare(portal) / "index.html").st_ino == live_home
    portal.add("2026/03.pdf", sign(demo_letters()[3], pki))
    assert _build(portal, portal.site).incremental
    assert os.stat(_spare(portal) / "index.html").st_ino == live_home
    _same_as_full_build(portal, tmp_path, "full")


def test_the_preview_makes_the_spare_before_its_next_build(tmp_path: Path, pki: DemoPki) -> None:
    """The preview builds with spare_now: the spare is there when the build returns, the site's own
    files, and its next build recycles it."""
    portal = make_portal(tmp_path / "p", pki)
    portal.add("2026/00.pdf", sign(demo_letters()[0], pki))
    assert not _build(portal, portal.site, spare_now=True).incremental
    assert os.stat(_spare(portal) / "index.html").st_ino == os.stat(portal.site / "index.html").st_ino
    portal.add("2026/01.pdf", sign(demo_letters()[1], pki))
    assert _build(portal, portal.site, spare_now=True).incremental
    _same_as_full_build(portal, tmp_path, "preview")


def test_a_site_edited_in_place_is_rebuilt_in_full_with_a_spare_too(tmp_path: Path, pki: DemoPki) -> None:
    """The site is checked while the pages are rendered (publish/site_check.py): a page of the
    current site edited where it is (the spare's link to it sees the edit too) is not built upon;
    the build starts again from nothing and the edit is gone."""
    portal = _two_builds(tmp_path, pki)
    page = next((portal.site / "van-ban").glob("*/index.html"))
    relative = page.relative_to(portal.site).as_posix()
    assert os.stat(_spare(portal) / relative).st_ino == page.stat().st_ino
    with page.open("a", encoding="utf-8") as handle:  # the same inode
        handle.write("<!-- TUYỆT MẬT -->")

    portal.add("2026/03.pdf", sign(demo_letters()[3], pki))
    again = _build(portal, portal.site)
    assert not again.incremental, "a site edited after the build is never built upon"
    assert "TUYỆT MẬT" not in page.read_text(encoding="utf-8")
    _same_as_full_build(portal, tmp_path, "edited")
    assert _build(portal, portal.site).incremental


def test_a_site_page_replaced_by_other_bytes_is_not_published(tmp_path: Path, pki: DemoPki) -> None:
    """A page of the current site replaced by another file (a new inode): the spare still holds the
    page the last build audited. Either that page or a full build, never the other bytes."""
    portal = _two_builds(tmp_path, pki)
    page = next((portal.site / "van-ban").glob("*/index.html"))
    page.unlink()
    page.write_text("<p>TUYỆT MẬT</p>", encoding="utf-8")
    # A published PDF, which the next build carries over unchanged, replaced by another one's bytes.
    pdfs = sorted((portal.site / "van-ban").glob("*.pdf"))
    other = pdfs[1].read_bytes()
    pdfs[0].unlink()
    pdfs[0].write_bytes(other)
    committed = {p.read_bytes() for p in (portal.root / "documents/2026").glob("*.pdf")}

    portal.add("2026/03.pdf", sign(demo_letters()[3], pki))
    _build(portal, portal.site)
    assert "TUYỆT MẬT" not in page.read_text(encoding="utf-8")
    assert pdfs[0].read_bytes() in committed and pdfs[0].read_bytes() != other
    _same_as_full_build(portal, tmp_path, "replaced")
