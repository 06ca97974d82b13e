"""Live preview for `serve` (issue 7): build into a temporary folder, rebuild when documents/,
content/, theme/, portal.yml or mkdocs.yml change, and reload the browser.

It never touches site/ and adds nothing to the built files. The small web server adds two things to
the HTML it sends, and only there: a script that asks /__congbo/version every second and reloads the
page when a rebuild finished (no mkdocs serve, no plugin, no hook), and, on the home page, a banner
listing every refused file with its reasons (the build's refusals, and files the drop folder set
aside in inbox/bi-tu-choi/), so that a refused file never just disappears from the preview.
"""

from __future__ import annotations

import functools
import html
import http.server
import tempfile
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import memory_store
from pipeline.build import BuildOptions, build, cache_key
from pipeline.config import ConfigError, PortalConfig, load_config
from pipeline.memory import BuildMemory
from pipeline.messages import next_step, reason_text
from pipeline.office.drop import REFUSED_DIR
from pipeline.office.watcher import ChangeWatcher
from pipeline.publish.audit import AuditFailure
from pipeline.records import BuildReport

VERSION_PATH = "/__congbo/version"
RELOAD_SCRIPT = (
    "<script>/* congbo serve: reload after a rebuild (preview only) */(function(){var seen=null;"
    "function poll(){fetch('" + VERSION_PATH + "',{cache:'no-store'}).then(function(r){return r.text()})"
    ".then(function(v){if(seen===null){seen=v}else if(v!==seen){location.reload()}})"
    ".catch(function(){}).then(function(){setTimeout(poll,1000)})}poll()})();</script>"
)
WATCHED = ("documents", "content", "theme", "portal.yml", "mkdocs.yml")


@dataclass
class PreviewState:
    version: int = 0
    banner: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def update(self, banner: str) -> None:
        with self.lock:
            self.banner = banner
            self.version += 1


def refusal_banner(report: BuildReport | None, inbox_notes: list[tuple[str, str]], error: str | None = None) -> str:
    """The preview's home-page banner (HTML), or "" when there is nothing to say."""
    parts = []
    if error:
        parts.append(f"<p><strong>Không dựng được Trang tin:</strong> {html.escape(error)}</p>"
                     "<p>Trang đang hiển thị là bản dựng thành công gần nhất (nếu có). Sửa lỗi rồi lưu tệp; "
                     "trang sẽ tự tải lại.</p>")
    if report is not None and report.refusals:
        items = []
        for refusal in report.refusals:
            codes = list(dict.fromkeys(r.code for r in refusal.reasons))
            reasons = "".join(f"<li>[{c.value}] {html.escape(reason_text(c))}<br><em>Cần làm:</em> "
                              f"{html.escape(next_step(c))}</li>" for c in codes)
            items.append(f"<li><code>{html.escape(refusal.source.path)}</code><ul>{reasons}</ul></li>")
        parts.append(f"<p><strong>{len(report.refusals)} văn bản trong documents/ bị từ chối, không có trên "
                     f"Trang tin:</strong></p><ul>{''.join(items)}</ul>")
    if report is not None and report.warnings:
        # Issue 16: an addressee line that reaches no unit must be seen before the site goes out.
        warned = "".join(f"<li><code>{html.escape(w.path)}</code>: {html.escape(w.message)}</li>"
                         for w in report.warnings)
        parts.append(f"<p><strong>{len(report.warnings)} lưu ý (văn bản vẫn được đăng; xem và sửa nếu cần, "
                     f"ví dụ đơn vị nhận chưa xác định được):</strong></p><ul>{warned}</ul>")
    if inbox_notes:
        notes = "".join(f"<li><code>{html.escape(name)}</code>: {html.escape(first)}</li>"
                        for name, first in inbox_notes)
        parts.append(f"<p><strong>Tệp bị từ chối ở thư mục nhận ({REFUSED_DIR}/, xem tệp .txt kèm theo):"
                     f"</strong></p><ul>{notes}</ul>")
    if not parts:
        return ""
    return ('<div class="cb-preview-refusals" role="alert" style="border:3px solid #b71c1c;background:#ffebee;'
            'color:#000;padding:.6em 1em;margin:0 0 1.2em">'
            "<p><strong>XEM TRƯỚC</strong> (chỉ hiện trên máy này, không có trên Trang tin thật)</p>"
            + "".join(parts) + "</div>")


def inbox_refusals(inbox: Path, limit: int = 20) -> list[tuple[str, str]]:
    """(file name, first reason) of the files the drop folder set aside, newest first."""
    folder = inbox / REFUSED_DIR
    if not folder.is_dir():
        return []
    notes = sorted(folder.glob("*.txt"), key=lambda p: p.stat().st_mtime, reverse=True)[:limit]
    found = []
    for note in notes:
        text = note.read_text(encoding="utf-8-sig", errors="replace")
        first = next((line.split("Lý do:", 1)[1].strip() for line in text.splitlines() if "Lý do:" in line), "")
        found.append((f"{REFUSED_DIR}/{note.stem}.pdf", first))
    return found


