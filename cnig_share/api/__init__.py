"""The JSON API, /api/v1 (English names; SPEC §6)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from cnig_share.api import guide, openapi, resources, workspace, writes  # noqa: F401
    from cnig_share.api.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(guide.bp)
