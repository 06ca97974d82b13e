"""The golden corpus (issue 4): tests/golden/<name>.pdf read as the pipeline reads it must give back
tests/golden/<name>.json field by field, in pypdf's layout mode (what pipeline.text uses) and in its
plain mode (what other producers' text looks like: columns in sequence or interleaved).

The folder is what scripts/make_golden.py writes from pipeline.corpus.golden; the JSON must be what
the corpus makes today (no drift), and every trap the corpus claims must really be in the PDF's text
layer. Regenerate with: .venv/bin/python scripts/make_golden.py
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import re
import unicodedata
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any, Literal

import pytest
from pypdf import PdfReader

from corpus.golden import (
    TRAPS,
    GoldenCase,
    compare,
    expected_metadata,
    golden_cases,
    golden_json,
    metadata_data,
)
from pipeline.examine.fields.metadata import extract_metadata
from pipeline.examine.text import read_text
from pipeline.normalize import canonical
from pipeline.records import Inspection, Metadata, PdfText, Reference, SignerBlock, StoredText, VerifyResult

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
CASES = golden_cases()
IDS = [case.name for case in CASES]
REGENERATE = "regenerate with: .venv/bin/python scripts/make_golden.py"


@cache
def pdf_bytes(name: str) -> bytes:
    return (GOLDEN / f"{name}.pdf").read_bytes()


@cache
def raw_pages(name: str, mode: Literal["layout", "plain"]) -> tuple[str, ...]:
    """pypdf's text as it comes, before any normalisation (to see the traps themselves)."""
    return tuple(p.extract_text(extraction_mode=mode) for p in PdfReader(BytesIO(pdf_bytes(name))).pages)


def pdf_text(name: str, mode: Literal["layout", "plain"]) -> PdfText:
    if mode == "layout":
        return read_text(pdf_bytes(name))[0]  # exactly what the pipeline does
    return PdfText(tuple(unicodedata.normalize("NFC", page) for page in raw_pages(name, "plain")))


# --- the corpus and the folder --------------------------------------------------------------------


def test_corpus_size_and_trap_coverage() -> None:
    assert len(CASES) >= 40
    assert len(set(IDS)) == len(IDS)
    for trap in TRAPS:
        assert any(trap in case.traps for case in CASES), f"no case exercises {trap}"
    for family in ("state", "union", "party"):
        assert sum(case.family == family for case in CASES) >= 10, family


def test_corpus_is_deterministic() -> None:
    assert golden_cases() == CASES
    assert [golden_json(case) for case in golden_cases()] == [golden_json(case) for case in CASES]


def test_folder_holds_exactly_the_corpus() -> None:
    present = {p.name for p in GOLDEN.iterdir() if p.suffix in {".pdf", ".json"}}
    wanted = {f"{name}.{ext}" for name in IDS for ext in ("pdf", "json")}
    assert present == wanted, REGENERATE
    assert sum(p.stat().st_size for p in GOLDEN.iterdir()) < 3_000_000


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_expected_json_has_not_drifted(case: GoldenCase) -> None:
    assert (GOLDEN / f"{case.name}.json").read_text(encoding="utf-8") == golden_json(case), REGENERATE


# --- extraction -----------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["layout", "plain"])
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_extraction_matches_the_golden_json(case: GoldenCase, mode: Literal["layout", "plain"]) -> None:
    expected = json.loads((GOLDEN / f"{case.name}.json").read_text(encoding="utf-8"))["metadata"]
    metadata = extract_metadata(pdf_text(case.name, mode))
    wrong = compare(expected, metadata_data(metadata))
    assert not wrong, "\n".join(f"{m.field}: expected {m.expected!r}, got {m.actual!r}" for m in wrong)
    assert metadata.system == case.letter.system
    if case.letter.number:
        code, notation = re.fullmatch(r"(\d+)[/-](.+)", expected["number"]).groups()  # type: ignore[union-attr]
        assert metadata.code_number == code
        assert metadata.code_notation == re.sub(r"^(?:19|20)\d\d/", "", notation)
    else:
        assert metadata.code_number is None


# --- the traps are really in the text layer -------------------------------------------------------

_OLD_TONE = re.compile(r"(?i)(?:o[àáảãạ]|o[èéẻẽẹ]|(?<!q)u[ỳýỷỹỵ])(?!\w)")
_MOTTOS = ("CỘNG HÒA", "ĐẢNG CỘNG SẢN")


