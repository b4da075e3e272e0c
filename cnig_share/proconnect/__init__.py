"""ProConnect sign-in (OpenID Connect): the State's identity federation for public agents."""

from __future__ import annotations

from authlib.integrations.flask_client import OAuth
from flask import Flask


def init_app(app: Flask) -> None:
    """The blueprint (its routes are 404 while PROCONNECT_DISCOVERY_URL is unset) and
    this app's own Authlib registry, filled from the settings at first use."""
    from cnig_share.proconnect import sessions, views

    app.extensions["proconnect"] = OAuth(app)
    app.register_blueprint(views.bp)
    app.before_request(sessions.allow_sign_out_at_provider)
