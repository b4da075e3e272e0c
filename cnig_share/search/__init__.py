"""Full-text search: the only package that imports Whoosh."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Open the index, keep it in step with the database, register the page and commands."""
    from cnig_share.search import commands, labels, sync, views
    from cnig_share.search.index import SearchIndex

    app.extensions["search"] = SearchIndex(
        app.config["INDEX_PATH"], write_timeout=app.config["SEARCH_WRITE_TIMEOUT"]
    )
    sync.init_app(app)
    labels.init_app(app)
    app.register_blueprint(views.bp)
    app.cli.add_command(commands.search_cli)
