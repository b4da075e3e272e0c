"""Settings: defaults, then instance/config.py, then CNIG_SHARE_* variables.

The factory calls :func:`load` once; no other module reads the environment.
Flask's ``Config.from_prefixed_env`` reads ``os.environ`` only, while
``create_app`` takes the environment as a mapping (tests pass their own, so a
variable set in the developer's shell cannot change them), and the instance
folder must be known before the app exists: hence :func:`from_environment`,
which reads values the same way (JSON when they parse, a string otherwise).
"""

from __future__ import annotations

import copy
import json
import os
import secrets
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Config, Flask

ENV_PREFIX = "CNIG_SHARE"
INSTANCE_PATH_VARIABLE = f"{ENV_PREFIX}_INSTANCE_PATH"
SECRET_KEY_FILE = "secret_key"


class ConfigurationError(RuntimeError):
    """A setting that makes the site unsafe or unable to start."""


def instance_path(environ: Mapping[str, str]) -> str:
    """Where runtime data lives: CNIG_SHARE_INSTANCE_PATH or ./instance."""
    return os.path.abspath(environ.get(INSTANCE_PATH_VARIABLE) or "instance")


# Safe development defaults, every one overridable. The paths inside the
# instance folder come from `instance_defaults`.
DEFAULTS: Mapping[str, Any] = {
    "ENV": "development",
    "SECRET_KEY": None,
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    # The site's public address, for every absolute link (emails, feeds, API,
    # exports). Left as is in development, `cnig-share run` replaces it by the
    # address it serves (config.follow_server).
    "PUBLIC_URL": "http://127.0.0.1:5000",
    # Seconds a writer waits for another process's index lock before
    # leaving its update in the outbox for the next writer.
    "SEARCH_WRITE_TIMEOUT": 5.0,
    "SEARCH_REINDEX_PROCS": 2,
    # Postings a rebuilding process sorts in memory (Whoosh's estimate, in MB) before
    # spilling them to disk (pickled, then merged): at 128 that was a third of a
    # content-heavy rebuild. About 900 MB resident per process for 5,000 such documents.
    "SEARCH_REINDEX_MEMORY_MB": 1024,
    # The outbox applier: seconds per call, and failures before a row is set aside.
    "SEARCH_OUTBOX_BUDGET": 10.0,
    "SEARCH_OUTBOX_MAX_ATTEMPTS": 5,
    # …and seconds of it that a writer's own request spends after its commit.
    "SEARCH_AFTER_WRITE_BUDGET": 2.0,
    # Inside a visitor's request, catching up is a small, bounded chore.
    "SEARCH_CATCH_UP_ROWS": 50,
    "SEARCH_CATCH_UP_BUDGET": 0.5,
    # What one search may cost: quoted phrases and words (clauses) kept, and
    # seconds of evaluation before answering with what was found (partial).
    # 45 quoted pairs of common words took 10.8 s at 10,000 resources.
    "SEARCH_MAX_PHRASES": 4,
    "SEARCH_MAX_TERMS": 24,
    "SEARCH_DEADLINE": 2.0,
    # Searches (page, htmx block, API, search feed) per client address.
    "SEARCH_RATE_LIMIT": "60 per minute",
    # Searches without results: days kept, and distinct queries counted per day.
    "SEARCH_MISSES_DAYS": 90,
    "SEARCH_MISSES_PER_DAY": 500,
    # Distinct words counted a day for the most searched words (/statistiques).
    "SEARCHED_WORDS_PER_DAY": 1000,
    "SEARCHED_WORDS_FLUSH": 10.0,  # seconds a process adds up searched words before writing
    # Months after publication before curators are asked to check a resource.
    "REVIEW_AFTER_MONTHS": 18,
    # CPU seconds a Markdown text may take to render when it is saved; a
    # text that takes longer is refused (markdown.py).
    "MARKDOWN_RENDER_BUDGET": 0.5,
    # One request may carry several attachments, each within its own limit.
    "ATTACHMENT_MAX_SIZE": 25 * 1024 * 1024,
    # Seconds a shared cache may serve a published attachment before asking
    # again (a 304 when unchanged): an archived file stops being served after it.
    "ATTACHMENT_CACHE_SECONDS": 60,
    "MAX_CONTENT_LENGTH": 105 * 1024 * 1024,
    # API bodies other than attachment uploads: JSON is parsed whole in memory.
    "MAX_JSON_BYTES": 2 * 1024 * 1024,
    # Comparing two revisions runs in the request of any visitor: beyond
    # these sizes both versions are shown side by side instead of a diff.
    "REVISION_DIFF_MAX_LINES": 1000,
    "REVISION_DIFF_MAX_CHARS": 200_000,
    # Text extraction, by `cnig-share worker`: jobs at once, and what one
    # file may cost its child process (wall-clock and CPU seconds, memory).
    "EXTRACTION_CONCURRENCY": 1,
    "EXTRACTION_TIMEOUT": 60,
    "EXTRACTION_CPU_SECONDS": 30,
    "EXTRACTION_MEMORY_MB": 512,
    # What a DOCX or OpenDocument archive may hold, checked before reading
    # and while reading (decompression bombs).
    "EXTRACTION_MAX_MEMBERS": 5000,
    "EXTRACTION_MAX_MEMBER_BYTES": 50 * 1024 * 1024,
    "EXTRACTION_MAX_INFLATED_BYTES": 100 * 1024 * 1024,
    "EXTRACTION_MAX_RATIO": 100,
    # PDF: pages, and decoded content per page and in all (reading text
    # costs about a second of CPU per decoded megabyte).
    "EXTRACTION_MAX_PDF_PAGES": 2000,
    "EXTRACTION_MAX_PDF_PAGE_BYTES": 5 * 1024 * 1024,
    "EXTRACTION_MAX_PDF_BYTES": 20 * 1024 * 1024,
    # Email: SMTP when MAIL_SERVER is set. Without it, a development server prints each
    # message, decoded, on standard error; in production it is not sent and a warning
    # is logged (mail.send).
    "MAIL_SERVER": None,
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": False,
    "MAIL_USE_SSL": False,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_FROM": "CNIG Partage <ne-pas-repondre@cnig-partage.fr>",
    "REDIS_URL": None,
    # Reverse proxies in front of the site that set X-Forwarded-For/-Proto/-Host
    # (0: none; the headers are then ignored, as anyone could send them).
    "PROXY_COUNT": 0,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
    # Werkzeug's method for new password hashes: scrypt at its full cost (a quarter
    # of a second a hash on a small server). The tests lower it, never production.
    "PASSWORD_HASH_METHOD": "scrypt",
    # Failed sign-ins per (address typed, client) and per client…
    "LOGIN_RATE_LIMIT": "10 per minute",
    # …and per address typed from all clients together, far higher so
    # that a stranger cannot lock the owner out.
    "LOGIN_ACCOUNT_RATE_LIMIT": "100 per hour",
    # Password reset: how long a link stays valid (seconds), and how many
    # requests the form takes per client address and per email address.
    "PASSWORD_RESET_MAX_AGE": 3600,
    "PASSWORD_RESET_RATE_LIMIT": "5 per hour",
    # Invitations: how long a link stays valid (seconds), and how many
    # invitation emails (new or sent again) one person may send, counted in
    # Redis when REDIS_URL is set, else in the database (never per worker).
    "INVITATION_MAX_AGE": 14 * 24 * 3600,
    "INVITATION_RATE_LIMIT": "50 per day",
    # Alert confirmations one email address may receive a day, whoever asks.
    "ALERT_CONFIRMATIONS_PER_DAY": 3,
    # Days before a consultation closes on which `consultations remind` writes to
    # the CTDs that have not answered: each once per closing date.
    "CONSULTATION_REMINDER_DAYS": [14, 3],
    # Requests to join a CTD one account may send, counted in the database (so
    # across workers); and days after a decline before that CTD may be asked again.
    "JOIN_REQUEST_RATE_LIMIT": "5 per day",
    "JOIN_REQUEST_RETRY_DAYS": 30,
    # Discussion messages and reports one account may send, counted in Redis
    # when REDIS_URL is set, else in the database (never per worker).
    "MESSAGE_RATE_LIMIT": "20 per hour",
    # Defaults offered when a CTD records a year of running costs.
    "COST_DAY_RATE_EUR": 450,
    "COST_DAYS_PER_FTE": 220,
    # A stale form's 409 page compares each text with the saved one, line by
    # line, over this many characters at most (the rest is shown, not compared).
    "CONFLICT_DIFF_MAX_CHARS": 20_000,
    # Writes through the API, per token.
    "API_WRITE_RATE_LIMIT": "120 per minute",
    # ProConnect (OpenID Connect) sign-in: shown and served only when the
    # discovery URL is set (README, *ProConnect*).
    "PROCONNECT_DISCOVERY_URL": None,
    "PROCONNECT_CLIENT_ID": None,
    "PROCONNECT_CLIENT_SECRET": None,
    "PROCONNECT_SCOPES": "openid email given_name usual_name uid siret idp_id",
    "PROCONNECT_ACR_VALUES": "eidas1",
    # How the site proves itself at ProConnect's token endpoint: ProConnect takes
    # the client id and secret in the form body (client_secret_post), not in an
    # Authorization header (client_secret_basic, the OpenID default).
    "PROCONNECT_TOKEN_AUTH_METHOD": "client_secret_post",
    # Seconds the site waits for ProConnect at each call before giving up.
    "PROCONNECT_TIMEOUT": 10,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_SECURE": False,
    "HSTS": False,
    "WTF_CSRF_TIME_LIMIT": None,
    # WTForms' own French messages (Meta.locales), without Flask-Babel.
    "WTF_I18N_ENABLED": False,
    "SITE_NAME": "CNIG Partage",
    # Who runs the site: the controller named on the legal pages (mentions
    # légales, données personnelles, accessibility feedback), how to reach them
    # (an email address or a web address), and the hosting provider.
    # Who may frame the widget's pages (/widget/…) in an <iframe>: "*" (any
    # site, the default), or web origins separated by spaces. Every other page
    # refuses to be framed.
    "WIDGET_FRAME_ANCESTORS": "*",
    "OPERATOR_NAME": "Conseil national de l'information géolocalisée (CNIG)",
    "OPERATOR_CONTACT": None,
    "HOSTING_PROVIDER": None,
}


