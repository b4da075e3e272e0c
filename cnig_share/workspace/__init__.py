"""The CTD workspace: roadmaps, governance, projects, costs, national actors."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from cnig_share.workspace.commands import workspace_cli
    from cnig_share.workspace.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(workspace_cli)
