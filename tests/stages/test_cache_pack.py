"""The inspection cache keeps the entries a build used together in one pack (issue 9: 10,000 files
opened one by one took 1.5 s): an entry comes back the same from the pack as from its own file, a
damaged pack line falls back to the file, and the pack is rewritten only when it is worth it."""

from __future__ import annotations

import dataclasses
import hashlib
import tracemalloc
from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.examine.cache import InspectionCache
from pipeline.examine.sandbox import Job, examine_all
from pipeline.examine.verify import TrustAnchors
from pipeline.memory import BuildMemory
from pipeline.records import Inspection, PdfText, StoredText

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def inspection() -> Inspection:
    config = load_config(REPO / "portal.yml")
    anchors = TrustAnchors.from_pem(config.trust.roots_pem, config.organisation.certificate_names)
    path = sorted((REPO / "documents").rglob("*.pdf"))[0]
    [(_, result)] = list(examine_all([Job(path.name, path, hashlib.sha256(path.read_bytes()).hexdigest())], anchors))
    assert isinstance(result, Inspection)
    return result


def _entries(inspection: Inspection, count: int) -> list[Inspection]:
    # Distinct entries; the text holds line separators that str.splitlines() would cut at.
    return [dataclasses.replace(inspection, sha256=hashlib.sha256(str(n).encode()).hexdigest(),
                                text=StoredText.of(PdfText((f"trang {n}\u2028dòng\x85hai\nba",))))
            for n in range(count)]


def _packed(folder: Path, inspection: Inspection, count: int) -> tuple[InspectionCache, list[Inspection]]:
    """A cache holding `count` distinct entries, all of them in its pack."""
    cache = InspectionCache(folder, "trust")
    entries = _entries(inspection, count)
    for entry in entries:
        cache.put(entry)
    assert cache.pack({e.sha256 for e in entries})
    return cache, entries


def test_entries_come_back_from_the_pack_alone(tmp_path: Path, inspection: Inspection) -> None:
    cache, entries = _packed(tmp_path, inspection, 30)
    for loose in (tmp_path / cache.salt).glob("*/*.json"):
        loose.unlink()  # only the pack is left
    again = InspectionCache(tmp_path, "trust")
    assert [again.get(e.sha256) for e in entries] == entries
    assert again.get("0" * 64) is None


def test_a_damaged_pack_line_falls_back_to_the_entry_file(tmp_path: Path, inspection: Inspection) -> None:
    cache = InspectionCache(tmp_path, "trust")
    entries = _entries(inspection, 30)
    for entry in entries:
        cache.put(entry)
    cache.pack({e.sha256 for e in entries})
    pack = tmp_path / cache.salt / InspectionCache.PACK
    lines = pack.read_text(encoding="utf-8").split("\n")
    damaged = entries[3].sha256
    pack.write_text("\n".join(f"{damaged} {{not json" if line.startswith(damaged) else line for line in lines),
                    encoding="utf-8")
    again = InspectionCache(tmp_path, "trust")
    assert again.get(damaged) == entries[3]
    # Nor does an entry of the pack answer for another file's hash.
    pack.write_text(pack.read_text(encoding="utf-8").replace(entries[5].sha256, entries[6].sha256, 1),
                    encoding="utf-8")
    assert InspectionCache(tmp_path, "trust").get(entries[6].sha256) == entries[6]
    # Bytes that are not UTF-8 in one line: that entry from its file, the lines around it from the pack.
    raw = pack.read_bytes().split(b"\n")
    broken = entries[8].sha256.encode()
    pack.write_bytes(b"\n".join(line.replace(b"trang", b"\xff\xfe") if line.startswith(broken) else line
                                for line in raw))
    for loose in (tmp_path / cache.salt).glob("*/*.json"):
        if loose.stem not in (entries[8].sha256, damaged):
            loose.unlink()
    third = InspectionCache(tmp_path, "trust")
    assert third.get(entries[8].sha256) == entries[8]
    assert [third.get(e.sha256) for e in entries[9:12]] == entries[9:12]


