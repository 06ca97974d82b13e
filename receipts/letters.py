"""The e-mails: a notice of one document, a daily digest of several, a reminder of an urgent one.

Plain text in UTF-8 (every mail client shows it; links stay clickable). The subject of a notice is
the document's title from the feed, which starts with the urgency of an urgent letter:
"[KHẨN] Số 78/LĐLĐ – V/v ...". The Message-ID comes from the outbox (same mail, same Message-ID).
"""

from __future__ import annotations

import datetime as dt
import email.utils
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP

from .directory import Unit
from .tokens import confirmation_url


@dataclass(frozen=True)
class Letter:
    """What a mail says about one document (a row of `documents`)."""

    sha256: str
    number: str | None
    title: str
    subject: str
    type_name: str
    urgency: str | None
    issued_date: dt.date | None
    signer: str
    url: str
    pdf_url: str


@dataclass(frozen=True)
class MailContext:
    organisation: str
    sender: str
    public_url: str  # the service's address, for confirmation links
    secret: bytes
    domain: str  # Message-ID's right-hand side
    urgent_hours: float


def one_line(text: str) -> str:
    """Header-safe: no line breaks or control characters, whatever the feed said."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())


def date_vi(day: dt.date | None) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}" if day else "không rõ ngày"


def _hours(hours: float) -> str:
    return f"{hours:g}".replace(".", ",")


def _block(letter: Letter, unit: Unit, ctx: MailContext) -> list[str]:
    lines = [
        f"  Số, ký hiệu: {one_line(letter.number or 'không số')}",
        f"  Loại:        {one_line(letter.type_name)}",
        f"  Ngày:        {date_vi(letter.issued_date)}",
    ]
    if letter.urgency:
        lines.append(f"  Độ khẩn:     {one_line(letter.urgency)}")
    lines += [
        f"  Trích yếu:   {one_line(letter.subject)}",
        f"  Người ký:    {one_line(letter.signer) or 'không rõ'}",
        "",
        f"  Xem văn bản và bản gốc đã ký số: {letter.url}",
        "  Xác nhận đã nhận (mở trang, bấm nút \"Xác nhận đã nhận\"):",
        f"  {confirmation_url(ctx.public_url, ctx.secret, letter.sha256, unit.id)}",
    ]
    return lines


_FOOTER = [
    "",
    "Thư này được gửi tự động, xin đừng trả lời thư. Văn bản có giá trị pháp lý là bản PDF gốc đã ký số",
    "trên Trang thông tin; thư chỉ là thông báo. Liên kết xác nhận là riêng của đơn vị, xin không chuyển",
    "cho đơn vị khác.",
]


def _message(subject: str, body: list[str], unit: Unit, key: str, ctx: MailContext) -> EmailMessage:
    message = EmailMessage(policy=SMTP)
    message["Subject"] = one_line(subject)
    message["From"] = ctx.sender
    message["To"] = ", ".join(unit.emails)
    message["Date"] = email.utils.formatdate(localtime=False)
    message["Message-ID"] = f"<{key}@{ctx.domain}>"
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    message.set_content("\n".join(body) + "\n", charset="utf-8", cte="quoted-printable")
    return message


def notice(letter: Letter, unit: Unit, key: str, ctx: MailContext) -> EmailMessage:
    body = [f"Kính gửi: {one_line(unit.name)}", "",
            f"{ctx.organisation} đã công bố văn bản gửi đơn vị trên Trang thông tin:", ""]
    body += _block(letter, unit, ctx)
    if letter.urgency:
        body += ["", f"Văn bản {one_line(letter.urgency).lower()}: đề nghị đơn vị xử lý ngay và xác nhận đã nhận "
                 f"trong {_hours(ctx.urgent_hours)} giờ làm việc."]
    return _message(letter.title, body + _FOOTER, unit, key, ctx)


def digest(letters: list[Letter], unit: Unit, key: str, ctx: MailContext, today: dt.date) -> EmailMessage:
    subject = f"Văn bản mới ngày {date_vi(today)}: {len(letters)} văn bản gửi {unit.name}"
    body = [f"Kính gửi: {one_line(unit.name)}", "",
            f"{ctx.organisation} đã công bố {len(letters)} văn bản gửi đơn vị trên Trang thông tin:"]
    for position, letter in enumerate(letters, 1):
        body += ["", f"{position}. {one_line(letter.title)}"]
        body += _block(letter, unit, ctx)
    return _message(subject, body + _FOOTER, unit, key, ctx)


def reminder(letter: Letter, unit: Unit, key: str, ctx: MailContext) -> EmailMessage:
    body = [f"Kính gửi: {one_line(unit.name)}", "",
            f"Đơn vị chưa xác nhận đã nhận văn bản khẩn sau {_hours(ctx.urgent_hours)} giờ làm việc. "
            "Đề nghị đơn vị mở văn bản, xử lý và bấm nút \"Xác nhận đã nhận\":", ""]
    body += _block(letter, unit, ctx)
    return _message(f"Nhắc xác nhận: {letter.title}", body + _FOOTER, unit, key, ctx)
