"""Issue 15, trust beyond the chain: the time a certificate is judged at, the organisation identified
by portal.yml's pins (not by a CN), trust roots that must be CAs, the person's signature before the
organisation's, key usage, and the printed issuer. Real PKI, real signed letters examined by the
real worker code, real portal.yml files; each hostile case has a control that passes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from io import BytesIO
from pathlib import Path

import pytest
import yaml
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from cryptography.x509.oid import ExtendedKeyUsageOID
from kit import ICT, make_portal
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

from corpus.letters import Letter, demo_letters, render_letter
from corpus.pki import (
    DOCUMENT_SIGNING_EKU,
    DemoPki,
    Identity,
    make_intermediate,
    make_leaf,
    make_lookalike_organisation,
    make_organisation_certificate,
    make_self_signed_end_entity,
    make_tls_server,
    make_tsa,
)
from corpus.signing import ORGANISATION_FIELD, PERSON_FIELD, sign_pdf
from pipeline.config import ConfigError, PortalConfig, load_config, parse_dn
from pipeline.decide.policy import judge
from pipeline.decide.trust import issuer_reasons, trust_reasons
from pipeline.examine.verify import TrustAnchors, distinguished_name
from pipeline.examine.worker import examine
from pipeline.records import Channels, Inspection, InspectionFailure, Metadata, Reason, ReasonCode, SourceFile

ORGANISATION = "Liên đoàn Lao động tỉnh Mẫu"
NOW = dt.datetime.now(dt.UTC)


@pytest.fixture(scope="module")
def portal_root(pki: DemoPki, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_portal(tmp_path_factory.mktemp("trust-portal"), pki).root


@pytest.fixture(scope="module")
def config(portal_root: Path) -> PortalConfig:
    return load_config(portal_root / "portal.yml")


@pytest.fixture(scope="module")
def anchors(config: PortalConfig) -> TrustAnchors:
    return TrustAnchors.from_pem(config.trust.roots_pem, config.organisation.certificate_names)


def _letter(issued: dt.date, **changes: object) -> Letter:
    return dataclasses.replace(demo_letters()[0], issued_date=issued, **changes)  # type: ignore[arg-type]


def _signed(letter: Letter, *signers: tuple[Identity, dt.datetime, str]) -> bytes:
    data = render_letter(letter)
    for identity, moment, field in signers:
        data = sign_pdf(data, identity, field_name=field, signing_time=moment)
    return data


def _two(letter: Letter, person: Identity, organisation: Identity, at: dt.datetime) -> bytes:
    later = at + dt.timedelta(minutes=30)
    return _signed(letter, (person, at, PERSON_FIELD), (organisation, later, ORGANISATION_FIELD))


def _reasons(data: bytes, anchors: TrustAnchors, config: PortalConfig,
             first_commit: dt.datetime | None = None) -> list[Reason]:
    result = examine(data, anchors)
    source = SourceFile("documents/x.pdf", result.sha256, len(data), first_commit)
    return list(judge(result, result.metadata, config)) + trust_reasons(result, source, result.metadata, config)


def _codes(reasons: list[Reason]) -> set[str]:
    return {r.code.value for r in reasons}


def _portal_yml(root: Path, edit: object) -> Path:
    data = yaml.safe_load((root / "portal.yml").read_text(encoding="utf-8"))
    edit(data)  # type: ignore[operator]
    path = root / f"portal-{hashlib.sha256(repr(data).encode()).hexdigest()[:8]}.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _at(day: dt.date, hour: int = 8) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 30, tzinfo=ICT)


# --- 1. time of validity ---------------------------------------------------------------------------

EXPIRES = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
SIGNED_DAY = dt.date(2026, 5, 11)  # the letter's date, three weeks before the certificate expires


@pytest.fixture(scope="module")
def expired_organisation(pki: DemoPki) -> Identity:
    return make_organisation_certificate(pki, not_after=EXPIRES)


def test_a_letter_claimed_before_expiry_but_published_after_it_is_refused(
        pki: DemoPki, anchors: TrustAnchors, config: PortalConfig, expired_organisation: Identity) -> None:
    data = _two(_letter(SIGNED_DAY), pki.people[0], expired_organisation, _at(SIGNED_DAY))
    late = _reasons(data, anchors, config, first_commit=dt.datetime(2026, 7, 1, tzinfo=dt.UTC))
    assert [r for r in late if r.code is ReasonCode.CERTIFICATE_INVALID and "first publication" in r.detail]
    uncommitted = _reasons(data, anchors, config)  # not committed yet: judged now, months after expiry
    assert [r for r in uncommitted if r.code is ReasonCode.CERTIFICATE_INVALID and "now" in r.detail]
    # Control: published the day after signing, the old letter stays valid after its certificate expired.
    assert _reasons(data, anchors, config, first_commit=_at(SIGNED_DAY + dt.timedelta(days=1))) == []


def test_a_trusted_timestamp_before_expiry_keeps_a_late_published_letter_valid(
        pki: DemoPki, anchors: TrustAnchors, config: PortalConfig, expired_organisation: Identity) -> None:
    letter = _letter(SIGNED_DAY)
    tsa = make_tsa(pki.intermediate)
    data = sign_pdf(render_letter(letter), pki.people[0], field_name=PERSON_FIELD, signing_time=_at(SIGNED_DAY))
    stamped = sign_pdf(data, expired_organisation, field_name=ORGANISATION_FIELD, signing_time=_at(SIGNED_DAY, 9),
                       timestamp=True, tsa=tsa)
    result = examine(stamped, anchors)
    assert result.verify.signatures[-1].timestamp_ok is True
    assert _reasons(stamped, anchors, config, first_commit=dt.datetime(2026, 7, 1, tzinfo=dt.UTC)) == []
    # Control: the same letter without the timestamp, published after expiry, is refused.
    bare = sign_pdf(data, expired_organisation, field_name=ORGANISATION_FIELD, signing_time=_at(SIGNED_DAY, 9))
    late = _reasons(bare, anchors, config, first_commit=dt.datetime(2026, 7, 1, tzinfo=dt.UTC))
    assert {r.code for r in late} == {ReasonCode.CERTIFICATE_INVALID}


def _document_timestamp(pdf: bytes, tsa: Identity, moment: dt.datetime) -> bytes:
    """A PAdES document timestamp (/DocTimeStamp) dated `moment` by pyhanko's offline TSA."""
    def der(cert: object) -> bytes:
        return cert.public_bytes(Encoding.DER)  # type: ignore[attr-defined, no-any-return]

    key = asn1_keys.PrivateKeyInfo.load(tsa.key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption()))
    stamper = DummyTimeStamper(tsa_cert=asn1_x509.Certificate.load(der(tsa.cert)), tsa_key=key,
                               certs_to_embed=SimpleCertificateStore.from_certs(
                                   [asn1_x509.Certificate.load(der(c)) for c in tsa.chain]), fixed_dt=moment)
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=True)
    return signers.PdfTimeStamper(stamper).timestamp_pdf(writer, "sha256").getvalue()


