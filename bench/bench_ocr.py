"""OCR of scanned letters (issue 17): seconds per page, metadata read from the OCR text, stamps.

Every scan of corpus/scans.py (image-only PDFs made from the demo letters, with a red seal and, for
some, a red MẬT or KHẨN stamp) is read by pipeline.examine.ocr.ocr_pages, page by page, one
Tesseract at a time; the text of its pages goes to extract_metadata (fields/metadata.py) as a
text layer would, and the red pass's text with it to detect_marks. The labels are the source
letter's fields (corpus/scans.py `Scan.expected`).

Prints: OCR seconds per page (wall and CPU of the children), page confidence and readability,
metadata fields right out of those compared (number, issue date, type, subject, issuer), exactly
and with tones ignored (as the issuer check compares), and the secrecy and urgency stamps found,
missed and invented. --verbose lists every mismatch.

Usage: .venv/bin/python bench/bench_ocr.py [--limit N] [--verbose]
"""

from __future__ import annotations

import argparse
import re
import resource
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a plain script from a checkout
    sys.path.insert(0, str(REPO))

from corpus.scans import render_scan, scans  # noqa: E402
from pipeline.examine.fields.metadata import extract_metadata  # noqa: E402
from pipeline.examine.marks import detect_marks  # noqa: E402
from pipeline.examine.ocr import (  # noqa: E402
    MIN_CONFIDENCE,
    MIN_WORDS,
    OcrLimits,
    ocr_pages,
    tesseract_available,
)
from pipeline.normalize import canonical, fold  # noqa: E402
from pipeline.records import PdfText  # noqa: E402

# Time enough on a loaded machine: the bench measures what OCR reads and what it costs; the worker's
# own limits decide what a build waits for.
ROOMY = OcrLimits(seconds=900, child_seconds=300)
FIELDS = ("number", "issued_date", "type_name", "subject", "organ_name")


def _same(expected: object, found: object, *, folded: bool = False) -> bool:
    if isinstance(expected, str) and isinstance(found, str):
        spell = fold if folded else (lambda text: canonical(text).casefold())
        return " ".join(spell(expected).split()) == " ".join(spell(found).split())
    return expected == found


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=0, help="read only the first N scans")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    if not tesseract_available():
        print("tesseract with Vietnamese data is not installed: nothing to measure")
        return 1
    corpus = scans()[: args.limit or None]
    right = dict.fromkeys(FIELDS, 0)
    right_folded = 0  # tones ignored, as the issuer check (decide/trust.py) and search compare
    compared = dict.fromkeys(FIELDS, 0)
    seconds: list[float] = []
    cpu: list[float] = []
    confidences: list[float] = []
    unreadable: list[str] = []
    stamps = {"secrecy": [0, 0, 0], "urgency": [0, 0, 0]}  # found, missed, invented
    for scan in corpus:
        data = render_scan(scan)
        pages = tuple(range(1, len(re.findall(rb"/Type\s*/Page\b", data)) + 1)) or (1,)
        before_wall, before_cpu = time.monotonic(), _children_cpu()
        result = ocr_pages(data, pages, ROOMY)
        read = [p for p in result.pages if p.problem != "the page could not be rasterised (no such page?)"]
        seconds.append((time.monotonic() - before_wall) / max(1, len(read)))
        cpu.append((_children_cpu() - before_cpu) / max(1, len(read)))
        confidences.extend(p.confidence for p in read)
        unreadable.extend(f"{scan.name} p{p.page}: {p.problem}" for p in read if not p.readable)
        metadata = extract_metadata(PdfText(tuple(p.text for p in read)))
        red = detect_marks(PdfText(tuple(p.red_text for p in read)))
        expected = scan.expected
        for name in FIELDS:
            compared[name] += 1
            right_folded += _same(expected[name], getattr(metadata, name), folded=True)
            if _same(expected[name], getattr(metadata, name)):
                right[name] += 1
            elif args.verbose:
                print(f"  {scan.name} {name}: expected {expected[name]!r}, read {getattr(metadata, name)!r}")
        found_secrecy = metadata.marks.secrecy or red.secrecy
        found_urgency = metadata.marks.urgency or red.urgency
        for kind, wanted, found in (("secrecy", expected["secrecy"], found_secrecy),
                                    ("urgency", expected["urgency"], found_urgency)):
            if wanted and found:
                stamps[kind][0] += 1
            elif wanted:
                stamps[kind][1] += 1
                if args.verbose:
                    print(f"  {scan.name}: {kind} {wanted!r} missed; red pass: {[p.red_text for p in read]!r}")
            elif found:
                stamps[kind][2] += 1
                if args.verbose:
                    print(f"  {scan.name}: {kind} {found!r} invented")
    pages_read = len(confidences)
    print(f"scans: {len(corpus)}, pages: {pages_read}, engine: {ocr_engine_name()}")
    print()
    print("| measure | value |")
    print("|---|---:|")
    print(f"| OCR wall seconds per page, median (max) | {statistics.median(seconds):.2f} ({max(seconds):.2f}) |")
    print(f"| OCR CPU seconds per page (children), median | {statistics.median(cpu):.2f} |")
    print(f"| page confidence, min / median | {min(confidences):.1f} / {statistics.median(confidences):.1f} |")
    print(f"| pages readable (>= {MIN_WORDS} words, confidence >= {MIN_CONFIDENCE:g}) |"
          f" {pages_read - len(unreadable)}/{pages_read} |")
    total_right, total = sum(right.values()), sum(compared.values())
    for name in FIELDS:
        print(f"| field {name} right | {right[name]}/{compared[name]} |")
    print(f"| metadata fields right, all | {total_right}/{total} ({100 * total_right / max(1, total):.1f}%) |")
    print(f"| metadata fields right, tones ignored | {right_folded}/{total}"
          f" ({100 * right_folded / max(1, total):.1f}%) |")
    for kind, (hits, misses, inventions) in stamps.items():
        print(f"| {kind} stamps found / missed / invented | {hits} / {misses} / {inventions} |")
    for line in unreadable:
        print(f"  unreadable: {line}")
    return 0


def ocr_engine_name() -> str:
    from pipeline.examine.ocr import ocr_pages as _read

    return _read(b"", ()).engine


if __name__ == "__main__":
    raise SystemExit(main())
