"""Signature facts from pyhanko. The only module that imports pyhanko's validation API.

pyhanko's `bottom_line` is not enough (see shared/SIGNATURES.md), so besides its status we record
every anomaly we know of: filled signature fields pyhanko skipped, coverage short of the revision,
modifications beyond later signatures and validation data, fields added after a signature, bytes
after the last %%EOF, broken timestamps, violated seed values. Each becomes a `problem` (a reason
code and an English detail); policy.py turns facts into a verdict.

Certificates are judged at the time of signing (the "point in time" model of Adobe Reader and EU
DSS): at the time of the signature's timestamp when it has one, else at the time the signer claims,
never later than now. That is when the certificate had to be valid, and it keeps a verdict stable,
so it can be cached. A claimed time is only the signer's word, though: decide/trust.py judges the
certificate again at the document's first publication (which the worker cannot know, its results
being cached by content) from the facts reported here (validity of the path, times, key usage
verdict, subject, issuer and key fingerprint for portal.yml's pins).

Revocation is judged only from data embedded in the PDF (the DSS and the CMS
`adbe-revocationInfoArchival` attribute); nothing is ever fetched and the operating system's trust
store is never consulted. When the document carries revocation data for a signer's certificate,
pyhanko is told to require it for that certificate (`CRL_OR_OCSP_REQUIRED`): its "soft-fail" and
"hard-fail" modes would silently skip embedded CRLs for certificates without a distribution point.

Beside it: revocation.py reads the embedded revocation data, runner.py runs pyhanko's coroutines,
and verify_speedups.py holds faster library code that only the sandbox's workers install.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from asn1crypto import pem as asn1_pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils import generic as pdf_generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, DiffResult, ModificationLevel
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation.generic_cms import extract_tst_data_iter
from pyhanko.sign.validation.pdf_embedded import (
    EmbeddedPdfSignature,
    async_validate_pdf_signature,
    async_validate_pdf_timestamp,
)
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import InvalidCertificateError
from pyhanko_certvalidator.policy_decl import (
    CertRevTrustPolicy,
    RevocationCheckingPolicy,
    RevocationCheckingRule,
)
from pyhanko_certvalidator.registry import SimpleTrustManager

from pipeline.examine.revocation import Revinfo
from pipeline.examine.runner import run
from pipeline.normalize import fold
from pipeline.records import ReasonCode, SignatureReport, VerifyResult

SIGNATURE_SUB_FILTERS = ("/adbe.pkcs7.detached", "/ETSI.CAdES.detached")
TIMESTAMP_SUB_FILTERS = ("/ETSI.RFC3161",)
SUPPORTED_SUB_FILTERS = SIGNATURE_SUB_FILTERS + TIMESTAMP_SUB_FILTERS
# Difference analysis re-reads every revision; a signed letter has a handful.
MAX_REVISIONS = 64

# Vietnamese certificates often carry only digitalSignature; accept it or nonRepudiation (a certificate
# without a keyUsage extension fails: it allows neither explicitly). pyhanko checks this one.
_KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)
# An extendedKeyUsage extension, when present, binds (RFC 5280 4.2.1.12, critical or not): it must
# name a purpose compatible with signing documents, so a TLS-server-only certificate is refused.
# Without the extension, or with anyExtendedKeyUsage, every purpose is allowed
# (explicit_extd_key_usage_required=False). pyhanko 0.38 rebuilds the constraints it is given and
# drops that flag (StandardCMSSignatureStatus.default_usage_constraints), which would refuse every
# certificate without the extension, so this check is run here, on the signer's certificate.
DOCUMENT_SIGNING_PURPOSES = frozenset({
    "email_protection",  # S/MIME: what Vietnamese CAs put on signing tokens, beside clientAuth
    "1.3.6.1.5.5.7.3.36",  # id-kp-documentSigning (RFC 9336)
    "1.2.840.113583.1.1.5",  # Adobe Authentic Documents Trust
    "microsoft_document_signing",  # 1.3.6.1.4.1.311.10.3.12
})
_EXTENDED_KEY_USAGE = KeyUsageConstraints(
    extd_key_usage=DOCUMENT_SIGNING_PURPOSES, explicit_extd_key_usage_required=False
)

_SOFT = RevocationCheckingRule.CHECK_IF_DECLARED_SOFT
# Embedded revocation data present for the signer: it must be used. retroactive_revinfo lets a CRL
# or OCSP response issued after the signature speak about the time of signing (LTV data is usually
# added later); a revocation dated after the signature then does not invalidate it.
_REQUIRE_FOR_SIGNER = CertRevTrustPolicy(
    RevocationCheckingPolicy(RevocationCheckingRule.CRL_OR_OCSP_REQUIRED, _SOFT), retroactive_revinfo=True
)
_NOTHING_EMBEDDED = CertRevTrustPolicy(RevocationCheckingPolicy(_SOFT, _SOFT), retroactive_revinfo=True)

# pyhanko's AdES indications -> our certificate problems (reason code certificate-invalid).
_CERT_PROBLEMS = {
    "REVOKED": "revoked",
    "REVOKED_NO_POE": "revoked",
    "REVOKED_CA_NO_POE": "revoked",
    "EXPIRED": "expired",
    "OUT_OF_BOUNDS_NO_POE": "expired",
    "OUT_OF_BOUNDS_NOT_REVOKED": "expired",
    "NOT_YET_VALID": "not-yet-valid",
    "TRY_LATER": "revocation-unknown",
    "REVOCATION_OUT_OF_BOUNDS_NO_POE": "revocation-unknown",
    "SIG_CONSTRAINTS_FAILURE": "key-usage",
}
_ALGORITHM_PROBLEMS = {"CRYPTO_CONSTRAINTS_FAILURE", "CRYPTO_CONSTRAINTS_FAILURE_NO_POE"}


@dataclass(frozen=True)
class TrustAnchors:
    """Parsed roots, built once per worker process and reused for every document."""

    roots: tuple[asn1_x509.Certificate, ...]
    organisation_names: tuple[str, ...]  # folded names that identify the organisation's certificate
    trust_manager: SimpleTrustManager = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # An explicit (possibly empty) root list: never the operating system's store.
        object.__setattr__(self, "trust_manager", SimpleTrustManager.build(trust_roots=list(self.roots)))

    @classmethod
    def from_pem(cls, pems: tuple[bytes, ...], organisation_names: tuple[str, ...]) -> TrustAnchors:
        roots = []
        for pem in pems:
            for _, _, der in asn1_pem.unarmor(pem, multiple=True):
                roots.append(asn1_x509.Certificate.load(der))
        return cls(tuple(roots), tuple(fold(n) for n in organisation_names))


def verify_pdf(data: bytes, anchors: TrustAnchors, now: dt.datetime | None = None) -> VerifyResult:
    """Report every signature in `data`. Exceptions from the PDF reader propagate to the sandbox,
    which turns them into an `unreadable` refusal; a signature that cannot be validated is a
    `signature-invalid` fact, the other signatures are still reported."""
    now = now or dt.datetime.now(dt.UTC)
    problems: list[tuple[str, str]] = []
    trailing = _trailing_garbage(data)
    if trailing:
        problems.append((ReasonCode.MODIFIED_AFTER_SIGNING.value,
                         f"{trailing} bytes after the last %%EOF without an incremental update"))
    reader = PdfFileReader(BytesIO(data), strict=True)
    if reader.encrypted:
        return VerifyResult((), ((ReasonCode.UNREADABLE.value, "the file is encrypted"),))
    revisions = reader.xrefs.total_revisions
    if revisions > MAX_REVISIONS:
        return VerifyResult((), ((ReasonCode.UNREADABLE.value,
                                  f"{revisions} revisions, more than the limit of {MAX_REVISIONS}"),))

    all_fields = list(enumerate_sig_fields(reader))
    filled = [(name, value, ref) for name, value, ref in all_fields if bool(value)]  # pyhanko's "filled"
    if not filled:
        return VerifyResult((), ((ReasonCode.UNSIGNED.value, "no filled signature field"), *problems))
    embedded = []
    for name, value, field_ref in filled:
        sig_obj = value.get_object()
        sub_filter = str(sig_obj.get("/SubFilter", "")) if isinstance(sig_obj, pdf_generic.DictionaryObject) else ""
        if sub_filter not in SUPPORTED_SUB_FILTERS:
            problems.append((ReasonCode.SIGNATURE_INVALID.value,
                             f"signature field {name!r} has unsupported SubFilter {sub_filter or 'none'}"))
            continue
        # One by one (not reader.embedded_signatures): a forged /Contents or /ByteRange in one
        # signature must not hide the others from the report.
        try:
            embedded.append(EmbeddedPdfSignature(reader, field_ref, name))
        except (MemoryError, RecursionError):
            raise
        except Exception as exc:
            problems.append((ReasonCode.SIGNATURE_INVALID.value,
                             f"signature {name!r} cannot be read: {_describe(exc)}"))
    embedded.sort(key=lambda emb: emb.signed_revision)
    embedded_names = [str(emb.field_name) for emb in embedded]
    if len(embedded) != len(filled):
        skipped = [str(name) for name, _, _ in filled if str(name) not in embedded_names]
        problems.append((ReasonCode.SIGNATURE_INVALID.value,
                         f"{len(filled)} filled signature fields but {len(embedded)} verifiable signatures"
                         f" (not verifiable: {skipped})"))
    if embedded and all(emb.sig_object_type == "/DocTimeStamp" for emb in embedded):
        problems.append((ReasonCode.UNSIGNED.value, "only document timestamps, no signature"))

    revinfo = Revinfo.read(reader, embedded)
    problems.extend((ReasonCode.SIGNATURE_INVALID.value, f"{what} cannot be read: {_describe(exc)}")
                    for what, exc in revinfo.unreadable)
    final_fields = {str(name) for name, _, _ in all_fields}
    reports = []
    for index, emb in enumerate(embedded):
        checker = _SignatureCheck(reader, emb, anchors, revinfo, now,
                                  is_last=index == len(embedded) - 1,
                                  later_fields=frozenset(embedded_names[index + 1:]),
                                  final_fields=final_fields)
        try:
            reports.append(checker.report())
        except (MemoryError, RecursionError):
            raise
        except Exception as exc:  # pyhanko refuses the structure: the signature cannot be trusted
            problems.append((ReasonCode.SIGNATURE_INVALID.value,
                             f"signature {embedded_names[index]!r} cannot be validated: {_describe(exc)}"))

    if embedded:
        last = embedded[-1]
        coverage = last.coverage
        if coverage is None:  # its validation failed early
            try:
                coverage = last.evaluate_signature_coverage()
            except (MemoryError, RecursionError):
                raise
            except Exception:
                coverage = None
        whole_file = coverage == SignatureCoverageLevel.ENTIRE_FILE
        if not whole_file and revisions <= last.signed_revision + 1:
            problems.append((ReasonCode.MODIFIED_AFTER_SIGNING.value,
                             "bytes follow the last signed revision without an incremental update"))
    return VerifyResult(tuple(reports), tuple(problems))


class _SignatureCheck:
    """Validate one embedded signature or document timestamp and collect every anomaly."""

    def __init__(self, reader: PdfFileReader, emb: Any, anchors: TrustAnchors, revinfo: Revinfo,
                 now: dt.datetime, *, is_last: bool, later_fields: frozenset[str], final_fields: set[str]) -> None:
        self.reader = reader
        self.emb = emb
        self.anchors = anchors
        self.revinfo = revinfo
        self.now = now
        self.is_last = is_last
        self.later_fields = later_fields
        self.final_fields = final_fields
        self.problems: list[str] = []

    def report(self) -> SignatureReport:
        emb = self.emb
        is_doc_timestamp = emb.sig_object_type == "/DocTimeStamp"
        token_time = _token_time(emb, is_doc_timestamp)
        strict = False
        if is_doc_timestamp:
            moment = self._clamp(token_time)
            context = self._context(moment, strict=False)
            status: Any = run(async_validate_pdf_timestamp(emb, context, diff_policy=DEFAULT_DIFF_POLICY), context)
        else:
            moment = self._clamp(token_time or emb.self_reported_timestamp)
            # Only look for the signer's certificate here when there is revocation data at all:
            # pyhanko extracts it again during validation.
            strict = self.revinfo.present and self.revinfo.covers(emb.signer_cert)
            context = self._context(moment, strict=strict)
            # Without a token pyhanko never uses it (it would fall back to the signer's context).
            ts_context = (self._context(self._clamp(token_time), strict=False)
                          if token_time is not None or _has_content_timestamp(emb) else None)
            status = run(async_validate_pdf_signature(
                emb,
                context,
                ts_validation_context=ts_context,
                diff_policy=DEFAULT_DIFF_POLICY,
                key_usage_settings=_KEY_USAGE,
                skip_diff=False,
            ), context, ts_context)
        cert = status.signing_cert
        self._integrity(status, emb, is_doc_timestamp)
        if not is_doc_timestamp:
            self._extended_key_usage(cert)
        timestamp_at, timestamp_ok = self._timestamps(status, is_doc_timestamp)
        certificate_problem = self._certificate(status, cert, moment)
        subject = cert.subject.native
        chain = _chain_names(status.validation_path, cert)
        path_validity = _path_validity(status.validation_path, cert)
        organisation = subject.get("organization_name")
        if isinstance(organisation, list):
            organisation = ", ".join(organisation)
        common_name = subject.get("common_name") or cert.subject.human_friendly
        if isinstance(common_name, list):
            common_name = ", ".join(common_name)
        role = "person"
        if is_doc_timestamp:
            role = "timestamp"
        elif fold(str(common_name)) in self.anchors.organisation_names:
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
            revocation_checked=strict and (bool(status.trusted) or certificate_problem == "revoked"),
            certificate_problem=certificate_problem,
            coverage=status.coverage.name if status.coverage is not None else "UNKNOWN",
            modification=status.modification_level.name if status.modification_level is not None else "UNKNOWN",
            docmdp_ok=getattr(status, "docmdp_ok", None),
            problems=tuple(self.problems),
            role=role,
            serial=format(cert.serial_number, "x"),
            not_before=cert["tbs_certificate"]["validity"]["not_before"].native,
            not_after=cert["tbs_certificate"]["validity"]["not_after"].native,
            subject_dn=distinguished_name(cert.subject),
            issuer_dn=distinguished_name(cert.issuer),
            key_sha256=hashlib.sha256(cert.public_key.dump()).hexdigest(),
            path_not_before=max(validity[0] for validity in path_validity),
            path_not_after=min(validity[1] for validity in path_validity),
        )

    def _clamp(self, moment: dt.datetime | None) -> dt.datetime:
        """Validation time: the given time, never later than now (a claimed future is not trusted)."""
        if moment is None or moment.tzinfo is None:
            return self.now
        return min(moment, self.now)

    def _context(self, moment: dt.datetime, *, strict: bool) -> ValidationContext:
        return ValidationContext(
            trust_manager=self.anchors.trust_manager,
            other_certs=self.revinfo.certs,
            moment=moment,
            allow_fetching=False,
            crls=self.revinfo.crls,
            ocsps=self.revinfo.ocsps,
            revinfo_policy=_REQUIRE_FOR_SIGNER if strict else _NOTHING_EMBEDDED,
        )

    def _integrity(self, status: Any, emb: Any, is_doc_timestamp: bool) -> None:
        coverage = status.coverage
        if coverage is None or coverage < SignatureCoverageLevel.ENTIRE_REVISION:
            name = coverage.name if coverage is not None else "UNKNOWN"
            self.problems.append(f"signature-invalid: the byte range does not cover its whole revision ({name})")
        level = status.modification_level
        # After the last signature only validation data may follow; between signatures only the
        # next signatures themselves (and validation data).
        ceiling = ModificationLevel.LTA_UPDATES if self.is_last else ModificationLevel.FORM_FILLING
        if level is None or level > ceiling:
            self.problems.append(
                f"modified-after-signing: modification level {level.name if level else 'UNKNOWN'} after this signature"
            )
        diff = status.diff_result
        if diff is None:
            self.problems.append("modified-after-signing: difference analysis did not run")
        elif not isinstance(diff, DiffResult):
            self.problems.append(f"modified-after-signing: suspicious modification: {_one_line(diff)}")
        else:
            changed = set(diff.changed_form_fields or ()) - self.later_fields
            if changed:
                self.problems.append(f"modified-after-signing: form fields changed after signing: {sorted(changed)}")
        # pyhanko computes DocMDP compliance for signatures only; a document timestamp's changes
        # are judged by the modification level above.
        if not is_doc_timestamp and status.docmdp_ok is not True:
            self.problems.append("modified-after-signing: the changes after signing are not permitted (DocMDP)")
        if coverage != SignatureCoverageLevel.ENTIRE_FILE:
            signed_fields = _field_names(self.reader.get_historical_resolver(emb.signed_revision))
            added = self.final_fields - signed_fields - self.later_fields - {str(emb.field_name)}
            if added:
                self.problems.append(f"modified-after-signing: fields added after signing: {sorted(added)}")
        if getattr(status, "has_seed_values", False) and not status.seed_value_ok:
            self.problems.append(
                f"signature-invalid: seed value constraints violated: {_one_line(status.seed_value_constraint_error)}"
            )

    def _extended_key_usage(self, cert: asn1_x509.Certificate) -> None:
        try:
            _EXTENDED_KEY_USAGE.validate(cert)
        except InvalidCertificateError as exc:
            purposes = ", ".join(sorted(cert.extended_key_usage_value.native)) if cert.extended_key_usage_value else ""
            self.problems.append(f"certificate-invalid: key-usage: the certificate's extended key usage ({purposes}) "
                                 f"does not allow signing documents ({_one_line(exc)})")

    def _timestamps(self, status: Any, is_doc_timestamp: bool) -> tuple[dt.datetime | None, bool | None]:
        if is_doc_timestamp:
            return status.timestamp, bool(status.intact and status.valid and status.trusted)
        timestamp_at = None
        timestamp_ok = None
        for label, ts_status in (("signature", status.timestamp_validity),
                                 ("content", status.content_timestamp_validity)):
            if ts_status is None:
                continue
            ok = bool(ts_status.intact and ts_status.valid and ts_status.trusted)
            if not ok:
                self.problems.append(f"signature-invalid: the {label} timestamp is not intact, valid and trusted")
            if label == "signature":
                timestamp_at, timestamp_ok = ts_status.timestamp, ok
        return timestamp_at, timestamp_ok

    def _certificate(self, status: Any, cert: asn1_x509.Certificate, moment: dt.datetime) -> str | None:
        if status.revocation_details is not None:
            return "revoked"
        indic = status.trust_problem_indic
        if indic is None:
            return None
        validity = cert["tbs_certificate"]["validity"]
        if moment > validity["not_after"].native:
            return "expired"
        if moment < validity["not_before"].native:
            return "not-yet-valid"
        problem = _CERT_PROBLEMS.get(indic.name)
        if problem is None:
            if indic.name in _ALGORITHM_PROBLEMS:
                self.problems.append(f"signature-invalid: disallowed algorithm ({indic.name})")
            elif indic.name != "NO_CERTIFICATE_CHAIN_FOUND":
                self.problems.append(f"untrusted: {indic.name}")
        return problem


def _token_time(emb: Any, is_doc_timestamp: bool) -> dt.datetime | None:
    """The time in the signature's timestamp token (or of a document timestamp), not yet verified:
    pyhanko verifies the token, and a token that fails is a refusal anyway."""
    try:
        if is_doc_timestamp:
            signed_data = emb.signed_data
        else:
            signed_data = next(extract_tst_data_iter(emb.signer_info, signed=False), None)
            if signed_data is None:
                return None
        moment = signed_data["encap_content_info"]["content"].parsed["gen_time"].native
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    return moment if isinstance(moment, dt.datetime) else None


def _has_content_timestamp(emb: Any) -> bool:
    try:
        return next(extract_tst_data_iter(emb.signer_info, signed=True), None) is not None
    except (KeyError, TypeError, ValueError, AttributeError):
        return True  # let pyhanko judge it with a timestamp context


def _chain_names(path: Any, cert: asn1_x509.Certificate) -> tuple[str, ...]:
    if path is None:
        return (str(cert.subject.native.get("common_name", cert.subject.human_friendly)),)
    names = [str(c.subject.native.get("common_name", c.subject.human_friendly)) for c in path]
    return tuple(reversed(names))  # signer first, root last


def _path_validity(path: Any, cert: asn1_x509.Certificate) -> list[tuple[dt.datetime, dt.datetime]]:
    """(not_before, not_after) of the signer and its intermediates: the trust anchor's own dates are
    not part of path validation (RFC 5280 6.1), so they are left out."""
    certs = [cert]
    if path is not None:
        certs += [c for c in path.iter_certs(include_root=False) if isinstance(c, asn1_x509.Certificate)]
    return [(c["tbs_certificate"]["validity"]["not_before"].native,
             c["tbs_certificate"]["validity"]["not_after"].native) for c in certs]


# RFC 4514 short names (and the customary E, UID, SERIALNUMBER, T...) for the attributes Vietnamese
# certificates carry; any other attribute is written as its dotted OID. config.py's DN parser reads
# the same names, so what a refusal prints can be pasted into portal.yml.
_DN_NAMES = {
    "2.5.4.3": "CN", "2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.6": "C", "2.5.4.7": "L", "2.5.4.8": "ST",
    "2.5.4.9": "STREET", "2.5.4.5": "SERIALNUMBER", "2.5.4.12": "T", "2.5.4.4": "SN", "2.5.4.42": "GN",
    "1.2.840.113549.1.9.1": "E", "0.9.2342.19200300.100.1.1": "UID", "0.9.2342.19200300.100.1.25": "DC",
}


def distinguished_name(name: asn1_x509.Name) -> str:
    """`name` as RFC 4514 text, most specific RDN first: "CN=Liên đoàn...,O=...,C=VN"."""
    rdns = []
    for rdn in reversed(list(name.chosen)):
        parts = []
        for ava in rdn:
            oid = ava["type"].dotted
            value = ava["value"].native
            text = value if isinstance(value, str) else ava["value"].dump().hex()
            parts.append(f"{_DN_NAMES.get(oid, oid)}={_escape_dn_value(unicodedata.normalize('NFC', text))}")
        rdns.append("+".join(parts))
    return ",".join(rdns)


def _escape_dn_value(value: str) -> str:
    escaped = "".join("\\" + c if c in '\\,+"<>;=' else c for c in value)
    if escaped.startswith(("#", " ")):
        escaped = "\\" + escaped
    if escaped.endswith(" ") and not escaped.endswith("\\ "):
        escaped = escaped[:-1] + "\\ "
    return escaped


def _field_names(handler: Any) -> set[str]:
    try:
        return {str(name) for name, _, _ in enumerate_sig_fields(handler)}
    except (KeyError, TypeError):
        return set()


def _trailing_garbage(data: bytes) -> int:
    """Bytes other than white space after the last %%EOF: an appended tail no xref points to."""
    position = data.rfind(b"%%EOF")
    if position < 0:
        return len(data)
    return len(data[position + 5:].strip(b"\r\n\t \x00"))


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {_one_line(exc)}"


def _one_line(value: object, limit: int = 400) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def signing_time(report: SignatureReport) -> dt.datetime | None:
    """The best time we have for a signature: the verified timestamp, else the claimed time."""
    if report.timestamp_at is not None and report.timestamp_ok:
        return report.timestamp_at
    return report.signed_at
