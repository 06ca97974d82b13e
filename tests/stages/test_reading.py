"""The reading copy (pipeline/reading.py) on real text layers: letters rendered by the demo corpus
generator, read back by pypdf in layout mode, in every printing variant that changes the order or
the characters of the text layer. Ground truth is the Letter itself."""

from __future__ import annotations

import dataclasses
import re

import pytest

from corpus.letters import Letter, Printing, demo_letters, render_letter
from pipeline.decide.numbers import number_key
from pipeline.examine.text import read_text
from pipeline.publish.reading import Block, blocks, link, plain

VARIANTS = {
    "plain": Printing(),
    "rows": Printing(order="rows"),
    "right-first": Printing(order="right-first"),
    "nbsp-en-dash": Printing(nbsp=True, dash="–"),
    "page-numbers-bottom": Printing(page_numbers="bottom", page_number_format="- {n} -"),
    "page-numbers-trang": Printing(page_numbers="bottom", page_number_format="Trang {n}"),
    "label-own-line": Printing(addressee_label="own-line"),
    "number-spaces": Printing(number_spaces=True),
}


def _read(letter: Letter) -> tuple[Block, ...]:
    text, _pages = read_text(render_letter(letter))
    return blocks(text.pages)


@pytest.fixture(scope="module")
def read_back() -> dict[tuple[str, str], tuple[Letter, tuple[Block, ...]]]:
    found = {}
    for name, printing in VARIANTS.items():
        for letter in demo_letters():
            variant = dataclasses.replace(letter, printing=printing)
            found[(name, letter.number or "")] = (variant, _read(variant))
    return found


def _words(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_every_body_paragraph_comes_back_whole_and_alone(read_back, variant: str) -> None:
    """GIVEN each demo letter printed this way WHEN its text layer is read into blocks THEN every body
    paragraph is exactly one `text` block, its lines joined with single spaces, nothing lost."""
    for (name, _number), (letter, found) in read_back.items():
        if name != variant:
            continue
        texts = [_words(" ".join(b.lines)) for b in found if b.kind == "text"]
        for paragraph in letter.body:
            if paragraph.isupper():  # "QUYẾT ĐỊNH:", "BAN THƯỜNG VỤ ..." are centred titles
                assert any(b.kind == "title" and _words(b.lines[0]) == _words(paragraph) for b in found)
                continue
            assert _words(paragraph) in texts, (letter.number, paragraph[:60], texts)


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_addressees_signer_and_no_page_numbers(read_back, variant: str) -> None:
    for (name, _number), (letter, found) in read_back.items():
        if name != variant:
            continue
        lines = [line for b in found for line in (*b.lines, *b.right)]
        assert not any(re.fullmatch(r"(?:Trang )?[-–]? ?\d{1,2} ?[-–]?", line.strip()) for line in lines), letter.number
        everything = _words(" ".join(lines))
        assert letter.signer_name in everything
        if letter.addressees and letter.printing.addressee_label == "inline":
            [addressed] = [b for b in found if b.kind == "addressees"]
            items = [_words(x).lstrip("-–— ").rstrip(";.,") for x in addressed.lines[1:]]
            assert items == list(letter.addressees), letter.number


def test_header_and_title_blocks(read_back) -> None:
    letter, found = read_back[("plain", "291/QĐ-LĐLĐ")]
    assert found[0].kind == "header"
    assert "LIÊN ĐOÀN LAO ĐỘNG TỈNH MẪU" in found[0].lines
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in found[0].right
    header_text = " ".join(line for b in found if b.kind == "header" for line in (*b.lines, *b.right))
    assert "Số: 291/QĐ-LĐLĐ" in header_text
    titles = [b.lines[0] for b in found if b.kind == "title"]
    assert titles[0] == "QUYẾT ĐỊNH"
    centre = [b.lines[0] for b in found if b.kind == "centre"]
    assert _words(centre[0]) == _words(f"{letter.printed_subject}")


def test_plain_text_is_single_spaced_and_in_reading_order(read_back) -> None:
    _letter, found = read_back[("rows", "316/GM-LĐLĐ")]
    text = plain(found)
    assert "  " not in text and "\n" not in text
    assert text.index("Số: 316/GM-LĐLĐ") < text.index("GIẤY MỜI") < text.index("Kính gửi") < text.index("Nơi nhận")


def test_links_only_whole_numbers_in_any_spelling() -> None:
    targets = {"71/TB-LĐLĐ": "../71/"}
    for spelled in ("71/TB-LĐLĐ", "71 /TB–LĐLĐ", "71/tb-ldld", "71/TB - LĐLĐ"):
        line = f"Căn cứ Thông báo số {spelled} ngày 17/3/2016;"
        segments = link(line, targets)
        assert "".join(text for text, _ in segments) == line
        assert [(text, href) for text, href in segments if href] == [(spelled, "../71/")]
    for other in ("171/TB-LĐLĐ", "71/TB-LĐLĐ-VP", "71/TB-LĐLĐX", "7/TB-LĐLĐ"):
        assert all(href is None for _, href in link(f"theo văn bản số {other} ngày", targets)), other


def test_link_keeps_text_that_looks_like_markup_as_text() -> None:
    """Segments are plain text; the template escapes them. Nothing here builds HTML."""
    line = '<script>alert(1)</script> số 71/TB-LĐLĐ "x"'
    segments = link(line, {"71/TB-LĐLĐ": "../71/"})
    assert "".join(t for t, _ in segments) == line


@pytest.mark.parametrize(("typed", "key"), [
    ("78/LĐLĐ", "78ldld"), ("78 LDLD", "78ldld"), ("số 78 /lđlđ", "78ldld"), ("Số: 291/QĐ-LĐLĐ", "291qdldld"),
    ("145 - CV/TU", "145cvtu"), ("15/2020/QĐ-BNV", "152020qdbnv"),
])
def test_number_key(typed: str, key: str) -> None:
    assert number_key(typed) == key
