"""A small, real X.509 PKI for tests and the demo portal.

Everything is built with the `cryptography` builders: RSA-2048 keys (pyhanko's DummyTimeStamper is
RSA-only), proper subject/authority key identifiers, basic constraints and key usage. The demo
hierarchy mimics the Vietnamese one (a root, an issuing CA, then an organisation certificate and
personal certificates of the people who sign for it), but every CA name says DEMO so that nobody can
mistake these keys for real ones.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DEMO_NOT_BEFORE = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
DEMO_NOT_AFTER = dt.datetime(2036, 1, 1, tzinfo=dt.UTC)
DEMO_ORG = "Liên đoàn Lao động tỉnh Mẫu"
DEMO_PEOPLE = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường")
DEMO_ROOT_CN = "DEMO Root CA congbo"
DEMO_ROOT_ORG = "DEMO congbo - không dùng thật"
DEMO_INTERMEDIATE_CN = "DEMO CA Ký số"

_MANIFEST = "pki.json"
_KEY_SIZE = 2048


@dataclass(frozen=True)
class Identity:
    """A certificate with its private key and the issuing chain (issuer first, root last)."""

    cert: x509.Certificate
    key: rsa.RSAPrivateKey
    chain: tuple[x509.Certificate, ...]

    @property
    def common_name(self) -> str:
        return _name_attr(self.cert.subject, NameOID.COMMON_NAME) or ""

    @property
    def organisation(self) -> str | None:
        return _name_attr(self.cert.subject, NameOID.ORGANIZATION_NAME)

    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def pkcs12(self, password: bytes | None = None) -> bytes:
        """PKCS#12 archive with the key, the certificate and the chain (no password by default)."""
        encryption: serialization.KeySerializationEncryption = (
            serialization.BestAvailableEncryption(password)
            if password
            else serialization.NoEncryption()
        )
        return pkcs12.serialize_key_and_certificates(
            name=self.common_name.encode("utf-8"),
            key=self.key,
            cert=self.cert,
            cas=list(self.chain) or None,
            encryption_algorithm=encryption,
        )


@dataclass(frozen=True)
class DemoPki:
    root: Identity
    intermediate: Identity
    organisation: Identity
    people: tuple[Identity, ...]

    def identities(self) -> tuple[Identity, ...]:
        return (self.root, self.intermediate, self.organisation, *self.people)

    def person(self, name: str) -> Identity:
        """The person whose certificate CN is `name` (NFC compared)."""
        wanted = unicodedata.normalize("NFC", name)
        for person in self.people:
            if unicodedata.normalize("NFC", person.common_name) == wanted:
                return person
        raise KeyError(name)


def _name_attr(name: x509.Name, oid: x509.ObjectIdentifier) -> str | None:
    attrs = name.get_attributes_for_oid(oid)
    if not attrs:
        return None
    value = attrs[0].value
    return value if isinstance(value, str) else value.decode("utf-8")


def _name(common_name: str, org: str | None, email: str | None = None) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, unicodedata.normalize("NFC", org)))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, unicodedata.normalize("NFC", common_name)))
    if email:
        attrs.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, email))
    return x509.Name(attrs)


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=_KEY_SIZE)


def _check_aware(*moments: dt.datetime) -> None:
    for moment in moments:
        if moment.tzinfo is None:
            raise ValueError(f"certificate validity bounds must be timezone-aware, got {moment!r}")


def _ca_key_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )


def make_root(
    common_name: str,
    org: str = DEMO_ROOT_ORG,
    not_before: dt.datetime = DEMO_NOT_BEFORE,
    not_after: dt.datetime = DEMO_NOT_AFTER,
) -> Identity:
    """A self-signed root CA."""
    _check_aware(not_before, not_after)
    key = _new_key()
    name = _name(common_name, org)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_ca_key_usage(), critical=True)
        .add_extension(ski, critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Identity(cert=cert, key=key, chain=())


def _issuer_chain(issuer: Identity) -> tuple[x509.Certificate, ...]:
    return (issuer.cert, *issuer.chain)


def _aki(issuer: Identity) -> x509.AuthorityKeyIdentifier:
    ski = issuer.cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    return x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski)


def make_intermediate(
    parent: Identity,
    common_name: str,
    org: str | None = DEMO_ROOT_ORG,
    not_before: dt.datetime = DEMO_NOT_BEFORE,
    not_after: dt.datetime = DEMO_NOT_AFTER,
    *,
    crl_url: str | None = None,
) -> Identity:
    """An issuing CA certified by `parent` (path length 0: it issues end-entity certificates only).

    `crl_url` adds a CRL distribution point naming the parent's CRL (see `make_leaf`)."""
    _check_aware(not_before, not_after)
    key = _new_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, org))
        .issuer_name(parent.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_ca_key_usage(), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(_aki(parent), critical=False)
    )
    cert = _with_crl_url(builder, crl_url).sign(parent.key, hashes.SHA256())
    return Identity(cert=cert, key=key, chain=_issuer_chain(parent))


