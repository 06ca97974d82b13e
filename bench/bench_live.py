"""Issue 21: today's letter through a long-running process, as the live preview (`serve`) rebuilds,
without the server: one build into a temporary folder, then today's letter written into documents/
(not committed) and built, then removed and built, `--rounds` times, each in the same process with
the same BuildMemory. Prints each rebuild's seconds, stages and the cyclic garbage collector's share
(timed through gc.callbacks), then a table.

The portal is bench_scale.py's (bench/scale_corpus.py, made once and reused); run bench_scale.py first
or let this make it (about 23 letters/s). Inspections come from the portal's cache: the first build is
cold if the examining code changed since the cache was made.

Usage: .venv/bin/python bench/bench_live.py [--n 10000] [--root /tmp/congbo-scale] [--rounds 2]
"""

from __future__ import annotations

import argparse
import gc
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import scale_corpus

from pipeline.build import BuildOptions, build
from pipeline.config import load_config
from pipeline.memory import BuildMemory


class _CollectorClock:
    """Seconds the cyclic garbage collector ran, and how many of its runs were full collections."""

    def __init__(self) -> None:
        self.seconds, self.full, self._start = 0.0, 0, 0.0
        gc.callbacks.append(self._tick)

    def _tick(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._start
            self.full += info["generation"] == 2

    def reset(self) -> None:
        self.seconds, self.full = 0.0, 0


def _stages(phases: tuple[tuple[str, float], ...]) -> str:
    return ", ".join(f"{name} {seconds:.2f}" for name, seconds in phases if seconds >= 0.05)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--root", type=Path, default=Path(tempfile.gettempdir()) / "congbo-scale")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    root: Path = args.root.resolve()
    scale_corpus.make_portal(root, args.n)
    memory = BuildMemory()
    out = Path(tempfile.mkdtemp(prefix="congbo-live-")) / "site"
    rows: list[tuple[str, float, float]] = []
    collector = _CollectorClock()
    try:
        start = time.perf_counter()
        build(load_config(root / "portal.yml"), out, BuildOptions(replay=False, memory=memory))
        print(f"first build: {time.perf_counter() - start:.1f} s", flush=True)
        for round_ in range(1, args.rounds + 1):
            added = scale_corpus.add_one(root, args.n + 1, commit=False)
            try:
                for name in ("today's letter written", "removed again"):
                    if name == "removed again":
                        added.unlink()
                    collector.reset()
                    start = time.perf_counter()
                    result = build(load_config(root / "portal.yml"), out, BuildOptions(replay=False, memory=memory))
                    seconds = time.perf_counter() - start
                    rows.append((f"round {round_}: {name}", seconds, collector.seconds))
                    phases = result.stats.phases if result.stats else ()
                    print(f"round {round_}: {name}: {seconds:.2f} s, garbage collection {collector.seconds:.2f} s "
                          f"({collector.full} full) ({_stages(phases)})", flush=True)
            finally:
                if added.exists():
                    added.unlink()
    finally:
        shutil.rmtree(out.parent, ignore_errors=True)
    print(f"\n| rebuild ({args.n} letters, one process, inspections and evaluations kept) | seconds "
          "| of which garbage collection |")
    print("|---|---:|---:|")
    for name, seconds, collecting in rows:
        print(f"| {name} | {seconds:.2f} | {collecting:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
