"""The decide stage: each file's inspection, corrected by its sidecar and judged by the policy, becomes
an accepted `Document` or a `Refusal` listing every failed rule. Pure but for reading sidecars.

The same bytes at two paths are one file: when any copy is refused, every copy is (a published copy
would carry the refused one's hash, subject and number onto the site)."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from pipeline.config import PortalConfig
from pipeline.decide.channels import channel_reasons
from pipeline.decide.policy import judge, waive
from pipeline.decide.sidecar import Neighbours, SidecarError, apply_sidecar, load_sidecar
from pipeline.decide.trust import trust_reasons
from pipeline.decide.units import Resolution, UnitIndex, no_recipient, routing_warnings
from pipeline.examine.discover import fallback_time
from pipeline.memory import BuildMemory
from pipeline.normalize import fold
from pipeline.present import document_slug
from pipeline.records import (
    AttachmentApproval,
    BuildReport,
    Document,
    Inspection,
    InspectionFailure,
    Metadata,
    PublicationOverride,
    Reason,
    ReasonCode,
    Refusal,
    SecrecyDeclaration,
    SignatureReport,
    SourceFile,
    Warning_,
)


@dataclass(frozen=True)
class Evaluation:
    """One file's outcome: accepted metadata, or the reasons it was refused, plus warnings."""

    source: SourceFile
    reasons: tuple[Reason, ...]
    metadata: Metadata | None
    signatures: tuple[SignatureReport, ...]
    override: PublicationOverride | None
    replaces: str | None
    warnings: tuple[str, ...]
    declaration: SecrecyDeclaration | None = None  # sidecar `secrecy: none` + decided_by
    attachments: tuple[AttachmentApproval, ...] = ()  # sidecar `attachments:`


def evaluate(config: PortalConfig, source: SourceFile, result: Inspection | InspectionFailure,
             neighbours: Neighbours | None = None) -> Evaluation:
    """Policy for one file: the inspection, corrected by its sidecar, judged by the rules.
    `neighbours`: the folder listings shared by one decide() pass."""
    metadata = result.metadata if isinstance(result, Inspection) else None
    signatures = result.verify.signatures if isinstance(result, Inspection) else ()
    sidecar = load_sidecar(config.root / source.path, config.root, neighbours)
    unwaivable: list[Reason] = []
    override = None
    replaces = None
    declaration: SecrecyDeclaration | None = None
    approvals: tuple[AttachmentApproval, ...] = ()
    if isinstance(sidecar, SidecarError):
        for problem in sidecar.problems:
            unwaivable.append(Reason(ReasonCode.MISSING_METADATA, f"{sidecar.path}: {problem}"))
    elif sidecar is not None and isinstance(result, Inspection):
        metadata = apply_sidecar(metadata or Metadata(), sidecar)
        override, replaces = sidecar.override, sidecar.replaces
        declaration, approvals = sidecar.declaration, sidecar.attachments
    reasons = list(judge(result, metadata, config)) + trust_reasons(result, source, metadata, config)
    if isinstance(result, Inspection) and metadata is None and not reasons:
        reasons.append(Reason(ReasonCode.MISSING_METADATA, "metadata extraction failed"))
    # An override answers for the content rules it names; never for what the sidecar itself got
    # wrong (it may hold `secrecy:`), nor for a channel of the file nobody vouched for.
    reasons = waive(reasons, override) + unwaivable
    if isinstance(result, Inspection):
        reasons += channel_reasons(result, declaration, approvals)
    ordered = tuple(sorted(dict.fromkeys(reasons), key=lambda r: r.code.severity))
    warnings = disagreements(metadata, signatures) if metadata is not None else ()
    return Evaluation(source, ordered, metadata, signatures, override, replaces, warnings, declaration, approvals)


