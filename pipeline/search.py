"""Full-text search with Pagefind (issue 8), run on the staged site after mkdocs and before the audit.

The theme's own search is off: its single JSON index reaches tens of megabytes at 10,000 documents
and ignores diacritics. Pagefind splits its index into small chunks that the search page fetches on
demand. It does not read the site's pages: each published document becomes one record (a tiny
stand-in page written to a scratch folder), so nothing but accepted documents can reach the index,
and the pages people download carry no search markup.

A record's content is the document's text accent-folded character by character (`fold_aligned`:
"Công đoàn" -> "cong doan", đ -> d), and the search page folds the query the same way, so a query
typed without diacritics finds exactly what the same query with them finds. The original text rides
along as meta `goc`, word for word aligned with the folded content, so that excerpts are shown in
the document's own spelling. Filters: `loai` (type), `don_vi` (unit names), `nam` (year). Sort key:
`ngay` (ISO date the document is filed under).

The only module that runs Pagefind: the binary shipped by the pagefind-bin package, as
`python -m pagefind`.
"""

from __future__ import annotations

import hashlib
import html
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .child import Child, last_lines
from .config import PortalConfig
from .normalize import fold_aligned
from .present import basis_date, date_vi, organ_vi, subject_vi
from .reading import blocks, plain
from .records import Document

OUTPUT = "pagefind"  # the primary bundle: documents of the newest year
ARCHIVE = "pagefind-truoc"  # every earlier year, merged into the primary by the search page
TIMEOUT = 900  # seconds: a hung binary must not hang the build
LANGUAGE = "vi"
# Files of Pagefind's bundle that our search page never loads (its ready-made interfaces).
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


class SearchIndexError(Exception):
    """Pagefind could not run: the build stops before anything replaces site/."""


@dataclass(frozen=True)
class SearchRecord:
    url: str  # relative to the site root: "van-ban/<slug>/" (Pagefind's results say "/van-ban/<slug>/")
    content: str  # folded, single-spaced
    meta: tuple[tuple[str, str], ...]
    filters: tuple[tuple[str, tuple[str, ...]], ...]
    sort: tuple[tuple[str, str], ...]


def original_text(doc: Document) -> str:
    """What a record indexes, in the original spelling, single-spaced: the reading copy, preceded by
    the number, type and subject when the text layer lacks them (blank number filled in by a
    sidecar, damaged text). The number's parts are also indexed run together by Pagefind, so
    "78LDLD" finds "78/LĐLĐ"."""
    m = doc.metadata
    text = " ".join(plain(blocks(doc.text.pages)).split())
    folded = fold_aligned(text)
    missing = [part for part in (m.number, m.type_name, m.subject) if part and fold_aligned(part) not in folded]
    return " ".join(" ".join([*missing, text]).split())


def record(doc: Document, unit_names: dict[str, str], own: str) -> SearchRecord:
    """`own`: the portal's organisation, whose name is left out of the results' issuer line."""
    m = doc.metadata
    organ = organ_vi(m.organ_name, own)
    original = original_text(doc)
    meta = {
        "title": subject_vi(m),
        "so": m.number or "",
        "loai": m.type_name or "Văn bản",
        "ngay": date_vi(m.issued_date) if m.issued_date else "",
        "khan": m.marks.urgency or "",
        "co_quan": "" if organ == own else organ or "",
        "goc": original,
    }
    filters = {
        "loai": (m.type_name or "Văn bản",),
        "nam": (str(basis_date(doc).year),),
        "don_vi": tuple(unit_names[u] for u in doc.units if u in unit_names),
    }
    return SearchRecord(
        url=f"van-ban/{doc.slug}/",
        content=fold_aligned(original),
        meta=tuple((k, v) for k, v in meta.items() if v),
        filters=tuple((k, v) for k, v in filters.items() if v),
        sort=(("ngay", basis_date(doc).isoformat()),),
    )


def records(config: PortalConfig, documents: Iterable[Document]) -> list[SearchRecord]:
    unit_names = {u.id: u.name for u in config.units}
    return [record(doc, unit_names, config.organisation.name) for doc in documents]


