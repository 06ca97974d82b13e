"""Issue 18: the CI path at scale. Simulates what .github/workflows/portal.yml does on a push, on this
machine, for a portal of N signed letters across 50 units (bench/scale_corpus.py), and prints a table.

  origin      the scale portal as a git repository: one commit per working day of letters, committed
              that day at 17:00 (ICT), so that publication times come from git history as in an office
  step 1      the previous CI run: `git clone --no-local`, a cold `python -m pipeline build --ci`, then
              `.congbo/` and `site/` packed as actions/cache packs them (tar --posix | zstd)
  step 2      the push: one new signed letter committed in the origin; a fresh clone at the same path
              (the runner's workspace path does not change between runs, and the site state is keyed by
              the output folder's absolute path), the cache restored (untar), then
              `python -m pipeline build --ci --timings`: time from start to deployable site
  variants    the same push with `--filter=blob:none`, `--depth 1` and `--shallow-since`: each is
              correct only if the build gets the same publication times as from a full clone (the
              git first-commit map the build reads, and every JSON feed's dates, are compared)
  checks      the restored build is incremental ("incremental build" in its timings) and its site has
              the same files as a full build (`build --full` on another fresh clone): file lists equal,
              and the bytes of a sample of files equal

The scratch root is reused between runs, so generation and the origin's history are paid once; the
origin is reset to its baseline commit (tag `baseline`) at the start of each run.

Usage: .venv/bin/python bench/bench_ci.py [--n 10000] [--root /tmp/congbo-ci-bench] [--reuse-cache]
           [--variants full,blobless,depth1,since] [--no-full-compare]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import scale_corpus
from bench_scale import file_list, print_table, same_bytes

PYTHON = sys.executable
PAGES_LIMIT = 1 << 30  # GitHub Pages refuses sites over 1 GB
git = scale_corpus.git


def add_letter(origin: Path, n: int) -> Path:
    """Today's letter, dated after every other, committed now as a clerk's push would."""
    return scale_corpus.add_one(origin, n + 1)


# --- One CI run ----------------------------------------------------------------------------------


CODE = Path(__file__).resolve().parents[1]  # the tree whose pipeline is measured: the one this file is in


def timed(command: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    # The build runs the pipeline of CODE (e.g. a `git archive` of one commit, so that edits in a
    # shared checkout during a long run cannot change the code half way), from the clone as cwd.
    env = {**os.environ, "PYTHONPATH": str(CODE)}
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False, env=env)
    return time.perf_counter() - start, done


def clone(origin: Path, work: Path, *extra: str) -> float:
    shutil.rmtree(work, ignore_errors=True)
    work.parent.mkdir(parents=True, exist_ok=True)
    url = origin.as_uri()  # file://, so that --depth and --filter are honoured
    seconds, done = timed(["git", "clone", "-q", "--no-local", *extra, url, str(work)], work.parent)
    if done.returncode != 0:
        raise SystemExit(f"clone {extra} failed: {done.stderr}")
    return seconds


def build(work: Path, *extra: str) -> tuple[float, int, str, list[str]]:
    """The workflow's build step (run in the clone, as the runner does)."""
    seconds, done = timed([PYTHON, "-m", "pipeline", "build", "--ci", "--timings", *extra], work)
    stages = [line.removeprefix("timing: ") for line in done.stderr.splitlines() if line.startswith("timing: ")]
    if done.returncode != 0:
        print(done.stdout + done.stderr, file=sys.stderr)
        raise SystemExit(f"build {extra} in {work} failed with exit {done.returncode}")
    return seconds, done.returncode, done.stdout + done.stderr, stages


def pack(work: Path, archive: Path) -> float:
    """As actions/cache saves: tar --posix of the paths, compressed with zstd."""
    archive.unlink(missing_ok=True)
    seconds, done = timed(["tar", "--posix", "-I", "zstd -T0", "-cf", str(archive), ".congbo", "site"], work)
    if done.returncode != 0:
        raise SystemExit(f"pack failed: {done.stderr}")
    return seconds


def unpack(work: Path, archive: Path) -> float:
    seconds, done = timed(["tar", "-I", "zstd -d", "-xf", str(archive)], work)
    if done.returncode != 0:
        raise SystemExit(f"restore failed: {done.stderr}")
    return seconds


def size_bytes(folder: Path) -> int:
    return int(subprocess.run(["du", "-sb", str(folder)], capture_output=True, text=True, check=True).stdout.split()[0])