def test_a_document_timestamp_before_expiry_keeps_the_signatures_it_covers_valid(
        pki: DemoPki, anchors: TrustAnchors, config: PortalConfig, expired_organisation: Identity) -> None:
    bare = _two(_letter(SIGNED_DAY), pki.people[0], expired_organisation, _at(SIGNED_DAY))
    covered = _document_timestamp(bare, make_tsa(pki.intermediate), _at(SIGNED_DAY, 17))
    after_expiry = dt.datetime(2026, 7, 1, tzinfo=dt.UTC)
    assert examine(covered, anchors).verify.signatures[-1].role == "timestamp"
    assert _reasons(covered, anchors, config, first_commit=after_expiry) == []
    late = _document_timestamp(bare, make_tsa(pki.intermediate), after_expiry - dt.timedelta(days=1))
    assert {r.code for r in _reasons(late, anchors, config, first_commit=after_expiry)} == {
        ReasonCode.CERTIFICATE_INVALID}


def test_a_certificate_expired_at_the_claimed_time_is_refused_by_the_worker(
        pki: DemoPki, anchors: TrustAnchors, config: PortalConfig, expired_organisation: Identity) -> None:
    day = dt.date(2026, 6, 10)
    data = _two(_letter(day), pki.people[0], expired_organisation, _at(day))
    result = examine(data, anchors)
    assert result.verify.signatures[-1].certificate_problem == "expired"
    assert "certificate-invalid" in _codes(_reasons(data, anchors, config, first_commit=_at(day, 12)))


