"""Full-text search with Pagefind (issue 8), run on the staged site after mkdocs and before the audit.

The theme's own search is off: its single JSON index reaches tens of megabytes at 10,000 documents
and ignores diacritics. Pagefind splits its index into small chunks that the search page fetches on
demand. It does not read the site's pages: each published document becomes one record (a tiny
stand-in page written to a scratch folder), so nothing but accepted documents can reach the index,
and the pages people download carry no search markup.

A record's content is the document's text accent-folded character by character (`fold_aligned`:
"Công đoàn" -> "cong doan", đ -> d), and the search page folds the query the same way, so a query
typed without diacritics finds exactly what the same query with them finds (Pagefind's own
diacritics folding, new in 1.5, leaves "đ" alone: "doan" would not find "đoàn"). Excerpts are shown
in the document's own spelling: meta `dau` holds, word for word, what folding took away (`marks`),
written only with ASCII punctuation. Pagefind 1.5 indexes every meta field as searchable text, and a
copy of the original text there doubled the index and the indexer's memory; punctuation yields no
word to index, so `dau` costs only its bytes in each record's fragment. The meta fields a result
shows (subject as Pagefind's `title`, number, type, urgency, issuing body) are folded the same way,
each with its own `dau_<name>`: a word with diacritics there would be a second form of a query word
beside the folded one, which makes Pagefind's search for a phrase in quotes miss the page (its
phrase check reads each form as another word of the phrase) and its `title` boost (a match in the
subject ranks a letter higher) skip every word with "đ". Filters: `loai` (type), `don_vi` (unit
names), `nam` (year). Sort key: `ngay` (ISO date the document is filed under).

What a record indexes (issue 20): first the fields a visitor types to find one letter, each in an
element of its own with a Pagefind weight (number 10; urgency, type and subject 7; signer 5; date 2),
then the body with what every letter repeats left out (letterhead, national motto, the "Kính gửi:"
and "Nơi nhận:" labels, the signing block, "Lưu: VT"), so that "hội nghị" no longer finds every
letter through "xã hội chủ nghĩa". Meta `than` says where the body starts, in words (`count_code`):
the search page cuts excerpts from the body when it holds the words. Whole-word matching of short
words and the "no document has this number" answer are the search page's (content/assets/tim-kiem.js).

The index comes in bundles of whole years (issue 9, `bundles`): the newest year alone, which today's
letter rewrites in seconds, and the earlier years in bundles of at most ARCHIVE_CAP documents. The
search page loads the newest year's bundle first and shows its matches, then merges the others.
Pagefind writes one bundle at a time (`IndexQueue`), so the build's peak memory is that of the
largest bundle, not of the archive.

The only module that runs Pagefind: the binary shipped by the pagefind-bin package, as
`python -m pagefind`.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.child import last_lines
from pipeline.config import PortalConfig
from pipeline.files import keep_stamped, write_atomically
from pipeline.normalize import fold_aligned
from pipeline.present import basis_date, date_vi, organ_vi, signer_name, subject_vi
from pipeline.publish.reading import blocks
from pipeline.records import Document, Metadata

OUTPUT = "pagefind"  # the primary bundle: documents of the newest year; earlier years: pagefind-<from>-<to>
ARCHIVE_CAP = 3000  # documents in a bundle of earlier years (a single year may hold more)
TIMEOUT = 900  # seconds: a hung binary must not hang the build
LANGUAGE = "vi"
# Files of Pagefind's bundle that our search page never loads (its ready-made interfaces).
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")

# What folding took away from a letter, as one ASCII punctuation mark (Pagefind indexes no word made
# of these; "#" and "*" are avoided, being emoji keycap bases, and so are the characters HTML or JSON
# escape). CODES[0]: the folded letter as it is; CODES[k]: VARIANTS[letter][k - 1]. UPPER before a code:
# the letter is a capital. ESCAPE and six CODES[0:16] as hex digits: any other character, by code point.
VARIANTS = {"a": "àáảãạăằắẳẵặâầấẩẫậ", "e": "èéẻẽẹêềếểễệ", "i": "ìíỉĩị", "o": "òóỏõọôồốổỗộơờớởỡợ",
            "u": "ùúủũụưừứửữự", "y": "ỳýỷỹỵ", "d": "đ"}
CODES = "-!$%()+,./:;=?@[]`"
UPPER = "^"
ESCAPE = "~"


class SearchIndexError(Exception):
    """Pagefind could not run: the build stops before anything replaces site/."""


@dataclass(frozen=True)
class SearchRecord:
    url: str  # relative to the site root: "van-ban/<slug>/" (Pagefind's results say "/van-ban/<slug>/")
    content: str  # folded, single-spaced
    meta: tuple[tuple[str, str], ...]
    filters: tuple[tuple[str, tuple[str, ...]], ...]
    sort: tuple[tuple[str, str], ...]
    # (Pagefind weight, folded text) indexed before `content`: number, type and subject, signer, date
    fields: tuple[tuple[int, str], ...] = ()


def _restore(folded: str, code: str) -> str:
    """The letter `code` (from _mark) stands for; the inverse of _mark, as tim-kiem.js reads it."""
    if code.startswith(ESCAPE):
        return chr(int("".join(f"{CODES.index(c):x}" for c in code[1:]), 16))
    letter = folded if code[-1] == CODES[0] else VARIANTS[folded][CODES.index(code[-1]) - 1]
    return letter.upper() if code.startswith(UPPER) else letter


def _mark(original: str, folded: str) -> str:
    if original == folded:
        return CODES[0]
    lower = original.lower()
    code = None
    if lower == folded:
        code = UPPER + CODES[0]
    elif lower in VARIANTS.get(folded, ""):
        code = (UPPER if lower != original else "") + CODES[1 + VARIANTS[folded].index(lower)]
    if code is None or _restore(folded, code) != original:
        code = ESCAPE + "".join(CODES[int(digit, 16)] for digit in f"{ord(original):06x}")
    return code


def marks(original: str) -> str:
    """Meta `dau`: for each word of `original` (single-spaced, `canonical`), what turns its folded
    form back into it: one code per letter up to the last letter that folding changed, "-" for a
    word that folding left alone. "Công đoàn" -> "^-+ !-!" ("cong doan": capital C, ô; đ, o, à)."""
    return " ".join(map(_word_marks, original.split(" ")))


@functools.lru_cache(maxsize=65536)
def _word_marks(word: str) -> str:
    """One word's codes: folding is one character at a time, so a word's are the same wherever it
    stands, and letters repeat the same few thousand words (a 2,000-letter bundle: 1.1 million
    letters, about 30 seconds on a loaded machine without this)."""
    codes = [_mark(o, f) for o, f in zip(word, fold_aligned(word), strict=True)]
    while codes and codes[-1] == CODES[0]:
        codes.pop()
    return "".join(codes) or CODES[0]


def count_code(count: int) -> str:
    """A count written with CODES, digit d as CODES[d], for a meta field that must not be searched:
    Pagefind searches every meta field, and `than` in digits made a search for "23" find every letter
    whose body starts at word 23."""
    return "".join(CODES[int(digit)] for digit in str(count))


def count_of(code: str) -> int:
    """The inverse of count_code (tests; tim-kiem.js reads it the same way)."""
    return int("".join(str(CODES.index(c)) for c in code))


def restore(content: str, dau: str) -> str:
    """The original text back from a record's content and its meta `dau` (tests; tim-kiem.js does the
    same in the browser)."""
    words = []
    for word, code in zip(content.split(" "), dau.split(" "), strict=True):
        letters, at = list(word), 0
        for index in range(len(letters)):
            if at >= len(code):
                break
            size = 7 if code[at] == ESCAPE else 2 if code[at] == UPPER else 1
            letters[index] = _restore(letters[index], code[at:at + size])
            at += size
        words.append("".join(letters))
    return " ".join(words)


# Blocks of the reading copy that every letter repeats (issue 20): the two-column header (issuing
# body, national motto, number, place and date), the signing block (the right column of the closing
# columns, with "Ký bởi"/"Thời gian ký") and the signer's name set to the right. What they say that
# matters (number, date, signer) is indexed once, in the weighted fields. Of "Nơi nhận" only the
# recipients stay: they name the units a letter concerns.
BOILERPLATE = frozenset({"header", "right"})
_ADDRESSEES_LABEL = re.compile(r"^\s*kinh\s+gui\s*:?\s*", re.IGNORECASE)  # "Kính gửi:", folded
_RECIPIENTS_LABEL = re.compile(r"^\s*noi\s+nhan\s*:?\s*$", re.IGNORECASE)  # "Nơi nhận:", folded
_FILED = re.compile(r"^\s*[-–+•]?\s*luu\s*:", re.IGNORECASE)  # "- Lưu: VT, TG." (the office's own copy)
# Pagefind weights (1 is body text; Pagefind gives an <h1> 7): what a visitor types to find one letter.
WEIGHT_NUMBER = 10
WEIGHT_TITLE = 7  # type and subject
WEIGHT_SIGNER = 5
WEIGHT_DATE = 2


def body_text(doc: Document) -> str:
    """The indexed body, single-spaced, in the original spelling: the reading copy without the
    letterhead, the motto, the signing block, the "Kính gửi:" and "Nơi nhận:" labels and the filed
    copy ("Lưu: VT"), and without the title in capitals when it is only the document's type."""
    m = doc.metadata
    type_key = fold_aligned(" ".join((m.type_name or "").split())).lower()
    kept: list[str] = []
    for block in blocks(doc.text.pages):
        if block.kind in BOILERPLATE:
            continue
        lines = list(block.lines)
        if block.kind == "columns":
            lines = [line for line in lines if not _RECIPIENTS_LABEL.match(fold_aligned(line))
                     and not _FILED.match(fold_aligned(line))]
            kept.extend(lines)
            continue
        if block.kind == "title" and fold_aligned(" ".join(" ".join(lines).split())).lower().rstrip(":") == type_key:
            continue
        if block.kind == "addressees" and lines:
            label = _ADDRESSEES_LABEL.match(fold_aligned(lines[0]))
            lines[0] = lines[0][label.end():] if label else lines[0]
        kept.extend([*lines, *block.right])
    return " ".join(" ".join(kept).split())


