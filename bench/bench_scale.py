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


def timed_build(root: Path, *extra: str) -> tuple[float, int, str]:
    start = time.perf_counter()
    done = subprocess.run([PYTHON, "-m", "pipeline", "--root", str(root), "build", *extra],
                          capture_output=True, text=True, check=False)
    return time.perf_counter() - start, done.returncode, done.stdout + done.stderr


def peak_rss_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def mkdocs_reference(root: Path) -> tuple[float, int]:
    """Plain mkdocs-material on exactly the pages the pipeline generated (same mkdocs.yml, same theme)."""
    from pipeline.build import BuildOptions, collect
    from pipeline.config import load_config
    from pipeline.render import copy_hand_written, render_all
    from pipeline.site import build_site

    config = load_config(root / "portal.yml")
    report = collect(config, BuildOptions())
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp) / "docs"
        docs.mkdir()
        hand = copy_hand_written(root / "content", docs)
        render_all(config, report.documents, docs, hand)
        pages = sum(1 for _ in docs.rglob("*.md"))
        start = time.perf_counter()
        build_site(root / "mkdocs.yml", docs, Path(tmp) / "site", config.site.url)
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

    if not args.skip_cold:
        shutil.rmtree(root / ".congbo", ignore_errors=True)
        shutil.rmtree(root / "site", ignore_errors=True)
        seconds, status, _ = timed_build(root)
        rows.append(("cold full build (verify all + site)",
                     f"{seconds:.1f} s, {args.n / seconds:.0f} documents/s, exit {status}"))
    seconds, status, _ = timed_build(root)
    rows.append(("warm rebuild, nothing changed", f"{seconds:.2f} s (exit {status})"))
    added = scale_corpus.add_one(root, args.n + 1)
    seconds, status, _ = timed_build(root)
    rows.append(("rebuild after adding one document", f"{seconds:.1f} s (exit {status})"))
    added.unlink()  # leave the corpus at N for the next run
    seconds, status, _ = timed_build(root)
    rows.append(("rebuild after removing it again", f"{seconds:.1f} s (exit {status})"))
    reference, pages = mkdocs_reference(root)
    rows.append(("plain mkdocs-material, same pages (reference)",
                 f"{reference:.1f} s, {pages} pages, {pages / reference:.0f} pages/s"))
    rows.append(("peak memory (largest process)", f"{peak_rss_mib():.0f} MiB"))
    rows.append(("output size (site/)", f"{size_mib(root / 'site'):.0f} MiB"))

    width = max(len(name) for name, _ in rows)
    print(f"\n{'measure'.ljust(width)} | value")
    print(f"{'-' * width}-|-{'-' * 40}")
    for name, value in rows:
        print(f"{name.ljust(width)} | {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
