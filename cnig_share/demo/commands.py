"""cnig-share seed-demo [--content FOLDER]."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from cnig_share.demo.content import PACKAGED, DemoContentError
from cnig_share.demo.seed import seed


@click.command("seed-demo")
@with_appcontext
@click.option(
    "--content",
    "root",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=PACKAGED,
    help="Dossier du contenu de démonstration (par défaut, celui fourni avec le site).",
)
def seed_demo_command(root: Path) -> None:
    """Add demo accounts, resources and selections so a newcomer sees a living site."""
    try:
        report = seed(root)
    except DemoContentError as error:
        for message in error.messages:
            click.echo(message, err=True)
        click.echo(
            f"Démonstration refusée : {len(error.messages)} erreur(s), rien n'a été ajouté.",
            err=True,
        )
        sys.exit(1)
    added = (
        report.resources,
        report.selections,
        report.projects,
        report.join_requests,
        report.stages,
        report.follows,
        report.discussions,
        report.consultations,
    )
    if not (report.accounts or report.invitations or any(added)):
        click.echo("Contenu de démonstration déjà présent : rien à ajouter.")
        return
    click.echo(
        f"Démonstration : {report.resources} ressources et {report.selections} sélections ajoutées."
    )
    if report.projects:
        click.echo(f"Espace des CTD : {report.projects} projets, feuilles de route et coûts.")
    if report.stages:
        click.echo(f"Étapes des CTD renseignées : {report.stages}.")
    if report.discussions:
        click.echo(f"Discussions : {report.discussions} ouvertes, avec leurs signalements.")
    if report.consultations:
        click.echo(f"Consultations du CNIG : {report.consultations} ajoutées.")
    if report.acronyms:
        click.echo(f"Acronymes proposés aux curateurs (/curation/synonymes) : {report.acronyms}.")
    if report.join_requests:
        click.echo(f"Demandes pour rejoindre un CTD en attente : {report.join_requests}.")
    if report.follows:
        click.echo(f"Suivis des comptes de démonstration (voir /fil) : {report.follows}.")
    for address, link in report.invitations:
        click.echo(f"Invitation en attente pour {address} (aucun courriel envoyé) : {link}")
    if report.accounts:
        click.echo("Comptes de démonstration créés (mots de passe affichés une seule fois) :")
        for account in report.accounts:
            click.echo(f"  {account.email:<34} {account.password}  {account.description}")
