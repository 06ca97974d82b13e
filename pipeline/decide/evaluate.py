"""The decide stage: each file's inspection, corrected by its sidecar and judged by the policy, becomes
an accepted `Document` or a `Refusal` listing every failed rule. Pure but for reading sidecars."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.config import PortalConfig
from pipeline.decide.channels import channel_reasons
from pipeline.decide.policy import judge, waive
from pipeline.decide.sidecar import SidecarError, apply_sidecar, load_sidecar
from pipeline.decide.trust import trust_reasons
from pipeline.decide.units import UnitIndex
from pipeline.examine.discover import fallback_time
from pipeline.normalize import fold
from pipeline.present import document_slug
from pipeline.records import (
    BuildReport,
    Document,
    Inspection,
    InspectionFailure,
    Metadata,
    PublicationOverride,
    Reason,
    ReasonCode,
    Refusal,
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


def evaluate(config: PortalConfig, source: SourceFile, result: Inspection | InspectionFailure) -> Evaluation:
    """Policy for one file: the inspection, corrected by its sidecar, judged by the rules."""
    metadata = result.metadata if isinstance(result, Inspection) else None
    signatures = result.verify.signatures if isinstance(result, Inspection) else ()
    sidecar = load_sidecar(config.root / source.path, config.root)
    extra: list[Reason] = []
    override = None
    replaces = None
    if isinstance(sidecar, SidecarError):
        for problem in sidecar.problems:
            extra.append(Reason(ReasonCode.MISSING_METADATA, f"{sidecar.path}: {problem}"))
    elif sidecar is not None and isinstance(result, Inspection):
        metadata = apply_sidecar(metadata or Metadata(), sidecar)
        override, replaces = sidecar.override, sidecar.replaces
    reasons = list(judge(result, metadata, config)) + trust_reasons(result, source, metadata, config) + extra
    if isinstance(result, Inspection):  # issue 15; the sidecar's declaration and approvals: not yet read
        reasons += channel_reasons(result, None, ())
    if isinstance(result, Inspection) and metadata is None and not reasons:
        reasons.append(Reason(ReasonCode.MISSING_METADATA, "metadata extraction failed"))
    reasons = waive(reasons, override)
    ordered = tuple(sorted(dict.fromkeys(reasons), key=lambda r: r.code.severity))
    warnings = disagreements(metadata, signatures) if metadata is not None else ()
    return Evaluation(source, ordered, metadata, signatures, override, replaces, warnings)


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


def decide(config: PortalConfig, sources: tuple[SourceFile, ...],
           results: dict[str, Inspection | InspectionFailure]) -> BuildReport:
    """Every source judged; the accepted ones routed to their units and given a unique slug."""
    index = UnitIndex(config)
    documents: list[Document] = []
    refusals: list[Refusal] = []
    warnings: list[Warning_] = []
    slugs: set[str] = set()
    for source in sources:
        result = results[source.path]
        outcome = evaluate(config, source, result)
        warnings.extend(Warning_(source.path, w) for w in outcome.warnings)
        metadata = outcome.metadata
        if outcome.reasons or metadata is None or not isinstance(result, Inspection):
            refusals.append(Refusal(source, outcome.reasons, metadata, outcome.signatures))
            continue
        slug = document_slug(metadata, source.sha256)
        if slug in slugs:
            slug = f"{slug}-{source.sha256[:8]}"
        slugs.add(slug)
        # Units (issue 6): "Như Điều 2" needs the text; warnings carry a suggested alias.
        resolution = index.resolve(metadata.addressees, metadata.recipients, result.text.full)
        warnings.extend(Warning_(source.path, message) for message in resolution.warnings)
        documents.append(Document(
            source=source,
            metadata=metadata,
            signatures=outcome.signatures,
            slug=slug,
            units=resolution.units,
            groups=resolution.groups,
            published_at=source.first_commit_time or fallback_time(config.root, source),
            page_count=result.page_count,
            text=result.text,
            override=outcome.override,
            replaces=outcome.replaces,
        ))
    return BuildReport(tuple(documents), tuple(refusals), tuple(warnings))