def weighted_fields(doc: Document) -> tuple[tuple[int, str], ...]:
    """(Pagefind weight, text) of what identifies a letter, in the original spelling: its number,
    urgency, type and subject, signer, and date (written as letters say it and as people type it). The
    number's parts are also indexed run together by Pagefind, so "78LDLD" finds "78/LĐLĐ"."""
    m = doc.metadata
    day = m.issued_date
    date = f"ngày {day.day} tháng {day.month} năm {day.year} {date_vi(day)}" if day else ""
    found = [
        (WEIGHT_NUMBER, m.number or ""),
        (WEIGHT_TITLE, " ".join(part for part in (m.marks.urgency, m.type_name, m.subject) if part)),
        (WEIGHT_SIGNER, signer_name(m) or ""),
        (WEIGHT_DATE, date),
    ]
    return tuple((weight, " ".join(text.split())) for weight, text in found if text.strip())


def original_text(doc: Document) -> str:
    """What a record indexes, in the original spelling, single-spaced, word for word as Pagefind
    reads it: the weighted fields, then the body (Pagefind joins the blocks with a space)."""
    return " ".join([*(text for _, text in weighted_fields(doc)), body_text(doc)]).strip()


def shown_fields(m: Metadata, organ: str) -> tuple[tuple[str, str], ...]:
    """The meta fields a result shows (tim-kiem.js), in the original spelling: subject (Pagefind's
    `title`), number, type, urgency, issuing body (empty when it is the portal's own)."""
    return (("title", subject_vi(m)), ("so", m.number or ""), ("loai", m.type_name or "Văn bản"),
            ("khan", m.marks.urgency or ""), ("co_quan", organ))


