"""The cnig-share console script: the Flask CLI bound to this app."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup, ScriptInfo, run_command

from cnig_share import config, create_app

# Where `run` leaves the address it serves, for the app it then loads.
SERVED_AT = "cnig_share.served_at"


def _load_app() -> Flask:
    context = click.get_current_context(silent=True)
    info = context.find_object(ScriptInfo) if context else None
    return create_app(served_at=info.data.get(SERVED_AT) if info else None)


main = FlaskGroup(
    name="cnig-share",
    create_app=_load_app,
    help="Administration de CNIG Partage.",
)


@main.command(
    "run",
    params=run_command.params,
    help="Serveur de développement. Les liens des courriels, flux et de l'API suivent "
    "l'adresse servie (--host, --port), sauf si PUBLIC_URL est réglé.",
    short_help="Serveur de développement.",
    with_appcontext=False,  # the app is built by Flask's run, after the address is known
)
@click.pass_context
def run(context: click.Context, **options) -> None:
    """Flask's `run`, the app built knowing the address it is served on."""
    info = context.ensure_object(ScriptInfo)
    info.data[SERVED_AT] = config.server_address(
        options["host"], options["port"], https=options.get("cert") is not None
    )
    context.invoke(run_command, **options)
