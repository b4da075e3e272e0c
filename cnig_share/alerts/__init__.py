"""Alerts by email on any search or glossary term, and the digest command."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from cnig_share.alerts.commands import alerts_cli
    from cnig_share.alerts.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(alerts_cli)
