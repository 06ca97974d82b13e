"""The publication rules: facts in, a list of failed rules out. Pure functions, no I/O.

Fail closed: anything we cannot establish (no signature report, unknown type, an anomaly of any
kind) is a refusal. Reasons are returned most severe first, all of them, not just the first.
"""

from __future__ import annotations

import functools

from pipeline.config import PortalConfig
from pipeline.decide.subjects import excluded_area
from pipeline.normalize import fold
from pipeline.records import (
    Inspection,
    InspectionFailure,
    Metadata,
    PublicationOverride,
    Reason,
    ReasonCode,
    SignatureReport,
)

# The rules a clerk may answer for with a recorded override (sidecar `override:`): content rules only.
OVERRIDABLE = frozenset({"excluded-category", "missing-metadata"})

def signature_reasons(sig: SignatureReport, config: PortalConfig) -> list[Reason]:
    reasons = []
    label = f"signature {sig.field_name!r} ({sig.signer})"
    if not (sig.intact and sig.valid):
        reasons.append(Reason(ReasonCode.SIGNATURE_INVALID, f"{label}: digest or signature check failed"))
    for problem in sig.problems:
        code_text, _, detail = problem.partition(": ")
        try:
            code = ReasonCode(code_text)
        except ValueError:
            code, detail = ReasonCode.SIGNATURE_INVALID, problem
        reasons.append(Reason(code, f"{label}: {detail}"))
    if sig.certificate_problem:
        reasons.append(Reason(ReasonCode.CERTIFICATE_INVALID, f"{label}: certificate {sig.certificate_problem}"))
    elif sig.intact and sig.valid and not sig.trusted:  # trust is only evaluated for an intact signature
        reasons.append(Reason(ReasonCode.UNTRUSTED, f"{label}: no path to a configured trust root"))
    if config.trust.require_revocation_check and not sig.revocation_checked and sig.role != "timestamp":
        reasons.append(Reason(ReasonCode.CERTIFICATE_INVALID, f"{label}: revocation not checked (no embedded data)"))
    return reasons


def integrity_reasons(result: Inspection | InspectionFailure, config: PortalConfig) -> list[Reason]:
    if isinstance(result, InspectionFailure):
        return [Reason(ReasonCode.UNREADABLE, result.detail)]
    reasons = [Reason(ReasonCode(code), detail) for code, detail in result.verify.problems]
    signatures = result.verify.signatures
    if not signatures and not any(r.code == ReasonCode.UNSIGNED for r in reasons):
        reasons.append(Reason(ReasonCode.UNSIGNED, "no verifiable signature"))
    for sig in signatures:
        reasons.extend(signature_reasons(sig, config))
    approvals = [s for s in signatures if s.role != "timestamp"]
    if signatures and not approvals and not any(r.code == ReasonCode.UNSIGNED for r in reasons):
        reasons.append(Reason(ReasonCode.UNSIGNED, "only timestamps, no signature"))
    needs_organisation = bool(approvals) and config.organisation.require_organisation_signature
    if needs_organisation and not any(s.role == "organisation" for s in approvals):
        reasons.append(Reason(ReasonCode.UNSIGNED, "the organisation's signature (Decree 30) is missing"))
    elif needs_organisation and approvals[-1].role != "organisation":
        # Decree 30: the office seals the issued text after the person with authority has signed;
        # a signature added after the seal was added to an already issued document.
        reasons.append(Reason(ReasonCode.UNSIGNED, f"the organisation's signature (Decree 30) is not the last: "
                              f"{approvals[-1].signer!r} signed after it"))
    return reasons


@functools.lru_cache(maxsize=8)
def _folded(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(map(fold, names))


def content_reasons(metadata: Metadata, config: PortalConfig) -> list[Reason]:
    reasons = []
    marks = metadata.marks
    if marks.secrecy:
        reasons.append(Reason(ReasonCode.SECRET, f"secrecy mark {marks.secrecy!r}"))
    for mark in marks.circulation:
        reasons.append(Reason(ReasonCode.EXCLUDED_CATEGORY, f"restricted circulation mark {mark!r}"))
    if metadata.type_name is None:
        reasons.append(Reason(ReasonCode.MISSING_METADATA, "document type not found"))
    elif fold(metadata.type_name) not in _folded(config.policy.publishable_types):
        reasons.append(Reason(ReasonCode.EXCLUDED_CATEGORY, f"type {metadata.type_name!r} is not publishable"))
    # Every type of Nghị định 30 (Article 7) and HD 36 carries a number and an issue date: without
    # them the letter is a draft, not an issued document (the clerk can state them in the sidecar).
    if not metadata.number:
        blank = f" (blank: 'Số: .../{metadata.code_notation}')" if metadata.code_notation else ""
        reasons.append(Reason(ReasonCode.MISSING_METADATA, f"number (số, ký hiệu) not found{blank}: "
                              "an unnumbered draft is not an issued document"))
    if metadata.issued_date is None:
        reasons.append(Reason(ReasonCode.MISSING_METADATA, "issue date (ngày ban hành) not found: "
                              "an undated draft is not an issued document"))
    if not metadata.subject:
        reasons.append(Reason(ReasonCode.MISSING_METADATA, "subject (trích yếu) not found"))
    else:
        phrase = excluded_area(metadata.subject)
        if phrase:
            reasons.append(Reason(ReasonCode.EXCLUDED_CATEGORY, f"subject in an excluded area ({phrase!r})"))
    return reasons


def judge(
    result: Inspection | InspectionFailure, metadata: Metadata | None, config: PortalConfig
) -> tuple[Reason, ...]:
    reasons = integrity_reasons(result, config)
    if metadata is not None:
        reasons.extend(content_reasons(metadata, config))
    unique = list(dict.fromkeys(reasons))
    return tuple(sorted(unique, key=lambda r: r.code.severity))


def waive(reasons: list[Reason], override: PublicationOverride | None) -> list[Reason]:
    """The reasons left after a clerk's recorded override (sidecar `override:`). Only content rules
    the clerk may answer for are ever waived; never secrecy, never integrity or trust."""
    if override is None:
        return reasons
    waived = {code for code in override.rules if code in OVERRIDABLE}
    return [r for r in reasons if r.code.value not in waived]
