"""cnig-share glossary import FILE | export FILE."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from cnig_share.extensions import db
from cnig_share.glossary import exchange

glossary_cli = AppGroup("glossary", help="Glossaire : import et export SKOS ou CSV.")

SKOS_SUFFIXES = {".ttl": "turtle", ".jsonld": "json-ld", ".json": "json-ld"}


def _format(path: Path, given: str | None) -> str:
    if given:
        return given
    if path.suffix.lower() == ".csv":
        return "csv"
    return SKOS_SUFFIXES.get(path.suffix.lower(), "turtle")


@glossary_cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format", "format_", type=click.Choice(["turtle", "json-ld", "csv"]),
    help="Par défaut, d'après l'extension (.ttl, .jsonld, .csv).",
)  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Vérifier le fichier sans rien enregistrer.")
def import_command(file: Path, format_: str | None, dry_run: bool) -> None:
    """Create or update terms from SKOS or CSV: all of them, or none."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        click.echo(f"Lecture impossible de {file} : {error}", err=True)
        sys.exit(1)
    format_ = _format(file, format_)
    try:
        records = exchange.read_csv(text) if format_ == "csv" else exchange.read_skos(text, format_)
        created, updated = exchange.apply(records)
    except exchange.ExchangeError as error:
        db.session.rollback()
        click.echo(
            f"Import refusé, rien n'a été enregistré ({len(error.errors)} erreur(s)) :", err=True
        )
        for message in error.errors:
            click.echo(f"  {message}", err=True)
        sys.exit(1)
    if dry_run:
        db.session.rollback()
        click.echo(f"Fichier valide : {created} terme(s) à créer, {updated} à mettre à jour.")
        return
    db.session.commit()
    click.echo(f"Glossaire importé : {created} terme(s) créé(s), {updated} mis à jour.")


@glossary_cli.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "format_", type=click.Choice(["turtle", "json-ld", "csv"]))
@click.option(
    "--base-url", default=None,
    help="Adresse publique du site, pour les URI des concepts (défaut : PUBLIC_URL).",
)  # fmt: skip
def export_command(file: Path, format_: str | None, base_url: str | None) -> None:
    """Write the glossary as SKOS (Turtle, JSON-LD) or CSV."""
    format_ = _format(file, format_)
    base_url = base_url or current_app.config["PUBLIC_URL"]
    text = exchange.export_csv() if format_ == "csv" else exchange.export_skos(base_url, format_)
    file.write_text(text, encoding="utf-8")
    click.echo(f"Glossaire exporté dans {file}.")
