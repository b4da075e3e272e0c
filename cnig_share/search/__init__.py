"""Full-text search: the only package that imports Whoosh."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Open the index, keep it in step with the database, register the page and commands."""
    from cnig_share.search import commands, labels, sync, views
    from cnig_share.search.index import SearchIndex

    app.extensions["search"] = SearchIndex(
        app.config["INDEX_PATH"],
        write_timeout=app.config["SEARCH_WRITE_TIMEOUT"],
        warm_min_docs=app.config["SEARCH_WARM_MIN_DOCS"],
    )
    # A worker that has served no search yet has its index decoded ahead too: its
    # first search may come at a busy moment, when warming waits.
    app.before_request(app.extensions["search"].warm_at_first_request)
    sync.init_app(app)
    labels.init_app(app)
    app.register_blueprint(views.bp)
    app.cli.add_command(commands.search_cli)
