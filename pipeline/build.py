"""The whole build, one script of named stages, top to bottom. The CLI, `serve`, the drop folder and
the pull-request check call it; nothing else sequences stages. pipeline/README.md draws the map.

    replay      an unchanged build's audited site and report are kept          publish/replay.py
    discover    documents/**/*.pdf -> SourceFile (sha256, first commit time); links refused  examine/discover.py
    examine     cache, or a sandboxed worker: pyhanko + pypdf -> Inspection     examine/inspect.py
    decide      sidecar + policy -> Document | Refusal; units; relations        decide/
    lifecycle   git history: later changes, withdrawn documents, replacements   decide/lifecycle.py
    render      pages into a staging copy of content/ (jinja2)                  publish/pages.py, office_pages.py
    feeds       RSS, Atom, JSON Feed, OPML, unit pages                          publish/feeds.py, unit_pages.py
    site        mkdocs renders what changed; the rest is linked; search index   publish/assemble.py, search.py
    audit       no refused byte, number or subject anywhere; PDFs identical     publish/audit.py
    swap        the staging site replaces site/ in two renames                  publish/site.py
    save state  what the next build may build upon                              publish/site_state.py

Read everything, decide everything, then write: nothing is written outside the staging folder and
`.congbo/` before the audit has passed, and a problem with one document is a Refusal, not an
exception. An exception means the build itself cannot run, and site/ stays as it was.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pipeline import memory_store, state
from pipeline.config import PortalConfig
from pipeline.decide import lifecycle as lifecycle_stage
from pipeline.decide.evaluate import Evaluation, decide, evaluate, with_routing
from pipeline.decide.numbers import Relations, relations
from pipeline.decide.units import UnitIndex
from pipeline.examine.cache import InspectionCache
from pipeline.examine.discover import discover_all
from pipeline.examine.inspect import Inspections, inspect_sources
from pipeline.examine.limits import Limits
from pipeline.memory import BuildMemory
from pipeline.messages import report_data, report_text, site_size_text
from pipeline.present import newest_first
from pipeline.publish.pdf_origin import is_published_pdf
from pipeline.publish.writer import Writer
from pipeline.records import BuildReport, Document, SourceFile


@dataclass(frozen=True)
class BuildOptions:
    workers: int | None = None  # examining processes (None: one per core)
    limits: Limits = field(default_factory=Limits)  # what a worker may spend on one file
    use_cache: bool = True  # answer an unchanged file from the inspection cache
    incremental: bool = True  # build upon the last build of the same site, and replay an unchanged one
    replay: bool = True  # keep an unchanged build's site and report (off for the preview: its banner needs refusals)
    split_at: int | None = None  # pages from which mkdocs is shared between two processes
    # Pages outside the navigation through the theme's shells (publish/shells.py); False: mkdocs
    # builds every page (the reference the tests and the bench compare with).
    shells: bool = True
    # A long-running process's answers of its last build (the preview): unchanged files are neither
    # read from the inspection cache nor judged again (pipeline/memory.py).
    memory: BuildMemory | None = None
    # Write `memory` to disk at the end of the build, for the next one-shot build. The preview keeps
    # it between builds and writes it once no change waits (office/preview.py): not while the clerk
    # waits for today's letter.
    save_memory: bool = True
    # Make the spare site now when the build keeps none (a full build), not in a detached process
    # (the preview, before it says it is ready: its next build is today's letter).
    spare_now: bool = False


@dataclass(frozen=True)
class PublishStats:
    """What the publishing stages did, for `build --timings`, the benchmark and the tests."""

    incremental: bool
    pages_built: int
    pages_kept: int
    files_written: int
    files_kept: int
    search_bundles_rebuilt: int
    audited_files: int
    phases: tuple[tuple[str, float], ...] = ()  # (stage, seconds since the previous one)
    site_bytes: int = 0  # what a host is sent: every file of the site, hard links counted each time
    # With `site.pdf_base_url`: the signed PDFs, which go to the PDF origin and not to the host of the
    # pages (they are not in site_bytes then).
    pdf_bytes: int = 0
    # Pages outside the navigation filled from the theme's shells (publish/shells.py), and shells made.
    pages_filled: int = 0
    shells: int = 0


class SiteTooLarge(Exception):
    """The site would be larger than the host accepts (`site.size_limit`): site/ is left as it was."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"the site would be {size} bytes, over the host's limit of {limit} bytes")
        self.size, self.limit = size, limit


@dataclass(frozen=True)
class BuildResult:
    report: BuildReport | None  # None when the last build was replayed
    text: str  # the clerk's report (Vietnamese)
    data: dict[str, Any]  # the same for tools (`build --json`)
    status: int  # 0 all published, 3 refusals (the others are still published)
    stats: PublishStats | None = None
    collect_seconds: float = 0.0


