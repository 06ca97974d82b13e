"""Everything the build keeps between runs lives under `<root>/.congbo/`, and only this module knows
where. None of it is ever an input the build trusts blindly: each store checks what it reads (the
inspection cache by content hash and code fingerprint, the site state by the files it describes, the
replay record by the fingerprint of every input), and deleting the folder only makes the next build
slower.

    .congbo/hashes.json                   remembered SHA-256 of documents/ files, keyed by stat (discover)
    .congbo/cache/<salt>/...              inspections by content hash, and their pack (examine.cache)
    .congbo/site-state-<site>.pickle      what the last build of a site left there (publish.site_state)
    .congbo/search-<site>/<bundle>/       search stand-in pages kept between builds (publish.search)
    .congbo/last-build-<site>.pickle      the report of the last build, replayed when nothing changed
    .congbo/memory/                       the last build's answers, for the next one-shot build (memory_store)
    .congbo/history-<kind>-<folder>.pickle the last reading of the git log, with its commit (history)

`<site>` is a short hash of the output folder's absolute path, so builds into different folders
(site/, a preview's temporary folder) never share state.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from pipeline.files import write_atomically

FOLDER = ".congbo"


def folder(root: Path) -> Path:
    return root / FOLDER


def hash_memo(root: Path) -> Path:
    return folder(root) / "hashes.json"


def inspection_cache(root: Path) -> Path:
    return folder(root) / "cache"


def memory(root: Path) -> Path:
    return folder(root) / "memory"


def site_key(out: Path) -> str:
    return hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:16]


def site_state(root: Path, out: Path) -> Path:
    return folder(root) / f"site-state-{site_key(out)}.pickle"


def search_records(root: Path, out: Path) -> Path:
    return folder(root) / f"search-{site_key(out)}"


def last_build(root: Path, out: Path) -> Path:
    return folder(root) / f"last-build-{site_key(out)}.pickle"


def read_json(path: Path) -> Any:
    """The JSON at `path`, or None when it is missing or damaged (state is only ever a shortcut)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_json(path: Path, value: Any, compact: bool = False) -> None:
    separators = (",", ":") if compact else None
    write_atomically(path, json.dumps(value, ensure_ascii=False, separators=separators))
