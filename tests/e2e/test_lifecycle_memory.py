"""Issue 21: lifecycle indexes the branch's changes once for the same changes, in a long-running
process; each build of that process still sees every later commit: a move, a move back, a sidecar
committed, a letter withdrawn."""

from __future__ import annotations

from pathlib import Path

from kit import clerk_git, make_portal, sign

from corpus.letters import demo_letters
from corpus.pki import DemoPki
from pipeline.build import BuildOptions, collect
from pipeline.config import load_config
from pipeline.memory import BuildMemory
from pipeline.records import BuildReport


def _history(report: BuildReport) -> dict[str, list[str]]:
    return {d.source.path: [e.kind for e in d.history] for d in report.documents if d.history}


def test_each_build_of_one_process_sees_the_commits_made_since_the_last(tmp_path: Path, pki: DemoPki) -> None:
    portal = make_portal(tmp_path / "p", pki)
    root = portal.root
    for n, letter in enumerate(demo_letters()[:3]):
        portal.add(f"2026/{n:02d}.pdf", sign(letter, pki))
    clerk_git(root, "init", "-q", "-b", "main")
    clerk_git(root, "add", "-A")
    clerk_git(root, "commit", "-qm", "Công bố", when="2026-11-03T12:00:00+07:00")
    memory = BuildMemory()

    def build() -> BuildReport:
        return collect(load_config(root / "portal.yml"), BuildOptions(memory=memory))

    first = build()
    assert len(first.documents) == 3 and not _history(first) and not first.withdrawn
    assert not _history(build())

    clerk_git(root, "mv", "documents/2026/01.pdf", "documents/2026/01-x.pdf")
    clerk_git(root, "commit", "-qm", "Đổi tên", when="2026-11-04T09:00:00+07:00")
    assert _history(build()) == {"documents/2026/01-x.pdf": ["moved"]}

    # Back at its first path: a path added, removed and added again, after its publication.
    clerk_git(root, "mv", "documents/2026/01-x.pdf", "documents/2026/01.pdf")
    clerk_git(root, "commit", "-qm", "Trả lại tên", when="2026-11-05T09:00:00+07:00")
    assert _history(build()) == {"documents/2026/01.pdf": ["file-changed", "moved"]}

    (root / "documents" / "2026" / "00.yml").write_text("urgency: Hỏa tốc\n", encoding="utf-8")
    clerk_git(root, "add", "-A")
    clerk_git(root, "commit", "-qm", "Khai báo độ khẩn", when="2026-11-06T09:00:00+07:00")
    assert _history(build()) == {"documents/2026/00.pdf": ["sidecar-added"],
                                 "documents/2026/01.pdf": ["file-changed", "moved"]}

    # The same number of changes, another commit: the history names the commit that is there now.
    clerk_git(root, "commit", "-q", "--amend", "-m", "Khai báo độ khẩn (sửa)", when="2026-11-06T10:00:00+07:00")
    amended = next(d for d in build().documents if d.source.path == "documents/2026/00.pdf")
    assert [e.summary for e in amended.history] == ["Khai báo độ khẩn (sửa)"]

    clerk_git(root, "rm", "-q", "documents/2026/02.pdf")
    clerk_git(root, "commit", "-qm", "Thu hồi", when="2026-11-07T09:00:00+07:00")
    withdrawn = build()
    assert [w.source.path for w in withdrawn.withdrawn] == ["documents/2026/02.pdf"]
    assert sorted(d.source.path for d in withdrawn.documents) == ["documents/2026/00.pdf", "documents/2026/01.pdf"]
    assert build().withdrawn == withdrawn.withdrawn
