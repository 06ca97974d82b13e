"""`python -m pipeline sign FILE --role person|organisation` (issue 7): sign for offices without their
own signing tool, the way Nghị định 30 describes, with a PKCS#12 file or a PKCS#11 token.

Before anything is signed the file is examined in the sandbox like any document (untrusted bytes),
and signing is refused when it carries a secrecy mark (in its text or in a sidecar), when its text
cannot be read (a scan: its marks cannot be checked), or when the order is wrong (the person after
the organisation). The result is written next to the input as `<name>-da-ky.pdf` (or --out), never
over an existing file; the input is not changed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pyhanko.sign import fields as pyhanko_fields
from pyhanko.sign.signers import Signer

from pipeline.decide.sidecar import Sidecar, SidecarError, load_sidecar
from pipeline.examine.sandbox import Job, Limits, examine_all
from pipeline.examine.verify import TrustAnchors
from pipeline.office import stamps
from pipeline.office.signing import ORGANISATION_FIELD, PERSON_FIELD, Appearance, SubFilter, sign_document
from pipeline.records import Inspection

Role = Literal["person", "organisation"]
ROLE_VI = {"person": "người có thẩm quyền", "organisation": "cơ quan, tổ chức"}


class SignRefused(Exception):
    """Signing is refused; the message says why and what to do, in Vietnamese."""


@dataclass(frozen=True)
class Placement:
    page: int | None = None  # 0-based; None: the last page
    box: stamps.Box | None = None  # explicit rectangle in points
    image: Path | None = None  # the office's own signature or seal image
    invisible: bool = False
    seal_text: str | None = None  # text around the default seal; default: the certificate's organisation


@dataclass(frozen=True)
class Signed:
    out: Path
    field_name: str
    appearance: Appearance | None


def secrecy_check(path: Path, data: bytes, limits: Limits | None = None) -> None:
    """Raise SignRefused when the document carries (or may carry) a secrecy mark."""
    sha = hashlib.sha256(data).hexdigest()
    anchors = TrustAnchors.from_pem((), ())
    [(_, result)] = list(examine_all([Job(str(path), path, sha)], anchors, limits or Limits(), workers=1))
    if not isinstance(result, Inspection):
        raise SignRefused(f"không đọc được tệp PDF để kiểm tra dấu mật ({result.detail}); không ký.")
    if not result.text.full.strip() or result.metadata is None:
        raise SignRefused("tệp không có lớp chữ đọc được (có thể là ảnh quét), nên không kiểm tra được dấu chỉ "
                          "mức độ mật; không ký. Hãy xuất văn bản ra PDF từ phần mềm soạn thảo rồi ký lại.")
    secrecy = result.metadata.marks.secrecy
    sidecar = load_sidecar(path, path.parent)
    if isinstance(sidecar, SidecarError):  # it may say `secrecy:`: a sidecar nobody could read stops signing
        raise SignRefused(f"tệp khai báo bên cạnh văn bản có lỗi ({'; '.join(sidecar.problems)}); sửa tệp khai "
                          "báo rồi ký lại.")
    if isinstance(sidecar, Sidecar):
        secrecy = secrecy or dict(sidecar.values).get("secrecy")
    if secrecy:
        raise SignRefused(f"văn bản có dấu chỉ mức độ mật '{secrecy}'. Văn bản mật không được ký số để công bố "
                          "bằng công cụ này; chuyển văn bản theo đường mật (mạng cơ yếu).")


def filled_fields(data: bytes) -> dict[str, bool]:
    """Signature field name -> already signed."""
    reader = stamps.read(data)
    return {str(name): value is not None for name, value, _ in pyhanko_fields.enumerate_sig_fields(reader)}


def _field_name(role: Role, taken: dict[str, bool]) -> str:
    base = PERSON_FIELD if role == "person" else ORGANISATION_FIELD
    name, number = base, 1
    while name in taken:
        number += 1
        name = f"{base}{number}"
    return name


def output_path(path: Path, out: Path | None) -> Path:
    if out is not None:
        if out.exists():
            raise SignRefused(f"tệp {out} đã tồn tại; không ghi đè. Chọn tên khác với --out.")
        return out
    stem, number = f"{path.stem}-da-ky", 1
    candidate = path.with_name(f"{stem}.pdf")
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{stem}-{number}.pdf")
    return candidate


def _organisation_of(signer: Signer) -> str:
    cert = getattr(signer, "signing_cert", None)
    if cert is None:
        return ""
    subject = cert.subject.native
    value = subject.get("organization_name") or subject.get("common_name") or ""
    return ", ".join(value) if isinstance(value, list) else str(value)


def appearance_for(data: bytes, role: Role, placement: Placement, signer: Signer) -> Appearance | None:
    """Where and how the signature shows (stamps.py explains the placement)."""
    if placement.invisible:
        return None
    reader = stamps.read(data)
    last = stamps.page_count(reader) - 1
    page = last if placement.page is None else placement.page
    if not 0 <= page <= last:
        raise SignRefused(f"văn bản có {last + 1} trang; không có trang {page + 1}.")
    if placement.image is not None:
        art = stamps.image_content(placement.image)
    elif role == "person":
        art = stamps.signature_art()
    else:
        art = stamps.seal_art(placement.seal_text if placement.seal_text is not None else _organisation_of(signer))
    if placement.box is not None:
        return Appearance(page, placement.box, art)
    width, height = stamps.page_size(reader, page)
    block = stamps.find_signing_block(reader, page)
    person = block.person_box() if block else stamps.default_person_box(width, height)
    if role == "person":
        return Appearance(page, person, art)
    others = tuple(name for name, filled in filled_fields(data).items() if filled and name != ORGANISATION_FIELD)
    existing = stamps.existing_signature_box(reader, others)
    if existing is not None:
        return Appearance(existing[0], stamps.seal_box(existing[1]), art)
    return Appearance(page, stamps.seal_box(person), art)


def sign_file(path: Path, role: Role, signer: Signer, placement: Placement = Placement(), out: Path | None = None,
              sub_filter: SubFilter = "adbe.pkcs7.detached", limits: Limits | None = None) -> Signed:
    """Check, place and sign; write the signed copy. Raises SignRefused with the reason."""
    if not path.is_file():
        raise SignRefused(f"không tìm thấy tệp {path}.")
    data = path.read_bytes()
    secrecy_check(path, data, limits)
    try:
        fields = filled_fields(data)
    except Exception as exc:  # pyhanko's reader errors on a damaged file
        raise SignRefused(f"không đọc được cấu trúc tệp PDF ({type(exc).__name__}: {exc}); không ký.") from exc
    if role == "person" and any(filled and name.startswith(ORGANISATION_FIELD) for name, filled in fields.items()):
        raise SignRefused("văn bản đã có chữ ký số của cơ quan, tổ chức. Theo Nghị định 30, người có thẩm quyền "
                          "ký trước, văn thư ký số của cơ quan sau; hãy ký lại từ bản chưa ký.")
    target = output_path(path, out)
    appearance = appearance_for(data, role, placement, signer)
    field_name = _field_name(role, fields)
    signed = sign_document(data, signer, field_name=field_name, appearance=appearance, sub_filter=sub_filter)
    with target.open("xb") as handle:
        handle.write(signed)
    return Signed(target, field_name, appearance)
