"""The backup archive: one tar.gz holding the database dump, the uploads the
dump refers to, and manifest.json (row counts, sizes and SHA-256 checksums).

It is written to a hidden file beside its final name and linked into place
only once complete, so a crash never leaves half an archive under that name.
It is read member by member into a staging folder: anything but a regular
file at a path of the expected shape is refused (no `..`, no absolute path,
no link), and every file is checked against the manifest before a restore
touches the instance.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import json
import os
import re
import tarfile
import tempfile
import time
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from cnig_share.backup import BackupError
from cnig_share.backup.snapshot import DUMP_NAMES

FORMAT = "cnig-partage-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MAX_MANIFEST_SIZE = 64 * 1024 * 1024
# uploads/<first two characters>/<stored name>: attachments.stored_path's layout.
# The stored name is attachments.STORED_NAME: 32 hexadecimal digits.
UPLOAD_MEMBER = re.compile(r"uploads/(?P<fan>[0-9a-f]{2})/(?P=fan)[0-9a-f]{30}")
SHA256 = re.compile(r"[0-9a-f]{64}")
CHUNK = 1024 * 1024


def upload_member(stored_name: str) -> str:
    return f"uploads/{stored_name[:2]}/{stored_name}"


@dataclass(frozen=True)
class Entry:
    """One file of the archive: where, how big, its SHA-256."""

    path: str
    size: int
    sha256: str
    attachment_id: int | None = None
    resource_id: int | None = None


@dataclass(frozen=True)
class Manifest:
    created_at: str
    app_version: str
    backend: str
    revision: str | None
    tables: dict[str, int]
    database: Entry
    files: list[Entry]

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": self.created_at,
            "app_version": self.app_version,
            "database": {
                "backend": self.backend,
                "alembic_revision": self.revision,
                "tables": self.tables,
                "path": self.database.path,
                "size": self.database.size,
                "sha256": self.database.sha256,
            },
            "files": [asdict(entry) for entry in self.files],
        }

    @classmethod
    def from_json(cls, data: Any) -> Manifest:
        """Read a manifest, refusing anything malformed (BackupError)."""
        try:
            return cls._parse(data)
        except (KeyError, TypeError, ValueError) as error:
            reason = error.args[0] if error.args else error
            raise BackupError(f"Archive refusée : manifeste invalide ({reason}).") from error

    @classmethod
    def _parse(cls, data: Any) -> Manifest:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("ce n'est pas une sauvegarde de CNIG Partage")
        if data.get("format_version") != FORMAT_VERSION:
            raise ValueError(
                f"format {data.get('format_version')!r} inconnu de cette version de CNIG Partage"
            )
        database = _field(data, "database", dict)
        backend = _field(database, "backend", str)
        if backend not in DUMP_NAMES:
            raise ValueError(f"base « {backend} » inconnue")
        revision = database.get("alembic_revision")
        if revision is not None and not isinstance(revision, str):
            raise ValueError("champ « alembic_revision » invalide")
        tables = _field(database, "tables", dict)
        if not all(isinstance(n, str) and _is_count(c) for n, c in tables.items()):
            raise ValueError("champ « tables » invalide")
        dump = _entry(database)
        if dump.path != DUMP_NAMES[backend]:
            raise ValueError(f"fichier de base inattendu « {dump.path} »")
        files = [_entry(item) for item in _field(data, "files", list)]
        for entry in files:
            if not UPLOAD_MEMBER.fullmatch(entry.path):
                raise ValueError(f"chemin de fichier interdit « {entry.path} »")
        if len({entry.path for entry in files}) != len(files):
            raise ValueError("un fichier y figure deux fois")
        if tables.get("attachment", len(files)) != len(files):
            raise ValueError("autant de fichiers que de pièces jointes sont attendus")
        return cls(
            created_at=_field(data, "created_at", str),
            app_version=_field(data, "app_version", str),
            backend=backend,
            revision=revision,
            tables=tables,
            database=dump,
            files=files,
        )


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _field(data: Any, key: str, kind: type) -> Any:
    if not isinstance(data, dict) or not isinstance(data.get(key), kind):
        raise ValueError(f"champ « {key} » absent ou invalide")
    return data[key]


def _entry(data: Any) -> Entry:
    path, size, sha256 = _field(data, "path", str), data.get("size"), _field(data, "sha256", str)
    if not _is_count(size) or not SHA256.fullmatch(sha256):
        raise ValueError(f"taille ou somme SHA-256 invalide pour « {path} »")
    ids = [data.get("attachment_id"), data.get("resource_id")]
    if not all(value is None or _is_count(value) for value in ids):
        raise ValueError(f"numéros invalides pour « {path} »")
    return Entry(path, size, sha256, *ids)


# --- writing ----------------------------------------------------------------------------


class _Hashing:
    """A file read through: tarfile copies from it while the digest follows."""

    def __init__(self, source: IO[bytes]) -> None:
        self.source = source
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


class ArchiveWriter:
    """A tar.gz written to a hidden temporary file beside `final`; `publish()`
    links it to its final name, leaving the context without it removes it."""

    def __init__(self, final: Path) -> None:
        self.final = final
        fd, name = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.", suffix=".part")
        self._temporary = Path(name)
        self._file = os.fdopen(fd, "wb")
        self._tar = tarfile.open(  # noqa: SIM115 - closed by publish() or on leaving
            fileobj=self._file, mode="w:gz", compresslevel=6, format=tarfile.PAX_FORMAT
        )

    def __enter__(self) -> ArchiveWriter:
        return self

    def __exit__(self, *exc) -> None:
        self._close()
        with contextlib.suppress(FileNotFoundError):
            self._temporary.unlink()

    def add(self, name: str, source: IO[bytes], size: int) -> Entry:
        """Copy `size` bytes of `source` in as `name`; return their size and SHA-256."""
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = size, int(time.time()), 0o644
        reader = _Hashing(source)
        self._tar.addfile(info, reader)
        return Entry(name, reader.size, reader.digest.hexdigest())

    def add_file(self, name: str, path: Path) -> Entry:
        with path.open("rb") as source:
            return self.add(name, source, os.fstat(source.fileno()).st_size)

    def publish(self, manifest: Manifest) -> None:
        """Add the manifest last, flush to disk, then give the archive its name."""
        data = json.dumps(manifest.to_json(), ensure_ascii=False, indent=1).encode()
        self.add(MANIFEST, io.BytesIO(data), len(data))
        self._close()
        try:
            # A link, not a rename: an archive already under that name is never replaced.
            os.link(self._temporary, self.final)
        except FileExistsError as error:
            raise BackupError(f"{self.final} existe déjà : il n'a pas été remplacé.") from error
        directory = os.open(self.final.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    def _close(self) -> None:
        if self._file.closed:
            return
        try:
            self._tar.close()
            self._file.flush()
            os.fsync(self._file.fileno())
        finally:
            self._file.close()


# --- reading ----------------------------------------------------------------------------


def unpack(archive: Path, staging: Path) -> Manifest:
    """Extract `archive` into `staging` and check every file against the
    manifest; a BackupError lists whatever is wrong."""
    if archive.is_dir():
        raise BackupError(f"{archive} est un dossier : indiquez le fichier de l'archive.")
    if not archive.is_file():
        raise BackupError(f"{archive} : fichier introuvable.")
    try:
        with tarfile.open(archive, "r:gz") as tar:
            found = _extract_all(tar, staging, archive)
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise BackupError(
            f"{archive} n'est pas une archive de sauvegarde de CNIG Partage "
            f"(un fichier tar.gz est attendu) : {error}. Rien n'a été écrit."
        ) from error
    if MANIFEST not in found:
        raise BackupError(
            "Archive refusée : manifest.json est absent (archive tronquée ou qui n'est pas "
            "une sauvegarde de CNIG Partage)."
        )
    try:
        data = json.loads((staging / MANIFEST).read_bytes())
    except (UnicodeDecodeError, ValueError) as error:
        raise BackupError(f"Archive refusée : manifeste illisible ({error}).") from error
    manifest = Manifest.from_json(data)
    problems = _differences(manifest, found)
    if problems:
        raise BackupError("Archive refusée, rien n'a été écrit :", *problems)
    return manifest


def _extract_all(tar: tarfile.TarFile, staging: Path, archive: Path) -> dict[str, Entry]:
    """Every member into the staging folder, once the opening went well."""
    found: dict[str, Entry] = {}
    try:
        for member in tar:
            name = _checked_name(member)
            if name in found:
                raise BackupError(f"Archive refusée : « {name} » y figure deux fois.")
            if name == MANIFEST and member.size > MAX_MANIFEST_SIZE:
                raise BackupError("Archive refusée : manifeste démesuré.")
            found[name] = _extract(tar.extractfile(member), staging, name)
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise BackupError(
            f"Archive refusée : {archive} est tronquée ou endommagée ({error}). Rien n'a été écrit."
        ) from error
    return found


_NOT_REGULAR = [
    (tarfile.TarInfo.issym, "un lien symbolique"),
    (tarfile.TarInfo.islnk, "un lien physique"),
    (tarfile.TarInfo.isdir, "un dossier"),
    (lambda member: True, "un fichier spécial"),
]


def _checked_name(member: tarfile.TarInfo) -> str:
    name = member.name
    if not member.isreg():
        kind = next(label for test, label in _NOT_REGULAR if test(member))
        raise BackupError(
            f"Archive refusée : « {name} » est {kind} ; seuls des fichiers ordinaires sont admis."
        )
    if name != MANIFEST and name not in DUMP_NAMES.values() and not UPLOAD_MEMBER.fullmatch(name):
        raise BackupError(
            f"Archive refusée : chemin interdit « {name} » (hors de l'arborescence d'une "
            "sauvegarde)."
        )
    return name


def _extract(source: IO[bytes] | None, staging: Path, name: str) -> Entry:
    """Write a member to the staging folder (at a path built from a checked
    name), measuring and hashing it on the way."""
    assert source is not None  # regular files always have content
    target = staging / name
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with target.open("xb") as output:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            output.write(chunk)
    return Entry(name, size, digest.hexdigest())


def _differences(manifest: Manifest, found: dict[str, Entry]) -> list[str]:
    expected = {entry.path: entry for entry in [manifest.database, *manifest.files]}
    problems = []
    for path, entry in expected.items():
        actual = found.get(path)
        if actual is None:
            problems.append(f"{path} : absent de l'archive.")
        elif actual.size != entry.size:
            problems.append(
                f"{path} : {actual.size} octets au lieu des {entry.size} du manifeste "
                "(fichier tronqué ou altéré)."
            )
        elif actual.sha256 != entry.sha256:
            problems.append(f"{path} : somme SHA-256 différente du manifeste (fichier altéré).")
    for path in sorted(found.keys() - expected.keys() - {MANIFEST}):
        problems.append(f"{path} : présent dans l'archive mais absent du manifeste.")
    return problems
