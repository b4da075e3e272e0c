"""Invitations: coordinators bring people into their CTD, admins into any CTD
or to a site role; the invitee accepts by a signed, single-use link."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from cnig_share.invitations.views import bp

    app.register_blueprint(bp)
