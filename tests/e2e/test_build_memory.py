"""Issue 21: a long-running process (the preview) keeps its last build's inspections and evaluations
(pipeline/memory.py); an unchanged file is not judged again, and anything its answer depends on
that changes (a sidecar written, renamed or removed, the bytes, the configuration) is judged anew."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import os
import pickle
import shutil
from pathlib import Path

import pytest
import yaml
from kit import Portal, assert_same_site, make_portal, sign

from corpus.letters import demo_letters
from corpus.pki import DemoPki
from pipeline import memory_store, state
from pipeline.build import BuildOptions, build, cache_key, collect
from pipeline.config import load_config
from pipeline.memory import BuildMemory
from pipeline.publish import pages as render_pages
from pipeline.records import BuildReport


def _collect(portal: Portal, memory: BuildMemory) -> BuildReport:
    return collect(load_config(portal.root / "portal.yml"), BuildOptions(memory=memory))


def _published(report: BuildReport) -> set[str]:
    return {doc.source.path for doc in report.documents}


def _portal(folder: Path, pki: DemoPki, count: int) -> Portal:
    """A portal of the first `count` demo letters, documents/2026/00.pdf, 01.pdf..."""
    portal = make_portal(folder, pki)
    for n, letter in enumerate(demo_letters()[:count]):
        portal.add(f"2026/{n:02d}.pdf", sign(letter, pki))
    return portal


def test_a_remembered_answer_is_used_only_while_what_it_was_made_from_is_unchanged(tmp_path: Path,
                                                                                   pki: DemoPki) -> None:
    portal = _portal(tmp_path / "p", pki, 4)
    letters = demo_letters()
    memory = BuildMemory()
    first = _collect(portal, memory)
    assert _published(first) == {f"documents/2026/{n:02d}.pdf" for n in range(4)}
    remembered = dict(memory.evaluations)
    assert len(remembered) == 4 and len(memory.inspections) == 4

    # Nothing changed: the same inspections and the same evaluations, not made again.
    again = _collect(portal, memory)
    assert _published(again) == _published(first)
    assert all(memory.evaluations[key][1] is answer for key, (_, answer) in remembered.items())

    # A sidecar written beside one letter: that letter is judged again (and refused), the others not.
    sidecar = portal.root / "documents" / "2026" / "01.yml"
    sidecar.write_text("secrecy: MẬT\n", encoding="utf-8")
    secret = _collect(portal, memory)
    assert "documents/2026/01.pdf" in {r.source.path for r in secret.refusals}
    assert _published(secret) == _published(first) - {"documents/2026/01.pdf"}

    # Rewritten at once, its modification time set back: read again all the same (its content).
    stat = sidecar.stat()
    sidecar.write_text("urgency: Hỏa tốc\n", encoding="utf-8")
    os.utime(sidecar, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    urgent = _collect(portal, memory)
    assert next(d for d in urgent.documents if d.source.path == "documents/2026/01.pdf").metadata.marks.urgency

    # A lookalike name beside a letter is an error whatever it says: seen at once.
    (portal.root / "documents" / "2026" / "02.pdf.yml").write_text("type_name: Công văn\n", encoding="utf-8")
    assert "documents/2026/02.pdf" in {r.source.path for r in _collect(portal, memory).refusals}
    (portal.root / "documents" / "2026" / "02.pdf.yml").unlink()

    # Other bytes under the same name: examined and judged anew.
    portal.add("2026/03.pdf", sign(letters[5], pki))
    changed = _collect(portal, memory)
    doc = next(d for d in changed.documents if d.source.path == "documents/2026/03.pdf")
    assert doc.metadata.number == letters[5].number

    # Another configuration (a publishable type withdrawn): every file judged under it.
    config_file = portal.root / "portal.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["policy"]["publishable_types"].remove("Quyết định")
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    before = dict(memory.evaluations)
    _collect(portal, memory)
    now = memory.evaluations
    assert not any(now[key][1] is answer for key, (_, answer) in before.items() if key in now)
    # The memory holds the last build's answers only.
    assert len(memory.evaluations) == 4 and len(memory.inspections) == 4


def test_a_sidecar_written_then_removed_in_a_folder_that_had_none_is_seen_each_time(tmp_path: Path,
                                                                                   pki: DemoPki) -> None:
    """Issue 21: a folder with no name that looks like a sidecar is not asked again for each file; the
    same process's next build sees a sidecar (or a look-alike) written into it, and its removal."""
    portal = _portal(tmp_path / "p", pki, 3)
    folder = portal.root / "documents" / "2026"
    every = {f"documents/2026/{n:02d}.pdf" for n in range(3)}
    memory = BuildMemory()
    first = _collect(portal, memory)
    assert _published(first) == every and not first.refusals
    remembered = dict(memory.evaluations)
    for name in ("00.yml", "00.PDF.yaml"):
        (folder / name).write_text("secrecy: MẬT\n", encoding="utf-8")
        refused = _collect(portal, memory)
        assert [r.source.path for r in refused.refusals] == ["documents/2026/00.pdf"]
        assert _published(refused) == every - {"documents/2026/00.pdf"}
        (folder / name).unlink()
        again = _collect(portal, memory)
        assert _published(again) == every and not again.refusals
        assert [d.source for d in again.documents] == [d.source for d in first.documents]
    # The letters beside it were not judged again, nor was the first once its sidecar was gone.
    assert all(memory.evaluations[key][1] is answer for key, (_, answer) in remembered.items()
               if not key[0].path.endswith("00.pdf"))


