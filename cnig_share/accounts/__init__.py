"""Accounts: signing in and out, profiles, and creating users."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Who signs in and how: the login manager's pages, the blueprint, the commands."""
    # profile_views adds its routes to views.bp.
    from cnig_share.accounts import commands, profile_views, services, views  # noqa: F401
    from cnig_share.extensions import login_manager

    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Connectez-vous pour accéder à cette page."
    login_manager.login_message_category = "info"
    login_manager.user_loader(services.load_user)
    app.register_blueprint(views.bp)
    app.cli.add_command(commands.create_user_command)
    app.cli.add_command(commands.create_token_command)
    services.dummy_hash(app.config["PASSWORD_HASH_METHOD"])