def inject(page: str, script: str, banner: str) -> str:
    if banner:
        anchor = page.find('<article class="md-content__inner')
        at = page.find(">", anchor) + 1 if anchor >= 0 else page.find(">", page.find("<body")) + 1
        if at > 0:
            page = page[:at] + banner + page[at:]
    end = page.rfind("</body>")
    return page[:end] + script + page[end:] if end >= 0 else page + script


class _Handler(http.server.SimpleHTTPRequestHandler):
    state: PreviewState

    def __init__(self, *args: object, state: PreviewState, **kwargs: object) -> None:
        self.state = state
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path == VERSION_PATH:
            self._send(str(self.state.version).encode(), "text/plain; charset=utf-8")
            return
        target = Path(self.translate_path(path))
        if target.is_dir():
            target = target / "index.html"
        home = path in ("/", "/index.html")
        if target.suffix == ".html" and (target.is_file() or home):
            page = target.read_text(encoding="utf-8") if target.is_file() else (
                "<!doctype html><html lang='vi'><meta charset='utf-8'><title>Xem trước</title><body></body></html>")
            with self.state.lock:
                banner = self.state.banner if home else ""
            self._send(inject(page, RELOAD_SCRIPT, banner).encode("utf-8"), "text/html; charset=utf-8")
            return
        super().do_GET()

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


class Preview:
    """Builds `root` into a temporary folder and serves it, rebuilding on change."""

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 8000, inbox: Path | None = None,
                 say: Callable[[str], None] = print) -> None:
        self.root = root.resolve()
        self.host, self.port = host, port
        self.inbox = (inbox or self.root / "inbox").resolve()
        self.say = say
        self.state = PreviewState()
        self.url = ""
        # Inspections and evaluations of the last build, for the next (issue 21: today's letter).
        self.memory = BuildMemory()
        # The configuration of the last build, while its memory is not written to disk yet.
        self.unsaved: PortalConfig | None = None

    def rebuild(self, out: Path) -> BuildReport | None:
        report = None
        error = None
        try:
            config = load_config(self.root / "portal.yml")
            options = BuildOptions(replay=False, memory=self.memory, save_memory=False, spare_now=True)
            report = build(config, out, options).report
            self.unsaved = config
        except ConfigError as exc:
            error = "lỗi cấu hình portal.yml: " + "; ".join(exc.problems)
        except AuditFailure as exc:
            error = "kiểm tra cuối cùng phát hiện nội dung không được phép: " + "; ".join(exc.problems[:5])
        except Exception as exc:  # keep serving the last good build; say what broke
            error = f"{type(exc).__name__}: {exc}"
            traceback.print_exc()
        self.state.update(refusal_banner(report, inbox_refusals(self.inbox), error))
        if error:
            self.say(f"Lỗi khi dựng lại: {error}")
        elif report is not None:
            refused = (f"; {len(report.refusals)} văn bản bị từ chối (xem trang chủ bản xem trước)"
                       if report.refusals else "")
            self.say(f"Đã dựng lại: {len(report.documents)} văn bản{refused}.")
        return report

    def save_memory(self) -> None:
        """Write the last build's memory to disk, for the next one-shot build (`build`): done once
        no change waits, so that the clerk does not wait for it (half a second at 30,000 letters)."""
        config, self.unsaved = self.unsaved, None
        if config is None:
            return
        try:
            memory_store.save(config, cache_key(config), self.memory)
        except OSError as exc:  # the next one-shot build judges again: slower, never different
            self.say(f"Không ghi được bộ nhớ của lần dựng trước: {exc}")

    def run(self, stop: threading.Event | None = None, ready: Callable[[str], None] | None = None) -> None:
        stop = stop or threading.Event()
        watched = [self.root / name for name in WATCHED if (self.root / name).exists()]
        if (self.inbox / REFUSED_DIR).is_dir():
            watched.append(self.inbox / REFUSED_DIR)
        # Watching starts before the first build: a file dropped while it runs, or the moment the
        # address is announced, is built next (it was missed when watching started after them).
        with tempfile.TemporaryDirectory(prefix="congbo-serve-") as tmp, ChangeWatcher(watched) as watcher:
            out = Path(tmp) / "site"
            self.rebuild(out)
            handler = functools.partial(_Handler, state=self.state, directory=str(out))
            server = http.server.ThreadingHTTPServer((self.host, self.port), handler)
            thread = threading.Thread(target=server.serve_forever, daemon=True)
            thread.start()
            self.url = f"http://{self.host}:{server.server_address[1]}/"
            self.say(f"Xem trước tại {self.url} — trang tự tải lại khi documents/, content/, theme/ hoặc "
                     "portal.yml thay đổi (Ctrl+C để dừng).")
            if ready:
                ready(self.url)
            try:
                while not stop.is_set():
                    if watcher.wait(0.5):
                        self.say("Có thay đổi; đang dựng lại...")
                        self.rebuild(out)
                    else:
                        self.save_memory()  # nothing waits
            except KeyboardInterrupt:
                pass
            finally:
                self.save_memory()
                server.shutdown()
                server.server_close()
