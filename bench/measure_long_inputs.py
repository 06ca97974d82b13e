"""How the main process's text functions grow with one long hostile input (issue 15).

For each function that reads untrusted text in the main process (a PDF's text and fields, a sidecar's
values), times one call on inputs of 10k, 20k, 40k ... characters and prints the seconds; a linear
function doubles, a quadratic one quadruples. A function that passes --limit seconds is not run on
larger inputs ("stopped"). Nothing here is asserted: tests only check that such inputs finish.
Addressee lists are measured on inputs 20 times shorter (the size is shown in brackets): a list line of
2,000 characters already took minutes when this was written.

Usage: .venv/bin/python bench/measure_long_inputs.py [--sizes 10000,20000,40000,200000] [--limit 5]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a plain script from a checkout
    sys.path.insert(0, str(REPO))

from pipeline.config import load_config  # noqa: E402
from pipeline.decide.subjects import excluded_area  # noqa: E402
from pipeline.decide.units import UnitIndex, clean_line  # noqa: E402
from pipeline.names import key  # noqa: E402
from pipeline.normalize import canonical, fold, slugify  # noqa: E402
from pipeline.publish.reading import blocks  # noqa: E402

_INDEX: list[UnitIndex] = []  # built on first use, from the repository's portal.yml


def _addressees(line: str) -> object:
    if not _INDEX:
        _INDEX.append(UnitIndex(load_config(REPO / "portal.yml")))
    return _INDEX[0].resolve((line,), (), "")


# (name, function, input of about n characters, divisor of n)
CASES: list[tuple[str, Callable[[str], object], Callable[[int], str], int]] = [
    ("canonical: one word", canonical, lambda n: "a" * n, 1),
    ("canonical: 'hoà' repeated", canonical, lambda n: "hoà" * (n // 3), 1),
    ("fold: one word", fold, lambda n: "a" * n, 1),
    ("slugify: one word", slugify, lambda n: "a" * n, 1),
    ("excluded_area: one word", excluded_area, lambda n: "a" * n, 1),
    ("names.key: 'a.' repeated", key, lambda n: "a." * (n // 2), 1),
    ("units.clean_line: '(' repeated", clean_line, lambda n: "(" * n, 1),
    ("units.clean_line: '(b/c ' repeated", clean_line, lambda n: "(b/c " * (n // 5), 1),
    ("reading.blocks: '1' + spaces + 'x'", lambda s: blocks([s]), lambda n: "1" + " \t" * (n // 2) + "x", 1),
    ("UnitIndex.resolve: Kính gửi 'a, a, a, ...'", _addressees, lambda n: "a, " * (n // 3), 20),
    ("UnitIndex.resolve: Kính gửi 'Các Sở: x, x, ...'", _addressees, lambda n: "Các Sở: " + "x, " * (n // 3), 20),
    ("UnitIndex.resolve: Kính gửi 'a' + spaces + 'x'", _addressees, lambda n: "a" + " " * n + "x", 1),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,20000,40000,200000")
    parser.add_argument("--limit", type=float, default=5.0)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print("| function: input | " + " | ".join(f"{n:,} chars" for n in sizes) + " |")
    print("|---|" + "---:|" * len(sizes))
    for name, function, make, divisor in CASES:
        cells, stopped = [], False
        for n in sizes:
            if stopped:
                cells.append("stopped")
                continue
            text = make(n // divisor)
            start = time.perf_counter()
            function(text)
            seconds = time.perf_counter() - start
            cells.append(f"{seconds:.3f} s" + (f" ({len(text):,})" if divisor > 1 else ""))
            stopped = seconds > args.limit
        print(f"| {name} | " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
