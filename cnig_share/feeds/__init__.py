"""Atom feeds: any search, a CTD, a term, the relays, the selections."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from cnig_share.feeds.views import bp

    app.register_blueprint(bp)
