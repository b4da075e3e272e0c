"""Fixtures: an app per test on a fresh database, on SQLite and, when
CNIG_SHARE_TEST_DATABASE_URL is set, on PostgreSQL too."""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from cnig_share import create_app
from cnig_share.accounts.services import create_user
from cnig_share.database import ensure_reference_data
from cnig_share.extensions import db
from cnig_share.models import User
from cnig_share.search import sync as search_sync
from tests.mailbox import running_inbox

POSTGRES_URL = os.environ.get("CNIG_SHARE_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])
PASSWORD = "correct horse battery staple"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def reset_database(url: str) -> None:
    """Leave the database empty: no tables, no Alembic version."""
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each backend under test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    assert POSTGRES_URL is not None
    reset_database(POSTGRES_URL)
    yield POSTGRES_URL
    reset_database(POSTGRES_URL)


@pytest.fixture
def instance_path(tmp_path: Path) -> Path:
    path = tmp_path / "instance"
    path.mkdir()
    return path


@pytest.fixture
def make_app(instance_path: Path, database_url: str):
    """Build an app on the test instance folder, with extra settings."""
    apps: list[Flask] = []

    def factory(**settings) -> Flask:
        config = {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SEARCH_REINDEX_PROCS": 1,
            # Tests search far more often than a visitor: tests of the limit set their own.
            "SEARCH_RATE_LIMIT": "100000 per minute",
            **settings,
        }
        app = create_app(config, environ={"CNIG_SHARE_INSTANCE_PATH": str(instance_path)})
        apps.append(app)
        return app

    yield factory
    for app in apps:
        app.extensions["search"].close()
        thread = getattr(app.extensions["search"], "rebuild_thread", None)
        if thread is not None:
            thread.join(timeout=30)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def with_schema(app: Flask) -> Flask:
    """The app with its schema and reference data, as init-db leaves it."""
    with app.app_context():
        db.create_all()
        ensure_reference_data()
        search_sync.rebuild()
    return app


@pytest.fixture
def app(make_app) -> Flask:
    """The app with its schema and reference data, as init-db leaves it."""
    return with_schema(make_app())


@pytest.fixture
def mailing_app(make_app, inbox) -> Flask:
    """The app sending its mail to the loopback inbox, its links on a public address."""
    return with_schema(
        make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=inbox[1], PUBLIC_URL="https://partage.example")
    )


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def inbox():
    """A loopback SMTP server: (the messages it received, its port)."""
    with running_inbox() as (handler, port):
        yield handler, port


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'"X-CSRFToken": "([^"]+)"', html
    )
    assert match, "no CSRF token in the page"
    return match.group(1)


def without_tokens(html: str) -> str:
    """The page without its CSRF tokens, which are re-signed every second."""
    return re.sub(r'"X-CSRFToken": "[^"]+"|value="[^"]+"', "", html)


class AuthActions:
    """Sign in and out through the real forms, CSRF token included."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(self, email: str, password: str = PASSWORD, **kwargs):
        token = csrf_token_from(self._client.get("/connexion").get_data(as_text=True))
        data = {"email": email, "password": password, "csrf_token": token, **kwargs}
        return self._client.post("/connexion", data=data)

    def logout(self):
        token = csrf_token_from(self._client.get("/").get_data(as_text=True))
        return self._client.post("/deconnexion", data={"csrf_token": token})


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def make_user(app: Flask):
    """Create an account with PASSWORD; returns its email."""

    def factory(email: str, role: str = "member", ctds: tuple[str, ...] = (), **kw) -> str:
        with app.app_context():
            user: User = create_user(email, kw.pop("password", PASSWORD), role, ctds, **kw)
            db.session.commit()
            return user.email

    return factory


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The app served on a free loopback port for the length of a test."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    # Absolute links (feeds, API) come from PUBLIC_URL: the server's own address.
    app.config["PUBLIC_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, driven by Playwright (no browser is downloaded); one
    per test module, each `new_page()` being a fresh context (no shared cookies)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
