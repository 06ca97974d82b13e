"""Issue 15, end to end: what the decide stage reads besides the PDFs, through one real build.

Sidecars in any spelling and files that only look like one, hostile YAML, `secrecy: none` and
`attachments:` shown on the page, the same bytes at two paths with one copy secret, unnumbered and
undated drafts, and symbolic links in documents/. The control letters publish in the same build:
one bad input refuses its file, never the portal."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from io import BytesIO
from pathlib import Path

import pytest
from kit import ICT, Portal, make_portal, sign
from pyhanko.pdf_utils import embed
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pypdf import PdfReader

from corpus.hostile import image_page, sign_hostile
from corpus.letters import Letter, demo_letters, render_letter
from corpus.pki import DemoPki
from corpus.signing import sign_letter

BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{b}: &{b} [*{a},*{a},*{a},*{a},*{a},*{a},*{a},*{a},*{a}]" for a, b in zip("abcdefgh", "bcdefghi", strict=True)]
)
ANNEX = "phụ lục danh sách.csv"
ANNEX_BYTES = "Đơn vị;Số người\nCông đoàn ngành Giáo dục;12\n".encode()
ANNEX_SHA = hashlib.sha256(ANNEX_BYTES).hexdigest()


def _letter(index: int, words: str, **change: object) -> Letter:
    base = demo_letters()[0]  # a Kế hoạch of the provincial trade union, dated 2026-09-10
    fields: dict[str, object] = {"number": f"{700 + index}/KH-LĐLĐ",
                                 "subject": f"Kế hoạch thử nghiệm đầu vào số {index}: {words}", **change}
    return dataclasses.replace(base, **fields)  # type: ignore[arg-type]


def _with_annex(letter: Letter, pki: DemoPki) -> bytes:
    """The letter with a file embedded before signing, signed as Decree 30 says."""
    writer = IncrementalPdfFileWriter(BytesIO(render_letter(letter)))
    data = embed.EmbeddedFileObject.from_file_data(writer, ANNEX_BYTES, mime_type="text/csv")
    embed.embed_file(writer, embed.FileSpec(file_spec_string="phu-luc.csv", file_name=ANNEX, embedded_data=data))
    out = BytesIO()
    writer.write(out)
    day = letter.issued_date or dt.date(2026, 11, 2)
    person_time = dt.datetime(day.year, day.month, day.day, 8, 30, tzinfo=ICT)
    person = next((p for p in pki.people if p.common_name == letter.signer_name), pki.people[0])
    return sign_letter(out.getvalue(), person, pki.organisation, person_time=person_time,
                       organisation_time=person_time + dt.timedelta(minutes=45))


@dataclasses.dataclass
class Built:
    portal: Portal
    status: int
    stdout: str
    stderr: str
    data: dict[str, bytes]  # file name (under documents/2026/) -> bytes
    outside: bytes  # a valid signed letter outside the repository, linked into documents/

    def block(self, name: str) -> str:
        """The report's paragraph about documents/2026/<name>."""
        head = f"✗ documents/2026/{name}\n"
        assert head in self.stdout, (name, self.stdout)
        return self.stdout.split(head, 1)[1].split("\n✗ ", 1)[0]

    def page(self, name: str) -> str:
        digest = hashlib.sha256(self.data[name]).hexdigest()
        for path in (self.portal.site / "van-ban").glob("*/index.html"):
            text = path.read_text(encoding="utf-8")
            if f'data-sha256="{digest}"' in text:
                return text
        raise AssertionError(f"{name} has no page")

    def site_text(self) -> str:
        return "".join(p.read_text(encoding="utf-8", errors="replace") for p in self.portal.site.rglob("*")
                       if p.is_file() and p.suffix in {".html", ".xml", ".json", ".txt", ".js"})

    def site_pdfs(self) -> set[bytes]:
        return {p.read_bytes() for p in self.portal.site.rglob("*.pdf")}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, pki: DemoPki) -> Built:
    portal = make_portal(tmp_path_factory.mktemp("decide-inputs"), pki)
    data: dict[str, bytes] = {}

    def add(name: str, content: bytes, sidecars: dict[str, str] | None = None) -> None:
        data[name] = content
        path = portal.add(f"2026/{name}", content)
        for side, text in (sidecars or {}).items():
            (path.parent / side).write_text(text, encoding="utf-8")

    add("control.pdf", sign(_letter(1, "bản đối chứng được đăng"), pki))
    add("yaml-secret.pdf", sign(_letter(2, "tệp khai báo đuôi YAML ghi mật"), pki),
        {"yaml-secret.YAML": "secrecy: MẬT\n"})
    add("lookalike.pdf", sign(_letter(3, "tệp khai báo sai tên"), pki), {"lookalike.pdf.yml": "secrecy: MẬT\n"})
    add("laughs.pdf", sign(_letter(4, "tệp khai báo có bí danh YAML"), pki), {"laughs.yml": BILLION_LAUGHS})
    add("declared.pdf", sign(_letter(5, "văn thư xác nhận không mật"), pki), {"declared.yml": (
        "secrecy: none\ndecided_by: Nguyễn Văn Khải, Chánh Văn phòng\ndecided_on: 2026-11-03\n")})
    add("annexed.pdf", _with_annex(_letter(6, "có tệp đính kèm được duyệt"), pki), {"annexed.yml": (
        f"attachments:\n  - name: {ANNEX}\n    sha256: '{ANNEX_SHA}'\n"
        "    decided_by: Trần Thị Hạnh, Phó Chánh Văn phòng\n")})
    twin = sign(_letter(7, "hai bản trùng một bản ghi mật"), pki)
    add("twin-a.pdf", twin)
    add("twin-b.pdf", twin, {"twin-b.yml": "secrecy: MẬT\n"})
    copy = sign(_letter(8, "hai bản trùng một bản khai báo sai tên"), pki)
    add("copy-a.pdf", copy)
    add("copy-b.pdf", copy, {"copy-b.yml.txt": "secrecy: MẬT\n"})
    add("unnumbered.pdf", sign(_letter(9, "dự thảo chưa cấp số", number=None), pki))
    add("numbered.pdf", sign(_letter(10, "số ghi trong tệp khai báo", number=None), pki),
        {"numbered.yml": "number: 710/KH-LĐLĐ\n"})
    add("undated.pdf", sign(_letter(11, "dự thảo chưa ghi ngày", issued_date=None), pki))

    # Channels (decide/channels.py) with what the sidecar declares: an image-only page needs a person's
    # declaration, an embedded file an approval by name and hash.
    scanned = _letter(14, "phụ lục là ảnh quét chưa ai xác nhận")
    add("scanned.pdf", sign_hostile(image_page(render_letter(scanned)), scanned, pki))
    vouched = _letter(15, "phụ lục là ảnh quét đã được xác nhận")
    add("scanned-declared.pdf", sign_hostile(image_page(render_letter(vouched)), vouched, pki), {
        "scanned-declared.yml": "secrecy: không mật\ndecided_by: Nguyễn Văn Khải, Chánh Văn phòng\n"})
    add("annex-unlisted.pdf", _with_annex(_letter(16, "có tệp đính kèm chưa khai báo"), pki))
    add("annex-wrong-hash.pdf", _with_annex(_letter(17, "có tệp đính kèm khai sai mã"), pki), {
        "annex-wrong-hash.yml": f"attachments:\n  - {{name: {ANNEX}, sha256: '{'0' * 64}', decided_by: Lê Bình}}\n"})

    outside_folder = tmp_path_factory.mktemp("outside")
    outside = sign(_letter(12, "tệp nằm ngoài kho được liên kết vào"), pki)
    (outside_folder / "outside.pdf").write_bytes(outside)
    documents = portal.root / "documents" / "2026"
    (documents / "linked.pdf").symlink_to(outside_folder / "outside.pdf")
    (documents / "dangling.pdf").symlink_to(outside_folder / "missing.pdf")
    (documents / "folder").symlink_to(outside_folder, target_is_directory=True)
    # --no-cache: the default build first compares inputs with the last build (publish/replay.py),
    # which stats through links; see test_a_dangling_link_does_not_stop_the_default_build.
    status, stdout, stderr = portal.build("--no-cache")
    return Built(portal, status, stdout, stderr, data, outside)


