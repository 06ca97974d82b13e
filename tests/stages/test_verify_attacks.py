"""Issue 3: every attack class on signed PDFs, generated on our own signed letters, is refused with
its reason code; legitimate variants (timestamp, CAdES, no nonRepudiation, embedded CRL) publish.

Each file goes through the real sandbox pool (`sandbox.examine_all`), then `policy.judge`, as in a
build; a final real build mixes every attack with good letters. Attacks are built the way the
literature describes them (Mladenov et al., "1 Trillion Dollar Refund", CCS 2019; Mainka et al.,
"Shadow Attacks", NDSS 2021): objects prepared before signing and switched on by a later
incremental update, /ByteRange and /Contents manipulated in place, bytes flipped, look-alike CAs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import pytest
from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from kit import ICT, Portal, inspect_json, make_portal, run
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from corpus.letters import Letter, demo_letters, render_letter
from corpus.pki import DEMO_ORG, DemoPki, Identity, make_crl, make_leaf, make_tsa
from corpus.signing import sign_pdf
from pipeline.config import PortalConfig, load_config
from pipeline.decide.policy import judge
from pipeline.examine.sandbox import Job, Limits, examine_all
from pipeline.examine.verify import TrustAnchors
from pipeline.office.signing import ORGANISATION_FIELD, PERSON_FIELD
from pipeline.records import Inspection, InspectionFailure

PERSON_TIME = dt.datetime(2026, 9, 15, 8, 30, tzinfo=ICT)
ORGANISATION_TIME = PERSON_TIME + dt.timedelta(minutes=45)


def _letter(index: int) -> Letter:
    """A publishable demo letter with its own number, so every generated file is distinct."""
    base = next(letter for letter in demo_letters() if letter.type_name == "Công văn" and not letter.secrecy)
    return dataclasses.replace(base, number=f"{700 + index}/LĐLĐ",
                               subject=f"thử nghiệm xác minh chữ ký số, mẫu {index:03d} của bộ thử tấn công")


def _two_signatures(pdf: bytes, person: Identity, organisation: Identity, **kwargs: object) -> bytes:
    signed = sign_pdf(pdf, person, field_name=PERSON_FIELD, signing_time=PERSON_TIME, **kwargs)  # type: ignore[arg-type]
    return sign_pdf(signed, organisation, field_name=ORGANISATION_FIELD,  # type: ignore[arg-type]
                    signing_time=ORGANISATION_TIME, **kwargs)


def _sign_with_revocation_in_cms(pdf: bytes, identity: Identity, organisation: Identity, root: Identity,
                                 crl: x509.CertificateRevocationList) -> bytes:
    """Sign (now, wall clock) with the CRL inside the CMS signed attributes (Adobe's
    adbe-revocationInfoArchival), as adbe.pkcs7.detached signing tools do; pyhanko embeds every CRL
    of the validation context it validates the signer with (soft-fail: it does not judge it)."""
    def der(item: x509.Certificate | x509.CertificateRevocationList) -> bytes:
        return item.public_bytes(serialization.Encoding.DER)

    context = ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(der(root.cert))], allow_fetching=False,
        other_certs=[asn1_x509.Certificate.load(der(c)) for c in identity.chain],
        crls=[asn1_crl.CertificateList.load(der(crl))])
    meta = signers.PdfSignatureMetadata(
        field_name=PERSON_FIELD, embed_validation_info=True, validation_context=context, md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.ADOBE_PKCS7_DETACHED, signer_key_usage={"digital_signature"})
    signer = signers.SimpleSigner.load_pkcs12_data(identity.pkcs12(), other_certs=[], passphrase=None)
    out = signers.PdfSigner(meta, signer).sign_pdf(IncrementalPdfFileWriter(BytesIO(pdf), strict=True))
    signed = out.getvalue()
    return sign_pdf(signed, organisation, field_name=ORGANISATION_FIELD)


def _with_seed_value(pdf: bytes) -> bytes:
    """An empty person's field whose seed value dictionary only allows the reason "Phê duyệt"."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=True)
    fields.append_signature_field(writer, fields.SigFieldSpec(PERSON_FIELD, seed_value_dict=fields.SigSeedValueSpec(
        flags=fields.SigSeedValFlags.REASONS, reasons=["Phê duyệt"])))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


class _SeedValuesIgnored(signers.PdfSigner):
    _ignore_sv = True  # what a careless signing tool does


def _sign_against_seed_value(pdf: bytes, identity: Identity, organisation: Identity) -> bytes:
    meta = signers.PdfSignatureMetadata(field_name=PERSON_FIELD, reason="Khác", md_algorithm="sha256",
                                        signer_key_usage={"digital_signature"})
    signer = signers.SimpleSigner.load_pkcs12_data(identity.pkcs12(), other_certs=[], passphrase=None)
    signed = _SeedValuesIgnored(meta, signer).sign_pdf(IncrementalPdfFileWriter(BytesIO(pdf), strict=True))
    return sign_pdf(signed.getvalue(), organisation, field_name=ORGANISATION_FIELD, signing_time=ORGANISATION_TIME)


