"""Skip a build whose inputs have not changed since the last successful one (issue 9).

The fingerprint covers everything a build reads: the pipeline's code and templates, portal.yml, mkdocs.yml, the
trust roots, every file under content/ and theme/ (by content), every file under documents/ (path,
size and modification time; hashing 10,000 PDFs costs seconds), and git's HEAD, which decides
publication times. When it matches the record left by the last build of the same output folder and
that folder still exists, the site there is already the audited result: the report is replayed.
`build --no-cache` always builds.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from pipeline import state
from pipeline.config import PortalConfig
from pipeline.history import head_commit
from pipeline.memory_store import dump_records, load_records
from pipeline.publish.site_state import global_fingerprint


def input_fingerprint(config: PortalConfig, out: Path) -> str:
    digest = hashlib.sha256(f"{out.resolve()}|{head_commit(config.root)}|".encode())
    digest.update(global_fingerprint(config).encode())  # code, templates, configuration, content/, theme/
    documents = config.root / "documents"
    if documents.is_dir():
        for dirpath, dirnames, filenames in os.walk(documents):
            dirnames.sort()
            for name in sorted(filenames):
                stat = os.stat(os.path.join(dirpath, name), follow_symlinks=False)  # a dangling link is an input too
                digest.update(f"{dirpath}/{name}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


_KIND = "last-build"


def _record_path(config: PortalConfig, out: Path) -> Path:
    return state.last_build(config.root, out)


def replay(config: PortalConfig, out: Path, fingerprint: str) -> dict[str, Any] | None:
    """The recorded outcome of the last build, when its inputs equal today's and its site is there."""
    if not (out / "index.html").is_file():
        return None
    record = load_records(_record_path(config, out), _KIND)
    return record if isinstance(record, dict) and record.get("fingerprint") == fingerprint else None


def remember(config: PortalConfig, out: Path, fingerprint: str, text: str, data: dict[str, Any], status: int) -> None:
    # A pickle of plain values, read back only by the same code (memory_store.load_records): the
    # report lists every published document, and as JSON it cost a few tenths of a second of every
    # build at 30,000 letters.
    record = {"fingerprint": fingerprint, "text": text, "data": data, "status": status}
    dump_records(_record_path(config, out), _KIND, record)
