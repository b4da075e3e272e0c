"""The widget: the latest published resources of a CTD or a search, as a
small page that a CTD's portal frames in an <iframe> (SPEC §12)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from cnig_share.widget.sessions import SessionInterface
    from cnig_share.widget.views import bp

    app.session_interface = SessionInterface()
    app.register_blueprint(bp)
