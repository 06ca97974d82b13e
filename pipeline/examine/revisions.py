"""The earlier revisions a file holds (DOMAIN.md §1: editors save by incremental update).

Each revision ends with `startxref <offset> %%EOF`; the bytes up to there are that revision, a PDF
of its own, which a reader opens like any other. A letter first saved with "MẬT" and then edited
before signing still carries its first revision: its pages are read like the last revision's.

Signing adds a revision per signature without touching the pages' text, so reading every page of
every revision would double or triple the cost of an ordinary letter. A page is read again only
when it may show something else than the last revision's page of the same number: when its
contents, resources or geometry differ, or when any object they reach lies elsewhere in the file
(the same location in two revisions of one file is the same bytes, hence the same object).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pipeline.examine.pdf_objects import Budget, location, reference_key, references_reached, shape
from pipeline.examine.text import open_pdf

MAX_REVISIONS = 64  # as verify.py's; a letter has a handful (one per signature)

# The end of a revision: its startxref pointer and the end-of-file marker.
_REVISION_END = re.compile(rb"startxref\s{0,64}(\d{1,15})\s{0,64}%%EOF")
# What a startxref must point at: a cross-reference table, or an object (a cross-reference stream).
_XREF_START = re.compile(rb"\s{0,64}(?:xref|\d{1,15}\s{1,64}\d{1,5}\s{1,64}obj)")
_PAGE_KEYS = ("/Contents", "/Resources", "/MediaBox", "/CropBox", "/Rotate", "/UserUnit")


@dataclass(frozen=True)
class Revision:
    number: int  # 1-based, oldest first
    reader: Any  # pypdf's reader of the bytes up to the revision's end


def revision_ends(data: bytes) -> list[int]:
    """Offsets just past each revision's %%EOF, oldest first, the last revision's included.
    More than MAX_REVISIONS fails the inspection (the file is refused unreadable)."""
    ends = []
    for found in _REVISION_END.finditer(data):
        offset = int(found.group(1))
        if offset < found.start() and _XREF_START.match(data, offset):
            ends.append(found.end())
            if len(ends) > MAX_REVISIONS:
                raise ValueError(f"the file holds more than {MAX_REVISIONS} revisions")
    return ends


def earlier_revisions(data: bytes, ends: list[int]) -> Iterator[Revision]:
    """Readers of every revision before the last, newest first, one at a time (each holds a copy
    of its bytes)."""
    for index in range(len(ends) - 2, -1, -1):
        yield Revision(index + 1, open_pdf(data[:ends[index]]))


class UnchangedObjects:
    """Whether an object of an earlier revision is, with everything it reaches, the last
    revision's: then whatever it carries has been read there already."""

    def __init__(self, final: Any, budget: Budget) -> None:
        self.final = final
        self.budget = budget
        self._reached: dict[tuple[int, int], dict[tuple[int, int], Any]] = {}

    def __call__(self, reader: Any, value: Any) -> bool:
        key = reference_key(value)
        if key is None:
            return False
        if key not in self._reached:
            root = type(value)(key[0], key[1], self.final).get_object()  # the same number, last revision
            reached = references_reached([root], self.budget) | {key} if root is not None else {key}
            self._reached[key] = {k: location(self.final, k) for k in reached}
        return all(location(reader, k) == where and where is not None for k, where in self._reached[key].items())


class PageFingerprints:
    """What decides each page's text in the last revision, to tell an earlier page that shows the
    same from one that must be read."""

    def __init__(self, final: Any, budget: Budget) -> None:
        self.final = final
        self.budget = budget
        self._known: dict[int, tuple[Any, dict[tuple[int, int], Any]]] = {}

    def _of(self, index: int) -> tuple[Any, dict[tuple[int, int], Any]]:
        if index not in self._known:
            page = self.final.pages[index]
            reached = references_reached([page.get(k) for k in _PAGE_KEYS], self.budget)
            self._known[index] = (_page_shape(page, self.budget),
                                  {key: location(self.final, key) for key in reached})
        return self._known[index]

    def same_as_last(self, reader: Any, index: int) -> bool:
        """Whether page `index` of an earlier revision is the last revision's page `index`."""
        if index >= len(self.final.pages):
            return False
        top, reached = self._of(index)
        if _page_shape(reader.pages[index], self.budget) != top:
            return False
        # Every object the last revision's page reaches is unchanged in the earlier revision, so
        # the earlier page (same top) reaches exactly these objects, with the same bytes.
        return all(location(reader, key) == where and where is not None for key, where in reached.items())


def _page_shape(page: Any, budget: Budget) -> Any:
    return tuple(shape(page.get(key), budget) for key in _PAGE_KEYS)
