"""Issue 15 end to end: real builds of a portal made by tests/kit.py, with letters that a lenient
verifier would publish: an expired certificate with a claimed time before expiry, another company's
certificate named like the organisation, a TLS server certificate, the organisation's signature
alone, another body's letter signed with our certificate. Each is refused with its rule; the
control letters beside them publish."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from kit import ICT, Portal, make_portal, run, sign

from corpus.letters import Letter, demo_letters, letter_filename, render_letter
from corpus.pki import (
    DemoPki,
    Identity,
    make_lookalike_organisation,
    make_organisation_certificate,
    make_self_signed_end_entity,
    make_tls_server,
)
from corpus.signing import ORGANISATION_FIELD, PERSON_FIELD, sign_pdf

HOSTILE = {
    "expired": "certificate-invalid",
    "lookalike": "issuer-mismatch",
    "tls-server": "certificate-invalid",
    "organisation-only": "unsigned",
    "other-issuer": "issuer-mismatch",
}


def _at(day: dt.date, hour: int = 8) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 30, tzinfo=ICT)


def _signed(letter: Letter, *signers: tuple[Identity, str]) -> bytes:
    assert letter.issued_date is not None
    data = render_letter(letter)
    for index, (identity, field) in enumerate(signers):
        moment = _at(letter.issued_date) + index * dt.timedelta(minutes=40)
        data = sign_pdf(data, identity, field_name=field, signing_time=moment)
    return data


def _hostile(kind: str, base: Letter, index: int, pki: DemoPki) -> bytes:
    letter = dataclasses.replace(base, number=f"{931 + index}/TB-LĐLĐ", type_name="Thông báo",
                                 subject=f"thông báo thử nghiệm quy tắc tin cậy số {index + 1}")
    person = pki.person(letter.signer_name)
    if kind == "expired":  # claimed in May, certificate expired in June, never published before now
        letter = dataclasses.replace(letter, issued_date=dt.date(2026, 5, 11))
        expired = make_organisation_certificate(pki, not_after=dt.datetime(2026, 6, 1, tzinfo=dt.UTC))
        return _signed(letter, (person, PERSON_FIELD), (expired, ORGANISATION_FIELD))
    if kind == "lookalike":
        return _signed(letter, (person, PERSON_FIELD), (make_lookalike_organisation(pki), ORGANISATION_FIELD))
    if kind == "tls-server":
        return _signed(letter, (make_tls_server(pki), PERSON_FIELD), (pki.organisation, ORGANISATION_FIELD))
    if kind == "organisation-only":
        return _signed(letter, (pki.organisation, ORGANISATION_FIELD))
    assert kind == "other-issuer"
    letter = dataclasses.replace(letter, parent_organ="LIÊN ĐOÀN LAO ĐỘNG TỈNH MẪU", organ_name="CÔNG ĐOÀN NGÀNH Y TẾ")
    return _signed(letter, (person, PERSON_FIELD), (pki.organisation, ORGANISATION_FIELD))


@dataclasses.dataclass(frozen=True)
class Built:
    portal: Portal
    status: int
    stdout: str
    published: tuple[str, ...]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, pki: DemoPki) -> Built:
    portal = make_portal(tmp_path_factory.mktemp("trust-rules"), pki)
    letters = demo_letters()
    published = []
    for letter in letters[:2]:  # controls: signed as Decree 30 says, by the pinned organisation certificate
        name = f"2026/{letter_filename(letter)}"
        portal.add(name, sign(letter, pki))
        published.append(name)
    for index, kind in enumerate(HOSTILE):
        portal.add(f"2026/trust-{kind}.pdf", _hostile(kind, letters[0], index, pki))
    status, stdout, stderr = portal.build()
    assert (portal.site / "index.html").is_file(), stderr
    return Built(portal, status, stdout, tuple(published))


def _block(stdout: str, name: str) -> str:
    """The build report's lines about one refused file: its line and the indented ones after it."""
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("✗ ") and line.endswith(name))
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith(" ")), len(lines))
    return "\n".join(lines[start:end])


def test_the_controls_publish_and_every_hostile_letter_is_refused(built: Built) -> None:
    assert built.status == 3
    assert f"Đã đăng {len(built.published)} văn bản." in built.stdout
    assert f"TỪ CHỐI {len(HOSTILE)} văn bản" in built.stdout
    refused = {line.removeprefix("✗ documents/") for line in built.stdout.splitlines() if line.startswith("✗ ")}
    assert refused == {f"2026/trust-{kind}.pdf" for kind in HOSTILE}
    published_pdfs = {path.name for path in built.portal.site.rglob("*.pdf")}
    assert published_pdfs >= {Path(name).name for name in built.published}
    assert not [name for name in published_pdfs if name.startswith("trust-")]


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_each_hostile_letter_is_refused_for_its_rule(built: Built, kind: str) -> None:
    block = _block(built.stdout, f"trust-{kind}.pdf")
    assert f"[{HOSTILE[kind]}]" in block, block
    assert "Cần làm:" in block


def _edit_portal_yml(portal: Portal, edit: object) -> None:
    path = portal.root / "portal.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_a_portal_without_pins_does_not_build_and_says_what_to_add(tmp_path: Path, pki: DemoPki) -> None:
    portal = make_portal(tmp_path / "portal", pki)
    letter = demo_letters()[0]
    portal.add(f"2026/{letter_filename(letter)}", sign(letter, pki))
    _edit_portal_yml(portal, lambda d: d["organisation"].pop("certificates"))
    status, stdout, stderr = portal.build()
    assert status != 0
    assert "organisation.certificates" in stdout + stderr
    assert not list(portal.site.rglob("*.pdf"))


def test_a_trust_root_that_is_not_a_ca_stops_the_build_naming_the_file(tmp_path: Path, pki: DemoPki) -> None:
    portal = make_portal(tmp_path / "portal", pki)
    (portal.root / "trust" / "leaf.pem").write_bytes(make_self_signed_end_entity("DEMO không phải CA").cert_pem())
    _edit_portal_yml(portal, lambda d: d["trust"]["roots"].append("trust/leaf.pem"))
    status, stdout, stderr = run("--root", str(portal.root), "build", "--out", str(portal.site))
    assert status != 0
    assert re.search(r"leaf\.pem.*CA", stdout + stderr)


def test_inspect_with_a_trust_root_that_is_not_a_ca_is_refused(tmp_path: Path, pki: DemoPki) -> None:
    portal = make_portal(tmp_path / "portal", pki)
    letter = demo_letters()[0]
    path = portal.add(f"2026/{letter_filename(letter)}", sign(letter, pki))
    leaf = tmp_path / "leaf.pem"
    leaf.write_bytes(make_self_signed_end_entity("DEMO không phải CA").cert_pem())
    status, stdout, stderr = run("--root", str(portal.root), "inspect", str(path), "--trust", str(leaf), "--json")
    assert status != 0 and "leaf.pem" in stdout + stderr
    status, stdout, _ = run("--root", str(portal.root), "inspect", str(path), "--trust", str(portal.trust), "--json")
    assert status == 0, stdout  # control: the CA root
