"""What the last build of a site left behind, so that the next build renders, builds with mkdocs,
indexes and audits only what changed (issue 9).

A state is only trusted when everything the site looks like depends on is unchanged (the global
fingerprint: the pipeline's code and templates, portal.yml, mkdocs.yml, content/, theme/, the trust
roots and the versions of the libraries that render) and when every file the last build left in
the site is still there, untouched (same size, modification time and inode). A site copied back with
its times (a CI cache restore: new inodes) is built upon too, but audited again whole. Anything else,
and the build starts from nothing: an incremental build can only ever skip work whose result is on
disk exactly as an audited build left it. The files are checked by publish/site_check.py, in a
process of its own while the pages are rendered; a build that finds them changed starts again from
nothing.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from pipeline import __version__, state
from pipeline.config import PortalConfig
from pipeline.examine.cache import library_versions
from pipeline.files import FileStamp, identity
from pipeline.memory_store import dump_records, load_records
from pipeline.records import Document

FORMAT = 1
_KIND = "site-state"
LIBRARIES = ("mkdocs", "mkdocs-material", "pagefind-bin", "jinja2", "markdown", "pymdown-extensions")


@dataclass(frozen=True)
class SiteState:
    fingerprint: str
    keys: dict[str, str]  # generated file (docs-relative) -> render.Planned.key
    shards: dict[str, str]  # search index bundle -> key of its records
    needles: str  # hash of what the output audit looked for
    files: dict[str, FileStamp]  # every file of the site as the build left it


def global_fingerprint(config: PortalConfig) -> str:
    digest = hashlib.sha256(f"{FORMAT}|{__version__}|{library_versions(LIBRARIES)}".encode())
    package = Path(__file__).resolve().parents[1]  # all of pipeline/: the code and templates that render the site
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".j2"}:
            digest.update(path.read_bytes())
    for name in ("portal.yml", "mkdocs.yml"):
        path = config.root / name
        digest.update(path.read_bytes() if path.is_file() else b"-")
    for pem in config.trust.roots_pem:
        digest.update(pem)
    for folder in ("content", "theme"):
        for path in sorted((config.root / folder).rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(config.root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def document_digest(doc: Document) -> str:
    """Everything about one published document (text, metadata, signatures, units, history), as a
    hash: what its page and its search record are built from. Computed once per document and build
    (publish.py); at 10,000 documents each pass costs about half a second."""
    return hashlib.sha256(repr(doc).encode("utf-8")).hexdigest()


def state_path(config: PortalConfig, out: Path) -> Path:
    return state.site_state(config.root, out)


def search_records_path(config: PortalConfig, out: Path) -> Path:
    """Where the stand-in pages of the site's search bundles stay between builds (search.RecordStore)."""
    return state.search_records(config.root, out)


def stamp(path: Path) -> FileStamp:
    st = path.stat()
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def listing(site: Path) -> list[str]:
    """Every file of `site`, relative, without reading or stat-ing any of them."""
    found: list[str] = []
    # A folder below the site is "<site>/<relative>": cut as text, not a Path per folder (120,000 of
    # them at 100,000 letters).
    top = str(site)
    skip = len(top) + 1
    for dirpath, _dirnames, filenames in os.walk(top):
        prefix = dirpath[skip:].replace(os.sep, "/") + "/" if dirpath != top else ""
        found.extend(prefix + name for name in filenames)
    return found



def read(config: PortalConfig, out: Path, fingerprint: str) -> SiteState | None:
    """The last build's state, when it was made with the same global inputs. Whether its site is
    untouched is for publish.site_check to say (`checked`)."""
    path = state_path(config, out)
    saved = _SAVED.get(path)
    found = saved[1] if saved is not None and identity(path) == saved[0] else load_records(path, _KIND)
    if not isinstance(found, SiteState) or found.fingerprint != fingerprint:
        return None
    return found


def checked(found: SiteState, restored: dict[str, FileStamp]) -> SiteState:
    """`found` once its site was checked (site_check.SiteCheck: intact, with these files restored)."""
    if restored:
        # Same sizes and times, other inodes: the site was copied back, as a CI cache restores it
        # (issue 18). Built upon, but every file is audited again (an empty `needles` never equals
        # the audit's key), and the stamps saved next time are the restored files' own.
        return SiteState(found.fingerprint, found.keys, found.shards, "", found.files | restored)
    return found


def forget(config: PortalConfig, out: Path) -> None:
    """Called before a build replaces the site: a build that fails half way leaves no state that
    could describe a site it did not finish."""
    state_path(config, out).unlink(missing_ok=True)


def save(config: PortalConfig, out: Path, site: SiteState) -> None:
    # A pickle of plain values, read back only by the same code (memory_store.load_records: records
    # and plain values only). As JSON, writing and reading it again took most of a second at 30,000
    # letters (97,000 files, each with its key and stamp).
    path = state_path(config, out)
    dump_records(path, _KIND, site)
    written = identity(path)
    if written is not None:
        _SAVED[path] = (written, site)


# The state each site's last build in this process saved, with its file's identity: a long-running
# process's next build reads the file back only when that file is not the one it wrote (a fifth
# of a second at 30,000 letters).
_SAVED: dict[Path, tuple[tuple[int, ...], SiteState]] = {}

