"""Git history and index (gitpython): publication times, staged files, every blob ever committed,
what happened to a file later, withdrawn files; and the drop folder's commits and pushes.
The only module that reads or writes git.

A document's publication time is the commit time of the first commit that introduced its exact
bytes anywhere under documents/. Keying by the git blob id rather than the path keeps the time
when a clerk renames or moves a file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import git

from pipeline import state
from pipeline.memory_store import dump_records, load_records  # records only, never code


def blob_id(data: bytes) -> str:
    """The id git gives these bytes as a blob (SHA-1 of the blob header and content)."""
    return hashlib.sha1(b"blob %d\x00" % len(data) + data, usedforsecurity=False).hexdigest()


def head_commit(root: Path) -> str:
    """The commit HEAD points at; "" when `root` is not a repository or has no commit yet. gitpython
    reads the refs itself (loose, packed, a worktree's own HEAD), without starting git."""
    try:
        repo = git.Repo(root, search_parent_directories=False)
        return repo.head.commit.hexsha if repo.head.is_valid() else ""
    except (git.InvalidGitRepositoryError, git.NoSuchPathError, ValueError):
        return ""


# The last answer of each history reading, by repository and folder, with the commit HEAD was at: a
# log of HEAD is the same for the same commit, and a long-running process (the preview, the drop
# folder's watcher) rebuilds mostly with HEAD where it was (a file written, not yet committed).
# Reading the whole log again cost 0.3 s per reading at 10,000 documents (issue 21). The answer is
# also kept in .congbo/ for the next process; when HEAD has moved on by commits without merges, only
# those commits are read and added (2.7 s per reading at 100,000 documents otherwise).
_LAST_READ: dict[tuple[str, str, str], tuple[str, Any]] = {}
_STORE_FORMAT = 1


def _at_head(kind: str, root: Path, folder: str, read: Callable[[str], Any], join: Callable[[Any, Any], Any]) -> Any:
    """`read(since)`: the reading of the commits after `since`, of all of them for "" (None when git
    failed); `join(earlier, later)`: one reading of both, as a whole reading would be."""
    head = head_commit(root)
    if not head:
        return read("")
    key = (kind, str(root.resolve()), folder)
    last = _LAST_READ.get(key) or _stored(root, kind, folder)
    if last is not None and last[0] == head:
        _LAST_READ[key] = last
        return last[1]
    later = read(last[0]) if last is not None and _only_new_commits(root, last[0]) else None
    found = join(last[1], later) if last is not None and later is not None else read("")
    if found is not None:
        _LAST_READ[key] = (head, found)
        _store(root, kind, folder, (head, found))
    return found


def _store_path(root: Path, kind: str, folder: str) -> Path:
    return state.folder(root) / f"history-{kind}-{hashlib.sha256(folder.encode()).hexdigest()[:8]}.pickle"


def _stored(root: Path, kind: str, folder: str) -> tuple[str, Any] | None:
    found = load_records(_store_path(root, kind, folder), f"history|{_STORE_FORMAT}|{kind}|{folder}")
    if isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], str):
        return found
    return None


def _store(root: Path, kind: str, folder: str, reading: tuple[str, Any]) -> None:
    try:
        dump_records(_store_path(root, kind, folder), f"history|{_STORE_FORMAT}|{kind}|{folder}", reading)
    except OSError:
        pass  # a read-only checkout: the next process reads the whole log again


def _only_new_commits(root: Path, since: str) -> bool:
    """Whether HEAD is `since` with commits on top and no merge among them: the log of HEAD is then
    the log of `since` followed by theirs (a walk from HEAD passes through them all before it
    reaches `since`). A rewritten history, a merge or a missing commit: read whole."""
    try:
        repo = git.Repo(root, search_parent_directories=False)
        try:
            repo.git.merge_base("--is-ancestor", since, "HEAD")
            return str(repo.git.rev_list("--min-parents=2", "--count", f"{since}..HEAD")).strip() == "0"
        finally:
            repo.close()
    except (git.InvalidGitRepositoryError, git.NoSuchPathError, git.GitCommandError, ValueError):
        return False


def _log(root: Path, since: str, *args: str) -> str | None:
    """`git log --reverse --no-renames --raw --no-abbrev ARGS [since..HEAD]`; None when git failed."""
    try:
        repo = git.Repo(root, search_parent_directories=False)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None
    try:
        if not repo.head.is_valid():
            return ""
        *options, folder = args
        span = [f"{since}..HEAD"] if since else []
        return str(repo.git.log("--reverse", "--no-renames", "--raw", "--no-abbrev", *options, *span, "--", folder))
    except git.GitCommandError:
        return None
    finally:
        repo.close()


