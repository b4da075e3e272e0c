"""Resources: what CTDs share."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the resource pages, their history, the filter and the commands."""
    # Imported here, not above: the extraction process imports this package
    # and needs none of the models.
    # history and lifecycle_views add their routes to views.bp.
    from cnig_share.resources import commands, history, lifecycle_views, views  # noqa: F401
    from cnig_share.resources.attachments import type_label

    app.register_blueprint(views.bp)
    app.cli.add_command(commands.import_command)
    app.cli.add_command(commands.export_command)
    app.cli.add_command(commands.worker_command)
    app.add_template_filter(type_label, "attachment_type")
