"""Text out of attached files, for search: PDF per page, DOCX, ODF, plain text."""

from __future__ import annotations

import io
import logging
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

logger = logging.getLogger(__name__)

# Enough for any real document; bounds the database row and the index.
MAX_TEXT_CHARS = 2_000_000
ODF_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


@dataclass
class ExtractedText:
    text: str = ""
    pages: list[dict[str, object]] = field(default_factory=list)
    status: str = "done"  # done | failed | none (a format without text, e.g. an image)


def extract(data: bytes, media_type: str) -> ExtractedText:
    """The text of a file; a failure is reported in the result, never raised."""
    extractor = EXTRACTORS.get(media_type)
    if extractor is None:
        return ExtractedText(status="none")
    try:
        result = extractor(data)
    except Exception:  # any malformed file: keep the upload, flag the text
        logger.warning("Text extraction failed for a %s file", media_type, exc_info=True)
        return ExtractedText(status="failed")
    result.text = result.text[:MAX_TEXT_CHARS]
    return result


def _pdf(data: bytes) -> ExtractedText:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    pages = []
    for number, page in enumerate(reader.pages, start=1):
        text = (page.extract_text() or "").strip()
        if text:
            pages.append({"page": number, "text": text})
    return ExtractedText("\n\n".join(page["text"] for page in pages), pages)


def _docx(data: bytes) -> ExtractedText:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return ExtractedText("\n".join(part for part in parts if part.strip()))


def _odf(data: bytes) -> ExtractedText:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = ElementTree.fromstring(archive.read("content.xml"))
    blocks = [
        "".join(element.itertext())
        for element in root.iter()
        if element.tag in (f"{{{ODF_TEXT_NS}}}p", f"{{{ODF_TEXT_NS}}}h")
    ]
    return ExtractedText("\n".join(block for block in blocks if block.strip()))


def _plain(data: bytes) -> ExtractedText:
    from cnig_share.resources.filetypes import decode_text

    return ExtractedText(decode_text(data) or "")


EXTRACTORS = {
    "application/pdf": _pdf,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": _docx,
    "application/vnd.oasis.opendocument.text": _odf,
    "application/vnd.oasis.opendocument.presentation": _odf,
    "application/vnd.oasis.opendocument.spreadsheet": _odf,
    "text/plain": _plain,
    "text/csv": _plain,
}
