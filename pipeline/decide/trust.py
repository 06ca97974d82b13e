"""Trust beyond the certificate chain (issue 15): when a signature counts as made, whether the
organisation's certificate is the one portal.yml pins, whether the person with authority signed a
document born digital, and whether the printed issuer is a body the office publishes for.

Pure: the inspection, the file's first publication and the configuration in, failed rules out (the
clock is read once, unless `now` is given).

Time. The examining worker validates each certificate with pyhanko at the signature's time: its
trusted timestamp, else the time the signer claims, which is only the signer's word. So here the
certificate (and the path below the root) must also be valid at the time the portal can vouch
for: the trusted timestamp when there is one, else the file's first publication (the first commit
of these very bytes: the portal's own proof the file existed then, which keeps an old letter valid
after its certificate expires), never later than now, and now when the file is not committed yet.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from pipeline.config import CertificatePin, PortalConfig, parse_dn
from pipeline.normalize import fold
from pipeline.records import (
    Inspection,
    InspectionFailure,
    Metadata,
    Reason,
    ReasonCode,
    SignatureReport,
    SourceFile,
)

# Clocks disagree: the signer's computer, the clerk's (who commits) and the build's. A few minutes
# of difference is a clock, not a claim about when the letter was signed.
CLOCK_SKEW = dt.timedelta(minutes=10)
# Decree 30: the date printed on the letter is the day it is signed and issued. A letter is
# sometimes typed with the date of the next working day and signed the evening before, over a
# weekend, or before a one-day holiday: three days cover that. A signature weeks before the
# printed date belongs to another letter (or a re-dated one), which is what this refuses. A
# signature on the day or after it (signed late, sent the next days) is normal.
EARLY_SIGNATURE = dt.timedelta(days=3)
VIETNAM = dt.timezone(dt.timedelta(hours=7))  # the printed date is a date in Vietnam


def trust_reasons(result: Inspection | InspectionFailure, source: SourceFile, metadata: Metadata | None,
                  config: PortalConfig, *, now: dt.datetime | None = None) -> list[Reason]:
    """Every trust rule the file fails, beyond the chain checks of policy.integrity_reasons."""
    if isinstance(result, InspectionFailure):
        return []  # already refused as unreadable
    now = now or dt.datetime.now(dt.UTC)
    signatures = result.verify.signatures  # in the order they were made (signed revision)
    approvals = [s for s in signatures if s.role != "timestamp"]
    reasons: list[Reason] = []
    for index, sig in enumerate(signatures):
        if sig.role != "timestamp":
            reasons += time_reasons(sig, source.first_commit_time, metadata, now,
                                    covered_at=_document_timestamp_after(signatures, index))
    reasons += organisation_reasons(approvals, config)
    reasons += person_reasons(result, approvals, config)
    if approvals:
        reasons += issuer_reasons(metadata, config)
    return reasons


def _document_timestamp_after(signatures: tuple[SignatureReport, ...], index: int) -> dt.datetime | None:
    """The earliest trusted document timestamp made after signature `index`: it covers that
    signature, so it proves the signature existed at its time (PAdES B-LTA)."""
    times = [s.timestamp_at for s in signatures[index + 1:]
             if s.role == "timestamp" and s.timestamp_ok and s.timestamp_at is not None]
    return min(times, default=None)


def _label(sig: SignatureReport) -> str:
    return f"signature {sig.field_name!r} ({sig.signer})"


def time_reasons(sig: SignatureReport, first_published: dt.datetime | None, metadata: Metadata | None,
                 now: dt.datetime, *, covered_at: dt.datetime | None = None) -> list[Reason]:
    """The claimed time must be plausible, and the certificate valid at the time the portal can vouch
    for. `covered_at`: the time of a trusted document timestamp made after the signature."""
    reasons = []
    label = _label(sig)
    claimed = sig.signed_at if sig.signed_at is not None and sig.signed_at.tzinfo is not None else None
    stamped = sig.timestamp_at if sig.timestamp_ok and sig.timestamp_at is not None else None
    if claimed is not None and claimed > now + CLOCK_SKEW:
        reasons.append(Reason(ReasonCode.SIGNING_TIME,
                              f"{label}: claimed signing time {claimed.isoformat()} is in the future"))
    elif claimed is not None and first_published is not None and claimed > first_published + CLOCK_SKEW:
        reasons.append(Reason(ReasonCode.SIGNING_TIME,
                              f"{label}: claimed signing time {claimed.isoformat()} is after the file was first "
                              f"published ({first_published.isoformat()})"))
    signed = stamped or claimed
    issued = metadata.issued_date if metadata is not None else None
    if signed is not None and issued is not None:
        signed_day = signed.astimezone(VIETNAM).date()
        if signed_day < issued - EARLY_SIGNATURE:
            what = "timestamp" if stamped else "claimed signing time"
            reasons.append(Reason(ReasonCode.SIGNING_TIME,
                                  f"{label}: {what} {signed_day.isoformat()} is more than "
                                  f"{EARLY_SIGNATURE.days} days before the date on the letter ({issued.isoformat()})"))
    if sig.certificate_problem in ("expired", "not-yet-valid"):
        return reasons  # already refused at the time of signing
    if stamped is not None:
        moment, basis = stamped, "its trusted timestamp"
    elif covered_at is not None and (first_published is None or covered_at < first_published):
        moment, basis = min(covered_at, now), "the trusted document timestamp that covers it"
    elif first_published is not None and first_published <= now:
        moment, basis = first_published, "the file's first publication"
    else:
        moment, basis = now, "now (the file is not published yet)"
    window = _validity(sig)
    if window is None:
        reasons.append(Reason(ReasonCode.CERTIFICATE_INVALID, f"{label}: certificate validity unknown"))
        return reasons
    start, end = window
    if moment > end:
        reasons.append(Reason(ReasonCode.CERTIFICATE_INVALID,
                              f"{label}: certificate expired ({end.isoformat()}) before {basis} "
                              f"({moment.isoformat()}); a claimed signing time does not prove it was signed earlier"))
    elif moment < start:
        reasons.append(Reason(ReasonCode.CERTIFICATE_INVALID,
                              f"{label}: certificate not yet valid ({start.isoformat()}) at {basis} "
                              f"({moment.isoformat()})"))
    return reasons


def _validity(sig: SignatureReport) -> tuple[dt.datetime, dt.datetime] | None:
    starts = [t for t in (sig.not_before, sig.path_not_before) if t is not None]
    ends = [t for t in (sig.not_after, sig.path_not_after) if t is not None]
    if not starts or not ends:
        return None
    return max(starts), min(ends)


def pin_failures(sig: SignatureReport, pin: CertificatePin) -> list[str]:
    """The parts of `pin` the signature's certificate does not match: "issuer", "subject", "key"."""
    failed = []
    if pin.issuer is not None and _dn(sig.issuer_dn) != pin.issuer:
        failed.append("issuer")
    if pin.subject is not None and _dn(sig.subject_dn) != pin.subject:
        failed.append("subject")
    if pin.key_sha256 is not None and sig.key_sha256.lower() != pin.key_sha256:
        failed.append("key")
    return failed


