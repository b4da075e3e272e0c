"""Backing up a running instance, and restoring a backup into an empty one.

Backup: links to the uploads (uploads.py), then the database snapshot, then
the files the snapshot refers to, from the uploads or from their links. A file
written after the snapshot is simply not part of this backup; one the
snapshot refers to and deleted since is archived all the same, from its link,
and reported. Only a file both uploaded after the links and deleted before
its copy is out of reach: the backup then starts again from a new snapshot,
up to ATTEMPTS times. A file gone while its row is still in the live
database, or whose bytes no longer match the SHA-256 recorded at upload, is
damage no retry mends: the backup stops, names each one, writes no archive.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cnig_share import database
from cnig_share.backup import BackupError, snapshot, uploads
from cnig_share.backup.archive import ArchiveWriter, Entry, Manifest, unpack, upload_member
from cnig_share.backup.snapshot import BACKEND_LABELS, DUMP_NAMES, StoredFile
from cnig_share.extensions import db
from cnig_share.models import Attachment
from cnig_share.resources.attachments import STORED_NAME, upload_folder
from cnig_share.search import sync as search_sync

ATTEMPTS = 3


@dataclass(frozen=True)
class BackupReport:
    path: Path
    manifest: Manifest
    # Deleted after the snapshot, archived all the same from their links.
    archived_from_links: list[StoredFile]
    # Uploaded and deleted during an attempt, each making the backup start again.
    restarted_for: list[StoredFile]


@dataclass(frozen=True)
class RestoreReport:
    manifest: Manifest
    migrated_to: str | None
    indexed: int | None


class _DeletedMeanwhile(Exception):
    """An attachment of the snapshot was deleted before its file was copied."""

    def __init__(self, item: StoredFile) -> None:
        super().__init__(item.stored_name)
        self.item = item


# --- backup -----------------------------------------------------------------------------


def archive_path(destination: str, now: datetime) -> Path:
    """A folder gets a timestamped archive inside it; anything else is the file itself."""
    path = Path(destination)
    if path.is_dir():
        return path / f"cnig-partage-{now:%Y-%m-%dT%H%M%SZ}.tar.gz"
    if destination.endswith(("/", "\\")) or not path.parent.is_dir():
        folder = path if destination.endswith(("/", "\\")) else path.parent
        raise BackupError(f"Le dossier {folder} n'existe pas : aucune sauvegarde n'a été écrite.")
    if path.exists():
        raise BackupError(f"{path} existe déjà : choisissez un autre nom, ou un dossier.")
    return path


def backup(destination: str) -> BackupReport:
    """Write a consistent archive of the database and uploads; say what it holds."""
    engine = db.engine
    backend = snapshot.backend(engine)
    final = archive_path(destination, datetime.now(UTC))
    restarted: list[StoredFile] = []
    for _ in range(ATTEMPTS):
        try:
            return _attempt(backend, final, restarted)
        except _DeletedMeanwhile as meanwhile:
            restarted.append(meanwhile.item)
    raise BackupError(
        f"Des pièces jointes ont été supprimées pendant chacune des {ATTEMPTS} tentatives : "
        "aucune sauvegarde n'a été écrite. Relancez-la dans un moment plus calme."
    )


def _attempt(backend: str, final: Path, restarted: list[StoredFile]) -> BackupReport:
    folder = upload_folder()
    with (
        tempfile.TemporaryDirectory(dir=final.parent, prefix=".cnig-partage-") as work,
        uploads.links_to_every_file(folder) as kept,
        ArchiveWriter(final) as writer,
    ):
        dump = Path(work, DUMP_NAMES[backend])
        taken_at = datetime.now(UTC)
        contents = snapshot.take(db.engine, dump)
        database_entry = writer.add_file(dump.name, dump)
        files, from_links = _copy_uploads(writer, contents.files, folder, kept)
        manifest = Manifest(
            created_at=taken_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            app_version=_app_version(),
            backend=backend,
            revision=contents.revision,
            tables=contents.tables,
            database=database_entry,
            files=files,
        )
        writer.publish(manifest)
    return BackupReport(final, manifest, from_links, restarted)


def _copy_uploads(
    writer: ArchiveWriter, stored: list[StoredFile], folder: Path, kept: Path | None
) -> tuple[list[Entry], list[StoredFile]]:
    entries, from_links, damaged = [], [], []
    for item in stored:
        name = upload_member(item.stored_name)
        try:
            source, from_link = uploads.open_stored(folder, kept, item.stored_name)
        except FileNotFoundError:
            if not _still_referenced(item):
                raise _DeletedMeanwhile(item) from None
            damaged.append(f"{item.described} : fichier {name} introuvable.")
            continue
        with source:
            entry = writer.add(name, source, os.fstat(source.fileno()).st_size)
        if from_link:
            from_links.append(item)
        if (entry.size, entry.sha256) != (item.size, item.sha256):
            damaged.append(f"{item.described} : {name} ne correspond plus à sa somme SHA-256.")
        entries.append(Entry(name, entry.size, entry.sha256, item.attachment_id, item.resource_id))
    if damaged:
        raise BackupError(
            *damaged,
            f"{len(damaged)} fichier(s) de pièce jointe manquant(s) ou altéré(s) dans "
            f"{folder} : aucune sauvegarde n'a été écrite.",
        )
    return entries, from_links


def _still_referenced(item: StoredFile) -> bool:
    """Is this attachment in the live database (not only in the snapshot)?"""
    with Session(db.engine) as session:
        query = select(Attachment.id).where(Attachment.stored_name == item.stored_name)
        return session.scalar(query) is not None


def _app_version() -> str:
    try:
        return metadata.version("cnig-share")
    except metadata.PackageNotFoundError:
        return "inconnue"


# --- restore ----------------------------------------------------------------------------


def restore(archive: Path) -> RestoreReport:
    """Restore an archive into this empty instance, then rebuild the search index.

    Nothing is written before the whole archive has been checked."""
    engine = db.engine
    backend = snapshot.backend(engine)
    uploads = upload_folder()
    _refuse_unless_empty(engine, uploads)
    with tempfile.TemporaryDirectory(dir=current_app.instance_path, prefix=".restore-") as work:
        staging = Path(work)
        manifest = unpack(archive, staging)
        _refuse_unless_compatible(manifest, backend)
        dump = staging / manifest.database.path
        snapshot.check_dump(manifest.backend, dump)
        uploads_existed = uploads.exists()
        placed = _place_uploads(staging, manifest.files, uploads)
        try:
            # Rows the archive does not vouch for are refused like a bad dump.
            with snapshot.undone_on_error(engine):
                snapshot.put_back(engine, dump)
                _check_attachment_rows(engine, manifest)
        except BaseException:
            for path in placed:  # leave the instance as it was
                path.unlink()
                with contextlib.suppress(OSError):
                    path.parent.rmdir()
            if not uploads_existed:
                with contextlib.suppress(OSError):
                    uploads.rmdir()
            raise
    engine.dispose()
    db.session.remove()
    _check_counts(manifest)
    migrated_to = None
    head = _migrations().get_current_head()
    if manifest.revision is not None and manifest.revision != head:
        database.migrate_schema()
        database.ensure_reference_data()
        migrated_to = head
    _requeue_interrupted_extractions()
    indexed = search_sync.rebuild(procs=current_app.config["SEARCH_REINDEX_PROCS"])
    return RestoreReport(manifest, migrated_to, indexed)


def _refuse_unless_empty(engine, uploads: Path) -> None:
    problems = []
    tables = snapshot.existing_tables(engine)
    if tables:
        shown = ", ".join(tables[:5]) + (", …" if len(tables) > 5 else "")
        problems.append(f"la base de données contient déjà {len(tables)} table(s) ({shown})")
    if uploads.is_dir() and any(path.is_file() for path in uploads.rglob("*")):
        problems.append(f"le dossier des pièces jointes {uploads} contient déjà des fichiers")
    if problems:
        raise BackupError(
            f"L'instance cible n'est pas vide : {' ; '.join(problems)}.",
            "Une sauvegarde se restaure dans une instance neuve : base vide (sans lancer "
            "init-db) et dossier des pièces jointes vide. Rien n'a été modifié.",
        )


def _migrations() -> ScriptDirectory:
    return ScriptDirectory(database.MIGRATIONS_DIR)


def _refuse_unless_compatible(manifest: Manifest, backend: str) -> None:
    if manifest.backend != backend:
        saved, here = BACKEND_LABELS[manifest.backend], BACKEND_LABELS[backend]
        raise BackupError(
            f"Cette archive contient une base {saved}, cette instance utilise {here} : "
            f"restaurez-la dans une instance {saved}, puis passez d'une base à l'autre avec "
            "cnig-share export et import. Rien n'a été modifié."
        )
    known = {script.revision for script in _migrations().walk_revisions()}
    if manifest.revision is not None and manifest.revision not in known:
        raise BackupError(
            "Cette archive vient d'une version plus récente de CNIG Partage (révision de "
            f"schéma « {manifest.revision} » inconnue ici) : mettez d'abord l'application "
            "à jour. Rien n'a été modifié."
        )


def _check_attachment_rows(engine, manifest: Manifest) -> None:
    """Every attachment row names, under a name we generate, a file the
    manifest lists with the same size and SHA-256: a row the archive does not
    vouch for (a stored name such as /etc/passwd) is refused."""
    with engine.connect() as connection:
        rows = snapshot.describe(connection).files
    listed = {(entry.path, entry.size, entry.sha256) for entry in manifest.files}
    problems = []
    for row in rows:
        if not STORED_NAME.fullmatch(row.stored_name):
            problems.append(
                f"pièce jointe n° {row.attachment_id} : nom de fichier « {row.stored_name[:80]} »"
                " qui n'est pas un nom donné par CNIG Partage."
            )
        elif (upload_member(row.stored_name), row.size, row.sha256) not in listed:
            problems.append(
                f"pièce jointe n° {row.attachment_id} : fichier absent du manifeste ou différent."
            )
    if problems:
        raise BackupError(
            "Archive refusée : des pièces jointes de la base ne correspondent pas au manifeste.",
            *problems[:20],
            "Rien n'a été restauré.",
        )


def _requeue_interrupted_extractions() -> None:
    """Extractions under way when the backup was taken belong to no worker here."""
    db.session.execute(
        update(Attachment).where(Attachment.extraction == "running").values(extraction="pending")
    )
    db.session.commit()


def _place_uploads(staging: Path, files: list[Entry], uploads: Path) -> list[Path]:
    placed = []
    for entry in files:
        # entry.path is uploads/<fan>/<name>, checked against UPLOAD_MEMBER.
        target = uploads.joinpath(*Path(entry.path).parts[1:])
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(staging / entry.path, target)
        placed.append(target)
    return placed


def _check_counts(manifest: Manifest) -> None:
    """The restored database holds as many rows per table as the manifest says."""
    with db.engine.connect() as connection:
        actual = snapshot.count_rows(connection)
    wrong = [
        f"{table} : {actual.get(table, 0)} ligne(s) au lieu de {count}"
        for table, count in manifest.tables.items()
        if actual.get(table, 0) != count
    ]
    if wrong:
        raise BackupError("La base restaurée ne correspond pas au manifeste :", *wrong)
