"""What a visitor downloads to get the first search result, in a real browser (issue 9: "first
search result under 300 kB downloaded").

Serves a built site folder with Python's http.server on a free 127.0.0.1 port (no compression, as
a plain static host), then for each query, in a fresh browser context (empty cache), with Debian's
chromium driven by Playwright:

  page load   open tim-kiem/ (the search page) and wait until it has loaded and the network is idle:
              the bytes of every response so far (HTML, CSS, JS, fonts, images)
  search      type the query into #cb-q and submit the form (tim-kiem.js then loads Pagefind and, for a
              query that looks like a document number, tim-kiem/so/<n>.json), wait until the first
              item appears in #cb-results: the bytes of every response received from the end of the
              page load until then (those the page's resource timing lists as complete when the
              item appeared), their number, and the time from submitting to the first item
  complete    then wait until the search is complete (tim-kiem.js shows the newest year's matches
              first, then loads the bundles of earlier years: #cb-results[aria-busy=false]): the
              bytes of the whole search, and the time from submitting until then
  gzip-served the search bytes again, text responses (js, mjs, json, html, css, svg, txt, xml)
              counted at their gzip -6 size, as a host that compresses would send them; Pagefind's
              .pf_* files and its wasm are already compressed and count as they are

Sizes are response body lengths (Playwright's `response.body()`), not Content-Length headers. The largest files of each
search download are listed after the table, so a reader sees what dominates. The site folder is
only read, never written; if it is missing or being rebuilt (no pagefind/ or tim-kiem/ yet, or
changed during a query) the script waits and retries.

Usage: .venv/bin/python bench/bench_search.py [--site /tmp/scale10k/site] [--query Q ...] [--json]

With --index-memory ROOT it measures the indexing instead: the portal at ROOT is collected (from its
inspection cache), its documents planned into bundles as the build plans them (search.bundle_documents)
and each bundle written by the build's own IndexQueue into a scratch folder, one Pagefind at a time:
per bundle, the documents, Pagefind's seconds and its peak resident memory (from wait4). The portal
and its site are only read.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import re
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
DEFAULT_SITE = Path("/tmp/scale10k/site")
# A topic word with its accents, one typed without (the index is accent-folded). Not a document
# number: Enter on an exact number goes straight to its page (issue 20), with no result list to time.
DEFAULT_QUERIES = ["kế hoạch", "hoi thao"]
QUERY_TIMEOUT_MS = 60_000
ATTEMPTS = 3
TEXT_SUFFIXES = {".js", ".mjs", ".json", ".html", ".htm", ".css", ".svg", ".txt", ".xml"}
TEXT_TYPES = re.compile(r"^(text/|application/(javascript|x-javascript|json|xml)|image/svg\+xml)")
FIRST_RESULT = "#cb-results li"
# The search is complete (every bundle asked), or tim-kiem.js said it could not load an index.
COMPLETE = ("document.getElementById('cb-results').getAttribute('aria-busy') === 'false' || "
            "/Chưa tìm được|Chỉ mới tìm/.test(document.getElementById('cb-search-status').textContent)")
# A first result, or tim-kiem.js saying it found nothing or could not load the index.
DONE = ("window.__cbFirst !== null || /Không tìm thấy|Chưa tìm được/"
        ".test(document.getElementById('cb-search-status').textContent)")

# Installed in every page: the page's own clock at submit and at the first result item, and the
# resources fully received at that moment (the search goes on loading earlier years after it).
TIMING_SCRIPT = """
(() => {
  window.__cbSubmit = null; window.__cbFirst = null; window.__cbFirstResources = null;
  performance.setResourceTimingBufferSize(5000);
  document.addEventListener("submit", () => { window.__cbSubmit = performance.now(); window.__cbFirst = null; }, true);
  new MutationObserver(() => {
    if (window.__cbSubmit !== null && window.__cbFirst === null && document.querySelector("#cb-results li")) {
      window.__cbFirst = performance.now();
      window.__cbFirstResources = performance.getEntriesByType("resource")
        .filter((e) => e.responseEnd > 0 && e.responseEnd <= window.__cbFirst).map((e) => e.name);
    }
  }).observe(document, { childList: true, subtree: true });
})();
"""


class SiteNotReady(Exception):
    """The site folder is missing, incomplete or changed while it was measured."""


@dataclass
class Download:
    url: str
    status: int
    size: int
    served: int  # as a compressing host would send it


@dataclass
class Result:
    query: str
    page_bytes: int
    page_requests: int
    search_bytes: int
    search_served: int
    search_requests: int
    ms: float
    first_result: str
    complete_bytes: int = 0  # the whole search, every bundle asked
    complete_requests: int = 0
    complete_ms: float = 0.0
    page: list[Download] = field(default_factory=list)
    search: list[Download] = field(default_factory=list)


class Quiet(http.server.SimpleHTTPRequestHandler):
    """Logs nothing; counts the requests it answers (a check on what the browser reported)."""

    answered: ClassVar[list[str]] = []

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        Quiet.answered.append(self.path)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """The folder over plain HTTP on a free localhost port, in a background thread."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def missing(site: Path) -> list[str]:
    needed = ["tim-kiem/index.html", "pagefind/pagefind.js", "pagefind/pagefind-entry.json"]
    return [name for name in needed if not (site / name).is_file()]