@functools.lru_cache(maxsize=4096)
def _dn(text: str) -> tuple[tuple[str, str], ...] | None:
    """Parsed once per distinct name: a build judges thousands of letters signed by a handful of
    certificates (parsing was 1.2 ms a letter, twice)."""
    try:
        return parse_dn(text) if text else None
    except ValueError:
        return None


def is_organisation(sig: SignatureReport, config: PortalConfig) -> bool:
    """The organisation's signature: the certificate matches one of portal.yml's pins."""
    return sig.role == "organisation" and any(not pin_failures(sig, pin) for pin in config.organisation.certificates)


def organisation_reasons(approvals: list[SignatureReport], config: PortalConfig) -> list[Reason]:
    """A certificate named like the organisation (certificate_names) that matches no pin is somebody
    else's: another company's certificate can spell the organisation's name in its CN. Refused as
    issuer-mismatch (the organisation's signature does not match its registered certificate) in
    every case, whether or not the organisation's signature is required: it impersonates the office."""
    reasons = []
    pins = config.organisation.certificates
    for sig in approvals:
        if sig.role != "organisation" or is_organisation(sig, config):
            continue
        if not pins:
            detail = "portal.yml pins no certificate of the organisation (organisation.certificates)"
        else:
            closest = min((pin_failures(sig, pin) for pin in pins), key=len)
            detail = f"{' and '.join(closest)} differ{'s' if len(closest) == 1 else ''} from portal.yml's pin"
        reasons.append(Reason(ReasonCode.ISSUER_MISMATCH,
                              f"{_label(sig)}: the certificate carries the organisation's name but is not its "
                              f"registered certificate: {detail} (certificate issuer={sig.issuer_dn}, "
                              f"subject={sig.subject_dn}, key_sha256={sig.key_sha256})"))
    return reasons


def person_reasons(result: Inspection, approvals: list[SignatureReport], config: PortalConfig) -> list[Reason]:
    """Decree 30: the competent person signs a document born digital before the office seals it with
    the organisation's certificate. A digitised paper letter (every page an image) carries only the
    organisation's signature: the person signed the paper."""
    if not config.organisation.require_person_signature:
        return []
    first_organisation = next((i for i, s in enumerate(approvals) if is_organisation(s, config)), None)
    if first_organisation is None:
        return []  # no organisation signature: policy refuses it when required
    before = approvals[:first_organisation]
    if any(s.role == "person" for s in before):
        return []
    pages = set(range(1, result.page_count + 1))
    if pages and pages <= set(result.channels.unread_pages):
        return []
    return [Reason(ReasonCode.UNSIGNED,
                   "the competent person's signature (thiếu chữ ký của người có thẩm quyền, Decree 30) is missing "
                   f"before the organisation's signature {approvals[first_organisation].field_name!r}")]


def issuer_reasons(metadata: Metadata | None, config: PortalConfig) -> list[Reason]:
    """The printed issuer must be the organisation or a body it publishes for (organisation.publishes_for):
    the office's certificate on another body's letter must not publish it as the office's."""
    if metadata is None:
        return []  # extraction failed: refused as missing metadata
    allowed = {_squash(name) for name in (config.organisation.name, *config.organisation.publishes_for)}
    if not metadata.organ_name:
        return [Reason(ReasonCode.ISSUER_MISMATCH, "the issuer (cơ quan ban hành) printed on the letter was not found")]
    organ = _squash(metadata.organ_name)
    candidates = {organ}
    if metadata.parent_organ:
        # The parent organ's line may have been read into the organ's name (or printed twice).
        parent = _squash(metadata.parent_organ)
        if organ.startswith(parent + " "):
            candidates.add(organ[len(parent) + 1:])
    if candidates & allowed:
        return []
    known = "; ".join(sorted((config.organisation.name, *config.organisation.publishes_for)))
    return [Reason(ReasonCode.ISSUER_MISMATCH,
                   f"the issuer printed on the letter {metadata.organ_name!r} is not one the office publishes for "
                   f"({known}; portal.yml organisation.name and organisation.publishes_for)")]


_NOT_A_WORD = re.compile(r"[\s*]+")


def _squash(name: str) -> str:
    """Folded, line breaks and runs of spaces as one space, the Party's "*" after the name dropped."""
    return _NOT_A_WORD.sub(" ", fold(name)).strip()
