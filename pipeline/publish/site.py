"""The site step: mkdocs-material builds the staged pages into a staging site, the audit checks
it, and only then does it replace site/. With shells.py, the only modules that import mkdocs.

mkdocs builds the pages of the navigation (mkdocs.yml `nav`); every other page (documents, listing
pages, unit pages...) is rendered through the theme by shells.py, in the same process and from the
same mkdocs objects, so mkdocs is never told about them and its memory does not grow with them
(issue 21). `shells=False` has mkdocs build every page, the reference the tests compare with.

Pages can be built selectively (issue 9): only the pages named in `build` are rendered; the others
("known") need not even exist in the docs folder, nor do the generated static files (PDFs, feeds,
indexes), which publish.py places itself, and their HTML from the previous build is reused. Links
resolve against every file of the site all the same (shells.KnownFiles answers for the known ones
by name; mkdocs is told of the known pages of the navigation, from which it makes the navigation),
and the sitemap lists every page, so the pages are exactly those of a full build. This relies on
what a page's HTML depends on: its own Markdown and what is the same for the whole site
(configuration, theme, navigation, whose titles are fixed in mkdocs.yml, and the list of the
site's files, against which mkdocs resolves links).

A large build is shared between two processes (mkdocs renders on one core): each renders half the
pages, with the whole site known to both.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from pipeline.child import Child, last_lines
from pipeline.config import Contact
from pipeline.publish import spare
from pipeline.publish.shells import KnownFiles, ShellRenderer, nav_pages, page_dest, plain_file, write_sitemap
from pipeline.publish.templating import keep_compiled

SPLIT_AT = 100  # pages: below this, starting a second process costs more than it saves
# A listing's lines (pipeline/publish/templates/_list.html.j2), set aside while Markdown runs
# (_Selective.on_page_markdown) and put back where the mark is.
_LIST_ROWS = re.compile(r'(<ol class="cb-list">\n)(.*?)(</ol>)', re.S)
_HELD_ROWS = re.compile(r"<!--cb-rows (\d+)-->\n")
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


class SiteBuildError(Exception):
    pass


@dataclass(frozen=True)
class SiteJob:
    config_file: Path
    docs: Path
    site: Path
    site_url: str
    build: frozenset[str]  # pages (docs-relative .md) to render
    known: frozenset[str]  # files of the site that are not in `docs`: neither rendered nor copied
    copy_static: bool = True  # theme assets and static files of `docs`
    # portal.yml `site.contact` (issue 20) and "name", the organisation's, for the theme's footer and
    # 404 page: (key, text) pairs
    contact: tuple[tuple[str, str], ...] = ()
    shells: bool = True  # pages outside the navigation through shells.py (False: mkdocs builds them)


@dataclass(frozen=True)
class SiteCounts:
    """How the pages were made: by mkdocs' build, filled from a shell, or by the theme in full
    outside mkdocs' build (the first page of each shape, and shapes whose shell did not hold)."""

    by_mkdocs: int = 0
    filled: int = 0
    in_full: int = 0
    shells: int = 0

    def __add__(self, other: SiteCounts) -> SiteCounts:
        return SiteCounts(*(a + b for a, b in zip(dataclasses.astuple(self), dataclasses.astuple(other), strict=True)))


