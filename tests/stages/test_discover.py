"""discover lists documents/ as text, not as Path objects (issue 21), and a long-running process keeps
the hash memo and the records of its last discovery: the files, their order and their records are
still exactly what a first discovery in a new process finds, whatever changed in between."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path, PurePosixPath

from pipeline import state
from pipeline.examine.discover import discover_all
from pipeline.history import blob_id


def _write(root: Path, relative: str, data: bytes) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _expected(root: Path) -> list[tuple[str, str, int]]:
    """(path, sha256, size) of every regular *.pdf under documents/, in the order of Path objects."""
    found = [p for p in (root / "documents").rglob("*") if p.is_file() and not p.is_symlink()
             and p.name.lower().endswith(".pdf")]
    return [(p.relative_to(root).as_posix(), hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_size)
            for p in sorted(found)]


def _found(root: Path) -> list[tuple[str, str, int]]:
    return [(s.path, s.sha256, s.size) for s in discover_all(root).sources]


NAMES = ("a.pdf", "A.pdf", "a-b.pdf", "a b.pdf", "a/b.pdf", "a/c/d.pdf", "a.b/x.pdf", "a0.pdf", "ab.pdf",
         "é.pdf", "e\u0301.pdf", "Z.PDF", "2026/01.pdf", "2026/1.pdf", "2026-extra/01.pdf", "notes.txt")


def test_files_come_in_the_order_of_their_paths_name_by_name(tmp_path: Path) -> None:
    root = tmp_path / "portal"
    for n, name in enumerate(NAMES):
        _write(root, f"documents/{name}", b"%PDF-1.7 " + str(n).encode())
    found = _found(root)
    assert found == _expected(root)
    paths = [path for path, _, _ in found]
    # "/" sorts after "-", " " and "." as a character, but a folder's files come in by the folder's
    # name: "a/b.pdf" before "a-b.pdf", as Path objects compare.
    assert paths.index("documents/a/b.pdf") < paths.index("documents/a-b.pdf")
    assert paths.index("documents/2026/1.pdf") < paths.index("documents/2026-extra/01.pdf")
    assert paths == [p.as_posix() for p in sorted(PurePosixPath(p) for p in paths)]
    assert "documents/notes.txt" not in paths
    # Another folder: paths are still relative to the portal's root.
    assert [s.path for s in discover_all(root, "documents/a").sources] == ["documents/a/b.pdf", "documents/a/c/d.pdf"]


def test_a_second_discovery_in_one_process_sees_every_change(tmp_path: Path) -> None:
    root = tmp_path / "portal"
    for n, name in enumerate(NAMES[:9]):
        _write(root, f"documents/{name}", b"%PDF-1.7 " + str(n).encode())
    first = discover_all(root)
    assert [(s.path, s.sha256, s.size) for s in first.sources] == _expected(root)
    again = discover_all(root)
    assert again == first

    # Other bytes of the same size, a file added, one removed, one replaced by a link, a folder added.
    (root / "documents" / "a.pdf").write_bytes(b"%PDF-1.7 X")
    _write(root, "documents/new/today.pdf", b"%PDF-1.7 today")
    (root / "documents" / "a b.pdf").unlink()
    (root / "documents" / "ab.pdf").unlink()
    (root / "documents" / "ab.pdf").symlink_to(root / "documents" / "a0.pdf")
    changed = discover_all(root)
    assert [(s.path, s.sha256, s.size) for s in changed.sources] == _expected(root)
    assert [s.path for s in changed.not_files] == ["documents/ab.pdf"]
    assert next(s for s in changed.sources if s.path == "documents/a.pdf").sha256 == hashlib.sha256(
        b"%PDF-1.7 X").hexdigest()


def test_a_hash_memo_written_by_another_process_is_read_again(tmp_path: Path) -> None:
    """The memo's entries are trusted for a file of the exact same stat, as always; the process's
    own copy of the memo is used only while the file is the one it read or wrote."""
    root = tmp_path / "portal"
    _write(root, "documents/a.pdf", b"%PDF-1.7 a")
    _write(root, "documents/b.pdf", b"%PDF-1.7 b")
    discover_all(root)
    memo_path = state.hash_memo(root)
    memo = json.loads(memo_path.read_text(encoding="utf-8"))
    st = os.stat(root / "documents" / "a.pdf")
    assert memo["documents/a.pdf"][:4] == [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
    # Another process's memo: what it says for a.pdf's exact stat is what discover answers.
    memo["documents/a.pdf"][4:] = ["f" * 64, blob_id(b"other")]
    memo_path.write_text(json.dumps(memo), encoding="utf-8")
    assert next(s for s in discover_all(root).sources if s.path == "documents/a.pdf").sha256 == "f" * 64
    # Gone: every file is hashed again, and the memo written again.
    memo_path.unlink()
    assert _found(root) == _expected(root)
    assert json.loads(memo_path.read_text(encoding="utf-8")).keys() == {"documents/a.pdf", "documents/b.pdf"}
