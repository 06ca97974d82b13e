"""End to end: signed letters in documents/ become pages, byte-identical PDFs and feeds; refused
ones appear nowhere. Real PKI, real pyhanko signatures, real mkdocs build, real feedparser."""

from __future__ import annotations

import dataclasses
import hashlib
from io import BytesIO
from pathlib import Path

import feedparser
import pytest
from kit import Portal, assert_nowhere_in_site, inspect_json, make_portal, sign
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from corpus.letters import Letter, demo_letters, letter_filename, render_letter
from corpus.pki import DemoPki
from pipeline.normalize import fold

REFUSED_SUBJECTS = {
    "unsigned": "thông báo chưa ký số về việc thử nghiệm từ chối một",
    "tampered": "thông báo bị sửa một byte sau khi ký thử nghiệm hai",
    "modified": "thông báo bị thêm nội dung sau khi ký thử nghiệm ba",
    "untrusted": "thông báo ký bằng chứng thư giả mạo thử nghiệm bốn",
    "secret": "thông báo có dấu mật thử nghiệm năm",
}
EXPECTED_CODE = {
    "unsigned": "unsigned",
    "tampered": "signature-invalid",
    "modified": "modified-after-signing",
    "untrusted": "untrusted",
    "secret": "secret",
}


def _refused_letter(base: Letter, index: int, kind: str) -> Letter:
    return dataclasses.replace(
        base, number=f"{901 + index}/TB-LĐLĐ", type_name="Thông báo", subject=REFUSED_SUBJECTS[kind],
        secrecy="MẬT" if kind == "secret" else None, urgency=None,
    )


def _flip_signed_byte(data: bytes) -> bytes:
    position = data.index(b"ReportLab")  # the producer string, inside the first signed revision
    return data[:position] + b"X" + data[position + 1:]


def _append_content(data: bytes) -> bytes:
    """The incremental-saving attack: a later revision paints over page 1 after both signatures."""
    writer = IncrementalPdfFileWriter(BytesIO(data))
    stream = generic.StreamObject(stream_data=b"1 1 1 rg 60 640 480 120 re f 0 0 0 rg")
    writer.add_stream_to_page(0, writer.add_object(stream))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclasses.dataclass
class Built:
    portal: Portal
    status: int
    stdout: str
    published: dict[str, tuple[Letter, bytes]]  # filename -> (letter, signed bytes)
    refused: dict[str, tuple[Letter, bytes, Path]]  # kind -> (letter, bytes, path)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, pki: DemoPki, impostor_pki: DemoPki) -> Built:
    portal = make_portal(tmp_path_factory.mktemp("portal"), pki)
    published = {}
    for letter in demo_letters():
        data = sign(letter, pki)
        name = f"2026/{letter_filename(letter)}"
        portal.add(name, data)
        published[name] = (letter, data)
    base = demo_letters()[0]
    refused = {}
    for index, kind in enumerate(REFUSED_SUBJECTS):
        letter = _refused_letter(base, index, kind)
        if kind == "unsigned":
            data = render_letter(letter)
        elif kind == "untrusted":
            data = sign(letter, impostor_pki)
        else:
            data = sign(letter, pki)
        if kind == "tampered":
            data = _flip_signed_byte(data)
        if kind == "modified":
            data = _append_content(data)
        path = portal.add(f"2026/refused-{kind}.pdf", data)
        refused[kind] = (letter, data, path)
    status, stdout, stderr = portal.build()
    assert (portal.site / "index.html").is_file(), stderr
    return Built(portal, status, stdout, published, refused)


def test_build_exits_3_and_names_every_refused_file_in_vietnamese(built: Built) -> None:
    assert built.status == 3
    assert f"Đã đăng {len(built.published)} văn bản." in built.stdout
    for kind in REFUSED_SUBJECTS:
        assert f"refused-{kind}.pdf" in built.stdout
        assert f"[{EXPECTED_CODE[kind]}]" in built.stdout
    assert "Cần làm:" in built.stdout


def test_every_published_pdf_is_byte_identical_and_its_page_shows_the_hash(built: Built) -> None:
    pdfs = {p.read_bytes() for p in (built.portal.site / "van-ban").glob("*.pdf")}
    assert len(pdfs) == len(built.published)
    for _letter, data in built.published.values():
        assert data in pdfs
    pages = list((built.portal.site / "van-ban").glob("*/index.html"))
    assert len(pages) == len(built.published)
    shown = "".join(p.read_text(encoding="utf-8") for p in pages)
    for _letter, data in built.published.values():
        assert hashlib.sha256(data).hexdigest() in shown


