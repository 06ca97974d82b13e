"""Signing for the test corpus, the benchmarks and the demo portal: fixed signing times, keys loaded
once per identity, optional offline timestamps and embedded CRLs. Not part of the product; the
office's signer is pipeline/office/signing.py, whose field and appearance set-up it shares.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import threading
from dataclasses import dataclass

from asn1crypto import cms, core
from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.general import as_signing_certificate, simple_cms_attribute
from pyhanko.sign.signers.pdf_signer import PdfSigningSession
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.validation import DocumentSecurityStore
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from corpus.pki import Identity
from pipeline.office.signing import (
    ORGANISATION_FIELD,
    PERSON_FIELD,
    SUBFILTERS,
    Appearance,
    SubFilter,
    field_spec,
    stamp_style,
)

_MIN_RESERVED = 8192
_CMS_OVERHEAD = 1536
_TOKEN_OVERHEAD = 1536


def _asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


@dataclass(frozen=True)
class _Material:
    """What pyhanko needs of an Identity, converted once."""

    cert: asn1_x509.Certificate
    key_info: asn1_keys.PrivateKeyInfo
    chain: tuple[asn1_x509.Certificate, ...]
    der_size: int  # certificate + chain, DER bytes


class _PreloadedKeySigner(signers.SimpleSigner):
    """SimpleSigner that signs with an already-parsed `cryptography` key.

    pyhanko's SimpleSigner.sign_raw re-parses the DER private key on every call (several ms for
    RSA, since cryptography checks the key); this keeps the parsed key instead.
    """

    def __init__(self, identity: Identity, material: _Material) -> None:
        super().__init__(
            signing_cert=material.cert,
            signing_key=material.key_info,
            cert_registry=SimpleCertificateStore.from_certs(material.chain),
        )
        self._pyca_key = identity.key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        if mechanism.signature_algo == "rsassa_pkcs1v15":
            return self._pyca_key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        return super().sign_raw(data, digest_algorithm)


class _FixedTimePdfSigner(signers.PdfSigner):
    """PdfSigner whose signing session uses a given time instead of the wall clock.

    pyhanko takes the claimed signing time from `PdfSigningSession.system_time`, which
    `init_signing_session` sets to `datetime.now()`; the session is the only place to change it.
    """

    def __init__(self, *args: object, signing_time: dt.datetime | None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._signing_time = signing_time

    def init_signing_session(
        self, pdf_out: BasePdfFileWriter, existing_fields_only: bool = False
    ) -> PdfSigningSession:
        session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
        if self._signing_time is not None:
            session.system_time = self._signing_time
        return session


class _RevisionWriter(IncrementalPdfFileWriter):
    """Incremental writer that stamps /ModDate and the second /ID half from the signing time.

    pyhanko writes the wall clock into /ModDate and a random second ID; deriving both from the
    input makes a signed corpus reproducible and keeps its dates consistent with the signatures.
    """

    def __init__(self, data: bytes, field_name: str, moment: dt.datetime | None) -> None:
        super().__init__(io.BytesIO(data), strict=True)
        self._moment = moment
        if moment is not None:
            seed = hashlib.sha256(data + field_name.encode() + moment.isoformat().encode()).digest()
            id1 = self._document_id[0]
            self._document_id = generic.ArrayObject([id1, generic.ByteStringObject(seed[:16])])

    def _update_meta(self) -> None:
        super()._update_meta()
        if self._moment is not None and self._info is not None:
            info = self._info.get_object()
            if "/ModDate" in info:
                info["/ModDate"] = generic.pdf_date(self._moment)


_CACHE_LOCK = threading.Lock()
# id(identity) -> (identity, material, signer). Holding the identity keeps its id from being reused.
_CACHE: dict[int, tuple[Identity, _Material, _PreloadedKeySigner]] = {}
_CACHE_SIZE = 64


def _cached(identity: Identity) -> tuple[_Material, _PreloadedKeySigner]:
    with _CACHE_LOCK:
        entry = _CACHE.get(id(identity))
        if entry is not None and entry[0] is identity:
            return entry[1], entry[2]
        material = _Material(
            cert=_asn1_cert(identity.cert),
            key_info=asn1_keys.PrivateKeyInfo.load(
                identity.key.private_bytes(
                    serialization.Encoding.DER,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            ),
            chain=tuple(_asn1_cert(c) for c in identity.chain),
            der_size=sum(
                len(c.public_bytes(serialization.Encoding.DER)) for c in (identity.cert, *identity.chain)
            ),
        )
        signer = _PreloadedKeySigner(identity, material)
        if len(_CACHE) >= _CACHE_SIZE:  # tests mint many throw-away identities
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[id(identity)] = (identity, material, signer)
        return material, signer


class _PreloadedKeyTimeStamper(DummyTimeStamper):
    """pyhanko's offline test TSA, signing with an already-parsed key.

    DummyTimeStamper re-parses its DER key for every token (~40 ms for RSA-2048, as cryptography
    checks the key); this overrides its `_sign_tst_info` (pyhanko 0.38) to reuse the parsed key.
    """

    def __init__(self, tsa: Identity, material: _Material, moment: dt.datetime | None) -> None:
        super().__init__(
            tsa_cert=material.cert,
            tsa_key=material.key_info,
            certs_to_embed=SimpleCertificateStore.from_certs(material.chain),
            fixed_dt=moment,
        )
        self._pyca_key = tsa.key

    def _sign_tst_info(
        self, tst_info_data: bytes, md_algorithm: str, moment: dt.datetime
    ) -> tuple[bytes, cms.CMSAttributes]:
        digest = hashes.Hash(get_pyca_cryptography_hash(md_algorithm))
        digest.update(tst_info_data)
        signed_attrs = cms.CMSAttributes(
            [
                simple_cms_attribute("content_type", "tst_info"),
                simple_cms_attribute("signing_time", cms.Time({"utc_time": core.UTCTime(moment)})),
                simple_cms_attribute("signing_certificate", as_signing_certificate(self.tsa_cert)),
                simple_cms_attribute("message_digest", digest.finalize()),
            ]
        )
        signature = self._pyca_key.sign(
            signed_attrs.dump(), PKCS1v15(), get_pyca_cryptography_hash(md_algorithm.upper())
        )
        return signature, signed_attrs


def _timestamper(tsa: Identity, moment: dt.datetime | None) -> DummyTimeStamper:
    material, _ = _cached(tsa)
    return _PreloadedKeyTimeStamper(tsa, material, moment)


def _normalise_time(signing_time: dt.datetime | None) -> dt.datetime | None:
    if signing_time is None:
        return None
    if signing_time.tzinfo is None:
        raise ValueError("signing_time must be timezone-aware")
    # CMS signingTime and PDF dates have one-second resolution.
    return signing_time.replace(microsecond=0)


def sign_pdf(
    pdf: bytes,
    identity: Identity,
    *,
    field_name: str,
    signing_time: dt.datetime | None = None,
    sub_filter: SubFilter = "adbe.pkcs7.detached",
    timestamp: bool = False,
    tsa: Identity | None = None,
    timestamp_time: dt.datetime | None = None,
    embed_crls: tuple[x509.CertificateRevocationList, ...] = (),
    reason: str | None = None,
    location: str | None = None,
    appearance: Appearance | None = None,
) -> bytes:
    """Append an approval signature by `identity` in a new field `field_name` (invisible, unless an
    `appearance` places it on a page).

    `signing_time` (aware; microseconds dropped) becomes the claimed signing time; by default the
    wall clock. With `timestamp=True` a signature timestamp token from `tsa` (pyhanko's
    DummyTimeStamper, RSA only) is added, dated `timestamp_time` or else the signing time. The
    signer's key usage is not checked here: certificates with only digitalSignature sign too.
    """
    if sub_filter not in SUBFILTERS:
        raise ValueError(f"unsupported sub_filter {sub_filter!r}")
    if timestamp and tsa is None:
        raise ValueError("timestamp=True needs a TSA identity (tsa=...)")
    moment = _normalise_time(signing_time)
    material, signer = _cached(identity)

    timestamper = None
    reserved = max(_MIN_RESERVED, 2 * (material.der_size + _CMS_OVERHEAD))
    if timestamp:
        assert tsa is not None
        ts_moment = _normalise_time(timestamp_time) or moment
        timestamper = _timestamper(tsa, ts_moment)
        tsa_material, _ = _cached(tsa)
        reserved += 2 * (tsa_material.der_size + _TOKEN_OVERHEAD)

    writer = _RevisionWriter(pdf, field_name, moment)
    if embed_crls:
        DocumentSecurityStore.supply_dss_in_writer(
            writer,
            None,
            crls=[asn1_crl.CertificateList.load(c.public_bytes(serialization.Encoding.DER)) for c in embed_crls],
            certs=[material.cert, *material.chain],
        )

    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        subfilter=SUBFILTERS[sub_filter],
        reason=reason,
        location=location,
        md_algorithm="sha256",
        # Only consulted when pyhanko validates before signing; keep it permissive on purpose.
        signer_key_usage={"digital_signature"},
    )
    pdf_signer = _FixedTimePdfSigner(
        meta,
        signer,
        timestamper=timestamper,
        new_field_spec=field_spec(field_name, appearance),
        stamp_style=stamp_style(appearance),
        signing_time=moment,
    )
    out = pdf_signer.sign_pdf(writer, bytes_reserved=reserved)
    return bytes(out.getbuffer())


def sign_letter(
    pdf: bytes,
    person: Identity,
    organisation: Identity,
    *,
    person_time: dt.datetime,
    organisation_time: dt.datetime,
    sub_filter: SubFilter = "adbe.pkcs7.detached",
) -> bytes:
    """Nghị định 30 order: the person with authority signs first, then the office signs with the
    organisation's certificate."""
    if organisation_time < person_time:
        raise ValueError("the organisation signs after the person")
    signed = sign_pdf(
        pdf, person, field_name=PERSON_FIELD, signing_time=person_time, sub_filter=sub_filter
    )
    return sign_pdf(
        signed,
        organisation,
        field_name=ORGANISATION_FIELD,
        signing_time=organisation_time,
        sub_filter=sub_filter,
    )


