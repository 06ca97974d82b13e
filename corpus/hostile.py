"""Validly signed letters whose visible text is harmless but whose file still carries something that
must not be published (issue 15): an earlier revision saved with "MẬT", embedded files, annotations,
form fields, metadata, active content, image-only pages, a rotated side stamp, a mark on page 201.

Each builder takes a rendered letter (corpus.letters.render_letter) and returns the PDF bytes to sign;
`sign_hostile` then signs them as tests/kit.py `sign` signs a letter (the person, then the
organisation), so the signature covers the hostile content and the file is validly signed. Built
with pypdf's writer and reportlab; nothing is committed, every test builds what it needs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections.abc import Callable

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from corpus.letters import REGULAR, Letter, _register_fonts, render_letter
from corpus.pki import DemoPki
from corpus.signing import sign_letter

ICT = dt.timezone(dt.timedelta(hours=7))
SECRET_PARAGRAPH = "Nội dung mật: danh sách cán bộ được đề nghị bổ nhiệm đợt 2 năm 2026."


def sign_hostile(pdf: bytes, letter: Letter, pki: DemoPki) -> bytes:
    """Sign `pdf` as tests/kit.py signs `letter`: its signer first, then the organisation."""
    day = letter.issued_date or dt.date(2026, 11, 2)
    person_time = dt.datetime(day.year, day.month, day.day, 8, 30, tzinfo=ICT)
    person = next((p for p in pki.people if p.common_name == letter.signer_name), pki.people[0])
    return sign_letter(pdf, person, pki.organisation,
                       person_time=person_time, organisation_time=person_time + dt.timedelta(minutes=45))


def _written(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _overlay(draw: Callable[[Canvas], None]) -> PdfReader:
    """A one-page A4 PDF drawn by `draw`, in the letters' own font (so Vietnamese text extracts)."""
    _register_fonts()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1)
    draw(canvas)
    canvas.showPage()
    canvas.save()
    return PdfReader(io.BytesIO(out.getvalue()))


def _text_form(writer: PdfWriter, text: str, size: float = 28) -> StreamObject:
    """A form XObject that shows `text` (an annotation's appearance), added to `writer`."""
    def draw(canvas: Canvas) -> None:
        canvas.setFont(REGULAR, size)
        canvas.drawString(6, 10, text)

    page = _overlay(draw).pages[0]
    form = DecodedStreamObject()
    form.set_data(page.get_contents().get_data())  # type: ignore[union-attr]
    form.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(200), FloatObject(50)]),
        NameObject("/Resources"): page["/Resources"].clone(writer),
    })
    return form


def _rect(x: float, y: float, w: float, h: float) -> ArrayObject:
    return ArrayObject([FloatObject(x), FloatObject(y), FloatObject(x + w), FloatObject(y + h)])


def _add_annotation(writer: PdfWriter, page_index: int, annotation: DictionaryObject) -> None:
    page = writer.pages[page_index]
    reference = writer._add_object(annotation)
    annotation[NameObject("/P")] = page.indirect_reference
    annots = page.get("/Annots")
    if annots is None:
        page[NameObject("/Annots")] = ArrayObject([reference])
    else:
        annots.get_object().append(reference)


# --- builders: each takes the clean letter's PDF and returns the hostile one (unsigned) ----------


def earlier_secret_revision(letter: Letter, mark: str = "MẬT") -> bytes:
    """First saved with `mark` and a secret paragraph; then an incremental update replaced the pages
    by the clean letter's. The file's last revision shows the clean letter only."""
    secret = dataclasses.replace(letter, secrecy=mark, body=(*letter.body, SECRET_PARAGRAPH))
    first = render_letter(secret)
    clean = PdfReader(io.BytesIO(render_letter(letter)))
    writer = PdfWriter(io.BytesIO(first), incremental=True)
    pages = clean.trailer["/Root"]["/Pages"].clone(writer)
    writer._root_object[NameObject("/Pages")] = pages.indirect_reference
    return _written(writer)


def embedded_file(pdf: bytes, name: str = "danh-sach-can-bo.xlsx", content: bytes = b"ho ten;chuc vu\n") -> bytes:
    """A file in the /EmbeddedFiles name tree."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    writer.add_attachment(name, content)
    return _written(writer)


def file_attachment_annotation(pdf: bytes, name: str = "bien-ban.docx", content: bytes = b"PK\x03\x04 hop") -> bytes:
    """A file carried by a /FileAttachment annotation on page 1 (not in the name tree)."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    data = DecodedStreamObject()
    data.set_data(content)
    data[NameObject("/Type")] = NameObject("/EmbeddedFile")
    spec = DictionaryObject({
        NameObject("/Type"): NameObject("/Filespec"),
        NameObject("/F"): TextStringObject(name),
        NameObject("/UF"): TextStringObject(name),
        NameObject("/EF"): DictionaryObject({NameObject("/F"): writer._add_object(data)}),
    })
    _add_annotation(writer, 0, DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"),
        NameObject("/Subtype"): NameObject("/FileAttachment"),
        NameObject("/Rect"): _rect(40, 40, 16, 16),
        NameObject("/FS"): writer._add_object(spec),
        NameObject("/Contents"): TextStringObject("Tệp kèm theo"),
    }))
    return _written(writer)


