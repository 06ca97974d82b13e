"""The second gate: before the built site replaces site/, check what is in it.

Every PDF must be byte-identical to an accepted document; no refused document's hash, subject or
number may appear in any file (pages, feeds, search index, sitemap). A failure aborts the swap."""

from __future__ import annotations

import functools
import hashlib
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.normalize import canonical, fold
from pipeline.publish.site_state import listing
from pipeline.records import Document, Refusal

TEXT_SUFFIXES = {".html", ".xml", ".atom", ".json", ".txt", ".js", ".opml", ".md", ".gz"}  # .atom: issue 6 feeds
# Pagefind's index: gzip streams whose content starts with this marker; its text is accent-folded,
# so refused subjects are also looked for in folded form there.
SEARCH_SUFFIXES = (".pf_fragment", ".pf_index", ".pf_meta", ".pf_filter")
PAGEFIND_MARKER = b"pagefind_dcd"


def needles(documents: tuple[Document, ...], refusals: tuple[Refusal, ...]) -> list[tuple[str, str]]:
    """What no file of the site may contain: (text, the refused file it comes from)."""
    found: list[tuple[str, str]] = []
    if not refusals:
        return found  # nothing refused: nothing to look for (and no pass over every document)
    cited = {r.number for d in documents for r in d.metadata.references}
    accepted_numbers = {d.metadata.number for d in documents if d.metadata.number}
    for refusal in refusals:
        found.append((refusal.source.sha256, refusal.source.path))
        if refusal.metadata is not None:
            m = refusal.metadata
            if m.subject and len(m.subject) >= 12:
                found.append((canonical(m.subject), refusal.source.path))
            # A refused number may legitimately be cited by, or shared with, a published letter.
            if m.number and m.number not in cited and m.number not in accepted_numbers:
                found.append((m.number, refusal.source.path))
    return sorted(set(found))


def needles_key(documents: tuple[Document, ...], refusals: tuple[Refusal, ...]) -> str:
    """Equal keys: a file that passed the audit once passes it again (publish.py audits only new
    files then)."""
    return hashlib.sha256(repr(needles(documents, refusals)).encode("utf-8")).hexdigest()


def audit_site(site: Path, documents: tuple[Document, ...], refusals: tuple[Refusal, ...],
               only: set[str] | None = None) -> list[str]:
    """Audit every file of `site`, or only the files `only` (site-relative paths)."""
    accepted = {d.source.sha256 for d in documents}
    problems: list[str] = []
    looked_for = needles(documents, refusals)
    paths = sorted(site / r for r in only) if only is not None else sorted(site.rglob("*"))
    for path in paths:
        if not path.is_file():
            continue
        relative = path.relative_to(site).as_posix()
        if path.suffix.lower() == ".pdf":
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if digest not in accepted:
                problems.append(f"{relative}: PDF is not an accepted document (sha256 {digest})")
            continue
        search_file = path.name.endswith(SEARCH_SUFFIXES)
        if not looked_for or (path.suffix.lower() not in TEXT_SUFFIXES and not search_file):
            continue  # nothing refused: no text to look for (reading 20,000 pages costs a minute)
        text = _readable(path)
        folded = fold(text) if search_file else ""
        for needle, origin in looked_for:
            if needle and (_contains(text, needle) or (search_file and _contains(folded, fold(needle)))):
                problems.append(f"{relative}: contains {needle!r} from refused {origin}")
    return problems


def _contains(text: str, needle: str) -> bool:
    """`needle` in `text` as a whole: a refused "2/KH-LĐLĐ" is not in a published "12/KH-LĐLĐ" (which
    stopped every build beside such a refusal). The substring test first keeps the common case cheap."""
    return needle in text and _whole(needle).search(text) is not None


@functools.lru_cache(maxsize=4096)
def _whole(needle: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(needle)}(?!\w)")


def _readable(path: Path) -> str:
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":  # gzip, whatever the file's name (Pagefind's files, *.gz)
        import gzip

        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError):
            pass  # not really gzip: audit the bytes as they are
    raw = raw.removeprefix(PAGEFIND_MARKER)
    text = raw.decode("utf-8", errors="replace")
    if path.suffix == ".json":
        try:
            text = json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            pass
    return canonical(html.unescape(text))


class AuditFailure(Exception):
    """The built site holds something it must not: the build stops and site/ stays as it was."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems[:5]))


@dataclass(frozen=True)
class Audited:
    needles: str  # needles_key: what was looked for
    files: tuple[str, ...]  # every file of the site
    audited: int  # how many of them were read


def audit_staging(site: Path, documents: tuple[Document, ...], refusals: tuple[Refusal, ...],
                  carried: frozenset[str], previous_needles: str | None) -> Audited:
    """Audit the staging site before it replaces the public one. Every file the build wrote itself is
    read; the files carried over from the last build passed the same audit then, so they are read
    again only when what the audit looks for changed. Raises AuditFailure."""
    everything = tuple(listing(site))
    key = needles_key(documents, refusals)
    only = set(everything) - carried if previous_needles == key else None
    problems = audit_site(site, documents, refusals, only)
    if problems:
        raise AuditFailure(problems)
    return Audited(key, everything, len(only) if only is not None else len(everything))
