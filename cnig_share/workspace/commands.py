"""cnig-share workspace import FILE | export FILE: the CTD workspace as JSON Lines."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from cnig_share.extensions import db
from cnig_share.models import User
from cnig_share.resources.exchange import Vocabulary, read_lines
from cnig_share.workspace import exchange

workspace_cli = AppGroup("workspace", help="Espace des CTD : projets, coûts, acteurs.")


@workspace_cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--as", "email", required=True, help="Compte inscrit au journal comme auteur.")
@click.option("--dry-run", is_flag=True, help="Vérifier le fichier sans rien enregistrer.")
def import_command(file: Path, email: str, dry_run: bool) -> None:
    """Import actors, roadmaps, governance, projects and costs: all of them, or none."""
    author = db.session.scalar(select(User).where(db.func.lower(User.email) == email.lower()))
    if author is None or not author.is_curator:
        _fail([f"--as : {email} n'est pas un compte de l'équipe du CNIG."])
    try:
        content = file.read_bytes()
    except OSError as error:
        _fail([f"{file} : lecture impossible ({error.strerror})"])
    decoded = list(read_lines(content))
    vocabulary = Vocabulary()
    actors = exchange.known_actors([data for _, data, problem in decoded if problem is None])
    lines, errors = [], []
    for number, data, problem in decoded:
        found = (
            [f"ligne: {problem}"]
            if problem
            else exchange.check_line(number, data, vocabulary, actors)
        )
        if isinstance(found, list):
            errors += [f"line {number}: {message}" for message in found]
        else:
            lines.append(found)
    if errors:
        _fail(errors)
    counts = exchange.apply(lines, author)
    summary = ", ".join(f"{count} {kind}" for kind, count in counts.items())
    if dry_run:
        db.session.rollback()
        click.echo(f"Vérification réussie, rien n'a été enregistré : {summary}.")
        return
    db.session.commit()
    click.echo(f"Import terminé : {summary}.")


@workspace_cli.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def export_command(file: Path) -> None:
    """Write the whole workspace as JSON Lines."""
    lines = exchange.export_lines()
    try:
        file.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    except OSError as error:
        _fail([f"{file} : écriture impossible ({error.strerror})"], imported=False)
    click.echo(f"{len(lines)} lignes écrites dans {file}.")


def _fail(messages: list[str], imported: bool = True) -> None:
    for message in messages:
        click.echo(message, err=True)
    if imported:
        click.echo(f"Import refusé : {len(messages)} erreur(s), rien n'a été importé.", err=True)
    sys.exit(1)