def disagreements(metadata: Metadata, signatures: tuple[SignatureReport, ...]) -> tuple[str, ...]:
    """The text says one thing, the certificates another: worth a warning, not a refusal."""
    found = []
    people = [s for s in signatures if s.role == "person"]
    organisations = [s for s in signatures if s.role == "organisation"]
    name = metadata.signer.full_name
    if name and people and fold(name) not in {fold(s.signer) for s in people}:
        found.append(f"người ký in trên văn bản '{name}' khác tên trên chứng thư số '{people[0].signer}'")
    printed = metadata.signed_by_text
    if printed and organisations and fold(printed) not in {fold(s.signer) for s in organisations}:
        found.append(f"dòng 'Ký bởi: {printed}' khác tên trên chứng thư số của cơ quan '{organisations[0].signer}'")
    return tuple(found)


def with_routing(index: UnitIndex, evaluation: Evaluation, result: Inspection | InspectionFailure) -> Evaluation:
    """An accepted file's evaluation with the build's routing verdict (issue 16): a Kính gửi / Nơi
    nhận item that reaches no unit is warned in the pull-request check too, not only at the build,
    each once; a letter that reaches nobody through unresolved items is refused `no-recipient`, as
    the build refuses it."""
    metadata = evaluation.metadata
    if evaluation.reasons or metadata is None or not isinstance(result, Inspection):
        return evaluation
    resolution = index.resolve(metadata.addressees, metadata.recipients, result.text)
    added = tuple(w for w in routing_warnings(metadata, resolution) if w not in evaluation.warnings)
    refusal = no_recipient(metadata, resolution)
    if not added and refusal is None:
        return evaluation
    return dataclasses.replace(evaluation, warnings=evaluation.warnings + added,
                               reasons=evaluation.reasons + ((refusal,) if refusal else ()))


def decide(config: PortalConfig, sources: tuple[SourceFile, ...],
           results: dict[str, Inspection | InspectionFailure], not_files: tuple[SourceFile, ...] = (),
           memory: BuildMemory | None = None) -> BuildReport:
    """Every source judged; the accepted ones routed to their units and given a unique slug.
    `not_files`: symbolic links and other non-regular entries of documents/ (discover), refused unread.
    `memory`: a long-running process's evaluations of its last build (pipeline/memory.py)."""
    # Made for the first letter to route: a long-running process's memory routes nearly every letter
    # (issue 21: building the index took 10-20 ms of each rebuild, for nothing).
    index: UnitIndex | None = None
    documents: list[Document] = []
    refusals: list[Refusal] = []
    warnings: list[Warning_] = []
    slugs: set[str] = set()
    neighbours = Neighbours()
    outcomes = _evaluate_all(config, sources, results, neighbours, memory)
    routes = memory.routes if memory is not None else {}
    kept: dict[str, tuple[Evaluation, Resolution, str, Document | None]] = {}
    twins = _refused_twins(outcomes)
    for outcome in outcomes:
        source = outcome.source
        result = results[source.path]
        if outcome.warnings:
            warnings.extend(Warning_(source.path, w) for w in outcome.warnings)
        metadata = outcome.metadata
        twin = twins.get(source.path, ()) if twins else ()
        reasons = (tuple(sorted(dict.fromkeys((*outcome.reasons, *twin)), key=lambda r: r.code.severity))
                   if outcome.reasons or twin else ())
        if reasons or metadata is None or not isinstance(result, Inspection):
            refusals.append(Refusal(source, reasons, metadata, outcome.signatures))
            continue
        # Units (issue 6): "Như Điều 2" needs the text; warnings carry a suggested alias. A letter that
        # reaches nobody through lines nobody could resolve is refused, never silently unsent (issue 16).
        route = routes.get(source.path)
        if route is None or route[0] is not outcome:  # the same evaluation: the same lines and text
            if index is None:
                index = UnitIndex(config)
            route = (outcome, index.resolve(metadata.addressees, metadata.recipients, result.text),
                     document_slug(metadata, source.sha256), None)
        kept[source.path] = route
        resolution = route[1]
        routed = routing_warnings(metadata, resolution)
        if routed:
            warnings.extend(Warning_(source.path, message) for message in routed)
        unsent = no_recipient(metadata, resolution)
        if unsent is not None:
            refusals.append(Refusal(source, (unsent,), metadata, outcome.signatures))
            continue
        slug = route[2]
        if slug in slugs:
            slug = f"{slug}-{source.sha256[:8]}"
        slugs.add(slug)
        published_at = source.first_commit_time or fallback_time(config.root, source)
        last = route[3]
        # The same evaluation (so the same inspection), routing, slug, source record and publication
        # time (in the same offset: a page prints it as given): the record made last time is this
        # one, kept as the same object (issue 21: 30,000 records made again at every build, then
        # compared field by field with the last build's).
        # (Issue 21: the same objects as last time, nearly always, compared before their values.)
        if (last is not None and last.slug == slug and (last.source is source or last.source == source)
                and (last.published_at is published_at or repr(last.published_at) == repr(published_at))):
            documents.append(last)
            continue
        document = Document(
            source=source,
            metadata=metadata,
            signatures=outcome.signatures,
            slug=slug,
            units=resolution.units,
            groups=resolution.groups,
            published_at=published_at,
            page_count=result.page_count,
            text=result.text,
            override=outcome.override,
            replaces=outcome.replaces,
            declaration=outcome.declaration,
            attachments=outcome.attachments,
            unread_pages=tuple(n for n in result.channels.unread_pages if n not in _machine_read(result)),
            machine_read_pages=_machine_read(result),
        )
        documents.append(document)
        kept[source.path] = (*route[:3], document)
    refusals.extend(Refusal(link, (Reason(ReasonCode.NOT_A_FILE, "a symbolic link or other non-regular file: "
                                          "never read through, never published"),)) for link in not_files)
    if memory is not None:
        memory.routes = kept
    return BuildReport(tuple(documents), tuple(refusals), tuple(warnings))


