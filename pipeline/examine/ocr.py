"""Reading pages that have no usable text layer (issue 17): scanned letters and stamped images.

Each page is rasterised alone by poppler's `pdftoppm` (bounded size) and read by the `tesseract`
command with its Vietnamese data, both child processes with a timeout, killed when it runs out
(and with a CPU limit of the same length, which stops them even if this process is killed first).
A page is read in two passes:

- the page with its red ink dropped (a scanner's "dropout colour") and its long rules removed, so
  a red seal over the signature does not smear the words under it and a framed mark is read: this
  is the page's text, laid out again from the word boxes with runs of spaces between columns, as
  pypdf's layout mode gives a text layer, so the very field readers of a text layer (fields/) and
  the mark reader (marks.py) read it;
- the red ink alone (red high, green and blue low), black on white: the secrecy and urgency stamps
  are red, and black handwriting or a signature over them is gone in this pass. Its inked regions
  are cut out onto a small sheet (on a nearly blank page Tesseract finds no line at all), read as
  scanned and smoothed, with and without solid blobs (the seal's star), and each word that reads
  as a mark, even damaged ("MÁT", "(MATI"), is put on a line of its own (`red_text`).

Fail closed: a page is `readable` only when Tesseract found enough words with a mean confidence
above what noise, blank paper and a bad scan reach (MIN_WORDS, MIN_CONFIDENCE, measured on
corpus/scans.py, see bench/bench_ocr.py). A page that was not read in time, or could not be
rasterised, or that Tesseract (or its `vie` data) is missing for, is not readable either. Nothing
here ever writes to the PDF: the signed file stays byte for byte what was signed.

Runs inside the sandboxed examining worker; its children inherit the worker's memory limit. What
this costs: bench/bench_ocr.py.
"""

from __future__ import annotations

import dataclasses
import io
import math
import os
import re
import resource
import shutil
import statistics
import subprocess
import time
import unicodedata
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageFilter

from pipeline.normalize import fold
from pipeline.records import OcrPage

LANGUAGE = "vie"
# Red ink: red high, and well above green and blue. Yellowed paper (250, 238, 200) has green close
# to red; a red seal or stamp (190, 40, 45) has both far below it, JPEG fringes somewhat less.
_RED_MIN = 110
_RED_OVER_GREEN = 60
_RED_OVER_BLUE = 45
# Pink JPEG fringes (217, 182, 174) around red ink, dropped with it from the black-ink pass; yellowed
# paper (250, 241, 208) is not, its green is too close to its red.
_FRINGE = (90, 30, 20)
_RED_PIXELS_MIN = 400  # fewer red pixels than a small stamp's frame: nothing red to read

# A readable page: at least this many words of at least two letters, with at least this mean
# confidence (Tesseract's 0-100 word confidence). Measured (bench/bench_ocr.py and the cases of
# tests/stages/test_ocr.py): the scans of corpus/scans.py (150-300 dpi, turned, grain, JPEG, seal,
# stamps) read 82-96; blank paper and noise give no word at all; the same letter scanned at 60 dpi
# with heavy grain reads 64, blurred at 100 dpi 59, blurred with heavy grain 54 (their numbers and
# names come out damaged). The bar sits between the two groups: a page under it is refused.
MIN_WORDS = 12
MIN_CONFIDENCE = 70.0
# A word of the red pass counts only above this confidence, and with a letter or digit: a seal's
# curved lettering gives low-confidence fragments and strokes ("`", "/"), which would keep a mark
# from standing alone on its line; a stamp's bold capitals read above 80.
MIN_RED_WORD_CONFIDENCE = 40.0


@dataclass(frozen=True)
class OcrLimits:
    """What reading one file's pages may take. `seconds` bounds the whole file (pages not reached
    in time are unreadable); each child process gets at most `child_seconds`."""

    seconds: float = 20.0
    # A child's own limit: generous, because a loaded two-core machine runs a one-page Tesseract call
    # several times slower; the file's budget (`seconds`) still bounds the whole.
    child_seconds: float = 60.0
    long_side_pixels: int = 3508  # A4 at 300 dpi; a larger page is scaled down to it
    max_pages: int = 50  # pages beyond it are unreadable without being rasterised
    red_pass: bool = True