def _line_index(lines: list[str], predicate: Any) -> int:
    return next(i for i, line in enumerate(lines) if predicate(line))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_traps_are_in_the_text_layer(case: GoldenCase) -> None:
    letter, printing = case.letter, case.letter.printing
    layout = "\n".join(raw_pages(case.name, "layout"))
    plain_pages = raw_pages(case.name, "plain")
    plain = unicodedata.normalize("NFC", "\n".join(plain_pages))
    traps = set(case.traps)
    assert len(plain_pages) == case.pages
    assert ("nfd" in traps) == (not unicodedata.is_normalized("NFC", layout))
    assert ("old-tones" in traps) == bool(_OLD_TONE.search(unicodedata.normalize("NFC", layout)))
    assert ("nbsp" in traps) == ("\u00a0" in layout)
    for dash in "–—":
        assert (dash in layout) == (printing.dash == dash)
    if "number-spaces" in traps:
        assert re.search(r"Số:? \d+ (?:/|[-–—] )", plain)
    if "page-numbers" in traps:
        numbers = {printing.page_number_format.format(n=n) for n in range(1, case.pages + 1)}
        lone = {line.strip() for page in plain_pages for line in page.splitlines()}
        assert numbers - ({"1"} if printing.page_numbers == "later-top" else set()) <= lone
    if letter.system == "party":
        assert "*" in plain

    lines = [canonical(line).strip() for line in plain.splitlines() if line.strip()]  # structure only
    motto = _line_index(lines, lambda line: line.startswith(_MOTTOS))
    if "right-column-first" in traps:
        assert motto == 0
    elif "columns-interleaved" in traps:
        assert motto == 1 and not lines[2].startswith(("Độc lập", "Số"))  # between two issuer lines
    else:
        assert motto >= 1 and not lines[motto - 1].startswith(("Số", "V/v"))
        if printing.order == "columns" and not lines[1].startswith(_MOTTOS):
            assert lines[motto + 1].startswith(("Độc lập", "Số"))  # the left column came whole
    if letter.recipients and letter.authority_lines:
        label = _line_index(lines, lambda line: line.startswith("Nơi nhận"))
        last_item = max(i for i, line in enumerate(lines) if i > label and line.startswith("-"))
        authority = max(i for i, line in enumerate(lines) if line.startswith(canonical(letter.authority_lines[0])))
        if "closing-interleaved" in traps:
            assert label < authority < last_item  # the signing block between the recipients
        elif "right-column-first" in traps:
            assert authority < label
        else:
            assert authority > last_item
    if letter.addressees:
        layout_lines = [canonical(line) for line in layout.splitlines()]
        label_line = _line_index(layout_lines, lambda line: "Kính gửi:" in line)
        after = layout_lines[label_line].split("gửi:", 1)[1].strip()
        assert bool(after) == ("first-addressee-inline" in traps)


# --- the JSON shape is the inspection contract's --------------------------------------------------


def test_metadata_shape_is_the_inspection_contract() -> None:
    """`metadata_data` gives what `congbo inspect --json` prints under "metadata", key for key."""
    from pipeline.cli.main import inspection_data

    metadata = Metadata(
        number="145-CV/TU", issued_date=dt.date(2026, 10, 16), place="Mẫu Sơn", organ_name="TỈNH ỦY MẪU SƠN",
        type_name="Công văn", subject="triển khai", addressees=("Các huyện ủy",), recipients=("Lưu VPTU",),
        signer=SignerBlock("T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Hoàng Văn Dũng"),
        references=(Reference("217-QĐ/TW", "Quy định", dt.date(2020, 1, 2)),), signed_by_text="Tỉnh ủy",
    )
    inspection = Inspection("0" * 64, VerifyResult(()), StoredText.of(PdfText(())), 1, metadata)
    extra = {"metadata": metadata} if "metadata" in inspect.signature(inspection_data).parameters else {}
    contract = inspection_data(Path("x.pdf"), "0" * 64, inspection, (), **extra)["metadata"]
    ours = metadata_data(metadata)
    assert {key: contract[key] for key in ours} == ours


def test_expected_metadata_of_a_blank_party_letter() -> None:
    case = next(case for case in CASES if case.name == "party-blank-number")
    expected = expected_metadata(case.letter)
    assert expected["number"] is None
    assert expected["signer"] == {"name": "Hoàng Văn Dũng", "title": "PHÓ BÍ THƯ", "authority": "T/M BAN THƯỜNG VỤ"}
    assert expected["recipients"][-1] == "Lưu VPTU"
    assert expected["references"] == ["217-QĐ/TW"]