def test_a_document_s_digest_is_kept_only_while_its_record_is_equal(tmp_path: Path, pki: DemoPki) -> None:
    """The preview keeps each published document's digest (what its page is built from): an
    unchanged letter's is the same object as last time; a letter whose sidecar changed gets a new one,
    and the site is the one a build without any memory makes."""
    portal = _portal(tmp_path / "p", pki, 3)
    memory = BuildMemory()
    site = tmp_path / "site"
    build(load_config(portal.root / "portal.yml"), site, BuildOptions(replay=False, memory=memory))
    first = dict(memory.digests)
    assert len(first) == 3

    (portal.root / "documents" / "2026" / "01.yml").write_text("urgency: Hỏa tốc\n", encoding="utf-8")
    config = load_config(portal.root / "portal.yml")
    build(config, site, BuildOptions(replay=False, memory=memory))
    changed = {slug for slug, (doc, _digest) in memory.digests.items() if doc.source.path.endswith("01.pdf")}
    assert len(changed) == 1
    for slug, remembered in memory.digests.items():
        if slug in changed:
            assert remembered[1] != first[slug][1]
        else:
            assert remembered is first[slug]
    reference = tmp_path / "reference"
    build(config, reference, BuildOptions(replay=False, incremental=False))
    assert_same_site(site, reference)
    # The records a build froze for the garbage collector are collectable again once it returns.
    assert gc.get_freeze_count() == 0


def test_a_process_s_builds_equal_full_builds_as_listings_and_their_pages_change(
        tmp_path: Path, pki: DemoPki, monkeypatch: pytest.MonkeyPatch) -> None:
    """The preview keeps the keys of the listings' numbered pages and the listings' filters from one
    build to the next (publish/pages.py), for the very same listing lines. A line that changes (a
    sidecar corrects an old letter), a page whose lines shift (an old letter removed) and a new
    letter each give the site a build without any memory makes."""
    monkeypatch.setattr(render_pages, "PAGE_SIZE", 2)
    letters = [dataclasses.replace(letter, issued_date=dt.date(2026, 3, 1 + n))
               for n, letter in enumerate(demo_letters()[:8])]
    portal = make_portal(tmp_path / "p", pki)
    for n, letter in enumerate(letters[:7]):
        portal.add(f"2026/{n:02d}.pdf", sign(letter, pki))
    memory = BuildMemory()
    site = tmp_path / "site"

    def same_as_full_build(name: str) -> None:
        config = load_config(portal.root / "portal.yml")
        build(config, site, BuildOptions(replay=False, memory=memory))
        reference = tmp_path / f"reference-{name}"
        build(config, reference, BuildOptions(replay=False, incremental=False, use_cache=False))
        assert_same_site(site, reference)

    same_as_full_build("first")
    assert (site / "nam" / "2026" / "trang-2" / "index.html").is_file()
    same_as_full_build("unchanged")
    # The oldest letter, on the oldest numbered page, corrected by a sidecar: a new line.
    (portal.root / "documents" / "2026" / "00.yml").write_text(
        "subject: Trích yếu đã sửa bằng tệp khai báo\n", encoding="utf-8")
    same_as_full_build("corrected")
    assert "Trích yếu đã sửa bằng tệp khai báo" in (site / "nam" / "2026" / "trang-1" / "index.html").read_text(
        encoding="utf-8")
    portal.add("2026/07.pdf", sign(letters[7], pki))
    same_as_full_build("added")
    (portal.root / "documents" / "2026" / "01.pdf").unlink()
    same_as_full_build("removed")


# --- the memory on disk, for one-shot builds (pipeline/memory_store.py) -------------------------------


def _chunks(portal: Portal) -> dict[str, bytes]:
    folder = state.memory(portal.root)
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.pickle"))}


