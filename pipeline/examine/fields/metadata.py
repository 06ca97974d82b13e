"""Metadata of an official document read from its text layer (DOMAIN.md §2).

`extract_metadata` is pure: it takes the `PdfText` of a document and returns what the text says,
field by field; a field the text does not show is None (or empty), never guessed. Every string is
`normalize.canonical`. The work is split in three modules to keep each one readable:
- fields_lines.py: lines, column segments and the right-column phrases (motto, date line);
- fields_header.py: number, date and place, issuer, system, type heading and subject;
- fields_body.py: addressees, recipients, signing block, cited documents, signature stamp;
- noise.py: what OCR does to Vietnamese, and the few repairs that are certain (known titles, bodies
  and names respelled, "O" read as zero, debris names refused).
An OCR'd page's number written by hand beside a day that could not be read is unknown
(`trusted_number`): a wrong number in the register is worse than none.
"""

from __future__ import annotations

from pipeline.examine.fields.body import addressees, recipients, references, signature_stamp, signer
from pipeline.examine.fields.header import (
    KINH_GUI,
    PARTY_CODES,
    STATE_CODES,
    Number,
    find_date,
    find_heading,
    find_number,
    find_system,
    first_page_head,
    heading_subject,
    issuer,
    respell_locality,
    trusted_number,
    vv_subject,
)
from pipeline.examine.fields.lines import Line, lines_of
from pipeline.examine.marks import detect_marks
from pipeline.records import Metadata, PdfText

CONG_VAN = "Công văn"


def type_name(heading: str | None, number: Number | None, system: str | None, has_vv: bool) -> str | None:
    """From the heading in capitals, else the type code of the number, else "Công văn" for a
    document with a "V/v" subject and no heading."""
    if heading:
        return heading
    code = number.type_code if number else None
    codes = PARTY_CODES if system == "party" else STATE_CODES
    if code in codes:
        return codes[code]
    if has_vv:
        return CONG_VAN
    return None


def _end_of_head(head: list[Line], *indexes: int | None) -> int:
    """The first of the given line indexes, or the end of the head when none is known."""
    found = [i for i in indexes if i is not None]
    return min(found) if found else (head[-1].index + 1 if head else 0)


def extract_metadata(text: PdfText) -> Metadata:
    """Every field the text shows; the head is read from the first page with text, the closing
    (signing block, "Nơi nhận") and cited documents from anywhere after it."""
    lines = lines_of(text)
    head = first_page_head(lines)
    number = find_number(head)
    kinh_gui = next((line.index for line in head if KINH_GUI.match(line.text)), None)
    heading = find_heading([line for line in head if kinh_gui is None or line.index < kinh_gui])
    heading_line, heading_name = heading if heading else (None, None)
    organ_stop = _end_of_head(head, number.line if number else None, heading_line, kinh_gui)
    vv = vv_subject(head, number.line, under_number=True) if number else vv_subject(head, 0)
    if vv and heading_line is not None and vv[0] > heading_line:
        vv = None  # a "Về việc" line under a heading is that heading's subject
    if vv is not None:
        organ_stop = min(organ_stop, vv[0])
    organ_name, parent_organ = issuer(head, organ_stop)
    date_line = find_date(head)
    place, issued_date = (date_line.place, date_line.date) if date_line else (None, None)
    number = trusted_number(number, date_line)
    organ_name, parent_organ = respell_locality(organ_name, place), respell_locality(parent_organ, place)
    system = find_system(head, number)
    subject = vv[1] if vv else (heading_subject(head, heading_line) if heading_line is not None else None)
    body_start = max(x for x in (heading_line, vv[0] if vv else None, number.line if number else None, -1)
                     if x is not None) + 1
    signer_block, signer_col = signer(lines, body_start)
    signed_by, signed_time = signature_stamp(lines)
    own_number = number.text if number else None
    return Metadata(
        number=own_number,
        code_number=number.code_number if number else None,
        code_notation=number.code_notation if number else None,
        issued_date=issued_date,
        place=place,
        organ_name=organ_name,
        parent_organ=parent_organ,
        type_name=type_name(heading_name, number, system, vv is not None),
        subject=subject,
        addressees=addressees(lines[body_start:]),
        recipients=recipients(lines[body_start:], signer_col),
        signer=signer_block,
        marks=detect_marks(text),
        references=references(lines, own_number),
        signed_by_text=signed_by,
        signed_time_text=signed_time,
        system=system,
    )