def test_a_claimed_signing_time_in_the_future_is_refused(
        pki: DemoPki, anchors: TrustAnchors, config: PortalConfig) -> None:
    future = NOW + dt.timedelta(days=2)
    data = _two(_letter(future.astimezone(ICT).date()), pki.people[0], pki.organisation, future)
    reasons = _reasons(data, anchors, config)
    assert [r for r in reasons if r.code is ReasonCode.SIGNING_TIME and "future" in r.detail]
    past = NOW - dt.timedelta(hours=3)
    control = _two(_letter(past.astimezone(ICT).date()), pki.people[0], pki.organisation, past)
    assert _reasons(control, anchors, config) == []


def test_a_signing_time_after_the_first_publication_is_refused(
        pki: DemoPki, anchors: TrustAnchors, config: PortalConfig) -> None:
    day = dt.date(2026, 11, 20)
    data = _two(_letter(day), pki.people[0], pki.organisation, _at(day))
    reasons = _reasons(data, anchors, config, first_commit=_at(day) - dt.timedelta(days=1))
    assert [r for r in reasons if r.code is ReasonCode.SIGNING_TIME and "first published" in r.detail]
    assert _reasons(data, anchors, config, first_commit=_at(day, 14)) == []


@pytest.mark.parametrize(("days_before", "refused"), [(20, True), (4, True), (3, False), (0, False), (-5, False)])
def test_a_signature_well_before_the_printed_date_is_refused(
        pki: DemoPki, anchors: TrustAnchors, config: PortalConfig, days_before: int, refused: bool) -> None:
    printed = dt.date(2026, 11, 20)
    signed = _at(printed - dt.timedelta(days=days_before))
    data = _two(_letter(printed), pki.people[0], pki.organisation, signed)
    reasons = _reasons(data, anchors, config, first_commit=signed + dt.timedelta(days=1))
    early = [r for r in reasons if r.code is ReasonCode.SIGNING_TIME and "before the date on the letter" in r.detail]
    assert bool(early) is refused
    assert reasons == early


# --- 2. the organisation identified by pins -------------------------------------------------------


def test_another_company_spelling_the_name_in_capitals_is_not_the_organisation(
        pki: DemoPki, anchors: TrustAnchors, config: PortalConfig) -> None:
    impostor = make_lookalike_organisation(pki)
    day = dt.date(2026, 11, 18)
    data = _two(_letter(day), pki.people[0], impostor, _at(day))
    result = examine(data, anchors)
    assert result.verify.signatures[-1].role == "organisation"  # the CN folds to the organisation's name
    assert result.verify.signatures[-1].trusted  # a genuine certificate of the trusted CA
    reasons = _reasons(data, anchors, config, first_commit=_at(day, 12))
    mismatch = [r for r in reasons if r.code is ReasonCode.ISSUER_MISMATCH]
    assert len(mismatch) == 1 and "subject differs" in mismatch[0].detail
    assert result.verify.signatures[-1].subject_dn in mismatch[0].detail  # ready to copy, if it were ours
    control = _two(_letter(day), pki.people[0], pki.organisation, _at(day))
    assert _reasons(control, anchors, config, first_commit=_at(day, 12)) == []


def _key_sha256(identity: Identity) -> str:
    cert = asn1_x509.Certificate.load(identity.cert.public_bytes(Encoding.DER))
    return hashlib.sha256(cert.public_key.dump()).hexdigest()


