"""Frozen records passed between pipeline stages.

Field names follow Nghị định 30/2020/NĐ-CP, Phụ lục VI where one exists (CodeNumber -> code_number,
CodeNotation -> code_notation, IssuedDate -> issued_date, OrganName -> organ_name, Subject -> subject,
Position -> position, FullName -> full_name, Priority -> urgency). Everything is a tuple, never a list,
so a record can be hashed, cached and shared between processes without surprises.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import zlib
from dataclasses import dataclass, field


class ReasonCode(enum.Enum):
    """Stable refusal codes of the inspection contract; translated only at the edge (messages.py)."""

    UNREADABLE = "unreadable"
    UNSIGNED = "unsigned"
    SIGNATURE_INVALID = "signature-invalid"
    MODIFIED_AFTER_SIGNING = "modified-after-signing"
    UNTRUSTED = "untrusted"
    CERTIFICATE_INVALID = "certificate-invalid"
    SECRET = "secret"
    EXCLUDED_CATEGORY = "excluded-category"
    MISSING_METADATA = "missing-metadata"
    # Issue 15: channels of the file other than its page text, trust beyond the chain, unsafe inputs.
    ACTIVE_CONTENT = "active-content"  # JavaScript, OpenAction/AA, Launch: never served by the portal
    ATTACHMENT = "attachment"  # embedded files not listed by name and hash in the sidecar
    SIGNING_TIME = "signing-time"  # claimed signing time in the future, after publication, or implausible
    ISSUER_MISMATCH = "issuer-mismatch"  # the printed issuer is not a body the office publishes for
    NOT_A_FILE = "not-a-file"  # a symlink (or other non-regular file) in documents/
    NO_RECIPIENT = "no-recipient"  # issue 16: addressed to nobody the portal knows, through unresolved lines

    @property
    def severity(self) -> int:
        """Lower is more severe; refusals list their reasons most severe first."""
        return _SEVERITY[self]


_SEVERITY = {
    ReasonCode.SECRET: 0,
    ReasonCode.UNREADABLE: 1,
    ReasonCode.UNSIGNED: 2,
    ReasonCode.SIGNATURE_INVALID: 3,
    ReasonCode.MODIFIED_AFTER_SIGNING: 4,
    ReasonCode.UNTRUSTED: 5,
    ReasonCode.CERTIFICATE_INVALID: 6,
    ReasonCode.EXCLUDED_CATEGORY: 7,
    ReasonCode.MISSING_METADATA: 8,
    ReasonCode.ACTIVE_CONTENT: 1,
    ReasonCode.ATTACHMENT: 1,
    ReasonCode.NOT_A_FILE: 1,
    ReasonCode.SIGNING_TIME: 6,
    ReasonCode.ISSUER_MISMATCH: 7,
    ReasonCode.NO_RECIPIENT: 8,
}


@dataclass(frozen=True)
class Reason:
    """One failed rule. `detail` is a technical English explanation for logs and --json."""

    code: ReasonCode
    detail: str = ""


@dataclass(frozen=True)
class SourceFile:
    path: str  # relative to the portal root, POSIX separators
    sha256: str
    size: int
    first_commit_time: dt.datetime | None = None  # aware; None when not committed yet


@dataclass(frozen=True)
class SignatureReport:
    """Facts about one signature as pyhanko reported them. Verdicts live in policy.py."""

    field_name: str
    sub_filter: str
    signer: str  # certificate subject common name
    organisation: str | None  # certificate subject O
    issuer: str  # issuing CA common name
    chain: tuple[str, ...]  # subject CNs from signer to root
    trust_root: str | None  # root CN reached, None when untrusted
    signed_at: dt.datetime | None  # claimed signing time (CMS signingTime)
    timestamp_at: dt.datetime | None  # signature timestamp token time, when present
    timestamp_ok: bool | None  # None: no timestamp; else intact, valid and trusted
    intact: bool
    valid: bool
    trusted: bool
    revocation_checked: bool
    certificate_problem: str | None  # "expired", "not-yet-valid", "revoked", ...
    coverage: str  # pyhanko SignatureCoverageLevel name
    modification: str  # pyhanko ModificationLevel name, or "UNKNOWN"
    docmdp_ok: bool | None
    problems: tuple[str, ...] = ()  # every anomaly found beyond the flags above
    role: str = "unknown"  # "person" | "organisation" | "unknown" (assigned by verify)
    serial: str = ""
    not_before: dt.datetime | None = None
    not_after: dt.datetime | None = None
    # Issue 15: what portal.yml pins the organisation's certificate by, and the validity window of
    # the whole path below the root (signer and intermediates), judged at publication by decide/trust.py.
    subject_dn: str = ""  # RFC 4514, most specific first: "CN=...,O=...,C=VN"
    issuer_dn: str = ""
    key_sha256: str = ""  # SHA-256 of the DER SubjectPublicKeyInfo, lowercase hex
    path_not_before: dt.datetime | None = None  # the latest not_before on the path
    path_not_after: dt.datetime | None = None  # the earliest not_after on the path


@dataclass(frozen=True)
class VerifyResult:
    signatures: tuple[SignatureReport, ...]
    # File-level anomalies (e.g. an unsupported filled signature field, bytes after the last
    # revision); each is (ReasonCode value, English detail).
    problems: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class PdfText:
    """NFC-normalised text. `pages` keep the layout (columns separated by runs of spaces)."""

    pages: tuple[str, ...]

    @property
    def full(self) -> str:
        return "\n".join(self.pages)


@dataclass(frozen=True)
class StoredText:
    """A file's text as the records that outlive its examination hold it (an inspection, a
    document): compressed, and unpacked again where it is read (routing, the document page, the
    search index). A build holds every document's record at once, and the text was most of each:
    about 3.6 kB of a letter's 12 kB in memory, 0.9 kB compressed (issue 21: 100,000 letters)."""

    packed: bytes  # zlib of the pages as a JSON list; shown by its hash (__repr__)

    @classmethod
    def of(cls, text: PdfText) -> StoredText:
        return cls(zlib.compress(json.dumps(text.pages, ensure_ascii=False).encode()))

    @property
    def pages(self) -> tuple[str, ...]:
        return tuple(json.loads(zlib.decompress(self.packed)))

    @property
    def full(self) -> str:
        return "\n".join(self.pages)

    def __repr__(self) -> str:
        # What a document's digest (site_state.py) is made of: the packed text's hash says whether
        # it changed without unpacking it (a record's repr is taken for every document of a build).
        return f"StoredText(sha256={hashlib.sha256(self.packed).hexdigest()})"


