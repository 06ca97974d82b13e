"""Regenerate the golden corpus of metadata extraction: tests/golden/<name>.pdf and <name>.json.

Every case of pipeline.corpus.golden.golden_cases() is rendered UNSIGNED (extraction reads the text
layer; signing is not needed and would make the files larger and the bytes change from run to run)
and written with a JSON file beside it:

    {"name": ..., "family": "state" | "union" | "party", "traps": [...], "pages": N,
     "metadata": <expected metadata, in the shape of `congbo inspect --json`>}

Files of the folder that are no longer in the corpus are deleted (only *.pdf and *.json). The output
is byte-identical from run to run. --check writes nothing and exits 1 when the folder is not what
the corpus makes.

Usage: .venv/bin/python scripts/make_golden.py [--out tests/golden] [--check]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a plain script from a checkout
    sys.path.insert(0, str(REPO))

from corpus.golden import golden_cases, golden_json  # noqa: E402
from corpus.letters import render_letter  # noqa: E402


def wanted_files() -> dict[str, bytes]:
    """File name -> bytes of the whole corpus."""
    out: dict[str, bytes] = {}
    for case in golden_cases():
        out[f"{case.name}.pdf"] = render_letter(case.letter)
        out[f"{case.name}.json"] = golden_json(case).encode("utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate the golden corpus of metadata extraction.")
    parser.add_argument("--out", type=Path, default=REPO / "tests" / "golden", help="folder (default: tests/golden)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when the folder is stale")
    args = parser.parse_args(argv)
    out: Path = args.out

    wanted = wanted_files()
    present = {p.name for p in out.glob("*") if p.suffix in {".pdf", ".json"}} if out.is_dir() else set()
    stale = sorted(present - set(wanted))
    changed = sorted(n for n, data in wanted.items() if not (out / n).is_file() or (out / n).read_bytes() != data)
    if args.check:
        for name in changed:
            print(f"differs: {out / name}")
        for name in stale:
            print(f"not in the corpus: {out / name}")
        return 1 if changed or stale else 0

    out.mkdir(parents=True, exist_ok=True)
    for name in changed:
        (out / name).write_bytes(wanted[name])
    for name in stale:
        (out / name).unlink()
    size = sum(len(data) for data in wanted.values())
    print(f"{len(wanted) // 2} cases in {out}: {len(changed)} files written, {len(stale)} deleted, "
          f"{size / 1e6:.2f} MB in all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