def _evaluate_all(config: PortalConfig, sources: tuple[SourceFile, ...],
                  results: dict[str, Inspection | InspectionFailure], neighbours: Neighbours,
                  memory: BuildMemory | None) -> list[Evaluation]:
    if memory is None:
        return [evaluate(config, source, results[source.path], neighbours) for source in sources]
    remembered = memory.evaluations_for(config)
    kept: dict[tuple[Any, ...], tuple[Any, Any]] = {}
    outcomes = []
    for source in sources:
        result = results[source.path]
        key = (source, neighbours.state(config.root, source.path))
        found = remembered.get(key)
        if found is None or found[0] is not result:
            found = (result, evaluate(config, source, result, neighbours))
        kept[key] = found
        outcomes.append(found[1])
    memory.evaluations = kept
    return outcomes


def _machine_read(result: Inspection) -> tuple[int, ...]:
    """Pages without a usable text layer whose text OCR read (issue 17): shown as machine-read."""
    readable = {page.page for page in result.ocr if page.readable}
    return tuple(n for n in result.channels.unread_pages if n in readable)


def _refused_twins(outcomes: list[Evaluation]) -> dict[str, tuple[Reason, ...]]:
    """path -> reasons it must be refused for because another copy of its bytes is refused. A copy
    found or declared secret makes every copy secret; any other refusal refuses the copies that
    would have been published (their page would show the refused file's hash and subject)."""
    # Only the copies of refused bytes can be refused with them (issue 21: nearly every build refuses
    # few files or none, and grouping 10,000 by hash was most of this).
    refused_bytes = {o.source.sha256 for o in outcomes if (o.reasons or o.metadata is None) and o.source.sha256}
    if not refused_bytes:
        return {}
    by_hash: dict[str, list[Evaluation]] = defaultdict(list)
    for outcome in outcomes:
        if outcome.source.sha256 in refused_bytes:
            by_hash[outcome.source.sha256].append(outcome)
    found: dict[str, tuple[Reason, ...]] = {}
    for copies in by_hash.values():
        refused = [c for c in copies if c.reasons or c.metadata is None]
        if len(copies) < 2 or not refused:
            continue
        secret = [c for c in refused if any(r.code == ReasonCode.SECRET for r in c.reasons)]
        for copy in copies:
            others = [c for c in (secret or refused) if c is not copy]
            if not others or (not secret and copy in refused):
                continue
            other = others[0]
            code = ReasonCode.SECRET if secret else (other.reasons[0].code if other.reasons
                                                      else ReasonCode.MISSING_METADATA)
            found[copy.source.path] = (Reason(code, f"the same bytes as {other.source.path}, refused there "
                                              f"({code.value}): every copy of a file is refused with it"),)
    return found
