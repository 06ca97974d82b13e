"""Issue 9: a rebuild with nothing changed replays the last audited result; any change rebuilds."""

from __future__ import annotations

from pathlib import Path

from kit import make_portal, sign

from corpus.letters import demo_letters, render_letter
from corpus.pki import DemoPki

REPLAYED = "Không có thay đổi kể từ lần dựng trước"


def test_unchanged_inputs_replay_the_report_and_any_change_rebuilds(tmp_path: Path, pki: DemoPki) -> None:
    portal = make_portal(tmp_path / "p", pki)
    portal.add("2026/a.pdf", sign(demo_letters()[0], pki))
    portal.add("2026/unsigned.pdf", render_letter(demo_letters()[1]))
    first = portal.build()
    assert first[0] == 3 and REPLAYED not in first[1]

    again = portal.build()
    assert again[0] == 3, "the replay keeps the exit status"
    assert REPLAYED in again[1] and "unsigned.pdf" in again[1]

    portal.add("2026/b.pdf", sign(demo_letters()[2], pki))
    changed = portal.build()
    assert REPLAYED not in changed[1]
    assert len(list((portal.site / "van-ban").glob("*.pdf"))) == 2

    (portal.root / "documents/2026/unsigned.pdf").unlink()
    assert portal.build()[0] == 0

    forced = portal.build("--no-cache")
    assert forced[0] == 0 and REPLAYED not in forced[1]


def test_a_deleted_site_is_rebuilt(tmp_path: Path, pki: DemoPki) -> None:
    import shutil

    portal = make_portal(tmp_path / "p", pki)
    portal.add("2026/a.pdf", sign(demo_letters()[0], pki))
    assert portal.build()[0] == 0
    shutil.rmtree(portal.site)
    status, out, _ = portal.build()
    assert status == 0 and REPLAYED not in out and (portal.site / "index.html").is_file()
