"""Issue 9: the portal at scale. Generates N signed documents across 50 units into a scratch portal
(reused between runs) and prints a table:

  cold pipeline (verification of every file, no cache) and documents/s
  warm rebuild with nothing changed
  rebuild after adding one document
  site build alone (mkdocs on the generated pages: the plain mkdocs-material reference)
  peak memory, output size, bytes a visitor downloads for the first search result

Usage: .venv/bin/python bench/bench_scale.py [--n 10000] [--root /tmp/congbo-scale] [--skip-cold]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import scale_corpus

PYTHON = sys.executable


def timed_build(root: Path, *extra: str) -> tuple[float, int, str, list[str]]:
    """One `build` in its own process; returns seconds, exit status, output and its stage timings."""
    start = time.perf_counter()
    done = subprocess.run([PYTHON, "-m", "pipeline", "--root", str(root), "build", "--timings", *extra],
                          capture_output=True, text=True, check=False)
    stages = [line.removeprefix("timing: ") for line in done.stderr.splitlines() if line.startswith("timing: ")]
    return time.perf_counter() - start, done.returncode, done.stdout + done.stderr, stages


def _after_swap(stages: list[str]) -> float:
    """Seconds a build spent after the new site was swapped in (`build --timings`: the stages after
    "swap: the site is updated")."""
    names = [stage.rsplit(" ", 2)[0] for stage in stages]
    if "swap: the site is updated" not in names:
        return 0.0
    after = stages[names.index("swap: the site is updated") + 1:]
    return sum(float(stage.rsplit(" ", 2)[1]) for stage in after if stage.endswith(" s"))


def mkdocs_reference(root: Path) -> tuple[float, int]:
    """Plain mkdocs-material, one process as `mkdocs build` runs, on exactly the files the pipeline
    generates (same mkdocs.yml, same theme, PDFs and feeds included as static files)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config as load_mkdocs_config

    from pipeline.build import BuildOptions, collect, render
    from pipeline.config import load_config
    from pipeline.publish.writer import Writer, copy_hand_written, write_planned

    config = load_config(root / "portal.yml")
    report = collect(config, BuildOptions())
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp) / "docs"
        docs.mkdir()
        writer = Writer(copy_hand_written(root / "content", docs))
        render(config, report, writer)
        write_planned(docs, writer.planned)
        pages = sum(1 for _ in docs.rglob("*.md"))
        cfg = load_mkdocs_config(str(root / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(Path(tmp) / "site"),
                                 site_url=config.site.url)
        start = time.perf_counter()
        mkdocs_build(cfg)
        return time.perf_counter() - start, pages


def size_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / (1 << 20)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--root", type=Path, default=Path(tempfile.gettempdir()) / "congbo-scale")
    parser.add_argument("--skip-cold", action="store_true", help="reuse the inspection cache of an earlier run")
    args = parser.parse_args()
    root: Path = args.root
    start = time.perf_counter()
    scale_corpus.make_portal(root, args.n)
    generated = time.perf_counter() - start
    rows: list[tuple[str, str]] = [("documents", f"{args.n}"),
                                   ("generation (not part of the pipeline)", f"{generated:.1f} s")]

    details: list[tuple[str, list[str]]] = []

    def build(name: str, *extra: str) -> float:
        seconds, status, output, stages = timed_build(root, *extra)
        if status not in (0, 3):
            print(output, file=sys.stderr)
            raise SystemExit(f"{name}: build failed with exit {status}")
        details.append((name, stages))
        return seconds

    cold = None
    if not args.skip_cold:
        shutil.rmtree(root / ".congbo", ignore_errors=True)
        shutil.rmtree(root / "site", ignore_errors=True)
        cold = build("cold full build", "--workers", str(os.cpu_count() or 2))
        rows.append(("cold full build (verify all + site)", f"{cold:.1f} s, {args.n / cold:.0f} documents/s"))
    full = build("full site build, inspections cached", "--full")
    rows.append(("full site build (inspections cached)", f"{full:.1f} s"))
    seconds = build("warm rebuild, nothing changed")
    rows.append(("warm rebuild, nothing changed", f"{seconds:.2f} s"))
    for name, backdated in (("today's letter (dated after every other)", False),
                            ("a backdated letter (issued in March of the newest year)", True)):
        added = scale_corpus.add_one(root, args.n + 1, backdated=backdated)
        seconds = build(f"rebuild after adding {name}")
        rows.append((f"rebuild after adding {name}",
                     f"{seconds:.1f} s; site updated after {seconds - _after_swap(details[-1][1]):.1f} s"))
        added.unlink()  # leave the corpus at N for the next run
        seconds = build("rebuild after removing it again")
        rows.append(("rebuild after removing it again", f"{seconds:.1f} s"))
    builds_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # before the reference runs here
    reference, pages = mkdocs_reference(root)
    rows.append(("plain mkdocs-material, same pages (reference)",
                 f"{reference:.1f} s, {pages} pages, {pages / reference:.0f} pages/s"))
    if cold is not None:
        goal = 1.2 * reference + args.n / 80
        rows.append(("cold goal: 1.2 x reference + N / 80 documents/s",
                     f"{goal:.1f} s (ours: {cold / goal:.2f} of it)"))
    rows.append(("peak memory of our builds (largest process)", f"{builds_peak:.0f} MiB"))
    reference_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows.append(("peak memory of the plain mkdocs reference", f"{reference_peak:.0f} MiB"))
    rows.append(("output size (site/)", f"{size_mib(root / 'site'):.0f} MiB"))

    print_table(rows, details)
    return 0


def print_table(rows: list[tuple[str, str]], details: list[tuple[str, list[str]]]) -> None:
    """The measure | value table, then each build's stage timings."""
    width = max(len(name) for name, _ in rows)
    print(f"\n{'measure'.ljust(width)} | value")
    print(f"{'-' * width}-|-{'-' * 40}")
    for name, value in rows:
        print(f"{name.ljust(width)} | {value}")
    for name, stages in details:
        print(f"\n{name}:")
        for stage in stages:
            print(f"  {stage}")


if __name__ == "__main__":
    sys.exit(main())
