"""Issue 7: the drop folder. A real watcher (watchdog) in a temporary git repository with real signed
PDFs: a good file ends up committed under documents/<year>/, a bad one in inbox/bi-tu-choi/ with a
Vietnamese explanation, a half-written file is not read early, two files with the same name both
survive, and a locked repository or a failed push is waited out and said."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from kit import Portal, make_portal, sign

from corpus.letters import demo_letters, render_letter
from corpus.pki import DemoPki
from pipeline.config import load_config
from pipeline.office.drop import REFUSED_DIR, DropFolder, SetupError, WatchOptions

FAST = WatchOptions(settle=0.3, poll=0.1, retry_first=0.3, retry_max=1.0)


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path: Path, pki: DemoPki) -> Portal:
    portal = make_portal(tmp_path / "repo", pki)
    _git(portal.root, "init", "-q", "-b", "main")
    _git(portal.root, "config", "user.name", "Văn thư")
    _git(portal.root, "config", "user.email", "vanthu@example.org")
    _git(portal.root, "add", "-A")
    _git(portal.root, "commit", "-qm", "Khởi tạo")
    return portal


@dataclasses.dataclass
class Running:
    folder: DropFolder
    inbox: Path
    said: list[str]

    @property
    def refused(self) -> Path:
        return self.inbox / REFUSED_DIR

    def drop(self, name: str, data: bytes) -> Path:
        """Write as a copy tool does: a temporary name, then a rename into the inbox."""
        scratch = self.inbox.parent / f".{name}.part"
        scratch.write_bytes(data)
        target = self.inbox / name
        os.replace(scratch, target)
        return target

    def log(self) -> str:
        return "\n".join(self.said)


@pytest.fixture
def watcher(repo: Portal) -> Iterator[Callable[..., Running]]:
    stops: list[tuple[threading.Event, threading.Thread]] = []

    def start(options: WatchOptions = FAST) -> Running:
        said: list[str] = []
        inbox = repo.root / "inbox"
        folder = DropFolder(load_config(repo.root / "portal.yml"), inbox, options, say=said.append)
        stop = threading.Event()
        thread = threading.Thread(target=folder.run, args=(stop,), daemon=True)
        thread.start()
        stops.append((stop, thread))
        return Running(folder, inbox, said)

    yield start
    for stop, thread in stops:
        stop.set()
        thread.join(timeout=30)


def wait_for(condition: Callable[[], object], timeout: float = 60.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what or condition}")


def commits(root: Path) -> list[str]:
    return _git(root, "log", "--format=%s").splitlines()


def committed_files(root: Path, rev: str = "HEAD") -> list[str]:
    return _git(root, "show", "--name-only", "--format=", rev).split()


def test_a_good_file_is_moved_into_documents_and_committed(repo: Portal, pki: DemoPki, watcher) -> None:
    letter = demo_letters()[12]  # 305/LĐLĐ of 03/11/2026
    running = watcher()
    running.drop("Cong van 305.pdf", sign(letter, pki))
    target = repo.root / "documents/2026/2026-11-03-305-ldld.pdf"
    wait_for(lambda: commits(repo.root)[0].startswith("Công bố:"), what="the publication commit")
    assert target.is_file() and not (running.inbox / "Cong van 305.pdf").exists()
    assert commits(repo.root)[0] == f"Công bố: 305/LĐLĐ – {letter.subject}"
    assert committed_files(repo.root) == ["documents/2026/2026-11-03-305-ldld.pdf"]
    body = _git(repo.root, "log", "-1", "--format=%b")
    assert "Tệp nhận: Cong van 305.pdf" in body and "SHA-256:" in body
    wait_for(lambda: "ĐÃ CÔNG BỐ 305/LĐLĐ" in running.log(), what="the log line")  # written after the commit
    assert not list(running.refused.iterdir())


def test_a_bad_file_is_set_aside_with_a_vietnamese_explanation(repo: Portal, pki: DemoPki, watcher) -> None:
    running = watcher()
    before = commits(repo.root)
    running.drop("chua-ky.pdf", render_letter(demo_letters()[3]))  # never signed
    note = running.refused / "chua-ky.txt"
    wait_for(note.is_file, what="the explanation")
    assert (running.refused / "chua-ky.pdf").read_bytes() == render_letter(demo_letters()[3])
    text = note.read_text(encoding="utf-8-sig")
    assert "Tệp: chua-ky.pdf" in text and "KHÔNG CÔNG BỐ" in text
    assert "Lý do: Văn bản chưa được ký số" in text
    assert "Cần làm: Ký số văn bản theo đúng thứ tự" in text
    assert note.read_bytes().startswith(b"\xef\xbb\xbf") and b"\r\n" in note.read_bytes()  # Notepad-friendly
    assert commits(repo.root) == before
    wait_for(lambda: "TỪ CHỐI chua-ky.pdf" in running.log(), what="the refusal line")
    assert not list((repo.root / "documents").rglob("*.pdf"))


def test_a_secret_and_a_file_that_is_not_a_pdf_are_refused_and_the_watcher_goes_on(
        repo: Portal, pki: DemoPki, watcher) -> None:
    running = watcher()
    secret = dataclasses.replace(demo_letters()[1], number="999/TB-LĐLĐ", type_name="Thông báo", secrecy="MẬT",
                                 subject="thông báo nội bộ cần giữ kín")
    running.drop("mat.pdf", sign(secret, pki))
    running.drop("hong.pdf", b"PK\x03\x04 this is a Word file renamed to .pdf" * 50)
    wait_for(lambda: (running.refused / "mat.txt").is_file() and (running.refused / "hong.txt").is_file(),
             what="both explanations")
    assert "tuyệt đối không được đăng" in (running.refused / "mat.txt").read_text(encoding="utf-8-sig")
    assert "Không đọc được tệp PDF" in (running.refused / "hong.txt").read_text(encoding="utf-8-sig")
    running.drop("tot.pdf", sign(demo_letters()[13], pki))  # still alive
    wait_for(lambda: commits(repo.root)[0].startswith("Công bố: 309/TB-LĐLĐ"), what="the next publication")


def test_a_file_that_is_not_a_pdf_gets_a_note_and_stays_where_it_is(repo: Portal, pki: DemoPki, watcher) -> None:
    """Issue 18: a .docx dropped into the inbox is not ignored without a word."""
    running = watcher()
    word = b"PK\x03\x04 a Word document" * 20
    running.drop("Cong van 310.docx", word)
    running.drop("ghi-chu.yml", b"subject: not a document\n")  # sidecars and notes get no note
    note = running.inbox / "Cong van 310.docx.txt"
    wait_for(note.is_file, what="the note")
    text = note.read_text(encoding="utf-8-sig")
    assert "Tệp: Cong van 310.docx" in text and "chỉ đăng văn bản PDF đã ký số" in text and "lưu thành tệp .pdf" in text
    assert note.read_bytes().startswith(b"\xef\xbb\xbf") and b"\r\n" in note.read_bytes()
    assert (running.inbox / "Cong van 310.docx").read_bytes() == word  # left alone, never moved or deleted
    assert not (running.inbox / "ghi-chu.yml.txt").exists()
    assert not (running.inbox / "Cong van 310.docx.txt.txt").exists()
    assert running.log().count("BỎ QUA Cong van 310.docx") == 1
    running.drop("tot.pdf", sign(demo_letters()[13], pki))  # and the watcher goes on
    wait_for(lambda: commits(repo.root)[0].startswith("Công bố: 309/TB-LĐLĐ"), what="the next publication")
    assert running.log().count("BỎ QUA Cong van 310.docx") == 1  # said once, not on every pass


def test_a_half_written_file_is_not_read_early(repo: Portal, pki: DemoPki, watcher) -> None:
    data = sign(demo_letters()[13], pki)
    running = watcher()
    partial = running.inbox / "dang-chep.pdf"
    with partial.open("wb") as handle:
        handle.write(data[: len(data) // 2])
        handle.flush()
        time.sleep(FAST.settle * 6)  # far longer than the settle period: size is stable, but no %%EOF
        assert partial.exists(), "a partial copy must not be moved"
        assert not list(running.refused.iterdir())
        assert not list((repo.root / "documents").rglob("*.pdf"))
        assert "Đang chờ tệp dang-chep.pdf được chép xong" in running.log()
        handle.write(data[len(data) // 2:])
    wait_for(lambda: commits(repo.root)[0].startswith("Công bố: 309/TB-LĐLĐ"), what="the completed file")
    assert (repo.root / "documents/2026/2026-11-09-309-tb-ldld.pdf").read_bytes() == data


def test_a_copy_that_never_completes_is_set_aside_not_lost(repo: Portal, pki: DemoPki, watcher) -> None:
    data = sign(demo_letters()[13], pki)
    running = watcher(dataclasses.replace(FAST, abandon_after=1.0))
    (running.inbox / "dut-giua-chung.pdf").write_bytes(data[:5000])
    note = running.refused / "dut-giua-chung.txt"
    wait_for(note.is_file, what="the explanation of the incomplete file")
    assert "chưa hoàn chỉnh" in note.read_text(encoding="utf-8-sig")
    assert (running.refused / "dut-giua-chung.pdf").read_bytes() == data[:5000]


def test_two_files_with_the_same_name_both_survive(repo: Portal, pki: DemoPki, watcher) -> None:
    running = watcher()
    unsigned = [render_letter(demo_letters()[i]) for i in (3, 4)]
    running.drop("van-ban.pdf", unsigned[0])
    wait_for((running.refused / "van-ban.txt").is_file, what="the first refusal")
    running.drop("van-ban.pdf", unsigned[1])
    wait_for((running.refused / "van-ban-2.txt").is_file, what="the second refusal")
    assert (running.refused / "van-ban.pdf").read_bytes() == unsigned[0]
    assert (running.refused / "van-ban-2.pdf").read_bytes() == unsigned[1]

    # Same number and date, different bytes (signed again later): both published, neither overwritten.
    letter = demo_letters()[13]
    first = sign(letter, pki)
    second = sign(dataclasses.replace(letter, body=(*letter.body, "Bản ký lại.")), pki)
    running.drop("309.pdf", first)
    wait_for(lambda: commits(repo.root)[0].startswith("Công bố: 309/TB-LĐLĐ"), what="the first 309")
    running.drop("309.pdf", second)
    wait_for(lambda: (repo.root / "documents/2026/2026-11-09-309-tb-ldld-2.pdf").is_file()
             and len([c for c in commits(repo.root) if c.startswith("Công bố: 309")]) == 2, what="the second 309")
    assert (repo.root / "documents/2026/2026-11-09-309-tb-ldld.pdf").read_bytes() == first
    assert (repo.root / "documents/2026/2026-11-09-309-tb-ldld-2.pdf").read_bytes() == second
    wait_for(lambda: "không ghi đè" in running.log(), what="the no-overwrite line")

    # The very same bytes again: already published, set aside with a note, nothing committed.
    count = len(commits(repo.root))
    running.drop("309.pdf", first)
    wait_for((running.refused / "309.txt").is_file, what="the duplicate note")
    assert "đã được công bố trước đây" in (running.refused / "309.txt").read_text(encoding="utf-8-sig")
    assert len(commits(repo.root)) == count


def test_a_sidecar_travels_with_its_pdf(repo: Portal, pki: DemoPki, watcher) -> None:
    running = watcher()
    (running.inbox / "309.yml").write_text("place: Thành phố Tân Mẫu\n", encoding="utf-8")
    running.drop("309.pdf", sign(demo_letters()[13], pki))
    wait_for(lambda: commits(repo.root)[0].startswith("Công bố:"), what="the commit")
    assert sorted(committed_files(repo.root)) == ["documents/2026/2026-11-09-309-tb-ldld.pdf",
                                                  "documents/2026/2026-11-09-309-tb-ldld.yml"]


def test_only_the_published_file_is_committed_never_what_else_is_staged(repo: Portal, pki: DemoPki, watcher) -> None:
    (repo.root / "content" / "nhap.md").write_text("# Bản nháp\n", encoding="utf-8")
    _git(repo.root, "add", "content/nhap.md")
    running = watcher()
    running.drop("309.pdf", sign(demo_letters()[13], pki))
    wait_for(lambda: commits(repo.root)[0].startswith("Công bố:"), what="the commit")
    assert committed_files(repo.root) == ["documents/2026/2026-11-09-309-tb-ldld.pdf"]
    assert "content/nhap.md" in _git(repo.root, "diff", "--cached", "--name-only")


def test_a_locked_repository_is_waited_for_and_said(repo: Portal, pki: DemoPki, watcher) -> None:
    lock = repo.root / ".git" / "index.lock"
    lock.write_text("")
    running = watcher()
    dropped = running.drop("309.pdf", sign(demo_letters()[13], pki))
    wait_for(lambda: "Kho git đang bận" in running.log(), what="the busy message")
    time.sleep(1.0)
    assert dropped.exists(), "the file waits in the inbox while the repository is locked"
    assert not commits(repo.root)[0].startswith("Công bố:")
    lock.unlink()
    wait_for(lambda: commits(repo.root)[0].startswith("Công bố:"), what="the commit after the lock went")
    wait_for(lambda: "Kho git đã hết bận" in running.log(), what="the line after the lock")


def test_a_failed_push_is_retried_and_the_commit_is_never_lost(repo: Portal, pki: DemoPki, watcher,
                                                               tmp_path: Path) -> None:
    remote = tmp_path / "may-chu.git"
    _git(repo.root, "remote", "add", "origin", str(remote))
    running = watcher(dataclasses.replace(FAST, push=True))
    running.drop("309.pdf", sign(demo_letters()[13], pki))
    wait_for(lambda: "Chưa đẩy được lên máy chủ" in running.log(), what="the failed push")
    assert commits(repo.root)[0].startswith("Công bố: 309/TB-LĐLĐ")  # committed locally all the same
    wait_for(lambda: "không bị mất; sẽ thử lại" in running.log(), what="the will-retry line")
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    wait_for(lambda: "Đã đẩy lên máy chủ (origin) sau khi thử lại." in running.log(), what="the retried push")
    pushed = subprocess.run(["git", "log", "--format=%s", "main"], cwd=remote, check=True, capture_output=True,
                            text=True).stdout
    assert pushed.startswith("Công bố: 309/TB-LĐLĐ")


def test_the_inbox_must_not_be_inside_documents(repo: Portal) -> None:
    with pytest.raises(SetupError, match="documents/"):
        DropFolder(load_config(repo.root / "portal.yml"), repo.root / "documents" / "inbox", FAST)
