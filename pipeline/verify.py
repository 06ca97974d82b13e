"""Signature facts from pyhanko. The only module that imports pyhanko's validation API.

pyhanko's `bottom_line` is not enough (see shared/SIGNATURES.md), so besides its status we record
every anomaly we know of: filled signature fields pyhanko skipped, coverage short of the revision,
modifications beyond later signatures and validation data, fields added after a signature, bytes
after the last %%EOF, broken timestamps, violated seed values. Each becomes a `problem` (a reason
code and an English detail); policy.py turns facts into a verdict.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from asn1crypto import pem as asn1_pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, ModificationLevel
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.dss import DocumentSecurityStore, NoDSSFoundError
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from .normalize import fold
from .records import ReasonCode, SignatureReport, VerifyResult

SUPPORTED_SUB_FILTERS = ("/adbe.pkcs7.detached", "/ETSI.CAdES.detached", "/ETSI.RFC3161")

# Vietnamese certificates often carry only digitalSignature; accept it or nonRepudiation.
_KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)

_CERT_PROBLEMS = {
    "REVOKED": "revoked",
    "REVOKED_NO_POE": "revoked",
    "REVOKED_CA_NO_POE": "revoked",
    "EXPIRED": "expired",
    "NOT_YET_VALID": "not-yet-valid",
    "OUT_OF_BOUNDS_NO_POE": "expired",
    "OUT_OF_BOUNDS_NOT_REVOKED": "expired",
}


@dataclass(frozen=True)
class TrustAnchors:
    """Parsed roots, built once per worker process and reused for every document."""

    roots: tuple[asn1_x509.Certificate, ...]
    organisation_names: tuple[str, ...]  # folded names that identify the organisation's certificate

    @classmethod
    def from_pem(cls, pems: tuple[bytes, ...], organisation_names: tuple[str, ...]) -> TrustAnchors:
        roots = []
        for pem in pems:
            for _, _, der in asn1_pem.unarmor(pem, multiple=True):
                roots.append(asn1_x509.Certificate.load(der))
        return cls(tuple(roots), tuple(fold(n) for n in organisation_names))


def verify_pdf(data: bytes, anchors: TrustAnchors) -> VerifyResult:
    """Report every signature in `data`. Exceptions from pyhanko propagate to the sandbox,
    which turns them into an `unreadable` refusal; a signature that fails to validate is a fact."""
    problems: list[tuple[str, str]] = []
    trailing = _trailing_garbage(data)
    if trailing:
        problems.append((ReasonCode.MODIFIED_AFTER_SIGNING.value,
                         f"{trailing} bytes after the last %%EOF without an incremental update"))
    reader = PdfFileReader(BytesIO(data), strict=True)
    if reader.encrypted:
        return VerifyResult((), ((ReasonCode.UNREADABLE.value, "the file is encrypted"),))

    filled = [(name, obj.get_object()) for name, obj, _ in enumerate_sig_fields(reader, filled_status=True)]
    if not filled:
        return VerifyResult((), ((ReasonCode.UNSIGNED.value, "no filled signature field"), *problems))
    for name, sig_obj in filled:
        sub_filter = str(sig_obj.get("/SubFilter", ""))
        if sub_filter not in SUPPORTED_SUB_FILTERS:
            problems.append((ReasonCode.SIGNATURE_INVALID.value,
                             f"signature field {name!r} has unsupported SubFilter {sub_filter or 'none'}"))

    embedded = list(reader.embedded_signatures)
    if len(embedded) != len(filled):
        problems.append((ReasonCode.SIGNATURE_INVALID.value,
                         f"{len(filled)} filled signature fields but {len(embedded)} verifiable signatures"))

    context = _validation_context(reader, anchors)
    revinfo = _embedded_revocation_issuers(reader)
    later_names = [emb.field_name for emb in embedded]
    final_fields = _field_names(reader)
    reports = []
    for index, emb in enumerate(embedded):
        is_last = index == len(embedded) - 1
        allowed_new = set(later_names[index + 1:])
        reports.append(_report(reader, emb, context, anchors, revinfo, is_last, allowed_new, final_fields))
    last = embedded[-1] if embedded else None
    uncovered_tail = last is not None and reports[-1].coverage != SignatureCoverageLevel.ENTIRE_FILE.name
    if last is not None and uncovered_tail and reader.xrefs.total_revisions <= last.signed_revision + 1:
        problems.append((ReasonCode.MODIFIED_AFTER_SIGNING.value,
                         "bytes follow the last signed revision without an incremental update"))
    return VerifyResult(tuple(reports), tuple(problems))


def _report(
    reader: PdfFileReader,
    emb: Any,
    context: ValidationContext,
    anchors: TrustAnchors,
    revinfo: set[bytes],
    is_last: bool,
    allowed_new_fields: set[str],
    final_fields: set[str],
) -> SignatureReport:
    problems: list[str] = []
    is_doc_timestamp = emb.sig_object_type == "/DocTimeStamp"
    if is_doc_timestamp:
        status: Any = validate_pdf_timestamp(emb, context, diff_policy=DEFAULT_DIFF_POLICY)
    else:
        status = validate_pdf_signature(
            emb, context, ts_validation_context=context, diff_policy=DEFAULT_DIFF_POLICY,
            key_usage_settings=_KEY_USAGE,
        )
    cert = status.signing_cert
    subject = cert.subject.native
    path = status.validation_path
    chain = _chain_names(path, emb) if path is not None else _chain_names(None, emb)
    coverage = status.coverage.name if status.coverage is not None else "UNKNOWN"
    level = status.modification_level
    modification = level.name if level is not None else "UNKNOWN"

    # Coverage: the last signature covers the file (or its revision followed only by validation
    # data); earlier ones cover their whole revision.
    if status.coverage is None or status.coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        problems.append(f"modified-after-signing: coverage {coverage} is less than the whole revision")
    # Modifications: after the last signature only validation data; between signatures only the
    # next signatures themselves.
    ceiling = ModificationLevel.LTA_UPDATES if is_last else ModificationLevel.FORM_FILLING
    if level is None or level > ceiling:
        problems.append(f"modified-after-signing: modification level {modification} after this signature")
    diff = getattr(status, "diff_result", None)
    changed = set(getattr(diff, "changed_form_fields", ()) or ())
    if changed - allowed_new_fields:
        changed_names = sorted(changed - allowed_new_fields)
        problems.append(f"modified-after-signing: form fields changed after signing: {changed_names}")
    if diff is not None and not hasattr(diff, "modification_level"):
        problems.append(f"modified-after-signing: suspicious modification: {diff}")
    if getattr(status, "docmdp_ok", True) is not True:
        problems.append("modified-after-signing: DocMDP permissions violated")
    signed_fields = _field_names(reader.get_historical_resolver(emb.signed_revision))
    added = final_fields - signed_fields - allowed_new_fields - {emb.field_name}
    if added:
        problems.append(f"modified-after-signing: fields added after signing: {sorted(added)}")
    if getattr(status, "has_seed_values", False) and not getattr(status, "seed_value_ok", True):
        problems.append(f"signature-invalid: seed value constraints violated: {status.seed_value_constraint_error}")

    timestamp_at = None
    timestamp_ok = None
    ts_status = getattr(status, "timestamp_validity", None)
    if is_doc_timestamp:
        timestamp_at = status.timestamp
        timestamp_ok = bool(status.intact and status.valid and status.trusted)
    elif ts_status is not None:
        timestamp_at = ts_status.timestamp
        timestamp_ok = bool(ts_status.intact and ts_status.valid and ts_status.trusted)
        if not timestamp_ok:
            problems.append("signature-invalid: the signature timestamp is not intact, valid and trusted")

    indic = status.trust_problem_indic
    certificate_problem = _CERT_PROBLEMS.get(indic.name) if indic is not None else None
    if status.revocation_details is not None:
        certificate_problem = "revoked"
    if indic is not None and certificate_problem is None:
        problems.append(f"untrusted: {indic.name}")

    organisation = subject.get("organization_name")
    if isinstance(organisation, list):
        organisation = ", ".join(organisation)
    common_name = subject.get("common_name") or cert.subject.human_friendly
    role = "person"
    names = {fold(str(common_name))}
    if is_doc_timestamp:
        role = "timestamp"
    elif names & set(anchors.organisation_names):
        role = "organisation"
    return SignatureReport(
        field_name=str(emb.field_name),
        sub_filter=str(emb.sig_object.get("/SubFilter", "")).lstrip("/"),
        signer=str(common_name),
        organisation=str(organisation) if organisation else None,
        issuer=str(cert.issuer.native.get("common_name") or cert.issuer.human_friendly),
        chain=chain,
        trust_root=chain[-1] if status.trusted and chain else None,
        signed_at=None if is_doc_timestamp else status.signer_reported_dt,
        timestamp_at=timestamp_at,
        timestamp_ok=timestamp_ok,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        revocation_checked=cert.issuer.dump() in revinfo or cert.serial_number.to_bytes(20, "big") in revinfo,
        certificate_problem=certificate_problem,
        coverage=coverage,
        modification=modification,
        docmdp_ok=getattr(status, "docmdp_ok", None),
        problems=tuple(problems),
        role=role,
        serial=format(cert.serial_number, "x"),
        not_before=cert["tbs_certificate"]["validity"]["not_before"].native,
        not_after=cert["tbs_certificate"]["validity"]["not_after"].native,
    )


def _validation_context(reader: PdfFileReader, anchors: TrustAnchors) -> ValidationContext:
    """A fresh context per document: explicit roots, no fetching, soft-fail revocation fed with the
    revocation data embedded in the document (so a revoked certificate with its CRL is caught)."""
    kwargs: dict[str, Any] = {
        "trust_roots": list(anchors.roots),
        "allow_fetching": False,
        "revocation_mode": "soft-fail",
    }
    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except NoDSSFoundError:
        return ValidationContext(**kwargs)
    return dss.as_validation_context(kwargs)


def _embedded_revocation_issuers(reader: PdfFileReader) -> set[bytes]:
    """Issuer names of embedded CRLs, and serials named in embedded OCSP responses (DSS and the
    CMS revocation-info attribute), so a report can say honestly whether revocation was checked."""
    found: set[bytes] = set()
    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except NoDSSFoundError:
        dss = None
    from asn1crypto import crl as asn1_crl
    from asn1crypto import ocsp as asn1_ocsp

    if dss is not None:
        for ref in dss.crls:
            crl = asn1_crl.CertificateList.load(ref.get_object().data)
            found.add(crl["tbs_cert_list"]["issuer"].dump())
        for ref in dss.ocsps:
            _add_ocsp_serials(asn1_ocsp.OCSPResponse.load(ref.get_object().data), found)
    for emb in reader.embedded_signatures:
        attrs = emb.signer_info["signed_attrs"]
        for attr in attrs if attrs else ():
            if attr["type"].native != "adobe_revocation_info_archival":
                continue
            for value in attr["values"]:
                for crl in value["crl"] or ():
                    found.add(crl["tbs_cert_list"]["issuer"].dump())
                for resp in value["ocsp"] or ():
                    _add_ocsp_serials(resp, found)
    return found


def _add_ocsp_serials(response: Any, found: set[bytes]) -> None:
    try:
        basic = response["response_bytes"]["response"].parsed
        for single in basic["tbs_response_data"]["responses"]:
            found.add(int(single["cert_id"]["serial_number"].native).to_bytes(20, "big"))
    except (KeyError, TypeError, ValueError):
        return


def _chain_names(path: Any, emb: Any) -> tuple[str, ...]:
    if path is None:
        return (str(emb.signer_cert.subject.native.get("common_name", "?")),)
    names = [str(c.subject.native.get("common_name", c.subject.human_friendly)) for c in path]
    return tuple(reversed(names))  # signer first, root last


def _field_names(handler: Any) -> set[str]:
    try:
        return {name for name, _, _ in enumerate_sig_fields(handler)}
    except (KeyError, TypeError):
        return set()


def _trailing_garbage(data: bytes) -> int:
    """Bytes other than white space after the last %%EOF: an appended tail no xref points to."""
    position = data.rfind(b"%%EOF")
    if position < 0:
        return len(data)
    return len(data[position + 5:].strip(b"\r\n\t \x00"))


def signing_time(report: SignatureReport) -> dt.datetime | None:
    """The best time we have for a signature: the verified timestamp, else the claimed time."""
    if report.timestamp_at is not None and report.timestamp_ok:
        return report.timestamp_at
    return report.signed_at
