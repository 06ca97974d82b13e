"""The theme and the hand-written site files ship with every portal: they must not name a document.

A document number written there (say, as a search example) is published on every page of every
portal; when a portal refuses the letter with that number, its audit finds the refused number on the
site and stops the build (issue 15)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from corpus.letters import demo_letters
from pipeline.normalize import fold

REPO = Path(__file__).resolve().parents[2]

# "78/LĐLĐ", "291/QĐ-LĐLĐ", "15/2020/QĐ-BNV", "145-CV/TU", "145 - CV/TU", "78 /LĐLĐ": digits, a slash
# or dash, then an upper-case notation (optionally after a year).
NUMBER = re.compile(r"(?<![\w.])\d{1,5}\s*[/-]\s*(?:\d{4}\s*/\s*)?[A-ZĐ]{1,}")

# National legal acts the hand-written pages cite as the rules they follow: no portal publishes or
# refuses these, and citing them is the page's content (content/gioi-thieu.md).
CITED_LEGAL_ACTS = frozenset({"30/2020/NĐ-CP"})


def _files(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (REPO / folder).rglob("*") if p.is_file())


def _key(number: str) -> str:
    """A number as the search and the audit compare it: folded, letters and digits only."""
    return re.sub(r"[^a-z0-9]+", "", fold(number))


def _numbers_in(text: str) -> list[str]:
    found = [m.group() for m in NUMBER.finditer(text)]
    return [n for n in found if not any(act.startswith(n.replace(" ", "")) for act in CITED_LEGAL_ACTS)]


def _demo_number_keys() -> set[str]:
    return {_key(letter.number) for letter in demo_letters() if letter.number}


def test_the_number_pattern_finds_numbers_as_offices_write_them() -> None:
    # Control: the scanner must be able to fail.
    for written in ("Ví dụ: 78/LĐLĐ", "số 291/QĐ-LĐLĐ", "145-CV/TU", "145 - CV/TU", "78 /LĐLĐ", "15/2020/QĐ-BNV"):
        assert _numbers_in(written), written
    for harmless in ("width: 100%/3", "1/2", "2026-04-13", "v1.2/ABC", "Nghị định 30/2020/NĐ-CP"):
        assert not _numbers_in(harmless), harmless


@pytest.mark.parametrize("path", _files("theme", "content/assets"), ids=lambda p: p.relative_to(REPO).as_posix())
def test_theme_files_name_no_document_number(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    assert _numbers_in(text) == [], f"{path.relative_to(REPO)} names a document number"


def test_no_hand_written_site_file_names_a_demo_letter() -> None:
    keys = _demo_number_keys()
    assert "258ldld" in keys  # control: the demo set is read
    for path in _files("theme", "content"):
        text = path.read_text(encoding="utf-8", errors="replace")
        written = {_key(n) for n in NUMBER.findall(text)}
        assert not written & keys, f"{path.relative_to(REPO)} names demo letter(s) {sorted(written & keys)}"


@pytest.mark.parametrize("name", sorted(p.name for p in (REPO / "pipeline" / "publish" / "templates").glob("*.md.j2")))
def test_page_templates_name_no_document_number(name: str) -> None:
    text = (REPO / "pipeline" / "publish" / "templates" / name).read_text(encoding="utf-8")
    assert _numbers_in(text) == []
