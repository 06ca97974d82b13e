"""Metadata extraction accuracy, field by field, over a folder of PDFs with expected metadata.

Every FOLDER/**/<name>.pdf that has a FOLDER/**/<name>.json beside it is read as the pipeline reads it
(pipeline.text.read_text, pypdf layout mode; --mode plain uses pypdf's plain mode instead, the text
other producers give) and extracted with pipeline.fields.extract_metadata. The JSON is the expected
metadata in the shape of `congbo inspect --json`: either that whole output (its "metadata" key is
used) or the metadata object itself. Only the fields the JSON gives are scored, so a hand-checked
file may give a few; "signer" is scored as signer.name, signer.title and signer.authority.

With --noise SEED (implies --mode plain) the text is first damaged the way Tesseract damages a scan
of a Vietnamese letter, with a seeded generator (`ocr_noise`): tone marks dropped or changed in
a share of the words, "O" for "0" inside numbers, "l" for "1" in the body, spaces around the "/"
and "-" of the number, a few characters of debris before "Kính gửi", labels without their marks
("Noi nhận", "ngay ... thang ... nam"), the motto's marks lost. A field that is not right is
then counted as unknown (nothing read) or wrong (a value that differs): a wrong value is worse.

Prints, per field, correct/total and the percentage (and unknown/wrong), then the overall figures;
--verbose lists every mismatch. Exit status 0, or 1 with --strict when anything is wrong.

Usage: .venv/bin/python bench/bench_fields.py FOLDER [--mode layout|plain] [--noise SEED [--noise-rate R]]
                                              [--verbose] [--strict]
       .venv/bin/python bench/bench_fields.py tests/golden --verbose
       .venv/bin/python bench/bench_fields.py tests/golden --noise 1
"""

from __future__ import annotations

import argparse
import json
import random
import re
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


_TONES = "\u0300\u0301\u0309\u0303\u0323"


def _retone(word: str, rng: random.Random) -> str:
    """The word with its tone mark dropped or changed to another, as OCR gives it."""
    new = rng.choice(("", *_TONES))
    out = []
    for ch in word:
        decomposed = unicodedata.normalize("NFD", ch)
        if any(c in _TONES for c in decomposed):
            ch = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES) + new)
        out.append(ch)
    return "".join(out)


def ocr_noise(text: PdfText, seed: int, rate: float = 0.05) -> PdfText:
    """`text` damaged as Tesseract damages a scan of it (see the module's docstring)."""
    rng = random.Random(seed)
    pages = []
    for page in text.pages:
        lines = []
        for line in page.split("\n"):
            if re.match(r"\s*(?:Số|SỐ)\s*:", line):
                line = re.sub(r"\s*([/-])\s*", lambda m: rng.choice((m.group(1), f" {m.group(1)}", f" {m.group(1)} ")),
                              line, count=2)
            elif re.match(r"\s*Kính gửi", line) and rng.random() < 0.5:
                line = rng.choice(("ae” ", "| ", "» ")) + line.lstrip()
            elif not re.search(r"(?:Số|SỐ)\s*:|ngày", line):
                line = re.sub(r"(?<=\d)1|1(?=\d)", lambda m: "l" if rng.random() < rate else "1", line)
            line = re.sub(r"(?<=\d)0|0(?=\d)", lambda m: "O" if rng.random() < rate / 3 else "0", line)
            line = line.replace("Nơi nhận", rng.choice(("Nơi nhận", "Noi nhận", "Nơi nhân")))
            line = re.sub(r"ngày(?= ?\d)", lambda m: rng.choice(("ngày", "ngay")), line)
            line = re.sub(r"CỘNG HÒA XÃ HỘI", lambda m: rng.choice(("CỘNG HÒA XÃ HỘI", "CONG HOA XA HOI")), line)
            line = re.sub(r"[^\W\d_]+", lambda m: _retone(m.group(), rng) if rng.random() < rate else m.group(), line)
            lines.append(line)
        pages.append("\n".join(lines))
    return PdfText(tuple(pages))


def _unknown(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == ()


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
    parser.add_argument("--noise", type=int, metavar="SEED",
                        help="damage the plain-mode text as OCR does, with this seed")
    parser.add_argument("--noise-rate", type=float, default=0.05,
                        help="share of the words whose tone mark is dropped or changed (default 0.05)")
    parser.add_argument("--verbose", "-v", action="store_true", help="list every mismatch")
    parser.add_argument("--strict", action="store_true", help="exit 1 when any field is wrong")
    args = parser.parse_args(argv)

    pairs = sorted((pdf, pdf.with_suffix(".json")) for pdf in args.folder.rglob("*.pdf")
                   if pdf.with_suffix(".json").is_file())
    if not pairs:
        print(f"no PDF with a .json beside it under {args.folder}", file=sys.stderr)
        return 2

    mode = "plain" if args.noise is not None else args.mode
    correct: dict[str, int] = {}
    total: dict[str, int] = {}
    unknown: dict[str, int] = {}
    mismatches: list[tuple[Path, Mismatch]] = []
    perfect = 0
    for pdf, expectation in pairs:
        expected = expected_of(expectation)
        try:
            text = pdf_text(pdf.read_bytes(), mode)
            if args.noise is not None:
                text = ocr_noise(text, args.noise + sum(map(ord, pdf.stem)), args.noise_rate)
            actual = metadata_data(extract_metadata(text))
        except Exception as exc:  # a file the pipeline cannot read scores nothing
            actual = {}
            print(f"{pdf}: extraction failed: {exc!r}", file=sys.stderr)
        wrong = compare(expected, actual)
        for field in flatten(expected):
            total[field] = total.get(field, 0) + 1
            correct[field] = correct.get(field, 0) + (field not in {m.field for m in wrong})
            unknown[field] = unknown.get(field, 0) + any(m.field == field and _unknown(m.actual) for m in wrong)
        mismatches.extend((pdf, m) for m in wrong)
        perfect += not wrong

    fields = [f for f in FIELDS if f in total] + sorted(set(total) - set(FIELDS))
    width = max(len(f) for f in (*fields, "all fields"))
    noise = f", OCR noise seed {args.noise} rate {args.noise_rate}" if args.noise is not None else ""
    print(f"{len(pairs)} documents in {args.folder}, pypdf {mode} mode{noise}")
    print(f"{'field':<{width}}  {'correct':>7}  {'total':>5}  {'%':>6}  {'unknown':>7}  {'wrong':>5}")

    def row(name: str, right: int, all_: int, unread: int) -> str:
        return (f"{name:<{width}}  {right:>7}  {all_:>5}  {100 * right / all_:>6.1f}  {unread:>7}"
                f"  {all_ - right - unread:>5}")

    for field in fields:
        print(row(field, correct[field], total[field], unknown[field]))
    print(row("all fields", sum(correct.values()), sum(total.values()), sum(unknown.values())))
    print(f"{'documents':<{width}}  {perfect:>7}  {len(pairs):>5}  {100 * perfect / len(pairs):>6.1f}"
          "  (every field right)")
    if args.verbose and mismatches:
        print("\nmismatches:")
        for pdf, m in mismatches:
            print(f"  {pdf.name}  {m.field}\n    expected {_show(m.expected)}\n    actual   {_show(m.actual)}")
    return 1 if args.strict and mismatches else 0


if __name__ == "__main__":
    raise SystemExit(main())
