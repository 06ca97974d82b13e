"""Vietnamese presentation of records: dates, times, titles, signature summaries, slugs.
Pure functions shared by pages and feeds so both say the same thing the same way."""

from __future__ import annotations

import datetime as dt

from pipeline.normalize import fold, slugify
from pipeline.records import Document, Metadata, SignatureReport

VIETNAM = dt.timezone(dt.timedelta(hours=7), "ICT")  # no daylight saving time in Viet Nam


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(VIETNAM)


def date_vi(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "không rõ"


def time_vi(moment: dt.datetime | None) -> str:
    return local(moment).strftime("%H:%M ngày %d/%m/%Y") if moment else "không rõ"


def urgency_label(metadata: Metadata) -> str | None:
    return metadata.marks.urgency


def title_of(metadata: Metadata) -> str:
    """'[KHẨN] Số 78/LĐLĐ – Nắm tình hình ...' style title, without markup characters. The subject
    starts with a capital, as on the pages: the parser took away the "V/v" before it (issue 20)."""
    number = f"Số {metadata.number}" if metadata.number else (metadata.type_name or "Văn bản")
    subject = subject_vi(metadata)
    prefix = f"[{metadata.marks.urgency.upper()}] " if metadata.marks.urgency else ""
    return clean(f"{prefix}{number} – {subject}")


def clean(text: str) -> str:
    return text.replace("<", "‹").replace(">", "›").replace("\n", " ").strip()


def document_slug(metadata: Metadata, sha256: str) -> str:
    parts = [metadata.issued_date.isoformat() if metadata.issued_date else "khong-ro-ngay"]
    parts.append(slugify(metadata.number) if metadata.number else sha256[:12])
    return "-".join(p for p in parts if p)


def type_slug(type_name: str) -> str:
    return slugify(type_name)


def role_vi(sig: SignatureReport) -> str:
    return {"person": "Người có thẩm quyền ký", "organisation": "Cơ quan, tổ chức ký số",
            "timestamp": "Dấu thời gian"}.get(sig.role, "Chữ ký số")


def coverage_vi(sig: SignatureReport) -> str:
    if sig.coverage == "ENTIRE_FILE":
        return "toàn bộ tệp"
    return "toàn bộ tệp tại thời điểm ký; sau đó chỉ thêm chữ ký số hoặc dữ liệu xác thực"


def sort_key(doc: Document) -> tuple[dt.datetime, str]:
    return (doc.published_at, doc.slug)


def newest_first(docs: tuple[Document, ...] | list[Document]) -> list[Document]:
    return sorted(docs, key=sort_key, reverse=True)


def basis_date(doc: Document) -> dt.date:
    """The date a document is filed under: its issued date, or the day it was published when the
    text gives none."""
    return doc.metadata.issued_date or local(doc.published_at).date()


def month_vi(year: int, month: int) -> str:
    return f"Tháng {month}/{year}"


def signer_name(metadata: Metadata) -> str | None:
    name = metadata.signer.full_name
    return " ".join(name.split()) if name else None


def signer_line(metadata: Metadata) -> str:
    """ "KT. CHỦ TỊCH, PHÓ CHỦ TỊCH, Trần Thị Bình", or "không rõ"."""
    s = metadata.signer
    return ", ".join(p for p in (s.authority, s.position, s.full_name) if p) or "không rõ"


def sentence(text: str) -> str:
    """Text shown as a title: its first letter a capital ("nắm tình hình" -> "Nắm tình hình")."""
    text = text.strip()
    return text[:1].upper() + text[1:]


def subject_vi(metadata: Metadata) -> str:
    """The subject as a page or list title; the "Trích yếu" row keeps it exactly as read."""
    return sentence(" ".join((metadata.subject or "").split())) or "(không rõ trích yếu)"


def organ_vi(name: str | None, own: str) -> str | None:
    """The issuer as printed, or the portal's own spelling of its own name ("LIÊN ĐOÀN LAO ĐỘNG
    TỈNH MẪU" in the header's capitals is "Liên đoàn Lao động tỉnh Mẫu")."""
    if not name:
        return None
    return own if fold(name) == fold(own) else clean(name)
