"""history (issue 21): a long-running process reads the git log again only when HEAD moved; a file
written but not committed, or an answer a caller changed, never alters the next answer."""

from __future__ import annotations

import subprocess
from pathlib import Path

from pipeline.history import blob_id, document_changes, first_commit_times


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "Văn thư", "GIT_AUTHOR_EMAIL": "vt@example.org",
                        "GIT_COMMITTER_NAME": "Văn thư", "GIT_COMMITTER_EMAIL": "vt@example.org",
                        "PATH": "/usr/bin:/bin"})


def test_history_is_read_again_when_head_moves_and_only_then(tmp_path: Path) -> None:
    root = tmp_path / "portal"
    (root / "documents").mkdir(parents=True)
    _git(root, "init", "-q", "-b", "main")
    (root / "documents" / "a.pdf").write_bytes(b"%PDF a")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "a")
    first = first_commit_times(root)
    assert set(first) == {blob_id(b"%PDF a")}
    assert [c.path for c in document_changes(root)] == ["documents/a.pdf"]

    # Written, not committed: the same history, and a caller's change to its copy is its own.
    (root / "documents" / "b.pdf").write_bytes(b"%PDF b")
    first.clear()
    document_changes(root).clear()
    assert set(first_commit_times(root)) == {blob_id(b"%PDF a")}
    assert [c.path for c in document_changes(root)] == ["documents/a.pdf"]

    # Committed: HEAD moved, the history is read again.
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "b")
    assert set(first_commit_times(root)) == {blob_id(b"%PDF a"), blob_id(b"%PDF b")}
    assert [c.path for c in document_changes(root)] == ["documents/a.pdf", "documents/b.pdf"]
