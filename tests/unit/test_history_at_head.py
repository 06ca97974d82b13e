"""history (issue 21): a long-running process reads the git log again only when HEAD moved; a file
written but not committed, or an answer a caller changed, never alters the next answer. Another
process starts from the reading kept in .congbo/ and reads only the commits on top of it, with the
answer of a whole reading."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pipeline import state
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


def _reading_in_a_new_process(root: Path) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """first_commit_times and document_changes as another process reads them (from .congbo/ when
    the history there may be built upon)."""
    code = ("import json, sys; from pathlib import Path; from pipeline.history import first_commit_times, "
            "document_changes; r = Path(sys.argv[1]); print(json.dumps([{b: t.isoformat() for b, t in "
            "first_commit_times(r).items()}, [(c.commit, c.status, c.path) for c in document_changes(r)]]))")
    out = subprocess.run([sys.executable, "-c", code, str(root)], check=True, capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[2]).stdout
    times, changes = json.loads(out)
    return times, [tuple(c) for c in changes]


def _commit(root: Path, name: str, data: bytes, message: str, when: str) -> None:
    (root / "documents" / name).write_bytes(data)
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", message, "--date", when)


def test_a_new_process_reads_only_the_commits_on_top_and_gets_the_whole_reading(tmp_path: Path) -> None:
    root = tmp_path / "portal"
    (root / "documents").mkdir(parents=True)
    _git(root, "init", "-q", "-b", "main")
    _commit(root, "a.pdf", b"%PDF a", "a", "2026-01-05T08:00:00+07:00")
    first = _reading_in_a_new_process(root)
    stored = sorted(p.name for p in state.folder(root).glob("history-*.pickle"))
    assert len(stored) == 2

    def whole() -> tuple[dict[str, str], list[tuple[str, str, str]]]:
        for path in state.folder(root).glob("history-*.pickle"):
            path.unlink()
        return _reading_in_a_new_process(root)

    # Commits on top: the same bytes again elsewhere keep their first time; a file removed.
    _commit(root, "b.pdf", b"%PDF b", "b", "2026-01-06T08:00:00+07:00")
    _commit(root, "copy.pdf", b"%PDF a", "a again", "2026-01-07T08:00:00+07:00")
    (root / "documents" / "b.pdf").unlink()
    _git(root, "commit", "-q", "-am", "b withdrawn")
    on_top = _reading_in_a_new_process(root)
    assert on_top[0][blob_id(b"%PDF a")] == first[0][blob_id(b"%PDF a")]
    assert [c[1:] for c in on_top[1]] == [("A", "documents/a.pdf"), ("A", "documents/b.pdf"),
                                          ("A", "documents/copy.pdf"), ("D", "documents/b.pdf")]
    assert on_top == whole()

    # A merge on top, then a rewritten history (the last commit amended): read whole, the same answer.
    _reading_in_a_new_process(root)
    _git(root, "checkout", "-q", "-b", "side", "HEAD~1")
    _commit(root, "side.pdf", b"%PDF side", "side", "2026-01-08T08:00:00+07:00")
    _git(root, "checkout", "-q", "main")
    _git(root, "merge", "-q", "--no-ff", "-m", "merge side", "side")
    merged = _reading_in_a_new_process(root)
    assert blob_id(b"%PDF side") in merged[0] and merged == whole()
    _reading_in_a_new_process(root)
    _git(root, "commit", "-q", "--amend", "-m", "merge side (amended)")
    assert _reading_in_a_new_process(root) == whole()