def test_a_key_pin_refuses_a_new_key_with_the_same_names_and_says_key(
        pki: DemoPki, anchors: TrustAnchors, portal_root: Path) -> None:
    fingerprint = ":".join(f"{b:02X}" for b in bytes.fromhex(_key_sha256(pki.organisation)))  # as tools print it
    path = _portal_yml(portal_root, lambda d: d["organisation"].update(certificates=[{"key_sha256": fingerprint}]))
    config = load_config(path)
    day = dt.date(2026, 11, 18)
    renewed = make_organisation_certificate(pki)  # same issuer and subject, another key
    reasons = _reasons(_two(_letter(day), pki.people[0], renewed, _at(day)), anchors, config, _at(day, 12))
    assert [r.detail for r in reasons if r.code is ReasonCode.ISSUER_MISMATCH and "key differs" in r.detail]
    control = _two(_letter(day), pki.people[0], pki.organisation, _at(day))
    assert _reasons(control, anchors, config, _at(day, 12)) == []


def test_an_issuer_and_subject_pin_refuses_the_same_subject_from_another_ca(
        pki: DemoPki, portal_root: Path, config: PortalConfig) -> None:
    other_ca = make_intermediate(pki.root, "DEMO CA Ký số 2")
    anchors = TrustAnchors.from_pem(config.trust.roots_pem, config.organisation.certificate_names)
    day = dt.date(2026, 11, 18)
    other = make_organisation_certificate(pki, issuer=other_ca)
    reasons = _reasons(_two(_letter(day), pki.people[0], other, _at(day)), anchors, config, _at(day, 12))
    assert [r for r in reasons if r.code is ReasonCode.ISSUER_MISMATCH and "issuer differs" in r.detail]


def test_a_portal_yml_without_pins_is_a_configuration_error_saying_what_to_add(portal_root: Path) -> None:
    path = _portal_yml(portal_root, lambda d: d["organisation"].pop("certificates"))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert any("organisation.certificates" in p and "key_sha256" in p and "subject" in p for p in caught.value.problems)


@pytest.mark.parametrize("pin", [
    {"subject": "CN=Liên đoàn Lao động tỉnh Mẫu,C=VN"},  # a subject alone: any CA can issue it
    {"key_sha256": "abc"},
    {"issuer": "not a name", "subject": "CN=x"},
    {"issuer": "CN=a", "subject": "CN=b", "fingerprint": "x"},
])
def test_a_malformed_pin_is_a_configuration_error(portal_root: Path, pin: dict[str, str]) -> None:
    path = _portal_yml(portal_root, lambda d: d["organisation"].update(certificates=[pin]))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert any("organisation.certificates[0]" in p for p in caught.value.problems)


def test_a_distinguished_name_matches_in_any_order_and_notation_but_exactly_in_value() -> None:
    rfc = parse_dn("CN=Liên đoàn Lao động tỉnh Mẫu,O=Liên đoàn Lao động tỉnh Mẫu,C=VN")
    assert parse_dn("C = VN, O = Liên đoàn Lao động tỉnh Mẫu, CN = Liên đoàn Lao động tỉnh Mẫu") == rfc
    assert parse_dn("/C=VN/O=Liên đoàn Lao động tỉnh Mẫu/CN=Liên đoàn Lao động tỉnh Mẫu") == rfc
    assert parse_dn(r"CN=Li\C3\AAn,O=A\, B") == (("CN", "Liên"), ("O", "A, B"))
    assert parse_dn("CN=LIÊN ĐOÀN LAO ĐỘNG TỈNH MẪU,O=Liên đoàn Lao động tỉnh Mẫu,C=VN") != rfc


# --- 3. trust roots must be CAs --------------------------------------------------------------------


@pytest.mark.parametrize("basic_constraints", [True, False], ids=["ca-false", "no-basic-constraints"])
def test_a_trust_root_that_is_not_a_ca_is_a_configuration_error_naming_the_file(
        portal_root: Path, basic_constraints: bool) -> None:
    leaf = make_self_signed_end_entity("DEMO chứng thư không phải CA", basic_constraints=basic_constraints)
    name = f"trust/not-a-ca-{basic_constraints}.pem"
    (portal_root / name).write_bytes(leaf.cert_pem())
    path = _portal_yml(portal_root, lambda d: d["trust"].update(roots=["trust/root.pem", name]))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert [p for p in caught.value.problems if name.split("/")[1] in p and "CA" in p]
    assert load_config(_portal_yml(portal_root, lambda d: None)).trust.roots_pem  # control: the CA root loads


