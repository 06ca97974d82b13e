"""The one jinja2 environment factory: every template renders text from untrusted PDFs, so escaping
and strict undefined names are set here, once, for pages, feeds and office pages alike."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_environment
from markupsafe import Markup, escape

# Stands for the path to the site root in a listing line rendered once for every page it is on.
ROOT_MARK = "\ue000"


def environment(*, trim: bool = False, **options: Any) -> Environment:
    """`trim` strips block tags' own lines (templates holding Markdown tables, XML and JSON)."""
    env = Environment(
        loader=PackageLoader("pipeline", "templates"),
        autoescape=True,  # every value comes from an untrusted PDF's text: escape it all
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=trim,
        lstrip_blocks=trim,
        **options,
    )
    env.filters["rows"] = _rows
    return env


@pass_environment
def _rows(env: Environment, items: list[dict[str, Any]], root: str) -> Markup:
    """The lines of a listing (_item.html.j2). A document is on half a dozen listings (type, year,
    month, signer, units...): its line is rendered once, with a mark where the path to the site
    root goes, and each listing puts its own path there."""
    template = env.get_template("_item.html.j2")
    key = f"_row{id(env)}"
    lines = []
    for item in items:
        line = item.get(key)
        if line is None:
            line = item[key] = template.render(d=item, root=ROOT_MARK)
        lines.append(line)
    return Markup("".join(lines).replace(ROOT_MARK, str(escape(root))))
