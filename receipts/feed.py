"""The published JSON Feed (feeds/all.json) read into records: the service's only input from the site.

An item carries the portal's extension `_congbo` (number, type, issued_date, urgency, sha256, units);
the subject is the first line of `content_text` and the signer is in `summary` ("Người ký: ...").
If `_congbo` ever carries `subject` and `signer` themselves they are preferred.

A feed that cannot be read, is not JSON, or has one item that does not make sense is refused whole:
a partly read feed would look like withdrawn documents.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .directory import UNIT_ID

MAX_BYTES = 32 * 1024 * 1024
_SHA256 = re.compile(r"[0-9a-f]{64}")
_SIGNER = re.compile(r"Người ký: (.+?)\.(?: (?:Kính gửi|Gửi): |$)")


class FeedError(Exception):
    """The feed could not be used; the message is Vietnamese and says why."""


@dataclass(frozen=True)
class FeedItem:
    sha256: str
    url: str  # the document's page on the site
    pdf_url: str
    title: str  # "[KHẨN] Số 78/LĐLĐ – V/v ..."
    subject: str
    number: str | None
    type_name: str
    issued_date: dt.date | None
    urgency: str | None  # "Khẩn", "Thượng khẩn", "Hỏa tốc"
    signer: str
    units: tuple[str, ...]  # unit (or group) ids it is addressed to
    published_at: dt.datetime  # aware, UTC


@dataclass(frozen=True)
class Feed:
    title: str
    home_page_url: str
    items: tuple[FeedItem, ...]


def fetch(source: str, timeout: float = 30.0) -> bytes:
    """The feed's bytes from an http(s) URL or a file path."""
    if source.startswith(("http://", "https://")):
        request = urllib.request.Request(source, headers={"User-Agent": "congbo-receipts/1",
                                                          "Accept": "application/feed+json, application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                data: bytes = response.read(MAX_BYTES + 1)
        except urllib.error.HTTPError as exc:
            raise FeedError(f"không tải được bản tin {source}: máy chủ trả lời HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise FeedError(f"không tải được bản tin {source}: {reason}") from exc
    else:
        try:
            with Path(source).open("rb") as handle:
                data = handle.read(MAX_BYTES + 1)
        except FileNotFoundError as exc:
            raise FeedError(f"không tìm thấy bản tin {source} (Trang thông tin đã được dựng chưa?)") from exc
        except OSError as exc:
            raise FeedError(f"không đọc được bản tin {source}: {exc.strerror}") from exc
    if len(data) > MAX_BYTES:
        raise FeedError(f"bản tin {source} lớn hơn {MAX_BYTES // 1024 // 1024} MB")
    return data


def _text(value: Any, where: str, problems: list[str], required: bool = True) -> str:
    if isinstance(value, str) and (value.strip() or not required):
        return value.strip()
    if value is None and not required:
        return ""
    problems.append(f"{where}: thiếu hoặc sai kiểu")
    return ""


def _moment(value: Any, where: str, problems: list[str]) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        problems.append(f"{where}: date_published không phải thời điểm RFC 3339 ({value!r})")
        return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    if moment.tzinfo is None:
        problems.append(f"{where}: date_published thiếu múi giờ ({value!r})")
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def _item(raw: Any, index: int, problems: list[str]) -> FeedItem | None:
    where = f"mục thứ {index + 1}"
    if not isinstance(raw, dict):
        problems.append(f"{where}: không phải một đối tượng JSON")
        return None
    ext = raw.get("_congbo")
    if not isinstance(ext, dict):
        problems.append(f"{where}: thiếu phần mở rộng _congbo")
        return None
    sha = ext.get("sha256")
    if not isinstance(sha, str) or not _SHA256.fullmatch(sha):
        problems.append(f"{where}: _congbo.sha256 không phải mã băm SHA-256")
        return None
    where = f"{where} ({sha[:12]})"
    units = ext.get("units")
    if not isinstance(units, list) or not all(isinstance(u, str) and UNIT_ID.fullmatch(u) for u in units):
        problems.append(f"{where}: _congbo.units phải là danh sách mã đơn vị")
        units = []
    content = _text(raw.get("content_text"), f"{where}.content_text", problems, required=False)
    subject = ext.get("subject") if isinstance(ext.get("subject"), str) else content.split("\n", 1)[0]
    signer = ext.get("signer") if isinstance(ext.get("signer"), str) else None
    if signer is None:
        found = _SIGNER.search(_text(raw.get("summary"), f"{where}.summary", problems, required=False))
        signer = found[1] if found else ""
    issued = ext.get("issued_date")
    issued_date = None
    if issued is not None:
        try:
            issued_date = dt.date.fromisoformat(str(issued))
        except ValueError:
            problems.append(f"{where}: _congbo.issued_date không phải ngày ({issued!r})")
    urgency = ext.get("urgency")
    attachments = raw.get("attachments")
    pdf_url = ""
    if isinstance(attachments, list) and attachments and isinstance(attachments[0], dict):
        pdf_url = str(attachments[0].get("url") or "")
    url = _text(raw.get("url"), f"{where}.url", problems)
    if url and not url.startswith(("http://", "https://")):
        problems.append(f"{where}: url phải là địa chỉ http(s)")
    if pdf_url and not pdf_url.startswith(("http://", "https://")):
        problems.append(f"{where}: địa chỉ tệp PDF phải là http(s)")
        pdf_url = ""
    return FeedItem(
        sha256=sha,
        url=url,
        pdf_url=pdf_url,
        title=_text(raw.get("title"), f"{where}.title", problems),
        subject=(subject or "").strip() or "(không rõ trích yếu)",
        number=ext.get("number") if isinstance(ext.get("number"), str) else None,
        type_name=str(ext["type"]) if isinstance(ext.get("type"), str) else "Văn bản",
        issued_date=issued_date,
        urgency=urgency if isinstance(urgency, str) and urgency.strip() else None,
        signer=signer.strip(),
        units=tuple(units),
        published_at=_moment(raw.get("date_published"), where, problems),
    )


def parse_feed(data: bytes, source: str = "bản tin") -> Feed:
    """A JSON Feed 1.x of the portal, or FeedError listing what is wrong."""
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FeedError(f"{source} không phải JSON hợp lệ: {exc}") from exc
    if not isinstance(raw, dict) or not str(raw.get("version", "")).startswith("https://jsonfeed.org/version/1"):
        raise FeedError(f"{source} không phải JSON Feed (thiếu khóa version của jsonfeed.org)")
    items = raw.get("items")
    if not isinstance(items, list):
        raise FeedError(f"{source} không có danh sách items")
    problems: list[str] = []
    parsed = [_item(one, i, problems) for i, one in enumerate(items)]
    seen: set[str] = set()
    for one in parsed:
        if one is not None and one.sha256 in seen:
            problems.append(f"văn bản {one.sha256[:12]} xuất hiện hai lần")
        if one is not None:
            seen.add(one.sha256)
    if problems:
        shown = "; ".join(problems[:5]) + (f"; và {len(problems) - 5} lỗi khác" if len(problems) > 5 else "")
        raise FeedError(f"{source} có mục không hợp lệ, chưa xử lý bản tin này: {shown}")
    return Feed(str(raw.get("title") or ""), str(raw.get("home_page_url") or ""),
                tuple(one for one in parsed if one is not None))


def load_feed(source: str, timeout: float = 30.0) -> Feed:
    return parse_feed(fetch(source, timeout), source)
