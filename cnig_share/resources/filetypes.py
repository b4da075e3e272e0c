"""What a file really is, decided from its bytes, never from its name."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import filetype

from cnig_share.resources.safezip import (
    ArchiveRefused,
    ZipLimits,
    check_directory_size,
    check_method,
)


@dataclass(frozen=True)
class FileType:
    media_type: str
    label: str
    extension: str


PDF = FileType("application/pdf", "PDF", "pdf")
PNG = FileType("image/png", "Image PNG", "png")
JPEG = FileType("image/jpeg", "Image JPEG", "jpg")
CSV = FileType("text/csv", "Tableau CSV", "csv")
TXT = FileType("text/plain", "Texte", "txt")
SVG = FileType("image/svg+xml", "Image SVG", "svg")
ODT = FileType("application/vnd.oasis.opendocument.text", "Texte OpenDocument", "odt")
ODS = FileType("application/vnd.oasis.opendocument.spreadsheet", "Classeur OpenDocument", "ods")
ODP = FileType(
    "application/vnd.oasis.opendocument.presentation", "Présentation OpenDocument", "odp"
)
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word", "docx"
)
XLSX = FileType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel", "xlsx"
)
PPTX = FileType(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "PowerPoint",
    "pptx",
)

ACCEPTED = {
    t.media_type: t for t in (PDF, PNG, JPEG, CSV, TXT, SVG, ODT, ODS, ODP, DOCX, XLSX, PPTX)
}
ACCEPTED_LABEL = "PDF, ODT, ODS, ODP, DOCX, XLSX, PPTX, CSV, TXT, PNG, JPEG ou SVG"

_ODF_BY_MIMETYPE = {t.media_type: t for t in (ODT, ODS, ODP)}
# The folder an OOXML package keeps its main part in.
_OOXML_BY_FOLDER = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}
_SIMPLE = {"application/pdf": PDF, "image/png": PNG, "image/jpeg": JPEG}


def detect(data: bytes, name: str, limits: ZipLimits | None = None) -> FileType | None:
    """The accepted type these bytes are, or None. The name only tells CSV
    from TXT (or SVG), which no byte pattern can."""
    if data.startswith(b"PK\x03\x04"):
        return _zip_document(data, limits or ZipLimits())
    kind = filetype.guess(data[:8192])
    if kind is not None:
        return _SIMPLE.get(kind.mime)
    text = decode_text(data)
    if text is None:
        return None
    lowered = name.lower()
    if lowered.endswith(".svg") and "<svg" in text[:4096]:
        return SVG
    return CSV if lowered.endswith(".csv") else TXT


# Longer than any ODF media type: the member is never inflated beyond this.
_MIMETYPE_PREFIX = 128


def _zip_document(data: bytes, limits: ZipLimits) -> FileType | None:
    try:
        check_directory_size(data, limits)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                check_method(archive.getinfo("mimetype"))
                with archive.open("mimetype") as member:
                    declared = member.read(_MIMETYPE_PREFIX)
                return _ODF_BY_MIMETYPE.get(declared.decode("ascii", "replace").strip())
            if "[Content_Types].xml" in names:
                for folder, kind in _OOXML_BY_FOLDER.items():
                    if any(n.startswith(folder) for n in names):
                        return kind
    # zipfile raises NotImplementedError for a compression method it cannot read.
    except (ArchiveRefused, zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        return None
    return None


def decode_text(data: bytes) -> str | None:
    """Text in UTF-8 (with or without BOM) or Windows-1252, or None for binary."""
    if b"\x00" in data[:65536]:
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # Control characters other than whitespace betray a binary file.
        sample = text[:65536]
        if sum(1 for c in sample if ord(c) < 32 and c not in "\t\n\r\f") > len(sample) // 100:
            return None
        return text
    return None