def test_the_pack_is_rewritten_only_when_worth_it(tmp_path: Path, inspection: Inspection) -> None:
    entries = _entries(inspection, 40)
    cache = InspectionCache(tmp_path, "trust")
    for entry in entries[:10]:
        cache.put(entry)
    assert not cache.pack({e.sha256 for e in entries[:10]}), "fewer than 20 entries outside it"
    for entry in entries[10:30]:
        cache.put(entry)
    assert cache.pack({e.sha256 for e in entries[:30]})
    # One new entry: the pack stays as it is, the entry is read from its own file.
    later = InspectionCache(tmp_path, "trust")
    later.put(entries[30])
    assert not later.pack({e.sha256 for e in entries[:31]})
    assert InspectionCache(tmp_path, "trust").get(entries[30].sha256) == entries[30]
    # Most of the pack no longer used (documents removed): rewritten with the used ones only.
    fewer = InspectionCache(tmp_path, "trust")
    used = {e.sha256 for e in entries[:5]}
    assert all(fewer.get(s) is not None for s in used)
    assert fewer.pack(used)
    pack = (tmp_path / fewer.salt / InspectionCache.PACK).read_text(encoding="utf-8")
    assert {line.split(" ", 1)[0] for line in pack.split("\n") if line} == used


def test_the_pack_reads_entries_outside_it_from_their_files(tmp_path: Path, inspection: Inspection) -> None:
    # Issue 21: entries written by this build are not held in memory until the pack is written (a cold
    # build at 30,000 letters held 360 MB of them); the pack reads them back from their files, and one
    # whose file went missing meanwhile is left out, a miss for the next build, not a damaged pack.
    cache = InspectionCache(tmp_path, "trust")
    entries = _entries(inspection, 25)
    for entry in entries:
        cache.put(entry)
    gone = entries[7]
    next((tmp_path / cache.salt).glob(f"*/{gone.sha256}.json")).unlink()
    assert cache.pack({e.sha256 for e in entries})
    pack = (tmp_path / cache.salt / InspectionCache.PACK).read_bytes()
    assert {line.split(b" ", 1)[0].decode() for line in pack.split(b"\n") if line} == {
        e.sha256 for e in entries if e is not gone}
    again = InspectionCache(tmp_path, "trust")
    assert again.get(gone.sha256) is None
    assert [again.get(e.sha256) for e in entries if e is not gone] == [e for e in entries if e is not gone]


def test_the_pack_is_read_from_its_file_entry_by_entry(tmp_path: Path, inspection: Inspection) -> None:
    # Issue 21: a build reads the pack's entries from the file when it asks for them; what it holds
    # of the pack is where each entry is, not the entries (at 100,000 letters they were 460 MB).
    cache, entries = _packed(tmp_path, inspection, 400)
    size = (tmp_path / cache.salt / InspectionCache.PACK).stat().st_size
    tracemalloc.start()
    try:
        again = InspectionCache(tmp_path, "trust")
        first = again.get(entries[0].sha256)
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert first == entries[0]
    assert held < size / 5, (held, size)
    assert [again.get(e.sha256) for e in entries[::37]] == entries[::37]
    again.close()
    assert again.get(entries[5].sha256) == entries[5]  # closed, it opens the pack again when asked


def test_a_long_running_process_indexes_the_pack_again_only_when_it_was_replaced(tmp_path: Path,
                                                                                  inspection: Inspection) -> None:
    """Issue 21: the preview's memory keeps where each entry is in the pack while the pack is the same
    file; a pack another process rewrote (its entries elsewhere) is indexed again."""
    cache, entries = _packed(tmp_path, inspection, 30)
    cache.close()

    def pack_only() -> None:
        for loose in (tmp_path / cache.salt).glob("*/*.json"):
            loose.unlink()  # a wrong offset cannot fall back to the entry's own file

    pack_only()
    memory = BuildMemory()
    first = InspectionCache(tmp_path, "trust", memory)
    assert [first.get(e.sha256) for e in entries] == entries
    first.close()
    index = memory.pack
    assert index is not None
    second = InspectionCache(tmp_path, "trust", memory)
    assert second.get(entries[3].sha256) == entries[3]
    second.close()
    assert memory.pack is index  # the same pack: not read again

    # Another process adds entries and rewrites the pack: most entries move.
    more = _entries(inspection, 90)
    other = InspectionCache(tmp_path, "trust")
    for entry in more[30:]:
        other.put(entry)
    assert other.pack({e.sha256 for e in more})
    other.close()
    pack_only()
    third = InspectionCache(tmp_path, "trust", memory)
    assert [third.get(e.sha256) for e in more] == more
    third.close()
    assert memory.pack is not index
