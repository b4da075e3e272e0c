"""The demo: content files a non-developer can edit (content/), seeded by
`cnig-share seed-demo` through the same checks and services as an import."""

from __future__ import annotations

from flask import Flask

from cnig_share.demo.commands import seed_demo_command
from cnig_share.demo.seed import seed

__all__ = ["init_app", "seed"]


def init_app(app: Flask) -> None:
    """Register the seed-demo command."""
    app.cli.add_command(seed_demo_command)
