"""Visible signature appearances for `sign` (issue 7), placed as Nghị định 30 describes: the person's
signature between the title and the name of the signing block, the organisation's red seal over the
left third of the person's signature.

- Art: the office's own scanned signature or seal (PNG/JPEG, transparency kept) when given; otherwise
  a plain blue signature stroke and a round red seal drawn here, the seal carrying the
  organisation's name in DejaVu Serif (a font with every Vietnamese glyph) rendered by Pillow, so no
  font is embedded and no text is added to the page.
- Place: the signing block is found on the last page from the positions of the text drawn there,
  read with pyhanko's content-stream parser (no text is decoded): among the lines in the right half,
  at body size or larger, the widest vertical gap is the room left for the signature; the line above
  it is the title, the line below it the name. A person signature already present gives the seal its
  place. Explicit coordinates (--box) override both.
"""

from __future__ import annotations

import io
import itertools
import math
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.content import PdfContent, RawContent
from pyhanko.pdf_utils.content_stream_parser import parse_content_stream
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.layout import BoxConstraints
from pyhanko.pdf_utils.reader import PdfFileReader

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"
MM = 72 / 25.4
SEAL_DIAMETER = 34 * MM  # round seals of Vietnamese bodies measure 30-40 mm
SIGNATURE_WIDTH = 48 * MM
SEAL_RED = (200, 16, 32)

Box = tuple[float, float, float, float]  # x1, y1, x2, y2 in PDF points, origin bottom left


@dataclass(frozen=True)
class TextRun:
    x: float  # origin of the text, page coordinates
    y: float  # baseline
    size: float  # font size after the current transformation
    glyphs: int  # bytes shown (one a glyph for the simple fonts office software embeds)

    @property
    def centre(self) -> float:
        return self.x + self.glyphs * self.size * 0.25  # half an average glyph width of 0.5 em


@dataclass(frozen=True)
class SigningBlock:
    page: int
    title: TextRun
    name: TextRun

    def person_box(self) -> Box:
        """Between the title's baseline (less its descenders) and the top of the name."""
        centre = (self.title.centre + self.name.centre) / 2
        top = self.title.y - 0.3 * self.title.size
        bottom = self.name.y + 0.9 * self.name.size
        return centre - SIGNATURE_WIDTH / 2, bottom, centre + SIGNATURE_WIDTH / 2, top


def seal_box(person: Box) -> Box:
    """A seal over the left third of the person's signature: its right edge a third of the way in,
    centred vertically on the signature."""
    x1, y1, x2, y2 = person
    right = x1 + (x2 - x1) / 3
    middle = (y1 + y2) / 2
    return right - SEAL_DIAMETER, middle - SEAL_DIAMETER / 2, right, middle + SEAL_DIAMETER / 2


def default_person_box(width: float, height: float) -> Box:
    """Where our letters' signing block usually sits when nothing better is known: right half,
    lower part of the page."""
    centre = width * 0.69
    return centre - SIGNATURE_WIDTH / 2, height * 0.22, centre + SIGNATURE_WIDTH / 2, height * 0.22 + 26 * MM


# --- reading positions --------------------------------------------------------------------------------


Matrix = tuple[float, ...]


def _multiply(a: Matrix, b: Matrix) -> Matrix:
    """PDF matrix product a × b, matrices as (a, b, c, d, e, f)."""
    return (a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5])


def _numbers(args: list[generic.PdfObject]) -> tuple[float, ...]:
    return tuple(float(a) for a in args)  # type: ignore[arg-type]


def text_runs(reader: PdfFileReader, page_index: int) -> list[TextRun]:
    """Where each text string of a page's own content starts (forms and annotations ignored)."""
    contents = _pages(reader.root["/Pages"])[page_index].get("/Contents")
    if contents is None:
        return []
    contents = contents.get_object()
    items = list(contents) if isinstance(contents, generic.ArrayObject) else [contents]
    streams = [item.get_object() for item in items]
    identity: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    ctm: Matrix = identity
    stack: list[Matrix] = []
    tm = line = identity
    leading, size = 0.0, 0.0
    runs: list[TextRun] = []
    for op in parse_content_stream(streams):
        name, args = op.op, op.args
        if name == "q":
            stack.append(ctm)
        elif name == "Q":
            ctm = stack.pop() if stack else identity
        elif name == "cm" and len(args) == 6:
            ctm = _multiply(_numbers(args), ctm)
        elif name == "BT":
            tm = line = identity
        elif name == "Tm" and len(args) == 6:
            tm = line = _numbers(args)
        elif name in ("Td", "TD") and len(args) == 2:
            tx, ty = _numbers(args)
            if name == "TD":
                leading = -ty
            tm = line = _multiply((1, 0, 0, 1, tx, ty), line)
        elif name == "T*":
            tm = line = _multiply((1, 0, 0, 1, 0, -leading), line)
        elif name == "TL" and args:
            leading = float(args[0])  # type: ignore[arg-type]
        elif name == "Tf" and len(args) == 2:
            size = float(args[1])  # type: ignore[arg-type]
        elif name in ("Tj", "TJ", "'", '"'):
            if name in ("'", '"'):
                tm = line = _multiply((1, 0, 0, 1, 0, -leading), line)
            full = _multiply(tm, ctm)
            scale = math.sqrt(abs(full[0] * full[3] - full[1] * full[2]))
            glyphs = sum(len(a) for a in (args[-1] if name == "TJ" else args[-1:]) if isinstance(a, bytes | str))
            runs.append(TextRun(full[4], full[5], size * scale, glyphs))
    return runs


def _pages(node: generic.DictionaryObject) -> list[generic.DictionaryObject]:
    if node.get("/Type") == "/Page" or "/Kids" not in node:
        return [node]
    found = []
    for kid in node["/Kids"]:
        found.extend(_pages(kid.get_object()))
    return found


