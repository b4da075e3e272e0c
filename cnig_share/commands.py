"""Set-up commands: init-db and seed-demo."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext

from cnig_share import database, demo


def init_app(app: Flask) -> None:
    app.cli.add_command(init_db_command)
    app.cli.add_command(seed_demo_command)


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create or migrate the schema, then add the reference CTDs and glossary terms."""
    database.migrate_schema()
    added = database.ensure_reference_data()
    click.echo(
        f"Base de données à jour : {added['ctds']} CTD et "
        f"{added['terms']} termes du glossaire ajoutés."
    )


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Add demo accounts (and, later, content) so a newcomer sees a living site."""
    created = demo.seed()
    if not created:
        click.echo("Contenu de démonstration déjà présent : rien à ajouter.")
        return
    click.echo("Comptes de démonstration créés (mots de passe affichés une seule fois) :")
    for account in created:
        click.echo(f"  {account.email:<40} {account.password}  {account.description}")
