"""The site stage: mkdocs-material renders the changed pages into the staging site while the unchanged
files are hard-linked into it from the current site; then the fresh static files (PDFs, feeds,
indexes) are written and the search bundles are put in place."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from pipeline.config import PortalConfig
from pipeline.publish.plan import IncrementalPlan, Staging
from pipeline.publish.search import SearchJobs
from pipeline.publish.site import SPLIT_AT, SiteCounts, build_site, page_destination
from pipeline.publish.writer import write_planned


@dataclass(frozen=True)
class Assembled:
    carried: frozenset[str]  # site files hard-linked from the current site (not written by this build)
    written: int  # static files this build wrote itself
    pages: SiteCounts  # how the pages were made


def assemble(config: PortalConfig, staging: Staging, plan: IncrementalPlan, search: SearchJobs,
             lap: Callable[[str], None], split_at: int | None = None, shells: bool = True) -> Assembled:
    carried: set[str] = set()
    folders: set[str] = set()  # made in the staging site (tens of thousands of mkdir calls otherwise)
    site_path, out_path = str(staging.site), str(staging.out)  # plain strings: ~30,000 files at 10,000 documents
    previous = staging.previous

    def carry(relative: str) -> None:
        target = f"{site_path}/{relative}"
        parent = target.rpartition("/")[0]
        if parent not in folders:
            try:  # one mkdir: the parent's parent is nearly always there (os.makedirs looks first)
                os.mkdir(parent)
            except FileExistsError:
                pass
            except FileNotFoundError:
                os.makedirs(parent, exist_ok=True)
            folders.add(parent)
        try:
            os.link(f"{out_path}/{relative}", target)
        except OSError:  # a file system without hard links: a copy, audited as a new file
            shutil.copy2(f"{out_path}/{relative}", target)
            return
        carried.add(relative)

    def carry_unchanged() -> None:
        for relative in plan.kept:
            carry(page_destination(relative))
        for relative in plan.static:
            if relative in plan.unchanged:
                carry(relative)
        if previous is not None:
            for relative in previous.files:
                bundle = relative.split("/", 1)[0]
                if bundle in search.keys and bundle not in search.rebuilt:
                    carry(relative)

    lap("write pages, start search index")
    # Unchanged files are linked into the staging site while mkdocs renders the changed pages (tens
    # of thousands of links and folders: seconds, mostly in the kernel). They never meet: mkdocs
    # writes only the pages in `plan.build` and its own files.
    with ThreadPoolExecutor(1) as pool:
        carrying = pool.submit(carry_unchanged)
        pages = build_site(config.root / "mkdocs.yml", staging.docs, staging.site, config.site.url, plan.build,
                   [*plan.kept, *plan.static], split_at if split_at is not None else SPLIT_AT,
                   contact=config.site.contact, office=config.organisation.name, shells=shells)
        lap("mkdocs")
        carrying.result()
    lap("link unchanged files (begun with mkdocs)")
    fresh = plan.fresh
    write_planned(staging.site, fresh)  # PDFs (copies of exactly the inspected bytes), feeds, indexes
    for bundle, running in search.running:
        index = running.wait()
        if index.exists():
            index.rename(staging.site / bundle)
    lap("assemble, wait for search index")
    return Assembled(frozenset(carried), len(fresh), pages)
