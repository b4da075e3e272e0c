"""Development as a newcomer meets it: mail printed readably on the console when no
MAIL_SERVER is set, and links that name the address the server was started on."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from cnig_share import create_app
from cnig_share.config import server_address
from tests import databases
from tests.conftest import SETTINGS, csrf_token_from

REPO = Path(__file__).resolve().parent.parent
CNIG_SHARE = Path(sys.executable).with_name("cnig-share")


def subscribe(client, email: str) -> None:
    page = client.get("/abonnement?q=toponymie")
    token = csrf_token_from(page.get_data(as_text=True))
    response = client.post(
        "/abonnement?q=toponymie", data={"csrf_token": token, "email": email, "period": "daily"}
    )
    assert response.status_code == 200


def test_without_mail_server_a_message_is_printed_readably_on_the_console(app, client, capfd):
    app.config["PUBLIC_URL"] = "http://127.0.0.1:5311"
    subscribe(client, "léa@exemple.fr")
    err = capfd.readouterr().err
    assert "Objet : Confirmez votre alerte CNIG Partage" in err
    assert "À : léa@exemple.fr" in err
    # The text decoded, accents included, and its link whole and followable.
    assert "Quelqu'un (vous, sans doute) a demandé à recevoir" in err
    link = re.search(r"http://127\.0\.0\.1:5311/abonnement/confirmer/\S+", err)
    assert link, err
    # Nothing of the transfer encodings a mail server would see.
    assert "Content-Transfer-Encoding" not in err and "=C3=A9" not in err
    confirm = client.get(link.group(0).removeprefix("http://127.0.0.1:5311"))
    assert confirm.status_code == 200


def test_in_production_without_mail_server_nothing_is_printed(app, make_app, template, capfd):
    # `app` readies the database; this one runs on it as production would.
    app = make_app(ENV="production", SECRET_KEY="x" * 32, PUBLIC_URL="https://partage.example")
    template.copy_index(app)
    production = app.test_client()
    url = "https://partage.example/abonnement?q=toponymie"
    token = csrf_token_from(production.get(url).get_data(as_text=True))
    response = production.post(
        url,
        data={"csrf_token": token, "email": "lea@exemple.fr", "period": "daily"},
        headers={"Referer": url},  # Flask-WTF's HTTPS check
    )
    assert response.status_code == 200
    assert "Objet :" not in capfd.readouterr().err


def test_development_links_follow_the_address_the_server_was_started_on(
    app, database_url, template, tmp_path
):
    # `app` readies the database; this one is built as `cnig-share run --port 5311` builds it.
    environ = {"CNIG_SHARE_INSTANCE_PATH": str(tmp_path)}
    settings = {**SETTINGS, "SQLALCHEMY_DATABASE_URI": database_url}
    served = create_app(settings, environ=environ, served_at="http://127.0.0.1:5311")
    template.copy_index(served)
    assert served.config["PUBLIC_URL"] == "http://127.0.0.1:5311"
    client = served.test_client()
    forged = {"Host": "evil.example:5000"}  # a forged Host header changes nothing
    spec = client.get("/api/v1/openapi.json", headers=forged).get_json()
    assert spec["servers"] == [{"url": "http://127.0.0.1:5311/api/v1"}]
    for path, expected in [
        ("/api/", "http://127.0.0.1:5311/api/v1/"),  # the guide's curl examples
        ("/glossaire/donnee-ouverte", "http://127.0.0.1:5311/glossaire/donnee-ouverte"),
        ("/flux/relais.atom", "http://127.0.0.1:5311/relais/"),
    ]:
        page = client.get(path, headers=forged).get_data(as_text=True)
        assert expected in page, path
        assert ":5000" not in page and "evil.example" not in page, path
    databases.close(served)


def test_a_chosen_public_url_wins_over_the_server_address(tmp_path):
    environ = {
        "CNIG_SHARE_INSTANCE_PATH": str(tmp_path),
        "CNIG_SHARE_PUBLIC_URL": "https://partage.example",
    }
    app = create_app(SETTINGS, environ=environ, served_at="http://127.0.0.1:5311")
    assert app.config["PUBLIC_URL"] == "https://partage.example"


def test_production_never_takes_the_server_address(tmp_path):
    environ = {"CNIG_SHARE_INSTANCE_PATH": str(tmp_path)}
    settings = {**SETTINGS, "ENV": "production", "SECRET_KEY": "x" * 32}
    app = create_app(settings, environ=environ, served_at="http://127.0.0.1:5311")
    assert app.config["PUBLIC_URL"] == "http://127.0.0.1:5000"


@pytest.mark.parametrize(
    ("host", "port", "https", "expected"),
    [
        ("127.0.0.1", 5311, False, "http://127.0.0.1:5311"),
        ("localhost", 8000, False, "http://localhost:8000"),
        ("0.0.0.0", 5000, False, "http://127.0.0.1:5000"),  # every interface: loopback
        ("::", 5000, False, "http://[::1]:5000"),
        ("::1", 5000, True, "https://[::1]:5000"),
    ],
)
def test_server_address_names_a_reachable_host(host, port, https, expected):
    assert server_address(host, port, https) == expected


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
def test_cnig_share_run_on_another_port_puts_that_port_in_emails_and_the_api(tmp_path):
    """`cnig-share run --port N` as `make run PORT=N` starts it: the confirmation email
    printed on the console and the OpenAPI servers both name port N."""
    environ = {key: value for key, value in os.environ.items() if not key.startswith("CNIG_SHARE_")}
    environ["CNIG_SHARE_INSTANCE_PATH"] = str(tmp_path)
    subprocess.run([CNIG_SHARE, "init-db"], env=environ, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [CNIG_SHARE, "run", "--port", str(port)],
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        spec = urllib.request.Request(base + "/api/v1/openapi.json", headers={"Host": "x:5000"})
        assert f'"url":"{base}/api/v1"' in urllib.request.urlopen(spec).read().decode().replace(
            " ", ""
        )
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        page = opener.open(base + "/abonnement?q=toponymie").read().decode()
        data = urllib.parse.urlencode(
            {"csrf_token": csrf_token_from(page), "email": "lea@exemple.fr", "period": "daily"}
        ).encode()
        opener.open(base + "/abonnement?q=toponymie", data=data).read()
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert "Objet : Confirmez votre alerte CNIG Partage" in err
    assert re.search(rf"{re.escape(base)}/abonnement/confirmer/\S+", err), err
    assert ":5000" not in err.split("Objet :", 1)[1]