@dataclass(frozen=True)
class OcrResult:
    pages: tuple[OcrPage, ...] = ()
    available: bool = True  # False: Tesseract or its Vietnamese data is missing; nothing was read
    engine: str = ""  # "tesseract 5.3.0 (vie)", for the report and the cache's record
    seconds: float = 0.0


# --- whether the tools are there -------------------------------------------------------------

_AVAILABLE: dict[str, tuple[bool, str]] = {}  # by PATH: the answer does not change within a build


def _tools(path: str | None) -> tuple[bool, str]:
    key = path if path is not None else os.environ.get("PATH", "")
    if key not in _AVAILABLE:
        _AVAILABLE[key] = _probe(key)
    return _AVAILABLE[key]


def _probe(path: str) -> tuple[bool, str]:
    tesseract = shutil.which("tesseract", path=path)
    if tesseract is None:
        return False, "tesseract not found on PATH (Debian: apt-get install tesseract-ocr tesseract-ocr-vie)"
    if shutil.which("pdftoppm", path=path) is None:
        return False, "pdftoppm not found on PATH (Debian: apt-get install poppler-utils)"
    try:
        langs = subprocess.run([tesseract, "--list-langs"], capture_output=True, timeout=10, check=False)
        version = subprocess.run([tesseract, "--version"], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, f"tesseract does not run: {exc}"
    listed = (langs.stdout + langs.stderr).decode("utf-8", errors="replace").split()
    if LANGUAGE not in listed:
        return False, "tesseract has no Vietnamese data (Debian: apt-get install tesseract-ocr-vie)"
    first = (version.stdout + version.stderr).decode("utf-8", errors="replace").strip().splitlines()
    return True, f"{first[0] if first else 'tesseract'} ({LANGUAGE})"


def tesseract_available(path: str | None = None) -> bool:
    """Whether scanned pages can be read here: `tesseract` with its `vie` data and `pdftoppm` on
    `path` (default: this process's PATH)."""
    return _tools(path)[0]


def ocr_notice(path: str | None = None) -> str | None:
    """Why scanned pages cannot be read here, in English (None when they can): the build says
    it once; those pages stay unread and their documents are refused."""
    ok, said = _tools(path)
    return None if ok else said


def ocr_engine(path: str | None = None) -> str:
    """What reads scanned pages here ("tesseract 5.3.0 (vie)"), or why nothing does: part of the
    inspection cache's key, so that installing Tesseract reads the scans again."""
    ok, said = _tools(path)
    return said if ok else f"unavailable: {said}"


# --- which pages of a typed file carry an image a stamp could be -----------------------------

# An image XObject's dictionary is never compressed (a stream cannot sit in an object stream):
# without this, the file has no image and no child process is started for it.
_IMAGE_XOBJECT = re.compile(rb"/Subtype\s*/Image\b")
# A stamp: at least about 13 mm by 5 mm on the page, in inches.
STAMP_INCHES = (0.5, 0.2)


def image_pages(data: bytes, limits: OcrLimits | None = None, *, path: str | None = None) -> tuple[int, ...]:
    """The 1-based pages that show an image at least the size of a stamp (poppler's `pdfimages
    -list`). Empty when the file has no image, and when the tools are missing (nothing could read
    them; scanned pages are judged unread by the text layer alone, decide/channels.py)."""
    limits = limits or OcrLimits()
    if not _IMAGE_XOBJECT.search(data):
        return ()
    where = path or os.environ.get("PATH", "")
    pdfimages = shutil.which("pdfimages", path=where)
    if pdfimages is None or not _tools(path)[0]:
        return ()
    try:
        listed = _child([pdfimages, "-list", "-"], data, time.monotonic() + limits.child_seconds, limits)
    except (_OutOfTime, _ChildFailed):
        return ()
    pages: list[int] = []
    for row in listed.decode("utf-8", errors="replace").splitlines()[2:]:
        cells = row.split()
        try:
            page, kind, width, height = int(cells[0]), cells[2], int(cells[3]), int(cells[4])
            x_ppi, y_ppi = float(cells[12]), float(cells[13])
        except (IndexError, ValueError):
            continue
        if kind not in ("image", "stencil") or x_ppi <= 0 or y_ppi <= 0:
            continue
        inches = sorted((width / x_ppi, height / y_ppi), reverse=True)
        if inches[0] >= STAMP_INCHES[0] and inches[1] >= STAMP_INCHES[1] and page not in pages:
            pages.append(page)
    return tuple(pages)


# --- reading ---------------------------------------------------------------------------------


class _OutOfTime(Exception):
    pass


def ocr_pages(data: bytes, pages: tuple[int, ...], limits: OcrLimits | None = None,
              *, path: str | None = None) -> OcrResult:
    """Read the 1-based `pages` of the PDF `data`. Every page asked for gets an OcrPage, in the
    order asked; none of them is readable when the tools are missing (`path`: where to look for
    them, default this process's PATH)."""
    limits = limits or OcrLimits()
    wanted = tuple(dict.fromkeys(p for p in pages if p >= 1))
    ok, engine = _tools(path)
    if not ok:
        return OcrResult(tuple(OcrPage(p, "", 0.0, False, problem=engine) for p in wanted), False, engine)
    tesseract = shutil.which("tesseract", path=path or os.environ.get("PATH", "")) or "tesseract"
    pdftoppm = shutil.which("pdftoppm", path=path or os.environ.get("PATH", "")) or "pdftoppm"
    start = time.monotonic()
    deadline = start + limits.seconds
    read: list[OcrPage] = []
    for index, number in enumerate(wanted):
        if index >= limits.max_pages:
            read.append(OcrPage(number, "", 0.0, False, problem=f"more than {limits.max_pages} pages to read"))
            continue
        try:
            read.append(_read_page(data, number, limits, deadline, pdftoppm, tesseract))
        except _OutOfTime:
            read.append(OcrPage(number, "", 0.0, False,
                                problem=f"not read within the time limit of {limits.seconds:g} s"))
        except _ChildFailed as exc:
            read.append(OcrPage(number, "", 0.0, False, problem=str(exc)))
    return OcrResult(tuple(read), True, engine, round(time.monotonic() - start, 3))


class _ChildFailed(Exception):
    pass


def _child(command: list[str], stdin: bytes, deadline: float, limits: OcrLimits) -> bytes:
    """Run a child with the time left (at most child_seconds); killed when it runs out."""
    left = min(limits.child_seconds, deadline - time.monotonic())
    if left <= 0:
        raise _OutOfTime()
    # One thread per Tesseract (the workers already take the cores); its data where it was found.
    env = {"PATH": os.environ.get("PATH", ""), "OMP_THREAD_LIMIT": "1", "LC_ALL": "C.UTF-8"}
    if "TESSDATA_PREFIX" in os.environ:
        env["TESSDATA_PREFIX"] = os.environ["TESSDATA_PREFIX"]
    cpu = math.ceil(min(limits.child_seconds, left)) + 1

    def bounded() -> None:  # in the child: the kernel stops it even if this worker is killed first
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))

    try:
        done = subprocess.run(command, input=stdin, capture_output=True, timeout=left, check=False, env=env,
                              preexec_fn=bounded)
    except subprocess.TimeoutExpired as exc:  # run() has killed and reaped the child
        raise _OutOfTime() from exc
    except OSError as exc:
        raise _ChildFailed(f"{command[0]} could not start: {exc}") from exc
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", errors="replace").strip().splitlines()[-1:]
        raise _ChildFailed(f"{os.path.basename(command[0])} failed (exit {done.returncode}): {' '.join(said)[:200]}")
    return done.stdout


