"""Issue 7: the live preview. `serve` builds into a temporary folder (never site/), rebuilds when
documents/ changes and tells the browser to reload, and shows every refused file on the preview's
home page instead of letting it disappear. A real build, a real HTTP server, real watchdog events."""

from __future__ import annotations

import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from kit import Portal, make_portal, sign

from corpus.letters import demo_letters, render_letter
from corpus.pki import DemoPki
from pipeline.office.preview import VERSION_PATH, Preview


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


@pytest.fixture
def served(tmp_path: Path, pki: DemoPki) -> Iterator[tuple[Portal, str, list[str]]]:
    portal = make_portal(tmp_path / "portal", pki)
    portal.add("2026/tot.pdf", sign(demo_letters()[12], pki))
    portal.add("2026/chua-ky.pdf", render_letter(demo_letters()[3]))
    refused = portal.root / "inbox" / "bi-tu-choi"
    refused.mkdir(parents=True)
    (refused / "mat.txt").write_text("Tệp: mat.pdf\n1. Lý do: Văn bản có dấu chỉ mức độ mật\n", encoding="utf-8-sig")
    said: list[str] = []
    ready = threading.Event()
    urls: list[str] = []
    stop = threading.Event()
    preview = Preview(portal.root, port=0, say=said.append)
    thread = threading.Thread(target=preview.run, args=(stop, lambda url: (urls.append(url), ready.set())),
                              daemon=True)
    thread.start()
    assert ready.wait(120), said
    yield portal, urls[0], said
    stop.set()
    thread.join(timeout=30)


def test_the_preview_shows_refusals_on_its_home_page_only_and_rebuilds_on_change(
        served: tuple[Portal, str, list[str]], pki: DemoPki) -> None:
    portal, url, said = served
    home = _get(url)
    assert "XEM TRƯỚC" in home
    assert "documents/2026/chua-ky.pdf" in home and "[unsigned]" in home and "Cần làm:" in home
    assert "bi-tu-choi/mat.pdf" in home and "dấu chỉ mức độ mật" in home
    assert VERSION_PATH in home  # the reload script
    document = next(u for u in home.split('"') if "van-ban/2026-11-03-305-ldld/" in u)
    page = _get(url + document.lstrip("./").removeprefix("/"))
    assert "305/LĐLĐ" in page and VERSION_PATH in page and "XEM TRƯỚC" not in page
    assert not portal.site.exists(), "serve never touches site/"

    version = _get(url + VERSION_PATH.lstrip("/"))
    portal.add("2026/moi.pdf", sign(demo_letters()[13], pki))
    # Wait (bounded) for the rebuild to be served and reported; a loaded CI machine can take a while.
    rebuilt = "Đã dựng lại: 2 văn bản; 1 văn bản bị từ chối"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (
        _get(url + VERSION_PATH.lstrip("/")) != version and "309/TB-LĐLĐ" in _get(url)
        and any(rebuilt in line for line in said)
    ):
        time.sleep(0.2)
    assert _get(url + VERSION_PATH.lstrip("/")) != version, said
    assert "309/TB-LĐLĐ" in _get(url)
    assert any(rebuilt in line for line in said), said


def test_a_letter_dropped_the_moment_the_preview_is_ready_is_built(tmp_path: Path, pki: DemoPki) -> None:
    # Watching starts before the first build: a file written as the address is announced (here,
    # by the announcement itself) is never missed.
    portal = make_portal(tmp_path / "portal", pki)
    portal.add("2026/tot.pdf", sign(demo_letters()[12], pki))
    said: list[str] = []
    stop = threading.Event()
    preview = Preview(portal.root, port=0, say=said.append)
    thread = threading.Thread(target=preview.run, daemon=True,
                              args=(stop, lambda url: portal.add("2026/moi.pdf", sign(demo_letters()[13], pki))))
    thread.start()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any("Đã dựng lại: 2 văn bản" in line for line in said):
        time.sleep(0.2)
    stop.set()
    thread.join(timeout=30)
    assert any("Đã dựng lại: 2 văn bản" in line for line in said), said


def test_the_preview_writes_its_memory_for_the_next_one_shot_build_once_idle(
        served: tuple[Portal, str, list[str]], pki: DemoPki) -> None:
    """Issue 21: the preview's builds do not write their memory to disk while the clerk waits for
    the new version; it is written once no change waits, so that a later `build` starts from it."""
    from pipeline import memory_store
    from pipeline.build import cache_key
    from pipeline.config import load_config

    portal, _url, said = served
    config = load_config(portal.root / "portal.yml")

    def remembered() -> set[str]:
        return {key[0].path for key in memory_store.load(config, cache_key(config)).evaluations}

    portal.add("2026/moi.pdf", sign(demo_letters()[13], pki))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and "documents/2026/moi.pdf" not in remembered():
        time.sleep(0.2)
    assert {"documents/2026/tot.pdf", "documents/2026/moi.pdf"} <= remembered(), said
