"""Issue 15, the examining worker: what a validly signed file carries beyond the page text of its
last revision is found (earlier revisions, embedded files, annotations and their appearances, form
fields, Info, XMP, turned text, a mark on page 201, image-only pages, active content), and judged
(decide/channels.py). Each hostile letter has the clean letter, signed the same way, as control."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable

import pytest

from corpus import hostile
from corpus.letters import Letter, demo_letters, render_letter
from corpus.pki import DemoPki
from pipeline.decide.channels import channel_reasons
from pipeline.examine.channels import _MAX_DEPTH, inspect_channels
from pipeline.examine.revisions import MAX_REVISIONS
from pipeline.examine.text import open_pdf, read_pages
from pipeline.examine.verify import TrustAnchors
from pipeline.examine.worker import examine
from pipeline.records import (
    AttachmentApproval,
    Channels,
    Inspection,
    ReasonCode,
    SecrecyDeclaration,
)

LETTER: Letter = demo_letters()[0]


@pytest.fixture(scope="module")
def anchors(pki: DemoPki) -> TrustAnchors:
    return TrustAnchors.from_pem((pki.root.cert_pem(),), ("Liên đoàn Lao động tỉnh Mẫu",))


@pytest.fixture(scope="module")
def clean() -> bytes:
    return render_letter(LETTER)


def _inspect(pdf: bytes, pki: DemoPki, anchors: TrustAnchors) -> Inspection:
    """Sign as a letter is signed, then examine as the sandbox's worker does."""
    result = examine(hostile.sign_hostile(pdf, LETTER, pki), anchors)
    problems = [s.problems for s in result.verify.signatures if s.problems or not (s.intact and s.valid)]
    assert problems == [] and result.verify.problems == ()  # validly signed: only the channels tell
    return result


def _codes(result: Inspection, declaration: SecrecyDeclaration | None = None,
           approvals: tuple[AttachmentApproval, ...] = ()) -> set[ReasonCode]:
    return {r.code for r in channel_reasons(result, declaration, approvals)}


def test_the_clean_letter_carries_nothing_else(clean: bytes, pki: DemoPki, anchors: TrustAnchors) -> None:
    result = _inspect(clean, pki, anchors)
    assert result.channels == Channels(revisions=3)  # rendered, signed by the person, by the office
    assert _codes(result) == set()
    assert result.metadata is not None and result.metadata.marks.secrecy is None


def test_an_earlier_revision_saved_with_mat_is_found(pki: DemoPki, anchors: TrustAnchors) -> None:
    result = _inspect(hostile.earlier_secret_revision(LETTER), pki, anchors)
    assert result.metadata is not None and result.metadata.marks.secrecy is None  # the last revision is clean
    assert result.channels.revisions == 4
    found = [(m.channel, m.where, m.kind, m.mark) for m in result.channels.marks]
    assert found == [("revision", "revision 1 of 4, page 1", "secrecy", "MẬT")]
    assert _codes(result) == {ReasonCode.SECRET}


def test_a_title_changed_by_a_later_save_is_still_found_in_the_earlier_revision(
        clean: bytes, pki: DemoPki, anchors: TrustAnchors) -> None:
    edited = hostile.info_title(hostile.info_title(clean, "TUYỆT MẬT"), "Kế hoạch hội thao", incremental=True)
    result = _inspect(edited, pki, anchors)
    assert result.channels.revisions == 4
    found = [(m.channel, m.where, m.mark) for m in result.channels.marks]
    assert found == [("info", "revision 1 of 4: Info /Title", "TUYỆT MẬT")]
    assert _codes(result) == {ReasonCode.SECRET}


def test_a_stamp_blanked_by_a_later_save_is_still_found_in_the_earlier_revision(
        clean: bytes, pki: DemoPki, anchors: TrustAnchors) -> None:
    stamped = hostile.stamp_annotation(clean, contents=None, appearance="MẬT")
    result = _inspect(hostile.blank_appearances(stamped), pki, anchors)
    found = [(m.channel, m.where, m.mark) for m in result.channels.marks]
    assert found == [("annotation", "revision 1 of 4: page 1, /Stamp annotation appearance", "MẬT")]
    assert _codes(result) == {ReasonCode.SECRET}


def test_a_form_stamp_taken_off_by_a_later_save_is_still_found_in_the_earlier_revision(
        clean: bytes, pki: DemoPki, anchors: TrustAnchors) -> None:
    result = _inspect(hostile.remove_form_stamp(hostile.form_xobject_mark(clean, "MẬT")), pki, anchors)
    found = [(m.channel, m.where, m.mark) for m in result.channels.marks]
    assert found == [("form-xobject", "revision 1 of 4, page 1, form XObject /FxStamp", "MẬT")]
    assert _codes(result) == {ReasonCode.SECRET}