@dataclass(frozen=True)
class ChannelMark:
    """A secrecy or circulation mark read from a channel of the file other than the page text of its
    last revision: an earlier revision, an annotation, a form field, the Info dictionary, XMP..."""

    channel: str  # "revision" | "annotation" | "form-field" | "form-xobject" | "turned-text" | "info" | "xmp" |
    #                "outline" | "attachment-name"
    where: str  # English, for logs: "revision 1 of 2, page 1", "page 2, /Stamp annotation"
    kind: str  # "secrecy" | "circulation"
    mark: str  # "MẬT", "TỐI MẬT", "TUYỆT MẬT", "LƯU HÀNH NỘI BỘ"...
    evidence: str  # the text it was read from, shortened to at most 120 characters


@dataclass(frozen=True)
class EmbeddedFile:
    """A file carried inside the PDF (/EmbeddedFiles, a /FileAttachment annotation, a portfolio)."""

    name: str  # the file name it declares (/UF, else /F), NFC
    sha256: str  # of its decoded bytes
    size: int
    where: str  # English: "EmbeddedFiles name tree", "page 3, /FileAttachment annotation"


@dataclass(frozen=True)
class Channels:
    """What a file carries beyond the page text of its last revision (issue 15). Found by the
    examining worker; judged in decide/channels.py."""

    revisions: int = 1  # incremental updates the file holds, the first one included
    marks: tuple[ChannelMark, ...] = ()
    attachments: tuple[EmbeddedFile, ...] = ()
    active_content: tuple[str, ...] = ()  # English: "OpenAction /JavaScript", "page 2 link /Launch"
    # 1-based pages whose text layer cannot carry what the page shows (no text, but an image or a
    # drawing large enough to hold a mark): unread until OCR (issue 17) or a human declaration.
    unread_pages: tuple[int, ...] = ()


