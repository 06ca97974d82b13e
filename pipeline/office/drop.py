"""The drop folder (issue 7).

Publishing is saving a file: the clerk puts a signed PDF into the inbox folder and

1. the watcher waits until the file has finished being written: its size and modification time have
   not changed for `settle` seconds, it starts with `%PDF-` and ends with `%%EOF`. A partial copy is
   never read for a decision, never moved; one that stays incomplete for `abandon_after` seconds is
   set aside with an explanation (a stalled copy or a damaged file);
2. it is examined and judged exactly as the build does (build.check: the examine and decide stages),
   with the sidecar `name.yml` beside it if there is one;
3. a publishable file is moved to documents/<year>/<date>-<number>.pdf (accent-free) and committed
   alone ("Công bố: 78/LĐLĐ – V/v ..."), then pushed with --push; a refused one is moved to
   <inbox>/bi-tu-choi/ with a .txt beside it saying, in Vietnamese, what is wrong and what to do.

Nothing is ever deleted and nothing is overwritten: a move is a hard link that fails on an existing
name (or an exclusive-create copy), and a taken name gets "-2", "-3"... A busy repository
(.git/index.lock) postpones the work; a failed commit or push is retried with a growing delay and
said so; the committed documents stay committed on this machine meanwhile. Files are taken from the
top level of the inbox only; the watcher reads portal.yml once, when it starts.

Just over 400 lines: the drop folder's states (waiting, deciding, moving, committing, pushing) share one
set of retry bookkeeping that reads best in one place. watchdog is in watcher.py, the clerk's texts in
messages.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.build import BuildOptions, check
from pipeline.config import PortalConfig
from pipeline.decide.evaluate import Evaluation
from pipeline.decide.sidecar import sidecar_files
from pipeline.examine.limits import Limits
from pipeline.history import GitBusy, GitFailure, commit_paths, index_lock, is_repository, push
from pipeline.messages import document_title, explanation, not_pdf_explanation, reason_text
from pipeline.office.watcher import FolderWake
from pipeline.present import VIETNAM, document_slug
from pipeline.records import Metadata, SourceFile

REFUSED_DIR = "bi-tu-choi"
# Files in the inbox that are not documents and get no note: sidecars, notes, and what browsers, office
# suites and copy tools leave while a file is still being written.
NOT_DOCUMENT_SUFFIXES = frozenset({".yml", ".yaml", ".txt", ".part", ".crdownload", ".download", ".tmp",
                                   ".partial", ".swp"})
_TAIL = 1024


@dataclass(frozen=True)
class WatchOptions:
    settle: float = 2.0  # seconds without a change of size or mtime before a file is read
    poll: float = 1.0  # seconds between scans when watchdog reports nothing
    abandon_after: float = 600.0  # seconds an incomplete PDF may stay unchanged before it is set aside
    push: bool = False
    remote: str = "origin"
    retry_first: float = 5.0  # first delay before retrying a busy repository, a commit or a push
    retry_max: float = 300.0
    limits: Limits = field(default_factory=Limits)


@dataclass(frozen=True)
class Outcome:
    kind: str  # "published" | "refused" | "duplicate" | "incomplete"
    name: str  # the file's name in the inbox
    destination: Path
    sha256: str = ""


@dataclass
class _Retry:
    due: float
    delay: float


@dataclass
class _PendingCommit:
    paths: list[str]
    message: str
    title: str
    retry: _Retry


@dataclass
class _Seen:
    key: tuple[int, int]  # size, mtime_ns
    since: float
    told_waiting: bool = False


class SetupError(Exception):
    """The watcher cannot start (not a git repository, inbox inside documents/...)."""


def is_complete_pdf(path: Path) -> bool | None:
    """True: a whole PDF (header and final %%EOF); False: a PDF still being written; None: not a PDF."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(_TAIL)
        handle.seek(max(0, size - _TAIL))
        tail = handle.read()
    if b"%PDF-" not in head:
        return None
    return tail.rstrip(b"\r\n\t\f \x00").endswith(b"%%EOF")