def page_size(reader: PdfFileReader, page_index: int) -> tuple[float, float]:
    page = _pages(reader.root["/Pages"])[page_index]
    box = page.get("/MediaBox") or [0, 0, 595.28, 841.89]
    return float(box[2]) - float(box[0]), float(box[3]) - float(box[1])


def page_count(reader: PdfFileReader) -> int:
    return len(_pages(reader.root["/Pages"]))


def find_signing_block(reader: PdfFileReader, page_index: int | None = None) -> SigningBlock | None:
    """The name (the lowest line of the right half, at body size) and the title above it, when the
    room between them is large enough for a signature; None otherwise."""
    index = page_count(reader) - 1 if page_index is None else page_index
    width, height = page_size(reader, index)
    runs = [r for r in text_runs(reader, index)
            if r.x >= 0.45 * width and r.centre >= 0.5 * width and 0.05 * height < r.y < 0.95 * height]
    if not runs:
        return None
    largest = max(r.size for r in runs)
    right = sorted((r for r in runs if r.size >= 0.8 * largest), key=lambda r: r.y)
    for name, title in itertools.pairwise(right):
        if title.y - name.y < 0.5 * name.size:
            continue  # the same line drawn in pieces
        if 3 * name.size <= title.y - name.y <= 100 * MM:
            return SigningBlock(index, title, name)
        return None
    return None


def existing_signature_box(reader: PdfFileReader, field_names: tuple[str, ...]) -> tuple[int, Box] | None:
    """(page, rectangle) of the first visible signature widget among `field_names`."""
    pages = _pages(reader.root["/Pages"])
    for index, page in enumerate(pages):
        for annot in page.get("/Annots") or []:
            widget = annot.get_object()
            name = widget.get("/T") or widget.get("/Parent", generic.DictionaryObject()).get_object().get("/T")
            rect = widget.get("/Rect")
            if name is None or rect is None or str(name) not in field_names:
                continue
            x1, y1, x2, y2 = (float(v) for v in rect)
            if abs(x2 - x1) > 1 and abs(y2 - y1) > 1:
                return index, (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))
    return None


# --- art ------------------------------------------------------------------------------------------------


def image_content(path: Path) -> PdfContent:
    """The office's own signature or seal scan; transparency (PNG alpha) is kept."""
    opened = Image.open(path)
    opened.load()
    image: Image.Image = opened if opened.mode in ("RGB", "RGBA", "L", "LA") else opened.convert("RGBA")
    return PdfImage(image)


def signature_art() -> PdfContent:
    """A plain blue pen stroke (vector), 200 × 80 units."""
    stroke = (b"q 0.05 0.15 0.55 RG 2.2 w 1 J 1 j "
              b"18 30 m 30 62 48 70 52 48 c 55 30 40 22 58 34 c 74 46 78 64 90 52 c 100 42 96 28 110 34 c "
              b"124 40 128 56 140 48 c 152 40 150 30 166 36 c 176 40 182 46 188 42 c S "
              b"40 20 m 90 14 140 16 180 24 c S Q")
    return RawContent(stroke, box=BoxConstraints(200, 80))


def seal_art(organisation: str, pixels: int = 480) -> PdfContent:
    """A round red seal: two rings, the organisation's name in capitals around the top, a star."""
    image = Image.new("RGBA", (pixels, pixels), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    centre = pixels / 2
    outer = pixels / 2 - 4
    draw.ellipse((centre - outer, centre - outer, centre + outer, centre + outer), outline=SEAL_RED,
                 width=max(4, pixels // 40))
    inner = outer * 0.68
    draw.ellipse((centre - inner, centre - inner, centre + inner, centre + inner), outline=SEAL_RED,
                 width=max(2, pixels // 120))
    _star(draw, centre, centre, inner * 0.55)
    if Path(FONT).is_file():
        _ring_text(image, organisation.upper(), centre, (outer + inner) / 2, pixels)
    return PdfImage(image)


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, radius: float) -> None:
    points = []
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.4
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    draw.polygon(points, fill=SEAL_RED)


def _ring_text(image: Image.Image, text: str, centre: float, radius: float, pixels: int) -> None:
    """Letters around the ring, clockwise from the left, upright towards the centre."""
    size = max(10, int(pixels * 0.075))
    font = ImageFont.truetype(FONT, size)
    widths = [font.getlength(ch) for ch in text]
    spacing = size * 0.08
    total = sum(widths) + spacing * (len(text) - 1)
    circumference = 2 * math.pi * radius * 0.92  # leave a little room at the bottom
    if total > circumference:
        size = max(8, int(size * circumference / total))
        font = ImageFont.truetype(FONT, size)
        widths = [font.getlength(ch) for ch in text]
        spacing = size * 0.08
        total = sum(widths) + spacing * (len(text) - 1)
    angle = -math.pi / 2 - (total / radius) / 2  # centred on the top of the ring
    for ch, width in zip(text, widths, strict=True):
        middle = angle + (width / 2) / radius
        tile = Image.new("RGBA", (size * 2, size * 2), (255, 255, 255, 0))
        ImageDraw.Draw(tile).text((size, size), ch, font=font, fill=SEAL_RED, anchor="mm")
        rotated = tile.rotate(-math.degrees(middle + math.pi / 2), resample=Image.Resampling.BICUBIC)
        x = centre + radius * math.cos(middle) - size
        y = centre + radius * math.sin(middle) - size
        image.alpha_composite(rotated, (max(0, round(x)), max(0, round(y))))
        angle += (width + spacing) / radius


def read(data: bytes) -> PdfFileReader:
    return PdfFileReader(io.BytesIO(data))
