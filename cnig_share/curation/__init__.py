"""The CNIG team's tools: the review queue, resources to check, relays."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from cnig_share.curation.views import bp

    app.register_blueprint(bp)
