"""Issue 21: a long-running process does not read back the site state it saved itself, but only
while the file is the one it wrote: a state saved by another process (a one-shot build beside the
preview) is read from the file."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from pipeline.memory_store import dump_records
from pipeline.publish import site_state


def test_the_state_saved_here_is_reused_only_while_its_file_is_the_one_written(tmp_path: Path) -> None:
    config: Any = SimpleNamespace(root=tmp_path)
    out = tmp_path / "site"
    mine = site_state.SiteState("fp", {"index.md": "k1"}, {}, "needles", {"index.html": (1, 2, 3)})
    site_state.save(config, out, mine)
    assert site_state.read(config, out, "fp") is mine
    assert site_state.read(config, out, "other") is None

    # Another process saves its own state for the same site: that one is read, not the memory.
    theirs = site_state.SiteState("fp", {"index.md": "k2"}, {}, "needles", {"index.html": (4, 5, 6)})
    dump_records(site_state.state_path(config, out), "site-state", theirs)
    found = site_state.read(config, out, "fp")
    assert found is not mine and found == theirs
    # Forgotten (a build under way): nothing is built upon.
    site_state.forget(config, out)
    assert site_state.read(config, out, "fp") is None
