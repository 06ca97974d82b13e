"""Render the real-letter corpus (tests/real/letters) to PDFs the way offices make them (issue 16).

- `rendering: layout` letters become a flat OpenDocument text (.fodt) laid out as a clerk lays out a
  letter in Writer: a borderless two-column table for the header (issuing body and number on the
  left, national motto, place and date on the right), the body as paragraphs, and a borderless
  two-column table for the footer (Nơi nhận on the left, authority, title and name on the right).
- `rendering: ocr` letters become a plain-text file of their OCR text, one line a line: the text a
  scanned letter's OCR layer gives, as a text-only PDF.

Both are converted by LibreOffice (`soffice --headless --convert-to pdf`, Debian's
libreoffice-writer-nogui, with fonts-liberation2), into tests/real/pdf/<id>.pdf. The PDFs are
committed with this script so that tests need no LibreOffice; rerun it after changing a letter:

    .venv/bin/python scripts/render_real.py [--only ID ...]

Nothing of the letter is changed: the text is written exactly as it stands in the letter file.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import yaml

REPO = Path(__file__).resolve().parents[1]
REAL = REPO / "tests" / "real"
OUT = REAL / "pdf"

# Decree 30 / Circular 01 typography: Times-metric font, 13-14 pt body, header 12-13 pt. Liberation
# Serif is Debian's metric-compatible Times New Roman and covers Vietnamese.
_FODT_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:font-face-decls>
  <style:font-face style:name="Liberation Serif" svg:font-family="'Liberation Serif'"
   style:font-family-generic="roman" style:font-pitch="variable"/>
 </office:font-face-decls>
 <office:styles>
  <style:default-style style:family="paragraph">
   <style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0cm"/>
   <style:text-properties style:font-name="Liberation Serif" fo:font-size="13pt" fo:language="vi"
    fo:country="VN"/>
  </style:default-style>
 </office:styles>
 <office:automatic-styles>
  <style:page-layout style:name="A4">
   <style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="2cm"
    fo:margin-bottom="2cm" fo:margin-left="3cm" fo:margin-right="1.5cm"/>
  </style:page-layout>
  <style:style style:name="Tbl" style:family="table">
   <style:table-properties style:width="16.5cm" table:align="left"/>
  </style:style>
  <style:style style:name="ColL" style:family="table-column">
   <style:table-column-properties style:column-width="7cm"/>
  </style:style>
  <style:style style:name="ColR" style:family="table-column">
   <style:table-column-properties style:column-width="9.5cm"/>
  </style:style>
  <style:style style:name="Cell" style:family="table-cell">
   <style:table-cell-properties fo:border="none" fo:padding="0.05cm"/>
  </style:style>
  <style:style style:name="Head" style:family="paragraph">
   <style:paragraph-properties fo:text-align="center"/>
   <style:text-properties fo:font-size="12pt" fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="Body" style:family="paragraph">
   <style:paragraph-properties fo:text-align="justify" fo:text-indent="1cm" fo:margin-top="0.1cm"/>
   <style:text-properties fo:font-size="13pt"/>
  </style:style>
  <style:style style:name="Left" style:family="paragraph">
   <style:text-properties fo:font-size="11pt"/>
  </style:style>
  <style:style style:name="Sign" style:family="paragraph">
   <style:paragraph-properties fo:text-align="center"/>
   <style:text-properties fo:font-size="13pt" fo:font-weight="bold"/>
  </style:style>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="A4"/>
 </office:master-styles>
 <office:body>
  <office:text>
"""
_FODT_TAIL = """  </office:text>
 </office:body>
</office:document>
"""


def _paragraphs(text: str, style: str) -> str:
    lines = [line for line in str(text or "").splitlines()]
    if not lines:
        return f'<text:p text:style-name="{style}"/>'
    return "".join(f'<text:p text:style-name="{style}">{escape(line)}</text:p>' for line in lines)