def stamp_annotation(pdf: bytes, contents: str | None = "MẬT", appearance: str | None = None,
                     subtype: str = "/Stamp", page_index: int = 0) -> bytes:
    """A markup annotation (/Stamp, /FreeText, /Text) whose /Contents, or only whose appearance
    stream, reads `contents` / `appearance`."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    annotation = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"),
        NameObject("/Subtype"): NameObject(subtype),
        NameObject("/Rect"): _rect(420, 760, 120, 40),
        NameObject("/F"): NumberObject(4),
    })
    if contents is not None:
        annotation[NameObject("/Contents")] = TextStringObject(contents)
    if appearance is not None:
        form = writer._add_object(_text_form(writer, appearance))
        annotation[NameObject("/AP")] = DictionaryObject({NameObject("/N"): form})
    _add_annotation(writer, page_index, annotation)
    return _written(writer)


def blank_appearances(pdf: bytes) -> bytes:
    """An incremental update that empties the appearance stream of every annotation on page 1, in
    place (the same object numbers): the stamp no longer shows, its earlier revision still does."""
    writer = PdfWriter(io.BytesIO(pdf), incremental=True)
    for annotation in writer.pages[0].get("/Annots", ArrayObject()):
        appearance = annotation.get_object().get("/AP")
        if appearance is not None:
            stream = appearance.get_object()["/N"]
            stream.set_data(b"")
    return _written(writer)


def form_field_value(pdf: bytes, value: str = "Độ mật: Mật", name: str = "DoMat") -> bytes:
    """An AcroForm text field, its widget on page 1, whose value is `value`."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    field = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"),
        NameObject("/Subtype"): NameObject("/Widget"),
        NameObject("/FT"): NameObject("/Tx"),
        NameObject("/T"): TextStringObject(name),
        NameObject("/V"): TextStringObject(value),
        NameObject("/Rect"): _rect(40, 800, 100, 20),
        NameObject("/F"): NumberObject(4),
    })
    _add_annotation(writer, 0, field)
    reference = writer.pages[0]["/Annots"][-1]
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject({
        NameObject("/Fields"): ArrayObject([reference]),
    })
    return _written(writer)


def info_title(pdf: bytes, title: str = "TUYỆT MẬT", *, incremental: bool = False) -> bytes:
    """The Info dictionary's /Title reads `title` (set by an incremental update, if asked)."""
    writer = PdfWriter(io.BytesIO(pdf), incremental=True) if incremental else PdfWriter(clone_from=io.BytesIO(pdf))
    writer.add_metadata({"/Title": title})
    return _written(writer)


def outline_title(pdf: bytes, title: str = "TUYỆT MẬT", depth: int = 1) -> bytes:
    """A bookmark titled `title`, pointing at page 1, nested `depth` levels deep."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    parent = None
    for level in range(depth - 1):
        parent = writer.add_outline_item(title=f"Mục {level + 1}", page_number=0, parent=parent)
    writer.add_outline_item(title=title, page_number=0, parent=parent)
    return _written(writer)


def xmp_title(pdf: bytes, title: str = "TUYỆT MẬT") -> bytes:
    """The XMP metadata's dc:title reads `title`."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    xmp = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>'
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    ).encode()
    stream = DecodedStreamObject()
    stream.set_data(xmp)
    stream.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
    writer._root_object[NameObject("/Metadata")] = writer._add_object(stream)
    return _written(writer)


def javascript_open_action(pdf: bytes) -> bytes:
    """An /OpenAction that runs JavaScript when the file opens."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(DictionaryObject({
        NameObject("/S"): NameObject("/JavaScript"),
        NameObject("/JS"): TextStringObject("app.alert('Xin chao');"),
    }))
    return _written(writer)


def _link(pdf: bytes, action: DictionaryObject) -> bytes:
    """A link annotation on page 1 with `action`."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    _add_annotation(writer, 0, DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"),
        NameObject("/Subtype"): NameObject("/Link"),
        NameObject("/Rect"): _rect(40, 40, 100, 20),
        NameObject("/A"): action,
    }))
    return _written(writer)


