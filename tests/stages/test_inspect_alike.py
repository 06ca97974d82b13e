"""Issue 21: files with the same bytes (a letter filed in two folders) are examined once, and each
path gets that inspection; a cached inspection still answers without any examining."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.examine import sandbox
from pipeline.examine.discover import discover
from pipeline.examine.inspect import inspect_sources
from pipeline.records import Inspection

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture()
def portal(tmp_path: Path) -> Path:
    shutil.copy(REPO / "portal.yml", tmp_path / "portal.yml")
    shutil.copytree(REPO / "trust", tmp_path / "trust")
    letters = sorted((REPO / "documents").rglob("*.pdf"))[:2]
    for folder in ("2026/cong-doan-a", "2026/cong-doan-b"):
        (tmp_path / "documents" / folder).mkdir(parents=True)
        shutil.copy(letters[0], tmp_path / "documents" / folder / "thu.pdf")
    shutil.copy(letters[1], tmp_path / "documents" / "2026" / "khac.pdf")
    return tmp_path


def test_the_same_bytes_in_two_folders_are_examined_once(portal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    examined: list[str] = []
    real = sandbox.examine_all

    def counting(jobs, *args, **kwargs):  # type: ignore[no-untyped-def]
        jobs = list(jobs)
        examined.extend(job.key for job in jobs)
        yield from real(jobs, *args, **kwargs)

    monkeypatch.setattr(sandbox, "examine_all", counting)
    config = load_config(portal / "portal.yml")
    sources = discover(portal)
    assert len(sources) == 3
    told: list[str] = []
    results = inspect_sources(config, sources, workers=1, progress=told.append)

    assert len(examined) == 2  # the copy was not examined again
    assert sorted(told) == sorted(source.path for source in sources)
    assert set(results) == {source.path for source in sources}
    first, second = results["documents/2026/cong-doan-a/thu.pdf"], results["documents/2026/cong-doan-b/thu.pdf"]
    assert isinstance(first, Inspection) and first == second
    assert first.sha256 == next(s.sha256 for s in sources if s.path.endswith("cong-doan-a/thu.pdf"))
    assert results["documents/2026/khac.pdf"] != first

    examined.clear()
    again = inspect_sources(config, sources, workers=1)
    assert examined == []  # every file from the cache
    assert again == results
