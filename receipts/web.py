"""The HTTP service (Starlette, served by uvicorn).

  GET  /xac-nhan/<document>/<unit>/<token>   the unit's page: the document and one button
  POST /xac-nhan/<document>/<unit>/<token>   the button: records the confirmation (once)
  GET  /van-phong/                            office: documents, who confirmed, overdue ones (credential)
  GET  /van-phong/van-ban/<document>          office: one document, unit by unit (credential)
  GET  /van-phong/bao-cao?thang=2026-12       office: monthly report, prints cleanly (credential)
  GET  /van-phong/bao-cao.csv?thang=2026-12   the same as CSV (credential)
  POST /api/deployed                          CI: "the site was just deployed" (bearer token)
  GET  /suc-khoe                              health check

Opening a confirmation link records nothing (mail scanners open links by themselves); only the POST
does. The office pages answer 401 without the credential and 503 when none is configured.
The notifier runs beside the web server in one background thread.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hmac
import logging
import re
import threading
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import outbox as box
from .confirm import Receipt, Writer, confirm_async, lookup
from .database import StoreUnavailable, make_engine, migrate
from .notifier import Notifier, utcnow
from .overview import document_detail, health, monthly_report, recent_documents, report_csv
from .pages import STATIC, Pages
from .settings import Settings
from .tokens import verify

log = logging.getLogger("receipts")
SHA = re.compile(r"[0-9a-f]{64}")
UNIT = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
MONTH = re.compile(r"\d{4}-\d{2}")
PAGE = 200
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "Referrer-Policy": "no-referrer",  # a confirmation link must not leak to the pages it links to
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


class Loop:
    """The notifier's thread: a round every tick, a feed poll when due or when CI pings."""

    def __init__(self, notifier: Notifier) -> None:
        self.notifier = notifier
        self.wake = threading.Event()
        self.stop = threading.Event()
        self.force_poll = threading.Event()
        self.thread = threading.Thread(target=self.run, name="receipts-notifier", daemon=True)

    def run(self) -> None:
        while not self.stop.is_set():
            force = self.force_poll.is_set()
            self.force_poll.clear()
            self.notifier.safe_cycle(force_poll=force)
            self.wake.wait(self.notifier.settings.tick_seconds)
            self.wake.clear()

    def ping(self) -> None:
        self.force_poll.set()
        self.wake.set()

    def close(self) -> None:
        self.stop.set()
        self.wake.set()
        self.thread.join(timeout=60)


