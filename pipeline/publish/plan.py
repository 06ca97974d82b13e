"""The incremental plan: what the last build of a site left (publish.site_state), the staging folder
this build writes into (the spare site of the build before the last, when there is one to build upon:
publish.site.keep_as_spare), and, once every generated file has been planned, which pages mkdocs
must render and which files are carried over from the current site unchanged.

One path for every build. Without a usable state from the last build everything is "changed" and
this is a full build. With one, a page whose key is unchanged is neither rendered (document pages:
writer.Writer.write_keyed) nor built by mkdocs: its HTML is hard-linked from the current site into
the staging site, as are unchanged PDFs, feeds and the search index when its documents did not
change. The staging site is complete before it is audited and swapped in, so readers never see a
mixture, and a failed build leaves site/ as it was.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import PortalConfig
from pipeline.memory import BuildMemory
from pipeline.publish import site_check, site_state
from pipeline.publish.site import discard_spare, page_destination, take_spare
from pipeline.publish.writer import Planned, Writer, copy_hand_written
from pipeline.records import Document


@dataclass(frozen=True)
class Staging:
    """Where this build writes, and what the last build of the same site left to build upon."""

    out: Path  # the site to replace
    root: Path  # .<site>.staging: removed when the build ends, whatever happens
    docs: Path  # hand-written content/ plus every generated page
    site: Path  # what mkdocs and this build make; swapped in after the audit
    fingerprint: str  # site_state.global_fingerprint of this build
    # None: a full build. Its site is being checked (`check`) while the pages are rendered: `settle`.
    previous: site_state.SiteState | None
    hand_written: frozenset[str]
    reusable: dict[str, str]  # docs-relative file -> its key in the last build, for files it left in the site
    digests: dict[str, str]  # document slug -> site_state.document_digest
    # `site` is the spare site (the one before the last), to be emptied of what this build does not
    # carry over (site_check, then site_check.trim in assemble) instead of starting empty
    recycled: bool = False
    check: site_check.Running | None = None  # checking the last build's site (and emptying the spare)

    def settle(self) -> tuple[site_state.SiteState, frozenset[str]]:
        """The last build's state once its site was found untouched, and the files of the recycled
        spare that are the current site's own (site_check). Raises StaleSite otherwise: the build
        must start again from nothing."""
        assert self.previous is not None and self.check is not None
        found = self.check.result()
        if not found.intact:
            raise StaleSite(self.out)
        return site_state.checked(self.previous, found.restored), found.kept

    def writer(self) -> Writer:
        """Changed files are written into the staging docs folder as they are rendered."""
        return Writer(self.hand_written, self.reusable, spool=self.docs)

    def remove(self) -> None:
        if self.check is not None:
            self.check.stop()
        shutil.rmtree(self.root, ignore_errors=True)


class StaleSite(Exception):
    """The site was changed since the last build left it: nothing of it may be built upon."""


def stage(config: PortalConfig, documents: tuple[Document, ...], out: Path, incremental: bool,
          memory: BuildMemory | None = None) -> Staging:
    """An empty staging folder beside `out`, with content/ copied in, and the last build's state when
    it may be built upon. `memory`: a long-running process's digests of its last build's documents."""
    out = out.resolve()
    fingerprint = site_state.global_fingerprint(config)
    previous = site_state.read(config, out, fingerprint) if incremental and out.is_dir() else None
    root = out.parent / f".{out.name}.staging"
    if root.exists():
        shutil.rmtree(root)
    docs = root / "docs"
    docs.mkdir(parents=True)
    hand_written = copy_hand_written(config.root / "content", docs)
    # Only a build upon the last one carries files over, from the site the spare was recycled into.
    recycled = previous is not None and take_spare(out, root / "site")
    if not recycled:
        discard_spare(out)
    # The last build's keys, for the files it left in the site (as long as the check finds them untouched).
    reusable = {}
    if previous is not None:
        reusable = {r: k for r, k in previous.keys.items()
                    if (page_destination(r) if r.endswith(".md") else r) in previous.files}
    # Checked while the pages are rendered, in a process of its own (site_check): the spare is
    # emptied of what is not the current site's own, the rest of the site is stat-ed.
    check = (site_check.start(out, root / "site" if recycled else None, previous.files, root)
             if previous is not None else None)
    digests = _digests(documents, memory)
    return Staging(out, root, docs, root / "site", fingerprint, previous, hand_written, reusable, digests,
                   recycled, check)


def _digests(documents: tuple[Document, ...], memory: BuildMemory | None) -> dict[str, str]:
    """Each document's digest; the last build's where its record is equal to this build's."""
    if memory is None:
        return {doc.slug: site_state.document_digest(doc) for doc in documents}
    last, kept = memory.digests, {}
    for doc in documents:
        known = last.get(doc.slug)
        if known is None or (known[0] is not doc and not _same_record(known[0], doc)):
            known = (doc, site_state.document_digest(doc))
        kept[doc.slug] = known
    memory.digests = kept
    return {slug: digest for slug, (_doc, digest) in kept.items()}


def _same_record(last: Document, now: Document) -> bool:
    """Equal records, with their times in the same offset too: two aware times of one instant are
    equal, but a page prints the time as given (the digest hashes the repr)."""
    return (last == now and repr(last.published_at) == repr(now.published_at)
            and [repr(e.when) for e in last.history] == [repr(e.when) for e in now.history])


@dataclass(frozen=True)
class IncrementalPlan:
    """Every generated file of the build, and what becomes of it."""

    planned: dict[str, Planned]  # docs-relative -> its key and content
    unchanged: frozenset[str]  # planned files whose key equals the last build's
    build: tuple[str, ...]  # pages mkdocs renders: changed generated pages and every hand-written one
    kept: tuple[str, ...]  # generated pages carried over as they are
    static: tuple[str, ...]  # generated files that are not pages (PDFs, feeds, indexes)

    @property
    def fresh(self) -> dict[str, Planned]:
        """The static files this build writes itself."""
        return {r: self.planned[r] for r in self.static if r not in self.unchanged}


def plan(staging: Staging, writer: Writer) -> IncrementalPlan:
    planned = writer.planned
    unchanged = frozenset(r for r, item in planned.items() if staging.reusable.get(r) == item.key)
    pages = [r for r in planned if r.endswith(".md")]
    kept = tuple(r for r in pages if r in unchanged)
    rebuilt = {r for r in pages if r not in unchanged}
    build = tuple(sorted(rebuilt | {r for r in staging.hand_written if r.endswith(".md")}))
    static = tuple(r for r in planned if not r.endswith(".md"))
    return IncrementalPlan(planned, unchanged, build, kept, static)
