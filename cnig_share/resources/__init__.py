"""Resources: what CTDs share."""

from __future__ import annotations

from flask import Flask

from cnig_share import permissions


def init_app(app: Flask) -> None:
    from cnig_share.resources import history, views  # noqa: F401 - history adds routes to bp
    from cnig_share.resources.attachments import type_label

    app.register_blueprint(views.bp)
    # Templates ask the same questions as views: which buttons to show.
    app.jinja_env.globals["permissions"] = permissions
    app.add_template_filter(type_label, "attachment_type")