def test_a_declaration_never_waives_a_mark_that_was_found(pki: DemoPki, anchors: TrustAnchors) -> None:
    result = _inspect(hostile.earlier_secret_revision(LETTER), pki, anchors)
    declaration = SecrecyDeclaration(decided_by="Nguyễn Văn A")
    assert ReasonCode.SECRET in _codes(result, declaration)


@pytest.mark.parametrize(("build", "channel", "mark"), [
    (lambda pdf: hostile.stamp_annotation(pdf, contents="MẬT"), "annotation", "MẬT"),
    (lambda pdf: hostile.stamp_annotation(pdf, contents=None, appearance="MẬT"), "annotation", "MẬT"),
    (lambda pdf: hostile.stamp_annotation(pdf, contents="TUYỆT MẬT", subtype="/FreeText"), "annotation", "TUYỆT MẬT"),
    (lambda pdf: hostile.stamp_annotation(pdf, contents="Độ mật: Tối mật", subtype="/Text"), "annotation", "TỐI MẬT"),
    (lambda pdf: hostile.form_field_value(pdf, "Độ mật: Mật"), "form-field", "MẬT"),
    (lambda pdf: hostile.info_title(pdf, "TUYỆT MẬT"), "info", "TUYỆT MẬT"),
    (lambda pdf: hostile.xmp_title(pdf, "TUYỆT MẬT"), "xmp", "TUYỆT MẬT"),
    (lambda pdf: hostile.outline_title(pdf, "MẬT"), "outline", "MẬT"),
    (lambda pdf: hostile.form_xobject_mark(pdf, "TỐI MẬT"), "form-xobject", "TỐI MẬT"),
    (lambda pdf: hostile.rotated_mark(pdf, "MẬT"), "turned-text", "MẬT"),
    (lambda pdf: hostile.embedded_file(pdf, "MẬT.docx"), "attachment-name", "MẬT"),
], ids=["stamp-contents", "stamp-appearance-only", "freetext", "text-label", "form-field", "info", "xmp",
        "outline", "form-xobject", "turned-90", "attachment-name"])
def test_a_mark_outside_the_page_text_is_found(
        clean: bytes, pki: DemoPki, anchors: TrustAnchors, build: Callable[[bytes], bytes], channel: str,
        mark: str) -> None:
    result = _inspect(build(clean), pki, anchors)
    assert (channel, "secrecy", mark) in [(m.channel, m.kind, m.mark) for m in result.channels.marks]
    assert ReasonCode.SECRET in _codes(result)


@pytest.mark.parametrize("build", [
    lambda pdf: hostile.stamp_annotation(pdf, contents="Đã xem, đề nghị bảo mật thông tin cá nhân"),
    lambda pdf: hostile.stamp_annotation(pdf, contents=None, appearance="ĐÃ DUYỆT"),
    lambda pdf: hostile.form_field_value(pdf, "Độ mật: Thường"),
    lambda pdf: hostile.info_title(pdf, "Kế hoạch bảo vệ bí mật nhà nước năm 2026"),
    lambda pdf: hostile.xmp_title(pdf, "MẶT TRẬN TỔ QUỐC"),
    lambda pdf: hostile.rotated_mark(pdf, "Ký bởi: Liên đoàn Lao động tỉnh Mẫu"),
    lambda pdf: hostile.outline_title(pdf, "Phần I. Mục đích, yêu cầu", depth=5),
    lambda pdf: hostile.form_xobject_mark(pdf, "ĐÃ DUYỆT"),
], ids=["stamp-mention", "stamp-approved", "form-ordinary", "info-mention", "xmp-mat-tran", "turned-signed-by",
        "outline", "form-xobject-approved"])
def test_harmless_words_in_those_channels_are_not_marks(
        clean: bytes, pki: DemoPki, anchors: TrustAnchors, build: Callable[[bytes], bytes]) -> None:
    result = _inspect(build(clean), pki, anchors)
    assert result.channels.marks == ()
    assert _codes(result) == set()


def test_a_circulation_mark_in_metadata_is_an_excluded_category(
        clean: bytes, pki: DemoPki, anchors: TrustAnchors) -> None:
    result = _inspect(hostile.info_title(clean, "LƯU HÀNH NỘI BỘ"), pki, anchors)
    assert [(m.channel, m.kind) for m in result.channels.marks] == [("info", "circulation")]
    assert _codes(result) == {ReasonCode.EXCLUDED_CATEGORY}