def stamp(site: Path) -> tuple[int, ...]:
    """Changes when the site is rebuilt or swapped (mkdocs rewrites the page, Pagefind its entry)."""
    try:
        return tuple(x for name in ("tim-kiem/index.html", "pagefind/pagefind-entry.json")
                     for st in [(site / name).stat()] for x in (st.st_ino, st.st_mtime_ns))
    except OSError as error:
        raise SiteNotReady(f"{site}: {error}") from error


def wait_for_site(site: Path, wait: float) -> tuple[int, ...]:
    """Wait (up to `wait` seconds) for a complete site that stays unchanged for a moment."""
    deadline = time.monotonic() + wait
    told = False
    while True:
        lacking = missing(site)
        if not lacking:
            try:
                before = stamp(site)
                time.sleep(1.0)
                if stamp(site) == before and not missing(site):
                    return before
            except SiteNotReady:
                pass
        if time.monotonic() >= deadline:
            what = ", ".join(lacking) if lacking else "files still changing"
            sys.exit(f"error: {site} is not a built congbo site with search ({what}); "
                     "build it first (the folder needs tim-kiem/ and pagefind/)")
        if not told:
            print(f"waiting for {site} ({', '.join(lacking) or 'being rebuilt'})…", file=sys.stderr)
            told = True
        time.sleep(3.0)


def served_size(url: str, content_type: str, body: bytes) -> int:
    """Bytes a host that compresses text would send; Pagefind's own files are already compressed."""
    suffix = Path(urlsplit(url).path).suffix.lower()
    if suffix.startswith(".pf_") or suffix in {".pagefind", ".wasm"}:
        return len(body)
    if suffix in TEXT_SUFFIXES or TEXT_TYPES.match(content_type):
        return len(gzip.compress(body, compresslevel=6))
    return len(body)


def downloads(responses: list[Any]) -> list[Download]:
    found = []
    for response in responses:
        try:
            body = response.body()
        except Exception:  # redirects and aborted responses have no body
            body = b""
        kind = response.headers.get("content-type", "")
        found.append(Download(response.url, response.status, len(body), served_size(response.url, kind, body)))
    return found