def test_document_page_shows_metadata_and_signatures(built: Built) -> None:
    letter, data = next(iter(built.published.values()))
    digest = hashlib.sha256(data).hexdigest()
    page = next(p for p in (built.portal.site / "van-ban").glob("*/index.html")
                if digest in p.read_text(encoding="utf-8")).read_text(encoding="utf-8")
    assert letter.number and letter.number in page
    assert letter.signer_name in page
    assert "Chữ ký số" in page and "Liên đoàn Lao động tỉnh Mẫu" in page
    assert 'lang="vi"' in page


def test_refused_documents_appear_nowhere_in_the_site(built: Built) -> None:
    assert_nowhere_in_site(built.portal.site, [(letter, data) for letter, data, _path in built.refused.values()])


def test_portal_feed_parses_and_carries_every_document_with_its_pdf(built: Built) -> None:
    feed = feedparser.parse((built.portal.site / "feeds" / "all.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.language == "vi"
    assert len(feed.entries) == len(built.published)
    guids = [e.id for e in feed.entries]
    assert len(set(guids)) == len(guids)
    sizes = {len(data) for _, data in built.published.values()}
    for entry in feed.entries:
        [enclosure] = entry.enclosures
        assert enclosure.type == "application/pdf"
        assert int(enclosure.length) in sizes
        assert entry.link.startswith("https://congbo.example.org/van-ban/")


def _addressed_to(letter: Letter, names: set[str]) -> bool:
    lines = {fold(x).strip(" ;,.") for x in (*letter.addressees, *letter.recipients)}
    if lines & {fold(n) for n in names}:
        return True
    # "Như Điều 2" in a decision's Nơi nhận: whoever that article names (issue 6).
    for recipient in letter.recipients:
        if fold(recipient).startswith("nhu dieu "):
            article = f"dieu {fold(recipient).split()[2]}."
            text = " ".join(fold(p) for p in letter.body if fold(p).startswith(article))
            if any(fold(n) in text for n in names):
                return True
    return False


def test_each_unit_feed_carries_exactly_the_documents_addressed_to_it(built: Built) -> None:
    import yaml

    config = yaml.safe_load((built.portal.root / "portal.yml").read_text(encoding="utf-8"))
    groups = {g["id"]: {g["name"], *g.get("aliases", [])} for g in config["groups"]}
    checked = 0
    for unit in config["units"]:
        names = {unit["name"], *unit.get("aliases", [])}
        for group in unit.get("groups", []):
            names |= groups[group]
        expected = {hashlib.sha256(data).hexdigest() for letter, data in built.published.values()
                    if _addressed_to(letter, names)}
        feed = feedparser.parse((built.portal.site / "feeds" / f"{unit['id']}.xml").read_bytes())
        assert not feed.bozo, (unit["id"], feed.bozo_exception)
        got = {e.id.removeprefix("urn:sha256:") for e in feed.entries}
        assert got == expected, unit["id"]
        checked += len(expected)
    assert checked > 0


@pytest.mark.parametrize("kind", list(REFUSED_SUBJECTS))
def test_inspect_contract_refuses_each_bad_file(built: Built, kind: str) -> None:
    _letter, data, path = built.refused[kind]
    status, report = inspect_json(path, built.portal.root, built.portal.trust)
    assert status == 1
    assert report["verdict"] == "refuse"
    assert report["sha256"] == hashlib.sha256(data).hexdigest()
    assert EXPECTED_CODE[kind] in {r["code"] for r in report["reasons"]}
    assert all(r["message"] for r in report["reasons"])


def test_inspect_contract_on_a_good_file(built: Built) -> None:
    name, (letter, _data) = next(iter(built.published.items()))
    status, report = inspect_json(built.portal.root / "documents" / name, built.portal.root, built.portal.trust)
    assert status == 0, report["reasons"]
    assert report["verdict"] == "publish" and report["reasons"] == []
    assert set(report) >= {"file", "sha256", "verdict", "reasons", "signatures", "metadata"}
    assert [s["field"] for s in report["signatures"]] == ["ChuKyNguoiKy", "ChuKyCoQuan"]
    assert all(s["intact"] and s["trusted"] for s in report["signatures"])
    meta = report["metadata"]
    assert meta["number"] == letter.number
    assert meta["type"] == letter.type_name
    assert meta["signer"]["name"] == letter.signer_name
    assert set(meta) >= {"number", "date", "place", "issuer", "type", "subject", "addressees", "recipients",
                         "signer", "urgency", "secrecy", "references"}


def test_inspect_usage_error_exits_2(built: Built, tmp_path: Path) -> None:
    from kit import run

    status, _out, err = run("--root", str(built.portal.root), "inspect", str(tmp_path / "missing.pdf"), "--json")
    assert status == 2
    assert "Không tìm thấy tệp" in err
