"""Checking the last build's site, and emptying the spare site, in a process of its own while the
pages are rendered (issue 21: at 30,000 letters both walk 97,000 files, a second and a half of
today's letter in the build's own process, which renders meanwhile on one core of two).

A build may build upon the last one only when every file that build left is still as it left it
(site_state.py). Two places hold those files:
- the spare site (publish.site.keep_as_spare), renamed into the staging folder: a file in it is
  kept when it is the current site's own file (a hard link: regular, same size, time and inode as
  the last build's stamp); everything else in it is removed, and the folders left empty;
- the current site, for every file the spare did not keep: same size and time as stamped, else the
  last build's state is not trusted (the build starts again from nothing). Same size and time on
  another inode is a site copied back (a CI cache): built upon, but audited again whole.

A file kept from the spare is the very file the last build audited, whatever became of its name in
the current site since. What the build does not carry over of those is removed afterwards
(`trim`). The child process is this module run with `-m`: it reads what to check from a file and
writes its answer on its standard output, both pickles of plain values made by this build itself.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from pipeline.files import FileStamp, keep_stamped


@dataclass(frozen=True)
class SiteCheck:
    intact: bool  # every file of the last build is still as stamped (in the spare or the site)
    kept: frozenset[str]  # spare files left in place: the current site's own files
    restored: dict[str, FileStamp]  # site files with their size and time, on other inodes


def check(out: str, spare: str | None, files: dict[str, FileStamp]) -> SiteCheck:
    """Empty `spare` (when given) of all but the files of `files` it holds as stamped, then check
    the others in the current site `out`."""
    kept: set[str] = keep_stamped(spare, files.get) if spare is not None else set()
    restored: dict[str, FileStamp] = {}
    base = f"{out}{os.sep}"  # one stat per file: no Path each
    for relative, expected in files.items():
        if relative in kept:
            continue
        try:
            st = os.stat(base + relative)
        except OSError:
            return SiteCheck(False, frozenset(kept), {})
        now = (st.st_size, st.st_mtime_ns, st.st_ino)
        if now[:2] != expected[:2]:
            return SiteCheck(False, frozenset(kept), {})
        if now[2] != expected[2]:
            restored[relative] = now
    return SiteCheck(True, frozenset(kept), restored)


def trim(site: str, kept: frozenset[str], wanted: set[str]) -> set[str]:
    """Remove from the recycled `site` the kept files this build does not carry over (the pages it
    renders anew, a removed document's files), and the folders left empty; returns those it does."""
    carried = set()
    for relative in kept:
        if relative in wanted:
            carried.add(relative)
            continue
        os.unlink(f"{site}/{relative}")
        folder = relative.rpartition("/")[0]
        while folder:
            try:
                os.rmdir(f"{site}/{folder}")
            except OSError:
                break  # not empty (or gone): nor are the folders above it
            folder = folder.rpartition("/")[0]
    return carried


class Running:
    """A check started by `start`: its answer, once the pages are rendered."""

    def __init__(self, process: subprocess.Popen[bytes] | None, answer: SiteCheck | None, question: Path) -> None:
        self._process = process
        self._answer = answer
        self._question = question

    def result(self) -> SiteCheck:
        """The answer; a check that failed in any way says the site is not intact (a full build)."""
        if self._answer is None:
            process = self._process
            assert process is not None
            try:
                out, _err = process.communicate()
                intact, kept, restored = pickle.loads(out) if process.returncode == 0 else (False, (), {})
                found = SiteCheck(intact is True, frozenset(kept), dict(restored))
            except Exception:  # any failure of the child: not trusted, never an error
                found = SiteCheck(False, frozenset(), {})
            self._answer = found
            self._question.unlink(missing_ok=True)
        return self._answer

    def stop(self) -> None:
        """Wait for the child: the caller removes the folders it works in."""
        if self._process is not None and self._process.returncode is None:
            self._process.kill()
            self._process.wait()
        self._question.unlink(missing_ok=True)


def start(out: Path, spare: Path | None, files: dict[str, FileStamp], scratch: Path) -> Running:
    """Start checking in a child process; `scratch`: a folder of the build's own for the question.
    Where no child can be started, the check runs here and now."""
    question = scratch / "site-check.pickle"
    question.write_bytes(pickle.dumps((str(out), str(spare) if spare is not None else None, files),
                                      protocol=pickle.HIGHEST_PROTOCOL))
    try:
        process = subprocess.Popen([sys.executable, "-m", __name__, str(question)],
                                   stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except OSError:
        return Running(None, check(str(out), str(spare) if spare is not None else None, files), question)
    return Running(process, None, question)


def _main(question: str, answer: IO[bytes]) -> None:
    with open(question, "rb") as handle:
        out, spare, files = pickle.load(handle)
    found = check(out, spare, files)
    # Plain values: run with -m, this module is __main__ here, and its classes are not the caller's.
    answer.write(pickle.dumps((found.intact, list(found.kept), found.restored), protocol=pickle.HIGHEST_PROTOCOL))
    answer.flush()


if __name__ == "__main__":
    _main(sys.argv[1], sys.stdout.buffer)