def test_a_one_shot_build_starts_from_the_last_build_s_answers_and_builds_the_same_site(tmp_path: Path,
                                                                                        pki: DemoPki) -> None:
    portal = _portal(tmp_path / "p", pki, 4)
    letters = demo_letters()
    config = load_config(portal.root / "portal.yml")
    site = tmp_path / "site"
    build(config, site, BuildOptions(replay=False))
    written = _chunks(portal)
    assert "config.pickle" in written and len(written) >= 2

    # What a later process reads: every file's inspection and evaluation, and each document's digest.
    loaded = memory_store.load(config, cache_key(config))
    assert len(loaded.evaluations) == 4 and len(loaded.inspections) == 4 and len(loaded.digests) == 4
    assert len(loaded.routes) == 4 and len(loaded.lines) == 4
    # The inspection cache is not read for them: its entries gone, the files are still not examined again.
    shutil.rmtree(state.inspection_cache(portal.root))
    seen: list[str] = []
    routes = dict(loaded.routes)
    again = collect(config, BuildOptions(memory=loaded), progress=seen.append)
    assert seen == [] and _published(again) == {f"documents/2026/{n:02d}.pdf" for n in range(4)}
    assert all(loaded.routes[path] is route for path, route in routes.items())  # not routed again

    # Today's letter, and a sidecar written beside another: one-shot builds upon the memory, each
    # rewriting only the chunks whose answers changed, and the site is the one a full build makes.
    portal.add("2026/04.pdf", sign(letters[4], pki))
    (portal.root / "documents" / "2026" / "01.yml").write_text("urgency: Hỏa tốc\n", encoding="utf-8")
    before = _chunks(portal)
    build(config, site, BuildOptions(replay=False))
    after = _chunks(portal)
    rewritten = {name for name in after if before.get(name) != after[name]}
    assert 1 <= len(rewritten) <= 2 and "config.pickle" not in rewritten
    reference = tmp_path / "reference"
    build(config, reference, BuildOptions(replay=False, incremental=False))
    assert_same_site(site, reference)
    digests = memory_store.load(config, cache_key(config)).digests.values()
    urgent = next(d for d in digests if d[0].source.path.endswith("01.pdf"))
    assert urgent[0].metadata.marks.urgency

    # Another configuration: nothing of the memory is used, and it is written anew under it.
    config_file = portal.root / "portal.yml"
    raw = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    raw["policy"]["publishable_types"].remove("Quyết định")
    config_file.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    other = load_config(config_file)
    assert not memory_store.load(other, cache_key(other)).evaluations
    build(other, site, BuildOptions(replay=False))
    assert len(memory_store.load(other, cache_key(other)).evaluations) == 5
    assert not memory_store.load(config, cache_key(config)).evaluations


def test_a_planted_damaged_or_foreign_memory_is_never_used_and_never_runs(tmp_path: Path, pki: DemoPki) -> None:
    portal = _portal(tmp_path / "p", pki, 3)
    config = load_config(portal.root / "portal.yml")
    site = tmp_path / "site"
    build(config, site, BuildOptions(replay=False))
    folder = state.memory(portal.root)
    chunks = sorted(p for p in folder.glob("*.pickle") if p.name != "config.pickle")
    assert len(memory_store.load(config, cache_key(config)).evaluations) == 3

    # A chunk whose pickle names a function (here one that would write a file) is refused whole.
    prefix, _, _ = chunks[0].read_bytes().partition(b"\n")
    planted = tmp_path / "planted"

    class _Plant:
        def __reduce__(self) -> tuple[object, ...]:
            return (Path.write_text, (planted, "ran"))

    chunks[0].write_bytes(prefix + b"\n" + pickle.dumps(({"x": _Plant()}, {}, {}, {})))
    # A damaged chunk (cut short), and one written by other code (another first line).
    chunks[1].write_bytes(chunks[1].read_bytes()[:-40])
    data = chunks[2].read_bytes()
    chunks[2].write_bytes(b"0" * 8 + data[8:])
    loaded = memory_store.load(config, cache_key(config))
    assert not planted.exists()
    assert loaded.evaluations == {} and loaded.digests == {} and loaded.routes == {}
    # The build judges everything again and publishes the same site as a build without any memory.
    build(config, site, BuildOptions(replay=False))
    reference = tmp_path / "reference"
    build(config, reference, BuildOptions(replay=False, incremental=False))
    assert_same_site(site, reference)
    assert len(memory_store.load(config, cache_key(config)).evaluations) == 3

    # Configuration written by other code: the whole memory is left unused.
    head = folder / "config.pickle"
    head.write_bytes(b"f" * 8 + head.read_bytes()[8:])
    assert memory_store.load(config, cache_key(config)).evaluations == {}
