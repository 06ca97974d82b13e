"""templating.context_text (issue 21): a page's key text, with each listing line's repr made once a
build and stood for by its SHA-256; it must be `repr(sorted(context.items()))` with only that
replacement, so a page is rebuilt when, and only when, what it is rendered from changed."""

from __future__ import annotations

from typing import Any

import pytest

from pipeline.publish.templating import context_text, environment, line_digest

LINE = {"slug": "78-ldld", "number": "78/LĐLĐ", "subject": "Kế hoạch \"tháng\" 11 'năm' 2026", "units": [("a", "A")],
        "urgency": None, "year": "2026"}
CONTEXTS: list[dict[str, Any]] = [
    {"items": [LINE, {"slug": "x"}, LINE], "root": "../", "pager": {"pages": 2}, "page": 0, "filters": None},
    {"items": [], "crumbs": [{"name": "Trang chủ", "href": "../"}], "nested": [[LINE], (1, 2)], "t": (LINE,)},
    {},
]


def expected(value: Any) -> str:
    """The repr, written out, with every dict directly inside a list replaced by its digest."""
    if type(value) is list:
        return "[" + ", ".join(line_digest(v) if type(v) is dict else expected(v) for v in value) + "]"
    return repr(value)


@pytest.mark.parametrize("context", CONTEXTS)
def test_context_text_is_the_repr_of_the_sorted_context(context: dict[str, Any]) -> None:
    env = environment()
    want = "[" + ", ".join(f"({name!r}, {expected(value)})" for name, value in sorted(context.items())) + "]"
    assert context_text(env, context) == want
    assert context_text(env, context) == want  # the second time from the digests made the first
    assert len(context_text(env, {"items": [LINE] * 50})) < 50 * 70  # a digest, not the repr, per line


def test_a_new_line_in_place_of_another_changes_the_text() -> None:
    env = environment()
    before = context_text(env, {"items": [dict(LINE)]})
    assert context_text(env, {"items": [dict(LINE, subject="khác")]}) != before
    assert context_text(env, {"items": [dict(LINE)]}) == before  # an equal line, another object
