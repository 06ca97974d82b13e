"""Issues 9 and 21: the portal at scale. Generates N signed letters across 50 units into a scratch
portal that is a git repository, one commit per working day (bench/scale_corpus.py, reused between
runs), and prints a table:

  cold build (verification of every file, no cache), documents/s, and each stage's share of it
  warm rebuild with nothing changed
  today's letter (committed now, dated after every other), one-shot `build`: seconds, each stage's
    share, and the site compared file for file with a full build of the same commit (`build --full`,
    inspections cached, itself measured)
  a backdated letter (issued in March of the newest year), and removing each letter again
  with --live: today's letter through the live preview (`serve`, inspections in memory): seconds from
    the file landing in documents/ to the preview's new version
  plain pyhanko (a process pool validating the same files, as bench_verify.py's reference) and plain
    mkdocs-material (`mkdocs build` on exactly the pages the pipeline generates), in the same run
  peak memory of each run (largest process of its tree), output size

Every row is printed as soon as it is measured (a long run shows its progress), then the whole table.

Usage: .venv/bin/python bench/bench_scale.py [--n 10000] [--root /tmp/congbo-scale] [--skip-cold] [--live]
           [--reference-sample K] [--no-references]
"""

from __future__ import annotations

import argparse
import collections
import filecmp
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import scale_corpus

PYTHON = sys.executable
BENCH = Path(__file__).resolve().parent
GOALS = {"cold": 360.0, "one-shot": 10.0, "live": 5.0, "memory": 1024.0}  # issue 21, at 30,000 letters
STAGE = re.compile(r"^(?P<name>.+?) (?P<seconds>\d+(?:\.\d+)?) s(?: \((?P<note>.*)\))?$")


# A process forked from this one starts with this one's resident size in its peak (Linux keeps the
# high-water mark of the address space it had before exec), and this bench holds a gigabyte at
# 30,000 letters: every command is started by a small launcher, and the peak of the launcher's child
# is the command's own (with its reaped descendants').
_LAUNCHER = (
    "import os, signal, subprocess, sys\n"
    "child = subprocess.Popen(sys.argv[1:])\n"
    "signal.signal(signal.SIGTERM, lambda *_: child.terminate())\n"
    "_, status, usage = os.wait4(child.pid, 0)\n"
    "print(f'\\n@@peak-kib {usage.ru_maxrss}', file=sys.stderr)\n"
    "sys.exit(os.waitstatus_to_exitcode(status))\n"
)


def run_measured(command: list[str], **kwargs: object) -> tuple[float, int, str, float]:
    """Run `command`; returns wall seconds, exit status, output (stdout + stderr) and the peak resident
    memory in MiB of the largest process of its tree (the command's own and its reaped descendants')."""
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out:
        process = subprocess.Popen([PYTHON, "-c", _LAUNCHER, *command], stdout=out, stderr=subprocess.STDOUT,
                                   text=True, **kwargs)  # type: ignore[call-overload]
        process.wait()
        seconds = time.perf_counter() - start
        out.seek(0)
        output, _, peak = out.read().rpartition("\n@@peak-kib ")
        return seconds, process.returncode, output, int(peak.strip() or 0) / 1024


def stages_of(output: str) -> list[str]:
    return [line.removeprefix("timing: ") for line in output.splitlines() if line.startswith("timing: ")]


def timed_build(root: Path, *extra: str) -> tuple[float, int, str, list[str], float]:
    """One `build --timings` in its own process: seconds, exit status, output, stage timings, peak MiB."""
    seconds, status, output, peak = run_measured(
        [PYTHON, "-m", "pipeline", "--root", str(root), "build", "--timings", *extra])
    return seconds, status, output, stages_of(output), peak


def shares(stages: list[str], wall: float) -> list[str]:
    """Each timed stage with its share of the build's wall time; the rest is start-up and untimed."""
    lines, timed = [], 0.0
    for stage in stages:
        found = STAGE.match(stage)
        if not found:
            lines.append(stage)
            continue
        seconds = float(found["seconds"])
        timed += seconds
        note = f" ({found['note']})" if found["note"] else ""
        lines.append(f"{found['name']:<45} {seconds:8.2f} s {seconds / wall:6.1%}{note}")
    rest = wall - timed
    lines.append(f"{'(start-up, imports, untimed)':<45} {rest:8.2f} s {rest / wall:6.1%}")
    lines.append(f"{'whole command':<45} {wall:8.2f} s")
    return lines


