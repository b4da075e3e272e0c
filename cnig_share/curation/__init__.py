"""The CNIG team's tools: the review queue, resources to check, relays, the
acronyms learnt from the texts."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from cnig_share.curation import synonyms
    from cnig_share.curation.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(synonyms.bp)