class _Selective(BasePlugin):  # type: ignore[type-arg]
    """Adds the known files to mkdocs' files (links to them resolve as in a full build) and marks
    them and every page outside `build` as unmodified, so that a "dirty" build skips reading,
    rendering or copying them. The site folder holds nothing but the known files carried over from
    the last build (site_check and site_check.trim empty a recycled one of everything else), so
    dirty mode changes nothing else (nothing stale can be left in it)."""

    def __init__(self, job: SiteJob) -> None:
        super().__init__()
        self.job = job
        self.shell_pages: list[str] | None = None  # pages of `build` for shells.py; None: mkdocs builds all
        self.all_pages: list[str] = []  # every page of the site, in the sitemap's order
        self.files: KnownFiles | None = None
        self.nav: Navigation | None = None
        self.env: Any = None
        self.held: dict[str, list[str]] = {}  # page -> the listing lines set aside (on_page_markdown)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        in_nav = nav_pages(config.nav)
        if self.job.shells and in_nav is not None and list(config.plugins) == ["congbo-selective"]:
            return self._with_shells(files, config, in_nav)
        return self._everything(files, config)

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """The lines of a listing (`<ol class="cb-list">`, a raw HTML block of a hundred lines) are
        set aside while Markdown runs and put back after (on_page_content): Markdown gives a raw
        HTML block back as it is, after reading it through its HTML parser twice (its own and
        mkdocs'), a second of every build that changes a dozen listings (issue 21). Only with
        shells: without, mkdocs builds every page as it would alone, the reference the tests compare
        a site with (tests/e2e/test_shells.py)."""
        if not self.job.shells:
            return markdown
        held: list[str] = []

        def hold(found: re.Match[str]) -> str:
            if not _kept_as_is(found[2]):
                return found[0]
            held.append(found[2])
            return f"{found[1]}<!--cb-rows {len(held) - 1}-->\n{found[3]}"

        markdown = _LIST_ROWS.sub(hold, markdown)
        if held:
            self.held[page.file.src_uri] = held
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        held = self.held.pop(page.file.src_uri, None)
        if not held:
            return html
        return _HELD_ROWS.sub(lambda found: held[int(found[1])], html)

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        return nav

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        self.env = keep_compiled(env)  # the theme's ~30 templates were compiled again at every build
        return env

    def _with_shells(self, files: Files, config: MkDocsConfig, in_nav: set[str]) -> Files:
        """mkdocs keeps the pages of the navigation and the static files; the known pages of the
        navigation are added (mkdocs makes the navigation from them). Every other file of the site
        is found by name only when a link asks for it (KnownFiles)."""
        docs = [f for f in files if f.src_dir == config.docs_dir]
        every = frozenset(f.src_uri for f in docs) | self.job.known
        self.all_pages = sorted((uri for uri in every if _is_page(uri)), key=_walk_key)
        self.shell_pages = sorted(uri for uri in self.job.build if uri not in in_nav)
        kept = [f for f in docs if not f.is_documentation_page() or f.src_uri in in_nav]
        present = {f.src_uri for f in kept}
        added = [plain_file(uri, config) for uri in sorted(self.job.known & in_nav - present)]
        ours = sorted(kept + added, key=lambda f: _walk_key(f.src_uri))
        self._mark(ours, config)
        self.files = KnownFiles(ours + [f for f in files if f.src_dir != config.docs_dir], every, config)
        return self.files

    def _everything(self, files: Files, config: MkDocsConfig) -> Files:
        present = {file.src_uri for file in files}
        added = [File(uri, config.docs_dir, config.site_dir, config.use_directory_urls)
                 for uri in sorted(self.job.known - present)]
        # In the order a full build's walk of the docs folder gives (the sitemap lists pages in
        # this order), then the theme's files as mkdocs added them.
        ours = sorted([f for f in files if f.src_dir == config.docs_dir] + added, key=lambda f: _walk_key(f.src_uri))
        files = Files(ours + [f for f in files if f.src_dir != config.docs_dir])
        self._mark(files, config)
        return files

    def _mark(self, files: Iterable[File], config: MkDocsConfig) -> None:
        for file in files:
            if file.src_dir != config.docs_dir:
                continue
            if file.is_documentation_page():
                skip = file.src_uri not in self.job.build
            else:
                skip = not self.job.copy_static or file.src_uri in self.job.known
            if skip:
                file.is_modified = _unmodified  # type: ignore[method-assign]


def _kept_as_is(rows: str) -> bool:
    """Whether Markdown gives these lines back as they are inside a raw HTML block: whole lines of
    the listing (`<li` to `</li>`), with no blank line, tab, carriage return or the characters
    Markdown marks its placeholders with (its whitespace normalisation would change those)."""
    return (rows.startswith("<li ") and rows.endswith("</li>\n") and _BLANK_LINE.search(rows) is None
            and not any(char in rows for char in "\t\r\x02\x03"))


def _is_page(uri: str) -> bool:
    return uri.endswith(".md")


def _walk_key(uri: str) -> tuple[tuple[int, str, str], ...]:
    """mkdocs' get_files walks the docs folder top down, a folder's files (index.md first) before
    its subfolders, names sorted."""
    *folders, name = uri.split("/")
    stem = name.rsplit(".", 1)[0]
    return (*((1, folder, "") for folder in folders), (0, "" if stem in ("index", "README") else "~", name))


