"""Set-up commands: init-db and seed-demo; backup and restore are registered here too."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from cnig_share import database, demo
from cnig_share.backup import commands as backup_commands
from cnig_share.search import sync as search_sync


def init_app(app: Flask) -> None:
    app.cli.add_command(init_db_command)
    demo.init_app(app)
    app.cli.add_command(backup_commands.backup_command)
    app.cli.add_command(backup_commands.restore_command)


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
    if not current_app.extensions["search"].exists():
        count = search_sync.rebuild(procs=1)
        click.echo(f"Index de recherche créé ({count} ressources publiées).")
