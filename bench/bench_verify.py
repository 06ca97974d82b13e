"""Signature verification speed, through the real sandbox and worker pool (issue 3).

Generates N two-signature letters (the demo letters rendered once, then signed N times by varying
people at varying times, so every file is distinct) into a scratch portal trusting a fresh DEMO PKI,
then measures:

  reference  plain in-process pyhanko on the same files, as the issue's yardstick ("about 84
         two-signature documents/s with 2 workers" on the reference machine): a pool of the same
         number of worker processes, each with one ValidationContext (the same trust root, no
         fetching) reused for every file, `validate_pdf_signature` for every embedded signature;
         no text, no metadata, none of our checks. It runs in a separate interpreter that never
         imports `pipeline`, so none of the speed-ups of pipeline/examine/*_speedups.py (which the
         sandbox's workers install) apply.
  cold   every file examined in the sandboxed worker pool (signatures with difference analysis,
         text and metadata), on all cores: documents/s and ms/document
  build  the same through examine.inspect.inspect_sources with an empty cache (adds writing the cache)
  warm   examine.inspect.inspect_sources again: every file answered by the InspectionCache, ms/document

The reference and the sandbox pool alternate (--rounds, in the order R O, O R, R O, ...) so that
a machine that speeds up or slows down during the run affects both alike; the table gives every
run with the load average after it, and ours as a share of the reference. The goal, >= 80
documents/s where the reference gives about 84, is a share of 80/84 = 0.95 or more: absolute
figures of a shared or noisy machine are not comparable across hours, the share is. Two shares are
printed: of documents/s (elapsed time), and of CPU time per document (workers and parent), which
other processes on a shared machine disturb far less; on an idle machine with a worker per core
the two agree. On a busy machine, give more --rounds.

Checks that every letter was examined successfully and would be published (a benchmark of
refusals would measure nothing), and that the reference found every signature trusted and intact.

Where the time goes (issue 21): before the runs, one process set up as a sandbox worker (its
speed-ups installed) examines the first --profile letters (default 300; 0 leaves it out) twice:
once plainly, for the CPU time per letter, then with a CPU timer around each stage and each
library function of note, giving ms/letter for each (a function inside another is counted in
both; outermost calls only when one calls itself). These are direct timers, not a profiler's
estimate: cProfile multiplies pyhanko's and asn1crypto's many small calls several times over.
After the runs, the signatures are counted by signer certificate and by validation time: a memo of
certificate-path validation keyed soundly (the exact path and the time that applies to the
document) can only answer for a signature whose certificate and time another signature had.

Usage: .venv/bin/python bench/bench_verify.py [--n 1000] [--workers N] [--rounds 2] [--profile 300] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

# `pipeline` is imported inside the functions that measure our code: the plain pyhanko reference
# runs this file in a fresh interpreter that never imports it, so that nothing of ours can touch the
# libraries it measures.
REPO = Path(__file__).resolve().parents[1]
if TYPE_CHECKING:
    from corpus.pki import DemoPki

ICT = dt.timezone(dt.timedelta(hours=7))
GOAL = 80.0  # documents/s, issue 3
REFERENCE = 84.0  # documents/s of the plain pyhanko reference on the reference machine, issue 3

# Filled in before the signing pool forks: workers inherit them (keys are not picklable).
_PKI: DemoPki | None = None
_RENDERED: list[bytes] = []
_FOLDER = Path()


def _pipeline_path() -> None:
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))


def _sign_one(index: int) -> None:
    from corpus.signing import sign_letter

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
    from corpus.letters import demo_letters, render_letter
    from corpus.pki import make_demo_pki

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


@dataclass(frozen=True)
class Run:
    label: str
    seconds: float
    worker_cpu: float  # seconds of CPU in the worker processes
    parent_cpu: float  # seconds of CPU in the process that hands out the files and collects the results
    load: float  # 1-minute load average just after the run

    def per_second(self, n: int) -> float:
        return n / self.seconds


# --- The reference: plain pyhanko, in a fresh interpreter ------------------------------------------

_CONTEXT: Any = None


def _plain_start(root_pem: bytes) -> None:
    """Pool initializer: one ValidationContext per worker, the portal's trust root, no fetching."""
    from asn1crypto import pem, x509
    from pyhanko_certvalidator import ValidationContext

    global _CONTEXT
    roots = [x509.Certificate.load(der) for _, _, der in pem.unarmor(root_pem, multiple=True)]
    _CONTEXT = ValidationContext(trust_roots=roots, allow_fetching=False)


