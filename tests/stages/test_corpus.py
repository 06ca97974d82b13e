"""The corpus generator: a real PKI, letters rendered with reportlab and read back with pypdf, and
signatures made with pyhanko that pyhanko itself validates offline against the demo root only."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import DocumentSecurityStore, SignatureCoverageLevel, validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from corpus.letters import (
    DEMO_SIGNERS,
    demo_letters,
    demo_signing_times,
    letter_filename,
    render_letter,
)
from corpus.pki import (
    DemoPki,
    Identity,
    load_pki,
    make_crl,
    make_demo_pki,
    make_leaf,
    make_tsa,
    write_pki,
)
from corpus.signing import sign_letter, sign_pdf
from pipeline.office.signing import ORGANISATION_FIELD, PERSON_FIELD

ICT = dt.timezone(dt.timedelta(hours=7))
PERSON_TIME = dt.datetime(2026, 9, 15, 8, 31, 7, tzinfo=ICT)
ORGANISATION_TIME = dt.datetime(2026, 9, 15, 9, 14, 52, tzinfo=ICT)
LETTERS = demo_letters()
LETTER = next(letter for letter in LETTERS if letter.number == "258/LĐLĐ")  # công văn, KHẨN, "Ký bởi"
# Accept certificates with digitalSignature only, as Vietnamese CAs issue them.
RELAXED_KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"})


@pytest.fixture(scope="session")
def corpus_pki() -> DemoPki:
    return make_demo_pki()


@pytest.fixture(scope="session")
def letter_pdf() -> bytes:
    return render_letter(LETTER)


def asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def context(pki: DemoPki, **kwargs: Any) -> ValidationContext:
    return ValidationContext(trust_roots=[asn1(pki.root.cert)], allow_fetching=False, **kwargs)


def validate(
    pdf: bytes, vc: ValidationContext, key_usage: KeyUsageConstraints | None = None
) -> dict[str, PdfSignatureStatus]:
    reader = PdfFileReader(io.BytesIO(pdf), strict=True)
    return {
        sig.field_name: validate_pdf_signature(sig, vc, key_usage_settings=key_usage)
        for sig in reader.embedded_signatures
    }


def assert_good(status: PdfSignatureStatus, when: dt.datetime) -> None:
    assert status.intact and status.valid and status.trusted, status.pretty_print_details()
    assert status.bottom_line
    assert status.signer_reported_dt == when


def words(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


# --- PKI ---------------------------------------------------------------------------------------


def _attr(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    return str(name.get_attributes_for_oid(oid)[0].value)


def test_demo_pki_names_and_chain(corpus_pki: DemoPki) -> None:
    root, ca, org = corpus_pki.root, corpus_pki.intermediate, corpus_pki.organisation
    assert "DEMO" in _attr(root.cert.subject, NameOID.COMMON_NAME)
    assert "DEMO" in _attr(root.cert.subject, NameOID.ORGANIZATION_NAME)
    assert _attr(ca.cert.subject, NameOID.COMMON_NAME) == "DEMO CA Ký số"
    assert _attr(org.cert.subject, NameOID.COMMON_NAME) == "Liên đoàn Lao động tỉnh Mẫu"
    assert _attr(org.cert.subject, NameOID.ORGANIZATION_NAME) == "Liên đoàn Lao động tỉnh Mẫu"
    assert [p.common_name for p in corpus_pki.people] == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường"]
    assert {p.organisation for p in corpus_pki.people} == {"Liên đoàn Lao động tỉnh Mẫu"}
    assert org.chain == (ca.cert, root.cert)
    for identity in corpus_pki.identities():
        assert identity.cert.not_valid_before_utc == dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
        assert identity.cert.not_valid_after_utc == dt.datetime(2036, 1, 1, tzinfo=dt.UTC)
        assert identity.key.key_size == 2048
    usage = org.cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    ski = ca.cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    aki = org.cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    assert aki.key_identifier == ski.digest


def test_pki_round_trip(corpus_pki: DemoPki, tmp_path: Path) -> None:
    written = write_pki(corpus_pki, tmp_path)
    assert (tmp_path / "root.pem") in written
    assert (tmp_path / "nguyen-van-an.p12").is_file()
    assert x509.load_pem_x509_certificate((tmp_path / "root.pem").read_bytes()) == corpus_pki.root.cert
    loaded = load_pki(tmp_path)
    for before, after in zip(corpus_pki.identities(), loaded.identities(), strict=True):
        assert after.cert == before.cert
        assert after.chain == before.chain
        assert after.key.private_numbers() == before.key.private_numbers()


# --- Letters -----------------------------------------------------------------------------------


def test_rendering_is_deterministic(letter_pdf: bytes) -> None:
    assert render_letter(LETTER) == letter_pdf


def test_text_layer_gives_the_letter_back(letter_pdf: bytes) -> None:
    pages = PdfReader(io.BytesIO(letter_pdf)).pages
    plain = "\n".join(page.extract_text() for page in pages)
    assert unicodedata.is_normalized("NFC", plain)
    flat = words(plain)
    assert "Số: 258/LĐLĐ" in flat
    assert f"V/v {LETTER.subject}" in flat
    assert "Mẫu Sơn, ngày 15 tháng 9 năm 2026" in flat
    assert "LIÊN ĐOÀN LAO ĐỘNG TỈNH MẪU" in flat
    assert "Lê Hoàng Cường" in flat and "KT. CHỦ TỊCH" in flat and "PHÓ CHỦ TỊCH" in flat
    assert "Kính gửi:" in flat and "- Công đoàn các Khu công nghiệp tỉnh." in flat
    assert "Nơi nhận: - Như kính gửi; - Thường trực LĐLĐ tỉnh; - Lưu: VT, VP." in flat
    assert "Ký bởi: Liên đoàn Lao động tỉnh Mẫu" in flat
    assert f"Thời gian ký: {LETTER.signed_time:%d.%m.%Y %H:%M}" in flat
    assert "KHẨN" in [line.strip() for line in plain.splitlines()]


def test_layout_mode_keeps_the_header_columns_on_shared_lines(letter_pdf: bytes) -> None:
    layout = PdfReader(io.BytesIO(letter_pdf)).pages[0].extract_text(extraction_mode="layout")
    lines = [line for line in layout.splitlines() if line.strip()]
    assert re.search(r"TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM {3,}CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", lines[0])
    assert re.search(r"LIÊN ĐOÀN LAO ĐỘNG TỈNH MẪU {3,}Độc lập - Tự do - Hạnh phúc", lines[1])
    assert re.search(r"Số: 258/LĐLĐ {3,}Mẫu Sơn, ngày 15 tháng 9 năm 2026", lines[2])
    assert re.search(r"Nơi nhận: {3,}KT\. CHỦ TỊCH", layout)


def test_party_layout_blank_number_and_marks() -> None:
    letter = dataclasses.replace(
        LETTER,
        system="party",
        parent_organ=None,
        organ_name="TỈNH ỦY MẪU",
        organ_code="TU",
        number=None,
        issued_date=None,
        authority="T/M BAN THƯỜNG VỤ",
        position="PHÓ BÍ THƯ",
        recipients=("Như trên", "Lưu VPTU"),
        secrecy="MẬT",
        circulation="LƯU HÀNH NỘI BỘ",
        signed_by=None,
        signed_time=None,
    )
    layout = PdfReader(io.BytesIO(render_letter(letter))).pages[0].extract_text(extraction_mode="layout")
    lines = [line.strip() for line in layout.splitlines() if line.strip()]
    assert "CỘNG HÒA" not in layout and "ĐẢNG CỘNG SẢN VIỆT NAM" in layout
    assert re.search(r"Số +-CV/TU {3,}Mẫu Sơn, ngày +tháng +năm 2026", layout)
    assert "*" in lines and "MẬT" in lines and "KHẨN" in lines and "LƯU HÀNH NỘI BỘ" in lines
    assert letter_filename(letter).startswith("khong-ngay-khong-so-")


def test_state_blank_number_keeps_its_notation() -> None:
    letter = dataclasses.replace(LETTERS[0], number=None)  # Kế hoạch
    assert letter.printed_number_line() == "Số:      /KH-LĐLĐ"
    assert dataclasses.replace(LETTER, number=None).printed_number_line() == "Số:      /LĐLĐ"
    assert dataclasses.replace(LETTER, issued_date=dt.date(2026, 2, 5)).printed_date_line() == (
        "Mẫu Sơn, ngày 05 tháng 02 năm 2026"
    )


def test_long_letters_run_onto_a_numbered_second_page() -> None:
    long_ones = [letter for letter in LETTERS if len(PdfReader(io.BytesIO(render_letter(letter))).pages) > 1]
    assert long_ones
    second = PdfReader(io.BytesIO(render_letter(long_ones[0]))).pages[1].extract_text()
    assert second.splitlines()[0].strip() == "2"


def test_demo_corpus_is_realistic_and_consistent() -> None:
    assert len(LETTERS) >= 14
    types = Counter(letter.type_name for letter in LETTERS)
    for name, at_least in {
        "Giấy mời": 2, "Báo cáo": 1, "Chương trình": 1, "Thông báo": 1, "Hướng dẫn": 1,
        "Kế hoạch": 2, "Công văn": 3, "Quyết định": 1,
    }.items():
        assert types[name] >= at_least, name
    urgency = Counter(letter.urgency for letter in LETTERS)
    assert urgency["KHẨN"] == 3 and urgency["THƯỢNG KHẨN"] == 1
    numbers = {letter.number for letter in LETTERS}
    assert len(numbers) == len(LETTERS)
    assert len({letter_filename(letter) for letter in LETTERS}) == len(LETTERS)
    assert any(letter.signed_by for letter in LETTERS) and not all(letter.signed_by for letter in LETTERS)
    for letter in LETTERS:
        assert letter.issued_date is not None and letter.number is not None
        assert dt.date(2026, 9, 1) <= letter.issued_date <= dt.date(2026, 11, 20)
        assert letter.issued_date.weekday() < 5
        assert letter.secrecy is None and letter.circulation is None
        assert letter.signer_name in DEMO_SIGNERS and letter.position == DEMO_SIGNERS[letter.signer_name]
        assert 2 <= len(letter.body) <= 4 or letter.type_name == "Quyết định"
        assert letter.recipients[-1] == "Lưu: VT, VP"
        assert (letter.type_name == "Công văn") == ("-" not in letter.number)
        assert letter_filename(letter).isascii()
        assert set(letter.cites) <= numbers
        for cited in letter.cites:
            assert cited in " ".join(letter.body)
        for value in dataclasses.astuple(letter):
            for text in value if isinstance(value, tuple) else (value,):
                if isinstance(text, str):
                    assert unicodedata.is_normalized("NFC", text), text
        if letter.signed_by:
            assert letter.signed_time == demo_signing_times(letter.issued_date, letter.number)[1]
    assert letter_filename(LETTER) == "2026-09-15-258-ldld.pdf"


# --- Signatures --------------------------------------------------------------------------------


def test_sign_letter_gives_two_good_signatures(corpus_pki: DemoPki, letter_pdf: bytes) -> None:
    signed = sign_letter(
        letter_pdf,
        corpus_pki.people[2],
        corpus_pki.organisation,
        person_time=PERSON_TIME,
        organisation_time=ORGANISATION_TIME,
    )
    assert signed.startswith(letter_pdf)  # incremental updates only
    statuses = validate(signed, context(corpus_pki))
    assert list(statuses) == [PERSON_FIELD, ORGANISATION_FIELD]
    person, organisation = statuses[PERSON_FIELD], statuses[ORGANISATION_FIELD]
    assert_good(person, PERSON_TIME)
    assert_good(organisation, ORGANISATION_TIME)
    assert person.signing_cert.subject.native["common_name"] == "Lê Hoàng Cường"
    assert organisation.signing_cert.subject.native["common_name"] == "Liên đoàn Lao động tỉnh Mẫu"
    assert organisation.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert person.coverage == SignatureCoverageLevel.ENTIRE_REVISION
    assert person.modification_level == ModificationLevel.FORM_FILLING
    # Same inputs, same bytes: the corpus is reproducible.
    again = sign_letter(
        letter_pdf,
        corpus_pki.people[2],
        corpus_pki.organisation,
        person_time=PERSON_TIME,
        organisation_time=ORGANISATION_TIME,
    )
    assert again == signed
    # And an untrusted look-alike PKI is refused.
    impostor = make_demo_pki()
    assert not any(s.trusted for s in validate(signed, context(impostor)).values())


def test_cades_detached(corpus_pki: DemoPki, letter_pdf: bytes) -> None:
    signed = sign_letter(
        letter_pdf,
        corpus_pki.people[0],
        corpus_pki.organisation,
        person_time=PERSON_TIME,
        organisation_time=ORGANISATION_TIME,
        sub_filter="ETSI.CAdES.detached",
    )
    reader = PdfFileReader(io.BytesIO(signed), strict=True)
    assert {sig.sig_object["/SubFilter"] for sig in reader.embedded_signatures} == {"/ETSI.CAdES.detached"}
    statuses = validate(signed, context(corpus_pki))
    # PAdES has no CMS signingTime: the claimed time comes from the signature dictionary's /M.
    assert_good(statuses[PERSON_FIELD], PERSON_TIME)
    assert_good(statuses[ORGANISATION_FIELD], ORGANISATION_TIME)


def test_signature_timestamp(corpus_pki: DemoPki, letter_pdf: bytes) -> None:
    tsa = make_tsa(corpus_pki.intermediate)
    stamped_at = PERSON_TIME + dt.timedelta(seconds=4)
    signed = sign_pdf(
        letter_pdf,
        corpus_pki.people[1],
        field_name=PERSON_FIELD,
        signing_time=PERSON_TIME,
        timestamp=True,
        tsa=tsa,
        timestamp_time=stamped_at,
        reason="Ký ban hành",
    )
    status = validate(signed, context(corpus_pki))[PERSON_FIELD]
    assert_good(status, PERSON_TIME)
    assert status.timestamp_validity is not None
    assert status.timestamp_validity.valid and status.timestamp_validity.trusted
    assert status.timestamp_validity.timestamp == stamped_at
    with pytest.raises(ValueError):
        sign_pdf(letter_pdf, corpus_pki.people[1], field_name="X", timestamp=True)


def test_person_without_non_repudiation(corpus_pki: DemoPki, letter_pdf: bytes) -> None:
    person = make_leaf(
        corpus_pki.intermediate, "Phạm Thị Duyên", "Liên đoàn Lao động tỉnh Mẫu", non_repudiation=False
    )
    usage = person.cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and not usage.content_commitment
    signed = sign_letter(
        letter_pdf, person, corpus_pki.organisation, person_time=PERSON_TIME, organisation_time=ORGANISATION_TIME
    )
    relaxed = validate(signed, context(corpus_pki), RELAXED_KEY_USAGE)
    assert_good(relaxed[PERSON_FIELD], PERSON_TIME)
    assert_good(relaxed[ORGANISATION_FIELD], ORGANISATION_TIME)
    # pyhanko's default policy wants non-repudiation: intact and valid, but not trusted.
    strict = validate(signed, context(corpus_pki))[PERSON_FIELD]
    assert strict.intact and strict.valid and not strict.trusted


def test_embedded_crls_are_used_offline(corpus_pki: DemoPki, letter_pdf: bytes) -> None:
    revoked = make_leaf(corpus_pki.intermediate, "Đỗ Văn Giang", "Liên đoàn Lao động tỉnh Mẫu")
    now = dt.datetime.now(dt.UTC)
    crls = (
        make_crl(
            corpus_pki.intermediate,
            [(revoked.cert.serial_number, dt.datetime(2026, 9, 1, tzinfo=dt.UTC))],
            now - dt.timedelta(days=1),
            now + dt.timedelta(days=30),
        ),
        make_crl(corpus_pki.root, [], now - dt.timedelta(days=1), now + dt.timedelta(days=30)),
    )

    def check(who: Identity) -> PdfSignatureStatus:
        signed = sign_pdf(letter_pdf, who, field_name=PERSON_FIELD, signing_time=PERSON_TIME, embed_crls=crls)
        reader = PdfFileReader(io.BytesIO(signed), strict=True)
        dss = DocumentSecurityStore.read_dss(reader)
        vc = dss.as_validation_context(
            {"trust_roots": [asn1(corpus_pki.root.cert)], "allow_fetching": False, "revocation_mode": "require"}
        )
        return validate_pdf_signature(reader.embedded_signatures[0], vc)

    good = check(corpus_pki.people[0])
    assert_good(good, PERSON_TIME)
    assert not good.revoked
    bad = check(revoked)
    assert bad.intact and bad.valid and bad.revoked and not bad.trusted
    # Without the embedded data, "require" cannot be satisfied offline.
    unsigned_vc = context(corpus_pki, revocation_mode="require", crls=[])
    plain = sign_pdf(letter_pdf, corpus_pki.people[0], field_name=PERSON_FIELD, signing_time=PERSON_TIME)
    assert not validate(plain, unsigned_vc)[PERSON_FIELD].trusted


def test_signing_rejects_naive_times_and_unknown_sub_filters(corpus_pki: DemoPki, letter_pdf: bytes) -> None:
    with pytest.raises(ValueError):
        sign_pdf(letter_pdf, corpus_pki.people[0], field_name="A", signing_time=dt.datetime(2026, 9, 15, 8, 30))
    with pytest.raises(ValueError):
        sign_pdf(letter_pdf, corpus_pki.people[0], field_name="A", sub_filter="adbe.x509.rsa_sha1")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        sign_letter(
            letter_pdf,
            corpus_pki.people[0],
            corpus_pki.organisation,
            person_time=ORGANISATION_TIME,
            organisation_time=PERSON_TIME,
        )


def test_every_demo_letter_signs_and_validates(corpus_pki: DemoPki) -> None:
    vc = context(corpus_pki)
    for letter in LETTERS:
        assert letter.issued_date is not None and letter.number is not None
        person_time, organisation_time = demo_signing_times(letter.issued_date, letter.number)
        assert person_time.hour == 8 and 20 <= (organisation_time - person_time).total_seconds() / 60 <= 90
        signed = sign_letter(
            render_letter(letter),
            corpus_pki.person(letter.signer_name),
            corpus_pki.organisation,
            person_time=person_time,
            organisation_time=organisation_time,
        )
        statuses = validate(signed, vc)
        assert_good(statuses[PERSON_FIELD], person_time)
        assert_good(statuses[ORGANISATION_FIELD], organisation_time)

