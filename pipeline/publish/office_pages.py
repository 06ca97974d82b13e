"""Pages for the office (issue 7): "Tình hình công bố" (on time or late), the withdrawn documents
with a page for each at its old address, and a document's later history and replacement links.

Called once by the build's render stage, after the documents' pages, with the whole BuildReport
(the document pages only see published documents; withdrawn ones are not). Shares the build's
`writer.Writer`, so a generated page still never replaces a hand-written one.

Document pages belong to pages.py; their template shows the `lifecycle_html(doc)` section.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from pipeline.config import PortalConfig, TimelinessSettings
from pipeline.decide.timeliness import (
    BULK_IMPORT,
    IMPORT_AGE,
    LABELS,
    Judged,
    MonthReport,
    Timeliness,
    Verdict,
    duration_vi,
    items_from,
    month_vi,
    on_time,
)
from pipeline.present import clean, date_vi, time_vi
from pipeline.publish.templating import environment as template_environment
from pipeline.publish.templating import write_rendered
from pipeline.publish.writer import Writer
from pipeline.records import BuildReport, Document, DocumentLink, HistoryEvent, WithdrawnDocument

ONTIME_PAGE = "tinh-hinh-cong-bo.md"
WITHDRAWN_PAGE = "da-thu-hoi.md"

EVENT_LABELS = {
    "moved": "tệp được chuyển sang vị trí mới trong kho (nội dung không đổi)",
    "file-changed": "tệp PDF tại vị trí này được thay bằng bản khác",
    "sidecar-added": "bổ sung tệp khai báo (.yml) kèm theo",
    "sidecar-changed": "sửa tệp khai báo (.yml) kèm theo",
    "sidecar-removed": "bỏ tệp khai báo (.yml) kèm theo",
}
RELATION_TEXT = {
    "replaces": "Văn bản này thay thế văn bản số",
    "replaced-by": "Văn bản này đã được thay thế bởi văn bản số",
}


def _environment() -> Environment:
    return template_environment()


def _links(links: tuple[DocumentLink, ...], root: str) -> list[dict[str, Any]]:
    return [{"relation": link.relation, "text": RELATION_TEXT[link.relation], "number": clean(link.number),
             "href": f"{root}van-ban/{link.slug}/" if link.slug else None, "withdrawn": link.withdrawn}
            for link in links]


def _events(events: tuple[HistoryEvent, ...]) -> list[dict[str, Any]]:
    return [{"when": time_vi(e.when), "label": EVENT_LABELS.get(e.kind, e.kind), "commit": e.commit[:10]}
            for e in events]


def lifecycle_html(doc: Document | WithdrawnDocument, root: str = "../../",
                   env: Environment | None = None) -> Markup:
    """The "Quá trình công bố" section of a document page: replacement links, first publication,
    later history (commit dates and ids, never commit messages: those are not checked by the policy),
    and the withdrawal. Empty for a document with no history and no links."""
    history = doc.history if isinstance(doc, Document) else ()
    if not history and not doc.links and isinstance(doc, Document):
        return Markup("")
    env = env or _environment()
    return Markup(env.get_template("_lifecycle.html.j2").render(
        links=_links(doc.links, root), events=_events(history), published=time_vi(doc.published_at),
        withdrawn=time_vi(doc.withdrawn_at) if isinstance(doc, WithdrawnDocument) else None,
    ))


def _verdict_view(verdict: Verdict, root: str) -> dict[str, Any]:
    item = verdict.item
    return {
        "href": f"{root}van-ban/{item.slug}/", "number": clean(item.number or "không số"),
        "subject": clean(item.subject or ""), "urgency": item.urgency or "",
        "signed": time_vi(item.signed_at), "published": time_vi(item.published_at),
        "delay": duration_vi(verdict.delay) if verdict.delay is not None else "không rõ",
        "withdrawn": item.withdrawn,
    }


def _month_view(report: MonthReport, root: str) -> dict[str, Any]:
    rows = [dict(dataclasses.asdict(r), total=r.total, is_total=False) for r in report.rows]
    if len(report.rows) > 1:
        total = report.total
        rows.append(dict(dataclasses.asdict(total), total=total.total, is_total=True))
    return {
        "key": report.month, "title": month_vi(report.month).capitalize(), "rows": rows,
        "urgent_late": [_verdict_view(v, root) for v in report.urgent_late],
        "late": [_verdict_view(v, root) for v in report.late],
        "imported": [_verdict_view(v, root) for v in report.imported],
    }


def _withdrawn_view(w: WithdrawnDocument, root: str) -> dict[str, Any]:
    m = w.metadata
    signer = ", ".join(p for p in (m.signer.authority, m.signer.position, m.signer.full_name) if p)
    return {
        "slug": w.slug, "number": clean(m.number or "không số"), "number_known": bool(m.number),
        "subject": clean(m.subject or "(không rõ trích yếu)"), "type_name": m.type_name or "Văn bản",
        "issued": date_vi(m.issued_date), "organ": clean(m.organ_name or "không rõ"),
        "signer": clean(signer or "không rõ"), "published": time_vi(w.published_at),
        "withdrawn": time_vi(w.withdrawn_at), "commit": w.withdrawal_commit[:10], "sha256": w.source.sha256,
        "links": _links(w.links, root),
    }


def _holidays_vi(days: frozenset[dt.date]) -> list[str]:
    """The declared days off, runs of consecutive days as one range: "30/04/2027 – 01/05/2027"."""
    runs: list[list[dt.date]] = []
    for day in sorted(days):
        if runs and day - runs[-1][-1] == dt.timedelta(days=1):
            runs[-1].append(day)
        else:
            runs.append([day])
    return [date_vi(r[0]) if len(r) == 1 else f"{date_vi(r[0])} – {date_vi(r[-1])}" for r in runs]


def write_on_time(env: Environment, writer: Writer, months: tuple[MonthReport, ...],
                  settings: TimelinessSettings | None = None) -> None:
    """tinh-hinh-cong-bo/: the months of the newest year; tinh-hinh-cong-bo/<year>/ for each year
    before it. Today's letter changes only the newest year's page (issue 9: a portal that imported
    ten years of documents at once lists thousands of them as published late)."""
    labels = [LABELS[t] for t in (Timeliness.SAME_DAY, Timeliness.NEXT_MORNING, Timeliness.LATE)] + [
        "Không rõ", LABELS[Timeliness.IMPORTED]]
    by_year: dict[str, list[MonthReport]] = {}
    for month in months:  # newest first
        by_year.setdefault(month.month[:4], []).append(month)
    years = list(by_year) or [""]
    for year in years:
        newest = year == years[0]
        root = "../" if newest else "../../"
        context = {
            "title": "Tình hình công bố" + ("" if newest else f" năm {year}"), "year": year, "newest": newest,
            "root": root, "labels": labels, "months": [_month_view(m, root) for m in by_year.get(year, [])],
            "bulk": BULK_IMPORT, "age": IMPORT_AGE.days,
            "since": date_vi(settings.since) if settings and settings.since else None,
            "holidays": _holidays_vi(settings.holidays if settings else frozenset()),
            "years": [{"year": y, "href": f"{root}tinh-hinh-cong-bo/" + ("" if y == years[0] else f"{y}/"),
                       "current": y == year} for y in years if y],
        }
        relative = ONTIME_PAGE if newest else f"{ONTIME_PAGE.removesuffix('.md')}/{year}.md"
        write_rendered(writer, relative, env.get_template("ontime.md.j2"), context)


# The on-time judgements of the last build of this process, reused for the same records (a
# long-running process's builds: timeliness.Judged).
_JUDGED = Judged()


def render_office(config: PortalConfig, report: BuildReport, writer: Writer) -> None:
    """Plan the office's pages, after the documents' pages were planned."""
    env = _environment()
    already = set(writer.planned)

    settings = config.timeliness
    items = items_from(report.documents, report.withdrawn, _JUDGED)
    write_on_time(env, writer, on_time(items, settings.holidays, since=settings.since, kept=_JUDGED), settings)

    withdrawn = sorted(report.withdrawn, key=lambda w: (w.withdrawn_at, w.slug), reverse=True)
    writer.write(WITHDRAWN_PAGE, env.get_template("withdrawn.md.j2").render(
        root="../", items=[_withdrawn_view(w, "../") for w in withdrawn]))
    for w in withdrawn:
        page = f"van-ban/{w.slug}.md"
        if page in already:
            continue  # a published document owns this address
        view = _withdrawn_view(w, "../../")
        writer.write(page, env.get_template("withdrawn_document.md.j2").render(
            w=view, root="../../", lifecycle=lifecycle_html(w, "../../", env),
            title=f"[ĐÃ THU HỒI] {view['number']} – {view['subject']}",
            description=clean(f"Đã thu hồi: {view['type_name']} {view['number']}: {view['subject']}"),
        ))