def record(doc: Document, unit_names: dict[str, str], own: str) -> SearchRecord:
    """`own`: the portal's organisation, whose name is left out of the results' issuer line."""
    m = doc.metadata
    organ = organ_vi(m.organ_name, own)
    fields = weighted_fields(doc)
    body = body_text(doc)
    original = " ".join([*(text for _, text in fields), body]).strip()
    meta = {}
    # What a result shows, folded as the content is, and beside it (`dau_<name>`) what folding took away.
    for name, value in shown_fields(m, "" if organ == own else organ or ""):
        text = " ".join(value.split())
        meta[name] = fold_aligned(text)
        meta[f"dau_{name}"] = marks(text) if text else ""
    meta.update({
        "ngay": date_vi(m.issued_date) if m.issued_date else "",
        "dau": marks(original) if original else "",
        # Where the body starts, in words: excerpts are cut from the body when it matches.
        "than": count_code(sum(len(text.split()) for _, text in fields)),
    })
    filters = {
        "loai": (m.type_name or "Văn bản",),
        "nam": (str(basis_date(doc).year),),
        "don_vi": tuple(unit_names[u] for u in doc.units if u in unit_names),
    }
    return SearchRecord(
        url=record_url(doc),
        content=fold_aligned(body),
        meta=tuple((k, v) for k, v in meta.items() if v),
        filters=tuple((k, v) for k, v in filters.items() if v),
        sort=(("ngay", basis_date(doc).isoformat()),),
        fields=tuple((weight, fold_aligned(text)) for weight, text in fields),
    )


