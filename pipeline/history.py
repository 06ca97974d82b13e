"""Git history and index (gitpython): publication times, staged files, every blob ever committed.
The only module that reads git.

A document's publication time is the commit time of the first commit that introduced its exact
bytes anywhere under documents/. Keying by the git blob id rather than the path keeps the time
when a clerk renames or moves a file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from pathlib import Path

import git


def blob_id(data: bytes) -> str:
    """The id git gives these bytes as a blob (SHA-1 of the blob header and content)."""
    return hashlib.sha1(b"blob %d\x00" % len(data) + data, usedforsecurity=False).hexdigest()


def first_commit_times(root: Path, folder: str = "documents") -> dict[str, dt.datetime]:
    """Map git blob id -> time of the first commit that added it under `folder`.
    An empty map when `root` is not a git repository or has no commits."""
    try:
        repo = git.Repo(root, search_parent_directories=False)
        if not repo.head.is_valid():
            return {}
        log = repo.git.log("--reverse", "--no-renames", "--raw", "--no-abbrev", "--format=@%H %cI",
                           "--diff-filter=AM", "--", folder)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError, git.GitCommandError):
        return {}
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
