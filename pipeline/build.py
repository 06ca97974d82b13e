"""The build, as a script of stages: read everything, decide everything, then write.

discover -> cache / sandboxed examine -> policy; publish.py then renders, builds, audits and swaps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from pipeline import state
from pipeline.config import PortalConfig
from pipeline.decide.policy import judge
from pipeline.decide.sidecar import OVERRIDABLE, SidecarError, apply_sidecar, load_sidecar
from pipeline.decide.units import UnitIndex
from pipeline.examine.cache import InspectionCache
from pipeline.examine.discover import discover, fallback_time
from pipeline.examine.limits import Limits
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
class BuildOptions:
    workers: int | None = None
    limits: Limits = field(default_factory=Limits)
    use_cache: bool = True


def inspect_sources(
    config: PortalConfig, sources: tuple[SourceFile, ...], options: BuildOptions,
    progress: Callable[[str], None] | None = None, whole_portal: bool = False,
) -> dict[str, Inspection | InspectionFailure]:
    """Examine every source, from the cache when its bytes were seen before. `whole_portal`: the
    sources are all of the portal's files, whose entries the cache then keeps in its pack."""
    cache = None
    if options.use_cache:
        cache = InspectionCache(state.inspection_cache(config.root), config.trust_fingerprint())
    results: dict[str, Inspection | InspectionFailure] = {}
    jobs = []
    for source in sources:
        hit = cache.get(source.sha256) if cache else None
        if hit is not None:
            results[source.path] = hit
        else:
            jobs.append(source)
    if jobs:
        results.update(_examine(config, jobs, options, cache, progress))
    if cache and whole_portal:
        cache.pack({source.sha256 for source in sources})
    return results


def _examine(config: PortalConfig, sources: list[SourceFile], options: BuildOptions, cache: InspectionCache | None,
             progress: Callable[[str], None] | None) -> dict[str, Inspection | InspectionFailure]:
    """The sources the cache did not answer, through the sandboxed verifier (imported only then)."""
    from pipeline.examine.sandbox import Job, examine_all
    from pipeline.examine.verify import TrustAnchors

    results: dict[str, Inspection | InspectionFailure] = {}
    jobs = [Job(source.path, config.root / source.path, source.sha256) for source in sources]
    anchors = TrustAnchors.from_pem(config.trust.roots_pem, config.organisation.certificate_names)
    for key, result in examine_all(jobs, anchors, options.limits, options.workers):
        results[key] = result
        if cache:
            cache.put(result)
        if progress:
            progress(key)
    return results


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
    reasons = list(judge(result, metadata, config)) + extra
    if isinstance(result, Inspection) and metadata is None and not reasons:
        reasons.append(Reason(ReasonCode.MISSING_METADATA, "metadata extraction failed"))
    if override is not None:
        # Only content rules the clerk may answer for; never secrecy, never integrity or trust.
        waived = {code for code in override.rules if code in OVERRIDABLE}
        reasons = [r for r in reasons if r.code.value not in waived]
    ordered = tuple(sorted(dict.fromkeys(reasons), key=lambda r: r.code.severity))
    warnings = _disagreements(metadata, signatures) if metadata is not None else ()
    return Evaluation(source, ordered, metadata, signatures, override, replaces, warnings)


def _disagreements(metadata: Metadata, signatures: tuple[SignatureReport, ...]) -> tuple[str, ...]:
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


def collect(config: PortalConfig, options: BuildOptions = BuildOptions(),
            progress: Callable[[str], None] | None = None) -> BuildReport:
    sources = discover(config.root)
    results = inspect_sources(config, sources, options, progress, whole_portal=True)
    report = decide(config, sources, results)
    # Issue 7: later history, withdrawn documents and replacement links, from git.
    from pipeline.decide.lifecycle import after_publication  # imported here: lifecycle builds on this module

    return after_publication(config, report, options)
