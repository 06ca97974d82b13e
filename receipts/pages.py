"""The service's HTML pages: jinja2 templates in receipts/templates/, autoescaped (everything that came
from the feed, the configuration or a request is text, never markup)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES = Path(__file__).with_name("templates")
STATIC = Path(__file__).with_name("static")


def environment(zone: ZoneInfo) -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)

    def moment(value: dt.datetime | None) -> str:
        if value is None:
            return ""
        local = value.astimezone(zone)
        return f"{local:%H:%M} {local.day:02d}/{local.month:02d}/{local.year}"

    def day(value: dt.date | None) -> str:
        return f"{value.day:02d}/{value.month:02d}/{value.year}" if value else "không rõ ngày"

    env.filters["moment"] = moment
    env.filters["day"] = day
    return env


class Pages:
    def __init__(self, zone: ZoneInfo, base: str) -> None:
        self.env = environment(zone)
        self.base = base

    def render(self, name: str, **context: Any) -> str:
        return self.env.get_template(name).render(base=self.base, **context)