def build(config: PortalConfig, out: Path, options: BuildOptions = BuildOptions(),
          progress: Callable[[str], None] | None = None) -> BuildResult:
    """Every stage, from the documents to the swapped-in site. Raises AuditFailure (site/ untouched)
    or the exception that stopped the build."""
    from pipeline.publish import replay  # mkdocs and jinja2 stay unloaded for `check` and `inspect`

    out = out.resolve()
    replaying = options.replay and options.incremental and options.use_cache
    fingerprint = replay.input_fingerprint(config, out) if replaying else ""
    if replaying:
        last = replay.replay(config, out, fingerprint)
        if last is not None:
            return BuildResult(None, last["text"], last["data"], int(last["status"]))
    started = time.perf_counter()
    # Issue 21: what exists before the build (a long-running process's memory of its last build, or
    # the last build's read from disk) and what collect makes (every document's record and text)
    # lives through the build; the cyclic garbage collector walked it again at each full collection,
    # a quarter of the live preview's rebuild at 30,000 letters. Frozen, it is skipped; unfrozen at
    # the end, it is collectable again. The memory read from disk is frozen before the collector
    # runs again: it would otherwise walk its half a million new records at once.
    collecting = gc.isenabled()
    gc.disable()
    try:
        if options.incremental and options.use_cache and (options.memory is None or not options.memory.evaluations):
            # The last build's answers, so that a one-shot build reads back and judges only what
            # changed (a long-running process starts from them too).
            options = replace(options, memory=memory_store.load(config, cache_key(config), options.memory))
        gc.freeze()
        if collecting:
            gc.enable()
        report = collect(config, options, progress)
        collected = time.perf_counter() - started
        gc.freeze()
        stats = publish(config, report, out, options)
        # The report too, while all is frozen: unfrozen, the first full collection walks every record
        # of the build at once (6 s at 100,000 letters, in whatever allocates next).
        text, data = report_text(report), report_data(report)
        # Issue 18: the size a host is sent, before the host refuses it.
        apart = stats.pdf_bytes if config.site.pdf_base_url else None
        text += site_size_text(stats.site_bytes, config.site.size_limit, apart)
        data["site_size"] = {"bytes": stats.site_bytes, "limit": config.site.size_limit}
        if config.site.pdf_base_url:
            data["site_size"]["pdf_bytes"] = stats.pdf_bytes
        if replaying:
            replay.remember(config, out, fingerprint, text, data, report.exit_status)
    finally:
        gc.unfreeze()
        if collecting:
            gc.enable()
    return BuildResult(report, text, data, report.exit_status, stats, collected)


# --- reading and deciding: nothing is written but the inspection cache ---------------------------------


def collect(config: PortalConfig, options: BuildOptions = BuildOptions(),
            progress: Callable[[str], None] | None = None) -> BuildReport:
    """discover -> examine -> decide -> lifecycle: every document judged, nothing written."""
    found = discover_all(config.root)  # links and other non-regular entries: refused, never read
    results = examine(config, found.sources, options, progress, whole_portal=True)
    report = decide(config, found.sources, results, found.not_files, options.memory)
    return lifecycle(config, report, options)


def examine(config: PortalConfig, sources: tuple[SourceFile, ...], options: BuildOptions = BuildOptions(),
            progress: Callable[[str], None] | None = None, whole_portal: bool = False) -> Inspections:
    return inspect_sources(config, sources, limits=options.limits, workers=options.workers,
                           use_cache=options.use_cache, progress=progress, whole_portal=whole_portal,
                           memory=options.memory)


def cache_key(config: PortalConfig) -> str:
    """The inspection cache's key: the examining code, its libraries, the trust roots, the OCR engine."""
    return InspectionCache(state.inspection_cache(config.root), config.trust_fingerprint()).salt


def check(config: PortalConfig, sources: tuple[SourceFile, ...],
          options: BuildOptions = BuildOptions()) -> list[Evaluation]:
    """examine -> decide for files on their way in (the drop folder, the pre-commit and pull-request
    check, `inspect`): judged exactly as a build judges them, nothing published. `config.root` is where
    the files and their sidecars are (an absolute source path is read where it is)."""
    results = examine(config, sources, options)
    index = UnitIndex(config)  # routed as the build routes: unresolved lines warned, no-recipient refused
    return [with_routing(index, evaluate(config, source, results[source.path]), results[source.path])
            for source in sources]


def lifecycle(config: PortalConfig, report: BuildReport, options: BuildOptions) -> BuildReport:
    """History, withdrawn documents (examined as they were, judged by today's policy) and
    replacement links, from git."""
    return lifecycle_stage.after_publication(config, report, lambda sources: examine(config, sources, options))


# --- publishing: staging, audit, swap ---------------------------------------------------------------------


class _Clock:
    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.laps: list[tuple[str, float]] = []

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps.append((name, now - self.last))
        self.last = now


def publish(config: PortalConfig, report: BuildReport, out: Path,
            options: BuildOptions = BuildOptions()) -> PublishStats:
    """render -> feeds -> site -> audit -> swap -> save state, into a staging folder beside `out`.
    Upon the last build when it may be; when its site turns out to have been changed since, again
    from nothing."""
    from pipeline.publish.plan import StaleSite

    try:
        return _publish(config, report, out, options)
    except StaleSite:
        return _publish(config, report, out, replace(options, incremental=False))


