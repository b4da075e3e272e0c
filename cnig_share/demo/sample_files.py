"""Real PDF, DOCX and ODT files written from text: demo attachments, test files."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

# fpdf2's built-in fonts are Latin-1: map the few French characters outside it.
_LATIN1 = str.maketrans(
    {
        "œ": "oe",
        "Œ": "OE",
        "’": "'",
        "«": '"',
        "»": '"',
        "…": "...",
        "–": "-",
        "—": "-",
        "\u202f": " ",
        "\u00a0": " ",
    }
)


def pdf(title: str, paragraphs: list[str]) -> bytes:
    """A PDF with a title and paragraphs, several pages when the text is long."""
    from fpdf import FPDF

    document = FPDF(format="A4")
    document.set_title(title.translate(_LATIN1))
    document.set_auto_page_break(auto=True, margin=20)
    document.add_page()
    document.set_font("Helvetica", style="B", size=16)
    document.multi_cell(0, 9, title.translate(_LATIN1))
    document.ln(4)
    document.set_font("Helvetica", size=11)
    for paragraph in paragraphs:
        document.multi_cell(0, 6, paragraph.translate(_LATIN1))
        document.ln(3)
    return bytes(document.output())


def docx(title: str, paragraphs: list[str]) -> bytes:
    """A Word document with a heading and paragraphs."""
    import docx as python_docx

    document = python_docx.Document()
    document.add_heading(title, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


_ODT_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest
  xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/"
  manifest:media-type="application/vnd.oasis.opendocument.text"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""
_ODT_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content
  xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
 <office:body><office:text>
  <text:h text:outline-level="1">{title}</text:h>
{paragraphs}
 </office:text></office:body>
</office:document-content>
"""


def odt(title: str, paragraphs: list[str]) -> bytes:
    """A minimal valid OpenDocument text (the mimetype entry first, stored)."""
    body = "\n".join(f"  <text:p>{escape(p)}</text:p>" for p in paragraphs)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("META-INF/manifest.xml", _ODT_MANIFEST, zipfile.ZIP_DEFLATED)
        content = _ODT_CONTENT.format(title=escape(title), paragraphs=body)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


WRITERS = {"pdf": pdf, "docx": docx, "odt": odt}