def _with_crl_url(builder: x509.CertificateBuilder, crl_url: str | None) -> x509.CertificateBuilder:
    if not crl_url:
        return builder
    point = x509.DistributionPoint(
        full_name=[x509.UniformResourceIdentifier(crl_url)], relative_name=None, reasons=None, crl_issuer=None
    )
    return builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)


def make_leaf(
    issuer: Identity,
    common_name: str,
    organisation: str | None,
    *,
    not_before: dt.datetime = DEMO_NOT_BEFORE,
    not_after: dt.datetime = DEMO_NOT_AFTER,
    non_repudiation: bool = True,
    email: str | None = None,
    extra_eku: Iterable[x509.ObjectIdentifier] = (),
    crl_url: str | None = None,
) -> Identity:
    """An end-entity signing certificate.

    Key usage is always digitalSignature; nonRepudiation (contentCommitment) only when asked, since
    some Vietnamese CAs issue signing certificates without it. `extra_eku` adds an extended key usage
    extension (e.g. time stamping for a TSA identity).

    `crl_url` adds a CRL distribution point. Nobody fetches it offline, but pyhanko-certvalidator's
    "hard-fail" revocation mode only checks certificates that advertise revocation information, so
    a certificate without it passes "hard-fail" unchecked ("require" checks every certificate).
    """
    _check_aware(not_before, not_after)
    key = _new_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, organisation, email))
        .issuer_name(issuer.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=non_repudiation,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(_aki(issuer), critical=False)
    )
    if email:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False
        )
    ekus = list(extra_eku)
    if ekus:
        critical = ExtendedKeyUsageOID.TIME_STAMPING in ekus  # RFC 3161 wants it critical for a TSA
        builder = builder.add_extension(x509.ExtendedKeyUsage(ekus), critical=critical)
    cert = _with_crl_url(builder, crl_url).sign(issuer.key, hashes.SHA256())
    return Identity(cert=cert, key=key, chain=_issuer_chain(issuer))


def make_tsa(issuer: Identity, common_name: str = "DEMO TSA congbo") -> Identity:
    """A time-stamping authority certificate (critical EKU timeStamping), for DummyTimeStamper."""
    return make_leaf(
        issuer,
        common_name,
        DEMO_ROOT_ORG,
        non_repudiation=False,
        extra_eku=(ExtendedKeyUsageOID.TIME_STAMPING,),
    )


# Issue 15's hostile certificates: each one a way of being accepted that must not work.
DOCUMENT_SIGNING_EKU = x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")  # id-kp-documentSigning (RFC 9336)
LOOKALIKE_COMPANY = "Công ty TNHH Thương mại Mẫu Việt"


def make_lookalike_organisation(pki: DemoPki, common_name: str | None = None) -> Identity:
    """Another company's genuine certificate from the same trusted CA, whose CN spells the
    organisation's name in capitals: same name once folded, another subject and key."""
    return make_leaf(pki.intermediate, common_name or pki.organisation.common_name.upper(), LOOKALIKE_COMPANY)


def make_organisation_certificate(pki: DemoPki, *, issuer: Identity | None = None,
                                  not_before: dt.datetime = DEMO_NOT_BEFORE,
                                  not_after: dt.datetime = DEMO_NOT_AFTER) -> Identity:
    """Another certificate with the organisation's own subject and a new key: an expired one (a
    short `not_after`), or one from another issuing CA (`issuer`, e.g. a second DEMO intermediate)."""
    name = pki.organisation.common_name
    return make_leaf(issuer or pki.intermediate, name, pki.organisation.organisation or name,
                     not_before=not_before, not_after=not_after)


def make_tls_server(pki: DemoPki, host: str = "congbo.example.org") -> Identity:
    """A TLS server certificate (extendedKeyUsage serverAuth only) from the trusted CA: it may
    secure a web site, not sign a document."""
    return make_leaf(pki.intermediate, host, pki.organisation.organisation, non_repudiation=False,
                     extra_eku=(ExtendedKeyUsageOID.SERVER_AUTH,))


def make_self_signed_end_entity(common_name: str, org: str | None = DEMO_ROOT_ORG, *,
                                basic_constraints: bool = True) -> Identity:
    """A self-signed certificate that is not a CA: basicConstraints cA=false, or no basicConstraints
    at all when `basic_constraints` is False. Listed as a trust root it must be refused."""
    key = _new_key()
    name = _name(common_name, org)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(DEMO_NOT_BEFORE)
        .not_valid_after(DEMO_NOT_AFTER)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if basic_constraints:
        builder = builder.add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
    return Identity(cert=builder.sign(key, hashes.SHA256()), key=key, chain=())