def _after_swap(stages: list[str]) -> float:
    """Seconds a build spent after the new site was swapped in (`build --timings`: the stages after
    "swap: the site is updated")."""
    names = [stage.rsplit(" ", 2)[0] for stage in stages]
    if "swap: the site is updated" not in names:
        return 0.0
    after = stages[names.index("swap: the site is updated") + 1:]
    return sum(float(stage.rsplit(" ", 2)[1]) for stage in after if stage.endswith(" s"))


# --- Comparing two sites file for file -------------------------------------------------------------

PAGEFIND_HASHED = re.compile(r"^(pagefind[^/]*/(?:[^/]+/)*[^/]*?_)[0-9a-f]{6,}(\.pf_\w+)$")


def file_list(site: Path) -> collections.Counter[str]:
    """Every file of the site, Pagefind's content-hashed names counted with the hash left out: Pagefind
    writes filter values in hash-map order, so two builds of the same records give the same bytes in
    another order and under another name (the decompressed bytes are a permutation of each other)."""
    found: collections.Counter[str] = collections.Counter()
    for path in site.rglob("*"):
        if path.is_file():
            found[PAGEFIND_HASHED.sub(r"\1#\2", path.relative_to(site).as_posix())] += 1
    return found


PAGEFIND_ENTRY_HASH = re.compile(rb'"hash":"[a-z-]+_[0-9a-f]+"')


def same_bytes(path: str, ours: Path, theirs: Path) -> bool:
    """Equal bytes; a Pagefind entry file (pagefind-entry.json) with the hash of its meta file left out."""
    if path.endswith("pagefind-entry.json"):
        mine, other = (PAGEFIND_ENTRY_HASH.sub(b"#", (site / path).read_bytes()) for site in (ours, theirs))
        return mine == other
    return filecmp.cmp(ours / path, theirs / path, shallow=False)


def compare_sites(ours: Path, theirs: Path) -> tuple[str, list[str]]:
    """File lists (Pagefind hashes aside) and the bytes of every other common file; (verdict, differences)."""
    mine, other = file_list(ours), file_list(theirs)
    differences = [f"only in the incremental site: {p}" for p in sorted(mine - other)]
    differences += [f"only in the full build: {p}" for p in sorted(other - mine)]
    common = [p for p in mine & other if "#" not in p]
    differing = [p for p in sorted(common) if not same_bytes(p, ours, theirs)]
    differences += [f"bytes differ: {p}" for p in differing]
    hashed = sum(n for p, n in (mine & other).items() if "#" in p)
    verdict = (f"{'IDENTICAL' if not differences else 'DIFFERENT'}: {sum(mine.values())} files against "
               f"{sum(other.values())}; {len(common) - len(differing)} of {len(common)} compared byte for byte "
               f"equal (Pagefind entry files without their meta hash), {hashed} Pagefind chunk files matched by "
               "name without their hash")
    return verdict, differences


# --- References: plain mkdocs-material and plain pyhanko, each in its own process ------------------


def mkdocs_reference(root: Path, scratch: Path) -> tuple[float, int, float]:
    """Plain mkdocs-material, one process as `mkdocs build` runs, on exactly the files the pipeline
    generates (same mkdocs.yml, same theme, PDFs and feeds included as static files); seconds of the
    mkdocs build alone, pages, peak MiB of its process (the pages are prepared in this process)."""
    from pipeline.build import BuildOptions, collect, render
    from pipeline.config import load_config
    from pipeline.publish.writer import Writer, copy_hand_written, write_planned

    config = load_config(root / "portal.yml")
    report = collect(config, BuildOptions())
    shutil.rmtree(scratch, ignore_errors=True)
    docs = scratch / "docs"
    docs.mkdir(parents=True)
    writer = Writer(copy_hand_written(root / "content", docs))
    render(config, report, writer)
    write_planned(docs, writer.planned)
    del report, writer
    pages = sum(1 for _ in docs.rglob("*.md"))
    _, status, output, peak = run_measured(
        [PYTHON, __file__, "--mkdocs-only", str(root), str(docs), str(scratch / "site"), config.site.url])
    if status != 0:
        raise SystemExit(f"plain mkdocs failed:\n{output[-3000:]}")
    seconds = float(output.strip().splitlines()[-1])
    shutil.rmtree(scratch, ignore_errors=True)
    return seconds, pages, peak


def _mkdocs_only(root: str, docs: str, site: str, url: str) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config as load_mkdocs_config

    cfg = load_mkdocs_config(str(Path(root) / "mkdocs.yml"), docs_dir=docs, site_dir=site, site_url=url)
    start = time.perf_counter()
    mkdocs_build(cfg)
    print(f"{time.perf_counter() - start:.3f}")