def _unmodified() -> bool:
    return False


def _run(job: SiteJob) -> SiteCounts:
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    cfg = load_config(str(job.config_file), docs_dir=str(job.docs), site_dir=str(job.site), site_url=job.site_url)
    selective = _Selective(job)
    cfg.plugins["congbo-selective"] = selective
    # The theme reads it as `config.extra.contact` (theme/partials/footer.html, theme/404.html).
    cfg["extra"]["contact"] = dict(job.contact)
    try:
        mkdocs_build(cfg, dirty=True)
        if selective.shell_pages is not None:
            assert selective.files is not None and selective.nav is not None
            renderer = ShellRenderer(cfg, selective.env, selective.nav, selective.files)
            for uri in selective.shell_pages:
                renderer.write(uri)
            if job.copy_static:  # the first of two processes writes the theme's and the site's own files
                write_sitemap(cfg, selective.env, selective.nav, selective.all_pages)
            return SiteCounts(len(job.build) - len(selective.shell_pages), renderer.filled, renderer.full,
                              sum(shell is not None for shell in renderer.shells.values()))
    except Exception as exc:  # mkdocs raises its own Abort/ConfigurationError types
        raise SiteBuildError(f"mkdocs build failed: {exc}") from exc
    return SiteCounts(by_mkdocs=len(job.build))


def _job_data(job: SiteJob) -> dict[str, object]:
    return {"config_file": str(job.config_file), "docs": str(job.docs), "site": str(job.site),
            "site_url": job.site_url, "build": sorted(job.build), "known": sorted(job.known),
            "copy_static": job.copy_static, "contact": [list(pair) for pair in job.contact], "shells": job.shells}


def _job_from_data(data: dict[str, Any]) -> SiteJob:
    return SiteJob(Path(data["config_file"]), Path(data["docs"]), Path(data["site"]), data["site_url"],
                   frozenset(data["build"]), frozenset(data["known"]), bool(data["copy_static"]),
                   tuple((str(key), str(text)) for key, text in data.get("contact", [])),
                   bool(data.get("shells", True)))


def page_destination(uri: str) -> str:
    """Where mkdocs writes the page `uri` (use_directory_urls: "a/b.md" -> "a/b/index.html"), without
    a mkdocs File for each of the site's pages (every build asks it of every page)."""
    if uri.endswith(".md"):
        return page_dest(uri, use_directory_urls=True)
    return File(uri, "", "", use_directory_urls=True).dest_uri


def build_site(config_file: Path, docs: Path, site: Path, site_url: str, build: Iterable[str],
               known: Iterable[str] = (), split_at: int = SPLIT_AT, contact: Contact | None = None,
               office: str = "", shells: bool = True) -> SiteCounts:
    """Render the pages `build` (present in `docs`) into the empty folder `site`, with the files
    `known` (pages and static files placed by the caller) known but neither rendered nor copied;
    theme assets and the static files of `docs` are copied. `contact` and the
    `office`'s name: shown by the theme at the foot of every page. `shells`: pages outside the
    navigation through shells.py (False: mkdocs builds every page)."""
    pages = sorted(build)
    others = frozenset(known)
    shown = tuple((key, text) for key, text in (("name", office), *dataclasses.asdict(contact or Contact()).items())
                  if text)
    if len(pages) < split_at:
        return _run(SiteJob(config_file, docs, site, site_url, frozenset(pages), others, contact=shown, shells=shells))
    halves = [frozenset(pages[0::2]), frozenset(pages[1::2])]
    second = site.with_name(site.name + ".2")
    jobs = [SiteJob(config_file, docs, site, site_url, halves[0], others, contact=shown, shells=shells),
            SiteJob(config_file, docs, second, site_url, halves[1], others, copy_static=False, contact=shown,
                    shells=shells)]
    # Fresh interpreters (`python -m pipeline.publish.site JOB`): forking would copy the whole build's
    # memory into each, and multiprocessing's spawn would run the caller's main module again.
    running = []
    for n, job in enumerate(jobs):
        job_file = site.parent / f".site-job-{n}.json"
        job_file.write_text(json.dumps(_job_data(job)), encoding="utf-8")
        command = [sys.executable, "-m", "pipeline.publish.site", str(job_file)]
        running.append((Child.start(command, site.parent / f".site-job-{n}.log"), job_file))
    failures = []
    counts = SiteCounts()
    for child, job_file in running:
        status, said = child.finish()
        job_file.unlink(missing_ok=True)
        child.log.unlink(missing_ok=True)
        answer = job_file.with_suffix(".counts")
        if status != 0:
            failures.append(" / ".join(last_lines(said)) or f"exit {status}")
        elif answer.is_file():
            counts += SiteCounts(**json.loads(answer.read_text(encoding="utf-8")))
        answer.unlink(missing_ok=True)
    if failures:
        raise SiteBuildError("mkdocs build failed: " + "; ".join(failures))
    for uri in sorted(halves[1]):
        relative = page_destination(uri)
        target = site / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        (second / relative).replace(target)
    shutil.rmtree(second)
    return counts