class Service:
    def __init__(self, settings: Settings, engine: Engine | None = None, run_notifier: bool = True) -> None:
        self.settings = settings
        self.engine = engine or make_engine(settings.database, settings.sqlite_synchronous, settings.busy_seconds)
        self.notifier = Notifier(settings, self.engine)
        self.pages = Pages(settings.timezone, settings.public_url)
        self.loop = Loop(self.notifier) if run_notifier else None
        self.writer: Writer | None = None

    # -- helpers ----------------------------------------------------------------------------------
    def html(self, name: str, status: int = 200, headers: dict[str, str] | None = None, **context: Any) -> Response:
        body = self.pages.render(name, organisation=self.notifier.directory.organisation or "Trang thông tin",
                                 **context)
        return HTMLResponse(body, status_code=status, headers={**HEADERS, **(headers or {})})

    def message(self, status: int, title: str, *paragraphs: str, headers: dict[str, str] | None = None) -> Response:
        return self.html("message.html.j2", status, headers, title=title, paragraphs=paragraphs)

    def busy(self, exc: StoreUnavailable) -> Response:
        log.error("%s", exc)
        return self.message(503, "Hệ thống đang bận", "Hệ thống đang bận, chưa ghi nhận được. Xin thử lại sau ít phút.",
                            headers={"Retry-After": "30"})

    def office_denied(self, request: Request) -> Response | None:
        """None when the request carries the office's credential."""
        password = self.settings.office_password
        if not password:
            return self.message(503, "Trang của Văn phòng chưa được bật",
                                "Chưa đặt mật khẩu của Văn phòng (CONGBO_RECEIPTS_OFFICE_PASSWORD).")
        given = request.headers.get("authorization", "")
        if given.lower().startswith("basic "):
            try:
                user, _, secret = base64.b64decode(given[6:], validate=True).decode("utf-8").partition(":")
            except (binascii.Error, UnicodeDecodeError):
                user, secret = "", ""
            ok_user = hmac.compare_digest(user.encode(), self.settings.office_user.encode())
            ok_password = hmac.compare_digest(secret.encode(), password.encode())
            if ok_user and ok_password:
                return None
        return self.message(401, "Cần đăng nhập", "Trang này chỉ dành cho Văn phòng. Đăng nhập bằng tài khoản của "
                            "Văn phòng.", headers={"WWW-Authenticate": 'Basic realm="congbo", charset="UTF-8"'})

    def this_month(self) -> str:
        return f"{utcnow().astimezone(self.settings.timezone):%Y-%m}"

    def office_context(self) -> dict[str, Any]:
        unit_names = {u.id: u.name for u in self.notifier.directory.units}
        return {"this_month": self.this_month(), "unit_names": unit_names,
                "urgent_hours": f"{self.settings.urgent_hours:g}", "normal_hours": f"{self.settings.normal_hours:g}"}

    # -- unit pages -------------------------------------------------------------------------------
    def _link(self, request: Request) -> tuple[str, str, str] | Response:
        sha = request.path_params["document"]
        unit = request.path_params["unit"]
        token = request.path_params["token"]
        if not SHA.fullmatch(sha) or not UNIT.fullmatch(unit):
            return self.message(404, "Không tìm thấy", "Đường dẫn xác nhận không đúng dạng. Mở đúng đường dẫn trong "
                                "thư thông báo.")
        channel = verify(self.settings.secret, sha, unit, token)
        if channel is None:
            return self.message(403, "Đường dẫn không hợp lệ",
                                "Đường dẫn xác nhận không hợp lệ hoặc đã bị sửa đổi. Mở đúng đường dẫn trong thư "
                                "thông báo gửi đơn vị.")
        return sha, unit, channel

    def _receipt_page(self, receipt: Receipt | None, unit: str) -> Response:
        if receipt is None:
            return self.message(404, "Không tìm thấy văn bản",
                                "Văn bản này không có trong hệ thống hoặc không gửi đơn vị này. Nếu văn bản vừa được "
                                "công bố, xin thử lại sau ít phút.")
        return self.html("confirm.html.j2", title="Xác nhận đã nhận văn bản", receipt=receipt,
                         letter=receipt.letter, unit_name=self.notifier.directory.name(unit))

    async def confirm_page(self, request: Request) -> Response:
        link = self._link(request)
        if isinstance(link, Response):
            return link
        sha, unit, _channel = link
        try:
            receipt = await run_in_threadpool(lookup, self.engine, sha, unit)
        except StoreUnavailable as exc:
            return self.busy(exc)
        return self._receipt_page(receipt, unit)

    async def confirm_post(self, request: Request) -> Response:
        link = self._link(request)
        if isinstance(link, Response):
            return link
        sha, unit, channel = link
        try:
            receipt = await run_in_threadpool(lookup, self.engine, sha, unit)
            if receipt is not None and receipt.confirmed_at is None:
                assert self.writer is not None, "the writer starts with the application"
                receipt = await confirm_async(self.writer, self.engine, receipt, channel, utcnow())
        except StoreUnavailable as exc:
            return self.busy(exc)
        if receipt is not None and receipt.first_time:
            log.info("Đơn vị %s xác nhận đã nhận văn bản %s (%s)", unit, receipt.letter.number or sha[:12],
                     "qua thư" if channel == "mail" else "qua bản tin")
        return self._receipt_page(receipt, unit)

    # -- office pages -----------------------------------------------------------------------------
    async def office(self, request: Request) -> Response:
        if denied := self.office_denied(request):
            return denied
        try:
            offset = max(0, int(request.query_params.get("tu", "0")))
        except ValueError:
            offset = 0
        try:
            state = await run_in_threadpool(health, self.engine)
            docs, total = await run_in_threadpool(recent_documents, self.engine, self.notifier.deadlines, utcnow(),
                                                  PAGE, offset)
        except StoreUnavailable as exc:
            return self.busy(exc)
        next_offset = offset + PAGE if offset + PAGE < total else None
        return self.html("office.html.j2", title="Văn bản và xác nhận", health=state, documents=docs, total=total,
                         next_offset=next_offset, smtp=self.settings.smtp is not None, **self.office_context())

    async def office_document(self, request: Request) -> Response:
        if denied := self.office_denied(request):
            return denied
        sha = request.path_params["document"]
        if not SHA.fullmatch(sha):
            return self.message(404, "Không tìm thấy văn bản", "Mã văn bản không đúng dạng.")
        try:
            found = await run_in_threadpool(document_detail, self.engine, sha, self.notifier.directory,
                                            self.notifier.deadlines, utcnow())
        except StoreUnavailable as exc:
            return self.busy(exc)
        if found is None:
            return self.message(404, "Không tìm thấy văn bản", "Văn bản này không có trong hệ thống.")
        summary, rows = found
        return self.html("office_document.html.j2", title=summary.letter.title, summary=summary, rows=rows,
                         **self.office_context())

    def _month(self, request: Request) -> str | Response:
        month = request.query_params.get("thang") or self.this_month()
        if not MONTH.fullmatch(month):
            return self.message(400, "Tháng không hợp lệ", "Tháng phải có dạng 2026-12.")
        try:
            self.notifier.calendar.month_bounds(month)
        except ValueError:
            return self.message(400, "Tháng không hợp lệ", "Tháng phải có dạng 2026-12.")
        return month

    async def _month_report(self, request: Request) -> tuple[str, Any] | Response:
        """The month asked for and its report, or the response that refuses (credential, month, store)."""
        if denied := self.office_denied(request):
            return denied
        month = self._month(request)
        if isinstance(month, Response):
            return month
        try:
            report = await run_in_threadpool(monthly_report, self.engine, month, self.notifier.directory,
                                             self.notifier.deadlines)
        except StoreUnavailable as exc:
            return self.busy(exc)
        return month, report

    async def report(self, request: Request) -> Response:
        found = await self._month_report(request)
        if isinstance(found, Response):
            return found
        month, report = found
        return self.html("report.html.j2", title=f"Báo cáo tháng {month[5:]}/{month[:4]}", report=report,
                         now=utcnow(), **self.office_context())

    async def report_csv(self, request: Request) -> Response:
        found = await self._month_report(request)
        if isinstance(found, Response):
            return found
        month, report = found
        return Response(report_csv(report), media_type="text/csv; charset=utf-8", headers={
            **HEADERS, "Content-Disposition": f'attachment; filename="xac-nhan-{month}.csv"'})

    # -- machines ---------------------------------------------------------------------------------
    async def deployed(self, request: Request) -> Response:
        token = self.settings.deploy_token
        given = request.headers.get("authorization", "")
        if not token or not given.startswith("Bearer ") or not hmac.compare_digest(given[7:].encode(), token.encode()):
            return JSONResponse({"loi": "cần mã CONGBO_RECEIPTS_DEPLOY_TOKEN đúng (Authorization: Bearer ...)"},
                                status_code=403)
        if self.loop is not None:
            self.loop.ping()
        return JSONResponse({"trang_thai": "đã nhận, đang đọc lại bản tin"}, status_code=202)

    async def health_check(self, request: Request) -> Response:
        return JSONResponse({"trang_thai": "ok"}, headers={"Cache-Control": "no-store"})

    async def home(self, request: Request) -> Response:
        return self.html("home.html.j2", title="Xác nhận đã nhận văn bản")

    # -- the application --------------------------------------------------------------------------
    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        await run_in_threadpool(migrate, self.engine)
        recovered = await run_in_threadpool(box.recover, self.engine)
        if recovered:
            log.warning("%d thư đang gửi dở khi dịch vụ dừng lần trước: gửi lại với cùng Message-ID", recovered)
        self.writer = Writer(self.engine)
        if self.loop is not None:
            self.loop.thread.start()
        log.info("Dịch vụ xác nhận đã nhận văn bản đang chạy tại %s", self.settings.public_url)
        try:
            yield
        finally:
            if self.loop is not None:
                await run_in_threadpool(self.loop.close)
            if self.writer is not None:
                await run_in_threadpool(self.writer.close)
            self.engine.dispose()

    def app(self) -> Starlette:
        link = "/xac-nhan/{document}/{unit}/{token}"
        return Starlette(routes=[
            Route("/", self.home),
            Route(link, self.confirm_page, methods=["GET"]),
            Route(link, self.confirm_post, methods=["POST"]),
            Route("/van-phong/", self.office),
            Route("/van-phong/van-ban/{document}", self.office_document),
            Route("/van-phong/bao-cao", self.report),
            Route("/van-phong/bao-cao.csv", self.report_csv),
            Route("/api/deployed", self.deployed, methods=["POST"]),
            Route("/suc-khoe", self.health_check),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ], lifespan=self.lifespan, max_body_size=64 * 1024)


def create_app(settings: Settings, run_notifier: bool = True) -> Starlette:
    return Service(settings, run_notifier=run_notifier).app()
