"""The build, as a script of stages: read everything, decide everything, then write.

discover -> cache / sandboxed examine -> policy -> render -> mkdocs -> audit -> swap into site/.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .cache import InspectionCache
from .config import PortalConfig
from .discover import discover, fallback_time
from .policy import judge
from .present import document_slug
from .records import (
    BuildReport,
    Document,
    Inspection,
    InspectionFailure,
    Refusal,
    SourceFile,
    Warning_,
)
from .sandbox import Job, Limits, examine_all
from .units import UnitIndex
from .verify import TrustAnchors


class AuditFailure(Exception):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems[:5]))


@dataclass(frozen=True)
class BuildOptions:
    workers: int | None = None
    limits: Limits = field(default_factory=Limits)
    use_cache: bool = True


def inspect_sources(
    config: PortalConfig, sources: tuple[SourceFile, ...], options: BuildOptions,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Inspection | InspectionFailure]:
    """Examine every source, from the cache when its bytes were seen before."""
    cache = None
    if options.use_cache:
        cache = InspectionCache(config.root / ".congbo" / "cache", config.trust_fingerprint())
    results: dict[str, Inspection | InspectionFailure] = {}
    jobs = []
    for source in sources:
        hit = cache.get(source.sha256) if cache else None
        if hit is not None:
            results[source.path] = hit
        else:
            jobs.append(Job(source.path, config.root / source.path, source.sha256))
    anchors = TrustAnchors.from_pem(config.trust.roots_pem, config.organisation.certificate_names)
    for key, result in examine_all(jobs, anchors, options.limits, options.workers):
        results[key] = result
        if cache:
            cache.put(result)
        if progress:
            progress(key)
    return results


def decide(config: PortalConfig, sources: tuple[SourceFile, ...],
           results: dict[str, Inspection | InspectionFailure]) -> BuildReport:
    index = UnitIndex(config)
    documents: list[Document] = []
    refusals: list[Refusal] = []
    warnings: list[Warning_] = []
    slugs: set[str] = set()
    for source in sources:
        result = results[source.path]
        metadata = result.metadata if isinstance(result, Inspection) else None
        reasons = judge(result, metadata, config)
        signatures = result.verify.signatures if isinstance(result, Inspection) else ()
        if reasons or metadata is None or not isinstance(result, Inspection):
            refusals.append(Refusal(source, reasons, metadata, signatures))
            continue
        slug = document_slug(metadata, source.sha256)
        if slug in slugs:
            slug = f"{slug}-{source.sha256[:8]}"
        slugs.add(slug)
        resolution = index.resolve(metadata.addressees, metadata.recipients)
        for line in resolution.unmatched:
            warnings.append(Warning_(source.path, f"không xác định được đơn vị nhận: {line!r}"))
        documents.append(Document(
            source=source,
            metadata=metadata,
            signatures=signatures,
            slug=slug,
            units=resolution.units,
            published_at=source.first_commit_time or fallback_time(config.root, source),
            page_count=result.page_count,
            text=result.text,
        ))
    return BuildReport(tuple(documents), tuple(refusals), tuple(warnings))


def collect(config: PortalConfig, options: BuildOptions = BuildOptions(),
            progress: Callable[[str], None] | None = None) -> BuildReport:
    sources = discover(config.root)
    results = inspect_sources(config, sources, options, progress)
    return decide(config, sources, results)


def publish(config: PortalConfig, report: BuildReport, out: Path) -> None:
    """Render, build with mkdocs into a staging folder, audit, then replace `out`."""
    # Imported here so that `inspect` and `check` never load mkdocs.
    from .audit_output import audit_site
    from .render import copy_hand_written, render_all
    from .site import build_site, swap_into_place

    out = out.resolve()
    staging = out.parent / f".{out.name}.staging"
    if staging.exists():
        shutil.rmtree(staging)
    docs = staging / "docs"
    site = staging / "site"
    docs.mkdir(parents=True)
    try:
        hand_written = copy_hand_written(config.root / "content", docs)
        render_all(config, report.documents, docs, hand_written)
        build_site(config.root / "mkdocs.yml", docs, site, config.site.url)
        problems = audit_site(site, report.documents, report.refusals)
        if problems:
            raise AuditFailure(problems)
        swap_into_place(site, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
