"""The CTD directory."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from cnig_share.ctds.views import bp

    app.register_blueprint(bp)
