"""A CTD's members (/ctd/<slug>/membres) and the requests to join it."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from cnig_share.membership.views import bp

    app.register_blueprint(bp)
