"""Publishing a BuildReport: plan every generated file, build what changed since the last build of the
same site, audit, and swap the result into place (issues 2, 8, 9).

One path for every build. Without a usable state from the last build (site_state.py) everything is
"changed" and this is a full build. With one, a page whose key is unchanged is neither rendered
(document pages: render.Writer.write_keyed) nor built by mkdocs: its HTML is hard-linked from the
current site into the staging site, as are unchanged PDFs, feeds and the search index when its
documents did not change. The staging site is complete before it is audited and swapped in, so
readers never see a mixture, and a failed build leaves site/ as it was.

The audit reads every file the build wrote itself; the files carried over from the last build passed
the same audit then, so they are audited again only when what the audit looks for changed.
"""

from __future__ import annotations

import functools
import os
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import PortalConfig
from pipeline.records import BuildReport


class AuditFailure(Exception):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems[:5]))


@dataclass(frozen=True)
class PublishStats:
    """What a build did, for the benchmark and the tests."""

    incremental: bool
    pages_built: int
    pages_kept: int
    files_written: int
    files_kept: int
    search_bundles_rebuilt: int
    audited_files: int
    phases: tuple[tuple[str, float], ...] = ()  # (stage, seconds since the previous one)


class _Clock:
    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.laps: list[tuple[str, float]] = []

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps.append((name, now - self.last))
        self.last = now


