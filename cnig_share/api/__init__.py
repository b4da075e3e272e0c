"""The JSON API, /api/v1 (English names; SPEC §6)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register /api/v1 with the routes of every API module, and the API guide page."""
    # These modules add their routes to views.bp: imported before it is registered.
    from cnig_share.api import (  # noqa: F401
        consultations,
        guide,
        openapi,
        resources,
        workspace,
        writes,
    )
    from cnig_share.api.views import bp
    from cnig_share.discussions import api as discussions_api  # noqa: F401

    app.register_blueprint(bp)
    app.register_blueprint(guide.bp)