def _two_columns(left: str, right: str, left_style: str, right_style: str) -> str:
    """A borderless two-column table, as offices build their header and signature blocks."""
    return (
        '<table:table table:name="T" table:style-name="Tbl">'
        '<table:table-column table:style-name="ColL"/><table:table-column table:style-name="ColR"/>'
        '<table:table-row>'
        f'<table:table-cell table:style-name="Cell" office:value-type="string">{_paragraphs(left, left_style)}'
        '</table:table-cell>'
        f'<table:table-cell table:style-name="Cell" office:value-type="string">{_paragraphs(right, right_style)}'
        '</table:table-cell>'
        '</table:table-row></table:table>'
    )


def layout_document(letter: dict[str, Any]) -> str:
    """The flat ODT of a `rendering: layout` letter."""
    parts = [
        _FODT_HEAD,
        _two_columns(letter.get("header_left", ""), letter.get("header_right", ""), "Head", "Head"),
        '<text:p text:style-name="Body"/>',
        _paragraphs(letter.get("body", ""), "Body"),
        '<text:p text:style-name="Body"/>',
        _two_columns(letter.get("footer_left", ""), letter.get("footer_right", ""), "Left", "Sign"),
        _FODT_TAIL,
    ]
    return unicodedata.normalize("NFC", "".join(parts))


def ocr_text(letter: dict[str, Any]) -> str:
    """The plain text of a `rendering: ocr` letter, as its OCR layer holds it."""
    return unicodedata.normalize("NFC", str(letter["text"]))


def _check_font() -> None:
    """Liberation Serif must cover Vietnamese (Debian's fonts-liberation2; fonts-liberation 1.x
    lacks U+1EA0-1EF9). Otherwise LibreOffice takes those letters from a fallback font, each one a
    separate text run, which is a different document from the one an office with Times New Roman
    makes (and pypdf then reads those letters out of order: reported in tests/real/README.md)."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return
    found = subprocess.run([fc_match, "-f", "%{charset}", "Liberation Serif"], capture_output=True,
                           text=True, check=False).stdout
    if "1ea0-1ef9" not in found:
        raise SystemExit("Liberation Serif lacks Vietnamese letters: apt-get install -y fonts-liberation2")


def render(ids: list[str] | None = None) -> list[Path]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("soffice not found: apt-get install -y libreoffice-writer-nogui")
    _check_font()
    OUT.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        sources: list[Path] = []
        for path in sorted((REAL / "letters").glob("*.yml")):
            if ids and path.stem not in ids:
                continue
            letter = yaml.safe_load(path.read_text(encoding="utf-8"))
            if letter.get("rendering") == "ocr":
                source = tmp / f"{path.stem}.txt"
                source.write_text(ocr_text(letter), encoding="utf-8")
            else:
                source = tmp / f"{path.stem}.fodt"
                source.write_text(layout_document(letter), encoding="utf-8")
            sources.append(source)
        profile = (tmp / "profile").as_uri()
        for source in sources:
            # One conversion per file: the text filter needs its own options, and one bad file must
            # not hide the others.
            target = "pdf:writer_pdf_Export"
            infilter = ["--infilter=Text (encoded):UTF8,LF,Liberation Serif,vi-VN"] if source.suffix == ".txt" else []
            subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", *infilter,
                            "--convert-to", target, "--outdir", str(OUT), str(source)],
                           check=True, capture_output=True, timeout=300)
            pdf = OUT / f"{source.stem}.pdf"
            if not pdf.exists():
                raise SystemExit(f"LibreOffice wrote no PDF for {source.name}")
            written.append(pdf)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render tests/real letters to PDF with LibreOffice.")
    parser.add_argument("--only", nargs="*", help="letter ids to render (default: all)")
    args = parser.parse_args(argv)
    for pdf in render(args.only):
        print(pdf.relative_to(REPO))
    return 0


if __name__ == "__main__":
    sys.exit(main())
