"""Scanned letters for the OCR tests and bench (issue 17): a rendered letter (letters.py) printed,
stamped, signed on paper and scanned, then signed digitally as a digitised copy.

Each `Scan` takes a demo letter and says how the paper copy was scanned: resolution (150-300 dpi),
a rotation of up to 2 degrees, grey or yellowish paper, noise and JPEG artefacts. Every scan has a
handwritten signature (dark blue strokes) and the office's red round seal over its left part;
some carry a red "MẬT" or "KHẨN" stamp in its rectangular frame under the number. The result is
an image-only PDF (Pillow), signed with the organisation's certificate alone (`sign_scan`);
`typed_with_scanned_annex` puts a scan behind a typed letter.

The labels are the source letter's fields (`Scan.expected`): the scan shows what the letter says.
Deterministic: the same Scan gives the same image bytes. Needs poppler's `pdftoppm` and `pdftotext`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import math
import random
import re
import subprocess
from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageChops, ImageDraw, ImageFont

from corpus.letters import FONT_DIR, Letter, demo_letters, render_letter
from corpus.pki import Identity
from corpus.signing import sign_pdf
from pipeline.office.signing import ORGANISATION_FIELD

RED_INK = (196, 32, 40)
BLUE_INK = (28, 36, 120)
PAPERS = {"white": (255, 255, 255), "grey": (226, 226, 222), "yellowish": (250, 241, 208)}
_POINTS_PER_INCH = 72.0


@dataclass(frozen=True)
class Scan:
    """How one letter was stamped and scanned."""

    name: str
    letter: Letter
    dpi: int = 200
    angle: float = 0.0  # degrees, counter-clockwise
    paper: str = "white"  # a key of PAPERS
    noise: float = 6.0  # standard deviation of the grain, in grey levels
    jpeg_quality: int = 70
    stamp: str | None = None  # "MẬT" | "KHẨN": red, framed, under the number
    seal: bool = True  # the red round seal over the signature
    seal_over_stamp: bool = False  # a second impression of the seal half over the stamp
    seed: int = 0

    @property
    def expected(self) -> dict[str, object]:
        """What a reader must find: the letter's fields, and the stamp's mark."""
        letter = self.letter
        return {
            "number": letter.number,
            "issued_date": letter.issued_date,
            "type_name": letter.type_name,
            "subject": letter.subject,
            "organ_name": letter.organ_name,
            "secrecy": "MẬT" if self.stamp == "MẬT" else None,
            "urgency": "Khẩn" if self.stamp == "KHẨN" or letter.urgency == "KHẨN" else None,
        }


def scans() -> tuple[Scan, ...]:
    """The corpus: each demo letter scanned twice (32 scans with the extra stamped ones); 9 carry a
    red MẬT stamp, the urgent letters and a few more a red KHẨN stamp."""
    letters = demo_letters()
    found: list[Scan] = []
    papers = tuple(PAPERS)
    for index, letter in enumerate(letters):
        rng = random.Random(index)
        urgent = letter.urgency == "KHẨN"
        found.append(Scan(
            f"scan-{index + 1:02d}a", _without_marks(letter), dpi=(300, 200, 240)[index % 3],
            angle=round(rng.uniform(-2, 2), 2), paper=papers[index % 3], noise=rng.choice((3.0, 6.0, 9.0)),
            jpeg_quality=rng.choice((55, 70, 85)), stamp="KHẨN" if urgent else None, seed=index))
        secret = index % 2 == 0
        found.append(Scan(
            f"scan-{index + 1:02d}b", _without_marks(letter), dpi=(200, 150, 300)[index % 3],
            angle=round(rng.uniform(-2, 2), 2), paper=papers[(index + 1) % 3], noise=rng.choice((4.0, 8.0)),
            jpeg_quality=rng.choice((50, 65, 80)), stamp="MẬT" if secret else ("KHẨN" if urgent else None),
            seal_over_stamp=secret and index % 4 == 0, seed=100 + index))
    found.append(Scan("scan-extra-khan", _without_marks(letters[0]), dpi=200, angle=-1.2, paper="yellowish",
                      stamp="KHẨN", seal_over_stamp=True, seed=201))
    found.append(Scan("scan-extra-mat", _without_marks(letters[3]), dpi=150, angle=1.7, paper="grey",
                      noise=10.0, jpeg_quality=45, stamp="MẬT", seal_over_stamp=True, seed=202))
    return tuple(found)


def _without_marks(letter: Letter) -> Letter:
    """The letter as typed: its marks are stamped on the paper copy, in red, not typed."""
    return dataclasses.replace(letter, urgency=None, secrecy=None)


# --- making the image ------------------------------------------------------------------------


def scan_images(scan: Scan) -> list[Image.Image]:
    """The scanned pages, RGB, at `scan.dpi`."""
    typed = dataclasses.replace(scan.letter, urgency=scan.stamp) if scan.stamp == "KHẨN" else (
        dataclasses.replace(scan.letter, secrecy=scan.stamp) if scan.stamp else scan.letter)
    pdf = render_letter(typed)
    words = _words(pdf)
    rng = random.Random(scan.seed)
    pages: list[Image.Image] = []
    for number, page in enumerate(_rasterise(pdf, scan.dpi), start=1):
        scale = scan.dpi / _POINTS_PER_INCH
        on_page = [w for w in words if w.page == number]
        if scan.stamp:
            _redden_stamp(page, on_page, scan.stamp, scale)
        closing = _signing_place(on_page, scale)
        if closing is not None:
            _signature(page, closing, scale, rng)
            if scan.seal:
                _seal(page, (closing[0] - 18 * scale * 72 / 25.4, closing[1]), scale, rng)
        if scan.seal_over_stamp and scan.stamp:
            box = _stamp_box(on_page, scan.stamp, scale)
            if box is not None:
                _seal(page, (box[2] + 4 * scale, box[3] + 2 * scale), scale, rng)
        pages.append(_degrade(page, scan, rng))
    return pages


def render_scan(scan: Scan) -> bytes:
    """The scan as an image-only PDF (no text layer), one JPEG image per A4 page."""
    return image_pdf(scan_images(scan), scan.dpi, scan.jpeg_quality)


def image_pdf(images: list[Image.Image], dpi: int, quality: int = 75) -> bytes:
    """Images as the pages of a PDF with no text layer, each page the size of its image at `dpi`."""
    out = io.BytesIO()
    images[0].save(out, format="PDF", resolution=float(dpi), save_all=True, append_images=images[1:],
                   quality=quality)
    # Pillow writes the xref table's free head with generation 65536; viewers accept it, pyhanko's
    # strict reader (the signer's) does not: 65535, as the PDF reference has it (same length).
    return out.getvalue().replace(b"\n0000000000 65536 f", b"\n0000000000 65535 f", 1)


def typed_with_scanned_annex(letter: Letter, annex: Scan) -> bytes:
    """A typed letter (text layer) followed by the pages of a scanned annex (images only): the
    case of a letter whose attachment was signed on paper and scanned."""
    from pypdf import PdfReader, PdfWriter  # the corpus's own use; the product reads with pypdf in examine/

    writer = PdfWriter()
    for part in (render_letter(letter), render_scan(annex)):
        for page in PdfReader(io.BytesIO(part)).pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def sign_scan(pdf: bytes, organisation: Identity, when: dt.datetime | None = None) -> bytes:
    """A digitised copy: the paper was signed by hand; only the office signs the file."""
    moment = when or dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    return sign_pdf(pdf, organisation, field_name=ORGANISATION_FIELD, signing_time=moment)


@dataclass(frozen=True)
class _Word:
    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


_BBOX = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def _words(pdf: bytes) -> list[_Word]:
    """Every word of the rendered letter with its box in points from the top left (pdftotext)."""
    shown = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, timeout=60,
                           check=True).stdout.decode("utf-8")
    words: list[_Word] = []
    for number, page in enumerate(shown.split("<page ")[1:], start=1):
        for x0, y0, x1, y1, text in _BBOX.findall(page):
            words.append(_Word(number, text.replace("&amp;", "&"), float(x0), float(y0), float(x1), float(y1)))
    return words


def _rasterise(pdf: bytes, dpi: int) -> list[Image.Image]:
    pages: list[Image.Image] = []
    count = len(re.findall(rb"/Type\s*/Page\b", pdf))
    for number in range(1, count + 1):
        raster = subprocess.run(["pdftoppm", "-f", str(number), "-l", str(number), "-r", str(dpi), "-singlefile", "-"],
                                input=pdf, capture_output=True, timeout=60, check=True).stdout
        if raster:
            pages.append(Image.open(io.BytesIO(raster)).convert("RGB"))
    return pages


def _stamp_box(words: list[_Word], stamp: str, scale: float) -> tuple[float, float, float, float] | None:
    """The pixel box of the framed mark the renderer placed under the number."""
    parts = stamp.split()
    hits = [w for w in words if w.text in parts]
    if not hits:
        return None
    pad = 6
    return (min(w.x0 for w in hits) * scale - pad * scale, min(w.y0 for w in hits) * scale - pad * scale,
            max(w.x1 for w in hits) * scale + pad * scale, max(w.y1 for w in hits) * scale + pad * scale)


def _redden_stamp(page: Image.Image, words: list[_Word], stamp: str, scale: float) -> None:
    """The typed framed mark, inked in red: its dark pixels become the stamp's red."""
    box = _stamp_box(words, stamp, scale)
    if box is None:
        return
    region = (int(box[0]), int(box[1]), int(box[2]), int(box[3]))
    crop = page.crop(region)
    ink = crop.convert("L").point(lambda v: 255 if v < 160 else 0)
    red = Image.new("RGB", crop.size, RED_INK)
    crop.paste(red, mask=ink)
    page.paste(crop, (region[0], region[1]))


