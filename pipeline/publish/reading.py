"""The reading copy: a document's text layer as readable blocks, for people who cannot open the PDF.

pypdf's layout mode (text.py) keeps the page geometry as runs of spaces: the two-column header and
closing share lines, body paragraphs have a first-line indent and a ragged last line, titles are
centred, page numbers stand alone. This module turns those lines back into blocks a browser can
reflow on a phone:

- `header`: a two-column region before anything else (issuing body and number, motto and date);
- `columns`: a later two-column region ("Nơi nhận" beside the signing block), left and right lines;
- `title`: a centred line in capitals ("KẾ HOẠCH", "QUYẾT ĐỊNH:");
- `centre`: other centred lines (the subject under the title), joined into one line;
- `addressees`: "Kính gửi:" and its items, one a line;
- `right`: short lines set to the right (the signer's name);
- `text`: body paragraphs, lines joined with a space.

Nothing is added, removed or reworded except lone page numbers and the spacing: the reading copy says
exactly what the text layer says, in reading order. It is labelled on every page as a reference
copy that does not replace the signed file.

`link` then cuts each line into segments, so that cited numbers that are published on the portal
become links. Everything here is plain text; the templates escape it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from pipeline.normalize import fold_aligned

# Separators of columns: layout mode leaves at least this many spaces between two columns.
_GAP = re.compile(r" {4,}")
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]")
# Anchored alternatives that never re-scan the same spaces: a hostile line of spaces stays linear.
_PAGE_NUMBER = re.compile(r"^(?:trang\s+(?:[-–—]\s*)?|[-–—]\s*|\s*)\d{1,3}(?:\s*/\s*\d{1,3})?\s*[-–—]?$", re.IGNORECASE)
_BULLET = re.compile(r"^(?:[-–—+•*]\s|[a-zđ]\)\s|\d{1,2}[.)]\s)")
_ENDS_SENTENCE = re.compile(r"[.:;!?\"”)]$")
_ADDRESSEES = re.compile(r"^kinh\s+gui\b")


@dataclass(frozen=True)
class Block:
    kind: str  # "header" | "columns" | "title" | "centre" | "addressees" | "right" | "text"
    lines: tuple[str, ...]  # for "header" and "columns": the left column
    right: tuple[str, ...] = ()  # for "header" and "columns": the right column


@dataclass(frozen=True)
class _Line:
    indent: int
    text: str  # stripped
    segments: tuple[tuple[int, str], ...]  # (column, text) of each run separated by a gap

    @property
    def end(self) -> int:
        return self.indent + len(self.text)

    @property
    def multi(self) -> bool:
        return len(self.segments) > 1


def _parse(raw: str) -> _Line | None:
    line = _SPACES.sub(" ", raw).rstrip()
    text = line.lstrip()
    if not text:
        return None
    indent = len(line) - len(text)
    segments = []
    position = indent
    for part in _GAP.split(text):
        start = line.index(part, position)
        segments.append((start, part))
        position = start + len(part)
    return _Line(indent, text, tuple(segments))


def _page_lines(page: str) -> list[_Line | None]:
    """Parsed lines of one page without the lone page number at its top or bottom; None is a blank."""
    lines = [_parse(raw) for raw in page.split("\n")]
    while lines and lines[0] is None:
        lines.pop(0)
    while lines and lines[-1] is None:
        lines.pop()
    for index in (0, -1):
        if lines:
            first = lines[index]
            if first is not None and _PAGE_NUMBER.match(first.text):
                lines.pop(index)
    while lines and lines[0] is None:
        lines.pop(0)
    while lines and lines[-1] is None:
        lines.pop()
    return lines


def _margin(lines: list[_Line | None]) -> int:
    """The body's left margin on one page, from the indents of its long single-column lines."""
    present = [line for line in lines if line is not None and not line.multi]
    if not present:
        return 0
    longest = max(len(line.text) for line in present)
    long_lines = [line.indent for line in present if len(line.text) >= max(30, 0.6 * longest)]
    if not long_lines:
        return min(line.indent for line in present)
    # The leftmost indent shared by several long lines: first lines of paragraphs are indented
    # further, and a page of many short paragraphs has more first lines than continuation lines.
    counts = Counter(long_lines)
    shared = [indent for indent, count in counts.items() if count >= max(2, len(long_lines) // 10)]
    return min(shared) if shared else counts.most_common(1)[0][0]


def _width(pages: list[list[_Line | None]], margins: list[int]) -> int:
    """Width of a full body line, the same on every page (layout mode keeps one scale)."""
    width = 0
    for lines, margin in zip(pages, margins, strict=True):
        for line in lines:
            if line is not None and not line.multi:
                width = max(width, line.end - margin)
    return max(width, 20)


def blocks(pages: Iterable[str]) -> tuple[Block, ...]:
    """Readable blocks of a document's layout-mode pages, in reading order."""
    parsed = [_page_lines(page) for page in pages]
    margins = [_margin(lines) for lines in parsed]
    width = _width(parsed, margins)
    out: list[Block] = []
    paragraph: list[str] = []  # the open body paragraph
    previous: _Line | None = None  # its last line, to decide whether the next one continues it
    previous_margin = 0

    def close() -> None:
        nonlocal previous
        if paragraph:
            out.append(Block("text", (" ".join(paragraph),)))
            paragraph.clear()
        previous = None

    for lines, margin in zip(parsed, margins, strict=True):
        centre = margin + width / 2
        index = 0
        while index < len(lines):
            line = lines[index]
            if line is None:
                close()
                index += 1
                continue
            if line.multi:
                close()
                index = _columns(lines, index, out)
                continue
            folded = fold_aligned(line.text)
            if _ADDRESSEES.match(folded) and line.indent > margin + 2:
                close()
                index = _addressees(lines, index, out)
                continue
            if _is_centred(line, margin, width):
                close()
                index = _centred(lines, index, margin, width, out)
                continue
            if line.indent >= margin + 8 and line.indent >= centre - 4:
                close()
                index = _right(lines, index, centre, out)
                continue
            short = previous is not None and previous.end - previous_margin < width - 15
            starts = (
                previous is None
                or line.indent >= margin + 3  # a first-line indent
                or (short and _ENDS_SENTENCE.search(previous.text) is not None)  # the last line was short
                # An item at the margin, after a line that announced it or was cut short. After a
                # full line, "3. Ngày 16/10" is the middle of a sentence that happens to wrap there.
                or (_BULLET.match(line.text) is not None and (short or previous.text.endswith((":", ";"))))
            )
            if starts:
                close()
            paragraph.append(line.text)
            previous, previous_margin = line, margin
            index += 1
        # A paragraph may go on over the page break: keep it open.
    close()
    return tuple(out)


def _columns(lines: list[_Line | None], index: int, out: list[Block]) -> int:
    """A two-column region: multi-column lines and the single lines between them, up to a blank."""
    region: list[_Line] = []
    while index < len(lines):
        line = lines[index]
        if line is None:
            break
        region.append(line)
        index += 1
    split = min(start for line in region if line.multi for start, _ in line.segments[1:])
    left: list[str] = []
    right: list[str] = []
    for line in region:
        lefts = [text for start, text in line.segments if start < split - 4]
        rights = [text for start, text in line.segments if start >= split - 4]
        if lefts:
            left.append(" ".join(lefts))
        if rights:
            right.append(" ".join(rights))
    kind = "header" if all(b.kind == "header" for b in out) else "columns"
    out.append(Block(kind, tuple(left), tuple(right)))
    return index


def _addressees(lines: list[_Line | None], index: int, out: list[Block]) -> int:
    """ "Kính gửi:" with its first item, then one item a line; a wrapped item joins its line."""
    first = lines[index]
    assert first is not None
    label, _, rest = first.text.partition(":")
    items: list[str] = [f"{label.strip()}:"]
    if rest.strip():
        items.append(" ".join(rest.split()))
    index += 1
    while index < len(lines):
        line = lines[index]
        if line is None or line.multi or line.indent <= first.indent:
            break
        if _BULLET.match(line.text) or len(items) == 1:
            items.append(line.text)
        else:
            items[-1] = f"{items[-1]} {line.text}"
        index += 1
    out.append(Block("addressees", tuple(items)))
    return index


def _is_centred(line: _Line, margin: int, width: int) -> bool:
    """Indented well past a first-line indent, short of the right margin, and about centred."""
    if line.indent < margin + 8 or line.end >= margin + width - 3:
        return False
    return abs(_middle(line) - (margin + width / 2)) <= max(6, width / 12)


def _middle(line: _Line) -> float:
    """Where the middle of a line falls. Layout mode counts characters, but capitals are wider than
    small letters, so a centred line in capitals starts further left than its length suggests."""
    width = sum(1.3 if c.isupper() else 1.0 for c in line.text)
    return line.indent + width / 2


def _is_title(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _centred(lines: list[_Line | None], index: int, margin: int, width: int, out: list[Block]) -> int:
    """Consecutive centred lines: a title in capitals stands alone, the others join into one line."""
    joined: list[str] = []
    while index < len(lines):
        line = lines[index]
        if line is None or line.multi or not _is_centred(line, margin, width):
            break
        if _is_title(line.text):
            if joined:
                break
            out.append(Block("title", (line.text,)))
            index += 1
            continue
        joined.append(line.text)
        index += 1
    if joined:
        out.append(Block("centre", (" ".join(joined),)))
    return index


def _right(lines: list[_Line | None], index: int, centre: float, out: list[Block]) -> int:
    kept: list[str] = []
    while index < len(lines):
        line = lines[index]
        if line is None or line.multi or line.indent < centre - 4:
            break
        kept.append(line.text)
        index += 1
    out.append(Block("right", tuple(kept)))
    return index


def plain(found: Iterable[Block]) -> str:
    """The reading copy as one line of text, in reading order (for the search index)."""
    parts: list[str] = []
    for block in found:
        parts.extend(block.lines)
        parts.extend(block.right)
    return " ".join(" ".join(parts).split())


# --- links to cited documents -------------------------------------------------------------------

Segment = tuple[str, str | None]  # (text, href or None)
_SEPARATOR = "[-‐‑‒–—―−/]"


def number_pattern(number: str) -> str:
    """A regex for a document number as it may be printed: any case, diacritics folded, any dash,
    spaces around the separators ("71/TB-LĐLĐ", "71 /TB–LĐLĐ"). Match it against `fold_aligned` text."""
    folded = fold_aligned(" ".join(number.split()))
    parts = re.split(f"\\s*{_SEPARATOR}\\s*", folded)
    separators = re.findall(_SEPARATOR, folded)
    pattern = ""
    for index, part in enumerate(parts):
        pattern += re.escape(part)
        if index < len(separators):
            pattern += f"\\s*{_SEPARATOR}\\s*"
    return f"(?<![\\w/-])(?:{pattern})(?![\\w]|[/-]\\w)"


def linker(targets: Mapping[str, str]) -> Callable[[str], tuple[Segment, ...]]:
    """A function cutting a line into segments; every occurrence of a number of `targets`
    (number -> href) is a segment with that href. The pattern is compiled once per document."""
    if not targets:
        return lambda line: ((line, None),)
    hrefs = list(targets.values())
    combined = re.compile("|".join(f"(?P<n{i}>{number_pattern(n)})" for i, n in enumerate(targets)))

    def cut(line: str) -> tuple[Segment, ...]:
        folded = fold_aligned(line)
        segments: list[Segment] = []
        position = 0
        for match in combined.finditer(folded):
            group = next(i for i in range(len(hrefs)) if match.group(f"n{i}") is not None)
            if match.start() > position:
                segments.append((line[position:match.start()], None))
            segments.append((line[match.start():match.end()], hrefs[group]))
            position = match.end()
        if position < len(line):
            segments.append((line[position:], None))
        return tuple(segments) or ((line, None),)

    return cut


def link(line: str, targets: Mapping[str, str]) -> tuple[Segment, ...]:
    """Cut `line` into segments; every occurrence of a number in `targets` (number -> href) is a link."""
    return linker(targets)(line)