@pytest.mark.parametrize(("build", "name", "content", "where"), [
    (lambda pdf: hostile.embedded_file(pdf, "danh-sach.xlsx", b"ho ten;chuc vu\n"), "danh-sach.xlsx",
     b"ho ten;chuc vu\n", "EmbeddedFiles name tree"),
    (lambda pdf: hostile.file_attachment_annotation(pdf, "bien-ban.docx", b"PK\x03\x04 hop"), "bien-ban.docx",
     b"PK\x03\x04 hop", "page 1, /FileAttachment annotation"),
], ids=["name-tree", "file-attachment-annotation"])
def test_embedded_files_are_listed_and_refused_unless_approved_by_name_and_hash(
        clean: bytes, pki: DemoPki, anchors: TrustAnchors, build: Callable[[bytes], bytes], name: str,
        content: bytes, where: str) -> None:
    result = _inspect(build(clean), pki, anchors)
    digest = hashlib.sha256(content).hexdigest()
    [embedded] = result.channels.attachments
    assert (embedded.name, embedded.sha256, embedded.size, embedded.where) == (name, digest, len(content), where)
    assert _codes(result) == {ReasonCode.ATTACHMENT}
    approved = AttachmentApproval(name=name, sha256=digest, decided_by="Trần Thị B")
    assert _codes(result, approvals=(approved,)) == set()
    assert _codes(result, approvals=(dataclasses.replace(approved, sha256="0" * 64),)) == {ReasonCode.ATTACHMENT}
    assert _codes(result, approvals=(dataclasses.replace(approved, name="khac.xlsx"),)) == {ReasonCode.ATTACHMENT}


@pytest.mark.parametrize(("build", "expected"), [
    (hostile.javascript_open_action, "OpenAction /JavaScript"),
    (hostile.launch_link, "page 1, /Link annotation /A /Launch (cmd.exe)"),
], ids=["javascript-open-action", "launch"])
def test_active_content_is_found(clean: bytes, pki: DemoPki, anchors: TrustAnchors,
                                 build: Callable[[bytes], bytes], expected: str) -> None:
    result = _inspect(build(clean), pki, anchors)
    assert result.channels.active_content == (expected,)
    assert _codes(result) == {ReasonCode.ACTIVE_CONTENT}


def test_a_link_to_a_web_address_is_not_active_content(clean: bytes, pki: DemoPki, anchors: TrustAnchors) -> None:
    result = _inspect(hostile.uri_link(clean), pki, anchors)
    assert result.channels.active_content == ()
    assert _codes(result) == set()


def test_an_image_only_page_is_unread_until_a_person_declares_it(
        clean: bytes, pki: DemoPki, anchors: TrustAnchors) -> None:
    result = _inspect(hostile.image_page(clean), pki, anchors)
    assert result.page_count == 3 and result.channels.unread_pages == (3,)
    reasons = channel_reasons(result, None, ())
    assert [r.code for r in reasons] == [ReasonCode.UNREADABLE] and "page 3" in reasons[0].detail
    assert _codes(result, SecrecyDeclaration(decided_by="Nguyễn Văn A")) == set()


def test_a_small_image_on_an_empty_page_is_not_a_page_to_read(
        clean: bytes, pki: DemoPki, anchors: TrustAnchors) -> None:
    result = _inspect(hostile.image_page(clean, share=0.005), pki, anchors)
    assert result.channels.unread_pages == ()


def test_every_page_is_read_and_a_mark_on_page_201_is_found(
        clean: bytes, pki: DemoPki, anchors: TrustAnchors) -> None:
    result = _inspect(hostile.long_letter(clean, pages=250, marked_page=201), pki, anchors)
    assert result.page_count == 250 and len(result.text.pages) == 250
    assert "MẬT" in result.text.pages[200]
    assert result.metadata is not None and result.metadata.marks.secrecy == "MẬT"


def test_more_revisions_than_the_limit_fail_the_inspection(clean: bytes) -> None:
    # Each appended "startxref <offset of the xref table> %%EOF" ends one more (empty) revision.
    xref_at = clean.rfind(b"\nxref\n") + 1
    tail = f"\nstartxref\n{xref_at}\n%%EOF\n".encode()
    many = clean + tail * MAX_REVISIONS
    reader = open_pdf(many)
    text, _ = read_pages(reader)
    with pytest.raises(ValueError, match="revisions"):
        inspect_channels(many, reader, text)
    few = clean + tail * 2  # the control: a few are read
    reader = open_pdf(few)
    assert inspect_channels(few, reader, read_pages(reader)[0]).revisions == 3


def test_a_structure_nested_beyond_the_bounds_fails_the_inspection(clean: bytes) -> None:
    # Unsigned: pyhanko's difference analysis alone takes seconds on a signed file with deep outlines
    # (the sandbox's limits stop it); the channel step must refuse such nesting by itself.
    deep = hostile.outline_title(clean, "Mục cuối", depth=_MAX_DEPTH + 4)
    reader = open_pdf(deep)
    with pytest.raises(ValueError, match="nested too deeply"):
        inspect_channels(deep, reader, read_pages(reader)[0])  # the sandbox: an `unreadable` refusal
    shallow = hostile.outline_title(clean, "Mục cuối", depth=6)  # the control
    reader = open_pdf(shallow)
    assert inspect_channels(shallow, reader, read_pages(reader)[0]).marks == ()