def pyhanko_reference(root: Path, paths: list[str], workers: int) -> tuple[dict[str, float], float]:
    """bench_verify.py's reference: plain pyhanko in a fresh interpreter that does not import
    `pipeline`, a pool of `workers` processes, on `paths`; its figures and peak MiB."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as listing:
        listing.write("\n".join(paths))
        listing.flush()
        with open(listing.name, encoding="utf-8") as stdin:
            _, status, output, peak = run_measured(
                [PYTHON, str(BENCH / "bench_verify.py"), "--plain-pyhanko", str(root / "trust" / "root.pem"),
                 "--workers", str(workers)], stdin=stdin)
    if status != 0:
        raise SystemExit(f"plain pyhanko failed:\n{output[-3000:]}")
    return json.loads(output.strip().splitlines()[-1]), peak


# --- The live preview ------------------------------------------------------------------------------


def live_preview(root: Path, index: int) -> tuple[float, float, float, float]:
    """`serve` on the portal: seconds to the first version, then seconds from today's letter landing in
    documents/ to the next version and from its removal to the one after; peak MiB of the server."""
    from pipeline.office.preview import VERSION_PATH

    port = 18000 + os.getpid() % 1000
    start = time.perf_counter()
    said = tempfile.TemporaryFile("w+")  # noqa: SIM115 (closed in the finally below) the server's peak
    server = subprocess.Popen([PYTHON, "-c", _LAUNCHER, PYTHON, "-m", "pipeline", "--root", str(root), "serve",
                               "--port", str(port)], stdout=subprocess.DEVNULL, stderr=said, text=True)

    def version(timeout: float) -> str:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{VERSION_PATH}", timeout=5) as answer:
                    return str(answer.read().decode())
            except OSError:
                time.sleep(0.2)
        raise SystemExit("the preview did not answer")

    def next_version(after: str, timeout: float = 900) -> float:
        begun = time.perf_counter()
        while version(timeout) == after:
            if time.perf_counter() - begun > timeout:
                raise SystemExit("the preview did not rebuild")
            time.sleep(0.05)
        return time.perf_counter() - begun

    try:
        first = version(3600)
        ready = time.perf_counter() - start
        added = scale_corpus.add_one(root, index)  # written (and committed) as the clerk's drop would
        landed = next_version(first)
        now = version(60)
        scale_corpus.remove_added(root)
        assert not added.exists()
        removed = next_version(now)
    finally:
        server.terminate()  # the launcher passes it on to the server, then says its peak
        server.wait()
        said.seek(0)
        peak = said.read().rpartition("\n@@peak-kib ")[2].strip()
        said.close()
    return ready, landed, removed, int(peak or 0) / 1024


def size_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / (1 << 20)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--root", type=Path, default=Path(tempfile.gettempdir()) / "congbo-scale")
    parser.add_argument("--skip-cold", action="store_true", help="reuse the inspection cache of an earlier run")
    parser.add_argument("--live", action="store_true", help="also today's letter through `serve` (a full build first)")
    parser.add_argument("--reference-sample", type=int, default=0,
                        help="plain pyhanko on this many of the files, evenly spread (default: all)")
    parser.add_argument("--no-references", action="store_true", help="skip plain pyhanko and plain mkdocs")
    parser.add_argument("--mkdocs-only", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mkdocs_only:
        _mkdocs_only(*args.mkdocs_only)
        return 0
    root: Path = args.root.resolve()
    workers = os.cpu_count() or 2
    rows: list[tuple[str, str]] = []
    details: list[tuple[str, list[str]]] = []
    peaks: dict[str, float] = {}

    def row(name: str, value: str) -> None:
        rows.append((name, value))
        print(f"{name} | {value} (load average {os.getloadavg()[0]:.1f})", flush=True)

    row("documents", f"{args.n} (history: one commit per working day, tag {scale_corpus.BASELINE})")
    start = time.perf_counter()
    scale_corpus.make_portal(root, args.n, workers)
    row("generation and history (not part of the pipeline)", f"{time.perf_counter() - start:.1f} s")
    commits = scale_corpus.git(root, "rev-list", "--count", "HEAD").strip()
    signers = sorted(scale_corpus.SIGNERS)
    row("portal", f"{commits} commits, {len(signers)} signers, templates {', '.join(sorted(scale_corpus.TEMPLATES))}")

    def build(name: str, *extra: str) -> tuple[float, list[str]]:
        seconds, status, output, stages, peak = timed_build(root, *extra)
        if status not in (0, 3):
            print(output, file=sys.stderr)
            raise SystemExit(f"{name}: build failed with exit {status}")
        details.append((name, shares(stages, seconds)))
        peaks[name] = peak
        print(f"  {name}: {seconds:.2f} s, peak {peak:.0f} MiB", flush=True)
        for line in details[-1][1]:
            print(f"    {line}", flush=True)
        return seconds, stages

    if not args.skip_cold:
        shutil.rmtree(root / ".congbo", ignore_errors=True)
        shutil.rmtree(root / "site", ignore_errors=True)
        cold, stages = build("cold full build", "--workers", str(workers))
        collect = next((STAGE.match(s) for s in stages if s.startswith("collect ")), None)
        verified = (f"; collect {collect['seconds']} s = {args.n / float(collect['seconds']):.0f} documents/s "
                    f"({collect['note']})") if collect else ""
        row("cold full build (verify all + site)",
            f"{cold:.1f} s (goal ≤ {GOALS['cold']:.0f} s), {args.n / cold:.0f} documents/s{verified}")
    seconds, _ = build("warm rebuild, nothing changed")
    row("warm rebuild, nothing changed", f"{seconds:.2f} s")

    index = args.n + 1
    added = scale_corpus.add_one(root, index)
    seconds, stages = build("today's letter, one-shot build")
    row("today's letter (committed now), one-shot build",
        f"{seconds:.1f} s (goal ≤ {GOALS['one-shot']:.0f} s); site updated after {seconds - _after_swap(stages):.1f} s")
    snapshot = root.parent / f"{root.name}-incremental-site"
    shutil.rmtree(snapshot, ignore_errors=True)
    shutil.copytree(root / "site", snapshot, copy_function=os.link)  # hard links: no copy of gigabytes
    full, _ = build("full site build of the same commit, inspections cached", "--full")
    row("full site build, inspections cached (`build --full`)", f"{full:.1f} s")
    start = time.perf_counter()
    verdict, differences = compare_sites(snapshot, root / "site")
    row("today's letter: incremental site against the full build",
        f"{verdict} ({time.perf_counter() - start:.0f} s to compare)")
    for difference in differences[:20]:
        print(f"    {difference}", flush=True)
    shutil.rmtree(snapshot, ignore_errors=True)
    scale_corpus.remove_added(root)
    assert not added.exists()
    seconds, _ = build("rebuild after removing it (history back to the baseline)")
    row("rebuild after removing it again", f"{seconds:.1f} s")

    added = scale_corpus.add_one(root, index, backdated=True)
    seconds, stages = build("a backdated letter (issued in March of the newest year)")
    row("a backdated letter (issued in March of the newest year)",
        f"{seconds:.1f} s; site updated after {seconds - _after_swap(stages):.1f} s")
    scale_corpus.remove_added(root)
    seconds, _ = build("rebuild after removing the backdated letter")
    row("rebuild after removing it again", f"{seconds:.1f} s")

    if args.live:
        ready, landed, removed, peak = live_preview(root, index)
        peaks["live preview (serve)"] = peak
        row("live preview (`serve`): first build into its temporary folder", f"{ready:.1f} s")
        row("live preview: today's letter, file written to new version",
            f"{landed:.1f} s (goal ≤ {GOALS['live']:.0f} s); removed again: {removed:.1f} s")

    name, peak = max(peaks.items(), key=lambda item: item[1])
    row("peak memory of our runs (largest process of each run's tree)",
        f"{peak:.0f} MiB in \"{name}\" (goal < {GOALS['memory']:.0f} MiB); "
        + ", ".join(f"{k}: {v:.0f}" for k, v in peaks.items()))
    row("output size (site/)", f"{size_mib(root / 'site'):.0f} MiB")

    if not args.no_references:
        paths = sorted(str(p) for p in (root / "documents").rglob("*.pdf"))
        if args.reference_sample:
            step = max(1, len(paths) // args.reference_sample)
            paths = paths[::step][:args.reference_sample]
        figures, peak = pyhanko_reference(root, paths, workers)
        row(f"plain pyhanko, {workers}-process pool, same files (reference)",
            f"{figures['seconds']:.1f} s for {len(paths)} files = {len(paths) / figures['seconds']:.0f} documents/s, "
            f"{int(figures['good'])} of {int(figures['signatures'])} signatures good, peak {peak:.0f} MiB")
        reference, pages, peak = mkdocs_reference(root, root.parent / f"{root.name}-mkdocs-reference")
        row("plain mkdocs-material, same pages (reference)",
            f"{reference:.1f} s, {pages} pages, {pages / reference:.0f} pages/s, peak {peak:.0f} MiB")
    row("peak memory of this bench process", f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")

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