def _read_page(data: bytes, number: int, limits: OcrLimits, deadline: float,
               pdftoppm: str, tesseract: str) -> OcrPage:
    raster = _child([pdftoppm, "-f", str(number), "-l", str(number), "-scale-to", str(limits.long_side_pixels),
                     "-singlefile", "-"], data, deadline, limits)
    if not raster:
        return OcrPage(number, "", 0.0, False, problem="the page could not be rasterised (no such page?)")
    try:
        with Image.open(io.BytesIO(raster)) as opened:
            image = opened.convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise _ChildFailed(f"the rasterised page could not be read: {exc}") from exc
    red = red_ink(image)
    gray = image.convert("L")
    has_red = _count_black(red) >= _RED_PIXELS_MIN
    if has_red:
        # Red ink dropped: painted the paper's colour (the commonest grey), not white, which would
        # leave the stamp's ghost, white on grey paper, for Tesseract to read.
        histogram = gray.histogram()
        paper = max(range(128, 256), key=histogram.__getitem__)
        gray.paste(paper, mask=ImageChops.invert(red_ink(image, fringe=True)))
    gray = without_rules(gray)
    words = _words(_child([tesseract, "stdin", "stdout", "-l", LANGUAGE, "--psm", "3", "tsv"],
                          _pnm(gray), deadline, limits))
    red_text = ""
    if has_red and limits.red_pass:
        red_text = _read_red(image, red, tesseract, deadline, limits)
    counted = [w for w in words if sum(c.isalpha() for c in w.text) >= 2]
    confidence = round(statistics.fmean(w.confidence for w in words), 1) if words else 0.0
    problem = ""
    if len(counted) < MIN_WORDS:
        problem = f"only {len(counted)} words found (at least {MIN_WORDS} needed)"
    elif confidence < MIN_CONFIDENCE:
        problem = f"mean word confidence {confidence:g} under {MIN_CONFIDENCE:g}"
    return OcrPage(number, layout(words), confidence, not problem, len(counted), red_text, problem)


