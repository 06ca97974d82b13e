"""The site stage alone at the size of a large body's archive (issue 21): the pages of a scale
portal's documents, rendered as a build renders them, copied K times (each copy a page of its own
in the same folder, as another letter's page would be), then turned into the site by the site stage
as the build runs it (publish/site.py: two processes; pages outside the navigation filled from the
theme's shells), and, with `--reference`, by mkdocs building every page. Prints seconds, pages per
second and the peak memory of the site stage's processes.

    .venv/bin/python bench/bench_site_stage.py --portal /tmp/p10k --copies 10 [--reference]

The portal's inspections must be cached (build it once). The copies are document pages only: a real
portal of that size also has more listing pages (one per 50 letters per listing), which this leaves
at the portal's own number.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_scale import run_measured  # noqa: E402


def prepare(portal: Path, work: Path, copies: int) -> dict[str, object]:
    """The staged docs folder of a full build of `portal`, its document pages copied; the job."""
    from pipeline.build import collect, render
    from pipeline.config import load_config
    from pipeline.decide.numbers import relations
    from pipeline.present import newest_first
    from pipeline.publish import plan as planning

    config = load_config(portal / "portal.yml")
    report = collect(config)
    staging = planning.stage(config, report.documents, work / "site", incremental=False)
    writer = staging.writer()
    render(config, report, writer, staging.digests, relations(newest_first(report.documents)))
    plan = planning.plan(staging, writer)
    pages = list(plan.build)
    documents = sorted(p for p in (staging.docs / "van-ban").glob("*.md"))
    for n in range(1, copies):
        for page in documents:
            copy = page.with_name(f"{page.stem}-ban-{n}.md")
            os.link(page, copy)
            pages.append(copy.relative_to(staging.docs).as_posix())
    return {"config_file": str(portal / "mkdocs.yml"), "docs": str(staging.docs), "site_url": config.site.url,
            "pages": pages, "known": list(plan.static), "documents": len(documents) * copies}


def run_site(job: dict[str, object], site: Path, shells: bool) -> None:
    """In a process of its own: the site stage; prints its seconds and how the pages were made."""
    from pipeline.publish.site import build_site

    site.mkdir(parents=True)
    start = time.perf_counter()
    counts = build_site(Path(str(job["config_file"])), Path(str(job["docs"])), site, str(job["site_url"]),
                        list(job["pages"]), list(job["known"]), shells=shells)  # type: ignore[call-overload]
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "filled": counts.filled, "shells": counts.shells}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--portal", type=Path, help="a scale portal whose inspections are cached")
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--reference", action="store_true", help="also mkdocs building every page")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "congbo-site-stage")
    parser.add_argument("--run", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        run_site(json.loads(Path(args.run[0]).read_text(encoding="utf-8")), Path(args.run[1]), args.run[2] == "shells")
        return 0
    if args.portal is None:
        parser.error("--portal is required")
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    start = time.perf_counter()
    job = prepare(args.portal.resolve(), args.work, args.copies)
    job_file = args.work / "job.json"
    job_file.write_text(json.dumps(job), encoding="utf-8")
    print(f"staged {len(job['pages'])} pages ({job['documents']} document pages) in "  # type: ignore[arg-type]
          f"{time.perf_counter() - start:.0f} s", flush=True)
    rows = []
    for mode in ("shells", "mkdocs") if args.reference else ("shells",):
        site = args.work / f"site-{mode}"
        # Through bench_scale's launcher: a process started by this one, which holds the staged portal,
        # would otherwise begin with this one's size in its peak.
        _, status, output, peak = run_measured([sys.executable, __file__, "--run", str(job_file), str(site), mode])
        if status != 0:
            print(output[-3000:], file=sys.stderr)
            return 1
        figures = {**json.loads(output.strip().splitlines()[-1]), "peak": peak}
        pages = len(job["pages"])  # type: ignore[arg-type]
        rows.append((mode, pages, figures))
        print(f"{mode}: {figures['seconds']:.1f} s, peak {figures['peak']:.0f} MiB", flush=True)
        shutil.rmtree(site, ignore_errors=True)
    print(f"\n| site stage ({os.cpu_count()} cores) | pages | seconds | pages/s | peak MiB (largest process) "
          "| filled from shells |")
    print("|---|---:|---:|---:|---:|---|")
    for mode, pages, figures in rows:
        label = "shells (the build's way)" if mode == "shells" else "mkdocs builds every page"
        print(f"| {label} | {pages} | {figures['seconds']:.1f} | {pages / figures['seconds']:.0f} | "
              f"{figures['peak']:.0f} | {figures['filled']} from {figures['shells']} shells |")
    shutil.rmtree(args.work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
