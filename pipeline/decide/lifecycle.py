"""Life after publication, from git (issue 7): what happened to a published file later, which
documents were withdrawn, and which replace which.

- History: every later commit that touched a published PDF's path or its sidecar (a move, a
  corrected sidecar...), as `HistoryEvent`s on the `Document`.
- Withdrawal: a PDF removed from documents/ whose bytes are nowhere in HEAD is "đã thu hồi". It is
  examined again (from the cache when its bytes were seen before) and judged by the same policy with
  the sidecar it had; only a document the policy accepts is ever listed, so a secret removed from the
  branch never reappears as a withdrawn entry. Its PDF is never served again.
- Replacement: a sidecar's `replaces: <number>` links the two pages both ways, whether the earlier
  document is still published or withdrawn.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import tempfile
from collections import defaultdict
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pipeline.config import PortalConfig
from pipeline.decide.evaluate import evaluate
from pipeline.decide.numbers import number_key
from pipeline.history import PathChange, RemovedFile, document_changes, read_blob_if_present, removed_files
from pipeline.present import document_slug
from pipeline.records import (
    BuildReport,
    Document,
    DocumentLink,
    HistoryEvent,
    Inspection,
    InspectionFailure,
    SourceFile,
    WithdrawnDocument,
)

_SIDECAR_KINDS = {"A": "sidecar-added", "M": "sidecar-changed", "T": "sidecar-changed", "D": "sidecar-removed"}


# The examine stage, as the build script hands it over: sources (absolute paths) -> their inspections.
Examine = Callable[[tuple[SourceFile, ...]], Mapping[str, Inspection | InspectionFailure]]


def after_publication(config: PortalConfig, report: BuildReport, examine: Examine) -> BuildReport:
    """The decided report, with history, withdrawn documents and replacement links added. `examine`
    inspects the removed files as they were (from the cache when their bytes were seen before)."""
    changes = document_changes(config.root)
    documents = attach_history(report.documents, changes)
    removed = _indexed(changes).removed
    withdrawn: tuple[WithdrawnDocument, ...] = ()
    if removed:  # (no set of every hash and slug when nothing was ever withdrawn)
        present = {d.source.sha256 for d in report.documents} | {r.source.sha256 for r in report.refusals}
        taken = {d.slug for d in documents}
        withdrawn = collect_withdrawn(config, examine, list(removed), present, taken)
    documents, withdrawn = link_replacements(documents, withdrawn)
    return dataclasses.replace(report, documents=documents, withdrawn=withdrawn)


SIDECAR_SUFFIXES = (".yml", ".yaml")


def _sidecar_key(path: str) -> str | None:
    """"documents/2026/78.YAML" -> "documents/2026/78" casefolded; None for any other file."""
    lowered = path.casefold()
    return next((lowered[: -len(s)] for s in SIDECAR_SUFFIXES if lowered.endswith(s)), None)


def later_history(doc: Document, by_path: dict[str, list[PathChange]],
                  sidecars: dict[str, list[str]] | None = None) -> tuple[HistoryEvent, ...]:
    """Commits after the publication commit that touched the document's PDF or its sidecar (in any
    spelling: `sidecars` maps a casefolded path without suffix to the sidecar paths seen)."""
    pdf = doc.source.path
    if sidecars is None:
        sidecars = _sidecar_paths(by_path)
    own = by_path.get(pdf, ())
    beside = sidecars.get(pdf[:-4].casefold(), ())
    if not beside and all(change.when <= doc.published_at for change in own):
        return ()  # nearly every letter: committed once, no sidecar (30,000 checked at every build)
    changes = [*own]
    for sidecar in beside:
        changes += by_path.get(sidecar, ())
    events = []
    for change in sorted(changes, key=lambda c: (c.when, c.path)):
        if change.when <= doc.published_at:
            continue
        if change.path == pdf:
            kind = "moved" if change.status == "A" else "file-changed"
        else:
            kind = _SIDECAR_KINDS.get(change.status, "sidecar-changed")
        events.append(HistoryEvent(change.when, change.commit, kind, change.subject))
    return tuple(events)


def attach_history(documents: tuple[Document, ...], changes: list[PathChange]) -> tuple[Document, ...]:
    index = _indexed(changes)
    by_path, sidecars, latest = index.by_path, index.sidecars, index.latest
    found = []
    for doc in documents:
        pdf = doc.source.path
        last = latest.get(pdf)
        # later_history's answer for nearly every letter, without a call: committed once, no sidecar.
        if (last is None or last <= doc.published_at) and not (sidecars and sidecars.get(pdf[:-4].casefold())):
            found.append(doc if doc.history == () else dataclasses.replace(doc, history=()))  # _with, inline
        else:
            found.append(_with(doc, history=later_history(doc, by_path, sidecars)))
    return tuple(found)


@dataclasses.dataclass(frozen=True)
class _Index:
    """What lifecycle reads from the branch's changes, made once for the same changes."""

    changes: list[PathChange]  # a copy of them
    by_path: dict[str, list[PathChange]]
    sidecars: dict[str, list[str]]  # _sidecar_paths
    latest: dict[str, dt.datetime]  # path -> the time of its last change
    removed: tuple[RemovedFile, ...]  # removed_files


# The last index made (issue 21): a long-running process rebuilds mostly with HEAD where it was, and
# history.py then answers the same changes (indexing 10,000 of them again took 20 ms a build).
_LAST_INDEX: list[_Index] = []


