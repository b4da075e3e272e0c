"""cnig-share alerts send --period daily|weekly."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from cnig_share.alerts.services import send_digests
from cnig_share.models import PERIODS

alerts_cli = AppGroup("alerts", help="Alertes par courriel.")


@alerts_cli.command("send")
@click.option("--period", type=click.Choice(list(PERIODS)), required=True)
def send_command(period: str) -> None:
    """Send each subscriber one digest of what was published since the last."""
    # Links in the messages are built as if for a request to the public site.
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        sent, addresses = send_digests(period)
    click.echo(f"{sent} message(s) envoyé(s) à {addresses} adresse(s) abonnée(s).")
