"""The site stage: mkdocs-material renders the changed pages into the staging site while the unchanged
files are hard-linked into it from the current site; then the fresh static files (PDFs, feeds,
indexes) are written and the search bundles are put in place. A staging site recycled from the spare
(the site before the current one) already holds most unchanged files as links (site_check emptied it
of everything else while the pages were rendered): the files this build does not carry over are
removed from it first, and only what is missing is linked."""

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
from pipeline.publish.site_check import trim
from pipeline.publish.site_state import SiteState
from pipeline.publish.writer import write_planned


@dataclass(frozen=True)
class Assembled:
    carried: frozenset[str]  # site files hard-linked from the current site (not written by this build)
    written: int  # static files this build wrote itself
    pages: SiteCounts  # how the pages were made


def assemble(config: PortalConfig, staging: Staging, plan: IncrementalPlan, search: SearchJobs,
             lap: Callable[[str], None], split_at: int | None = None, shells: bool = True,
             previous: SiteState | None = None, kept: frozenset[str] = frozenset()) -> Assembled:
    """`previous`: the last build's state, checked (Staging.settle); `kept`: the files of the
    recycled spare that are the current site's own."""
    carried: set[str] = set()
    folders: set[str] = set()  # made in the staging site (tens of thousands of mkdir calls otherwise)
    site_path, out_path = str(staging.site), str(staging.out)  # plain strings: ~30,000 files at 10,000 documents

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

    wanted = [page_destination(relative) for relative in plan.kept]
    wanted += [relative for relative in plan.static if relative in plan.unchanged]
    if previous is not None:
        wanted += [relative for relative in previous.files
                   if (bundle := relative.split("/", 1)[0]) in search.keys and bundle not in search.rebuilt]
    if staging.recycled:
        carried |= trim(site_path, kept, set(wanted))
        lap("recycle the spare site")

    def carry_unchanged() -> None:
        for relative in wanted:
            if relative not in carried:
                carry(relative)

    lap("write pages, start search index")
    # Unchanged files are linked into the staging site while mkdocs renders the changed pages (tens
    # of thousands of links and folders: seconds, mostly in the kernel). They never meet: mkdocs
    # writes only the pages in `plan.build` and its own files.
    # (A recycled site was emptied of everything else above, before mkdocs writes into it.)
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
