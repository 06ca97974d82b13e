"""The one jinja2 environment factory: every template renders text from untrusted PDFs, so escaping
and strict undefined names are set here, once, for pages, feeds and office pages alike."""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import weakref
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from jinja2 import Environment, PackageLoader, StrictUndefined, Template, pass_environment
from jinja2.bccache import Bucket, BytecodeCache, FileSystemBytecodeCache
from markupsafe import Markup, escape

_JINJA = importlib.metadata.version("jinja2")

# Stands for the path to the site root in a listing line rendered once for every page it is on.
ROOT_MARK = "\ue000"


def environment(*, trim: bool = False, **options: Any) -> Environment:
    """`trim` strips block tags' own lines (templates holding Markdown tables, XML and JSON)."""
    env = Environment(
        loader=PackageLoader("pipeline.publish", "templates"),
        autoescape=True,  # every value comes from an untrusted PDF's text: escape it all
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=trim,
        lstrip_blocks=trim,
        **options,
    )
    env.filters["rows"] = _rows
    return keep_compiled(env)


# What of an environment changes the code a template compiles to.
_COMPILING = ("block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
              "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
              "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "optimized",
              "is_async", "autoescape", "finalize")


def keep_compiled(env: Environment) -> Environment:
    """`env` with its templates' compiled code kept between builds (_CompiledTemplates), under a
    key of its compiling settings, extensions and jinja2's version (mkdocs' theme too, site.py)."""

    def named(value: Any) -> str:  # a function by its name (its repr holds an address)
        return f"{value.__module__}.{value.__qualname__}" if callable(value) else repr(value)

    settings = [f"{name}={named(getattr(env, name))}" for name in _COMPILING] + sorted(env.extensions)
    env.bytecode_cache = _compiled_templates(hashlib.sha256(f"{_JINJA}|{'|'.join(settings)}".encode()).hexdigest()[:16])
    return env


class _CompiledTemplates(FileSystemBytecodeCache):
    """The templates' compiled code kept between builds (compiling the ~60 templates took 0.5-0.7 s of
    every build, issue 21), in jinja2's own per-user folder (created private, checked at every use),
    one file per template, source checksum and Python version; under a name that holds the
    environment's settings too, as jinja2's key is the template's name and file only and our
    environments compile the same templates under different settings. A damaged file is compiled
    again, never an error; a folder that cannot be written is only slower."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # marshal and pickle raise many kinds on a damaged file
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


@functools.cache
def _compiled_templates(settings: str) -> BytecodeCache | None:
    try:
        return _CompiledTemplates(pattern=f"__congbo_{settings}_%s.cache")
    except (OSError, RuntimeError):  # no private temporary folder: every build compiles
        return None


# Per environment (a build's), each listing line (a dict of render.item_view, never changed once
# made) rendered once, by the line's identity: the line itself is kept with it, so its id is never
# reused. Kept small, as bytes (issue 21): a build holds one for every document, and as text with the
# line's repr they were 3.8 kB a document, 380 MB at 100,000. The line's digest, for page keys, is the
# same in every environment (line_key).
_ROWS: weakref.WeakKeyDictionary[Environment, dict[int, tuple[dict[str, Any], bytes]]] = weakref.WeakKeyDictionary()


@pass_environment
def _rows(env: Environment, items: list[dict[str, Any]], root: str) -> Markup:
    """The lines of a listing (_item.html.j2). A document is on half a dozen listings (type, year,
    month, signer, units...): its line is rendered once, with a mark where the path to the site
    root goes, and each listing puts its own path there."""
    template = env.get_template("_item.html.j2")
    rendered = _ROWS.setdefault(env, {})
    lines = []
    for item in items:  # the items are not marked themselves: pages are keyed by their contents
        found = rendered.get(id(item))
        if found is None or found[0] is not item:
            found = rendered[id(item)] = (item, template.render(d=item, root=ROOT_MARK).encode())
        lines.append(found[1])
    return Markup(b"".join(lines).decode().replace(ROOT_MARK, str(escape(root))))


class KeyedSink(Protocol):
    """What write_rendered needs from render.Writer."""

    def write_keyed(self, relative: str, key: str, render: Callable[[], str]) -> None: ...


def write_rendered(writer: KeyedSink, relative: str, template: Template, context: dict[str, Any]) -> None:
    """`template` rendered with `context` into `relative`, only when one of them changed since the
    last build: the key is the template's name and the values the page is rendered from (plain dicts,
    lists and strings). The templates' text and the code are in the site's global fingerprint
    (site_state.py)."""
    writer.write_keyed(relative, page_key(template, context), functools.partial(template.render, context))


def page_key(template: Template, context: dict[str, Any]) -> str:
    """What write_rendered keys a page by: the template's name and the values it is rendered from."""
    return f"{template.name}:" + hashlib.sha256(context_text(template.environment, context).encode("utf-8")).hexdigest()


def context_text(env: Environment, context: dict[str, Any]) -> str:
    """`repr(sorted(context.items()))`, with each dict in a list (a listing line) stood for by the
    SHA-256 of its repr, made once a build (line_key): a document's line is on half a dozen
    listings and unit pages, and the reprs of those lines were a second and a half of every build at
    10,000 documents (issue 21). Two contexts give the same text exactly when their reprs are equal."""

    def text(value: Any) -> str:
        if type(value) is list:
            return "[" + ", ".join(map(element, value)) + "]"
        return repr(value)

    def element(value: Any) -> str:
        return line_key(value) if type(value) is dict else text(value)

    return "[" + ", ".join(f"({name!r}, {text(value)})" for name, value in sorted(context.items())) + "]"


# A listing line's digest does not depend on the environment: one memo for every environment, each
# line kept with its digest (so its id is never reused); forget_line_keys() at the end of a build.
_LINE_KEYS: dict[int, tuple[dict[str, Any], str]] = {}


def line_key(line: dict[str, Any]) -> str:
    found = _LINE_KEYS.get(id(line))
    if found is None or found[0] is not line:
        found = _LINE_KEYS[id(line)] = (line, line_digest(line))
    return found[1]


def known_line_keys(lines: Iterable[tuple[dict[str, Any], str]]) -> None:
    """Digests made by an earlier build for the very same lines (render_browse's memo)."""
    _LINE_KEYS.update((id(line), (line, digest)) for line, digest in lines)


def forget_line_keys() -> None:
    _LINE_KEYS.clear()


def line_digest(line: dict[str, Any]) -> str:
    """What stands for a listing line in a page's key text: the SHA-256 of its repr."""
    return "#" + hashlib.sha256(repr(line).encode("utf-8")).hexdigest()
