"""fields under OCR noise (issue 16): the golden letters' text, damaged as Tesseract damages a scan.

Each golden PDF (tests/golden) is read in pypdf's plain mode, as a text layer of another producer
gives it, then damaged with bench_fields' seeded `ocr_noise` (tone marks dropped or changed, "O"
for "0", "l" for "1" in the body, spaces around the number's separators, debris before "Kính gửi",
labels without their marks). The number and the issue date feed the number register and the
feeds: each must be right or unknown, never a wrong value, and most must still be read.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest
from kit import load_bench

from pipeline.examine.fields.metadata import extract_metadata

REPO = Path(__file__).resolve().parents[2]
GOLDEN = sorted((REPO / "tests" / "golden").glob("*.pdf"))


def _bench() -> ModuleType:
    return load_bench("bench_fields")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_number_and_date_under_ocr_noise_are_right_or_unknown(seed: int) -> None:
    bench = _bench()
    read = wrong = total = 0
    misses = []
    for pdf in GOLDEN:
        expected = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))["metadata"]
        text = bench.ocr_noise(bench.pdf_text(pdf.read_bytes(), "plain"), seed + sum(map(ord, pdf.stem)), 0.1)
        m = extract_metadata(text)
        got = {"number": m.number, "date": m.issued_date.isoformat() if m.issued_date else None}
        for field, value in got.items():
            if expected[field] is None:
                continue
            total += 1
            if value == expected[field]:
                read += 1
            elif value is not None:
                wrong += 1
                misses.append((pdf.stem, field, expected[field], value))
    assert wrong == 0, misses
    assert read >= 0.9 * total, (read, total)