def launch_link(pdf: bytes) -> bytes:
    """A link on page 1 whose action launches a program."""
    return _link(pdf, DictionaryObject({NameObject("/S"): NameObject("/Launch"),
                                        NameObject("/F"): TextStringObject("cmd.exe")}))


def uri_link(pdf: bytes) -> bytes:
    """A control: a link to a web address, which is not active content."""
    return _link(pdf, DictionaryObject({NameObject("/S"): NameObject("/URI"),
                                        NameObject("/URI"): TextStringObject("https://congdoan.example.vn/")}))


def image_page(pdf: bytes, share: float = 0.5) -> bytes:
    """A second page that is only an image (a scanned annex), covering `share` of the page."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    width, height = 64, 16
    image = DecodedStreamObject()
    image.set_data(bytes((x * 7 + y * 13) % 256 for y in range(height) for x in range(width)))
    image.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Image"),
        NameObject("/Width"): NumberObject(width),
        NameObject("/Height"): NumberObject(height),
        NameObject("/ColorSpace"): NameObject("/DeviceGray"),
        NameObject("/BitsPerComponent"): NumberObject(8),
    })
    page_width, page_height = A4
    side = (share * page_width * page_height) ** 0.5
    page = writer.add_blank_page(page_width, page_height)
    page[NameObject("/Resources")] = DictionaryObject({
        NameObject("/XObject"): DictionaryObject({NameObject("/Im1"): writer._add_object(image)}),
    })
    content = DecodedStreamObject()
    content.set_data(f"q {side:.2f} 0 0 {side:.2f} 40 40 cm /Im1 Do Q".encode("ascii"))
    page[NameObject("/Contents")] = writer._add_object(content)
    return _written(writer)


def _stamped(pdf: bytes, page_index: int, draw: Callable[[Canvas], None]) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    writer.pages[page_index].merge_page(_overlay(draw).pages[0])
    return _written(writer)


def form_xobject_mark(pdf: bytes, mark: str = "MẬT") -> bytes:
    """`mark` drawn on page 1 through a form XObject (as stamping tools do): pypdf's layout mode,
    which reads the page text, does not descend into form XObjects."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    page = writer.pages[0]
    form = writer._add_object(_text_form(writer, mark))
    resources = page["/Resources"]
    xobjects = resources.get("/XObject")
    if xobjects is None:
        resources[NameObject("/XObject")] = DictionaryObject({NameObject("/FxStamp"): form})
    else:
        xobjects.get_object()[NameObject("/FxStamp")] = form
    drawing = DecodedStreamObject()
    drawing.set_data(b"q 1 0 0 1 420 790 cm /FxStamp Do Q")
    page[NameObject("/Contents")] = ArrayObject([page.raw_get("/Contents"), writer._add_object(drawing)])
    return _written(writer)


def remove_form_stamp(pdf: bytes) -> bytes:
    """An incremental update that takes form_xobject_mark's stamp off page 1 again."""
    writer = PdfWriter(io.BytesIO(pdf), incremental=True)
    page = writer.pages[0]
    page[NameObject("/Contents")] = page["/Contents"][0]
    del page["/Resources"]["/XObject"][NameObject("/FxStamp")]
    return _written(writer)


def rotated_mark(pdf: bytes, mark: str = "MẬT") -> bytes:
    """A side stamp: `mark` turned 90° in the right margin of page 1."""
    def draw(canvas: Canvas) -> None:
        canvas.setFont(REGULAR, 16)
        canvas.saveState()
        canvas.translate(A4[0] - 20, A4[1] / 2)
        canvas.rotate(90)
        canvas.drawString(0, 0, mark)
        canvas.restoreState()

    return _stamped(pdf, 0, draw)


def long_letter(pdf: bytes, pages: int = 250, marked_page: int | None = 201, mark: str = "MẬT") -> bytes:
    """The letter followed by copies of its last page up to `pages` pages; page `marked_page`
    (1-based) carries `mark` alone in its top margin."""
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    while len(writer.pages) < pages:
        writer.add_page(reader.pages[-1])
    if marked_page is not None:
        def draw(canvas: Canvas) -> None:
            canvas.setFont(REGULAR, 14)
            canvas.drawString(A4[0] - 120, A4[1] - 30, mark)

        page = writer.pages[marked_page - 1]
        # Its own copy: the pages above share one object with the letter's last page.
        copy = PdfWriter()
        copy.add_page(page)
        copy.pages[0].merge_page(_overlay(draw).pages[0])
        marked = PdfReader(io.BytesIO(_written(copy))).pages[0]
        writer.insert_page(marked, marked_page - 1)
        writer.remove_page(marked_page)
    return _written(writer)