def measure(browser: Any, base: str, query: str) -> Result:
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(QUERY_TIMEOUT_MS)
    deadline = time.monotonic() + QUERY_TIMEOUT_MS / 1000
    try:
        # Nothing may leave the local server (fonts from a CDN would not be the site's bytes).
        context.route(re.compile(rf"^(?!{re.escape(base)})(?:https?|wss?|ftp)://"), lambda route: route.abort())
        context.add_init_script(TIMING_SCRIPT)
        seen: list[Any] = []
        # On the context, so that the requests of Pagefind's web worker count too.
        context.on("response", lambda response: seen.append(response))
        Quiet.answered.clear()
        tab = context.new_page()
        errors: list[str] = []
        tab.on("pageerror", lambda error: errors.append(str(error)))
        opened = tab.goto(base + "tim-kiem/", wait_until="load")
        if opened is None or not opened.ok:
            raise SiteNotReady(f"tim-kiem/ answered {opened.status if opened else 'nothing'}")
        try:
            tab.wait_for_load_state("networkidle", timeout=10_000)
        except Exception:
            pass  # a page that never goes idle: count what it loaded so far
        page = list(seen)
        seen.clear()
        field_q = tab.locator("#cb-q")
        field_q.fill(query)
        field_q.press("Enter")
        left = max(1_000, int((deadline - time.monotonic()) * 1000))
        try:
            tab.wait_for_function(DONE, polling=50, timeout=left)
        except Exception as error:
            status = tab.locator("#cb-search-status").text_content() or ""
            raise RuntimeError(f"no result for {query!r} within {QUERY_TIMEOUT_MS // 1000} s "
                               f"(status: {status.strip()!r}; page errors: {errors})") from error
        if tab.evaluate("window.__cbFirst === null"):
            status = tab.locator("#cb-search-status").text_content() or ""
            raise RuntimeError(f"no result for {query!r} on this site (status: {status.strip()!r}): "
                               "choose queries that find something")
        received = set(tab.evaluate("window.__cbFirstResources") or [])
        search = [r for r in seen if r.url in received]  # not what the search went on to load after
        ms = tab.evaluate("window.__cbFirst - window.__cbSubmit")
        first = tab.locator(FIRST_RESULT).first.inner_text().strip().splitlines()
        left = max(1_000, int((deadline - time.monotonic()) * 1000))
        tab.wait_for_function(COMPLETE, polling=50, timeout=left)
        complete_ms = tab.evaluate("performance.now() - window.__cbSubmit")
        tab.wait_for_timeout(500)  # then every request the server answered has reached the browser
        whole = list(seen)
        loaded, fetched, everything = downloads(page), downloads(search), downloads(whole)
        failed = [d for d in loaded + everything if d.status >= 400]
        if failed:
            raise SiteNotReady("; ".join(f"{d.status} {d.url}" for d in failed))
        if len(Quiet.answered) > len(page) + len(seen):
            print(f"warning: {query!r}: the server answered {len(Quiet.answered)} requests, the browser "
                  f"reported {len(page) + len(seen)}: some downloads are not counted", file=sys.stderr)
        return Result(query=query, page_bytes=sum(d.size for d in loaded), page_requests=len(loaded),
                      search_bytes=sum(d.size for d in fetched), search_served=sum(d.served for d in fetched),
                      search_requests=len(fetched), ms=round(float(ms), 1), first_result=" ".join(first)[:100],
                      complete_bytes=sum(d.size for d in everything), complete_requests=len(everything),
                      complete_ms=round(float(complete_ms), 1),
                      page=sorted(loaded, key=lambda d: d.size, reverse=True),
                      search=sorted(fetched, key=lambda d: d.size, reverse=True))
    finally:
        context.close()


def measure_with_retries(browser: Any, base: str, site: Path, query: str, wait: float) -> Result:
    """Retry a query that met a site being rebuilt (404s, changed files, a timeout during a swap)."""
    for attempt in range(1, ATTEMPTS + 1):
        before = wait_for_site(site, wait)
        try:
            result = measure(browser, base, query)
            if stamp(site) != before:
                raise SiteNotReady("the site changed during the measurement")
            return result
        except Exception as error:  # a timeout or a missing element too, when the site was swapped meanwhile
            rebuilt = isinstance(error, SiteNotReady) or bool(missing(site))
            try:
                rebuilt = rebuilt or stamp(site) != before
            except SiteNotReady:
                rebuilt = True
            if not rebuilt or attempt == ATTEMPTS:
                raise
            print(f"{query!r}: the site was being rebuilt ({error}); retrying", file=sys.stderr)
            time.sleep(5.0)
    raise AssertionError("unreachable")


def kb(n: int) -> str:
    return f"{n / 1000:.1f}"


def short(url: str, base: str) -> str:
    return unquote(url.removeprefix(base)) or "/"


