"""Publication times from git history (gitpython). The only module that reads git history.

A document's publication time is the commit time of the first commit that introduced its exact
bytes anywhere under documents/. Keying by the git blob id rather than the path keeps the time
when a clerk renames or moves a file.
"""

from __future__ import annotations

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