def _signing_place(words: list[_Word], scale: float) -> tuple[float, float] | None:
    """Where the hand signature goes: under the signer's title, above the name (pixels)."""
    titles = [w for w in words if w.text in ("TỊCH", "THƯ", "TRƯỞNG") and w.x0 > 300]
    if not titles:
        return None
    title = max(titles, key=lambda w: w.y0)
    return title.x1 * scale - 30 * scale, (title.y1 + 30) * scale


def _signature(page: Image.Image, at: tuple[float, float], scale: float, rng: random.Random) -> None:
    draw = ImageDraw.Draw(page)
    x, y = at
    points = []
    for step in range(40):
        t = step / 39
        points.append((x - 45 * scale + 90 * scale * t, y + 10 * scale * math.sin(t * 9 + rng.random())))
    draw.line(points, fill=BLUE_INK, width=max(2, int(1.2 * scale)))
    draw.line([(x - 30 * scale, y + 14 * scale), (x + 40 * scale, y - 12 * scale)], fill=BLUE_INK,
              width=max(2, int(1.0 * scale)))


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(f"{FONT_DIR}/DejaVuSerif-Bold.ttf", size)


def _seal(page: Image.Image, centre: tuple[float, float], scale: float, rng: random.Random) -> None:
    """A round red seal, 36 mm across: two rings, the office's name around, a star in the middle.
    Slightly faded, and inked over what is under it, as a real impression: the text under it shows."""
    radius = 18 * 72 / 25.4 * scale
    size = int(2 * radius) + 4
    layer = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(layer)
    c = size / 2
    width = max(2, int(1.1 * scale))
    draw.ellipse((c - radius + 1, c - radius + 1, c + radius - 1, c + radius - 1), outline=255, width=width)
    inner = radius * 0.62
    draw.ellipse((c - inner, c - inner, c + inner, c + inner), outline=255, width=width)
    star = [(c + inner * 0.55 * math.cos(math.pi / 2 + k * 4 * math.pi / 5),
             c - inner * 0.55 * math.sin(math.pi / 2 + k * 4 * math.pi / 5)) for k in range(5)]
    draw.polygon(star, fill=255)
    font = _font(max(8, int(3.2 * scale)))
    text = "LIÊN ĐOÀN LAO ĐỘNG TỈNH MẪU * MẪU SƠN * "
    ring = (radius + inner) / 2
    for k, char in enumerate(text):
        angle = math.pi / 2 + 2 * math.pi * k / len(text)
        side = int(font.size)
        glyph = Image.new("L", (side * 2, side * 2), 0)
        ImageDraw.Draw(glyph).text((side, side), char, fill=255, font=font, anchor="mm")
        glyph = glyph.rotate(math.degrees(angle) - 90, resample=Image.Resampling.BILINEAR)
        gx = c + ring * math.cos(angle) - glyph.width / 2
        gy = c - ring * math.sin(angle) - glyph.height / 2
        layer.paste(255, (int(gx), int(gy)), glyph)
    fade = rng.uniform(0.7, 0.9)
    layer = layer.point(lambda v: int(v * fade))
    left, top = int(centre[0] - size / 2), int(centre[1] - size / 2)
    # Ink over ink: the seal multiplies what is under it (black stays black, paper turns red).
    ink = Image.new("RGB", (size, size), (255, 255, 255))
    ink.paste(Image.new("RGB", (size, size), RED_INK), (0, 0), layer)
    region = (left, top, left + size, top + size)
    page.paste(ImageChops.multiply(page.crop(region), ink), (left, top))


def _degrade(page: Image.Image, scan: Scan, rng: random.Random) -> Image.Image:
    """Paper colour, a small rotation, grain, and the scanner's JPEG compression."""
    paper = PAPERS[scan.paper]
    page = ImageChops.multiply(page, Image.new("RGB", page.size, paper))
    if scan.angle:
        page = page.rotate(scan.angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=paper)
    if scan.noise:
        # Uniform grain of standard deviation `noise` around 128, from the scan's own seed (Pillow's
        # effect_noise cannot be seeded): the same Scan gives the same image.
        spread = scan.noise * math.sqrt(12) / 256
        grain = Image.frombytes("L", page.size, rng.randbytes(page.width * page.height))
        grain = grain.point(lambda v: int(128 + (v - 127.5) * spread))
        page = ImageChops.add(page, Image.merge("RGB", (grain,) * 3), scale=1.0, offset=-128)
    out = io.BytesIO()
    page.save(out, format="JPEG", quality=scan.jpeg_quality)
    return Image.open(io.BytesIO(out.getvalue())).convert("RGB")

