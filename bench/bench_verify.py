"""Signature verification speed, through the real sandbox and worker pool (issue 3).

Generates N two-signature letters (the demo letters rendered once, then signed N times by varying
people at varying times, so every file is distinct) into a scratch portal trusting a fresh DEMO PKI,
then measures:

  cold   every file examined in the sandboxed worker pool (signatures with difference analysis,
         text and metadata), on all cores: documents/s and ms/document
  build  the same through build.inspect_sources with an empty cache (adds writing the cache)
  warm   build.inspect_sources again: every file answered by the InspectionCache, ms/document

and checks that every letter was examined successfully and would be published (a benchmark of
refusals would measure nothing). Goal: >= 80 documents/s cold on 2 cores, < 1 ms/document warm.

Usage: .venv/bin/python bench/bench_verify.py [--n 1000] [--workers N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing as mp
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import yaml

from pipeline.build import BuildOptions, inspect_sources
from pipeline.config import load_config
from pipeline.corpus.letters import demo_letters, render_letter
from pipeline.corpus.pki import DemoPki, make_demo_pki
from pipeline.discover import discover
from pipeline.policy import judge
from pipeline.records import Inspection
from pipeline.sandbox import Job, Limits, examine_all
from pipeline.signing import sign_letter
from pipeline.verify import TrustAnchors

REPO = Path(__file__).resolve().parents[1]
ICT = dt.timezone(dt.timedelta(hours=7))

# Filled in before the signing pool forks: workers inherit them (keys are not picklable).
_PKI: DemoPki | None = None
_RENDERED: list[bytes] = []
_FOLDER = Path()


def _sign_one(index: int) -> None:
    assert _PKI is not None
    base = dt.datetime(2026, 1, 5, 8, 0, tzinfo=ICT) + dt.timedelta(days=index % 300, minutes=index)
    data = sign_letter(_RENDERED[index % len(_RENDERED)], _PKI.people[index % len(_PKI.people)],
                       _PKI.organisation, person_time=base, organisation_time=base + dt.timedelta(minutes=40))
    (_FOLDER / f"bench-{index:05d}.pdf").write_bytes(data)


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def make_portal(root: Path, n: int, workers: int) -> float:
    """Write portal.yml, trust/root.pem and N signed letters under `root`; return seconds spent."""
    global _PKI, _RENDERED, _FOLDER
    start = time.perf_counter()
    _PKI = make_demo_pki()
    (root / "trust").mkdir(parents=True)
    (root / "trust" / "root.pem").write_bytes(_PKI.root.cert_pem())
    config = yaml.safe_load((REPO / "portal.yml").read_text(encoding="utf-8"))
    config["trust"]["roots"] = ["trust/root.pem"]
    (root / "portal.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    publishable = {t.casefold() for t in config["policy"]["publishable_types"]}
    _RENDERED = [render_letter(letter) for letter in demo_letters()
                 if (letter.type_name or "").casefold() in publishable and not letter.secrecy]
    _FOLDER = root / "documents" / "2026"
    _FOLDER.mkdir(parents=True)
    with mp.get_context("fork").Pool(workers) as pool:
        pool.map(_sign_one, range(n), chunksize=16)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000, help="number of letters (default 1000)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="worker processes (default: all cores)")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = parser.parse_args(argv)

    root = args.keep or Path(tempfile.mkdtemp(prefix="congbo-bench-verify-"))
    if args.keep and root.exists():
        shutil.rmtree(root)
    try:
        generated = make_portal(root, args.n, args.workers)
        config = load_config(root / "portal.yml")
        sources = discover(root)
        assert len(sources) == args.n, len(sources)
        anchors = TrustAnchors.from_pem(config.trust.roots_pem, config.organisation.certificate_names)
        jobs = [Job(s.path, root / s.path, s.sha256) for s in sources]

        children = _cpu(resource.RUSAGE_CHILDREN)
        parent = _cpu(resource.RUSAGE_SELF)
        start = time.perf_counter()
        cold = dict(examine_all(jobs, anchors, Limits(), args.workers))
        cold_s = time.perf_counter() - start
        worker_cpu = _cpu(resource.RUSAGE_CHILDREN) - children  # workers are reaped when examine_all ends
        parent_cpu = _cpu(resource.RUSAGE_SELF) - parent

        options = BuildOptions(workers=args.workers, use_cache=True)
        start = time.perf_counter()
        built = inspect_sources(config, sources, options)
        build_s = time.perf_counter() - start

        start = time.perf_counter()
        warm = inspect_sources(config, sources, options)
        warm_s = time.perf_counter() - start

        failures = [key for key, result in cold.items() if not isinstance(result, Inspection)]
        refused = {key: judge(result, result.metadata if isinstance(result, Inspection) else None, config)
                   for key, result in warm.items()}
        refused = {key: reasons for key, reasons in refused.items() if reasons}
        assert warm == built, "the cache did not give back what was examined"
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)

    n = args.n
    print(f"bench_verify: {n} two-signature letters, {args.workers} worker(s) on {os.cpu_count()} core(s); "
          f"generated in {generated:.1f} s")
    print()
    print("| run | total s | documents/s | ms/document |")
    print("|---|---:|---:|---:|")
    for label, seconds in (("cold: sandbox pool, examine only", cold_s),
                           ("cold: inspect_sources, empty cache", build_s),
                           ("warm: inspect_sources, every file cached", warm_s)):
        print(f"| {label} | {seconds:.2f} | {n / seconds:.0f} | {seconds / n * 1000:.2f} |")
    print()
    per_doc = worker_cpu / n * 1000
    print(f"cold CPU: workers {per_doc:.1f} ms/document, parent {parent_cpu / n * 1000:.2f} ms/document; "
          f"{args.workers} idle core(s) would give about {args.workers * 1000 / per_doc:.0f} documents/s")
    print(f"load average during the run: {os.getloadavg()[0]:.2f} (other processes compete for the cores)")
    print(f"examined: {n - len(failures)}/{n}; would publish: {n - len(refused)}/{n}")
    for key, reasons in list(refused.items())[:5]:
        print(f"  refused {key}: {[f'{r.code.value}: {r.detail}' for r in reasons]}")
    for key in failures[:5]:
        print(f"  failed {key}: {cold[key]}")
    return 0 if not failures and not refused else 1


if __name__ == "__main__":
    sys.exit(main())
