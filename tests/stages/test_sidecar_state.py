"""decide asks for the sidecar state of every file by its path as text (issue 21: a Path made and taken
apart per file was a third of judging 10,000 unchanged letters again): the answer is sidecar_state's,
whatever the folder holds and however the path is spelled."""

from __future__ import annotations

from pathlib import Path

from pipeline.decide.sidecar import Neighbours, sidecar_state

FILES = (
    "documents/2026/01.pdf", "documents/2026/02.pdf", "documents/2026/02.yml", "documents/2026/03.pdf",
    "documents/2026/03.pdf.yml", "documents/2026/04.PDF", "documents/2026/04.YAML", "documents/2025/01.pdf",
    "documents/2025/02.pdf", "top.pdf", "top.yml", "documents/odd/.pdf", "documents/odd/.yml",
    "documents/odd/a\\b.pdf", "documents/odd/a\\b.yml", "documents/bare/x.pdf", "documents/bare/notes.txt",
)


def test_the_state_by_path_text_is_sidecar_state(tmp_path: Path) -> None:
    root = tmp_path / "portal"
    for relative in FILES:
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(f"# {relative}\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.pdf").write_bytes(b"%PDF")
    (elsewhere / "x.yml").write_text("urgency: Khẩn\n", encoding="utf-8")
    # Folders without a sidecar first, and a path that is no file's, so that a folder taken for
    # another would be seen.
    paths = ["documents/2026/", "documents/2025/01.pdf"] + [f for f in FILES if f.lower().endswith(".pdf")] + [
        "documents//2026/02.pdf", "documents/./2026/02.pdf", "documents/2026/../2026/02.pdf",
        str(root / "documents" / "2026" / "02.pdf"), str(elsewhere / "x.pdf"), "x.pdf",
        "documents/2026/02.yml", "documents/missing/01.pdf",
    ]
    neighbours = Neighbours()  # one for every path, as one decide() pass shares it
    states = {path: neighbours.state(root, path) for path in paths}
    for path in paths:
        assert states[path] == sidecar_state(root / path, Neighbours()), path
    # The folders with a sidecar, or a name that looks like one, have a state; the others none.
    assert [p for p in paths if states[p]] == [
        "documents/2026/02.pdf", "documents/2026/03.pdf", "documents/2026/04.PDF", "top.pdf",
        "documents/odd/a\\b.pdf", "documents//2026/02.pdf", "documents/./2026/02.pdf", "documents/2026/../2026/02.pdf",
        str(root / "documents" / "2026" / "02.pdf"), str(elsewhere / "x.pdf"), "documents/2026/02.yml",
    ]
