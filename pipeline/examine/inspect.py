"""The examine stage: every source's inspection, from the cache when its bytes were seen before,
otherwise from a sandboxed worker (pyhanko and pypdf run only there)."""

from __future__ import annotations

import sys
from collections.abc import Callable

from pipeline import state
from pipeline.config import PortalConfig
from pipeline.examine.cache import InspectionCache
from pipeline.examine.limits import Limits
from pipeline.memory import BuildMemory
from pipeline.records import Inspection, InspectionFailure, SourceFile

Inspections = dict[str, Inspection | InspectionFailure]  # source path -> its inspection


def inspect_sources(
    config: PortalConfig, sources: tuple[SourceFile, ...], *, limits: Limits | None = None, workers: int | None = None,
    use_cache: bool = True, progress: Callable[[str], None] | None = None, whole_portal: bool = False,
    memory: BuildMemory | None = None,
) -> Inspections:
    """Examine every source, from the cache when its bytes were seen before. `whole_portal`: the
    sources are all of the portal's files, whose entries the cache then keeps in its pack.
    `memory`: a long-running process's answers of its last build (pipeline/memory.py)."""
    cache = (InspectionCache(state.inspection_cache(config.root), config.trust_fingerprint(),
                             memory if whole_portal else None) if use_cache else None)
    try:
        results: Inspections = {}
        # Files with the same bytes (a letter filed in two folders) are examined once: an inspection
        # depends on the bytes alone (the cache holds it by content hash for the same reason).
        alike: dict[str, list[SourceFile]] = {}  # sha256 -> the sources to examine with those bytes
        for source in sources:
            hit = cache.get(source.sha256) if cache else None
            if hit is not None:
                results[source.path] = hit
            else:
                alike.setdefault(source.sha256, []).append(source)
        if alike:
            first = {same[0].path: same for same in alike.values()}

            def each(path: str) -> None:
                if progress:
                    for source in first[path]:
                        progress(source.path)

            examined = _examine(config, [same[0] for same in alike.values()], limits or Limits(), workers, cache, each)
            for path, result in examined.items():
                for source in first[path]:
                    results[source.path] = result
        if cache and whole_portal:
            cache.pack({source.sha256 for source in sources})
            cache.remember()
    finally:
        if cache:
            cache.close()  # the pack stays open while entries are read from it
    return results


def _examine(config: PortalConfig, sources: list[SourceFile], limits: Limits, workers: int | None,
             cache: InspectionCache | None, progress: Callable[[str], None] | None) -> Inspections:
    """The sources the cache did not answer, through the sandboxed verifier. Imported only then: a
    build whose files are all cached never loads pyhanko (half a second of start-up)."""
    from pipeline.examine.sandbox import Job, examine_all, speedup_notices
    from pipeline.examine.verify import TrustAnchors

    for notice in speedup_notices():  # said once per build: another library version than the one measured
        print(f"congbo: {notice}", file=sys.stderr)
    from pipeline.examine.ocr import ocr_notice

    missing = ocr_notice()
    if missing:  # said once per build (issue 17): scans stay unread, their documents refused
        print("congbo: không có OCR (Tesseract tiếng Việt): trang ảnh quét không đọc được, văn bản có trang"
              f" ảnh quét bị từ chối (unreadable) cho đến khi cài tesseract-ocr-vie; {missing}", file=sys.stderr)
    results: Inspections = {}
    jobs = [Job(source.path, config.root / source.path, source.sha256) for source in sources]
    anchors = TrustAnchors.from_pem(config.trust.roots_pem, config.organisation.certificate_names)
    for key, result in examine_all(jobs, anchors, limits, workers):
        results[key] = cache.put(result) if cache else result
        if progress:
            progress(key)
    return results