def records(config: PortalConfig, documents: Iterable[Document], skip: frozenset[str] = frozenset()
            ) -> list[SearchRecord]:
    """The records of `documents`, but those whose url is in `skip` (their stand-in pages are kept)."""
    unit_names = {u.id: u.name for u in config.units}
    return [record(doc, unit_names, config.organisation.name) for doc in documents
            if record_url(doc) not in skip]


def record_url(doc: Document) -> str:
    return f"van-ban/{doc.slug}/"


def page_html(r: SearchRecord) -> str:
    """The stand-in page Pagefind reads for one record: the weighted fields and the folded text are
    the only indexed body; meta, filters and sort sit outside it. Every value is escaped: it comes from the PDF."""
    parts = ['<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>', html.escape(r.url),
             "</title></head><body><main data-pagefind-body>"]
    parts += [f'<p data-pagefind-weight="{weight}">{html.escape(text)}</p>' for weight, text in r.fields]
    parts += ["<p>", html.escape(r.content), "</p></main>"]
    parts += [f'<p data-pagefind-meta="{k}">{html.escape(v)}</p>' for k, v in r.meta]
    parts += [f'<p data-pagefind-filter="{k}">{html.escape(v)}</p>' for k, values in r.filters for v in values]
    parts += [f'<p data-pagefind-sort="{k}">{html.escape(v)}</p>' for k, v in r.sort]
    parts.append("</body></html>\n")
    return "".join(parts)


def bundles(counts: Mapping[int, int], cap: int = ARCHIVE_CAP) -> list[tuple[str, list[int]]]:
    """The index bundles and the years each holds, newest first (issue 9). `counts`: year -> number
    of documents.

    Pagefind cannot update an index: it writes a bundle from all its records (about 3.5 ms and,
    at the documents of bench/scale_corpus.py, 0.16 MB of memory per document). Today's letter almost
    always belongs to the newest year, so that year has a bundle of its own (a thousand documents or
    so: seconds), named OUTPUT: the search page loads Pagefind from it and shows its matches first.
    The earlier years are cut, from the oldest, into runs of consecutive years of at most `cap`
    documents (a year above the cap is a bundle alone), so that no Pagefind run holds the whole
    archive in memory. Cut from the oldest, the runs stay as they are when a new year begins: only
    the last of them takes the year that was the newest. An old document added or removed rewrites
    its own run, and the later ones only when it moves a cut."""
    ordered = sorted(counts)
    if not ordered:
        return []
    runs: list[list[int]] = []
    size = 0
    for year in ordered[:-1]:
        if runs and size + counts[year] <= cap:
            runs[-1].append(year)
            size += counts[year]
        else:
            runs.append([year])
            size = counts[year]
    found = [(OUTPUT, [ordered[-1]])]
    for run in reversed(runs):
        name = f"{OUTPUT}-{run[0]}" if len(run) == 1 else f"{OUTPUT}-{run[0]}-{run[-1]}"
        found.append((name, run[::-1]))
    return found


def bundle_documents(documents: Iterable[Document]) -> dict[str, list[Document]]:
    """The documents of each bundle, newest bundle first."""
    chosen = list(documents)
    plan = bundles(Counter(basis_date(doc).year for doc in chosen))
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


@dataclass(frozen=True)
class RecordStore:
    """Where a bundle's stand-in pages stay between builds (in .congbo/), so that adding a letter
    writes one page, not a thousand (issue 9). A page is reused only when the document it stands
    for is unchanged (`keys`: url -> site_state.document_digest), the site's fingerprint (code,
    portal.yml) is the same, and its file is the one written (the size, time and inode the manifest
    holds, as the site's files are checked: site_state.py); every other file and link in the folder
    is removed before Pagefind reads it, so a document no longer published can never stay in the
    index."""

    folder: Path
    keys: Mapping[str, str]
    fingerprint: str
    reuse: bool = True  # False: write every page again (a full build)


