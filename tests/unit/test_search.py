"""search: the diacritics carried beside the folded index (meta `dau`), the plan of index bundles, and the
stand-in pages kept between builds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.normalize import canonical, fold_aligned
from pipeline.publish.search import (
    OUTPUT,
    IndexQueue,
    RecordStore,
    SearchIndexError,
    SearchRecord,
    bundles,
    marks,
    page_html,
    restore,
)


def _single_spaced(text: str) -> str:
    return " ".join(canonical(text).split())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ban", "-"),
        ("Công đoàn", "^-+ !-!"),
        ("78/LĐLĐ", "---^-^!^-^!"),
    ],
)
def test_marks_are_short_codes_per_word(text: str, expected: str) -> None:
    assert marks(text) == expected


@pytest.mark.parametrize("text", [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc",
    "Kính gửi: Ban Thường vụ Liên đoàn Lao động tỉnh; Công đoàn cơ sở Công ty TNHH Sữa Trần Đề.",
    'thử ký tự "đặc biệt" <b>in đậm</b> & [bấm](javascript:alert(1)) *sao* {{ 7*7 }} </title>',
    "Müller café Ørsted İstanbul ﬁ 😀 ẞ Ŵ",
])
def test_restore_gives_back_the_original_spelling(text: str) -> None:
    original = _single_spaced(text)
    assert restore(fold_aligned(original), marks(original)) == original


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_restore_inverts_marks_for_any_text(text: str) -> None:
    original = _single_spaced(text)
    dau = marks(original)
    assert restore(fold_aligned(original), dau) == original
    # Pagefind indexes every meta field: `dau` must give it no word (no letter, digit or emoji keycap).
    assert not re.search(r"[\w#*]", dau)
    assert len(dau.split(" ")) == len(fold_aligned(original).split(" "))


def _years(plan: list[tuple[str, list[int]]]) -> list[list[int]]:
    return [years for _name, years in plan]


def test_the_newest_year_has_a_bundle_of_its_own() -> None:
    assert bundles({}) == []
    assert bundles({2026: 5}) == [(OUTPUT, [2026])]
    assert bundles({2025: 3, 2026: 5}) == [(OUTPUT, [2026]), (f"{OUTPUT}-2025", [2025])]


def test_earlier_years_are_cut_from_the_oldest_into_runs_under_the_cap() -> None:
    counts = {2016: 1003, 2017: 997, 2018: 1000, 2019: 1000, 2020: 1000, 2021: 1006, 2022: 997, 2023: 997,
              2024: 1000, 2025: 1001}
    plan = bundles(counts, cap=3000)
    assert plan == [(OUTPUT, [2025]), (f"{OUTPUT}-2024", [2024]), (f"{OUTPUT}-2021-2023", [2023, 2022, 2021]),
                    (f"{OUTPUT}-2019-2020", [2020, 2019]), (f"{OUTPUT}-2016-2018", [2018, 2017, 2016])]
    assert all(sum(counts[y] for y in years) <= 3000 for years in _years(plan[1:]))
    # A year above the cap is a bundle alone.
    assert _years(bundles({2010: 5000, 2011: 10, 2012: 10, 2013: 4000, 2014: 1}, cap=3000)) == [
        [2014], [2013], [2012, 2011], [2010]]


def test_a_new_year_changes_only_the_last_run_of_earlier_years() -> None:
    counts = {year: 700 for year in range(2010, 2026)}
    before = dict(bundles(counts, cap=3000))
    after = dict(bundles(counts | {2026: 1}, cap=3000))
    changed = {name for name in after if before.get(name) != after[name]}
    assert changed == {OUTPUT, f"{OUTPUT}-2022-2025"}, changed
    assert f"{OUTPUT}-2022-2024" in before


def test_the_queue_hands_a_failure_to_the_build_and_runs_nothing_after_it(tmp_path: Path) -> None:
    def broken(skip: frozenset[str]) -> list[SearchRecord]:
        raise ValueError("records could not be built")

    queue = IndexQueue()
    empty = queue.add(tmp_path / "pagefind", list)
    failed = queue.add(tmp_path / "pagefind-2025", broken)
    after = queue.add(tmp_path / "pagefind-2024", list)
    assert empty.wait() == tmp_path / "pagefind" and not (tmp_path / "pagefind").exists()  # nothing to index
    with pytest.raises(ValueError):
        failed.wait()
    with pytest.raises(SearchIndexError):
        after.wait()


def test_stand_in_pages_are_kept_only_for_unchanged_documents(tmp_path: Path) -> None:
    """Adding a letter writes one stand-in page, not the bundle's thousand; a changed, removed,
    tampered-with page, or another version of the code, is never indexed from the last build."""
    made: list[list[str]] = []
    texts = {"van-ban/a/": "cong doan", "van-ban/b/": "ke hoach"}

    def make(skip: frozenset[str]) -> list[SearchRecord]:
        found = [SearchRecord(url, text, (), (), ()) for url, text in texts.items() if url not in skip]
        made.append(sorted(r.url for r in found))
        return found

    def build(keys: dict[str, str], fingerprint: str = "fp", reuse: bool = True) -> Path:
        output = tmp_path / f"out-{len(made)}" / "pagefind"
        output.parent.mkdir()
        store = RecordStore(tmp_path / "store", keys, fingerprint, reuse)
        return IndexQueue().add(output, make, store).wait()

    def indexed(output: Path) -> int:
        return len(list((output / "fragment").glob("*.pf_fragment")))

    pages = tmp_path / "store" / "records" / "van-ban"
    assert indexed(build({"van-ban/a/": "1", "van-ban/b/": "1"})) == 2 and made[-1] == ["van-ban/a/", "van-ban/b/"]
    assert indexed(build({"van-ban/a/": "1", "van-ban/b/": "1"})) == 2 and made[-1] == []
    texts["van-ban/c/"] = "thong bao"
    assert indexed(build({"van-ban/a/": "1", "van-ban/b/": "1", "van-ban/c/": "1"})) == 3 and made[-1] == ["van-ban/c/"]
    texts["van-ban/b/"] = "ke hoach da sua"
    assert indexed(build({"van-ban/a/": "1", "van-ban/b/": "2", "van-ban/c/": "1"})) == 3
    assert made[-1] == ["van-ban/b/"] and "da sua" in (pages / "b" / "index.html").read_text(encoding="utf-8")
    # A document no longer published: its page goes, and the index no longer holds it.
    del texts["van-ban/a/"]
    assert indexed(build({"van-ban/b/": "2", "van-ban/c/": "1"})) == 2 and not (pages / "a").exists()
    # A page changed on disk is written again; so is every page for another version of the code,
    # or in a full build.
    (pages / "c" / "index.html").write_text("<main data-pagefind-body>noi dung la</main>", encoding="utf-8")
    build({"van-ban/b/": "2", "van-ban/c/": "1"})
    assert made[-1] == ["van-ban/c/"] and "noi dung la" not in (pages / "c" / "index.html").read_text(encoding="utf-8")
    # A page that is no stand-in (any name, or a link to a page elsewhere) is never indexed.
    (pages / "c" / "trang.html").write_text("<main data-pagefind-body>tuyet mat</main>", encoding="utf-8")
    (pages / "d").mkdir()
    (tmp_path / "elsewhere.html").write_text("<main data-pagefind-body>tuyet mat</main>", encoding="utf-8")
    (pages / "d" / "index.html").symlink_to(tmp_path / "elsewhere.html")
    assert indexed(build({"van-ban/b/": "2", "van-ban/c/": "1"})) == 2 and made[-1] == []
    assert sorted(p.relative_to(pages).as_posix() for p in pages.rglob("*")) == [
        "b", "b/index.html", "c", "c/index.html"]
    build({"van-ban/b/": "2", "van-ban/c/": "1"}, fingerprint="other")
    assert made[-1] == ["van-ban/b/", "van-ban/c/"]
    build({"van-ban/b/": "2", "van-ban/c/": "1"}, fingerprint="other", reuse=False)
    assert made[-1] == ["van-ban/b/", "van-ban/c/"]


def test_the_stand_in_page_weights_number_subject_and_signer_above_the_body() -> None:
    """Pagefind ranks a word by the weight of the element it stands in (issue 20): the fields come
    first, each in its own weighted element, escaped like everything from a PDF; the body has
    Pagefind's default weight."""
    found = page_html(SearchRecord("van-ban/a/", "noi dung <b>", (), (), (),
                                   fields=((10, "78/ldld"), (7, "ke hoach & <x>"), (5, "tran thi binh"))))
    body = found.split("<main data-pagefind-body>")[1].split("</main>")[0]
    assert body == ('<p data-pagefind-weight="10">78/ldld</p><p data-pagefind-weight="7">ke hoach &amp; &lt;x&gt;</p>'
                    '<p data-pagefind-weight="5">tran thi binh</p><p>noi dung &lt;b&gt;</p>')