# --- 4. the person's signature first ---------------------------------------------------------------


def test_a_document_signed_by_the_organisation_only_is_refused_unless_it_is_a_scan(
        pki: DemoPki, anchors: TrustAnchors, config: PortalConfig, portal_root: Path) -> None:
    day = dt.date(2026, 11, 18)
    data = _signed(_letter(day), (pki.organisation, _at(day), ORGANISATION_FIELD))
    result = examine(data, anchors)
    source = SourceFile("documents/x.pdf", result.sha256, len(data), _at(day, 12))
    reasons = trust_reasons(result, source, result.metadata, config)
    assert [r for r in reasons if r.code is ReasonCode.UNSIGNED and "người có thẩm quyền" in r.detail]
    # A digitised paper letter: every page image-only (the examining worker lists them as unread).
    scan = dataclasses.replace(result, channels=Channels(unread_pages=tuple(range(1, result.page_count + 1))))
    assert trust_reasons(scan, source, scan.metadata, config) == []
    assert result.page_count == 2
    partly = dataclasses.replace(result, channels=Channels(unread_pages=(1,)))  # born digital, one image page
    assert [r for r in trust_reasons(partly, source, partly.metadata, config) if r.code is ReasonCode.UNSIGNED]
    relaxed = load_config(_portal_yml(portal_root, lambda d: d["organisation"].update(require_person_signature=False)))
    assert trust_reasons(result, source, result.metadata, relaxed) == []


def test_a_person_signing_after_the_organisation_does_not_count_as_first(
        pki: DemoPki, anchors: TrustAnchors, config: PortalConfig) -> None:
    day = dt.date(2026, 11, 18)
    data = _signed(_letter(day), (pki.organisation, _at(day), ORGANISATION_FIELD),
                   (pki.people[0], _at(day, 9), PERSON_FIELD))
    result = examine(data, anchors)
    source = SourceFile("documents/x.pdf", result.sha256, len(data), _at(day, 12))
    assert [r for r in trust_reasons(result, source, result.metadata, config) if r.code is ReasonCode.UNSIGNED]


# --- 5. key usage ----------------------------------------------------------------------------------


def _person_with(pki: DemoPki, name: str, **options: object) -> Identity:
    return make_leaf(pki.intermediate, name, ORGANISATION, **options)  # type: ignore[arg-type]


def test_a_tls_server_certificate_cannot_sign_a_document(
        pki: DemoPki, anchors: TrustAnchors, config: PortalConfig) -> None:
    day = dt.date(2026, 11, 18)
    data = _two(_letter(day), make_tls_server(pki), pki.organisation, _at(day))
    reasons = _reasons(data, anchors, config, _at(day, 12))
    assert [r for r in reasons if r.code is ReasonCode.CERTIFICATE_INVALID and "key-usage" in r.detail]


@pytest.mark.parametrize("options", [
    {"non_repudiation": False},  # digitalSignature only, as some Vietnamese CAs issue
    {"extra_eku": (DOCUMENT_SIGNING_EKU,)},
    {"extra_eku": (ExtendedKeyUsageOID.EMAIL_PROTECTION, ExtendedKeyUsageOID.CLIENT_AUTH)},
    {"extra_eku": (ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE,)},
], ids=["digital-signature-only", "document-signing", "email-and-client-auth", "any"])
def test_signing_certificates_with_compatible_usages_are_accepted(
        pki: DemoPki, anchors: TrustAnchors, config: PortalConfig, options: dict[str, object]) -> None:
    day = dt.date(2026, 11, 18)
    data = _two(_letter(day), _person_with(pki, "Nguyễn Văn An", **options), pki.organisation, _at(day))
    assert _reasons(data, anchors, config, _at(day, 12)) == []