def _publish(config: PortalConfig, report: BuildReport, out: Path, options: BuildOptions) -> PublishStats:
    # Imported here so that `inspect` and `check` never load mkdocs or jinja2.
    from pipeline.publish import plan as planning
    from pipeline.publish import site_state, spare
    from pipeline.publish.assemble import assemble
    from pipeline.publish.audit import audit_staging
    from pipeline.publish.plan import StaleSite
    from pipeline.publish.search import start_indexing
    from pipeline.publish.site import keep_as_spare, remove_later, swap_into_place

    clock = _Clock()
    staging = planning.stage(config, report.documents, out, options.incremental, options.memory)
    search: Any = None
    try:
        def start_search() -> Any:
            return start_indexing(config, report.documents, staging.digests, staging.root,
                                  site_state.search_records_path(config, staging.out), staging.fingerprint,
                                  staging.previous.shards if staging.previous is not None else None)

        # On top of the last build, a bundle needs a page or two and Pagefind (a process of its own):
        # it runs while the pages are rendered. A full build builds every record, Python work that
        # would slow rendering down: it starts once rendering is done.
        search = start_search() if staging.previous is not None else None
        writer = staging.writer()
        ordered = newest_first(report.documents)
        render(config, report, writer, staging.digests, relations(ordered),
               options.memory.lines if options.memory is not None else None, ordered)
        plan = planning.plan(staging, writer)
        clock.lap("state and render")
        previous, kept = staging.settle() if staging.previous is not None else (None, frozenset[str]())
        clock.lap("wait for the site check")
        if search is None:
            search = start_search()
        assembled = assemble(config, staging, plan, search, clock.lap, options.split_at, options.shells,
                             previous, kept)
        audited = audit_staging(staging.site, report.documents, report.refusals, assembled.carried,
                                previous.needles if previous is not None else None)
        clock.lap("audit")
        # A carried file is the last build's file itself (a hard link: same inode, size and time).
        stamps = {r: previous.files[r] if previous is not None and r in assembled.carried
                  else site_state.stamp(staging.site / r) for r in audited.files}
        site_bytes = sum(stamp[0] for stamp in stamps.values())
        pdf_bytes = 0
        if config.site.pdf_base_url:
            pdf_bytes = sum(stamp[0] for r, stamp in stamps.items() if is_published_pdf(r))
            site_bytes -= pdf_bytes
        if config.site.size_limit is not None and site_bytes > config.site.size_limit:
            raise SiteTooLarge(site_bytes, config.site.size_limit)
        site_state.forget(config, staging.out)
        old = swap_into_place(staging.site, staging.out)
        clock.lap("swap: the site is updated")
        site_state.save(config, staging.out, site_state.SiteState(
            staging.fingerprint, {r: p.key for r, p in plan.planned.items()}, search.keys, audited.needles, stamps))
        # The old site is worth keeping when it shares most files with the new one: after a full
        # build it shares none, and recycling it would only remove every file of it. The spare is
        # then made of the new site's own files (publish/spare.py), for the next build.
        if old is not None and 2 * len(assembled.carried) >= len(audited.files):
            keep_as_spare(old, staging.out)
        else:
            if old is not None:
                remove_later(old)
            (spare.make if options.spare_now else spare.make_later)(staging.out)
        clock.lap("save state")
        if options.memory is not None and options.incremental and options.use_cache and options.save_memory:
            memory_store.save(config, cache_key(config), options.memory)
            clock.lap("save memory")
        return PublishStats(previous is not None, len(plan.build), len(plan.kept), assembled.written,
                            len(assembled.carried), len(search.running), audited.audited, tuple(clock.laps),
                            site_bytes, pdf_bytes, assembled.pages.filled, assembled.pages.shells)
    except StaleSite:
        # Started upon the last build: its bundles are written into the staging folder, which the
        # build started again from nothing makes anew.
        for _bundle, running in search.running if search is not None else ():
            running.done.wait()
        raise
    finally:
        staging.remove()


def render(config: PortalConfig, report: BuildReport, writer: Writer, digests: dict[str, str] | None = None,
           cited: Relations | None = None, lines: dict[str, Any] | None = None,
           ordered: list[Document] | None = None) -> None:
    """The render and feeds stages: every generated page and feed, planned through `writer`.
    `lines`: the listing lines of the last build (BuildMemory.lines); `ordered`: the documents newest
    first, when the caller sorted them already."""
    from pipeline.publish.feeds import write_feeds
    from pipeline.publish.office_pages import render_office
    from pipeline.publish.pages import render_browse
    from pipeline.publish.templating import forget_line_keys
    from pipeline.publish.unit_pages import write_unit_pages

    ordered = ordered if ordered is not None else newest_first(report.documents)
    try:
        # render: document pages, home, listings by type, time and signer; search and copy check
        items = render_browse(config, ordered, writer, digests, cited, lines)
        # feeds: every feed, then the unit pages that link to theirs
        feeds = write_feeds(config, ordered, writer, newest_first_already=True)
        write_unit_pages(config, ordered, items, feeds, writer)
        # the office's pages: on time, withdrawn, history (they see the whole report)
        render_office(config, report, writer)
    finally:
        forget_line_keys()