def first_commit_times(root: Path, folder: str = "documents") -> dict[str, dt.datetime]:
    """Map git blob id -> time of the first commit that added it under `folder`.
    An empty map when `root` is not a git repository or has no commits."""
    def join(earlier: dict[str, dt.datetime], later: dict[str, dt.datetime]) -> dict[str, dt.datetime]:
        return earlier | {blob: when for blob, when in later.items() if blob not in earlier}

    return dict(_at_head("first", root, folder, lambda since: _first_commit_times(root, folder, since), join) or {})


def _first_commit_times(root: Path, folder: str, since: str = "") -> dict[str, dt.datetime] | None:
    log = _log(root, since, "--format=@%H %cI", "--diff-filter=AM", folder)
    if log is None:
        return None
    times: dict[str, dt.datetime] = {}
    current: dt.datetime | None = None
    for line in log.splitlines():
        if line.startswith("@"):
            current = dt.datetime.fromisoformat(line.split(" ", 1)[1])
        elif line.startswith(":") and current is not None:
            fields = line.split("\t", 1)[0].split()
            new_blob = fields[3]
            times.setdefault(new_blob, current)
    return times


def staged_files(root: Path, folder: str = "documents") -> list[tuple[str, bytes]]:
    """(path, staged bytes) of every file added, copied, modified or renamed in the index under
    `folder`: the bytes that would be committed, not the working tree's."""
    repo = git.Repo(root)
    names = repo.git.diff("--cached", "--name-only", "--diff-filter=ACMR", "-z", "--", folder)
    found = []
    for name in filter(None, names.split("\0")):
        entry = repo.index.entries.get((name, 0))
        if entry is not None:
            data = repo.git.cat_file("blob", entry.hexsha, stdout_as_string=False, strip_newline_in_stdout=False)
            found.append((name, data))
    repo.close()
    return found


@dataclasses.dataclass(frozen=True)
class HistoricalBlob:
    blob: str  # git blob id
    path: str
    commit: str
    author: str
    date: dt.datetime
    in_head: bool


def document_blobs(root: Path, folder: str = "documents") -> list[HistoricalBlob]:
    """Every file version ever committed under `folder` on any branch or tag, deleted ones included,
    each with the first commit that introduced it."""
    repo = git.Repo(root)
    if not repo.head.is_valid():
        return []
    log = repo.git.log("--all", "--reverse", "--no-renames", "--raw", "--no-abbrev", "--diff-filter=ACMR",
                       "--format=@%H%x09%an <%ae>%x09%cI", "--", folder)
    listing = repo.git.ls_tree("-r", "--full-tree", "HEAD", "--", folder)
    head_blobs = {line.split()[2] for line in listing.splitlines() if line}
    found: dict[tuple[str, str], HistoricalBlob] = {}
    commit = author = ""
    date = dt.datetime.min
    for line in log.splitlines():
        if line.startswith("@"):
            commit, author, stamp = line[1:].split("\t")
            date = dt.datetime.fromisoformat(stamp)
        elif line.startswith(":"):
            meta, path = line.split("\t", 1)
            blob = meta.split()[3]
            key = (blob, path)
            if key not in found:
                found[key] = HistoricalBlob(blob, path, commit, author, date, blob in head_blobs)
    return list(found.values())


def read_blob(root: Path, blob: str) -> bytes:
    repo = git.Repo(root)
    try:
        data: bytes = repo.git.cat_file("blob", blob, stdout_as_string=False, strip_newline_in_stdout=False)
    finally:
        repo.close()
    return data


# --- Life after publication (issue 7) ---------------------------------------------------------------

_NO_BLOB = "0" * 40


@dataclasses.dataclass(frozen=True)
class PathChange:
    """One file changed by one commit of the current branch (renames appear as a delete and an add)."""

    commit: str
    when: dt.datetime  # aware commit time
    status: str  # "A" added, "M" modified, "D" deleted, "T" type change
    path: str
    blob: str  # the new bytes' blob id; for a deletion, the removed bytes' blob id
    subject: str


@dataclasses.dataclass(frozen=True)
class RemovedFile:
    """A PDF that was committed under documents/ and whose bytes are nowhere in HEAD any more."""

    path: str
    blob: str
    # Files beside it that were (or looked like) its sidecar when it was removed, as (path, blob):
    # `NAME.yml`, `NAME.YAML`, `NAME.pdf.yml`... judged as the build judges them.
    sidecars: tuple[tuple[str, str], ...]
    published_at: dt.datetime  # first commit that added these bytes
    removed_at: dt.datetime
    commit: str  # the commit that removed it
    subject: str  # that commit's subject


def document_changes(root: Path, folder: str = "documents") -> list[PathChange]:
    """Every change under `folder` on the current branch, oldest first; [] without git history."""
    return list(_at_head("changes", root, folder, lambda since: _document_changes(root, folder, since),
                         lambda earlier, later: earlier + later) or [])