def instance_defaults(instance: str) -> dict[str, str]:
    """The database, the search index and the uploads, inside the instance folder."""
    return {
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + os.path.join(instance, "cnig_share.db"),
        "INDEX_PATH": os.path.join(instance, "index"),
        "UPLOAD_PATH": os.path.join(instance, "uploads"),
    }


# What production changes when the value is still the development default.
PRODUCTION = {
    "SESSION_COOKIE_SECURE": True,
    "REMEMBER_COOKIE_SECURE": True,
    "HSTS": True,
    "PREFERRED_URL_SCHEME": "https",
}


def load(
    app: Flask,
    environ: Mapping[str, str],
    test_config: Mapping[str, Any] | None,
    served_at: str | None = None,
) -> None:
    """Fill ``app.config`` in precedence order and check it is safe to run."""
    # Copied: a nested default (engine options) must not be shared between apps.
    base = {**copy.deepcopy(DEFAULTS), **instance_defaults(app.instance_path)}
    app.config.from_mapping(base)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(from_environment(environ))
    if test_config is not None:
        app.config.from_mapping(test_config)

    if app.config["ENV"] == "production":
        _harden(app.config, base)
    else:
        follow_server(app.config, base, served_at)
        if not app.config["SECRET_KEY"]:
            app.config["SECRET_KEY"] = _development_secret_key(app.instance_path)

    if app.config["REDIS_URL"] and app.config["RATELIMIT_STORAGE_URI"] == "memory://":
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"]


