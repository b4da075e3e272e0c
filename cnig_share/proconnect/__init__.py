"""ProConnect sign-in (OpenID Connect): the State's identity federation for public agents."""

from __future__ import annotations

from authlib.integrations.flask_client import OAuth
from flask import Flask

from cnig_share.config import ConfigurationError

# The ways a client with a secret proves itself at a token endpoint (OpenID Connect
# Core §9); the others need keys this site does not have.
TOKEN_AUTH_METHODS = ("client_secret_post", "client_secret_basic")


def init_app(app: Flask) -> None:
    """The blueprint (its routes are 404 while PROCONNECT_DISCOVERY_URL is unset) and
    this app's own Authlib registry, filled from the settings at first use."""
    from cnig_share.proconnect import sessions, views

    if app.config["PROCONNECT_TOKEN_AUTH_METHOD"] not in TOKEN_AUTH_METHODS:
        raise ConfigurationError(
            "PROCONNECT_TOKEN_AUTH_METHOD vaut client_secret_post (ce que ProConnect "
            "demande) ou client_secret_basic."
        )
    app.extensions["proconnect"] = OAuth(app)
    app.register_blueprint(views.bp)
    app.before_request(sessions.allow_sign_out_at_provider)
