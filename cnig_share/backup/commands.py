"""cnig-share backup DEST | restore ARCHIVE."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import DBAPIError

from cnig_share.backup import BackupError, service
from cnig_share.backup.archive import Manifest
from cnig_share.backup.snapshot import BACKEND_LABELS
from cnig_share.formatting import file_size, plural


@contextlib.contextmanager
def _failures_reported() -> Iterator[None]:
    """Every expected failure becomes French lines on standard error and exit 1."""
    try:
        yield
        return
    except BackupError as error:
        messages = error.messages
    except DBAPIError as error:
        messages = [f"Base de données inaccessible ou illisible : {error.orig}"]
    except OSError as error:
        where = f"{error.filename} : " if error.filename else ""
        messages = [f"Lecture ou écriture impossible : {where}{error.strerror or error}."]
    for message in messages:
        click.echo(message, err=True)
    sys.exit(1)


def _contents(manifest: Manifest) -> str:
    size = sum(entry.size for entry in manifest.files)
    return (
        f"{plural(manifest.tables.get('resource', 0), 'ressource')}, "
        f"{plural(len(manifest.files), 'pièce jointe', 'pièces jointes')} ({file_size(size)}), "
        f"{plural(manifest.tables.get('user_account', 0), 'compte')}, "
        f"{plural(len(manifest.tables), 'table')}"
    )


@click.command("backup")
@with_appcontext
@click.argument("destination", metavar="DEST")
def backup_command(destination: str) -> None:
    """Archive the database and the uploads, while the site runs.

    DEST is a folder (a dated archive is created inside) or the archive's path.
    """
    with _failures_reported():
        report = service.backup(destination)
    manifest = report.manifest
    click.echo(f"Sauvegarde écrite : {report.path}")
    click.echo(f"Contenu : {_contents(manifest)} ; base {BACKEND_LABELS[manifest.backend]}.")
    for item in report.archived_from_links:
        click.echo(
            f"Note : la {item.described} "
            "a été supprimée pendant la sauvegarde ; l'archive la contient quand même, "
            "comme la base sauvegardée."
        )
    for item in report.restarted_for:
        click.echo(
            f"Note : la {item.described} "
            "a été ajoutée puis supprimée pendant la sauvegarde ; celle-ci a repris sur un "
            "nouvel état de la base, qu'elle reflète fidèlement."
        )


@click.command("restore")
@with_appcontext
@click.argument("archive", type=click.Path(path_type=Path))
def restore_command(archive: Path) -> None:
    """Restore a backup into an empty instance, then rebuild the search index."""
    with _failures_reported():
        report = service.restore(archive)
    manifest = report.manifest
    click.echo(f"Sauvegarde du {manifest.created_at} restaurée : {_contents(manifest)}.")
    click.echo("Chaque fichier a été vérifié (taille et somme SHA-256).")
    if manifest.revision is None:
        click.echo(
            "Note : l'archive ne précise pas de révision de schéma ; il est laissé tel quel."
        )
    if report.migrated_to:
        click.echo(f"Schéma mis à jour de la révision {manifest.revision} à {report.migrated_to}.")
    click.echo(f"Index de recherche reconstruit : {report.indexed} documents indexés.")