def move_no_clobber(source: Path, target: Path) -> None:
    """Move `source` to `target`, failing with FileExistsError rather than replacing anything."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except FileExistsError:
        raise
    except OSError:  # another file system, or one without hard links: copy, never overwrite
        with source.open("rb") as src, target.open("xb") as dst:
            shutil.copyfileobj(src, dst)
        shutil.copystat(source, target)
    os.unlink(source)


def _sidecars_beside(pdf: Path) -> tuple[Path, ...]:
    """The sidecar of `pdf` in any spelling, and files that only look like one: they go where it goes."""
    found = sidecar_files(pdf)
    return tuple(p for p in (*found.found, *found.lookalikes) if p.is_file())


def write_note(note: Path, text: str) -> None:
    """A note for the clerk, whole or not at all and never over an existing file: written beside it,
    then linked in (FileExistsError when `note` exists). UTF-8 with a BOM, so that Notepad on an
    office PC shows the diacritics (the texts carry their own CRLF line ends)."""
    scratch = note.with_name(f".{note.name}.{os.getpid()}.tmp")
    with scratch.open("w", encoding="utf-8-sig", newline="") as handle:
        handle.write(text)
    try:
        os.link(scratch, note)
    finally:
        scratch.unlink()


def free_stem(folder: Path, stem: str, suffixes: Iterable[str]) -> str:
    """`stem`, or `stem-2`, `stem-3`... : the first for which no file with any of `suffixes` exists."""
    suffixes = tuple(suffixes)
    candidate, number = stem, 1
    while any((folder / f"{candidate}{suffix}").exists() for suffix in suffixes):
        number += 1
        candidate = f"{stem}-{number}"
    return candidate


def _seconds(delay: float) -> int:
    return max(1, round(delay))


def _now() -> dt.datetime:
    return dt.datetime.now(tz=VIETNAM)


class DropFolder:
    """Watches `inbox`, publishes what the policy accepts, sets aside what it refuses."""

    def __init__(self, config: PortalConfig, inbox: Path, options: WatchOptions = WatchOptions(),
                 say: Callable[[str], None] = print, clock: Callable[[], float] = time.monotonic) -> None:
        self.config = config
        self.root = config.root.resolve()
        self.inbox = inbox.resolve()
        self.refused = self.inbox / REFUSED_DIR
        self.options = options
        self._say = say
        self._clock = clock
        self._seen: dict[Path, _Seen] = {}
        self._hold: dict[Path, float] = {}  # path -> not before (after a failed move)
        self._commits: list[_PendingCommit] = []
        self._push: _Retry | None = None
        self._push_failures = 0
        self._busy: _Retry | None = None
        self._wake = threading.Event()
        self.outcomes: list[Outcome] = []
        self._told_not_pdf: set[Path] = set()
        self._check_setup()

    # -- setup and messages ------------------------------------------------------------------------

    def _check_setup(self) -> None:
        documents = self.root / "documents"
        if not is_repository(self.root):
            raise SetupError(f"{self.root} không phải kho git; cần chạy lệnh trong thư mục của Trang tin "
                             "(nơi có portal.yml và thư mục .git).")
        if self.inbox == self.root or self.inbox.is_relative_to(documents) or documents.is_relative_to(self.inbox):
            raise SetupError(f"thư mục nhận {self.inbox} không được trùng hoặc nằm trong documents/; "
                             "hãy dùng một thư mục riêng, ví dụ inbox/.")
        self.inbox.mkdir(parents=True, exist_ok=True)
        self.refused.mkdir(exist_ok=True)

    def say(self, message: str) -> None:
        self._say(f"[{_now():%H:%M:%S}] {message}")

    def _shown(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else str(path)

    # -- the loop ----------------------------------------------------------------------------------

    def run(self, stop: threading.Event | None = None) -> None:
        """Watch until `stop` is set (or Ctrl+C)."""
        stop = stop or threading.Event()
        waking = FolderWake(self.inbox, self._wake)
        waking.start()
        self.say(f"Đang theo dõi thư mục nhận {self._shown(self.inbox)}/: đặt tệp PDF đã ký số vào đây để công bố. "
                 f"Tệp bị từ chối được chuyển vào {self._shown(self.refused)}/ kèm tệp .txt giải thích.")
        try:
            while not stop.is_set():
                try:
                    self.step()
                except Exception as exc:  # the watcher outlives whatever one pass runs into
                    self.say(f"Lỗi không mong đợi: {type(exc).__name__}: {exc}. Các tệp vẫn ở nguyên chỗ cũ; "
                             "tiếp tục theo dõi.")
                    stop.wait(self.options.retry_first)
                self._wake.wait(self.options.poll)
                self._wake.clear()
        except KeyboardInterrupt:
            pass
        finally:
            waking.stop()
            self._farewell()

    def _farewell(self) -> None:
        for pending in self._commits:
            self.say(f"CHÚ Ý: {', '.join(pending.paths)} đã nằm trong documents/ nhưng CHƯA được commit "
                     f"({pending.title}). Chạy lại lệnh watch, hoặc commit tệp này bằng git.")
        if self._push is not None:
            self.say("CHÚ Ý: còn văn bản đã commit trên máy này nhưng chưa đẩy lên máy chủ; "
                     "chạy lại lệnh watch --push hoặc git push.")
        self.say("Đã dừng theo dõi.")

    def step(self) -> None:
        """One pass: retry what is owed, then take every file that is ready."""
        now = self._clock()
        self._retry_commits(now)
        ready = self._ready(now)
        if ready and self._repository_busy(now):
            ready = []
        if ready:
            self._process(ready)
        self._maybe_push(self._clock())

    # -- readiness ---------------------------------------------------------------------------------

    def _ready(self, now: float) -> list[Path]:
        ready = []
        present = set()
        try:
            names = sorted(self.inbox.iterdir())
        except FileNotFoundError:  # someone removed the inbox: make it again
            self.inbox.mkdir(parents=True, exist_ok=True)
            return []
        for path in names:
            if path.name.startswith((".", "~$")) or not path.is_file():
                continue
            if path.suffix.lower() != ".pdf":
                self._explain_not_pdf(path)
                continue
            present.add(path)
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            key = (stat.st_size, stat.st_mtime_ns)
            seen = self._seen.get(path)
            if seen is None or seen.key != key:
                self._seen[path] = _Seen(key, now)
                continue
            if now - seen.since < self.options.settle or stat.st_size == 0 or now < self._hold.get(path, 0.0):
                continue
            try:
                complete = is_complete_pdf(path)
            except OSError:
                continue
            if complete is False and now - seen.since < self.options.abandon_after:
                if not seen.told_waiting:
                    self.say(f"Đang chờ tệp {path.name} được chép xong (chưa có phần kết thúc của tệp PDF).")
                    seen.told_waiting = True
                continue
            ready.append(path)
        for gone in set(self._seen) - present:
            del self._seen[gone]
            self._hold.pop(gone, None)
        return ready

    def _explain_not_pdf(self, path: Path) -> None:
        """A file that is not a PDF (a .docx, a photo...) is never published: say so once, in a note
        beside it, and leave the file where it is."""
        if path.suffix.lower() in NOT_DOCUMENT_SUFFIXES or path in self._told_not_pdf:
            return
        self._told_not_pdf.add(path)
        note = path.with_name(f"{path.name}.txt")
        if note.exists():
            return
        try:
            write_note(note, not_pdf_explanation(path.name))
        except OSError:
            return
        self.say(f"BỎ QUA {path.name}: không phải tệp PDF đã ký số; xem hướng dẫn trong {self._shown(note)}.")

    def _repository_busy(self, now: float) -> bool:
        lock = index_lock(self.root)
        if lock is None:
            if self._busy is not None:
                self.say("Kho git đã hết bận; tiếp tục xử lý.")
                self._busy = None
            return False
        if self._busy is None or now >= self._busy.due:
            delay = self._busy.delay * 2 if self._busy else self.options.retry_first
            delay = min(delay, self.options.retry_max)
            self.say(f"Kho git đang bận (có tệp {self._shown(lock)}); các tệp mới vẫn nằm an toàn trong thư mục "
                     f"nhận, sẽ thử lại. Nếu không có chương trình git nào đang chạy, hãy xóa tệp {lock.name}.")
            self._busy = _Retry(now + delay, delay)
        return True

    # -- deciding ----------------------------------------------------------------------------------

    def _process(self, ready: list[Path]) -> None:
        snapshots: dict[str, tuple[Path, bytes, tuple[int, int]]] = {}
        jobs = []
        incomplete = []
        for path in ready:
            try:
                before = path.stat()
                data = path.read_bytes()
                after = path.stat()
            except FileNotFoundError:
                continue
            if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns) or len(data) != after.st_size:
                self._seen.pop(path, None)  # still changing: start waiting again
                continue
            sha = hashlib.sha256(data).hexdigest()
            if is_complete_pdf(path) is False:
                incomplete.append((path, sha))
                continue
            snapshots[str(path)] = (path, data, (after.st_size, after.st_mtime_ns))
            jobs.append(SourceFile(str(path), sha, len(data)))
        for path, sha in incomplete:
            self._set_aside(path, sha, None, "incomplete", extra=((
                "Tệp PDF chưa hoàn chỉnh: việc chép tệp bị dừng giữa chừng hoặc tệp bị hỏng "
                "(không có phần kết thúc %%EOF).",
                "Chép lại tệp từ bản gốc đã ký số vào thư mục nhận.", ""),))
        if not jobs:
            return
        outcomes = check(self.config, tuple(jobs), BuildOptions(limits=self.options.limits))
        for job, outcome in zip(jobs, outcomes, strict=True):
            path, data, stamp = snapshots[job.path]
            try:
                changed = (path.stat().st_size, path.stat().st_mtime_ns) != stamp
            except FileNotFoundError:
                continue
            if changed:
                self._seen.pop(path, None)
                self.say(f"Tệp {path.name} thay đổi trong lúc kiểm tra; sẽ kiểm tra lại.")
                continue
            try:
                if outcome.reasons or outcome.metadata is None:
                    self._set_aside(path, job.sha256, outcome, "refused")
                else:
                    self._publish(path, job.sha256, outcome, outcome.metadata)
            except OSError as exc:  # a file held open by another program, a full disk, a read-only share...
                self._hold[path] = self._clock() + self.options.retry_first
                self.say(f"Chưa chuyển được tệp {path.name}: {exc.strerror or exc}. Tệp vẫn ở nguyên chỗ cũ; "
                         f"sẽ thử lại sau {_seconds(self.options.retry_first)} giây.")

    # -- refusing ----------------------------------------------------------------------------------

    def _set_aside(self, path: Path, sha: str, evaluation: Evaluation | None, kind: str,
                   extra: tuple[tuple[str, str, str], ...] = ()) -> Path | None:
        received = _now()
        beside = _sidecars_beside(path)
        tails = tuple(side.name[len(path.stem):] for side in beside)  # ".yml", ".YAML", ".pdf.yml"...
        while True:
            stem = free_stem(self.refused, path.stem, (".pdf", ".yml", ".txt", *tails))
            target = self.refused / f"{stem}.pdf"
            try:
                move_no_clobber(path, target)
                break
            except FileExistsError:
                continue
            except FileNotFoundError:
                return None
        for side, tail in zip(beside, tails, strict=True):  # every spelling travels with its PDF
            try:
                move_no_clobber(side, self.refused / f"{stem}{tail}")
            except OSError as exc:
                self.say(f"Không chuyển được tệp khai báo {side.name}: {exc}")
        note = self.refused / f"{stem}.txt"
        text = explanation(path.name, received, evaluation.reasons if evaluation is not None else None,
                           self._shown(self.inbox), REFUSED_DIR, extra)
        write_note(note, text)
        self._seen.pop(path, None)
        self.outcomes.append(Outcome(kind, path.name, target, sha))
        first = extra[0][0] if extra else (reason_text(evaluation.reasons[0].code) if evaluation and evaluation.reasons
                                           else "không đọc được thông tin văn bản")
        self.say(f"TỪ CHỐI {path.name}: {first} Đã chuyển vào {self._shown(target)}; xem giải thích trong "
                 f"{self._shown(note)}.")
        return target

    # -- publishing --------------------------------------------------------------------------------

    def _publish(self, path: Path, sha: str, evaluation: Evaluation, metadata: Metadata) -> None:
        year = metadata.issued_date.year if metadata.issued_date else _now().year
        folder = self.root / "documents" / f"{year:04d}"
        slug = document_slug(metadata, sha)
        stem = slug
        number = 1
        while True:
            target = folder / f"{stem}.pdf"
            if target.exists() and hashlib.sha256(target.read_bytes()).hexdigest() == sha:
                self._set_aside(path, sha, None, "duplicate", extra=((
                    f"Văn bản này đã được công bố trước đây (tệp {self._shown(target)}); tệp trùng không được "
                    "đăng lại.", "Không cần làm gì thêm. Nếu muốn thay thế văn bản, hãy nộp bản mới có số, ngày "
                    "hoặc nội dung khác.", ""),))
                return
            if not target.exists() and not any(target.with_suffix(s).exists() for s in (".yml", ".yaml")):
                try:
                    move_no_clobber(path, target)
                    break
                except FileExistsError:
                    pass
                except FileNotFoundError:
                    return
            number += 1
            stem = f"{slug}-{number}"
        if hashlib.sha256(target.read_bytes()).hexdigest() != sha:  # replaced between reading and moving
            self.say(f"Tệp {path.name} đã bị thay bằng nội dung khác trong lúc kiểm tra; không công bố.")
            self._set_aside(target, sha, None, "refused", extra=((
                "Tệp bị thay đổi trong lúc đang kiểm tra.", "Đặt lại tệp vào thư mục nhận một lần nữa.", ""),))
            return
        paths = [target.relative_to(self.root).as_posix()]
        for side in _sidecars_beside(path):  # one `NAME.yml`/`.yaml` (anything else was refused)
            sidecar_target = target.with_suffix(".yml")
            move_no_clobber(side, sidecar_target)
            paths.append(sidecar_target.relative_to(self.root).as_posix())
        self._seen.pop(path, None)
        self.outcomes.append(Outcome("published", path.name, target, sha))
        title = document_title(metadata)
        body = f"Tệp nhận: {path.name}\nSHA-256: {sha}\nChuyển từ thư mục nhận bởi congbo watch."
        if evaluation.warnings:
            body += "\nLưu ý: " + "; ".join(evaluation.warnings)
        if number > 1:
            self.say(f"Đã có tệp {slug}.pdf khác nội dung; văn bản mới được lưu thành {target.name} (không ghi đè).")
        pending = _PendingCommit(paths, f"Công bố: {title}\n\n{body}\n", title,
                                 _Retry(self._clock(), self.options.retry_first))
        if not self._commit(pending):
            self._commits.append(pending)

    def _commit(self, pending: _PendingCommit) -> bool:
        try:
            commit = commit_paths(self.root, pending.paths, pending.message)
        except GitBusy as exc:
            self._postpone(pending, f"kho git đang bận ({exc})")
            return False
        except GitFailure as exc:
            self._postpone(pending, f"git báo: «{exc}»")
            return False
        self.say(f"ĐÃ CÔNG BỐ {pending.title} → {pending.paths[0]} (commit {commit[:10]}).")
        if self.options.push:
            self._push = self._push or _Retry(self._clock(), self.options.retry_first)
        return True

    def _postpone(self, pending: _PendingCommit, why: str) -> None:
        pending.retry = _Retry(self._clock() + pending.retry.delay, min(pending.retry.delay * 2,
                                                                         self.options.retry_max))
        self.say(f"Chưa commit được {pending.paths[0]}: {why}. Tệp đã nằm trong documents/, không bị mất; "
                 f"sẽ thử lại sau {_seconds(pending.retry.due - self._clock())} giây.")

    def _retry_commits(self, now: float) -> None:
        waiting = []
        for pending in self._commits:
            if now >= pending.retry.due and self._commit(pending):
                continue
            waiting.append(pending)
        self._commits = waiting

    def _maybe_push(self, now: float) -> None:
        retry = self._push
        if retry is None or now < retry.due:
            return
        try:
            push(self.root, self.options.remote)
        except (GitBusy, GitFailure) as exc:
            self._push_failures += 1
            self._push = _Retry(now + retry.delay, min(retry.delay * 2, self.options.retry_max))
            self.say(f"Chưa đẩy được lên máy chủ ({self.options.remote}); git báo: «{exc}». Các văn bản đã commit "
                     f"trên máy này, không bị mất; sẽ thử lại sau {_seconds(retry.delay)} giây.")
            return
        again = " sau khi thử lại" if self._push_failures else ""
        self.say(f"Đã đẩy lên máy chủ ({self.options.remote}){again}.")
        self._push = None
        self._push_failures = 0


