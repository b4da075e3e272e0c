"""How the site is used: views and downloads per resource (audience.py, shown
to its CTD and curators) and the public statistics page (/statistiques)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from cnig_share.statistics import audience
    from cnig_share.statistics.views import bp

    app.register_blueprint(bp)
    app.jinja_env.globals["audience_of"] = audience.audience_of
    app.jinja_env.globals["audience_recent_days"] = audience.RECENT_DAYS
