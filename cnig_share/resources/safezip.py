"""ZIP archives (DOCX, ODF) opened without trusting what they say about themselves.

A few hundred kilobytes of deflated zeros or of one repeated tag inflate to
gigabytes. Before a member is read, the archive's directory is checked
(member count, declared sizes, compression ratio). Reading then stops at the
declared size whatever the data holds: zipfile cuts each member there and
fails its CRC check (tests/test_extraction.py, the lying archive), so the
declared sizes checked here bound what is inflated.
"""

from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass

# The end-of-central-directory record: signature, disk numbers, entry
# counts, directory size and offset, comment length (22 bytes).
_END_RECORD = struct.Struct("<4s4H2LH")
_END_SIGNATURE = b"PK\x05\x06"
_MAX_COMMENT = 0xFFFF
# A directory entry is 46 bytes plus its name; generous room for long names.
_DIRECTORY_BYTES_PER_MEMBER = 1024


class ArchiveRefused(ValueError):
    """An archive beyond the limits; the message is French, for the uploader."""


@dataclass(frozen=True)
class ZipLimits:
    """What one archive may hold, in members and inflated bytes."""

    max_members: int = 5_000
    max_member_bytes: int = 50 * 1024 * 1024
    max_total_bytes: int = 100 * 1024 * 1024
    max_ratio: int = 100


def check_directory_size(data: bytes, limits: ZipLimits) -> None:
    """Refuse an archive whose central directory is too big to even list.

    zipfile reads the whole directory when it opens an archive (about a
    second per 150,000 members), so this looks at the end record first, the
    same one zipfile would find."""
    record = _end_record(data)
    if record is None:
        raise ArchiveRefused("archive ZIP illisible (fin d'archive introuvable)")
    _, _, _, _, members, directory_size, _, _ = record
    if members == 0xFFFF or directory_size == 0xFFFFFFFF:
        raise ArchiveRefused("archive ZIP64 : format inattendu pour un document bureautique")
    if (
        members > limits.max_members
        or directory_size > limits.max_members * _DIRECTORY_BYTES_PER_MEMBER
    ):
        raise ArchiveRefused(f"archive de plus de {limits.max_members} fichiers")


def check_method(info: zipfile.ZipInfo) -> None:
    """Refuse a member compressed otherwise than stored or deflated.

    Office documents use only these two. zipfile inflates bzip2 and LZMA with no
    output bound before cutting to the declared size: 785 bytes of bzip2 gave
    1 GB in one read (24 s, 2 GB of memory)."""
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ArchiveRefused(
            f"« {info.filename[:80]} » : méthode de compression inattendue "
            "pour un document bureautique"
        )


def _end_record(data: bytes) -> tuple | None:
    # As zipfile does: the record at the very end, else the last one within
    # the largest comment's reach.
    size = _END_RECORD.size
    if data[-size : -size + 4] == _END_SIGNATURE:
        start = len(data) - size
    else:
        start = data.rfind(_END_SIGNATURE, max(0, len(data) - size - _MAX_COMMENT))
        if start < 0 or len(data) - start < size:
            return None
    return _END_RECORD.unpack_from(data, start)


class SafeZip:
    """An archive whose members are read within ZipLimits, or ArchiveRefused."""

    def __init__(self, data: bytes, limits: ZipLimits) -> None:
        check_directory_size(data, limits)
        try:
            self._archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            raise ArchiveRefused("archive ZIP illisible") from error
        self.limits = limits
        self._check_declared()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc_info) -> None:
        self._archive.close()

    def _check_declared(self) -> None:
        members = self._archive.infolist()
        limits = self.limits
        if len(members) > limits.max_members:
            raise ArchiveRefused(f"archive de plus de {limits.max_members} fichiers")
        for info in members:
            check_method(info)
            # Office XML deflates about 5 to 20 times; zeros, a thousand times.
            if info.file_size > max(info.compress_size, 1) * limits.max_ratio:
                raise ArchiveRefused(
                    f"« {info.filename[:80]} » est compressé plus de {limits.max_ratio} fois "
                    "(bombe de décompression probable)"
                )
            if info.file_size > limits.max_member_bytes:
                raise ArchiveRefused(f"« {info.filename[:80]} » décompressé est trop volumineux")
        if sum(info.file_size for info in members) > limits.max_total_bytes:
            raise ArchiveRefused("archive trop volumineuse une fois décompressée")

    def open(self, name: str) -> zipfile.ZipExtFile:
        """A member as a stream, inflated no further than its declared (checked) size."""
        try:
            return self._archive.open(name)
        except KeyError:
            raise ArchiveRefused(f"« {name} » absent de l'archive") from None
