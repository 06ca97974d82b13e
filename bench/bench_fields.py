"""Metadata extraction accuracy, field by field, over a folder of PDFs with expected metadata.

Every FOLDER/**/<name>.pdf that has a FOLDER/**/<name>.json beside it is read as the pipeline reads it
(pipeline.text.read_text, pypdf layout mode; --mode plain uses pypdf's plain mode instead, the text
other producers give) and extracted with pipeline.fields.extract_metadata. The JSON is the expected
metadata in the shape of `congbo inspect --json`: either that whole output (its "metadata" key is
used) or the metadata object itself. Only the fields the JSON gives are scored, so a hand-checked
file may give a few; "signer" is scored as signer.name, signer.title and signer.authority.

Prints, per field, correct/total and the percentage, then the overall figures; --verbose lists every
mismatch. Exit status 0, or 1 with --strict when anything is wrong.

Usage: .venv/bin/python bench/bench_fields.py FOLDER [--mode layout|plain] [--verbose] [--strict]
       .venv/bin/python bench/bench_fields.py tests/golden --verbose
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from io import BytesIO
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a plain script from a checkout
    sys.path.insert(0, str(REPO))

from corpus.golden import FIELDS, Mismatch, compare, flatten, metadata_data  # noqa: E402
from pipeline.examine.fields.metadata import extract_metadata  # noqa: E402
from pipeline.examine.text import read_text  # noqa: E402
from pipeline.records import PdfText  # noqa: E402


def pdf_text(data: bytes, mode: str) -> PdfText:
    if mode == "layout":
        return read_text(data)[0]
    from pypdf import PdfReader

    pages = (unicodedata.normalize("NFC", p.extract_text()) for p in PdfReader(BytesIO(data), strict=False).pages)
    return PdfText(tuple(pages))


def expected_of(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    expected = data.get("metadata", data) if isinstance(data, dict) else None
    if not isinstance(expected, dict):
        raise ValueError(f"{path}: expected a JSON object with the metadata")
    return expected


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Field-by-field accuracy of metadata extraction.")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--mode", choices=("layout", "plain"), default="layout",
                        help="pypdf extraction mode (layout: what the pipeline uses)")
    parser.add_argument("--verbose", "-v", action="store_true", help="list every mismatch")
    parser.add_argument("--strict", action="store_true", help="exit 1 when any field is wrong")
    args = parser.parse_args(argv)

    pairs = sorted((pdf, pdf.with_suffix(".json")) for pdf in args.folder.rglob("*.pdf")
                   if pdf.with_suffix(".json").is_file())
    if not pairs:
        print(f"no PDF with a .json beside it under {args.folder}", file=sys.stderr)
        return 2

    correct: dict[str, int] = {}
    total: dict[str, int] = {}
    mismatches: list[tuple[Path, Mismatch]] = []
    perfect = 0
    for pdf, expectation in pairs:
        expected = expected_of(expectation)
        try:
            actual = metadata_data(extract_metadata(pdf_text(pdf.read_bytes(), args.mode)))
        except Exception as exc:  # a file the pipeline cannot read scores nothing
            actual = {}
            print(f"{pdf}: extraction failed: {exc!r}", file=sys.stderr)
        wrong = compare(expected, actual)
        for field in flatten(expected):
            total[field] = total.get(field, 0) + 1
            correct[field] = correct.get(field, 0) + (field not in {m.field for m in wrong})
        mismatches.extend((pdf, m) for m in wrong)
        perfect += not wrong

    fields = [f for f in FIELDS if f in total] + sorted(set(total) - set(FIELDS))
    width = max(len(f) for f in (*fields, "all fields"))
    print(f"{len(pairs)} documents in {args.folder}, pypdf {args.mode} mode")
    print(f"{'field':<{width}}  {'correct':>7}  {'total':>5}  {'%':>6}")
    for field in fields:
        print(f"{field:<{width}}  {correct[field]:>7}  {total[field]:>5}  {100 * correct[field] / total[field]:>6.1f}")
    all_correct, all_total = sum(correct.values()), sum(total.values())
    print(f"{'all fields':<{width}}  {all_correct:>7}  {all_total:>5}  {100 * all_correct / all_total:>6.1f}")
    print(f"{'documents':<{width}}  {perfect:>7}  {len(pairs):>5}  {100 * perfect / len(pairs):>6.1f}"
          "  (every field right)")
    if args.verbose and mismatches:
        print("\nmismatches:")
        for pdf, m in mismatches:
            print(f"  {pdf.name}  {m.field}\n    expected {_show(m.expected)}\n    actual   {_show(m.actual)}")
    return 1 if args.strict and mismatches else 0


if __name__ == "__main__":
    raise SystemExit(main())