def _main(job_file: str) -> int:
    try:
        counts = _run(_job_from_data(json.loads(Path(job_file).read_text(encoding="utf-8"))))
        Path(job_file).with_suffix(".counts").write_text(json.dumps(dataclasses.asdict(counts)), encoding="utf-8")
    except SiteBuildError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


def swap_into_place(staged: Path, target: Path) -> Path | None:
    """Replace `target` with `staged` with two renames, so readers never see a half-built site.
    Returns the old site, renamed to a name of its own (`.<name>.old-<n>`), for the caller to keep
    as the spare (keep_as_spare) or remove once it no longer needs it (remove_later)."""
    old = None
    if target.exists():
        old = _old_name(target)
        target.rename(old)
    staged.rename(target)
    return old


def spare_of(out: Path) -> Path:
    """Where the site of the build before the last one waits to be recycled (`.<name>.spare`)."""
    return spare.spare_path(out)


def _old_name(out: Path) -> Path:
    """A name of its own for a site set aside beside `out` (`.<name>.old-<n>`), until removed."""
    return out.with_name(f".{out.name}.old-{time.time_ns()}-{os.getpid()}")


def _is_folder(path: Path) -> bool:
    """A real folder, never a link to one (a spare is emptied: a link would lead that elsewhere)."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def take_spare(out: Path, into: Path) -> bool:
    """Move the spare site of `out` to `into` (which must not exist), when it is a real folder."""
    spare = spare_of(out)
    if not _is_folder(spare):
        return False
    try:
        spare.rename(into)
    except OSError:
        return False
    return True


def discard_spare(out: Path) -> None:
    """A spare this build does not build upon (a full build) is removed later, like an old site."""
    spare = spare_of(out)
    if not _is_folder(spare):
        return  # not ours to remove: never used either (take_spare)
    old = _old_name(out)
    try:
        spare.rename(old)
    except OSError:
        return
    remove_later(old)


def keep_as_spare(old: Path, out: Path) -> None:
    """The site just replaced becomes the spare that the next build recycles (double buffering, issue
    21): its unchanged files are the new site's own (hard links), so the next build removes and
    links only what changed since, instead of linking every file of the site into an empty folder
    while a detached process removes every file of the old one. Old sites left by an interrupted
    removal are removed as before."""
    spare = spare_of(out)
    try:
        if os.path.lexists(spare):
            raise FileExistsError(spare)
        old.rename(spare)
    except OSError:
        remove_later(old)
        return
    leftovers = sorted(old.parent.glob(f".{out.name}.old-*"))
    if leftovers:
        _remove_detached(leftovers)


def remove_later(folder: Path) -> None:
    """Remove an old site in a detached process: at 10,000 documents that is some 40,000 links and
    12,000 folders (seconds), and the new site is in place already. Old sites left behind by a
    removal that was interrupted are removed with the next one."""
    _remove_detached(sorted(folder.parent.glob(f"{folder.name.rsplit('.old-', 1)[0]}.old-*")))


def _remove_detached(leftovers: list[Path]) -> None:
    subprocess.Popen([sys.executable, "-c", _REMOVE, *map(str, leftovers)], stdin=subprocess.DEVNULL,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


# At the lowest priority: removing a site is tens of thousands of unlinks the next build should not
# wait behind.
_REMOVE = "import os, shutil, sys\nos.nice(19)\nfor path in sys.argv[1:]:\n    shutil.rmtree(path, ignore_errors=True)"


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1]))