def test_a_client_authentication_only_certificate_cannot_sign_a_document(
        pki: DemoPki, anchors: TrustAnchors, config: PortalConfig) -> None:
    day = dt.date(2026, 11, 18)
    person = _person_with(pki, "Nguyễn Văn An", extra_eku=(ExtendedKeyUsageOID.CLIENT_AUTH,))
    reasons = _reasons(_two(_letter(day), person, pki.organisation, _at(day)), anchors, config, _at(day, 12))
    assert [r for r in reasons if r.code is ReasonCode.CERTIFICATE_INVALID and "client_auth" in r.detail]


# --- 6. the printed issuer -------------------------------------------------------------------------


def test_another_bodys_letter_signed_with_our_certificate_is_refused_unless_published_for(
        pki: DemoPki, anchors: TrustAnchors, config: PortalConfig, portal_root: Path) -> None:
    day = dt.date(2026, 11, 18)
    letter = _letter(day, parent_organ="LIÊN ĐOÀN LAO ĐỘNG TỈNH MẪU", organ_name="CÔNG ĐOÀN NGÀNH Y TẾ")
    data = _two(letter, pki.people[0], pki.organisation, _at(day))
    reasons = _reasons(data, anchors, config, _at(day, 12))
    assert [r for r in reasons if r.code is ReasonCode.ISSUER_MISMATCH and "CÔNG ĐOÀN NGÀNH Y TẾ" in r.detail]
    allowed = load_config(_portal_yml(portal_root, lambda d: d["organisation"].update(
        publishes_for=["Công đoàn ngành Y tế"])))
    assert _reasons(data, anchors, allowed, _at(day, 12)) == []


def test_the_issuer_comparison_tolerates_line_breaks_and_the_parent_line(config: PortalConfig) -> None:
    parent = "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM"
    assert issuer_reasons(Metadata(organ_name="LIÊN ĐOÀN LAO ĐỘNG\nTỈNH MẪU"), config) == []
    assert issuer_reasons(Metadata(organ_name=f"{parent} LIÊN ĐOÀN LAO ĐỘNG TỈNH MẪU", parent_organ=parent),
                          config) == []
    assert issuer_reasons(Metadata(organ_name="LIÊN ĐOÀN LAO ĐỘNG TỈNH MẪU SƠN", parent_organ=parent), config)
    assert issuer_reasons(Metadata(organ_name=None), config)  # not found: cannot be confirmed


def test_the_demo_letters_pass_every_trust_rule(config: PortalConfig) -> None:
    demo = load_config(Path(__file__).resolve().parents[2] / "portal.yml")
    for letter in demo_letters():
        assert issuer_reasons(Metadata(organ_name=letter.organ_name, parent_organ=letter.parent_organ), demo) == []


def test_an_inspection_failure_has_no_trust_reasons(config: PortalConfig) -> None:
    failure = InspectionFailure("0" * 64, "not a PDF")
    assert trust_reasons(failure, SourceFile("documents/x.pdf", "0" * 64, 1), None, config) == []


def test_the_report_carries_what_pins_are_made_of(pki: DemoPki, anchors: TrustAnchors) -> None:
    day = dt.date(2026, 11, 18)
    result: Inspection = examine(_two(_letter(day), pki.people[0], pki.organisation, _at(day)), anchors)
    organisation = result.verify.signatures[-1]
    assert parse_dn(organisation.subject_dn) == parse_dn(pki.organisation.cert.subject.rfc4514_string())
    assert parse_dn(organisation.issuer_dn) == parse_dn(pki.intermediate.cert.subject.rfc4514_string())
    assert organisation.key_sha256 == _key_sha256(pki.organisation)
    assert organisation.path_not_after == pki.organisation.cert.not_valid_after_utc


def test_what_a_refusal_prints_reads_back_as_the_same_name(pki: DemoPki) -> None:
    """The DN the worker reports parses to what `cryptography` (and so openssl) says, escapes included."""
    odd = make_leaf(pki.intermediate, " Công ty A, B+C=D #1 ", "Org\\x", email="vanthu@example.vn")
    written = distinguished_name(asn1_x509.Certificate.load(odd.cert.public_bytes(Encoding.DER)).subject)
    assert parse_dn(written) == parse_dn(odd.cert.subject.rfc4514_string())
    assert ("CN", " Công ty A, B+C=D #1 ") in parse_dn(written)
