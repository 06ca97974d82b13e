"""The public attack corpus in ../shared/attacks (never copied into this repository): a build over
all of it publishes nothing, finishes, and refuses every file with a reason."""

from __future__ import annotations

import gzip
import shutil

import pytest
from kit import ATTACKS, make_portal

from pipeline.corpus.pki import DemoPki

pytestmark = pytest.mark.skipif(not ATTACKS.is_dir(), reason="../shared/attacks is not present")


def test_no_attack_file_is_published_and_none_stalls_the_build(tmp_path, pki: DemoPki, capsys) -> None:
    portal = make_portal(tmp_path / "portal", pki)
    sources = sorted(p for p in ATTACKS.rglob("*") if p.is_file() and p.suffix in {".pdf", ".gz"})
    assert len(sources) >= 60
    for index, source in enumerate(sources):
        target = portal.root / "documents" / f"{index:03d}-{source.name.removesuffix('.gz')}"
        if source.suffix == ".gz":
            with gzip.open(source) as packed, target.open("wb") as out:
                shutil.copyfileobj(packed, out)
        else:
            shutil.copyfile(source, target)
    status, stdout, stderr = portal.build("--no-cache")
    assert status == 3, stderr
    assert "Đã đăng 0 văn bản." in stdout
    assert stdout.count("✗ documents/") == len(sources)
    assert not list(portal.site.rglob("*.pdf"))
