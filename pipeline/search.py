"""Full-text search with Pagefind (issue 8), run on the staged site after mkdocs and before the audit.

The theme's own search is off: its single JSON index reaches tens of megabytes at 10,000 documents
and ignores diacritics. Pagefind splits its index into small chunks that the search page fetches on
demand. It indexes no HTML here: each published document is one custom record, so nothing but
accepted documents can reach the index, and the pages carry no search markup.

A record's content is the document's text accent-folded character by character (`fold_aligned`:
"Công đoàn" -> "cong doan", đ -> d), and the search page folds the query the same way, so a query
typed without diacritics finds exactly what the same query with them finds. The original text rides
along as meta `goc`, word for word aligned with the folded content, so that excerpts are shown in
the document's own spelling. Filters: `loai` (type), `don_vi` (unit names), `nam` (year). Sort key:
`ngay` (ISO date the document is filed under).

The only module that runs Pagefind (through its Python package, which drives the bundled binary).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import shutil
from collections.abc import Coroutine, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import PortalConfig
from .normalize import fold_aligned
from .present import basis_date, date_vi, organ_vi, subject_vi
from .reading import blocks, plain
from .records import Document

OUTPUT = "pagefind"
TIMEOUT = 900  # seconds; 10,000 documents take well under a minute
LANGUAGE = "vi"
# Files of Pagefind's bundle that our search page never loads (its ready-made interfaces).
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


class SearchIndexError(Exception):
    """Pagefind could not run: the build stops before anything replaces site/."""


@dataclass(frozen=True)
class SearchRecord:
    url: str  # relative to the site root: "van-ban/<slug>/"
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


async def _write(output: Path, found: list[SearchRecord]) -> None:
    from pagefind.index import IndexConfig, PagefindIndex

    async with PagefindIndex(IndexConfig(output_path=str(output), force_language=LANGUAGE)) as index:
        for r in found:
            await index.add_custom_record(
                url=r.url, content=r.content, language=LANGUAGE, meta=dict(r.meta),
                filters={k: list(v) for k, v in r.filters}, sort=dict(r.sort),
            )
        await index.write_files()


def _run(job: Coroutine[Any, Any, None]) -> None:
    """asyncio.run, also when called from code that already runs an event loop (then in a thread)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(job)
        return
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, job).result()


def index_site(site: Path, found: list[SearchRecord]) -> Path:
    """Write Pagefind's index into `site`/pagefind/ and drop the parts of its bundle we never load."""
    output = site / OUTPUT
    if output.exists():
        shutil.rmtree(output)
    try:
        _run(asyncio.wait_for(_write(output, found), TIMEOUT))
    except TimeoutError as exc:
        raise SearchIndexError(f"Pagefind không dựng xong chỉ mục tìm kiếm sau {TIMEOUT} giây") from exc
    except FileNotFoundError as exc:
        raise SearchIndexError(
            "không tìm thấy chương trình Pagefind để dựng chỉ mục tìm kiếm; hãy cài lại môi trường "
            "(make build cài gói pagefind-bin theo requirements.lock)") from exc
    if not (output / "pagefind.js").is_file():
        raise SearchIndexError("Pagefind không tạo được chỉ mục tìm kiếm (thiếu pagefind.js)")
    for name in UNUSED:
        (output / name).unlink(missing_ok=True)
    return output


def build_search_index(config: PortalConfig, documents: Iterable[Document], site: Path) -> Path:
    """The build step: one record per published document, into `site`/pagefind/."""
    return index_site(site, records(config, documents))
