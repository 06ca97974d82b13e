"""Generated pages, PDFs and feeds, written into the staging docs folder (jinja2).

Only `Document`s reach this module. The staging folder starts as a copy of the hand-written
`content/`; a generated file that would replace a hand-written one is an error, never an overwrite.
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from .config import PortalConfig
from .present import (
    clean,
    coverage_vi,
    date_vi,
    newest_first,
    rfc822,
    role_vi,
    time_vi,
    title_of,
    type_slug,
)
from .records import Document
from .units import UnitIndex

FEED_SIZE = 50
SIDECAR_LABELS = {
    "number": "số, ký hiệu", "issued_date": "ngày ban hành", "place": "địa danh", "organ_name": "cơ quan ban hành",
    "parent_organ": "cơ quan chủ quản", "type_name": "loại văn bản", "subject": "trích yếu",
    "addressees": "kính gửi", "recipients": "nơi nhận", "signer": "người ký", "urgency": "độ khẩn",
    "secrecy": "độ mật", "references": "văn bản được dẫn",
}


class GeneratedClash(Exception):
    """A generated page would replace a hand-written one."""


def environment() -> Environment:
    return Environment(
        loader=PackageLoader("pipeline", "templates"),
        autoescape=True,  # every value comes from an untrusted PDF's text: escape it all
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
    )


@dataclass
class Writer:
    """Writes generated files under `docs`, refusing to replace files copied from content/."""

    docs: Path
    hand_written: frozenset[str]
    written: list[str]

    def write(self, relative: str, text: str) -> None:
        self._claim(relative)
        path = self.docs / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def link(self, relative: str, source: Path) -> None:
        """Place the signed PDF: a hard link when possible (no copy, same bytes), else a copy."""
        self._claim(relative)
        path = self.docs / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, path)
        except OSError:
            shutil.copyfile(source, path)

    def _claim(self, relative: str) -> None:
        if relative in self.hand_written:
            raise GeneratedClash(
                f"content/{relative} là trang viết tay nhưng trùng đường dẫn với trang sinh tự động; "
                "hãy đổi tên trang viết tay"
            )
        self.written.append(relative)


def copy_hand_written(content: Path, docs: Path) -> frozenset[str]:
    names = set()
    if content.is_dir():
        for path in sorted(content.rglob("*")):
            if path.is_file():
                relative = path.relative_to(content).as_posix()
                target = docs / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
                names.add(relative)
    return frozenset(names)


def _item(doc: Document) -> dict[str, Any]:
    m = doc.metadata
    return {
        "slug": doc.slug,
        "number": clean(m.number or "không số"),
        "subject": clean(m.subject or ""),
        "type_name": m.type_name or "Văn bản",
        "urgency": m.marks.urgency,
        "issued": date_vi(m.issued_date),
        "published": time_vi(doc.published_at),
    }


def _signature_view(doc: Document) -> list[dict[str, Any]]:
    views = []
    for s in doc.signatures:
        views.append({
            "role": role_vi(s),
            "signer": s.signer,
            "organisation": s.organisation,
            "signed_at": time_vi(s.signed_at),
            "timestamp_at": time_vi(s.timestamp_at) if s.timestamp_at else None,
            "coverage": coverage_vi(s),
            "issuer": s.issuer,
            "trust_root": s.trust_root,
            "revocation_checked": s.revocation_checked,
            "chain": s.chain,
            "serial": s.serial,
            "not_before": time_vi(s.not_before),
            "not_after": time_vi(s.not_after),
            "sub_filter": s.sub_filter,
            "field_name": s.field_name,
        })
    return views


def render_all(
    config: PortalConfig, documents: tuple[Document, ...], docs: Path, hand_written: frozenset[str]
) -> list[str]:
    env = environment()
    writer = Writer(docs, hand_written, [])
    index = UnitIndex(config)
    ordered = newest_first(documents)
    root = "../../"

    for doc in ordered:
        m = doc.metadata
        addressees = []
        for line in m.addressees:
            found = index.lookup(line)
            href = None
            if found:
                href = f"{root}don-vi/{found[1]}/"
            addressees.append({"text": line, "url": href})
        signer = ", ".join(p for p in (m.signer.authority, m.signer.position, m.signer.full_name) if p)
        page = env.get_template("document.md.j2").render(
            doc=doc, m=m, root=root, title=title_of(m),
            description=clean(f"{m.type_name or 'Văn bản'} {m.number or ''}: {m.subject or ''}"),
            type_slug=type_slug(m.type_name) if m.type_name else "",
            issued=date_vi(m.issued_date), published=time_vi(doc.published_at),
            addressees=addressees, signer_line=signer or "không rõ",
            signatures=_signature_view(doc), pdf_href=f"../{doc.slug}.pdf",
            size_kb=max(1, round(doc.source.size / 1024)),
            sidecar_fields=[SIDECAR_LABELS.get(name, name) for name in m.from_sidecar],
        )
        writer.write(f"van-ban/{doc.slug}.md", page)
        writer.link(f"van-ban/{doc.slug}.pdf", config.root / doc.source.path)

    items = [_item(d) for d in ordered]
    by_type = Counter(d.metadata.type_name or "Văn bản" for d in ordered)
    types = [{"name": name, "slug": type_slug(name), "count": count} for name, count in sorted(by_type.items())]
    writer.write("index.md", env.get_template("home.md.j2").render(
        root="", site_title=config.site.title, description=config.site.description,
        urgent=[i for i in items if i["urgency"]][:10], latest=items[:20], types=types,
    ))

    for t in types:
        listed = [i for d, i in zip(ordered, items, strict=True) if (d.metadata.type_name or "Văn bản") == t["name"]]
        writer.write(f"loai/{t['slug']}.md", env.get_template("listing.md.j2").render(
            root=root, title=t["name"], intro=f"{t['count']} văn bản, mới nhất trước.", feed=None, items=listed))
    writer.write("loai/index.md", env.get_template("index_list.md.j2").render(
        title="Loại văn bản",
        entries=[{"name": t["name"], "href": f"{t['slug']}/", "count": t["count"], "feed": None} for t in types]))

    entries = []
    for unit in config.units:
        listed = [i for d, i in zip(ordered, items, strict=True) if unit.id in d.units]
        feed = f"{root}feeds/{unit.id}.xml"
        writer.write(f"don-vi/{unit.id}.md", env.get_template("listing.md.j2").render(
            root=root, title=f"Văn bản gửi {unit.name}", intro=f"{len(listed)} văn bản, mới nhất trước.",
            feed=feed, items=listed))
        entries.append({"name": unit.name, "href": f"{unit.id}/", "count": len(listed),
                        "feed": f"../feeds/{unit.id}.xml"})
    writer.write("don-vi/index.md", env.get_template("index_list.md.j2").render(title="Đơn vị nhận", entries=entries))

    write_feeds(config, ordered, writer, env)
    return writer.written


def write_feeds(config: PortalConfig, ordered: list[Document], writer: Writer, env: Environment) -> None:
    base = config.site.url
    template = env.get_template("rss.xml.j2")

    def render(name: str, title: str, docs: list[Document]) -> None:
        docs = docs[:FEED_SIZE]
        items = []
        for doc in docs:
            m = doc.metadata
            summary = "; ".join(
                part for part in (
                    f"{m.type_name or 'Văn bản'} số {m.number or 'không số'}, ngày {date_vi(m.issued_date)}",
                    f"Cơ quan ban hành: {m.organ_name}" if m.organ_name else "",
                    f"Người ký: {m.signer.full_name}" if m.signer.full_name else "",
                    f"Kính gửi: {', '.join(m.addressees)}" if m.addressees else "",
                ) if part
            )
            items.append({
                "title": title_of(m),
                "link": f"{base}van-ban/{doc.slug}/",
                "guid": f"urn:sha256:{doc.source.sha256}",
                "pub_date": rfc822(doc.published_at),
                "summary": summary,
                "category": m.type_name or "Văn bản",
                "enclosure": f"{base}van-ban/{doc.slug}.pdf",
                "length": doc.source.size,
            })
        writer.write(f"feeds/{name}.xml", template.render(
            title=title, link=base, description=config.site.description, self_url=f"{base}feeds/{name}.xml",
            last_build=rfc822(docs[0].published_at) if docs else None, items=items,
        ))

    render("all", config.site.title, ordered)
    for unit in config.units:
        render(unit.id, f"Văn bản gửi {unit.name}", [d for d in ordered if unit.id in d.units])
