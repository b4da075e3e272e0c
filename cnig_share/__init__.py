"""CNIG Partage: the centre de ressources of the comités territoriaux de la donnée."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from cnig_share import (
    accounts,
    admin,
    alerts,
    api,
    backup,
    config,
    consultations,
    ctds,
    curation,
    discussions,
    feeds,
    following,
    glossary,
    invitations,
    legal,
    membership,
    proconnect,
    resources,
    routing,
    search,
    statistics,
    usefulness,
    watch,
    widget,
    workspace,
)
from cnig_share.routing import PublicUrlFlask

PACKAGE_DIR = Path(__file__).resolve().parent


def _asset_folder(name: str) -> str:
    """templates/ and static/ sit beside the package in a checkout and inside it in a wheel."""
    inside = PACKAGE_DIR / name
    return str(inside if inside.is_dir() else PACKAGE_DIR.parent / name)


def create_app(
    test_config: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    served_at: str | None = None,
) -> Flask:
    """Build the application: settings, extensions, template helpers, then each domain.

    `served_at` is the address the development server listens on (`cnig-share run`):
    in development it is the site's PUBLIC_URL unless one was set."""
    # Imported here, not above: the text-extraction child process imports this
    # package and must not pay for extensions, models and views (a second a file).
    # Domain packages are imported above: they import their modules in init_app.
    from cnig_share import (
        confirmation,
        conflicts,
        database,
        demo,
        errors,
        extensions,
        formatting,
        mail,
        markdown,
        pages,
        permissions,
        security,
    )

    environ = os.environ if environ is None else environ
    app = _new_app(config.instance_path(environ))
    config.load(app, environ, test_config, served_at)
    _trust_proxies(app)
    routing.init_app(app)
    security.init_app(app)
    extensions.init_app(app)
    errors.init_app(app)
    conflicts.init_app(app)
    # What every template may use; `permissions` answers which buttons to show.
    formatting.init_app(app)
    markdown.init_app(app)
    app.jinja_env.globals["permissions"] = permissions
    # …and `confirmations` what a destructive button asks (confirmation.py).
    app.jinja_env.globals["confirmations"] = confirmation
    # Each domain registers its blueprints, commands and hooks.
    accounts.init_app(app)
    proconnect.init_app(app)
    admin.init_app(app)
    invitations.init_app(app)
    pages.init_app(app)
    legal.init_app(app)
    resources.init_app(app)
    search.init_app(app)
    api.init_app(app)
    ctds.init_app(app)
    membership.init_app(app)
    glossary.init_app(app)
    curation.init_app(app)
    watch.init_app(app)
    workspace.init_app(app)
    widget.init_app(app)
    discussions.init_app(app)
    consultations.init_app(app)
    feeds.init_app(app)
    alerts.init_app(app)
    following.init_app(app)
    usefulness.init_app(app)
    statistics.init_app(app)
    mail.init_app(app)
    database.init_app(app)
    backup.init_app(app)
    demo.init_app(app)
    return app


def _new_app(instance: str) -> Flask:
    """The Flask object, its instance folder created, templates and assets found."""
    os.makedirs(instance, exist_ok=True)
    return PublicUrlFlask(
        __name__,
        instance_path=instance,
        instance_relative_config=True,
        template_folder=_asset_folder("templates"),
        static_folder=_asset_folder("static"),
    )


def _trust_proxies(app: Flask) -> None:
    """Read X-Forwarded-* only from the PROXY_COUNT proxies in front of the site."""
    if app.config["PROXY_COUNT"]:
        hops = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
