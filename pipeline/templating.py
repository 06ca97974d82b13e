"""The one jinja2 environment factory: every template renders text from untrusted PDFs, so escaping
and strict undefined names are set here, once, for pages, feeds and office pages alike."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined


def environment(*, trim: bool = False, **options: Any) -> Environment:
    """`trim` strips block tags' own lines (templates holding Markdown tables, XML and JSON)."""
    return Environment(
        loader=PackageLoader("pipeline", "templates"),
        autoescape=True,  # every value comes from an untrusted PDF's text: escape it all
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=trim,
        lstrip_blocks=trim,
        **options,
    )