def test_the_build_completes_and_the_controls_publish(built: Built) -> None:
    assert built.status == 3, built.stderr
    assert (built.portal.site / "index.html").is_file(), built.stderr
    pdfs = built.site_pdfs()
    published = {"control.pdf", "declared.pdf", "annexed.pdf", "numbered.pdf", "scanned-declared.pdf"}
    for name in published:
        assert built.data[name] in pdfs, (name, built.stdout)
    assert f"Đã đăng {len(published)} văn bản." in built.stdout


def test_a_yaml_sidecar_in_capitals_is_read(built: Built) -> None:
    assert "[secret]" in built.block("yaml-secret.pdf")
    assert built.data["yaml-secret.pdf"] not in built.site_pdfs()


@pytest.mark.parametrize("name, words", [
    ("lookalike.pdf", ["lookalike.pdf.yml", "Đổi tên thành 'lookalike.yml'"]),
    ("laughs.pdf", ["laughs.yml", "neo và bí danh"]),
])
def test_a_sidecar_that_cannot_be_trusted_refuses_its_pdf(built: Built, name: str, words: list[str]) -> None:
    block = built.block(name)
    assert "[missing-metadata]" in block
    for word in words:
        assert word in block
    assert built.data[name] not in built.site_pdfs()


def test_a_declaration_is_shown_on_the_page(built: Built) -> None:
    page = built.page("declared.pdf")
    assert "Nguyễn Văn Khải, Chánh Văn phòng" in page
    assert "xác nhận" in page and "không có nội dung mật" in page and "03/11/2026" in page