@dataclass(frozen=True)
class OcrPage:
    """One page as Tesseract read it (issue 17, examine/ocr.py): a page without usable text, or one
    with an image large enough to carry a stamp. `text` is NFC and laid out like a text layer;
    `red_text` is what the red ink alone says (stamps). `readable` is the verdict the policy relies
    on; `problem` says in English why a page is not readable."""

    page: int  # 1-based
    text: str
    confidence: float  # mean word confidence, 0-100; 0.0 when no word was found
    readable: bool
    words: int = 0
    red_text: str = ""
    problem: str = ""


@dataclass(frozen=True)
class Inspection:
    """Everything expensive we learned from a file's bytes. Cached by content hash."""

    sha256: str
    verify: VerifyResult
    text: StoredText  # the text layer, with the OCR text of the unread pages that OCR could read
    page_count: int
    metadata: Metadata | None = None  # None when extraction itself failed
    channels: Channels = field(default_factory=Channels)
    # Issue 17: the pages read by OCR (the unread pages of `channels`, and pages with a stamp-sized
    # image); those whose `readable` is true are machine-read text in `text`.
    ocr: tuple[OcrPage, ...] = ()


@dataclass(frozen=True)
class InspectionFailure:
    """The file could not be examined at all (not a PDF, crash, timeout, memory limit...)."""

    sha256: str
    detail: str


@dataclass(frozen=True)
class Marks:
    secrecy: str | None = None  # "MẬT" | "TỐI MẬT" | "TUYỆT MẬT"
    urgency: str | None = None  # "Khẩn" | "Thượng khẩn" | "Hỏa tốc"
    circulation: tuple[str, ...] = ()  # "LƯU HÀNH NỘI BỘ", ...
    evidence: tuple[str, ...] = ()  # the lines each mark was read from


@dataclass(frozen=True)
class SignerBlock:
    authority: str | None = None  # "TM. BAN THƯỜNG VỤ", "KT. CHỦ TỊCH", "T/M BAN THƯỜNG VỤ"
    position: str | None = None  # title: "PHÓ CHỦ TỊCH"
    full_name: str | None = None


@dataclass(frozen=True)
class Reference:
    number: str  # "71/TB-LĐLĐ"
    type_name: str | None = None
    issued_date: dt.date | None = None


@dataclass(frozen=True)
class Metadata:
    number: str | None = None  # "78/LĐLĐ", "145-CV/TU"; None when blank
    code_number: str | None = None  # "78"
    code_notation: str | None = None  # "LĐLĐ", "QĐ-LĐLĐ", "CV/TU"
    issued_date: dt.date | None = None
    place: str | None = None
    organ_name: str | None = None  # issuer
    parent_organ: str | None = None
    type_name: str | None = None  # "Công văn", "Kế hoạch"
    subject: str | None = None
    addressees: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()
    signer: SignerBlock = field(default_factory=SignerBlock)
    marks: Marks = field(default_factory=Marks)
    references: tuple[Reference, ...] = ()
    signed_by_text: str | None = None  # "Ký bởi: ..." as printed
    signed_time_text: str | None = None  # "Thời gian ký: ..." as printed
    system: str | None = None  # "state" (state and union layout) | "party"
    from_sidecar: tuple[str, ...] = ()  # names of fields set by the sidecar .yml


@dataclass(frozen=True)
class PublicationOverride:
    """A clerk's recorded decision (sidecar `override:`) to publish despite an overridable refusal."""

    rules: tuple[str, ...]
    decided_by: str
    reason: str
    decided_on: dt.date | None = None