def _harden(config: Config, base: Mapping[str, Any]) -> None:
    """Production: secure defaults, trusted hosts, and a secret key or no start."""
    # Hardening replaces the development defaults (ours, or Flask's), not a
    # value someone chose.
    for key, value in PRODUCTION.items():
        if config.get(key) == base.get(key, Flask.default_config.get(key)):
            config[key] = value
    if not config.get("TRUSTED_HOSTS"):
        config["TRUSTED_HOSTS"] = trusted_hosts(config["PUBLIC_URL"])
    if not config["SECRET_KEY"]:
        raise ConfigurationError(
            "CNIG_SHARE_SECRET_KEY est obligatoire en production : définissez-la "
            "dans l'environnement ou dans instance/config.py (SECRET_KEY = '…')."
        )


def follow_server(config: Config, base: Mapping[str, Any], served_at: str | None) -> None:
    """Development: links name the address the server was started on, unless a
    PUBLIC_URL was chosen. Never a request's Host header, which anyone can forge."""
    if served_at and config["PUBLIC_URL"] == base["PUBLIC_URL"]:
        config["PUBLIC_URL"] = served_at


def server_address(host: str, port: int, https: bool = False) -> str:
    """The address to write in links for a server listening on host:port."""
    # A server listening on every interface is reached, from this machine, on loopback.
    host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    return f"{'https' if https else 'http'}://{host}:{port}"


def trusted_hosts(public_url: str | None) -> list[str] | None:
    """The Host headers production answers (any other gets a 400): PUBLIC_URL's
    host, and the loopback names a local health check or tool uses."""
    host = urlsplit(public_url or "").hostname
    return [host, "localhost", "127.0.0.1"] if host else None


def from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """CNIG_SHARE_X=value sets X; values are read as JSON when they parse."""
    prefix = f"{ENV_PREFIX}_"
    settings: dict[str, Any] = {}
    for name, raw in sorted(environ.items()):
        if not name.startswith(prefix) or name == INSTANCE_PATH_VARIABLE:
            continue
        try:
            settings[name.removeprefix(prefix)] = json.loads(raw)
        except ValueError:
            settings[name.removeprefix(prefix)] = raw
    return settings


def _development_secret_key(instance: str) -> str:
    """Generate the key once and keep it, so sessions survive a restart."""
    path = Path(instance, SECRET_KEY_FILE)
    if not path.exists():
        # Written aside then linked into place: a concurrent worker either
        # wins the link or reads the complete file of the one that did.
        fd, tmp = tempfile.mkstemp(dir=instance, prefix=".secret_key.")
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    return path.read_text().strip()
