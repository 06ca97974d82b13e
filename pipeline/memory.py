"""What a long-running process (the preview, the drop folder's watcher) keeps between its builds, so
that a file that did not change is neither read from the inspection cache again nor judged again
(issue 21: today's letter in a portal of 30,000).

An answer is reused only when everything it was made from is the same: an inspection, for the same
bytes (SHA-256) under the same cache key (code, libraries and trust roots); a file's evaluation, for
the same portal configuration (compared whole), the same source record, the same inspection object
and the same files beside it that could be its sidecar (name, kind, inode and content); a published
document's digest (what its page and search record are built from), for a document record equal to
the last build's. A build keeps only what it used, so the memory is the size of one build's answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class BuildMemory:
    # (cache salt, sha256) -> the inspection read from the cache or made by this process
    inspections: dict[tuple[str, str], Any] = field(default_factory=dict)
    config: Any = None  # the configuration the evaluations were made under
    # (source, sidecar stat key) -> (the inspection judged, its evaluation)
    evaluations: dict[tuple[Any, ...], tuple[Any, Any]] = field(default_factory=dict)

    # slug -> (the published document record, its digest): site_state.document_digest hashes the
    # record's repr, a second per 10,000 documents; comparing an equal record whose parts are the same
    # objects as last time costs a fraction of that.
    digests: dict[str, tuple[Any, str]] = field(default_factory=dict)
    # source path -> (its evaluation, the routing of its addressee lines, its slug before collisions,
    # the document record made from them or None): routing 10,000 letters again took a third of a
    # second.
    routes: dict[str, tuple[Any, Any, str, Any]] = field(default_factory=dict)
    # slug -> (source path, document digest, its listing line, the line's digest) (publish/pages.py)
    lines: dict[str, tuple[str, str, Any, str]] = field(default_factory=dict)
    # What of this memory is on disk, for a one-shot build (pipeline/memory_store.py).
    disk: Any = None
    # ((cache salt, the inspection cache's pack file: device, inode, size, modification and change
    # times), where each entry is in it): the pack is indexed again only when it was rewritten
    # (reading 50 MB a line at a time, at each build of 10,000 letters).
    pack: Any = None

    def evaluations_for(self, config: Any) -> dict[tuple[Any, ...], tuple[Any, Any]]:
        """The evaluations made under `config`; none when the configuration changed."""
        if self.config != config:
            self.config, self.evaluations, self.routes, self.lines = config, {}, {}, {}
        return self.evaluations
