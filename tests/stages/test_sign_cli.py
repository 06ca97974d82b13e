"""Issue 7: `python -m pipeline sign FILE --role person|organisation` with a PKCS#12 file (pyhanko):
incremental updates, visible appearances placed as Nghị định 30 describes (the person's signature
between the title and the name, the organisation's seal over its left third), the result accepted by
the portal's own verification, and no signature at all on a file with a secrecy mark.

PKCS#11 is wired through pyhanko but not exercised here: there is no token on the build machine;
only its error path (no driver) is checked."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest
from kit import inspect_json, make_portal, run
from PIL import Image
from pyhanko.pdf_utils.reader import PdfFileReader
from reportlab.pdfgen.canvas import Canvas

from corpus.letters import demo_letters, render_letter
from corpus.pki import DemoPki
from pipeline.office import stamps
from pipeline.office.signing import ORGANISATION_FIELD, PERSON_FIELD


@pytest.fixture
def keys(tmp_path: Path, pki: DemoPki, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    folder = tmp_path / "keys"
    folder.mkdir()
    person = folder / "nguoi-ky.p12"
    person.write_bytes(pki.people[0].pkcs12())
    organisation = folder / "co-quan.p12"
    organisation.write_bytes(pki.organisation.pkcs12(b"mat khau co quan"))
    root = folder / "root.pem"
    root.write_bytes(pki.root.cert_pem())
    monkeypatch.delenv("CONGBO_P12_PASSWORD", raising=False)
    return {"person": person, "organisation": organisation, "root": root}


def _widgets(data: bytes) -> dict[str, tuple[int, tuple[float, float, float, float], bool]]:
    """field name -> (page, rect, has a normal appearance stream)."""
    reader = PdfFileReader(io.BytesIO(data))
    found = {}
    for index, page in enumerate(stamps._pages(reader.root["/Pages"])):
        for annot in page.get("/Annots") or []:
            widget = annot.get_object()
            if widget.get("/FT") == "/Sig" or "/T" in widget:
                rect = tuple(float(v) for v in widget["/Rect"])
                found[str(widget["/T"])] = (index, rect, "/AP" in widget and "/N" in widget["/AP"])
    return found


def _sign_both(tmp_path: Path, keys: dict[str, Path], monkeypatch: pytest.MonkeyPatch, letter_index: int = 0,
               *extra: str) -> tuple[bytes, bytes, bytes, Path]:
    original = render_letter(demo_letters()[letter_index])
    source = tmp_path / "cong-van.pdf"
    source.write_bytes(original)
    status, out, err = run("sign", str(source), "--role", "person", "--p12", str(keys["person"]), *extra)
    assert status == 0, err
    assert "Đã ký số (người có thẩm quyền)" in out
    first = tmp_path / "cong-van-da-ky.pdf"
    monkeypatch.setenv("CONGBO_P12_PASSWORD", "mat khau co quan")
    status, out, err = run("sign", str(first), "--role", "organisation", "--p12", str(keys["organisation"]), *extra)
    assert status == 0, err
    second = tmp_path / "cong-van-da-ky-da-ky.pdf"
    assert source.read_bytes() == original, "the input is never changed"
    return original, first.read_bytes(), second.read_bytes(), second


@pytest.mark.parametrize("letter_index", [0, 3])  # a two-page plan and a one-page report
def test_person_then_organisation_signatures_are_visible_where_decree_30_puts_them(
        tmp_path: Path, keys: dict[str, Path], monkeypatch: pytest.MonkeyPatch, letter_index: int, pki: DemoPki,
) -> None:
    original, first, second, final = _sign_both(tmp_path, keys, monkeypatch, letter_index)
    assert first.startswith(original) and second.startswith(first)  # incremental updates only

    widgets = _widgets(second)
    person_page, person, person_drawn = widgets[PERSON_FIELD]
    seal_page, seal, seal_drawn = widgets[ORGANISATION_FIELD]
    assert person_drawn and seal_drawn
    block = stamps.find_signing_block(stamps.read(original))
    assert block is not None
    assert person_page == seal_page == block.page == stamps.page_count(stamps.read(original)) - 1
    # Between the title and the name, and under them horizontally.
    assert block.name.y < person[1] < person[3] < block.title.y
    assert person[0] < block.name.centre < person[2]
    # The seal is round, covers the left third of the signature, and sits at its height.
    seal_width, seal_height = seal[2] - seal[0], seal[3] - seal[1]
    assert abs(seal_width - seal_height) <= 1
    assert abs(seal[2] - (person[0] + (person[2] - person[0]) / 3)) <= 1.5
    assert seal[1] < (person[1] + person[3]) / 2 < seal[3]

    portal = make_portal(tmp_path / "portal", pki)  # the portal trusts the same root
    _status, report = inspect_json(final, portal.root, portal.trust)
    assert report["verdict"] == "publish", report["reasons"]
    assert [(s["field"], s["role"], s["intact"], s["trusted"]) for s in report["signatures"]] == [
        (PERSON_FIELD, "person", True, True), (ORGANISATION_FIELD, "organisation", True, True)]
    assert all(not s["problems"] for s in report["signatures"])


def test_a_file_with_a_secrecy_mark_is_never_signed(tmp_path: Path, keys: dict[str, Path]) -> None:
    secret = dataclasses.replace(demo_letters()[1], secrecy="MẬT")
    source = tmp_path / "mat.pdf"
    source.write_bytes(render_letter(secret))
    status, _, err = run("sign", str(source), "--role", "person", "--p12", str(keys["person"]))
    assert status == 1
    assert "Không ký: văn bản có dấu chỉ mức độ mật 'MẬT'" in err
    assert list(tmp_path.glob("*.pdf")) == [source]


def test_a_secrecy_mark_declared_in_a_sidecar_also_stops_signing(tmp_path: Path, keys: dict[str, Path]) -> None:
    source = tmp_path / "a.pdf"
    source.write_bytes(render_letter(demo_letters()[3]))
    (tmp_path / "a.yml").write_text("secrecy: Mật\n", encoding="utf-8")
    status, _, err = run("sign", str(source), "--role", "person", "--p12", str(keys["person"]))
    assert status == 1 and "'MẬT'" in err


def test_a_scan_without_text_is_not_signed_since_its_marks_cannot_be_checked(tmp_path: Path,
                                                                            keys: dict[str, Path]) -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.rect(100, 100, 300, 500, fill=1)
    canvas.save()
    source = tmp_path / "anh-quet.pdf"
    source.write_bytes(buffer.getvalue())
    status, _, err = run("sign", str(source), "--role", "person", "--p12", str(keys["person"]))
    assert status == 1 and "không có lớp chữ" in err


def test_the_person_cannot_sign_after_the_organisation(tmp_path: Path, keys: dict[str, Path],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "a.pdf"
    source.write_bytes(render_letter(demo_letters()[3]))
    monkeypatch.setenv("CONGBO_P12_PASSWORD", "mat khau co quan")
    status, _, err = run("sign", str(source), "--role", "organisation", "--p12", str(keys["organisation"]))
    assert status == 0, err
    monkeypatch.delenv("CONGBO_P12_PASSWORD")
    status, _, err = run("sign", str(tmp_path / "a-da-ky.pdf"), "--role", "person", "--p12", str(keys["person"]))
    assert status == 1 and "người có thẩm quyền ký trước" in err


def test_nothing_is_overwritten(tmp_path: Path, keys: dict[str, Path]) -> None:
    source = tmp_path / "a.pdf"
    source.write_bytes(render_letter(demo_letters()[3]))
    for _ in range(2):
        assert run("sign", str(source), "--role", "person", "--p12", str(keys["person"]))[0] == 0
    assert (tmp_path / "a-da-ky.pdf").is_file() and (tmp_path / "a-da-ky-2.pdf").is_file()
    status, _, err = run("sign", str(source), "--role", "person", "--p12", str(keys["person"]),
                         "--out", str(tmp_path / "a-da-ky.pdf"))
    assert status == 1 and "không ghi đè" in err


def test_explicit_box_page_image_and_invisible(tmp_path: Path, keys: dict[str, Path]) -> None:
    source = tmp_path / "a.pdf"
    source.write_bytes(render_letter(demo_letters()[0]))  # two pages
    image = tmp_path / "chu-ky.png"
    Image.new("RGBA", (300, 120), (0, 0, 200, 255)).save(image)
    status, out, err = run("sign", str(source), "--role", "person", "--p12", str(keys["person"]),
                           "--page", "1", "--box", "300,100,450,160", "--image", str(image),
                           "--out", str(tmp_path / "hop.pdf"))
    assert status == 0, err
    assert "trang 1, vị trí 300,100,450,160" in out
    page, rect, drawn = _widgets((tmp_path / "hop.pdf").read_bytes())[PERSON_FIELD]
    assert (page, rect, drawn) == (0, (300.0, 100.0, 450.0, 160.0), True)
    assert b"/Subtype /Image" in (tmp_path / "hop.pdf").read_bytes()

    status, out, err = run("sign", str(source), "--role", "person", "--p12", str(keys["person"]), "--invisible",
                           "--out", str(tmp_path / "an.pdf"))
    assert status == 0, err
    _, rect, _ = _widgets((tmp_path / "an.pdf").read_bytes())[PERSON_FIELD]
    assert rect[2] - rect[0] == 0 and rect[3] - rect[1] == 0


def test_a_wrong_pkcs12_password_is_explained(tmp_path: Path, keys: dict[str, Path],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "a.pdf"
    source.write_bytes(render_letter(demo_letters()[3]))
    monkeypatch.setenv("CONGBO_P12_PASSWORD", "sai")
    status, _, err = run("sign", str(source), "--role", "organisation", "--p12", str(keys["organisation"]))
    assert status == 1 and "không mở được tệp PKCS#12" in err
    assert not (tmp_path / "a-da-ky.pdf").exists()


def test_pkcs11_without_a_driver_says_what_is_missing(tmp_path: Path) -> None:
    source = tmp_path / "a.pdf"
    source.write_bytes(render_letter(demo_letters()[3]))
    status, _, err = run("sign", str(source), "--role", "person", "--pkcs11-lib", str(tmp_path / "khong-co.so"),
                         "--key-label", "ky-so")
    assert status == 1
    assert "chưa cài thư viện PKCS#11" in err or "không mở được thiết bị ký số" in err