@dataclass
class Indexing:
    """One bundle, written by an IndexQueue's thread while mkdocs builds the pages."""

    output: Path
    make: Callable[[frozenset[str]], list[SearchRecord]]  # the records, but those of the urls given
    store: RecordStore | None = None
    prepared: bool = False  # the store's pages are up to date already
    source: Path | None = None  # the prepared pages (None: an empty bundle)
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None
    seconds: float = 0.0  # Pagefind's run
    max_rss: int = 0  # bytes: Pagefind's peak resident memory

    def wait(self) -> Path:
        """The finished index folder (absent when nothing is published); raises what went wrong."""
        self.done.wait()
        if self.error is not None:
            raise self.error
        return self.output


class IndexQueue:
    """Writes the bundles one after another on a background thread (Pagefind itself uses every core):
    the build's memory then holds one bundle's index at a time. The records of a bundle are built
    on the thread too, while the main thread waits for mkdocs."""

    def __init__(self) -> None:
        self.jobs: list[Indexing] = []
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None

    def add(self, output: Path, make: Callable[[frozenset[str]], list[SearchRecord]],
            store: RecordStore | None = None) -> Indexing:
        """Queue the bundle whose records `make` builds, into `output` (which must not exist yet)."""
        job = Indexing(output, make, store)
        if store is not None and store.reuse:
            # A page or two to write: done here, not on the thread, where every one of a thousand
            # small reads would wait for the busy main thread to let go of the interpreter.
            job.source, job.prepared = _stand_ins(store, make), True
        with self.lock:
            self.jobs.append(job)
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="pagefind", daemon=True)
                self.thread.start()
        return job

    def _next(self) -> Indexing | None:
        with self.lock:
            job = next((j for j in self.jobs if not j.done.is_set()), None)
            if job is None:
                self.thread = None
            return job

    def _run(self) -> None:
        failed: BaseException | None = None
        while (job := self._next()) is not None:
            try:
                if failed is not None:
                    raise SearchIndexError("Pagefind không dựng phần chỉ mục tìm kiếm này vì phần trước đó "
                                           "đã không dựng được") from failed
                if not job.output.parent.is_dir():  # the build stopped and removed its staging folder
                    raise SearchIndexError("Pagefind không dựng chỉ mục tìm kiếm: thư mục dựng trang đã bị xóa")
                _write_bundle(job)
            except BaseException as exc:  # handed to the main thread by wait()
                job.error = failed = exc
            job.done.set()


def _stand_ins(store: RecordStore, make: Callable[[frozenset[str]], list[SearchRecord]]) -> Path | None:
    """The store's folder of stand-in pages brought up to date; None when the bundle is empty."""
    records = store.folder / "records"
    manifest_path = store.folder / "manifest.json"
    kept: dict[str, list[Any]] = {}
    if store.reuse:
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            if manifest.get("fingerprint") == store.fingerprint:
                kept = {url: entry for url, entry in manifest["pages"].items()
                        if isinstance(entry, list) and len(entry) == 5 and store.keys.get(url) == entry[0]}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            kept = {}
    manifest_path.unlink(missing_ok=True)  # written again once the folder is consistent
    # Every file in the folder that is not one of `kept`'s pages as written then goes.
    found_pages = _keep_only(records, kept) if records.is_dir() else set()
    kept = {url: entry for url, entry in kept.items() if url in found_pages}
    fresh = make(frozenset(kept))
    for r in fresh:
        kept[r.url] = [store.keys[r.url], *_write_stand_in(records, r)]
    if set(kept) != set(store.keys):
        raise SearchIndexError("chỉ mục tìm kiếm: số trang thay thế không khớp số văn bản của phần chỉ mục")
    if not kept:
        return None
    write_atomically(manifest_path, json.dumps({"fingerprint": store.fingerprint, "pages": kept}))
    return records


def _keep_only(records: Path, kept: dict[str, list[Any]]) -> set[str]:
    """Remove from `records` every file and link but the stand-in pages of `kept` as they were
    written (a regular file with the size, time and inode the manifest holds: a stat, not a read and
    a hash of each of a year's thousands of pages at every build), and the folders left empty.
    Returns the urls of the pages left."""
    def stamp_of(relative: str) -> tuple[int, int, int] | None:
        url, _, name = relative.rpartition("/")
        written = kept.get(f"{url}/") if name == "index.html" and url else None
        return (written[2], written[3], written[4]) if written is not None else None

    return {relative.removesuffix("index.html") for relative in keep_stamped(str(records), stamp_of)}