def _plain_verify(path: str) -> tuple[int, int]:
    """(signatures, signatures pyhanko finds intact, valid and trusted) of one file."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    with open(path, "rb") as file:
        data = file.read()
    reader = PdfFileReader(BytesIO(data))
    signatures = reader.embedded_signatures
    good = sum(1 for signature in signatures if validate_pdf_signature(signature, _CONTEXT).bottom_line)
    return len(signatures), good


def plain_pyhanko(paths: list[str], root_pem: bytes, workers: int) -> dict[str, float]:
    """Time plain pyhanko over `paths` with a pool of `workers` processes (what the issue's
    reference figure measures). Runs in the interpreter started by `reference_run`."""
    assert "pipeline" not in sys.modules, "the reference must run without our library replacements"
    import pyhanko.sign.validation  # noqa: F401  imported before forking, as the sandbox's workers inherit theirs

    children = _cpu(resource.RUSAGE_CHILDREN)
    parent = _cpu(resource.RUSAGE_SELF)
    start = time.perf_counter()
    with mp.get_context("fork").Pool(workers, initializer=_plain_start, initargs=(root_pem,)) as pool:
        counts = list(pool.imap_unordered(_plain_verify, paths, chunksize=1))
        pool.close()
        pool.join()
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "worker_cpu": _cpu(resource.RUSAGE_CHILDREN) - children,
            "parent_cpu": _cpu(resource.RUSAGE_SELF) - parent,
            "signatures": sum(c[0] for c in counts), "good": sum(c[1] for c in counts)}


def reference_run(root: Path, paths: list[str], workers: int) -> tuple[Run, dict[str, float]]:
    """The reference in a fresh interpreter that does not import `pipeline` (file list on stdin)."""
    command = [sys.executable, str(Path(__file__).resolve()), "--plain-pyhanko", str(root / "trust" / "root.pem"),
               "--workers", str(workers)]
    done = subprocess.run(command, input="\n".join(paths), capture_output=True, text=True, check=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    run = Run(f"reference: plain pyhanko, {workers}-process pool", figures["seconds"], figures["worker_cpu"],
              figures["parent_cpu"], os.getloadavg()[0])
    return run, figures


# --- Ours ------------------------------------------------------------------------------------------

def sandbox_run(jobs: list[Any], anchors: Any, workers: int) -> tuple[Run, dict[str, Any]]:
    from pipeline.examine.sandbox import Limits, examine_all

    children = _cpu(resource.RUSAGE_CHILDREN)
    parent = _cpu(resource.RUSAGE_SELF)
    start = time.perf_counter()
    results = dict(examine_all(jobs, anchors, Limits(), workers))
    seconds = time.perf_counter() - start
    worker_cpu = _cpu(resource.RUSAGE_CHILDREN) - children  # workers are reaped when examine_all ends
    parent_cpu = _cpu(resource.RUSAGE_SELF) - parent
    return Run("cold: sandbox pool, examine only", seconds, worker_cpu, parent_cpu, os.getloadavg()[0]), results


# --- Where the time goes ---------------------------------------------------------------------------

# (label, module, attribute path, coroutine function?): the stages of worker.examine and the library
# functions that dominate them, indented under the stage they belong to.
_PROFILED = (
    ("signatures: verify_pdf (pyhanko)", "pipeline.examine.worker", "verify_pdf", False),
    ("  pyhanko: open the file (xref tables, trailer)", "pyhanko.pdf_utils.reader", "PdfFileReader.__init__", False),
    ("  pyhanko: each signature validated (async_validate_pdf_signature)", "pipeline.examine.verify",
     "async_validate_pdf_signature", True),
    ("    difference analysis (once a file)", "pyhanko.sign.diff_analysis.policies",
     "StandardDiffPolicy.review_file", False),
    ("      of which every object read by pyhanko's parser", "pyhanko.pdf_utils.reader",
     "HistoricalResolver._load_reverse_xref_cache", False),
    ("    CMS checks (cms_basic_validation)", "pyhanko.sign.validation.generic_cms", "cms_basic_validation", True),
    ("      certificate path built and validated (validate_cert_usage)", "pyhanko.sign.validation.generic_cms",
     "validate_cert_usage", True),
    ("        of which RFC 5280 path validation (intl_validate_path)", "pyhanko_certvalidator.validate",
     "intl_validate_path", True),
    ("      signature over the signed attributes (validate_sig_integrity)", "pyhanko.sign.validation.generic_cms",
     "validate_sig_integrity", False),
    ("  pyhanko: signer's certificate found and matched (twice a signature, once in the CMS checks)",
     "pyhanko.sign.validation.generic_cms", "extract_certs_for_validation", False),
    ("text: pypdf reader opened (open_pdf)", "pipeline.examine.worker", "open_pdf", False),
    ("text: every page in layout mode (read_pages)", "pipeline.examine.worker", "read_pages", False),
    ("  fonts built (ToUnicode maps, widths)", "pypdf.generic._font", "Font.from_font_resource", False),
    ("  content streams tokenized (pypdf)", "pypdf.generic._data_structures", "ContentStream._parse_content_stream",
     False),
    ("channels: revisions, annotations, forms, metadata (inspect_channels)", "pipeline.examine.worker",
     "inspect_channels", False),
    ("images large enough to hold a stamp (image_pages)", "pipeline.examine.worker", "image_pages", False),
    ("metadata fields (extract_metadata)", "pipeline.examine.worker", "extract_metadata", False),
)


def _install_timers(spent: dict[str, float]) -> None:
    """Replace each function of _PROFILED with one that adds its CPU time to spent[label]: in the
    profiling process only (forked for it), never in a worker that measures or publishes anything."""
    import importlib
    import inspect

    for label, module_name, path, is_coroutine in _PROFILED:
        owner: Any = importlib.import_module(module_name)
        *parents, name = path.split(".")
        for parent in parents:
            owner = getattr(owner, parent)
        stored = inspect.getattr_static(owner, name)
        original = getattr(owner, name)  # bound to its class when it is a classmethod
        depth = [0]

        def outermost(label: str = label, depth: list[int] = depth) -> tuple[bool, float]:
            depth[0] += 1
            return depth[0] == 1, time.process_time()

        def done(first: bool, start: float, label: str = label, depth: list[int] = depth) -> None:
            depth[0] -= 1
            if first:
                spent[label] = spent.get(label, 0.0) + time.process_time() - start

        if is_coroutine:
            async def timed_coroutine(*args: Any, _original: Any = original, _outermost: Any = outermost,
                                      _done: Any = done, **kwargs: Any) -> Any:
                first, start = _outermost()
                try:
                    return await _original(*args, **kwargs)
                finally:
                    _done(first, start)
            replacement: Any = timed_coroutine
        else:
            def timed(*args: Any, _original: Any = original, _outermost: Any = outermost, _done: Any = done,
                      **kwargs: Any) -> Any:
                first, start = _outermost()
                try:
                    return _original(*args, **kwargs)
                finally:
                    _done(first, start)
            replacement = timed
        if isinstance(stored, classmethod):
            replacement = classmethod(lambda cls, *args, _timed=replacement, **kwargs: _timed(*args, **kwargs))
        setattr(owner, name, replacement)


def _profile_in_child(paths: list[str], roots_pem: tuple[bytes, ...],
                      organisation_names: tuple[str, ...]) -> dict[str, float]:
    """In a forked process set up as the sandbox sets up a worker: CPU ms/letter of worker.examine
    without timers, then of each stage and function with them."""
    import gc
    import logging

    from pipeline.examine.verify import TrustAnchors
    from pipeline.examine.worker import examine, install_speedups

    install_speedups()
    logging.disable(logging.WARNING)
    anchors = TrustAnchors.from_pem(roots_pem, organisation_names)
    letters = [Path(path).read_bytes() for path in paths]
    for data in letters[:10]:  # imports, caches of the libraries, first allocations
        examine(data, anchors)
    gc.freeze()
    gc.set_threshold(20_000, 20, 50)  # as sandbox._start_worker
    start = time.process_time()
    for data in letters:
        examine(data, anchors)
    result = {"examine (no timers)": time.process_time() - start}
    spent: dict[str, float] = {}
    _install_timers(spent)
    start = time.process_time()
    for data in letters:
        examine(data, anchors)
    result["examine (with the timers)"] = time.process_time() - start
    result.update(spent)
    return {label: seconds / len(letters) * 1000 for label, seconds in result.items()}


def profile(paths: list[str], roots_pem: tuple[bytes, ...],
            organisation_names: tuple[str, ...]) -> tuple[dict[str, float], float]:
    """(ms/letter by stage and function, load average after), measured in a forked process."""
    with mp.get_context("fork").Pool(1) as pool:
        found: dict[str, float] = pool.apply(_profile_in_child, (paths, roots_pem, organisation_names))
    return found, os.getloadavg()[0]


def print_profile(found: dict[str, float], n: int, load: float) -> None:
    print(f"Where the time goes: one process set up as a sandbox worker, {n} letters, CPU ms/letter "
          f"(load average after: {load:.2f})")
    print()
    print("| stage or function | CPU ms/letter | share |")
    print("|---|---:|---:|")
    total = found["examine (no timers)"]
    print(f"| examine, whole (no timers) | {total:.2f} | 100% |")
    for label, *_ in _PROFILED:
        if label in found:
            shown = label.lstrip(" ")
            indent = "· " * ((len(label) - len(shown)) // 2)
            print(f"| {indent}{shown} | {found[label]:.2f} | {found[label] / total * 100:.0f}% |")
    print(f"| examine, whole, with the timers | {found['examine (with the timers)']:.2f} | |")
    print()


def signature_reuse(inspections: dict[str, Any]) -> str:
    """How many certificate-path validations a sound memo could have answered: the memo's key holds
    the signer's certificate (the rest of the path is the same for the same signer and trust roots)
    and the time that applies to the document, so it answers only a signature whose certificate
    and time an earlier signature had."""
    signatures = [s for result in inspections.values() if hasattr(result, "verify") for s in result.verify.signatures]
    certificates = {(s.issuer_dn, s.serial) for s in signatures}
    keys = {(s.issuer_dn, s.serial, s.timestamp_at if s.timestamp_ok else s.signed_at) for s in signatures}
    return (f"certificate paths: {len(signatures)} signatures by {len(certificates)} distinct signer certificates; "
            f"{len(keys)} distinct (certificate, validation time) pairs, so a memo of path validation keyed by "
            f"the validation time would have answered {len(signatures) - len(keys)} of {len(signatures)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000, help="number of letters (default 1000)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="worker processes (default: all cores)")
    parser.add_argument("--rounds", type=int, default=2,
                        help="runs of the reference and of the sandbox pool, alternated (default 2)")
    parser.add_argument("--profile", type=int, default=300, metavar="N",
                        help="letters examined in one process with a timer on each stage (default 300; 0: none)")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--plain-pyhanko", type=Path, metavar="ROOT_PEM", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.plain_pyhanko:  # the reference's own interpreter: file paths on stdin, figures on stdout
        paths = [line for line in sys.stdin.read().splitlines() if line]
        print(json.dumps(plain_pyhanko(paths, args.plain_pyhanko.read_bytes(), args.workers)))
        return 0

    _pipeline_path()
    from pipeline.config import load_config
    from pipeline.decide.policy import judge
    from pipeline.examine.discover import discover
    from pipeline.examine.inspect import inspect_sources
    from pipeline.examine.sandbox import Job
    from pipeline.examine.verify import TrustAnchors
    from pipeline.records import Inspection

    background = os.getloadavg()[0]
    root = args.keep or Path(tempfile.mkdtemp(prefix="congbo-bench-verify-"))
    if args.keep and root.exists():
        shutil.rmtree(root)
    ours: list[Run] = []
    references: list[Run] = []
    in_order: list[tuple[int, Run]] = []  # (round, run) in the order they ran
    reference_figures: list[dict[str, float]] = []
    try:
        generated = make_portal(root, args.n, args.workers)
        config = load_config(root / "portal.yml")
        sources = discover(root)
        assert len(sources) == args.n, len(sources)
        anchors = TrustAnchors.from_pem(config.trust.roots_pem, config.organisation.certificate_names)
        jobs = [Job(s.path, root / s.path, s.sha256) for s in sources]
        paths = [str(root / s.path) for s in sources]
        profiled = (profile(paths[:args.profile], config.trust.roots_pem, config.organisation.certificate_names)
                    if args.profile > 0 else None)

        cold: dict[str, Any] = {}
        for index in range(max(1, args.rounds)):
            order = ("reference", "ours") if index % 2 == 0 else ("ours", "reference")
            for which in order:
                if which == "reference":
                    run, figures = reference_run(root, paths, args.workers)
                    references.append(run)
                    reference_figures.append(figures)
                else:
                    run, cold = sandbox_run(jobs, anchors, args.workers)
                    ours.append(run)
                in_order.append((index + 1, run))

        start = time.perf_counter()
        built = inspect_sources(config, sources, workers=args.workers)
        build_s = time.perf_counter() - start
        build_load = os.getloadavg()[0]

        start = time.perf_counter()
        warm = inspect_sources(config, sources, workers=args.workers)
        warm_s = time.perf_counter() - start
        warm_load = os.getloadavg()[0]

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
          f"generated in {generated:.1f} s; load average before the runs: {background:.2f}")
    print()
    if profiled is not None:
        print_profile(profiled[0], min(args.profile, n), profiled[1])
    print("| run | total s | documents/s | ms/document | CPU ms/document: workers + parent | load average after |")
    print("|---|---:|---:|---:|---:|---:|")
    for round_number, run in in_order:
        print(f"| {run.label} (round {round_number}) | {run.seconds:.2f} | {run.per_second(n):.0f} | "
              f"{run.seconds / n * 1000:.2f} | {run.worker_cpu / n * 1000:.1f} + {run.parent_cpu / n * 1000:.2f} | "
              f"{run.load:.2f} |")
    for label, seconds, load in (("cold: inspect_sources, empty cache", build_s, build_load),
                                 ("warm: inspect_sources, every file cached", warm_s, warm_load)):
        print(f"| {label} | {seconds:.2f} | {n / seconds:.0f} | {seconds / n * 1000:.2f} | | {load:.2f} |")
    print()
    shares = [r.seconds / o.seconds for r, o in zip(references, ours, strict=True)]
    share = sum(r.seconds for r in references) / sum(o.seconds for o in ours)
    print(f"ours / reference (documents/s of the sandbox pool over plain pyhanko's, same files, alternated): "
          f"{', '.join(f'{s:.2f}' for s in shares)} by round; {share:.2f} over all rounds "
          f"(median {statistics.median(shares):.2f})")
    print(f"on the reference machine (plain pyhanko about {REFERENCE:.0f} documents/s) that is about "
          f"{share * REFERENCE:.0f} documents/s; the goal of {GOAL:.0f} needs {GOAL / REFERENCE:.2f}: "
          f"{'met' if share >= GOAL / REFERENCE else 'NOT met'}")
    # With workers >= cores on an otherwise idle machine every core is busy, so documents/s is about
    # cores / CPU per document (workers and parent together). CPU time is far less disturbed than
    # elapsed time by other processes on a shared machine: its share is the steadier estimate.
    cpu_ours = sum(o.worker_cpu + o.parent_cpu for o in ours) / len(ours) / n * 1000
    cpu_reference = sum(r.worker_cpu + r.parent_cpu for r in references) / len(references) / n * 1000
    cpu_shares = [(r.worker_cpu + r.parent_cpu) / (o.worker_cpu + o.parent_cpu)
                  for r, o in zip(references, ours, strict=True)]
    print(f"CPU per document, workers + parent: ours {cpu_ours:.1f} ms, reference {cpu_reference:.1f} ms; "
          f"share (reference CPU over ours) {', '.join(f'{s:.2f}' for s in cpu_shares)} by round, "
          f"{cpu_reference / cpu_ours:.2f} over all rounds: about {cpu_reference / cpu_ours * REFERENCE:.0f} "
          f"documents/s on the reference machine, "
          f"{'met' if cpu_reference / cpu_ours >= GOAL / REFERENCE else 'NOT met'}; "
          f"{min(args.workers, os.cpu_count() or 1)} idle core(s) here would give about "
          f"{min(args.workers, os.cpu_count() or 1) * 1000 / cpu_ours:.0f} documents/s (ours)")
    print(signature_reuse(cold))
    signatures = [(int(f["good"]), int(f["signatures"])) for f in reference_figures]
    print(f"reference: signatures intact, valid and trusted {signatures[0][0]}/{signatures[0][1]}; "
          f"ours: examined {n - len(failures)}/{n}, would publish {n - len(refused)}/{n}")
    for key, reasons in list(refused.items())[:5]:
        print(f"  refused {key}: {[f'{r.code.value}: {r.detail}' for r in reasons]}")
    for key in failures[:5]:
        print(f"  failed {key}: {cold[key]}")
    reference_ok = all(good == total == 2 * n for good, total in signatures)
    return 0 if not failures and not refused and reference_ok else 1


if __name__ == "__main__":
    sys.exit(main())