def publish(config: PortalConfig, report: BuildReport, out: Path, split_at: int | None = None,
            incremental: bool = True) -> PublishStats:
    """Render, build with mkdocs into a staging folder, audit, then replace `out`."""
    # Imported here so that `inspect` and `check` never load mkdocs.
    from pipeline.publish import site_state
    from pipeline.publish.audit import audit_site, needles_key
    from pipeline.publish.office_pages import render_office
    from pipeline.publish.render import Writer, copy_hand_written, render_all, write_planned
    from pipeline.publish.search import (
        Indexing,
        IndexQueue,
        RecordStore,
        bundle_documents,
        index_key,
        record_url,
        records,
    )
    from pipeline.publish.site import SPLIT_AT, build_site, page_destination, remove_later, swap_into_place

    clock = _Clock()
    out = out.resolve()
    fingerprint = site_state.global_fingerprint(config)
    previous = site_state.load(config, out, fingerprint) if incremental else None
    content = config.root / "content"
    staging = out.parent / f".{out.name}.staging"
    if staging.exists():
        shutil.rmtree(staging)
    docs = staging / "docs"
    site = staging / "site"
    docs.mkdir(parents=True)
    try:
        hand_written = copy_hand_written(content, docs)
        # The last build's keys, for the files it left in the site (load() checked them all).
        reusable = {}
        if previous is not None:
            reusable = {r: k for r, k in previous.keys.items()
                        if (page_destination(r) if r.endswith(".md") else r) in previous.files}
        # Changed files are written into the staging docs folder as they are rendered.
        writer = Writer(hand_written, reusable, spool=docs)
        # The search index, bundle by bundle: an unchanged bundle is carried over, the others are
        # written one after another by Pagefind (on its own threads) on a background thread.
        search_keys: dict[str, str] = {}
        indexing: list[tuple[str, Indexing]] = []
        queue = IndexQueue()
        stores = site_state.search_records_path(config, out)

        def start_search_index() -> None:
            for bundle, bundle_docs in bundle_documents(report.documents).items():
                search_keys[bundle] = index_key(bundle_docs, digests)
                if previous is None or previous.shards.get(bundle) != search_keys[bundle]:
                    # Stand-in pages of unchanged documents are kept between builds; a full build
                    # writes them all again.
                    store = RecordStore(stores / bundle, {record_url(d): digests[d.slug] for d in bundle_docs},
                                        fingerprint, reuse=previous is not None)
                    indexing.append((bundle, queue.add(
                        staging / bundle, functools.partial(records, config, bundle_docs), store)))

        digests = {doc.slug: site_state.document_digest(doc) for doc in report.documents}
        if previous is not None:
            # On top of the last build, a bundle needs a page or two and Pagefind (a process of its
            # own): it runs while the pages are rendered. A full build builds every record, Python
            # work that would slow rendering down: it starts once rendering is done.
            start_search_index()
        render_all(config, report.documents, writer, digests)
        render_office(config, report, writer)  # issue 7: on time, withdrawn, history
        planned = writer.planned
        clock.lap("state and render")

        unchanged = {r for r, item in planned.items() if reusable.get(r) == item.key}
        pages = [r for r in planned if r.endswith(".md")]
        kept = [r for r in pages if r in unchanged]
        rebuilt = [r for r in pages if r not in unchanged]
        if previous is None:
            start_search_index()

        build = sorted(set(rebuilt) | {r for r in hand_written if r.endswith(".md")})
        static = [r for r in planned if not r.endswith(".md")]
        rebuilt_bundles = {bundle for bundle, _ in indexing}
        carried: set[str] = set()  # site files hard-linked from the current site
        folders: set[str] = set()  # made in the staging site (tens of thousands of mkdir calls otherwise)
        site_path, out_path = str(site), str(out)  # plain strings: some 30,000 files at 10,000 documents

        def carry(relative: str) -> None:
            target = f"{site_path}/{relative}"
            parent = target.rpartition("/")[0]
            if parent not in folders:
                os.makedirs(parent, exist_ok=True)
                folders.add(parent)
            try:
                os.link(f"{out_path}/{relative}", target)
            except OSError:  # a file system without hard links: a copy, audited as a new file
                shutil.copy2(f"{out_path}/{relative}", target)
                return
            carried.add(relative)

        def carry_unchanged() -> None:
            for relative in kept:
                carry(page_destination(relative))
            for relative in static:
                if relative in unchanged:
                    carry(relative)
            if previous is not None:
                for relative in previous.files:
                    bundle = relative.split("/", 1)[0]
                    if bundle in search_keys and bundle not in rebuilt_bundles:
                        carry(relative)

        clock.lap("write pages, start search index")
        # Unchanged files are linked into the staging site while mkdocs renders the changed pages
        # (tens of thousands of links and folders: seconds, mostly in the kernel). They never
        # meet: mkdocs writes only the pages in `build` and its own files.
        with ThreadPoolExecutor(1) as pool:
            carrying = pool.submit(carry_unchanged)
            build_site(config.root / "mkdocs.yml", docs, site, config.site.url, build, [*kept, *static],
                       split_at if split_at is not None else SPLIT_AT)
            clock.lap("mkdocs")
            carrying.result()
        clock.lap("link unchanged files (begun with mkdocs)")
        fresh = {r: planned[r] for r in static if r not in unchanged}
        write_planned(site, fresh)  # PDFs (copies of exactly the inspected bytes), feeds, indexes
        for bundle, running in indexing:
            index = running.wait()
            if index.exists():
                index.rename(site / bundle)
        clock.lap("assemble, wait for search index")
        everything = site_state.listing(site)
        needles = needles_key(report.documents, report.refusals)
        only = None
        if previous is not None and previous.needles == needles:
            only = set(everything) - carried
        problems = audit_site(site, report.documents, report.refusals, only)
        if problems:
            raise AuditFailure(problems)
        clock.lap("audit")
        # A carried file is the last build's file itself (a hard link: same inode, size and time).
        stamps = {r: previous.files[r] if previous is not None and r in carried else site_state.stamp(site / r)
                  for r in everything}
        site_state.forget(config, out)
        old = swap_into_place(site, out)
        clock.lap("swap: the site is updated")
        site_state.save(config, out, site_state.SiteState(
            fingerprint, {r: p.key for r, p in planned.items()}, search_keys, needles, stamps))
        if old is not None:
            remove_later(old)
        clock.lap("save state")
        return PublishStats(previous is not None, len(build), len(kept), len(fresh), len(carried),
                            len(indexing), len(only) if only is not None else len(everything), tuple(clock.laps))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
