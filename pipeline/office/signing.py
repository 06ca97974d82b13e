"""Sign PDF files with pyhanko, the way Vietnamese offices do (Nghị định 30/2020/NĐ-CP).

Used by `python -m pipeline sign` for offices without their own signing tool (issue 7:
`sign_document`, with a PKCS#12 file or a PKCS#11 token and a visible appearance, see stamps.py).
The portal itself never signs anything. The test corpus and the demo are signed by corpus/signing.py
(fixed times, cached keys), which shares the field and appearance set-up below.

- Every signature is an incremental update; its field is invisible unless an `Appearance` is given.
- `signing_time` controls the claimed signing time exactly: the CMS signingTime attribute for
  `adbe.pkcs7.detached`, the signature dictionary's /M for `ETSI.CAdES.detached` (PAdES forbids
  signingTime in the CMS, so pyhanko leaves it out), and the /ModDate of the new revision. Without a
  timestamp, signing the same bytes with the same identity and time gives the same bytes.
- Keys are loaded once per Identity object, and the space for the CMS is reserved up front, so
  pyhanko neither re-parses the key nor signs twice to size the field (~10 ms a signature).
- CRLs passed in `embed_crls` go into the document security store (/DSS) of the signed revision, so
  a validator with `allow_fetching=False` finds them with `DocumentSecurityStore.read_dss`.

"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Literal

from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.content import PdfContent
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.stamp import StaticStampStyle

SubFilter = Literal["adbe.pkcs7.detached", "ETSI.CAdES.detached"]

PERSON_FIELD = "ChuKyNguoiKy"
ORGANISATION_FIELD = "ChuKyCoQuan"

SUBFILTERS = {
    "adbe.pkcs7.detached": fields.SigSeedSubFilter.ADOBE_PKCS7_DETACHED,
    "ETSI.CAdES.detached": fields.SigSeedSubFilter.PADES,
}
# The CMS is written as a hex string: 2 characters a byte. Leave room for signed attributes, the
# signature value and, with a timestamp, the token's own SignedData.


# --- Signing for offices (issue 7): any pyhanko signer, visible appearance -----------------------------


@dataclass(frozen=True)
class Appearance:
    """A visible signature: the widget's page (0-based) and rectangle (points, origin bottom left),
    drawn with `art` (a pyhanko PdfContent: an image or vector drawing, scaled to fit, proportions kept)."""

    page: int
    box: tuple[float, float, float, float]
    art: PdfContent


def field_spec(field_name: str, appearance: Appearance | None) -> fields.SigFieldSpec:
    if appearance is None:
        return fields.SigFieldSpec(sig_field_name=field_name)
    x1, y1, x2, y2 = (round(v) for v in appearance.box)
    return fields.SigFieldSpec(sig_field_name=field_name, on_page=appearance.page, box=(x1, y1, x2, y2))


def stamp_style(appearance: Appearance | None) -> StaticStampStyle | None:
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
    if sub_filter not in SUBFILTERS:
        raise ValueError(f"unsupported sub_filter {sub_filter!r}")
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=True)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name, subfilter=SUBFILTERS[sub_filter], reason=reason, location=location,
        md_algorithm="sha256", signer_key_usage={"digital_signature"},
    )
    pdf_signer = signers.PdfSigner(meta, signer, new_field_spec=field_spec(field_name, appearance),
                                   stamp_style=stamp_style(appearance))
    out = pdf_signer.sign_pdf(writer, bytes_reserved=reserved)
    return bytes(out.getbuffer())
