"""The site step: mkdocs-material builds the staged docs into a staging site, the audit checks
it, and only then does it replace site/. The only module that imports mkdocs."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config


class SiteBuildError(Exception):
    pass


def build_site(config_file: Path, docs: Path, site: Path, site_url: str) -> None:
    """Run mkdocs with docs_dir and site_dir pointed at the staging folders."""
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    cfg = load_config(str(config_file), docs_dir=str(docs), site_dir=str(site), site_url=site_url)
    try:
        mkdocs_build(cfg)
    except Exception as exc:  # mkdocs raises its own Abort/ConfigurationError types
        raise SiteBuildError(f"mkdocs build failed: {exc}") from exc


def swap_into_place(staged: Path, target: Path) -> None:
    """Replace `target` with `staged` with two renames, so readers never see a half-built site."""
    old = target.with_name(target.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    staged.rename(target)
    if old.exists():
        shutil.rmtree(old)