def _document_changes(root: Path, folder: str, since: str = "") -> list[PathChange] | None:
    log = _log(root, since, "--format=@%H%x09%cI%x09%s", folder)
    if log is None:
        return None
    changes: list[PathChange] = []
    commit, when, subject = "", dt.datetime.min.replace(tzinfo=dt.UTC), ""
    for line in log.splitlines():
        if line.startswith("@"):
            commit, stamp, subject = [*line[1:].split("\t", 2), ""][:3]
            when = dt.datetime.fromisoformat(stamp)
        elif line.startswith(":"):
            meta, path = line.split("\t", 1)
            fields = meta.split()
            old_blob, new_blob, status = fields[2], fields[3], fields[4][:1]
            blob = old_blob if status == "D" else new_blob
            changes.append(PathChange(commit, when, status, path, blob, subject))
    return changes


def removed_files(changes: list[PathChange]) -> list[RemovedFile]:
    """PDFs deleted from the branch, whose last bytes are not at another path of HEAD (a move is
    not a withdrawal), nor back at their own path. Pure: works on `document_changes` output."""
    present: dict[str, str] = {}
    first_added: dict[str, dt.datetime] = {}
    removed: dict[str, RemovedFile] = {}
    for change in changes:
        if change.status == "D":
            present.pop(change.path, None)
            if change.path.lower().endswith(".pdf"):
                sidecar = sidecars_beside(change.path, present)
                published = first_added.get(change.blob, change.when)
                removed[change.path] = RemovedFile(change.path, change.blob, sidecar, published,
                                                   change.when, change.commit, change.subject)
        else:
            present[change.path] = change.blob
            first_added.setdefault(change.blob, change.when)
    in_head = set(present.values())
    return [r for path, r in removed.items() if path not in present and r.blob not in in_head]


_YAML_WORD = re.compile(r"\.\s*ya?ml", re.IGNORECASE)


def sidecars_beside(pdf: str, present: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """(path, blob) of every file in `pdf`'s folder whose name starts like the PDF's and mentions
    .yml/.yaml: a superset of its sidecars and their look-alikes, which the policy tells apart."""
    folder, _, name = pdf.rpartition("/")
    stem = name[:-4].casefold()
    found = []
    for path, blob in present.items():
        other_folder, _, other = path.rpartition("/")
        if other_folder == folder and other.casefold().startswith(stem) and _YAML_WORD.search(other[len(stem):]):
            found.append((path, blob))
    return tuple(sorted(found))


def read_blob_if_present(root: Path, blob: str | None) -> bytes | None:
    if blob is None or blob == _NO_BLOB:
        return None
    try:
        return read_blob(root, blob)
    except git.GitCommandError:
        return None


# --- Writing: the drop folder commits what it publishes ---------------------------------------------


class GitBusy(Exception):
    """Another git command holds the repository (.git/index.lock): try again later."""


class GitFailure(Exception):
    """A git command failed; the message is git's own first line of explanation."""


def is_repository(root: Path) -> bool:
    try:
        git.Repo(root, search_parent_directories=False).close()
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return False
    return True


def index_lock(root: Path) -> Path | None:
    """The lock file that makes the repository busy, when there is one."""
    repo = git.Repo(root)
    try:
        lock = Path(repo.git_dir) / "index.lock"
    finally:
        repo.close()
    return lock if lock.exists() else None


def _failure(exc: git.GitCommandError) -> Exception:
    said = str(exc.stderr or exc.stdout or exc).strip()
    for label in ("stderr:", "stdout:"):  # gitpython's own framing of git's output
        said = said.removeprefix(label).strip()
    said = said.strip("'").strip()
    lines = [line.strip() for line in said.splitlines() if line.strip()]
    text = " ".join(lines[:4]) or str(exc)
    if "index.lock" in said:
        return GitBusy(text)
    return GitFailure(text)


def commit_paths(root: Path, paths: list[str], message: str) -> str:
    """Stage exactly `paths` (relative to `root`) and commit only them, hooks included; return the
    commit id. Whatever else the clerk has staged stays staged and out of this commit."""
    lock = index_lock(root)
    if lock is not None:
        raise GitBusy(f"{lock} exists")
    repo = git.Repo(root)
    try:
        repo.git.add("--", *paths)
        repo.git.commit("-m", message, "--only", "--", *paths)
        return str(repo.head.commit.hexsha)
    except git.GitCommandError as exc:
        raise _failure(exc) from exc
    finally:
        repo.close()


def push(root: Path, remote: str = "origin") -> None:
    """Push the current branch to the branch of the same name on `remote`."""
    repo = git.Repo(root)
    # Never wait for a password on a terminal nobody watches; give up on a hung network.
    quiet = {"GIT_TERMINAL_PROMPT": "0"}
    if not os.environ.get("GIT_SSH_COMMAND"):
        quiet["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes -o ConnectTimeout=20"
    try:
        with repo.git.custom_environment(**quiet):
            repo.git.push(remote, "HEAD", kill_after_timeout=300)
    except git.GitCommandError as exc:
        raise _failure(exc) from exc
    finally:
        repo.close()
