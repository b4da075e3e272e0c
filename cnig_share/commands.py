"""The seed-demo command (it moves to the demo package, beside the content it seeds)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext

from cnig_share import demo


def init_app(app: Flask) -> None:
    """Register seed-demo."""
    app.cli.add_command(seed_demo_command)


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Add demo accounts, resources and selections so a newcomer sees a living site."""
    report = demo.seed()
    if not (report.accounts or report.resources or report.selections or report.projects):
        click.echo("Contenu de démonstration déjà présent : rien à ajouter.")
        return
    click.echo(
        f"Démonstration : {report.resources} ressources et {report.selections} sélections ajoutées."
    )
    if report.projects:
        click.echo(f"Espace des CTD : {report.projects} projets, feuilles de route et coûts.")
    if report.accounts:
        click.echo("Comptes de démonstration créés (mots de passe affichés une seule fois) :")
        for account in report.accounts:
            click.echo(f"  {account.email:<34} {account.password}  {account.description}")