def print_table(results: list[Result], base: str, top: int) -> None:
    print("| query | page load kB | search kB | search kB gzip-served | requests | ms to first result "
          "| complete search kB | requests | ms to complete |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r.query} | {kb(r.page_bytes)} | {kb(r.search_bytes)} | {kb(r.search_served)} "
              f"| {r.search_requests} | {r.ms:.0f} | {kb(r.complete_bytes)} | {r.complete_requests} "
              f"| {r.complete_ms:.0f} |")
    print()
    print("kB = 1000 bytes of response bodies; page load: tim-kiem/ until the network is idle "
          f"({', '.join(str(r.page_requests) for r in results)} requests); search: from then until the "
          "first result item; complete search: from then until every bundle has answered; requests: "
          "those of the search.")
    for r in results:
        print()
        print(f"largest files of the search download for {r.query!r} (first result: {r.first_result}):")
        for d in r.search[:top]:
            print(f"  {kb(d.size):>8} kB  ({kb(d.served):>7} kB gzip-served)  {short(d.url, base)}")


def index_memory(root: Path) -> int:
    """Write the search bundles of the portal at `root` as the build does; report each Pagefind run."""
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from pipeline.build import collect
    from pipeline.config import load_config
    from pipeline.publish.search import IndexQueue, bundle_documents, records

    config = load_config(root / "portal.yml")
    report = collect(config)
    with tempfile.TemporaryDirectory(prefix="bench-index-") as scratch:
        queue = IndexQueue()
        planned = bundle_documents(report.documents)
        jobs = [(name, len(docs), queue.add(Path(scratch) / name, functools.partial(records, config, docs)))
                for name, docs in planned.items()]
        print(f"portal: {root} ({len(report.documents)} documents; one Pagefind at a time)")
        print()
        print("| bundle | documents | Pagefind s | Pagefind max RSS MiB | index files MB |")
        print("|---|---:|---:|---:|---:|")
        for name, count, job in jobs:
            output = job.wait()
            size = sum(p.stat().st_size for p in output.rglob("*") if p.is_file())
            print(f"| {name} | {count} | {job.seconds:.1f} | {job.max_rss / 2**20:.0f} | {size / 1e6:.1f} |")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--site", type=Path, default=DEFAULT_SITE, help=f"a built site folder (default {DEFAULT_SITE})")
    parser.add_argument("--query", action="append", help="a query to measure (repeatable; default: "
                        + ", ".join(repr(q) for q in DEFAULT_QUERIES) + ")")
    parser.add_argument("--json", action="store_true", help="print the measurements as JSON instead of a table")
    parser.add_argument("--wait", type=float, default=120.0,
                        help="seconds to wait for a missing or rebuilding site before giving up (default 120)")
    parser.add_argument("--top", type=int, default=5, help="largest files listed per query (default 5)")
    parser.add_argument("--index-memory", type=Path, metavar="ROOT",
                        help="measure Pagefind's memory per bundle for the portal at ROOT instead")
    args = parser.parse_args(argv)
    if args.index_memory:
        return index_memory(args.index_memory.absolute())
    site: Path = args.site.absolute()  # not resolved: a swapped symlink is followed to the new build
    queries: list[str] = args.query or DEFAULT_QUERIES
    if not CHROMIUM.exists():
        sys.exit(f"error: {CHROMIUM} not found (Debian's chromium package; `make test` installs it)")
    wait_for_site(site, args.wait)

    from playwright.sync_api import sync_playwright

    results: list[Result] = []
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for query in queries:
                results.append(measure_with_retries(browser, base, site, query, args.wait))
        except (SiteNotReady, RuntimeError) as error:
            sys.exit(f"error: {error}")
        finally:
            browser.close()
    if args.json:
        out = [asdict(r) | {part: [asdict(d) | {"url": short(d.url, base)} for d in getattr(r, part)]
                            for part in ("page", "search")}
               for r in results]
        print(json.dumps({"site": str(site), "results": out}, ensure_ascii=False, indent=2))
    else:
        print(f"site: {site}")
        print()
        print_table(results, base, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
