"""Where every generated file of a build goes before mkdocs sees it: the Writer plans each file with
a key saying what its content depends on, and writes it into the staging docs folder.

Only `Document`s reach the modules that write through it. The staging folder starts as a copy of the
hand-written `content/`; a generated file that would replace a hand-written one is an error, never an
overwrite.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple


class GeneratedClash(Exception):
    """A generated page would replace a hand-written one."""


class Planned(NamedTuple):
    """One generated file of the site, not yet written.

    `key` says what its content depends on: the hash of its text, of the signed PDF, or of the
    inputs of a document page (`Writer.write_keyed`). The content is `text`, or the file `source`
    (a signed PDF, or a file the Writer spooled), or neither for a file that did not change since
    the last build (a page is then not even rendered). A named tuple, as immutable as a frozen
    dataclass and made several times faster: a build plans three files per document."""

    key: str
    text: str | None = None
    source: Path | str | None = None


@dataclass
class Writer:
    """Collects the generated files of a build, refusing any that would replace a file copied
    from content/. `previous` holds the keys of the last build of the same site (site_state.py):
    a file whose key is among them is not kept (nor, for write_keyed, even rendered). With a
    `spool` folder, every other file is written there at once and only its key and path are kept:
    a full build of 10,000 documents would otherwise hold about a gigabyte of text."""

    hand_written: frozenset[str]
    previous: dict[str, str] = field(default_factory=dict)
    planned: dict[str, Planned] = field(default_factory=dict)
    spool: Path | None = None

    def write(self, relative: str, text: str) -> None:
        self._keep(relative, text_key(text), lambda: text)

    def write_keyed(self, relative: str, key: str, render: Callable[[], str]) -> None:
        """A page whose content is a function of `key` alone: rendered only when the key is new."""
        self._keep(relative, "in:" + key, render)

    def link(self, relative: str, source: Path | str, sha256: str) -> None:
        """Place a signed PDF: the site gets a copy of exactly these bytes (`sha256`, checked again
        by the output audit). `source`: its path (a string too: made for every document)."""
        self._claim(relative)
        self.planned[relative] = Planned("pdf:" + sha256, None, source)

    def _keep(self, relative: str, key: str, text: Callable[[], str]) -> None:
        self._claim(relative)
        if self.previous.get(relative) == key:
            self.planned[relative] = Planned(key)
        elif self.spool is None:
            self.planned[relative] = Planned(key, text())
        else:
            path = self.spool / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text(), encoding="utf-8")
            self.planned[relative] = Planned(key, None, path)

    @property
    def written(self) -> list[str]:
        return list(self.planned)

    def _claim(self, relative: str) -> None:
        if relative in self.hand_written:
            raise GeneratedClash(
                f"content/{relative} là trang viết tay nhưng trùng đường dẫn với trang sinh tự động; "
                "hãy đổi tên trang viết tay"
            )


def text_key(text: str) -> str:
    return "txt:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def write_planned(docs: Path, planned: dict[str, Planned]) -> None:
    """Write the planned files that have content into `docs` (tests, and pages mkdocs builds)."""
    for relative, item in planned.items():
        path = docs / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if item.text is not None:
            path.write_text(item.text, encoding="utf-8")
        elif item.source is not None:
            shutil.copyfile(item.source, path)


def copy_hand_written(content: Path, docs: Path) -> frozenset[str]:
    names = set()
    if content.is_dir():
        for path in sorted(content.rglob("*")):
            if path.is_file():
                relative = path.relative_to(content).as_posix()
                target = docs / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
                names.add(relative)
    return frozenset(names)


