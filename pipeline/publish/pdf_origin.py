"""The signed PDFs on their own origin (issue 18, `site.pdf_base_url`).

A host with a size limit (GitHub Pages: 1 GB) can carry the pages while the signed PDFs, most of the
bytes, are served from elsewhere (the office's own server, an object store). The build still writes
and audits the whole site, PDFs included, into site/; the deploy step then

1. `split_site`: separates site/ into the pages (everything but the published PDFs) and the PDFs
   (one folder of `<slug>.pdf`, the layout `pdf_base_url` points at), as hard links, so nothing is
   copied twice and site/ stays whole for the next incremental build;
2. uploads the two folders to their hosts (its own step: rsync, an object-store client...);
3. `check_origin`: downloads every published PDF from the PDF origin and compares its SHA-256 with
   the copy-check index the site publishes, so a missing, stale or altered upload is a red deploy,
   never a silent one.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

_PUBLISHED_PDF = re.compile(r"van-ban/[a-z0-9-]+\.pdf")
HASH_INDEX = "kiem-tra/sha256"


def is_published_pdf(relative: str) -> bool:
    """`van-ban/<slug>.pdf`, a site-relative path: the signed PDFs the build links into the site."""
    return _PUBLISHED_PDF.fullmatch(relative) is not None


class SplitRefused(Exception):
    """A target folder exists and is not empty: nothing is written (a user's folder is never
    overwritten)."""


@dataclass(frozen=True)
class SplitResult:
    page_files: int
    page_bytes: int
    pdf_files: int
    pdf_bytes: int


def split_site(site: Path, pages: Path, pdfs: Path) -> SplitResult:
    if not (site / "index.html").is_file():
        raise SplitRefused(f"{site} không phải Trang tin đã dựng (không có index.html): chạy build trước.")
    for target in (pages, pdfs):
        if target.exists() and (not target.is_dir() or any(target.iterdir())):
            raise SplitRefused(f"{target} đã có và không rỗng: chọn một thư mục mới (không ghi đè lên thư mục có sẵn).")
    page_files = page_bytes = pdf_files = pdf_bytes = 0
    for source, relative in _files(site):
        size = source.stat().st_size
        if is_published_pdf(relative):
            _place(source, pdfs / relative.removeprefix("van-ban/"))
            pdf_files, pdf_bytes = pdf_files + 1, pdf_bytes + size
        else:
            _place(source, pages / relative)
            page_files, page_bytes = page_files + 1, page_bytes + size
    pages.mkdir(parents=True, exist_ok=True)
    pdfs.mkdir(parents=True, exist_ok=True)
    return SplitResult(page_files, page_bytes, pdf_files, pdf_bytes)


def _files(site: Path) -> Iterator[tuple[Path, str]]:
    for folder, _dirs, names in os.walk(site):
        for name in names:
            path = Path(folder) / name
            yield path, path.relative_to(site).as_posix()


def _place(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:  # another file system, or one without hard links
        shutil.copy2(source, target)


@dataclass(frozen=True)
class OriginProblem:
    url: str
    sha256: str
    problem: str  # Vietnamese, for the clerk and the deploy log


@dataclass(frozen=True)
class OriginCheck:
    checked: int
    problems: tuple[OriginProblem, ...]


Fetch = Callable[[str], bytes]


def _download(url: str) -> bytes:
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept-Encoding": "identity"}),
                                timeout=60) as answer:
        return bytes(answer.read())


def published_pdfs(site: Path) -> dict[str, str]:
    """sha256 -> where the PDF is downloaded, from the copy-check index the site publishes."""
    found: dict[str, str] = {}
    folder = site / HASH_INDEX
    shards = sorted(folder.glob("*.json"))
    if not shards:
        raise FileNotFoundError(f"{folder}: không có chỉ mục kiểm tra bản sao; chạy build trước.")
    for shard in shards:
        for digest, entry in json.loads(shard.read_text(encoding="utf-8")).items():
            found[digest] = entry.get("pdf") or entry["url"].rstrip("/") + ".pdf"
    return found


def check_origin(site: Path, base_url: str, fetch: Fetch = _download, workers: int = 8) -> OriginCheck:
    """Download every PDF the site links to on `base_url` and compare its SHA-256 with the index."""
    expected = published_pdfs(site)

    def one(item: tuple[str, str]) -> OriginProblem | None:
        digest, url = item
        if not url.startswith(base_url):
            return OriginProblem(url, digest, f"trang tin liên kết tới {url}, không thuộc site.pdf_base_url "
                                              f"({base_url}): dựng lại Trang tin với cấu hình hiện tại.")
        try:
            body = fetch(url)
        except urllib.error.HTTPError as exc:
            return OriginProblem(url, digest, f"máy chủ PDF trả lời {exc.code}: tệp chưa được tải lên.")
        except (urllib.error.URLError, OSError) as exc:
            return OriginProblem(url, digest, f"không tải được ({exc}).")
        got = hashlib.sha256(body).hexdigest()
        if got != digest:
            return OriginProblem(url, digest, f"tệp trên máy chủ PDF khác bản gốc đã ký số (SHA-256 {got}, "
                                              f"phải là {digest}): tải lại tệp từ thư mục PDF của bản dựng này.")
        return None

    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(one, sorted(expected.items())))
    return OriginCheck(len(expected), tuple(p for p in results if p is not None))