def _indexed(changes: list[PathChange]) -> _Index:
    if _LAST_INDEX and _LAST_INDEX[0].changes == changes:  # the same objects, compared at once
        return _LAST_INDEX[0]
    by_path: dict[str, list[PathChange]] = defaultdict(list)
    latest: dict[str, dt.datetime] = {}
    for change in changes:
        by_path[change.path].append(change)
        if change.path not in latest or latest[change.path] < change.when:
            latest[change.path] = change.when
    index = _Index(list(changes), by_path, _sidecar_paths(by_path), latest, tuple(removed_files(changes)))
    _LAST_INDEX[:] = [index]
    return index


def _with(record: Any, **changes: Any) -> Any:
    """`record` with `changes`, itself when they change nothing (most documents have no later
    history and no replacement: 200,000 copies a build at 100,000 letters otherwise)."""
    if all(getattr(record, name) == value for name, value in changes.items()):
        return record
    return dataclasses.replace(record, **changes)


def _sidecar_paths(by_path: dict[str, list[PathChange]]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for path in by_path:
        key = _sidecar_key(path)
        if key is not None:
            found[key].append(path)
    return found


def collect_withdrawn(
    config: PortalConfig, examine: Examine, removed: list[RemovedFile], present: set[str], taken: set[str],
) -> tuple[WithdrawnDocument, ...]:
    """Examine and judge every removed PDF as it was, with the sidecar it had; keep the accepted."""
    if not removed:
        return ()
    found: list[WithdrawnDocument] = []
    taken = set(taken)
    with tempfile.TemporaryDirectory(prefix="congbo-withdrawn-") as tmp:
        mirror = Path(tmp)
        pending: list[tuple[RemovedFile, SourceFile, SourceFile]] = []
        for item in sorted(removed, key=lambda r: (r.removed_at, r.path)):
            data = read_blob_if_present(config.root, item.blob)
            if data is None:
                continue
            sha = hashlib.sha256(data).hexdigest()
            if sha in present:
                continue  # the same bytes are back in documents/ (not committed yet)
            target = mirror / item.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            for sidecar_path, blob in item.sidecars:  # under their own names: judged as the build would
                sidecar = read_blob_if_present(config.root, blob)
                if sidecar is not None:
                    (mirror / sidecar_path).write_bytes(sidecar)
            source = SourceFile(item.path, sha, len(data), item.published_at)
            probe = SourceFile(str(target), sha, len(data))  # absolute: read from the mirror
            pending.append((item, source, probe))
        results = examine(tuple(p for _, _, p in pending))
        mirrored = dataclasses.replace(config, root=mirror)
        for item, source, probe in pending:
            outcome = evaluate(mirrored, source, results[probe.path])
            if outcome.reasons or outcome.metadata is None:
                continue  # the policy refuses it today: never list it, not even as withdrawn
            slug = document_slug(outcome.metadata, sha)
            if slug in taken:
                slug = f"{slug}-{sha[:8]}"
            taken.add(slug)
            found.append(WithdrawnDocument(
                source=source, metadata=outcome.metadata, signatures=outcome.signatures, slug=slug,
                published_at=item.published_at, withdrawn_at=item.removed_at, withdrawal_commit=item.commit,
                withdrawal_note=item.subject, replaces=outcome.replaces,
            ))
    return tuple(found)


@dataclasses.dataclass
class _Node:
    number: str | None
    slug: str
    published_at: dt.datetime
    replaces: str | None
    withdrawn: bool
    links: list[DocumentLink]


def link_replacements(
    documents: tuple[Document, ...], withdrawn: tuple[WithdrawnDocument, ...]
) -> tuple[tuple[Document, ...], tuple[WithdrawnDocument, ...]]:
    """Resolve every `replaces:` to the replaced document's page and add the link both ways. When
    several documents carry the number, the latest one published before the replacing one wins."""
    if not any(d.replaces for d in documents) and not any(w.replaces for w in withdrawn):
        return documents, withdrawn  # no link to add (most builds): no pass reading every number
    nodes = [_Node(d.metadata.number, d.slug, d.published_at, d.replaces, False, list(d.links)) for d in documents]
    nodes += [_Node(w.metadata.number, w.slug, w.published_at, w.replaces, True, list(w.links)) for w in withdrawn]
    by_number: dict[str, list[_Node]] = defaultdict(list)
    for node in nodes:
        if node.number:
            by_number[number_key(node.number)].append(node)
    for node in nodes:
        if not node.replaces:
            continue
        candidates = [n for n in by_number.get(number_key(node.replaces), []) if n is not node]
        earlier = [n for n in candidates if n.published_at <= node.published_at]
        pool = earlier or candidates
        target = max(pool, key=lambda n: (n.published_at, n.slug)) if pool else None
        if target is None:
            node.links.append(DocumentLink("replaces", node.replaces, None))
            continue
        node.links.append(DocumentLink("replaces", target.number or node.replaces, target.slug, target.withdrawn))
        target.links.append(DocumentLink("replaced-by", node.number or "không số", node.slug, node.withdrawn))
    count = len(documents)
    new_documents = tuple(_with(d, links=tuple(n.links)) for d, n in zip(documents, nodes, strict=False))
    new_withdrawn = tuple(_with(w, links=tuple(n.links)) for w, n in zip(withdrawn, nodes[count:], strict=True))
    return new_documents, new_withdrawn