def page_html(r: SearchRecord) -> str:
    """The stand-in page Pagefind reads for one record: the folded text is the only indexed body;
    meta, filters and sort sit outside it. Every value is escaped: it comes from the PDF."""
    parts = ['<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>', html.escape(r.url),
             "</title></head><body><main data-pagefind-body>", html.escape(r.content), "</main>"]
    parts += [f'<p data-pagefind-meta="{k}">{html.escape(v)}</p>' for k, v in r.meta]
    parts += [f'<p data-pagefind-filter="{k}">{html.escape(v)}</p>' for k, values in r.filters for v in values]
    parts += [f'<p data-pagefind-sort="{k}">{html.escape(v)}</p>' for k, v in r.sort]
    parts.append("</body></html>\n")
    return "".join(parts)


def bundles(years: Iterable[int]) -> list[tuple[str, list[int]]]:
    """The index bundles and the years each holds, newest first (issue 9).

    Pagefind cannot update an index: it writes a bundle from all its records, about 3.5 ms per
    document. Today's letter almost always belongs to the newest year, so that year has a bundle of
    its own (a thousand documents or so: seconds) and the archive of earlier years is written again
    only when the years move on or an old document changes. The search page merges both."""
    ordered = sorted(set(years), reverse=True)
    found = [(OUTPUT, ordered[:1])] if ordered else []
    if len(ordered) > 1:
        found.append((ARCHIVE, ordered[1:]))
    return found


def bundle_documents(documents: Iterable[Document]) -> dict[str, list[Document]]:
    chosen = list(documents)
    plan = bundles(basis_date(doc).year for doc in chosen)
    where = {year: name for name, years in plan for year in years}
    found: dict[str, list[Document]] = {name: [] for name, _ in plan}
    for doc in chosen:
        found[where[basis_date(doc).year]].append(doc)
    return found


def index_key(documents: Iterable[Document], digests: dict[str, str]) -> str:
    """What a bundle depends on, without building its records: every document in it as a whole
    (`digests`: slug -> site_state.document_digest). The code and portal.yml (unit names) are in the
    site's fingerprint."""
    return hashlib.sha256("".join(digests[doc.slug] for doc in documents).encode()).hexdigest()


@dataclass
class Indexing:
    """Pagefind running in the background (it has its own threads) while mkdocs builds the pages."""

    child: Child | None
    scratch: tempfile.TemporaryDirectory[str] | None
    output: Path

    def wait(self) -> Path:
        """The finished index folder (absent when nothing is published)."""
        if self.child is None:
            return self.output
        assert self.scratch is not None
        try:
            status, output = self.child.finish(TIMEOUT)
        except subprocess.TimeoutExpired as exc:
            raise SearchIndexError(f"Pagefind không dựng xong chỉ mục tìm kiếm sau {TIMEOUT} giây") from exc
        finally:
            self.scratch.cleanup()
        if status != 0 or not (self.output / "pagefind.js").is_file():
            said = last_lines(output)
            if "Could not find pagefind binary" in output:
                said = ["không tìm thấy chương trình Pagefind; hãy cài lại môi trường (make build cài gói "
                        "pagefind-bin theo requirements.lock)"]
            raise SearchIndexError("Pagefind không dựng được chỉ mục tìm kiếm: " + " / ".join(said))
        for name in UNUSED:
            (self.output / name).unlink(missing_ok=True)
        return self.output


def start_index(output: Path, found: list[SearchRecord]) -> Indexing:
    """Start writing Pagefind's index into `output` (which must not exist yet).

    Pagefind reads one small stand-in page per record from a scratch folder (its Python service API
    takes a round trip per record, about a tenth of a second; the binary reads a folder of files in
    parallel), so the staged site itself is never indexed."""
    if not found:
        return Indexing(None, None, output)  # nothing published: no index (the search page loads no script)
    scratch = tempfile.TemporaryDirectory(prefix=".search-", dir=output.parent)
    source = Path(scratch.name) / "records"
    for r in found:
        page = source / r.url / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(page_html(r), encoding="utf-8")
    command = [sys.executable, "-m", "pagefind", "--site", str(source), "--output-path", str(output)]
    return Indexing(Child.start(command, Path(scratch.name) / "pagefind.log"), scratch, output)