# A red capital word read as a secrecy or urgency word with its marks damaged: a seal's ring
# through "Ậ" reads "MÁT", "MẶT", "MAT"; the frame's side or the seal's star sticks to it ("MATI",
# "[MAT", "(MÁTA"). Nobody stamps "MÁT" (cool) in red: on the red pass such a word is the mark
# (fail closed).
_STAMP_WORDS = (
    (re.compile(r"[\W_]*(?:TUYET)[\W_]*"), "TUYỆT"),
    (re.compile(r"[\W_]*(?:TOI)[\W_]*"), "TỐI"),
    (re.compile(r"[\W_Il1]*M[AO4]T(?:[\W_]|[A-Z0-9]){0,2}"), "MẬT"),
    (re.compile(r"[\W_Il1]*KHAN[\W_Il1]*"), "KHẨN"),  # not "KHÁNH": urgency need not err
    (re.compile(r"[\W_]*THUONG[\W_]*"), "THƯỢNG"),
    (re.compile(r"[\W_]*HOA[\W_]*"), "HỎA"),
    (re.compile(r"[\W_]*TOC[\W_]*"), "TỐC"),
)

_MARK_WORDS = frozenset(mark for _, mark in _STAMP_WORDS)


def stamp_word(word: Word) -> Word:
    """A word of the red pass, spelled as the stamp it most likely is (see _STAMP_WORDS)."""
    if word.text.upper() != word.text:
        return word
    folded = fold(word.text).upper()
    for pattern, mark in _STAMP_WORDS:
        if pattern.fullmatch(folded):
            return dataclasses.replace(word, text=mark)
    return word


def _read_red(image: Image.Image, red: Image.Image, tesseract: str, deadline: float, limits: OcrLimits) -> str:
    """What the red ink says. Its regions are read as scanned and slightly smoothed (grain and JPEG
    holes break thin strokes one way or the other), each with and without its solid blobs (a
    stamp touching the seal's star is one shape with it; a stamp's own solid parts may be lost
    without them): four small sheets. Each mark word found on any is put on a line of its own
    ("MẬT", "TỐI MẬT": the words of a mark in one Tesseract line stay together) so that a stroke
    of the seal beside it does not make it part of a sentence; then the rest, laid out."""
    marks: list[str] = []
    rest: list[Word] = []
    smoothed = red_regions(without_rules(red_ink(image.filter(ImageFilter.BoxBlur(1))), vertical=True))
    sheet = red_regions(without_rules(red, vertical=True))
    sheets: list[Image.Image] = []
    for found in (sheet, smoothed):
        if found is not None:
            sheets.append(found)
            bare = without_blobs(found)
            if bare is not found:  # a sheet without blobs is read once
                sheets.append(bare)
    for index, regions in enumerate(sheets):
        read = _words(_child([tesseract, "stdin", "stdout", "-l", LANGUAGE, "--psm", "11", "tsv"],
                             _pnm(regions), deadline, limits))
        lines: dict[tuple[int, int, int], list[str]] = {}
        for word in map(stamp_word, read):
            if word.text in _MARK_WORDS:  # at any confidence: fail closed
                lines.setdefault(word.line, []).append(word.text)
            elif index == 0 and word.confidence >= MIN_RED_WORD_CONFIDENCE and any(c.isalnum() for c in word.text):
                rest.append(word)
        for line in lines.values():
            if " ".join(line) not in marks:
                marks.append(" ".join(line))
    return "\n".join([*marks, "", layout(rest)]).strip("\n") if marks else layout(rest)


