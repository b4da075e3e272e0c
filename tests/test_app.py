"""The application factory, settings, security headers and error pages."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from flask import url_for
from werkzeug.exceptions import HTTPException

from cnig_share import create_app
from cnig_share.config import ConfigurationError

ROOT = Path(__file__).resolve().parent.parent


def test_settings_precedence_defaults_file_environment_test_config(tmp_path):
    instance = tmp_path / "inst"
    instance.mkdir()
    (instance / "config.py").write_text(
        "SITE_NAME = 'Depuis le fichier'\nLOGIN_RATE_LIMIT = '5 per minute'\n"
        "MAX_CONTENT_LENGTH = 1000\n"
    )
    environ = {
        "CNIG_SHARE_INSTANCE_PATH": str(instance),
        "CNIG_SHARE_LOGIN_RATE_LIMIT": "7 per minute",
        "CNIG_SHARE_MAX_CONTENT_LENGTH": "2000",
    }
    app = create_app({"MAX_CONTENT_LENGTH": 3000}, environ=environ)

    assert app.instance_path == str(instance)
    assert app.config["SITE_NAME"] == "Depuis le fichier"  # file over default
    assert app.config["LOGIN_RATE_LIMIT"] == "7 per minute"  # environment over file
    assert app.config["MAX_CONTENT_LENGTH"] == 3000  # test config over environment
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'cnig_share.db'}"


def test_environment_values_are_read_as_json(tmp_path):
    environ = {"CNIG_SHARE_INSTANCE_PATH": str(tmp_path), "CNIG_SHARE_MAX_CONTENT_LENGTH": "42"}
    assert create_app(environ=environ).config["MAX_CONTENT_LENGTH"] == 42


def test_instance_folder_defaults_to_instance_in_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = create_app(environ={})
    assert app.instance_path == str(tmp_path / "instance")
    assert (tmp_path / "instance").is_dir()


def test_development_secret_key_is_generated_once_and_kept(tmp_path):
    environ = {"CNIG_SHARE_INSTANCE_PATH": str(tmp_path)}
    first = create_app(environ=environ).config["SECRET_KEY"]
    second = create_app(environ=environ).config["SECRET_KEY"]
    assert first == second
    assert len(first) >= 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_production_without_secret_key_refuses_to_start(tmp_path):
    environ = {"CNIG_SHARE_INSTANCE_PATH": str(tmp_path), "CNIG_SHARE_ENV": "production"}
    with pytest.raises(ConfigurationError, match="CNIG_SHARE_SECRET_KEY"):
        create_app(environ=environ)
    assert not (tmp_path / "secret_key").exists()


def test_production_turns_on_secure_cookies_and_hsts(tmp_path):
    environ = {
        "CNIG_SHARE_INSTANCE_PATH": str(tmp_path),
        "CNIG_SHARE_ENV": "production",
        "CNIG_SHARE_SECRET_KEY": "s" * 64,
        "CNIG_SHARE_SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}",
    }
    app = create_app(environ=environ)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    response = app.test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_production_builds_https_links_outside_a_request(tmp_path):
    environ = {
        "CNIG_SHARE_INSTANCE_PATH": str(tmp_path),
        "CNIG_SHARE_ENV": "production",
        "CNIG_SHARE_SECRET_KEY": "s" * 64,
        "CNIG_SHARE_PUBLIC_URL": "null",
        "CNIG_SHARE_SERVER_NAME": "partage.example",
    }
    with create_app(environ=environ).app_context():
        assert url_for("pages.home", _external=True) == "https://partage.example/"


def test_only_the_environment_given_to_the_factory_is_read(tmp_path, monkeypatch):
    """A variable in the developer's shell cannot change an app given its own environment."""
    monkeypatch.setenv("CNIG_SHARE_SITE_NAME", "Depuis le shell")
    app = create_app(environ={"CNIG_SHARE_INSTANCE_PATH": str(tmp_path)})
    assert app.config["SITE_NAME"] == "CNIG Partage"
    assert "INSTANCE_PATH" not in app.config


def test_redis_url_moves_rate_limits_to_redis(tmp_path):
    environ = {
        "CNIG_SHARE_INSTANCE_PATH": str(tmp_path),
        "CNIG_SHARE_REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    assert create_app(environ=environ).config["RATELIMIT_STORAGE_URI"] == (
        "redis://127.0.0.1:6379/0"
    )


# SPEC §5 and §6, and one route of each module that adds routes to a blueprint
# defined elsewhere (resources/history.py, api/*.py).
SPEC_ROUTES = [
    ("GET", "/"),
    ("GET", "/recherche"),
    ("GET", "/ressources/1"),
    ("GET", "/ressources/1-un-titre"),
    ("GET", "/ressources/1/historique"),
    ("GET", "/glossaire/"),
    ("GET", "/glossaire/donnee-ouverte"),
    ("GET", "/ctd/"),
    ("GET", "/ctd/bretagne"),
    ("GET", "/ctd/bretagne/membres"),
    ("GET", "/connexion"),
    ("POST", "/connexion"),
    ("POST", "/deconnexion"),
    ("GET", "/flux/ressources.atom"),
    ("GET", "/curation/"),
    ("GET", "/glossaire.ttl"),
    ("GET", "/glossaire.jsonld"),
    ("GET", "/healthz"),
    ("GET", "/api/"),
    ("GET", "/api/v1/search"),
    ("GET", "/api/v1/resources/1"),
    ("GET", "/api/v1/glossary"),
    ("GET", "/api/v1/ctds"),
    ("POST", "/api/v1/resources"),
    ("PATCH", "/api/v1/resources/1"),
    ("POST", "/api/v1/resources/1/attachments"),
    ("POST", "/api/v1/resources/1/submit"),
    ("POST", "/api/v1/resources/1/publish"),
    ("POST", "/api/v1/resources/1/return"),
    ("POST", "/api/v1/resources/1/archive"),
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/api/v1/ctds/bretagne/projects"),
    ("GET", "/api/v1/costs"),
    # §12: map, fact sheets, widget.
    ("GET", "/ctd/carte"),
    ("GET", "/ctd/bretagne/fiche.pdf"),
    ("GET", "/ctd/fiche.pdf"),
    ("GET", "/widget/ctd/bretagne"),
    ("GET", "/widget/recherche"),
]