def feed_dates(site: Path) -> dict[tuple[str, str], str]:
    """(feed, item id) -> date_published over every JSON feed of the site."""
    found: dict[tuple[str, str], str] = {}
    for path in sorted((site / "feeds").glob("*.json")):
        for item in json.loads(path.read_text(encoding="utf-8")).get("items", []):
            found[(path.name, item["id"])] = item.get("date_published", "")
    return found


def history_map(work: Path) -> dict[str, str]:
    from pipeline.history import first_commit_times

    return {blob: when.isoformat() for blob, when in first_commit_times(work).items()}


def stage_line(stages: list[str], word: str) -> str:
    return next((s for s in stages if word in s), "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--root", type=Path, default=Path(tempfile.gettempdir()) / "congbo-ci-bench")
    parser.add_argument("--reuse-cache", action="store_true",
                        help="skip step 1 when the cache archive of the same baseline is there")
    parser.add_argument("--variants", default="full,blobless,depth1,since")
    parser.add_argument("--no-full-compare", action="store_true", help="skip the full build the site is compared to")
    parser.add_argument("--pdf-base-url", default="https://tep.congbo.example.vn/van-ban/",
                        help="site.pdf_base_url of the portal (the PDFs on their own origin, as a portal of this "
                             "size on GitHub Pages needs; the deploy step then splits the site), or 'none'")
    args = parser.parse_args()
    root: Path = args.root
    origin, work, archive = root / "origin", root / "runner" / "portal", root / "cache.tar.zst"
    rows: list[tuple[str, str]] = [("documents", f"{args.n} (plus today's letter)"), ("pipeline code", str(CODE)),
                                   ("cores", str(os.cpu_count()))]
    details: list[tuple[str, list[str]]] = []
    findings: list[str] = []

    # The origin: the scale portal as a git repository (one commit per working day, tag `baseline`),
    # reset to its baseline (today's letter of the last run removed).
    start = time.perf_counter()
    scale_corpus.make_portal(origin, args.n)
    rows.append(("generation and history (not part of CI)", f"{time.perf_counter() - start:.1f} s"))
    pdf_origin = None if args.pdf_base_url == "none" else args.pdf_base_url
    if pdf_origin:  # a commit of the office's own settings on top of the letters' history
        settings = yaml.safe_load((origin / "portal.yml").read_text(encoding="utf-8"))
        settings["site"]["pdf_base_url"] = pdf_origin
        (origin / "portal.yml").write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False),
                                           encoding="utf-8")
        git(origin, "add", "portal.yml")
        git(origin, "commit", "-q", "-m", "Trang thông tin: tệp PDF ở máy chủ riêng")
        rows.append(("site.pdf_base_url", f"{pdf_origin} (deploy step: split-site, then the pages artifact)"))
    rows.append(("origin history", f"{git(origin, 'rev-list', '--count', 'HEAD').strip()} commits"))
    baseline = git(origin, "rev-parse", "HEAD").strip()

    # Step 1: the previous CI run, cold, and the cache it saves.
    marker = root / "cache.baseline"
    if args.reuse_cache and archive.exists() and marker.exists() and marker.read_text() == baseline:
        rows.append(("step 1 (previous run)", "cache of the same baseline reused"))
    else:
        seconds = clone(origin, work)
        rows.append(("step 1: clone, full history", f"{seconds:.1f} s"))
        seconds, _, output, stages = build(work)
        details.append(("step 1: cold build", stages))
        rows.append(("step 1: cold build --ci", f"{seconds:.1f} s"))
        seconds = pack(work, archive)
        marker.write_text(baseline)
        rows.append(("step 1: cache save (tar --posix | zstd)", f"{seconds:.1f} s"))
    rows.append(("cache archive size", f"{archive.stat().st_size / (1 << 20):.0f} MiB"))

    # Step 2: the push of one letter.
    added = add_letter(origin, args.n)
    rows.append(("pushed", added.relative_to(origin).as_posix()))
    since = (dt.date.today() - dt.timedelta(days=7)).isoformat()
    variants = {"full": (), "blobless": ("--filter=blob:none",), "depth1": ("--depth", "1"),
                "since": (f"--shallow-since={since}",)}
    reference_dates: dict[tuple[str, str], str] = {}
    reference_history: dict[str, str] = {}
    full_site: Path | None = None
    for name in [v for v in args.variants.split(",") if v]:
        extra = variants[name]
        clone_s = clone(origin, work, *extra)
        restore_s = unpack(work, archive)
        build_s, _, output, stages = build(work)
        details.append((f"step 2 ({name}): build --ci after restore", stages))
        split_s = 0.0
        if pdf_origin:  # the workflow's deploy step: pages artifact and PDF folder, by hard links
            for folder in ("site-pages", "site-pdfs"):
                shutil.rmtree(work / folder, ignore_errors=True)
            split_s, done = timed([PYTHON, "-m", "pipeline", "split-site", "--pages", "site-pages",
                                   "--pdfs", "site-pdfs"], work)
            if done.returncode != 0:
                raise SystemExit(f"split-site failed: {done.stderr}")
        total = clone_s + restore_s + build_s + split_s
        kind = stage_line(stages, "build:")
        incremental = "incremental build" in kind
        size_line = next((line for line in output.splitlines() if "Dung lượng Trang tin" in line), "(not printed)")
        history = history_map(work)
        dates = feed_dates(work / "site")
        label = f"step 2 ({name}{': ' + ' '.join(extra) if extra else ''})"
        rows.append((f"{label}: clone", f"{clone_s:.1f} s, .git {size_bytes(work / '.git') / (1 << 20):.0f} MiB"))
        rows.append((f"{label}: restore cache (untar)", f"{restore_s:.1f} s"))
        rows.append((f"{label}: build --ci --timings", f"{build_s:.1f} s, {'incremental' if incremental else 'FULL'}"
                     f" ({kind})"))
        if pdf_origin:
            rows.append((f"{label}: split-site (pages artifact and PDF folder)", f"{split_s:.1f} s"))
        rows.append((f"{label}: start to deployable site", f"{total:.1f} s (goal < 60 s)"))
        if name == "full":
            reference_dates, reference_history = dates, history
            site_bytes = size_bytes(work / "site")
            rows.append(("site size (du -sb site)", f"{site_bytes / (1 << 20):.0f} MiB"))
            if pdf_origin:
                pages_bytes, pdf_bytes = size_bytes(work / "site-pages"), size_bytes(work / "site-pdfs")
                rows.append(("pages artifact (du -sb site-pages)", f"{pages_bytes / (1 << 20):.0f} MiB = "
                             f"{pages_bytes / PAGES_LIMIT:.0%} of the 1 GiB GitHub Pages limit"))
                rows.append(("PDF folder for the PDF origin (du -sb site-pdfs)", f"{pdf_bytes / (1 << 20):.0f} MiB"))
            else:
                rows.append(("share of the GitHub Pages limit", f"{site_bytes / PAGES_LIMIT:.0%} of 1 GiB"))
            rows.append(("build says", size_line.strip()))
            full_site = root / "site-after-push"
            shutil.rmtree(full_site, ignore_errors=True)
            shutil.copytree(work / "site", full_site, copy_function=os.link)  # hard links: no copy of 1 GB
            if not incremental:
                findings.append(f"the restored-cache build was not incremental: {kind}")
        else:
            same_history = history == reference_history
            same_dates = dates == reference_dates
            wrong = sum(1 for k, v in reference_history.items() if history.get(k) != v)
            rows.append((f"{label}: publication times", "CORRECT (same as full clone)" if same_history and same_dates
                         else f"WRONG: {wrong} of {len(reference_history)} first-commit times differ, feeds "
                              f"{'same' if same_dates else 'differ'}"))

    # The deployable site against a full build of the same commit.
    if full_site is not None and not args.no_full_compare:
        clone(origin, work)
        seconds, _, _, stages = build(work, "--full")
        details.append(("reference: cold build of the pushed commit (fresh clone, no cache)", stages))
        rows.append(("reference: cold build --full of the pushed commit, no cache", f"{seconds:.1f} s"))
        ours, theirs = file_list(full_site), file_list(work / "site")
        only_ours, only_theirs = ours - theirs, theirs - ours
        rows.append(("site file lists equal (Pagefind hashes aside)", "yes" if ours == theirs else
                     f"NO: {sum(only_ours.values())} only after restore, {sum(only_theirs.values())} only in full"))
        if ours != theirs:
            findings.append(f"only after restore: {sorted(only_ours)[:10]}; only in full: {sorted(only_theirs)[:10]}")
        common = sorted(p for p in ours & theirs if "#" not in p)
        rng = random.Random(18)
        sample = sorted({p for p in common if p.startswith("feeds/")} | set(rng.sample(common, min(300, len(common)))))
        differing = [p for p in sample if not same_bytes(p, full_site, work / "site")]
        same = len(sample) - len(differing)
        rows.append(("sampled files byte-identical (all feeds + 300)", f"{same} of {len(sample)}"))
        if differing:
            findings.append(f"bytes differ: {differing[:20]}")

    print_table(rows, details)
    for finding in findings:
        print(f"\nfinding: {finding}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
