"""cnig-share backup DEST | restore ARCHIVE."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from cnig_share.backup import BackupError, service
from cnig_share.backup.archive import Manifest
from cnig_share.backup.snapshot import BACKEND_LABELS
from cnig_share.formatting import file_size, plural


def _fail(error: BackupError) -> None:
    for message in error.messages:
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
    try:
        report = service.backup(destination)
    except BackupError as error:
        _fail(error)
    manifest = report.manifest
    click.echo(f"Sauvegarde écrite : {report.path}")
    click.echo(f"Contenu : {_contents(manifest)} ; base {BACKEND_LABELS[manifest.backend]}.")
    for item in report.deleted_meanwhile:
        click.echo(
            f"Note : la pièce jointe n° {item.attachment_id} (ressource n° {item.resource_id}) "
            "a été supprimée pendant la copie ; la sauvegarde a repris sur un nouvel état "
            "de la base, qu'elle reflète fidèlement."
        )


@click.command("restore")
@with_appcontext
@click.argument("archive", type=click.Path(path_type=Path))
def restore_command(archive: Path) -> None:
    """Restore a backup into an empty instance, then rebuild the search index."""
    try:
        report = service.restore(archive)
    except BackupError as error:
        _fail(error)
    manifest = report.manifest
    click.echo(f"Sauvegarde du {manifest.created_at} restaurée : {_contents(manifest)}.")
    click.echo("Chaque fichier a été vérifié (taille et somme SHA-256).")
    if report.migrated_to:
        click.echo(f"Schéma mis à jour de la révision {manifest.revision} à {report.migrated_to}.")
    click.echo(f"Index de recherche reconstruit : {report.indexed} ressources publiées.")