def test_every_spec_route_is_registered(make_app):
    router = make_app().url_map.bind("localhost")
    missing = []
    for method, path in SPEC_ROUTES:
        try:
            router.match(path, method=method)
        except HTTPException:
            missing.append(f"{method} {path}")
    assert missing == []


def test_extraction_process_imports_no_extension_model_or_view():
    """The factory imports the heavy modules when it runs: each file's child
    process, which imports this package, starts in a tenth of a second."""
    code = (
        "import sys, cnig_share.resources.extraction\n"
        "print(sorted(m for m in sys.modules if m.startswith(('flask_', 'whoosh', 'sqlalchemy',"
        " 'cnig_share.models', 'cnig_share.extensions')) or m.endswith('.views')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("path", ["/", "/ctd/", "/connexion", "/page-inexistante", "/healthz"])
def test_every_response_carries_security_headers(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers  # development


def test_pages_have_no_inline_script(client):
    html = client.get("/").get_data(as_text=True)
    scripts = html.split("<script")[1:]
    assert scripts, "the page loads its scripts"
    for script in scripts:  # each from a file of the site (vendor/, or app.js): none inline
        tag, body = script.split(">", 1)
        assert ' src="/static/' in tag and body.startswith("</script")


def test_unknown_page_is_a_french_404(client):
    response = client.get("/nulle-part")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Page non trouvée" in html
    assert '<html lang="fr"' in html
    assert "fr-header" in html


def test_a_conflict_is_a_french_409_titled_for_what_it_is(app):
    from flask import abort

    @app.post("/deja-fait")
    def already_done():
        abort(409, "Cette consultation est déjà ouverte.")

    app.config["WTF_CSRF_ENABLED"] = False
    response = app.test_client().post("/deja-fait")
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "<h1>Action impossible pour l'instant</h1>" in html.replace("&#39;", "'")
    assert "Cette consultation est déjà ouverte." in html and "Requête incorrecte" not in html


def test_api_errors_are_json(client):
    response = client.get("/api/v1/nulle-part")
    assert response.status_code == 404
    assert response.is_json
    assert response.get_json() == {
        "error": {"code": "not_found", "message": response.get_json()["error"]["message"]}
    }
    assert "introuvable" in response.get_json()["error"]["message"]


def test_unexpected_error_is_a_french_500_without_traceback(app):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Erreur inattendue" in html
    assert "secret internal detail" not in html
    assert "Traceback" not in html


def test_too_large_request_is_a_french_413(make_app):
    app = make_app(MAX_CONTENT_LENGTH=100)
    response = app.test_client().post("/connexion", data={"email": "x" * 500})
    assert response.status_code == 413
    assert "Fichier trop volumineux" in response.get_data(as_text=True)


def test_method_not_allowed_is_french(client):
    response = client.get("/deconnexion")
    assert response.status_code == 405
    assert "Méthode non autorisée" in response.get_data(as_text=True)


def test_healthz_answers_when_database_and_index_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "index": "ok"}


def test_healthz_reports_a_missing_index_and_rebuilds_it(app, client):
    import shutil

    index = app.extensions["search"]
    shutil.rmtree(index.path)
    index.forget()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["index"] == "unavailable"
    index.rebuild_thread.join(timeout=30)
    assert client.get("/healthz").status_code == 200


def test_healthz_reports_unavailable_database(make_app, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'absent' / 'x.db'}")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unavailable"


@pytest.mark.slow
def test_wheel_carries_templates_static_assets_and_migrations(tmp_path):
    assert (ROOT / "static/vendor/dsfr/dsfr.min.css").exists(), "run `make assets` first"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), "."],
        cwd=ROOT,
        check=True,
    )
    (wheel,) = tmp_path.glob("cnig_share-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in [
        "cnig_share/templates/base.html",
        "cnig_share/static/app.css",
        "cnig_share/static/vendor/dsfr/dsfr.min.css",
        "cnig_share/static/vendor/htmx/htmx.min.js",
        "cnig_share/migrations/env.py",
        "cnig_share/migrations/alembic.ini",
        "cnig_share/migrations/versions/0001_initial_schema.py",
        "cnig_share/data/regions-france.geojson",  # the CTD map's regions
        "cnig_share/static/vendor/dsfr/fonts/Marianne-Regular.woff",  # the fact sheets' font
    ]:
        assert expected in names, expected
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "cnig-share = cnig_share.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
