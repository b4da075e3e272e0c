"""Fixtures: an app per test on its own database, on SQLite and, when
CNIG_SHARE_TEST_DATABASE_URL is set, on PostgreSQL too. The schema, reference rows
and empty index are built once per session and copied or restored for each test
(tests/databases.py); under pytest-xdist each worker has its own databases."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from cnig_share import create_app
from cnig_share.accounts.services import create_user
from cnig_share.extensions import db
from cnig_share.models import User
from tests import databases, site_pages
from tests.databases import reset_database
from tests.mailbox import running_inbox
from tests.proconnect import running_provider
from tests.serving import serving
from tests.url_builders import SharedBuilderRule

WORKER = os.environ.get("PYTEST_XDIST_WORKER")
POSTGRES_BASE_URL = os.environ.get("CNIG_SHARE_TEST_DATABASE_URL")
POSTGRES_URL = databases.database_for_worker(POSTGRES_BASE_URL, WORKER)
REDIS_URL = databases.redis_for_worker(os.environ.get("CNIG_SHARE_TEST_REDIS_URL"), WORKER)
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])
PASSWORD = "correct horse battery staple"
TEST_HASH_METHOD = "scrypt:128:8:1"
CLAIMED = pytest.StashKey[sa.Connection]()
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
# A test asking for one of these gets its database as init-db leaves it; the others
# (migrations, init-db, restore) get an empty one.
APP_FIXTURES = {"app", "mailing_app"}
# Each app compiles every template it renders; the tests' hundreds of apps share that work.
COMPILED_TEMPLATES = databases.SharedTemplateCache()
# …and its URL builders, most of create_app's cost: compiled once per process too.
Flask.url_rule_class = SharedBuilderRule
SETTINGS = {
    "TESTING": True,
    "SEARCH_REINDEX_PROCS": 1,
    # Tests search far more often than a visitor: tests of the limit set their own.
    "SEARCH_RATE_LIMIT": "100000 per minute",
    # scrypt at a test's cost: the app's own (0.25 s a hash, and as long to check at
    # each sign-in) took most of the time of the tests that make or check passwords.
    # test_accounts checks that production keeps the full cost.
    "PASSWORD_HASH_METHOD": TEST_HASH_METHOD,
}


def pytest_sessionstart(session: pytest.Session) -> None:
    # CI names one database; each xdist worker makes its own beside it.
    if POSTGRES_URL:
        databases.create_database_if_missing(POSTGRES_URL)
        claimed = databases.claim(POSTGRES_URL)
        if claimed is None:
            pytest.exit(
                f"{POSTGRES_URL}: another test session is using this database; wait for it"
                " or give CNIG_SHARE_TEST_DATABASE_URL another name",
                returncode=pytest.ExitCode.USAGE_ERROR,
            )
        session.config.stash[CLAIMED] = claimed


def pytest_sessionfinish(session: pytest.Session) -> None:
    claimed = session.config.stash.get(CLAIMED, None)
    if claimed is not None:
        claimed.close()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests check pages and journeys, not queries: with PostgreSQL at hand they
    run on it alone, as the site is deployed, and every query is still tested on both
    backends by the other tests. (A journey on both took 20 to 35 s twice.) So do the
    tests marked `one_backend`, whose outcome no query decides (a rate limit held in
    Redis, an index rebuilt, Markdown's cost, an extraction process's limits)."""
    if len(BACKENDS) < 2:
        return
    kept, dropped = [], []
    for item in items:
        params = item.callspec.params if hasattr(item, "callspec") else {}
        on_sqlite = params.get("database_url") == "sqlite"
        one_backend = item.get_closest_marker("browser") or item.get_closest_marker("one_backend")
        (dropped if on_sqlite and one_backend else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> databases.Template:
    """A database file and an index as init-db leaves them, built once per session."""
    folder = tmp_path_factory.mktemp("template")
    database = folder / "template.db"
    settings = {**SETTINGS, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"}
    app = create_app(settings, environ={"CNIG_SHARE_INSTANCE_PATH": str(folder)})
    databases.close(databases.with_schema(app))
    return databases.Template(database, Path(app.config["INDEX_PATH"]))


@pytest.fixture(scope="session")
def postgres_template(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[databases.PostgresTemplate]:
    """The PostgreSQL rows and schema init-db leaves, read once per session."""
    assert POSTGRES_URL is not None
    reset_database(POSTGRES_URL)
    settings = {**SETTINGS, "SQLALCHEMY_DATABASE_URI": POSTGRES_URL}
    folder = tmp_path_factory.mktemp("postgres-template")
    app = create_app(settings, environ={"CNIG_SHARE_INSTANCE_PATH": str(folder)})
    databases.close(databases.with_schema(app))
    template = databases.PostgresTemplate(POSTGRES_URL)
    yield template
    template.close()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database of each backend under test: as init-db leaves it for a test of an
    app (APP_FIXTURES), empty for the others."""
    ready = not APP_FIXTURES.isdisjoint(request.fixturenames)
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.db'}"
        if ready:
            request.getfixturevalue("template").copy_database(url)
        return url
    assert POSTGRES_URL is not None
    if ready:
        request.getfixturevalue("postgres_template").restore()
    else:
        reset_database(POSTGRES_URL)
    return POSTGRES_URL


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
        config = {**SETTINGS, "SQLALCHEMY_DATABASE_URI": database_url, **settings}
        app = create_app(config, environ={"CNIG_SHARE_INSTANCE_PATH": str(instance_path)})
        app.jinja_env.bytecode_cache = COMPILED_TEMPLATES
        apps.append(app)
        return app

    yield factory
    for app in apps:
        databases.close(app)


@pytest.fixture
def app(make_app, template: databases.Template) -> Flask:
    """The app with its schema, reference data and index, as init-db leaves them."""
    app = make_app()
    template.copy_index(app)
    return app


@pytest.fixture
def mailing_app(make_app, inbox, template: databases.Template) -> Flask:
    """The app sending its mail to the loopback inbox, its links on a public address."""
    app = make_app(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=inbox[1], PUBLIC_URL="https://partage.example"
    )
    template.copy_index(app)
    return app


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
    with serving(app) as address:
        yield address


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, driven by Playwright (no browser is downloaded); one
    per test module, each `new_page()` being a fresh context (no shared cookies)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def oidc_issuer() -> Iterator[str]:
    """A ProConnect-like OpenID provider on loopback (tests/oidc/provider.mjs), one per
    test process; tests register their own client with it."""
    with running_provider() as issuer:
        yield issuer


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """The site as `init-db` then `seed-demo` leave it (tests/site_pages.py), served once
    per test process for every page scanned: (its address, the paths of `PAGES`' places).

    The scans check pages (width, axe, links), not queries, so they run on one backend:
    PostgreSQL when the suite has it, as the site is deployed, else SQLite; every query
    is tested on both by the function-scoped apps. PostgreSQL's demo has its own database
    beside the worker's, which those apps leave alone."""
    instance = tmp_path_factory.mktemp("demo-instance")
    if POSTGRES_URL is None:
        url = f"sqlite:///{instance / 'demo.db'}"
    else:
        url = databases.database_beside(POSTGRES_URL, "_demo")
        databases.create_database_if_missing(url)
        reset_database(url)
    with site_pages.demo_site(url, instance, PASSWORD, TEST_HASH_METHOD) as served:
        yield served
    if POSTGRES_URL is not None:
        reset_database(url)