def _write_stand_in(folder: Path, r: SearchRecord) -> list[Any]:
    """The record's stand-in page, under `folder` at its url; returns the SHA-256 of its bytes and
    the file's size, time and inode."""
    data = page_html(r).encode("utf-8")
    page = folder / r.url / "index.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_bytes(data)
    st = page.stat()
    return [hashlib.sha256(data).hexdigest(), st.st_size, st.st_mtime_ns, st.st_ino]


def _write_bundle(job: Indexing) -> None:
    """Pagefind reads one small stand-in page per record from a folder (its Python service API
    takes a round trip per record, about a tenth of a second; the binary reads a folder of files in
    parallel), so the staged site itself is never indexed."""
    with tempfile.TemporaryDirectory(prefix=".search-", dir=job.output.parent) as scratch:
        if job.store is None:
            source = Path(scratch) / "records"
            found = job.make(frozenset())
            if not found:
                return  # nothing published: no index (the search page loads no script)
            for r in found:
                _write_stand_in(source, r)
            del found
        else:
            stored = job.source if job.prepared else _stand_ins(job.store, job.make)
            if stored is None:
                return
            source = stored
        log = Path(scratch) / "pagefind.log"
        command = [sys.executable, "-m", "pagefind", "--site", str(source), "--output-path", str(job.output)]
        started = time.perf_counter()
        with open(log, "wb") as handle:
            process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT)
        expired = threading.Event()

        def kill() -> None:
            expired.set()
            process.kill()

        timer = threading.Timer(TIMEOUT, kill)
        timer.start()
        try:
            # wait4, not wait: its resource usage says how much memory Pagefind took (`python -m
            # pagefind` execs the binary in the same process).
            _, status, usage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
        finally:
            timer.cancel()
        job.seconds = time.perf_counter() - started
        job.max_rss = usage.ru_maxrss * 1024
        said = log.read_text(encoding="utf-8", errors="replace")
    if expired.is_set():
        raise SearchIndexError(f"Pagefind không dựng xong chỉ mục tìm kiếm sau {TIMEOUT} giây")
    if process.returncode != 0 or not (job.output / "pagefind.js").is_file():
        lines = last_lines(said)
        if "Could not find pagefind binary" in said:
            lines = ["không tìm thấy chương trình Pagefind; hãy cài lại môi trường (make build cài gói "
                     "pagefind-bin theo requirements.lock)"]
        shutil.rmtree(job.output, ignore_errors=True)
        raise SearchIndexError("Pagefind không dựng được chỉ mục tìm kiếm: " + " / ".join(lines))
    for name in UNUSED:
        (job.output / name).unlink(missing_ok=True)


@dataclass(frozen=True)
class SearchJobs:
    """The search bundles of a build: every bundle's key, and those being indexed (the others are
    carried over from the last build)."""

    keys: dict[str, str]  # bundle -> index_key of its documents
    running: tuple[tuple[str, Indexing], ...]

    @property
    def rebuilt(self) -> frozenset[str]:
        return frozenset(bundle for bundle, _ in self.running)


def start_indexing(config: PortalConfig, documents: tuple[Document, ...], digests: dict[str, str], output: Path,
                   stores: Path, fingerprint: str, previous: Mapping[str, str] | None) -> SearchJobs:
    """Start indexing, bundle by bundle, every bundle whose documents changed since the last build
    (`previous`: its bundles' keys; None for a full build). Pagefind writes them one after another,
    on its own threads, behind a background thread; stand-in pages of unchanged documents are kept
    between builds in `stores`, and a full build writes them all again."""
    queue = IndexQueue()
    keys: dict[str, str] = {}
    running: list[tuple[str, Indexing]] = []
    for bundle, bundle_docs in bundle_documents(documents).items():
        keys[bundle] = index_key(bundle_docs, digests)
        if previous is None or previous.get(bundle) != keys[bundle]:
            store = RecordStore(stores / bundle, {record_url(d): digests[d.slug] for d in bundle_docs},
                                fingerprint, reuse=previous is not None)
            running.append((bundle, queue.add(output / bundle, functools.partial(records, config, bundle_docs), store)))
    return SearchJobs(keys, tuple(running))