def red_ink(image: Image.Image, *, fringe: bool = False) -> Image.Image:
    """The red ink of an RGB image, black (0) on white (255), mode L. With `fringe`, also the pink
    edges JPEG leaves around it (the pixels to drop from the black-ink pass)."""
    red, over_green, over_blue = (_RED_MIN, _RED_OVER_GREEN, _RED_OVER_BLUE) if not fringe else _FRINGE
    r, g, b = image.split()
    green_far = ImageChops.subtract(r, g).point(lambda v: 255 if v >= over_green else 0)
    blue_far = ImageChops.subtract(r, b).point(lambda v: 255 if v >= over_blue else 0)
    bright = r.point(lambda v: 255 if v >= red else 0)
    return ImageChops.invert(ImageChops.darker(ImageChops.darker(green_far, blue_far), bright))


def without_rules(gray: Image.Image, *, vertical: bool = False) -> Image.Image:
    """The page with its long horizontal rules whitened: Tesseract takes a word in a tight frame
    (a boxed "KHẨN", a stamp's rectangle) for a picture and skips it; without the frame's top and
    bottom it reads "| KHẨN |", and the mark reader drops the bars. With `vertical`, vertical runs
    taller than a stamp's capitals go too (the frame's sides, a seal's ring), for the red pass."""
    dark = gray.point(lambda v: 255 if v < 128 else 0)
    out = gray
    # A run of about 1/30 of the page width: no letter is that wide. Vertically, 1/70 of the page
    # height (50 pixels at 300 dpi): taller than the capitals of a 13-point stamp, shorter than
    # its frame.
    spans = [(max(8, gray.width // 60), 0)] + ([(0, max(6, gray.height // 140))] if vertical else [])
    for across, down in spans:
        rules = dark.filter(ImageFilter.BoxBlur((across, down))).point(lambda v: 255 if v >= 235 else 0)
        if rules.getbbox() is None:
            continue
        rules = rules.filter(ImageFilter.BoxBlur((max(1, across), max(1, down)))).point(lambda v: 255 if v > 0 else 0)
        out = out.copy() if out is gray else out
        out.paste(255, mask=rules)
    return out


_MAX_REGIONS = 12


def red_regions(red: Image.Image) -> Image.Image | None:
    """The inked regions of the red pass (a stamp, a seal, what overlaps them) cut out and stacked
    on a small white sheet; None when there is none. On a whole, nearly blank page Tesseract finds
    no line at all, even a clear "KHẨN": on the sheet it reads it."""
    width, height = red.size
    boxes: list[tuple[int, int, int, int]] = []
    # Rows, then columns within each band of rows, with at least ~10 inked pixels; gaps smaller
    # than a line's spacing (rows) or a word's (columns) do not split a region.
    for top, bottom in _runs(red.resize((1, height), Image.Resampling.BOX).tobytes(), max(4, height // 140)):
        band = red.crop((0, top, width, bottom))
        for left, right in _runs(band.resize((width, 1), Image.Resampling.BOX).tobytes(), max(4, width // 50)):
            if right - left >= height // 175 and bottom - top >= height // 175:
                boxes.append((left, top, right, bottom))
    if not boxes:
        return None
    boxes = sorted(boxes, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]), reverse=True)[:_MAX_REGIONS]
    margin = max(8, height // 90)
    sheet = Image.new("L", (max(b[2] - b[0] for b in boxes) + 2 * margin,
                            sum(b[3] - b[1] + 2 * margin for b in boxes)), 255)
    y = margin
    for box in sorted(boxes, key=lambda b: (b[1], b[0])):
        sheet.paste(red.crop(box), (margin, y))
        y += box[3] - box[1] + 2 * margin
    return sheet


_BLOB = 13  # pixels: wider than a stamp's strokes at 300 dpi (about 8), narrower than a seal's star


def without_blobs(sheet: Image.Image) -> Image.Image:
    """The sheet with its solid blobs whitened (the seal's star, a smudge): a stamp's letters
    touching the star are read as one shape with it. Ink that fills a _BLOB-square around it is
    a blob's core; grown back by as much, it is the blob."""
    core = sheet.filter(ImageFilter.MaxFilter(_BLOB))  # ink (0) survives only where all around is ink
    if core.histogram()[0] == 0:
        return sheet
    blob = core.filter(ImageFilter.MinFilter(_BLOB + 2)).point(lambda v: 255 if v < 128 else 0)
    out = sheet.copy()
    out.paste(255, mask=blob)
    return out


def _runs(profile: bytes, gap: int) -> list[tuple[int, int]]:
    """[start, end) runs of a projection profile's inked positions (mean under 254), joined across
    gaps of at most `gap`."""
    runs: list[list[int]] = []
    for position, value in enumerate(profile):
        if value < 254:
            if runs and position - runs[-1][1] <= gap:
                runs[-1][1] = position + 1
            else:
                runs.append([position, position + 1])
    return [(start, end) for start, end in runs]


def _count_black(image: Image.Image) -> int:
    return image.histogram()[0]


def _pnm(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PPM")  # PGM for mode L: no compression, read by Leptonica
    return out.getvalue()


# --- from word boxes back to lines -----------------------------------------------------------


@dataclass(frozen=True)
class Word:
    text: str
    confidence: float
    left: int
    top: int
    width: int
    height: int
    line: tuple[int, int, int]  # (block, paragraph, line) as Tesseract numbered them


def _words(tsv: bytes) -> list[Word]:
    """The words of Tesseract's TSV output (level 5 rows with text), NFC."""
    found: list[Word] = []
    for row in tsv.decode("utf-8", errors="replace").splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5":
            continue
        text = unicodedata.normalize("NFC", cells[11]).strip()
        try:
            confidence = float(cells[10])
            left, top, width, height = (int(v) for v in cells[6:10])
            key = (int(cells[2]), int(cells[3]), int(cells[4]))
        except ValueError:
            continue
        if text and confidence >= 0:
            found.append(Word(text, confidence, left, top, width, height, key))
    return found


_SPACES = re.compile(r"[ \t]+$")
# A gap between two words wider than this many line heights separates columns, not words.
_COLUMN_GAP = 1.5


def layout(words: list[Word]) -> str:
    """Lines of text with the words at their column on the page: pieces of one row that Tesseract
    read as separate blocks (the two header columns, "Nơi nhận" beside the signing block) share
    the row, separated by the run of spaces their gap is worth, as a text layer's layout mode."""
    if not words:
        return ""
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    char_width = statistics.median(w.width / max(1, len(w.text)) for w in words) or 1.0
    height = statistics.median(w.height for w in words) or 1
    origin = min(w.left for w in words)
    boxes = sorted(((float(min(w.top for w in ws)), float(max(w.top + w.height for w in ws)), ws)
                    for ws in lines.values()), key=lambda box: (box[0] + box[1]) / 2)
    rows: list[tuple[float, float, list[Word]]] = []
    for top, bottom, ws in boxes:
        middle = (top + bottom) / 2
        if rows and abs(middle - (rows[-1][0] + rows[-1][1]) / 2) <= height * 0.5:
            row_top, row_bottom, row_words = rows[-1]
            rows[-1] = (min(row_top, top), max(row_bottom, bottom), row_words + ws)
        else:
            rows.append((top, bottom, list(ws)))
    out: list[str] = []
    previous_bottom: float | None = None
    for top, bottom, ws in rows:
        if previous_bottom is not None and top - previous_bottom > 1.2 * height:
            out.append("")
        previous_bottom = bottom
        text = ""
        end = 0
        for word in sorted(ws, key=lambda w: w.left):
            column = round((word.left - origin) / char_width)
            if not text:
                text = " " * column
            elif word.left - end > _COLUMN_GAP * height:  # another column: at least three spaces
                text += " " * max(3, column - len(text))
            else:
                text += " "
            text += word.text
            end = word.left + word.width
        out.append(_SPACES.sub("", text))
    return unicodedata.normalize("NFC", "\n".join(out))