def make_crl(
    issuer: Identity,
    revoked: list[tuple[int, dt.datetime]],
    this_update: dt.datetime,
    next_update: dt.datetime,
    crl_number: int = 1,
) -> x509.CertificateRevocationList:
    """A CRL signed by `issuer` listing (serial, revocation time) pairs."""
    _check_aware(this_update, next_update, *(when for _, when in revoked))
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.cert.subject)
        .last_update(this_update)
        .next_update(next_update)
        .add_extension(x509.CRLNumber(crl_number), critical=False)
        .add_extension(_aki(issuer), critical=False)
    )
    for serial, revoked_at in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(revoked_at).build()
        )
    return builder.sign(issuer.key, hashes.SHA256())


def make_demo_pki(
    org_name: str = DEMO_ORG,
    people: Iterable[str] = DEMO_PEOPLE,
    root_cn: str = DEMO_ROOT_CN,
    *,
    intermediate_cn: str = DEMO_INTERMEDIATE_CN,
    not_before: dt.datetime = DEMO_NOT_BEFORE,
    not_after: dt.datetime = DEMO_NOT_AFTER,
    people_non_repudiation: bool = True,
) -> DemoPki:
    """Root -> "DEMO CA Ký số" -> organisation certificate and one certificate per person.

    The organisation's certificate has CN = O = the organisation's name; a person's has CN = the
    person's name and O = the organisation's name, like the certificates Vietnamese CAs issue to
    officials and to their agencies.
    """
    if "DEMO" not in root_cn:
        raise ValueError("the demo root's common name must say DEMO")
    root = make_root(root_cn, DEMO_ROOT_ORG, not_before, not_after)
    intermediate = make_intermediate(root, intermediate_cn, DEMO_ROOT_ORG, not_before, not_after)
    organisation = make_leaf(
        intermediate, org_name, org_name, not_before=not_before, not_after=not_after
    )
    persons = tuple(
        make_leaf(
            intermediate,
            name,
            org_name,
            not_before=not_before,
            not_after=not_after,
            non_repudiation=people_non_repudiation,
        )
        for name in people
    )
    return DemoPki(root=root, intermediate=intermediate, organisation=organisation, people=persons)


def slug(text: str) -> str:
    """ASCII file-name slug: accents folded, đ -> d, runs of other characters -> '-'."""
    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def write_pki(pki: DemoPki, folder: Path) -> list[Path]:
    """Write `root.pem` (the trust root), one `<slug>.p12` per identity (no password) and a
    `pki.json` manifest naming each file's role. Returns the written paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    root_pem = folder / "root.pem"
    root_pem.write_bytes(pki.root.cert_pem())
    written.append(root_pem)

    def put(identity: Identity) -> str:
        name = f"{slug(identity.common_name)}.p12"
        path = folder / name
        path.write_bytes(identity.pkcs12())
        written.append(path)
        return name

    manifest = {
        "warning": "DEMO keys for tests and the demo portal only. Never trust them.",
        "root": put(pki.root),
        "intermediate": put(pki.intermediate),
        "organisation": put(pki.organisation),
        "people": [put(person) for person in pki.people],
    }
    if len(set(manifest["people"])) != len(pki.people):
        raise ValueError("two people share a file-name slug")
    manifest_path = folder / _MANIFEST
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    written.append(manifest_path)
    return written


def load_identity(data: bytes, password: bytes | None = None) -> Identity:
    """Read an Identity back from PKCS#12 bytes written by `Identity.pkcs12`."""
    key, cert, cas = pkcs12.load_key_and_certificates(data, password)
    if cert is None or not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("PKCS#12 archive without a certificate and an RSA key")
    return Identity(cert=cert, key=key, chain=_order_chain(cert, cas))


def _order_chain(cert: x509.Certificate, pool: Iterable[x509.Certificate]) -> tuple[x509.Certificate, ...]:
    """Order `pool` from the issuer of `cert` up to the root, whatever order PKCS#12 kept."""
    by_subject = {c.subject: c for c in pool}
    chain: list[x509.Certificate] = []
    current = cert
    while current.issuer != current.subject and current.issuer in by_subject:
        current = by_subject.pop(current.issuer)
        chain.append(current)
    return tuple(chain)


def load_pki(folder: Path) -> DemoPki:
    """Read back what `write_pki` wrote, checking that root.pem is the root of the archives."""
    manifest = json.loads((folder / _MANIFEST).read_text(encoding="utf-8"))

    def get(name: str) -> Identity:
        return load_identity((folder / name).read_bytes())

    pki = DemoPki(
        root=get(manifest["root"]),
        intermediate=get(manifest["intermediate"]),
        organisation=get(manifest["organisation"]),
        people=tuple(get(name) for name in manifest["people"]),
    )
    trust_root = x509.load_pem_x509_certificate((folder / "root.pem").read_bytes())
    if trust_root != pki.root.cert:
        raise ValueError("root.pem does not match the root archive")
    return pki
