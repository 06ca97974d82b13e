"""The second gate: before the built site replaces site/, check what is in it.

Every PDF must be byte-identical to an accepted document; no refused document's hash, subject or
number may appear in any file (pages, feeds, search index, sitemap). A failure aborts the swap."""

from __future__ import annotations

import hashlib
import html
import json
from pathlib import Path

from .normalize import canonical, fold
from .records import Document, Refusal

TEXT_SUFFIXES = {".html", ".xml", ".atom", ".json", ".txt", ".js", ".opml", ".md", ".gz"}  # .atom: issue 6 feeds
# Pagefind's index: gzip streams whose content starts with this marker; its text is accent-folded,
# so refused subjects are also looked for in folded form there.
SEARCH_SUFFIXES = (".pf_fragment", ".pf_index", ".pf_meta", ".pf_filter")
PAGEFIND_MARKER = b"pagefind_dcd"


def audit_site(site: Path, documents: tuple[Document, ...], refusals: tuple[Refusal, ...]) -> list[str]:
    accepted = {d.source.sha256 for d in documents}
    problems: list[str] = []
    needles: list[tuple[str, str]] = []
    cited = {r.number for d in documents for r in d.metadata.references}
    accepted_numbers = {d.metadata.number for d in documents if d.metadata.number}
    for refusal in refusals:
        needles.append((refusal.source.sha256, refusal.source.path))
        if refusal.metadata is not None:
            m = refusal.metadata
            if m.subject and len(m.subject) >= 12:
                needles.append((canonical(m.subject), refusal.source.path))
            # A refused number may legitimately be cited by, or shared with, a published letter.
            if m.number and m.number not in cited and m.number not in accepted_numbers:
                needles.append((m.number, refusal.source.path))
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(site).as_posix()
        if path.suffix.lower() == ".pdf":
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if digest not in accepted:
                problems.append(f"{relative}: PDF is not an accepted document (sha256 {digest})")
            continue
        search_file = path.name.endswith(SEARCH_SUFFIXES)
        if path.suffix.lower() not in TEXT_SUFFIXES and not search_file:
            continue
        text = _readable(path)
        folded = fold(text) if search_file else ""
        for needle, origin in needles:
            if needle and (needle in text or (search_file and fold(needle) in folded)):
                problems.append(f"{relative}: contains {needle!r} from refused {origin}")
    return problems


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
