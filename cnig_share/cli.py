"""The cnig-share console script: the Flask CLI bound to this app."""

from __future__ import annotations

from flask.cli import FlaskGroup

from cnig_share import create_app

main = FlaskGroup(
    name="cnig-share",
    create_app=lambda: create_app(),
    help="Administration de CNIG Partage.",
)
