"""ZIP archives (DOCX, ODF) opened without trusting what they say about themselves.

A few hundred kilobytes of deflated zeros or of one repeated tag inflate to
gigabytes. Before a member is read, the archive's directory is checked
(member count, declared sizes, compression ratio), and every read goes
through a counter that stops at the limit, whatever the headers declare.
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
CHUNK = 64 * 1024


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
        self._read_so_far = 0
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

    def names(self) -> list[str]:
        return self._archive.namelist()

    def open(self, name: str) -> BoundedReader:
        """A member as a stream that refuses to give more than the limits allow."""
        try:
            member = self._archive.open(name)
        except KeyError:
            raise ArchiveRefused(f"« {name} » absent de l'archive") from None
        return BoundedReader(member, self)

    def read(self, name: str) -> bytes:
        with self.open(name) as member:
            return member.read()

    def _count(self, name: str, member_total: int, added: int) -> None:
        self._read_so_far += added
        if member_total > self.limits.max_member_bytes:
            raise ArchiveRefused(f"« {name[:80]} » décompressé dépasse sa taille annoncée")
        if self._read_so_far > self.limits.max_total_bytes:
            raise ArchiveRefused("archive trop volumineuse une fois décompressée")


class BoundedReader(io.RawIOBase):
    """A member's inflated bytes, counted as they come; ArchiveRefused at the limit."""

    def __init__(self, member: zipfile.ZipExtFile, archive: SafeZip) -> None:
        self._member = member
        self._archive = archive
        self._total = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            return b"".join(iter(lambda: self.read(CHUNK), b""))
        chunk = self._member.read(min(size, CHUNK))
        self._total += len(chunk)
        self._archive._count(self._member.name, self._total, len(chunk))
        return chunk

    def readinto(self, buffer) -> int:
        chunk = self.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def close(self) -> None:
        self._member.close()
        super().close()
