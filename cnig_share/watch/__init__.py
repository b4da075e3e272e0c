"""The CNIG watch (veille) in public: relayed resources and selections."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from cnig_share.watch.views import bp

    app.register_blueprint(bp)
