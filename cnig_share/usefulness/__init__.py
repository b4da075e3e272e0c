"""« Cette ressource m'a été utile »: a signed-in person's mark on a published
resource, once per account, withdrawn at will; the count shown on the
resource, on its search card, and the search's « Les plus utiles » order."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from cnig_share.usefulness import services
    from cnig_share.usefulness.views import bp

    app.register_blueprint(bp)
    app.jinja_env.globals["usefulness"] = services
