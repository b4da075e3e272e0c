"""Account administration (/admin/comptes): site roles, memberships, deactivation."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from cnig_share.admin.views import bp

    app.register_blueprint(bp)
