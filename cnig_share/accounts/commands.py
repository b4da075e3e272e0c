"""cnig-share create-user."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from cnig_share.accounts.services import AccountError, create_user, find_user_by_email
from cnig_share.api import tokens
from cnig_share.extensions import db
from cnig_share.models import ROLES


@click.command("create-user")
@with_appcontext
@click.argument("email")
@click.option("--role", type=click.Choice(list(ROLES)), required=True, help="Rôle sur le site.")
@click.option("--ctd", "ctds", multiple=True, metavar="SLUG", help="CTD dont il est membre.")
@click.option("--name", default="", help="Nom affiché.")
def create_user_command(email: str, role: str, ctds: tuple[str, ...], name: str) -> None:
    """Create an account; the password is read from a hidden prompt or standard input."""
    if sys.stdin.isatty():
        password = click.prompt(
            "Mot de passe", hide_input=True, confirmation_prompt="Confirmez le mot de passe"
        )
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        user = create_user(email, password, role, ctds, name)
        db.session.commit()
    except AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    where = f" ({', '.join(ctd.slug for ctd in user.ctds)})" if user.ctds else ""
    click.echo(f"Compte créé : {user.email}, rôle {user.role}{where}.")


@click.command("create-token")
@with_appcontext
@click.argument("email")
@click.option("--name", default="", help="À quoi servira le jeton (ex. : portail régional).")
def create_token_command(email: str, name: str) -> None:
    """Print a new API token for this account, once, alone on standard output."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        raise click.ClickException(f"Aucun compte actif pour {email}.")
    _, secret = tokens.issue(user, name or "créé en ligne de commande")
    db.session.commit()
    click.echo(secret)
