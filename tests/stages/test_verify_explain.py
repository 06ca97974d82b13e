"""`python -m pipeline verify FILE`: what a clerk or a citizen reads, in plain Vietnamese."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from kit import Portal, make_portal, run
from test_verify_attacks import (
    ORGANISATION_TIME,
    PERSON_TIME,
    _letter,
    _two_signatures,
    flipped_byte,
    incremental_content,
)

from corpus.letters import render_letter
from corpus.pki import DEMO_ORG, DemoPki, make_crl, make_leaf, make_tsa


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory, pki: DemoPki) -> Portal:
    return make_portal(tmp_path_factory.mktemp("explain-portal"), pki)


def _verify(portal: Portal, folder: Path, name: str, data: bytes) -> tuple[int, str]:
    path = folder / name
    path.write_bytes(data)
    status, out, err = run("--root", str(portal.root), "verify", str(path), "--trust", str(portal.trust))
    assert out, err
    return status, out


def test_a_good_letter_is_explained_signer_by_signer(portal: Portal, pki: DemoPki, tmp_path: Path) -> None:
    crl = make_crl(pki.intermediate, [], PERSON_TIME - dt.timedelta(days=1), PERSON_TIME + dt.timedelta(days=7))
    data = _two_signatures(render_letter(_letter(40)), pki.people[0], pki.organisation,
                           timestamp=True, tsa=make_tsa(pki.intermediate), embed_crls=(crl,))
    status, out = _verify(portal, tmp_path, "good.pdf", data)
    assert status == 0, out
    person, organisation = out.split("\n1. ", 1)[1].split("\n2. ", 1)
    assert person.startswith(f"Người có thẩm quyền ký: {pki.people[0].common_name} ✔")
    assert organisation.startswith(f"Cơ quan, tổ chức ký số: {DEMO_ORG} ✔")
    assert f"Cơ quan, tổ chức (trong chứng thư): {DEMO_ORG}" in person
    assert "Thời điểm ký (theo máy của người ký, không được chứng thực): 08:30 ngày 15/09/2026" in person
    assert "Dấu thời gian (đã xác minh): 08:30 ngày 15/09/2026" in person
    assert f"Dấu thời gian (đã xác minh): {ORGANISATION_TIME:%H:%M ngày %d/%m/%Y}" in organisation
    assert "chứng thư gốc tin cậy: DEMO Root CA congbo" in person
    assert "Tình trạng thu hồi: đã kiểm tra theo dữ liệu thu hồi (CRL/OCSP) kèm trong tệp" in person
    assert "Nguyên vẹn: có: tệp không thay đổi kể từ khi ký; sau đó chỉ được thêm chữ ký số" in person
    assert "Nguyên vẹn: có: chữ ký bao trùm toàn bộ tệp, tệp không thay đổi kể từ khi ký" in organisation
    assert f"SHA-256: {hashlib.sha256(data).hexdigest()}" in out
    assert "Kết luận: HỢP LỆ, được phép đăng. Tệp không bị thay đổi kể từ khi ký." in out


def test_without_revocation_data_the_report_says_it_was_not_checked(
        portal: Portal, pki: DemoPki, tmp_path: Path) -> None:
    status, out = _verify(portal, tmp_path, "plain.pdf",
                          _two_signatures(render_letter(_letter(41)), pki.people[0], pki.organisation))
    assert status == 0, out
    assert out.count("Tình trạng thu hồi: chưa kiểm tra: tệp không kèm dữ liệu thu hồi") == 2
    assert out.count("Dấu thời gian: không có") == 2


@pytest.mark.parametrize(("kind", "phrase", "code"), [
    ("flipped", "Nguyên vẹn: KHÔNG: dữ liệu đã ký không khớp với chữ ký", "[signature-invalid]"),
    ("appended", "Nguyên vẹn: KHÔNG: tệp đã bị thay đổi sau khi ký", "[modified-after-signing]"),
    ("expired", "Chứng thư số: ĐÃ HẾT HẠN trước thời điểm ký", "[certificate-invalid]"),
])
def test_a_refused_letter_says_what_is_wrong_and_what_to_do(
        portal: Portal, pki: DemoPki, tmp_path: Path, kind: str, phrase: str, code: str) -> None:
    good = _two_signatures(render_letter(_letter(42)), pki.people[0], pki.organisation)
    if kind == "flipped":
        data = flipped_byte(good)
    elif kind == "appended":
        data = incremental_content(good)
    else:
        expired = make_leaf(pki.intermediate, pki.people[0].common_name, DEMO_ORG,
                            not_before=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
                            not_after=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
        data = _two_signatures(render_letter(_letter(43)), expired, pki.organisation)
    status, out = _verify(portal, tmp_path, f"{kind}.pdf", data)
    assert status == 1
    assert phrase in out
    assert "Kết luận: TỪ CHỐI." in out
    assert code in out and "Cần làm:" in out
