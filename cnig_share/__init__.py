"""CNIG Partage: the centre de ressources of the comités territoriaux de la donnée."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from cnig_share import config
from cnig_share.routing import PublicUrlFlask

PACKAGE_DIR = Path(__file__).resolve().parent


def _asset_folder(name: str) -> str:
    """templates/ and static/ sit beside the package in a checkout and inside it in a wheel."""
    inside = PACKAGE_DIR / name
    return str(inside if inside.is_dir() else PACKAGE_DIR.parent / name)


def create_app(
    test_config: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> Flask:
    """Build the application: settings, extensions, blueprints, commands."""
    environ = os.environ if environ is None else environ
    instance = config.instance_path(environ)
    os.makedirs(instance, exist_ok=True)
    app = PublicUrlFlask(
        __name__,
        instance_path=instance,
        instance_relative_config=True,
        template_folder=_asset_folder("templates"),
        static_folder=_asset_folder("static"),
    )
    config.load(app, environ, test_config)

    from cnig_share import (
        accounts,
        alerts,
        api,
        commands,
        conflicts,
        ctds,
        curation,
        database,
        errors,
        feeds,
        formatting,
        glossary,
        mail,
        markdown,
        pages,
        resources,
        routing,
        search,
        security,
        watch,
        workspace,
    )

    if app.config["PROXY_COUNT"]:
        hops = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    routing.init_app(app)
    database.init_app(app)
    security.init_app(app)
    accounts.init_app(app)
    formatting.init_app(app)
    markdown.init_app(app)
    errors.init_app(app)
    conflicts.init_app(app)
    pages.init_app(app)
    resources.init_app(app)
    search.init_app(app)
    api.init_app(app)
    ctds.init_app(app)
    glossary.init_app(app)
    curation.init_app(app)
    watch.init_app(app)
    workspace.init_app(app)
    feeds.init_app(app)
    alerts.init_app(app)
    mail.init_app(app)
    commands.init_app(app)
    return app
