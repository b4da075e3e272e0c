"""cnig-share alerts send --period daily|weekly; cnig-share alerts send-grouped."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from cnig_share.alerts import quota
from cnig_share.alerts.services import send_digests
from cnig_share.extensions import db
from cnig_share.following import notifications as following
from cnig_share.models import PERIODS

alerts_cli = AppGroup("alerts", help="Alertes par courriel.")


@alerts_cli.command("send")
@click.option("--period", type=click.Choice(list(PERIODS)), required=True)
def send_command(period: str) -> None:
    """Send each subscriber one digest of what was published since the last,
    and each person following something one digest of what changed in it."""
    # Links in the messages are built as if for a request to the public site.
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        sent, addresses = send_digests(period)
        followers_sent, people = following.send_digests(period)
    quota.forget_earlier_days()
    db.session.commit()
    click.echo(f"{sent} message(s) envoyé(s) à {addresses} adresse(s) abonnée(s).")
    click.echo(f"{followers_sent} résumé(s) de suivi envoyé(s) sur {people} personne(s).")


@alerts_cli.command("send-grouped")
def send_grouped_command() -> None:
    """Send the immediate notifications that waited for their hour (run it every few minutes)."""
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        sent = following.send_grouped()
    click.echo(f"{sent} notification(s) regroupée(s) envoyée(s).")
