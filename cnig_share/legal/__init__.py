"""The footer pages a French State site must have (SPEC §9): site map,
accessibility statement, legal notice, personal data and cookies."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from cnig_share.legal.views import bp

    app.register_blueprint(bp)
    app.context_processor(_footer_context)


def _footer_context() -> dict[str, str]:
    """The footer of every page states the compliance level the audit gives."""
    from cnig_share.legal import accessibility

    return {"accessibility_level": accessibility.load().level}
