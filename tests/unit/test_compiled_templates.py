"""The templates' compiled code kept between builds (templating._CompiledTemplates, issue 21): jinja2's
key is a template's name and file only, and our environments compile the same templates under other
settings (trimmed blocks, a finalize function). Two environments share a compiled template only when
they compile it to the same code, and a damaged file is compiled again, never an error."""

from __future__ import annotations

import itertools
from pathlib import Path

from jinja2 import Environment, TemplateAssertionError

from pipeline.publish import feeds, office_pages, pages, templating


def _environments() -> list[Environment]:
    return [pages.environment(), feeds.environment(), office_pages._environment(), templating.environment(),
            templating.environment(trim=True)]


def test_environments_share_compiled_templates_only_when_they_compile_them_alike() -> None:
    envs = _environments()
    assert all(env.bytecode_cache is not None for env in envs)
    names = envs[0].loader.list_templates()  # type: ignore[union-attr]
    assert len(names) > 15
    pairs_apart = 0
    for one, other in itertools.combinations(envs, 2):
        same_key = one.bytecode_cache.pattern == other.bytecode_cache.pattern  # type: ignore[union-attr]
        for name in names:
            source, filename, _ = one.loader.get_source(one, name)  # type: ignore[union-attr]
            try:
                alike = one.compile(source, name, filename, raw=True) == other.compile(source, name, filename, raw=True)
            except TemplateAssertionError:  # a filter of the one environment: never compiled by the other
                continue
            assert alike or not same_key, (name, one.bytecode_cache.pattern)  # type: ignore[union-attr]
            pairs_apart += not alike
    assert pairs_apart  # the settings do change the code: the key is needed


def test_a_damaged_compiled_template_is_compiled_again(tmp_path: Path) -> None:
    env = pages.environment()
    env.get_template("listing.md.j2")
    cache = env.bytecode_cache
    assert isinstance(cache, templating._CompiledTemplates)
    bucket = cache.get_bucket(env, "listing.md.j2", env.loader.get_source(env, "listing.md.j2")[1], "")  # type: ignore[union-attr]
    stored = Path(cache._get_cache_filename(bucket))
    assert stored.is_file()
    kept = stored.read_bytes()
    try:
        stored.write_bytes(kept[:40])  # cut short inside the compiled code
        again = pages.environment().get_template("listing.md.j2")
        assert again.name == "listing.md.j2" and again.root_render_func is not None
    finally:
        stored.write_bytes(kept)