@dataclass(frozen=True)
class SecrecyDeclaration:
    """A person's statement, in the sidecar (`secrecy: none` with `decided_by`), that pages the
    pipeline could not read hold no secret; the document's page shows it."""

    decided_by: str
    decided_on: dt.date | None = None
    note: str = ""


@dataclass(frozen=True)
class AttachmentApproval:
    """A file embedded in a PDF that the sidecar lists by name and SHA-256, with who decided that it
    may be published with the letter; the document's page shows it."""

    name: str
    sha256: str
    decided_by: str
    decided_on: dt.date | None = None


@dataclass(frozen=True)
class Refusal:
    source: SourceFile
    reasons: tuple[Reason, ...]  # most severe first
    metadata: Metadata | None = None
    signatures: tuple[SignatureReport, ...] = ()


@dataclass(frozen=True)
class Document:
    """An accepted document. Only this type reaches rendering and feeds."""

    source: SourceFile
    metadata: Metadata
    signatures: tuple[SignatureReport, ...]
    slug: str
    units: tuple[str, ...]  # ids of the units it is addressed to
    published_at: dt.datetime  # aware
    page_count: int
    text: StoredText
    override: PublicationOverride | None = None
    replaces: str | None = None  # number of the document this one replaces (sidecar)
    history: tuple[HistoryEvent, ...] = ()  # what happened to the file after publication (git)
    links: tuple[DocumentLink, ...] = ()  # replaces / replaced-by, resolved to pages
    groups: tuple[str, ...] = ()  # ids of the groups it was sent to as a group (units.py)
    declaration: SecrecyDeclaration | None = None  # issue 15: unread pages vouched for by a person
    attachments: tuple[AttachmentApproval, ...] = ()  # issue 15: embedded files published with it
    unread_pages: tuple[int, ...] = ()  # issue 15: pages nobody could read, vouched for by `declaration`
    machine_read_pages: tuple[int, ...] = ()  # issue 17: pages whose text is OCR's, labelled as such


# --- Life after publication (issue 7): history from git, withdrawal, replacement -----------------


@dataclass(frozen=True)
class HistoryEvent:
    """One later commit touching a published document's file or its sidecar."""

    when: dt.datetime  # aware commit time
    commit: str  # full hash
    kind: str  # "moved" | "file-changed" | "sidecar-added" | "sidecar-changed" | "sidecar-removed"
    summary: str  # the commit's subject line, as the clerk wrote it


@dataclass(frozen=True)
class DocumentLink:
    """A declared replacement (sidecar `replaces:`), seen from one side."""

    relation: str  # "replaces" | "replaced-by"
    number: str  # the other document's number
    slug: str | None  # the other document's page; None when it is not on the portal
    withdrawn: bool = False  # the other document has been withdrawn


@dataclass(frozen=True)
class WithdrawnDocument:
    """A document that was published and then removed from documents/ ("đã thu hồi").
    Listed with its metadata; its PDF is never served again."""

    source: SourceFile  # the path it had, the hash of its last bytes
    metadata: Metadata
    signatures: tuple[SignatureReport, ...]
    slug: str
    published_at: dt.datetime  # aware: first commit that added these bytes
    withdrawn_at: dt.datetime  # aware: the commit that removed the file
    withdrawal_commit: str
    withdrawal_note: str  # that commit's subject line
    replaces: str | None = None  # from the sidecar it had
    links: tuple[DocumentLink, ...] = ()


@dataclass(frozen=True)
class Warning_:
    path: str
    message: str


@dataclass(frozen=True)
class BuildReport:
    documents: tuple[Document, ...]
    refusals: tuple[Refusal, ...]
    warnings: tuple[Warning_, ...] = ()
    withdrawn: tuple[WithdrawnDocument, ...] = ()

    @property
    def exit_status(self) -> int:
        return 3 if self.refusals else 0
