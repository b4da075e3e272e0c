"""The reference glossary."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from cnig_share.glossary.commands import glossary_cli
    from cnig_share.glossary.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(glossary_cli)