def _document_timestamp(pdf: bytes, tsa: Identity) -> bytes:
    """A PAdES document timestamp (/DocTimeStamp, ETSI.RFC3161) from pyhanko's offline TSA."""
    def der(cert: x509.Certificate) -> bytes:
        return cert.public_bytes(serialization.Encoding.DER)

    key = asn1_keys.PrivateKeyInfo.load(tsa.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    stamper = DummyTimeStamper(tsa_cert=asn1_x509.Certificate.load(der(tsa.cert)), tsa_key=key,
                               certs_to_embed=SimpleCertificateStore.from_certs(
                                   [asn1_x509.Certificate.load(der(c)) for c in tsa.chain]))
    out = signers.PdfTimeStamper(stamper).timestamp_pdf(IncrementalPdfFileWriter(BytesIO(pdf), strict=True), "sha256")
    return out.getvalue()


# --- Incremental updates -------------------------------------------------------------------------

def _update(data: bytes, change: Callable[[IncrementalPdfFileWriter], None]) -> bytes:
    writer = IncrementalPdfFileWriter(BytesIO(data), strict=True)
    change(writer)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _page(writer: IncrementalPdfFileWriter) -> tuple[generic.DictionaryObject, generic.IndirectObject]:
    page_ref, _ = writer.find_page_for_modification(0)
    return page_ref.get_object(), page_ref


def _form_xobject(writer: IncrementalPdfFileWriter, content: bytes) -> generic.IndirectObject:
    stream = generic.StreamObject({
        pdf_name("/Type"): pdf_name("/XObject"),
        pdf_name("/Subtype"): pdf_name("/Form"),
        pdf_name("/BBox"): generic.ArrayObject([generic.NumberObject(n) for n in (0, 0, 595, 842)]),
        pdf_name("/Resources"): generic.DictionaryObject(),
    }, stream_data=content)
    return writer.add_object(stream)


def _page_resources(writer: IncrementalPdfFileWriter) -> generic.DictionaryObject:
    page, page_ref = _page(writer)
    resources = page.get("/Resources")
    if isinstance(resources, generic.IndirectObject) or "/Resources" not in page:
        resources = generic.DictionaryObject(page.get("/Resources", generic.DictionaryObject()))
        page[pdf_name("/Resources")] = resources
    writer.mark_update(page_ref)
    return resources


def _set_xobject(writer: IncrementalPdfFileWriter, name: str, ref: generic.IndirectObject) -> None:
    resources = _page_resources(writer)
    xobjects = resources.get("/XObject")
    xobjects = generic.DictionaryObject(xobjects.get_object() if xobjects is not None else {})
    xobjects[pdf_name(name)] = ref
    resources[pdf_name("/XObject")] = xobjects


COVER = b"q 1 1 1 rg 60 300 480 300 re f Q"
FAKE_TEXT = b"BT /F1 14 Tf 80 500 Td (CHUYEN KHOAN 999.999.999 DONG) Tj ET"


def incremental_content(signed: bytes) -> bytes:
    """Incremental saving: a later revision paints a new content stream over page 1."""
    def change(writer: IncrementalPdfFileWriter) -> None:
        stream = writer.add_object(generic.StreamObject(stream_data=COVER))
        writer.add_stream_to_page(0, stream)
    return _update(signed, change)


def incremental_page(signed: bytes) -> bytes:
    """Incremental saving: a later revision adds a page."""
    def change(writer: IncrementalPdfFileWriter) -> None:
        pages_ref = writer.root.raw_get("/Pages")
        pages = pages_ref.get_object()
        page = generic.DictionaryObject({
            pdf_name("/Type"): pdf_name("/Page"), pdf_name("/Parent"): pages_ref,
            pdf_name("/MediaBox"): generic.ArrayObject([generic.NumberObject(n) for n in (0, 0, 595, 842)]),
            pdf_name("/Contents"): writer.add_object(generic.StreamObject(stream_data=COVER)),
        })
        pages["/Kids"].append(writer.add_object(page))
        pages[pdf_name("/Count")] = generic.NumberObject(int(pages["/Count"]) + 1)
        writer.update_container(pages["/Kids"])
        writer.mark_update(pages_ref)
    return _update(signed, change)


def incremental_annotation(signed: bytes) -> bytes:
    """Incremental saving: a visible FreeText comment added after signing."""
    def change(writer: IncrementalPdfFileWriter) -> None:
        page, page_ref = _page(writer)
        annot = writer.add_object(generic.DictionaryObject({
            pdf_name("/Type"): pdf_name("/Annot"), pdf_name("/Subtype"): pdf_name("/FreeText"),
            pdf_name("/Rect"): generic.ArrayObject([generic.NumberObject(n) for n in (80, 480, 520, 520)]),
            pdf_name("/Contents"): generic.pdf_string("Đã hủy"), pdf_name("/DA"): generic.pdf_string("/Helv 14 Tf 0 g"),
            pdf_name("/F"): generic.NumberObject(4),
        }))
        annots = page.get("/Annots")
        page[pdf_name("/Annots")] = generic.ArrayObject([*(annots.get_object() if annots else []), annot])
        writer.mark_update(page_ref)
    return _update(signed, change)


def empty_field_after(signed: bytes) -> bytes:
    """A new, visible, empty signature field added after the signatures (pyhanko alone allows it)."""
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field

    def change(writer: IncrementalPdfFileWriter) -> None:
        append_signature_field(writer, SigFieldSpec("ChuKyThem", box=(380, 80, 560, 140)))
    return _update(signed, change)


def trailing_bytes(signed: bytes) -> bytes:
    """Bytes appended after the last %%EOF without an xref: invisible to pyhanko's revisions."""
    return signed + b"\n5 0 obj\n<< /Injected true >>\nendobj\n"


def flipped_byte(signed: bytes) -> bytes:
    """One byte changed inside the first signed revision (the producer string)."""
    position = signed.index(b"ReportLab")
    return signed[:position] + b"X" + signed[position + 1:]


def _encrypted(signed: bytes) -> bytes:
    """The letter re-saved with an (empty) user password: its text and signatures are encrypted."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(BytesIO(signed)))
    writer.encrypt(user_password="", owner_password="congbo", algorithm="AES-128")
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _many_revisions(signed: bytes, count: int) -> bytes:
    """`count` trivial incremental updates: difference analysis would re-read every revision."""
    for index in range(count):
        def change(writer: IncrementalPdfFileWriter, index: int = index) -> None:
            writer.add_object(generic.NumberObject(index))
            writer.update_root()
        signed = _update(signed, change)
    return signed


# --- Shadow attacks: prepared before signing, switched on after ---------------------------------

def shadow_hide(unsigned: bytes, signer: Callable[[bytes], bytes]) -> bytes:
    """Hide: the signed document shows an overlay XObject /Cover over part of the text; the update
    re-points /Cover to an empty XObject, revealing what the signer never saw."""
    def prepare(writer: IncrementalPdfFileWriter) -> None:
        _set_xobject(writer, "/Cover", _form_xobject(writer, COVER))
        writer.add_stream_to_page(0, writer.add_object(generic.StreamObject(stream_data=b"q /Cover Do Q")))

    def reveal(writer: IncrementalPdfFileWriter) -> None:
        _set_xobject(writer, "/Cover", _form_xobject(writer, b""))
    return _update(signer(_update(unsigned, prepare)), reveal)


def shadow_replace(unsigned: bytes, signer: Callable[[bytes], bytes]) -> bytes:
    """Replace: an unused XObject /Fake with other text sits in the page resources at signing
    time; the update appends a content stream that draws it over the letter."""
    def prepare(writer: IncrementalPdfFileWriter) -> None:
        _set_xobject(writer, "/Fake", _form_xobject(writer, COVER + FAKE_TEXT))

    def switch_on(writer: IncrementalPdfFileWriter) -> None:
        writer.add_stream_to_page(0, writer.add_object(generic.StreamObject(stream_data=b"q /Fake Do Q")))
    return _update(signer(_update(unsigned, prepare)), switch_on)


def shadow_hide_and_replace(unsigned: bytes, signer: Callable[[bytes], bytes]) -> bytes:
    """Hide-and-replace: a complete fake page content stream is in the file at signing time but
    unused; the update only swaps the page's /Contents reference to it."""
    holder: dict[str, generic.IndirectObject] = {}

    def prepare(writer: IncrementalPdfFileWriter) -> None:
        fake = writer.add_object(generic.StreamObject(stream_data=FAKE_TEXT))
        root = writer.root
        root[pdf_name("/CongboUnused")] = fake  # kept alive, drawn nowhere
        writer.update_root()

    def swap(writer: IncrementalPdfFileWriter) -> None:
        fake = writer.root.raw_get("/CongboUnused")
        page, page_ref = _page(writer)
        page[pdf_name("/Contents")] = fake
        writer.mark_update(page_ref)
        holder["fake"] = fake
    return _update(signer(_update(unsigned, prepare)), swap)


def shadow_form_value(unsigned: bytes, signer: Callable[[bytes], bytes]) -> bytes:
    """Hide via form: a text field shows one value at signing time; the update changes its value
    and appearance (pyhanko alone calls this form filling)."""
    def widget(writer: IncrementalPdfFileWriter, text: str) -> generic.IndirectObject:
        return _form_xobject(writer, f"BT /Helv 12 Tf 2 4 Td ({text}) Tj ET".encode())

    def prepare(writer: IncrementalPdfFileWriter) -> None:
        page, page_ref = _page(writer)
        field = writer.add_object(generic.DictionaryObject({
            pdf_name("/Type"): pdf_name("/Annot"), pdf_name("/Subtype"): pdf_name("/Widget"),
            pdf_name("/FT"): pdf_name("/Tx"), pdf_name("/T"): generic.pdf_string("SoTien"),
            pdf_name("/V"): generic.pdf_string("1.000.000"), pdf_name("/P"): page_ref,
            pdf_name("/Rect"): generic.ArrayObject([generic.NumberObject(n) for n in (80, 480, 300, 500)]),
            pdf_name("/AP"): generic.DictionaryObject({pdf_name("/N"): widget(writer, "1.000.000")}),
            pdf_name("/F"): generic.NumberObject(4),
        }))
        page[pdf_name("/Annots")] = generic.ArrayObject([field])
        writer.mark_update(page_ref)
        form = generic.DictionaryObject({pdf_name("/Fields"): generic.ArrayObject([field])})
        writer.root[pdf_name("/AcroForm")] = form
        writer.update_root()

    def change(writer: IncrementalPdfFileWriter) -> None:
        field_ref = writer.root["/AcroForm"]["/Fields"].raw_get(0)
        field = field_ref.get_object()
        field[pdf_name("/V")] = generic.pdf_string("999.000.000")
        field[pdf_name("/AP")] = generic.DictionaryObject({pdf_name("/N"): widget(writer, "999.000.000")})
        writer.mark_update(field_ref)
    return _update(signer(_update(unsigned, prepare)), change)


# --- /ByteRange and /Contents manipulated in place (same length, so every offset stays) ---------

def _signature_spans(data: bytes) -> list[tuple[int, int, int, int]]:
    """(start of the '<' of /Contents, end after its '>', start and end of the /ByteRange array)
    for every signature dictionary, in file order."""
    spans = []
    for match in re.finditer(rb"/Contents <([0-9A-Fa-f]*)>\s*/ByteRange (\[[^\]]*\])", data):
        spans.append((match.start(1) - 1, match.end(1) + 1, match.start(2), match.end(2)))
    assert spans, "no signature dictionary found"
    return spans


def _replace(data: bytes, start: int, end: int, new: bytes) -> bytes:
    assert len(new) <= end - start, (new, end - start)
    return data[:start] + new.ljust(end - start) + data[end:]


def _byte_range(data: bytes, which: int) -> tuple[list[int], int, int]:
    _, _, start, end = _signature_spans(data)[which]
    values = [int(v) for v in data[start + 1:end - 1].split()]
    padding = len(data[end:].split(b"\n", 1)[0])  # pyhanko reserves room after the array
    return values, start, end + padding


def wrapping(signed: bytes, which: int = -1) -> bytes:
    """Signature wrapping: the signed second part is copied to the end of the file and /ByteRange
    re-pointed there. The digest still matches (the same bytes are hashed), and the original
    second part, now outside the signed ranges, is free for the attacker to edit."""
    (_, len1, b, c), start, end = _byte_range(signed, which)
    copy = signed[b:b + c]
    moved = len(signed)
    wrapped = _replace(signed, start, end, f"[0 {len1} {moved} {c}]".encode())
    return wrapped + copy


def byte_range_tail_excluded(signed: bytes) -> bytes:
    """/ByteRange shortened so the tail of the file is no longer covered (digest breaks)."""
    (_, len1, b, c), start, end = _byte_range(signed, -1)
    return _replace(signed, start, end, f"[0 {len1} {b} {c - 200}]".encode())


def contents_forgery(signed: bytes, kind: str, which: int = -1) -> bytes:
    """Universal signature forgery: /Contents emptied, nulled, zeroed or garbled; /ByteRange
    emptied, nulled, zeroed or removed."""
    c_start, c_end, r_start, _ = _signature_spans(signed)[which]
    _, _, r_end_padded = _byte_range(signed, which)
    replacements = {
        "contents-empty": (c_start, c_end, b"<>"),
        "contents-null": (c_start, c_end, b"null"),
        "contents-zero": (c_start, c_end, b"<" + b"0" * (c_end - c_start - 2) + b">"),
        "contents-garbage": (c_start, c_end, b"<" + b"3082DEADBEEF" * ((c_end - c_start - 2) // 12) + b">"),
        "byterange-empty": (r_start, r_end_padded, b"[]"),
        "byterange-null": (r_start, r_end_padded, b"null"),
        "byterange-zero": (r_start, r_end_padded, b"[0 0 0 0]"),
        "byterange-missing": (r_start - len(b"/ByteRange "), r_end_padded, b""),
    }
    start, end, new = replacements[kind]
    return _replace(signed, start, end, new)


# --- The corpus of generated files ----------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Case:
    data: bytes
    codes: frozenset[str]  # reason codes expected among the refusal's reasons
    note: str = ""


FORGERIES = ("contents-empty", "contents-null", "contents-zero", "contents-garbage",
             "byterange-empty", "byterange-null", "byterange-zero", "byterange-missing")
INTEGRITY = frozenset({"signature-invalid", "modified-after-signing", "unreadable"})


@pytest.fixture(scope="module")
def identities(pki: DemoPki) -> dict[str, Identity]:
    person = pki.people[0]
    issuer = pki.intermediate
    return {
        "expired": make_leaf(issuer, person.common_name, DEMO_ORG, not_before=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
                             not_after=dt.datetime(2025, 6, 30, tzinfo=dt.UTC)),
        "not-yet-valid": make_leaf(issuer, person.common_name, DEMO_ORG,
                                   not_before=dt.datetime(2026, 10, 1, tzinfo=dt.UTC)),
        "revoked": make_leaf(issuer, person.common_name, DEMO_ORG),
        "no-nonrepudiation": make_leaf(issuer, person.common_name, DEMO_ORG, non_repudiation=False),
        "tsa": make_tsa(issuer),
        # Advertises a CRL that nobody may fetch: verification stays offline.
        "crl-url": make_leaf(issuer, person.common_name, DEMO_ORG, crl_url="http://crl.congbo.invalid/ca.crl"),
    }


def _crl(pki: DemoPki, revoked: list[tuple[int, dt.datetime]]) -> x509.CertificateRevocationList:
    return make_crl(pki.intermediate, revoked, PERSON_TIME - dt.timedelta(days=1), PERSON_TIME + dt.timedelta(days=7))


@pytest.fixture(scope="module")
def cases(pki: DemoPki, impostor_pki: DemoPki, identities: dict[str, Identity]) -> dict[str, Case]:
    org = pki.organisation
    person = pki.people[0]
    letters = iter(range(100))
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)

    def fresh() -> bytes:
        return render_letter(_letter(next(letters)))

    def good() -> bytes:
        return _two_signatures(fresh(), person, org)

    def signer(pdf: bytes) -> bytes:
        return _two_signatures(pdf, person, org)

    found: dict[str, Case] = {
        # Controls: each must publish.
        "good": Case(good(), frozenset()),
        "good-cades": Case(_two_signatures(fresh(), person, org, sub_filter="ETSI.CAdES.detached"), frozenset()),
        "good-timestamp": Case(_two_signatures(fresh(), person, org, timestamp=True, tsa=identities["tsa"]),
                               frozenset()),
        "good-no-nonrepudiation": Case(_two_signatures(fresh(), identities["no-nonrepudiation"], org), frozenset()),
        "good-crl": Case(_two_signatures(fresh(), person, org, embed_crls=(_crl(pki, []),)), frozenset()),
        "good-crl-url": Case(_two_signatures(fresh(), identities["crl-url"], org), frozenset()),
        "good-seed-value": Case(_two_signatures(_with_seed_value(fresh()), person, org, reason="Phê duyệt"),
                                frozenset()),
        "good-document-timestamp": Case(_document_timestamp(good(), identities["tsa"]), frozenset()),
        "good-crl-in-cms": Case(
            _sign_with_revocation_in_cms(fresh(), person, org, pki.root, make_crl(
                pki.intermediate, [(identities["revoked"].cert.serial_number, now - dt.timedelta(days=2))],
                now - dt.timedelta(days=1), now + dt.timedelta(days=30))),
            frozenset()),
        # Refusals.
        "unsigned": Case(fresh(), frozenset({"unsigned"})),
        "organisation-signs-first": Case(_two_signatures(fresh(), org, person), frozenset({"unsigned"})),
        "encrypted": Case(_encrypted(good()), frozenset({"unreadable"})),
        "too-many-revisions": Case(_many_revisions(good(), 62), frozenset({"unreadable"})),
        "no-organisation-signature": Case(sign_pdf(fresh(), person, field_name=PERSON_FIELD,
                                                   signing_time=PERSON_TIME), frozenset({"unsigned"})),
        "incremental-content": Case(incremental_content(good()), frozenset({"modified-after-signing"})),
        "incremental-page": Case(incremental_page(good()), frozenset({"modified-after-signing"})),
        "incremental-annotation": Case(incremental_annotation(good()), frozenset({"modified-after-signing"})),
        "empty-field-after": Case(empty_field_after(good()), frozenset({"modified-after-signing"})),
        "trailing-bytes": Case(trailing_bytes(good()), frozenset({"modified-after-signing"})),
        "flipped-byte": Case(flipped_byte(good()), frozenset({"signature-invalid"})),
        "wrapping-last": Case(wrapping(good(), -1), frozenset({"signature-invalid"})),
        "wrapping-first": Case(wrapping(good(), 0), frozenset({"signature-invalid"})),
        "byterange-tail-excluded": Case(byte_range_tail_excluded(good()), frozenset({"signature-invalid"})),
        "shadow-hide": Case(shadow_hide(fresh(), signer), frozenset({"modified-after-signing"})),
        "shadow-replace": Case(shadow_replace(fresh(), signer), frozenset({"modified-after-signing"})),
        "shadow-hide-and-replace": Case(shadow_hide_and_replace(fresh(), signer),
                                        frozenset({"modified-after-signing"})),
        "shadow-form-value": Case(shadow_form_value(fresh(), signer), frozenset({"modified-after-signing"})),
        "look-alike-ca": Case(_two_signatures(fresh(), impostor_pki.people[0], impostor_pki.organisation),
                              frozenset({"untrusted"})),
        "expired": Case(_two_signatures(fresh(), identities["expired"], org), frozenset({"certificate-invalid"})),
        "not-yet-valid": Case(_two_signatures(fresh(), identities["not-yet-valid"], org),
                              frozenset({"certificate-invalid"})),
        "revoked-crl-in-dss": Case(
            _two_signatures(fresh(), identities["revoked"], org, embed_crls=(
                _crl(pki, [(identities["revoked"].cert.serial_number, PERSON_TIME - dt.timedelta(days=2))]),)),
            frozenset({"certificate-invalid"})),
        "revoked-crl-in-cms": Case(
            _sign_with_revocation_in_cms(fresh(), identities["revoked"], org, pki.root, make_crl(
                pki.intermediate, [(identities["revoked"].cert.serial_number, now - dt.timedelta(days=2))],
                now - dt.timedelta(days=1), now + dt.timedelta(days=30))),
            frozenset({"certificate-invalid"})),
        "seed-value-violated": Case(_sign_against_seed_value(_with_seed_value(fresh()), person, org),
                                    frozenset({"signature-invalid"})),
        "document-timestamp-only": Case(_document_timestamp(fresh(), identities["tsa"]), frozenset({"unsigned"})),
        "stale-crl": Case(_two_signatures(fresh(), person, org, embed_crls=(make_crl(
            pki.intermediate, [], PERSON_TIME - dt.timedelta(days=30), PERSON_TIME - dt.timedelta(days=20)),)),
            frozenset({"certificate-invalid"})),
        "timestamp-untrusted-tsa": Case(
            _two_signatures(fresh(), person, org, timestamp=True, tsa=make_tsa(impostor_pki.intermediate)),
            frozenset({"signature-invalid"})),
    }
    for kind in FORGERIES:
        for which, label in ((-1, "organisation"), (0, "person")):
            found[f"forgery-{kind}-{label}"] = Case(contents_forgery(good(), kind, which), INTEGRITY)
    return found


@dataclasses.dataclass(frozen=True)
class Verdict:
    codes: frozenset[str]
    details: tuple[str, ...]
    result: Inspection | InspectionFailure


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory, pki: DemoPki) -> Portal:
    return make_portal(tmp_path_factory.mktemp("attacks-portal"), pki)


@pytest.fixture(scope="module")
def config(portal: Portal) -> PortalConfig:
    return load_config(portal.root / "portal.yml")


@pytest.fixture(scope="module")
def verdicts(cases: dict[str, Case], config: PortalConfig, tmp_path_factory: pytest.TempPathFactory
             ) -> dict[str, Verdict]:
    folder = tmp_path_factory.mktemp("attack-files")
    jobs = []
    for name, case in cases.items():
        path = folder / f"{name}.pdf"
        path.write_bytes(case.data)
        jobs.append(Job(name, path, hashlib.sha256(case.data).hexdigest()))
    anchors = TrustAnchors.from_pem(config.trust.roots_pem, config.organisation.certificate_names)
    found = {}
    for name, result in examine_all(jobs, anchors, Limits(seconds=60), workers=2):
        reasons = judge(result, result.metadata if isinstance(result, Inspection) else None, config)
        found[name] = Verdict(frozenset(r.code.value for r in reasons), tuple(r.detail for r in reasons), result)
    return found


def _signatures(verdict: Verdict) -> dict[str, object]:
    assert isinstance(verdict.result, Inspection), verdict.result
    return {s.field_name: s for s in verdict.result.verify.signatures}


CONTROLS = ("good", "good-cades", "good-timestamp", "good-no-nonrepudiation", "good-crl", "good-crl-in-cms",
            "good-crl-url", "good-seed-value", "good-document-timestamp")


@pytest.mark.parametrize("name", CONTROLS)
def test_legitimate_letters_publish(verdicts: dict[str, Verdict], name: str) -> None:
    verdict = verdicts[name]
    assert verdict.codes == set(), verdict.details
    signatures = _signatures(verdict)
    assert list(signatures)[:2] == [PERSON_FIELD, ORGANISATION_FIELD]
    roles = [s.role for s in signatures.values()]  # type: ignore[attr-defined]
    assert roles == (["person", "organisation", "timestamp"] if name == "good-document-timestamp"
                     else ["person", "organisation"])
    assert all(s.intact and s.trusted and not s.problems for s in signatures.values())  # type: ignore[attr-defined]


def test_a_document_timestamp_is_verified_and_reported(verdicts: dict[str, Verdict]) -> None:
    *_, stamp = _signatures(verdicts["good-document-timestamp"]).values()
    assert stamp.role == "timestamp" and stamp.timestamp_ok is True  # type: ignore[attr-defined]
    assert stamp.timestamp_at is not None and stamp.signed_at is None  # type: ignore[attr-defined]
    assert "only document timestamps" in " ".join(verdicts["document-timestamp-only"].details)


def test_nothing_is_fetched_for_a_certificate_that_names_a_crl(verdicts: dict[str, Verdict]) -> None:
    person = _signatures(verdicts["good-crl-url"])[PERSON_FIELD]
    assert person.trusted and not person.revocation_checked  # type: ignore[attr-defined]


def test_seed_value_violations_are_refused(verdicts: dict[str, Verdict]) -> None:
    person = _signatures(verdicts["seed-value-violated"])[PERSON_FIELD]
    assert any("seed value" in p for p in person.problems)  # type: ignore[attr-defined]


def test_every_attack_is_refused_with_its_reason(cases: dict[str, Case], verdicts: dict[str, Verdict]) -> None:
    wrong = {}
    for name, case in cases.items():
        if name in CONTROLS:
            continue
        codes = verdicts[name].codes
        if not codes or not (codes & case.codes):
            wrong[name] = (sorted(codes), verdicts[name].details)
    assert not wrong, json.dumps(wrong, ensure_ascii=False, indent=1)


def test_integrity_attacks_are_refused_for_integrity_not_only_trust(
        cases: dict[str, Case], verdicts: dict[str, Verdict]) -> None:
    """The attacker's letters are signed with our trusted keys: the refusal must come from the
    integrity checks themselves."""
    for name, case in cases.items():
        if case.codes <= INTEGRITY and case.codes:
            assert verdicts[name].codes & INTEGRITY, (name, verdicts[name].details)
            assert "untrusted" not in verdicts[name].codes, (name, verdicts[name].details)


def test_signature_wrapping_keeps_the_digest_but_not_the_coverage(verdicts: dict[str, Verdict]) -> None:
    for name, field in (("wrapping-last", ORGANISATION_FIELD), ("wrapping-first", PERSON_FIELD)):
        sig = _signatures(verdicts[name])[field]
        assert sig.intact and sig.valid, name  # type: ignore[attr-defined]
        assert sig.coverage == "UNCLEAR", name  # type: ignore[attr-defined]


def test_flipped_byte_breaks_both_digests(verdicts: dict[str, Verdict]) -> None:
    assert not any(s.intact for s in _signatures(verdicts["flipped-byte"]).values())  # type: ignore[attr-defined]


def test_look_alike_ca_is_intact_but_untrusted(verdicts: dict[str, Verdict]) -> None:
    verdict = verdicts["look-alike-ca"]
    assert verdict.codes == {"untrusted"}, verdict.details
    for sig in _signatures(verdict).values():
        assert sig.intact and not sig.trusted and sig.trust_root is None  # type: ignore[attr-defined]


@pytest.mark.parametrize(("name", "problem"), [("expired", "expired"), ("not-yet-valid", "not-yet-valid"),
                                               ("revoked-crl-in-dss", "revoked"), ("revoked-crl-in-cms", "revoked"),
                                               ("stale-crl", "revocation-unknown")])
def test_certificate_problems_at_signing_time(verdicts: dict[str, Verdict], name: str, problem: str) -> None:
    verdict = verdicts[name]
    assert verdict.codes == {"certificate-invalid"}, verdict.details
    person = _signatures(verdict)[PERSON_FIELD]
    assert person.certificate_problem == problem  # type: ignore[attr-defined]
    assert person.intact  # type: ignore[attr-defined]


def test_revocation_is_checked_only_against_embedded_data(verdicts: dict[str, Verdict]) -> None:
    with_crl = _signatures(verdicts["good-crl"])
    # The CRL of the issuing CA speaks for both certificates it issued.
    assert all(s.revocation_checked for s in with_crl.values())  # type: ignore[attr-defined]
    assert all(s.revocation_checked for s in _signatures(verdicts["good-crl-in-cms"]).values())  # type: ignore[attr-defined]
    for name in ("revoked-crl-in-dss", "revoked-crl-in-cms"):
        assert _signatures(verdicts[name])[PERSON_FIELD].revocation_checked  # type: ignore[attr-defined]
    assert not any(s.revocation_checked for s in _signatures(verdicts["good"]).values())  # type: ignore[attr-defined]


def test_require_revocation_check_refuses_letters_without_revocation_data(
        verdicts: dict[str, Verdict], config: PortalConfig) -> None:
    strict = dataclasses.replace(config, trust=dataclasses.replace(config.trust, require_revocation_check=True))
    without = verdicts["good"].result
    assert isinstance(without, Inspection)
    reasons = judge(without, without.metadata, strict)
    assert {r.code.value for r in reasons} == {"certificate-invalid"}
    assert all("revocation not checked" in r.detail for r in reasons)
    with_crl = verdicts["good-crl"].result
    assert isinstance(with_crl, Inspection)
    assert judge(with_crl, with_crl.metadata, strict) == ()


def test_timestamp_time_is_verified_and_reported(verdicts: dict[str, Verdict]) -> None:
    for sig in _signatures(verdicts["good-timestamp"]).values():
        assert sig.timestamp_ok is True  # type: ignore[attr-defined]
        assert sig.timestamp_at is not None  # type: ignore[attr-defined]
    person = _signatures(verdicts["good-timestamp"])[PERSON_FIELD]
    assert person.timestamp_at == PERSON_TIME  # type: ignore[attr-defined]
    broken = _signatures(verdicts["timestamp-untrusted-tsa"])[PERSON_FIELD]
    assert broken.timestamp_ok is False  # type: ignore[attr-defined]
    assert not any(s.timestamp_at for s in _signatures(verdicts["good"]).values())  # type: ignore[attr-defined]


def test_cades_and_digital_signature_only_certificates_are_reported(verdicts: dict[str, Verdict]) -> None:
    assert {s.sub_filter for s in _signatures(verdicts["good-cades"]).values()} == {  # type: ignore[attr-defined]
        "ETSI.CAdES.detached"}
    person = _signatures(verdicts["good-no-nonrepudiation"])[PERSON_FIELD]
    assert person.trusted and not person.problems  # type: ignore[attr-defined]


def test_the_organisation_seals_last(verdicts: dict[str, Verdict]) -> None:
    """Decree 30 order: roles come from the certificate subjects; the organisation's signature must
    follow the person's."""
    verdict = verdicts["organisation-signs-first"]
    assert [s.role for s in _signatures(verdict).values()] == ["organisation", "person"]  # type: ignore[attr-defined]
    assert verdict.codes == {"unsigned"}
    assert any("is not the last" in detail for detail in verdict.details)


def test_missing_organisation_signature_is_refused_and_can_be_allowed(
        verdicts: dict[str, Verdict], config: PortalConfig) -> None:
    verdict = verdicts["no-organisation-signature"]
    assert verdict.codes == {"unsigned"}
    assert any("organisation" in detail for detail in verdict.details)
    relaxed = dataclasses.replace(
        config, organisation=dataclasses.replace(config.organisation, require_organisation_signature=False))
    result = verdict.result
    assert isinstance(result, Inspection)
    assert judge(result, result.metadata, relaxed) == ()


def test_inspect_contract_reports_timestamp_and_revocation(
        cases: dict[str, Case], portal: Portal, tmp_path: Path) -> None:
    path = tmp_path / "timestamp.pdf"
    path.write_bytes(cases["good-timestamp"].data)
    status, report = inspect_json(path, portal.root, portal.trust)
    assert status == 0, report["reasons"]
    person = report["signatures"][0]
    assert dt.datetime.fromisoformat(person["timestamp_at"]) == PERSON_TIME
    assert person["revocation_checked"] is False
    path = tmp_path / "crl.pdf"
    path.write_bytes(cases["good-crl"].data)
    status, report = inspect_json(path, portal.root, portal.trust)
    assert status == 0, report["reasons"]
    assert all(s["revocation_checked"] for s in report["signatures"])


def test_a_build_publishes_the_good_letters_and_refuses_every_attack(
        cases: dict[str, Case], tmp_path: Path, pki: DemoPki) -> None:
    portal = make_portal(tmp_path / "portal", pki)
    for name, case in cases.items():
        portal.add(f"2026/{name}.pdf", case.data)
    status, stdout, stderr = run("--root", str(portal.root), "build", "--out", str(portal.site), "--json")
    assert status == 3, stderr
    report = json.loads(stdout)
    published = {Path(p["file"]).stem for p in report["published"]}
    refused = {Path(r["file"]).stem: {x["code"] for x in r["reasons"]} for r in report["refused"]}
    assert published == set(CONTROLS)
    assert set(refused) == set(cases) - set(CONTROLS)
    for name, codes in refused.items():
        assert codes & cases[name].codes, (name, codes)
    site_pdfs = {p.read_bytes() for p in portal.site.rglob("*.pdf")}
    assert site_pdfs == {cases[name].data for name in CONTROLS}


def test_generated_pki_names_match_the_trusted_ones(pki: DemoPki, impostor_pki: DemoPki) -> None:
    """The look-alike CA really is a look-alike: same subject names, different keys."""
    assert impostor_pki.root.cert.subject == pki.root.cert.subject
    assert impostor_pki.root.cert.fingerprint(hashes.SHA256()) != pki.root.cert.fingerprint(hashes.SHA256())

