"""The output audit, the second gate before site/ is replaced: it must see a refused document in any
file, including Pagefind's compressed, accent-folded index."""

from __future__ import annotations

import gzip
from pathlib import Path

from pipeline.publish.audit import audit_site
from pipeline.records import Metadata, Reason, ReasonCode, Refusal, SourceFile

SUBJECT = "tình hình nội bộ cần giữ bí mật đặc biệt"


def _refusal() -> Refusal:
    source = SourceFile("documents/2026/mat.pdf", "ab" * 32, 1000)
    return Refusal(source, (Reason(ReasonCode.SECRET, "MẬT"),), Metadata(number="999/TB-LĐLĐ", subject=SUBJECT))


def test_a_refused_subject_folded_inside_pagefinds_gzip_index_is_caught(tmp_path: Path) -> None:
    fragment = tmp_path / "pagefind" / "fragment" / "vi_1.pf_fragment"
    fragment.parent.mkdir(parents=True)
    fragment.write_bytes(gzip.compress(b'pagefind_dcd{"content":"tinh hinh noi bo can giu bi mat dac biet"}'))
    problems = audit_site(tmp_path, (), (_refusal(),))
    assert len(problems) == 1 and "vi_1.pf_fragment" in problems[0]


def test_refused_hash_and_number_in_pages_and_unknown_pdfs_are_caught(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<p>Số 999/TB-LĐLĐ</p>", encoding="utf-8")
    (tmp_path / "feed.atom").write_text("urn:sha256:" + "ab" * 32, encoding="utf-8")
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.7 not accepted")
    problems = audit_site(tmp_path, (), (_refusal(),))
    assert any("index.html" in p and "999/TB-LĐLĐ" in p for p in problems)
    assert any("feed.atom" in p for p in problems)
    assert any("x.pdf: PDF is not an accepted document" in p for p in problems)


def test_a_clean_site_passes(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<p>Kế hoạch tổ chức hội thao</p>", encoding="utf-8")
    assert audit_site(tmp_path, (), (_refusal(),)) == []


def test_a_refused_number_is_matched_whole_not_inside_another_number(tmp_path: Path) -> None:
    """A refused "2/KH-LĐLĐ" beside a published "12/KH-LĐLĐ" stopped every build (issue 18 bench)."""
    refusal = Refusal(SourceFile("documents/2026/2.pdf", "cd" * 32, 1000), (Reason(ReasonCode.EXCLUDED_CATEGORY),),
                      Metadata(number="2/KH-LĐLĐ", subject="kế hoạch xây dựng Mái ấm Công đoàn năm 2026"))
    (tmp_path / "index.html").write_text("<p>Số 12/KH-LĐLĐ; 112/KH-LĐLĐ-x</p>", encoding="utf-8")
    assert audit_site(tmp_path, (), (refusal,)) == []
    (tmp_path / "other.html").write_text("<p>Số 2/KH-LĐLĐ</p>", encoding="utf-8")
    problems = audit_site(tmp_path, (), (refusal,))
    assert len(problems) == 1 and "other.html" in problems[0] and "2/KH-LĐLĐ" in problems[0]