def test_approved_attachments_are_shown_on_the_page(built: Built) -> None:
    page = built.page("annexed.pdf")
    assert ANNEX in page and ANNEX_SHA in page and "Trần Thị Hạnh, Phó Chánh Văn phòng" in page


def test_an_unread_page_needs_a_declaration_and_the_page_names_it(built: Built) -> None:
    assert "[unreadable]" in built.block("scanned.pdf")
    assert built.data["scanned.pdf"] not in built.site_pdfs()
    page = built.page("scanned-declared.pdf")
    last = len(PdfReader(BytesIO(built.data["scanned-declared.pdf"])).pages)  # the image page comes last
    assert f"Trang {last} không đọc được tự động" in page and "Nguyễn Văn Khải, Chánh Văn phòng" in page


@pytest.mark.parametrize("name", ["annex-unlisted.pdf", "annex-wrong-hash.pdf"])
def test_an_attachment_not_approved_by_name_and_hash_refuses_the_letter(built: Built, name: str) -> None:
    assert "[attachment]" in built.block(name)
    assert built.data[name] not in built.site_pdfs()


def test_the_control_page_shows_no_declaration(built: Built) -> None:
    page = built.page("control.pdf")
    assert "không có nội dung mật" not in page and "tệp đính kèm bên trong" not in page


def test_the_same_bytes_are_refused_everywhere_when_one_copy_is_secret(built: Built) -> None:
    block = built.block("twin-a.pdf")
    assert "[secret]" in block and "documents/2026/twin-b.pdf" in block
    assert "[secret]" in built.block("twin-b.pdf")
    assert built.data["twin-a.pdf"] not in built.site_pdfs()
    assert hashlib.sha256(built.data["twin-a.pdf"]).hexdigest() not in built.site_text()


def test_the_same_bytes_are_refused_everywhere_when_one_copy_is_refused(built: Built) -> None:
    block = built.block("copy-a.pdf")
    assert "[missing-metadata]" in block and "documents/2026/copy-b.pdf" in block
    assert "copy-b.yml.txt" in built.block("copy-b.pdf")
    assert built.data["copy-a.pdf"] not in built.site_pdfs()


@pytest.mark.parametrize("name, word", [("unnumbered.pdf", "unnumbered draft"), ("undated.pdf", "undated draft")])
def test_an_unnumbered_or_undated_draft_is_refused(built: Built, name: str, word: str) -> None:
    block = built.block(name)
    assert "[missing-metadata]" in block and word in block
    assert built.data[name] not in built.site_pdfs()


def test_a_number_stated_in_the_sidecar_publishes_the_letter(built: Built) -> None:
    assert "710/KH-LĐLĐ" in built.page("numbered.pdf")


@pytest.mark.parametrize("name", ["linked.pdf", "dangling.pdf", "folder"])
def test_every_link_in_documents_is_refused_and_never_read(built: Built, name: str) -> None:
    assert "[not-a-file]" in built.block(name)


def test_a_linked_pdf_from_outside_the_repository_is_not_published(built: Built) -> None:
    assert built.outside not in built.site_pdfs()
    assert hashlib.sha256(built.outside).hexdigest() not in built.site_text()
    assert "tệp nằm ngoài kho được liên kết vào" not in built.site_text()


def test_a_dangling_link_does_not_stop_the_default_build(tmp_path: Path, pki: DemoPki) -> None:
    portal = make_portal(tmp_path / "portal", pki)
    data = sign(_letter(13, "bản đối chứng cạnh liên kết hỏng"), pki)
    portal.add("2026/control.pdf", data)
    (portal.root / "documents" / "2026" / "dangling.pdf").symlink_to(tmp_path / "missing.pdf")
    status, stdout, stderr = portal.build()
    assert status == 3, stderr
    assert "[not-a-file]" in stdout
    assert data in {p.read_bytes() for p in portal.site.rglob("*.pdf")}
