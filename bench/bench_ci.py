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
import collections
import datetime as dt
import hashlib
import json
import os
import random
import re
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
from bench_scale import print_table

PYTHON = sys.executable
PAGES_LIMIT = 1 << 30  # GitHub Pages refuses sites over 1 GB
ICT = "+0700"
IGNORED = ".congbo/\nsite/\npki/\nbuild-report.md\n"
# The scale corpus (bench_scale.py, issue 9) predates the excluded subjects of issue 15: one topic in 14,
# "Mái ấm Công đoàn", is now refused (finance), and a refused number such as "2/KH-LĐLĐ" is then found
# by the output audit inside published numbers such as "12/KH-LĐLĐ", which stops the whole build (see
# the closing note). The CI path is measured on letters that all publish: that topic is replaced here
# by a neutral one, the same length of list, so every other letter is the same as bench_scale.py's.
NEUTRAL_TOPIC = "tập huấn nghiệp vụ công đoàn"
scale_corpus.SUBJECT_TOPICS[:] = [NEUTRAL_TOPIC if "Mái ấm" in t else t for t in scale_corpus.SUBJECT_TOPICS]
GIT_ENV = {"GIT_AUTHOR_NAME": "Văn thư", "GIT_AUTHOR_EMAIL": "vanthu@example.org",
           "GIT_COMMITTER_NAME": "Văn thư", "GIT_COMMITTER_EMAIL": "vanthu@example.org"}


def git(cwd: Path, *args: str, env: dict[str, str] | None = None, data: bytes | None = None) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, input=data, capture_output=True, check=False,
                          env={**os.environ, **GIT_ENV, **(env or {})})
    if done.returncode != 0:
        raise SystemExit(f"git {' '.join(args)} failed: {done.stderr.decode(errors='replace')}")
    return done.stdout.decode()


# --- The origin: the scale portal with a history of one commit per working day --------------------


def _day_of(path: Path) -> str:
    """documents/YYYY/YYYY-MM-DD-NNNNN.pdf -> YYYY-MM-DD (scale_corpus names each letter by its date)."""
    return path.name[:10]


def make_history(origin: Path) -> int:
    """Commit every file not yet in HEAD: first the portal's own files, then the letters, one commit per
    day they were issued (at 17:00 ICT that day) with git fast-import; returns the commits made."""
    if not (origin / ".git").exists():
        git(origin, "init", "-q", "-b", "main")
    (origin / ".gitignore").write_text(IGNORED, encoding="utf-8")
    has_head = subprocess.run(["git", "rev-parse", "-q", "--verify", "HEAD"], cwd=origin,
                              capture_output=True, check=False).returncode == 0
    tracked = set(git(origin, "ls-files", "-z").split("\0")) if has_head else set()
    made = 0
    if has_head:  # make_portal copies the repository's content/, theme/ and mkdocs.yml again on each run
        git(origin, "add", "-A", ".gitignore", "portal.yml", "mkdocs.yml", "content", "theme", "trust")
        if subprocess.run(["git", "diff", "--cached", "--quiet"], cwd=origin, check=False).returncode != 0:
            git(origin, "commit", "-q", "-m", "Trang thông tin cập nhật")
            made += 1
    else:
        start = "2015-12-31T09:00:00" + ICT
        git(origin, "add", "-A", ".gitignore", "portal.yml", "mkdocs.yml", "content", "theme", "trust")
        dates = {"GIT_AUTHOR_DATE": start, "GIT_COMMITTER_DATE": start}
        git(origin, "commit", "-q", "-m", "Trang thông tin", env=dates)
        made += 1
    new = sorted(p for p in (origin / "documents").rglob("*.pdf") if p.relative_to(origin).as_posix() not in tracked)
    if not new:
        return made
    # Blobs written once, then referenced by id from the fast-import stream.
    listed = "\n".join(str(p) for p in new) + "\n"
    blobs = git(origin, "hash-object", "-w", "--stdin-paths", data=listed.encode()).split()
    by_day: dict[str, list[tuple[str, str]]] = collections.defaultdict(list)
    for path, blob in zip(new, blobs, strict=True):
        by_day[_day_of(path)].append((path.relative_to(origin).as_posix(), blob))
    stream = []
    for day in sorted(by_day):
        when = int(dt.datetime.fromisoformat(f"{day}T17:00:00+07:00").timestamp())
        message = f"Văn bản ngày {day}".encode()
        stream.append(b"commit refs/heads/main\n")
        stream.append(f"committer Văn thư <vanthu@example.org> {when} {ICT}\n".encode())
        stream.append(b"data %d\n%s\n" % (len(message), message))
        if len(stream) == 3:  # the first commit of the stream continues the branch
            stream.append(b"from refs/heads/main^0\n")
        for name, blob in by_day[day]:
            stream.append(f"M 100644 {blob} {name}\n".encode())
        stream.append(b"\n")
        made += 1
    git(origin, "fast-import", "--quiet", "--force", data=b"".join(stream))
    git(origin, "reset", "-q", "--mixed", "HEAD")  # the index follows the imported commits
    return made


def add_letter(origin: Path, n: int) -> Path:
    """Today's letter, dated after every other, committed now as a clerk's push would."""
    index = max(n, 10_000) + 1
    added = scale_corpus.add_one(origin, index)
    git(origin, "add", "--", added.relative_to(origin).as_posix())
    git(origin, "commit", "-q", "-m", f"Văn bản {added.name}")
    return added


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


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


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

    # The origin, reset to its baseline (today's letter of the last run removed).
    if (origin / ".git").exists() and git(origin, "tag", "-l", f"baseline-{args.n}").strip():
        git(origin, "reset", "-q", "--hard", f"baseline-{args.n}")
        git(origin, "clean", "-q", "-fd", "documents")
    start = time.perf_counter()
    scale_corpus.make_portal(origin, args.n)
    generated = time.perf_counter() - start
    pdf_origin = None if args.pdf_base_url == "none" else args.pdf_base_url
    if pdf_origin:  # committed with the portal's own files (make_history), as an office would
        settings = yaml.safe_load((origin / "portal.yml").read_text(encoding="utf-8"))
        settings["site"]["pdf_base_url"] = pdf_origin
        (origin / "portal.yml").write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False),
                                           encoding="utf-8")
        rows.append(("site.pdf_base_url", f"{pdf_origin} (deploy step: split-site, then the pages artifact)"))
    start = time.perf_counter()
    commits = make_history(origin)
    if commits:
        git(origin, "tag", "-f", f"baseline-{args.n}")
    loose = int(git(origin, "count-objects").split()[0])
    if loose > 100:
        # Packed as a forge keeps its repositories: otherwise every clone would pay for packing (and
        # looking for deltas between) thousands of loose PDF blobs, which no real push costs.
        git(origin, "repack", "-a", "-d", "-q")
    rows.append(("generation (not part of CI)", f"{generated:.1f} s"))
    total_commits = int(git(origin, "rev-list", "--count", "HEAD"))
    made_in = time.perf_counter() - start
    rows.append(("origin history", f"{total_commits} commits ({commits} made now in {made_in:.1f} s)"))
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
        differing = [p for p in sample if digest(full_site / p) != digest(work / "site" / p)]
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
