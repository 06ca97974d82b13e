"""The speed-up in pipeline/fields_lines.py (a document's lines read once for its fields and its
marks) must give exactly what reading them every time gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.examine import marks
from pipeline.examine.fields import lines as fields_lines
from pipeline.examine.fields import metadata as fields
from pipeline.examine.fields.metadata import extract_metadata
from pipeline.examine.text import read_text
from pipeline.records import PdfText

GOLDEN = Path(__file__).resolve().parents[1] / "golden"


def _texts() -> list[PdfText]:
    return [read_text(path.read_bytes())[0] for path in sorted(GOLDEN.glob("*.pdf"))]


def test_lines_are_read_once_per_document() -> None:
    text = _texts()[0]
    fields_lines.lines_of.cache_clear()
    extract_metadata(text)
    info = fields_lines.lines_of.cache_info()
    assert (info.misses, info.hits) == (1, 1)  # the fields, then the marks from the same lines


def test_remembered_lines_are_those_of_the_same_text() -> None:
    texts = _texts()
    for text in texts:
        assert fields_lines.lines_of(text) == fields_lines.lines_of.__wrapped__(text)
        copy = PdfText(tuple("".join(list(page)) for page in text.pages))  # equal, not the same objects
        assert fields_lines.lines_of(copy) is fields_lines.lines_of(text)
    first, second = texts[0], PdfText((texts[0].pages[0] + "\nMẬT",))
    assert fields_lines.lines_of(first) != fields_lines.lines_of(second)  # a different text is read anew
    assert fields_lines.lines_of(second)[-1].text == "MẬT"


def test_metadata_is_unchanged_on_the_golden_letters(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _texts()
    fast = [extract_metadata(text) for text in texts]
    monkeypatch.setattr(fields, "lines_of", fields_lines.lines_of.__wrapped__)
    monkeypatch.setattr(marks, "lines_of", fields_lines.lines_of.__wrapped__)
    assert [extract_metadata(text) for text in texts] == fast
