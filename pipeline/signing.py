"""Sign PDF files with pyhanko, the way Vietnamese offices do (Nghị định 30/2020/NĐ-CP).

Used to build the test corpus and the demo portal, and by `python -m pipeline sign` for offices without
their own signing tool (issue 7: `sign_document`, with a PKCS#12 file or a PKCS#11 token and a
visible appearance, see stamps.py). The portal itself never signs anything.

- Every signature is an incremental update; its field is invisible unless an `Appearance` is given.
- `signing_time` controls the claimed signing time exactly: the CMS signingTime attribute for
  `adbe.pkcs7.detached`, the signature dictionary's /M for `ETSI.CAdES.detached` (PAdES forbids
  signingTime in the CMS, so pyhanko leaves it out), and the /ModDate of the new revision. Without a
  timestamp, signing the same bytes with the same identity and time gives the same bytes.
- Keys are loaded once per Identity object, and the space for the CMS is reserved up front, so
  pyhanko neither re-parses the key nor signs twice to size the field (~10 ms a signature).
- CRLs passed in `embed_crls` go into the document security store (/DSS) of the signed revision, so
  a validator with `allow_fetching=False` finds them with `DocumentSecurityStore.read_dss`.

Just over 400 lines: the corpus signer (fixed times, cached keys) and the office signer (any pyhanko
signer, visible fields) share the field and appearance set-up, so they stay together.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import threading
from dataclasses import dataclass
from typing import Literal

from asn1crypto import cms, core
from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.content import PdfContent
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.general import as_signing_certificate, simple_cms_attribute
from pyhanko.sign.signers.pdf_signer import PdfSigningSession
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.validation import DocumentSecurityStore
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from pipeline.corpus.pki import Identity

SubFilter = Literal["adbe.pkcs7.detached", "ETSI.CAdES.detached"]

PERSON_FIELD = "ChuKyNguoiKy"
ORGANISATION_FIELD = "ChuKyCoQuan"

_SUBFILTERS = {
    "adbe.pkcs7.detached": fields.SigSeedSubFilter.ADOBE_PKCS7_DETACHED,
    "ETSI.CAdES.detached": fields.SigSeedSubFilter.PADES,
}
# The CMS is written as a hex string: 2 characters a byte. Leave room for signed attributes, the
# signature value and, with a timestamp, the token's own SignedData.
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
    if sub_filter not in _SUBFILTERS:
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
        subfilter=_SUBFILTERS[sub_filter],
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
        new_field_spec=_field_spec(field_name, appearance),
        stamp_style=_stamp_style(appearance),
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


# --- Signing for offices (issue 7): any pyhanko signer, visible appearance -----------------------------


@dataclass(frozen=True)
class Appearance:
    """A visible signature: the widget's page (0-based) and rectangle (points, origin bottom left),
    drawn with `art` (a pyhanko PdfContent: an image or vector drawing, scaled to fit, proportions kept)."""

    page: int
    box: tuple[float, float, float, float]
    art: PdfContent


def _field_spec(field_name: str, appearance: Appearance | None) -> fields.SigFieldSpec:
    if appearance is None:
        return fields.SigFieldSpec(sig_field_name=field_name)
    x1, y1, x2, y2 = (round(v) for v in appearance.box)
    return fields.SigFieldSpec(sig_field_name=field_name, on_page=appearance.page, box=(x1, y1, x2, y2))


def _stamp_style(appearance: Appearance | None) -> StaticStampStyle | None:
    if appearance is None:
        return None
    return StaticStampStyle(
        background=appearance.art, border_width=0, background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID, y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(0), inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT,
        ),
    )


class SignerLoadError(Exception):
    """The key could not be loaded; the message says why, in Vietnamese."""


def pkcs12_signer(data: bytes, passphrase: bytes | None) -> signers.SimpleSigner:
    """A signer from a PKCS#12 (.p12/.pfx) archive: key, certificate and the chain it carries."""
    try:
        return signers.SimpleSigner.load_pkcs12_data(data, (), passphrase)
    except (ValueError, TypeError) as exc:
        raise SignerLoadError("không mở được tệp PKCS#12: sai mật khẩu, hoặc tệp không chứa khóa và chứng thư số"
                              ) from exc


def pkcs11_signer(library: str, token_label: str | None, key_label: str | None, pin: str | None,
                  cert_label: str | None = None) -> signers.Signer:
    """A signer on a PKCS#11 token (USB token, HSM) through pyhanko. Needs python-pkcs11 installed;
    not exercised by the tests (no token on the build machine)."""
    try:
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign import pkcs11
    except ImportError as exc:
        raise SignerLoadError("chưa cài thư viện PKCS#11: chạy '.venv/bin/pip install \'pyHanko[pkcs11]\'' "
                              "rồi thử lại") from exc
    try:
        session = pkcs11.open_pkcs11_session(library, token_criteria=TokenCriteria(label=token_label),
                                             user_pin=pin)
    except Exception as exc:  # python-pkcs11 raises its own error types, per driver
        raise SignerLoadError(f"không mở được thiết bị ký số qua {library}: {type(exc).__name__}: {exc}") from exc
    return pkcs11.PKCS11Signer(session, cert_label=cert_label or key_label, key_label=key_label)


def sign_document(
    pdf: bytes,
    signer: signers.Signer,
    *,
    field_name: str,
    appearance: Appearance | None = None,
    sub_filter: SubFilter = "adbe.pkcs7.detached",
    reason: str | None = None,
    location: str | None = None,
    reserved: int = 16384,
) -> bytes:
    """Append a signature by any pyhanko `signer` (PKCS#12, PKCS#11) as an incremental update, at
    the wall-clock time, visible when `appearance` is given."""
    if sub_filter not in _SUBFILTERS:
        raise ValueError(f"unsupported sub_filter {sub_filter!r}")
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=True)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name, subfilter=_SUBFILTERS[sub_filter], reason=reason, location=location,
        md_algorithm="sha256", signer_key_usage={"digital_signature"},
    )
    pdf_signer = signers.PdfSigner(meta, signer, new_field_spec=_field_spec(field_name, appearance),
                                   stamp_style=_stamp_style(appearance))
    out = pdf_signer.sign_pdf(writer, bytes_reserved=reserved)
    return bytes(out.getbuffer())
