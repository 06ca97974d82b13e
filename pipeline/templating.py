"""The one jinja2 environment factory: every template renders text from untrusted PDFs, so escaping
and strict undefined names are set here, once, for pages, feeds and office pages alike."""

from __future__ import annotations

import hashlib
import weakref
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


_RENDERED: weakref.WeakKeyDictionary[Environment, dict[int, tuple[dict[str, Any], str]]] = weakref.WeakKeyDictionary()


@pass_environment
def _rows(env: Environment, items: list[dict[str, Any]], root: str) -> Markup:
    """The lines of a listing (_item.html.j2). A document is on half a dozen listings (type, year,
    month, signer, units...): its line is rendered once, with a mark where the path to the site
    root goes, and each listing puts its own path there."""
    template = env.get_template("_item.html.j2")
    # Rendered lines by the item's identity (the item itself is kept, so its id is never reused);
    # the items are not marked themselves: pages are keyed by their contents (context_key).
    rendered = _RENDERED.setdefault(env, {})
    lines = []
    for item in items:
        found = rendered.get(id(item))
        if found is None or found[0] is not item:
            found = rendered[id(item)] = (item, template.render(d=item, root=ROOT_MARK))
        lines.append(found[1])
    return Markup("".join(lines).replace(ROOT_MARK, str(escape(root))))


def context_key(context: dict[str, Any]) -> str:
    """A page's key from the values it is rendered from (plain dicts, lists and strings): the
    templates and the code are in the site's global fingerprint (site_state.py)."""
    return hashlib.sha256(repr(sorted(context.items())).encode("utf-8")).hexdigest()
