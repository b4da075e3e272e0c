"""Hostile input must cost little and change nothing (issue 14): bounded
diffs and JSON bodies, and what the site trusts (mail, JSON-LD contexts,
sign-in counters, the Host header, web addresses)."""

from __future__ import annotations

import http.client
import json
import re
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from cnig_share import create_app
from cnig_share.database import ensure_reference_data
from cnig_share.dates import today
from cnig_share.extensions import db
from cnig_share.models import ConfirmationCount, NationalActor, Resource, Revision
from tests import factories
from tests.budgets import loaded, on_cpu
from tests.conftest import PASSWORD, REDIS_URL, csrf_token_from, without_tokens


def similar_lines(count: int, place: str) -> str:
    """Lines that all differ but look alike: ndiff's worst case."""
    return "\n".join(
        f"Donnée territoriale n° {i * 7919 % count} du CTD {place}." for i in range(count)
    )


def published_with_two_revisions(app, old: str, new: str) -> tuple[int, int, int]:
    with app.app_context():
        resource_id = factories.resource(status="published", body=new)
        resource = db.session.get(Resource, resource_id)
        revisions = [Revision(resource=resource, title=resource.title, body=b) for b in (old, new)]
        db.session.add_all(revisions)
        db.session.commit()
        return resource_id, revisions[0].id, revisions[1].id


@pytest.mark.parametrize("count", [400, 700])
def test_comparing_long_similar_revisions_is_quick_for_a_visitor(app, client, count):
    resource_id, old, new = published_with_two_revisions(
        app, similar_lines(count, "Bretagne"), similar_lines(count, "Corse")
    )
    path = f"/ressources/{resource_id}/historique/comparer?de={old}&a={new}"
    response, seconds = on_cpu(lambda: client.get(path))
    assert seconds < loaded(2)
    assert response.status_code == 200
    assert "Retiré : " in response.get_data(as_text=True)


def test_revisions_past_the_cap_are_shown_side_by_side(app, client):
    app.config["REVISION_DIFF_MAX_LINES"] = 100
    resource_id, old, new = published_with_two_revisions(
        app,
        similar_lines(150, "Bretagne") + "\nAncienne fin.",
        similar_lines(150, "Corse") + "\nNouvelle fin.",
    )
    response = client.get(f"/ressources/{resource_id}/historique/comparer?de={old}&a={new}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "trop long pour être comparé" in html
    assert "Ancienne fin." in html and "Nouvelle fin." in html
    assert "Retiré : " not in html


# --- JSON bodies ------------------------------------------------------------------------

MEMBER = "membre@bretagne.example.org"


@pytest.fixture
def member_token(app, make_user) -> dict[str, str]:
    make_user(MEMBER, ctds=("bretagne",))
    result = app.test_cli_runner().invoke(args=["create-token", MEMBER])
    return {"Authorization": f"Bearer {result.output.strip()}"}


def json_of_size(size: int) -> bytes:
    """A valid resource record of exactly `size` bytes."""
    record = {"title": "Gros", "kind": "document", "ctd": "bretagne", "body": ""}
    padding = size - len(json.dumps(record).encode())
    return json.dumps({**record, "body": "x" * padding}).encode()


def test_a_json_body_past_its_limit_is_a_413_before_parsing(app, client, member_token):
    limit = app.config["MAX_JSON_BYTES"]
    response = client.post(
        "/api/v1/resources",
        data=json_of_size(limit + 1),
        content_type="application/json",
        headers=member_token,
    )
    assert response.status_code == 413
    error = response.get_json()["error"]
    assert error["code"] == "payload_too_large" and "Rien n'a été enregistré" in error["message"]
    with app.app_context():
        assert factories.count_resources() == 0


def post_chunked(server: str, path: str, body: bytes, headers: dict[str, str]):
    """POST through a real HTTP connection, chunked, without Content-Length."""
    connection = http.client.HTTPConnection(urlsplit(server).netloc, timeout=30)
    chunks = (body[i : i + 4096] for i in range(0, len(body), 4096))
    headers = {**headers, "Content-Type": "application/json"}
    connection.request("POST", path, body=chunks, headers=headers, encode_chunked=True)
    response = connection.getresponse()
    status, data = response.status, json.loads(response.read())
    connection.close()
    return status, data


def test_a_chunked_json_body_stops_at_the_limit(app, live_server, member_token):
    app.config["MAX_JSON_BYTES"] = 10_000
    status, data = post_chunked(
        live_server, "/api/v1/resources", json_of_size(10_001), member_token
    )
    assert status == 413 and data["error"]["code"] == "payload_too_large", data
    with app.app_context():
        assert factories.count_resources() == 0


def test_a_chunked_json_body_within_the_limit_is_read(app, live_server, member_token):
    app.config["MAX_JSON_BYTES"] = 10_000
    status, data = post_chunked(live_server, "/api/v1/resources", json_of_size(9_000), member_token)
    assert status == 201 and data["title"] == "Gros"


# --- one rule for web addresses ---------------------------------------------------------

CURATOR = "veille@cnig.example.org"
HOSTILE_URLS = [
    "javascript:alert(1)",
    "JavaScript://%0aalert(1)",
    "data:text/html,x",
    "https://",
    "http://:80/sans-hote",  # a port without a host passed the old form and API rules
    "https://exemple.fr/\x7f\x1b[2J",  # control characters passed them too
]


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_workspace_import_refuses_an_actor_website_that_is_not_web(
    app, runner, tmp_path, make_user, url
):
    make_user(CURATOR, role="curator")
    path = tmp_path / "espace.jsonl"
    lines = [
        {"kind": "actor", "name": "Cerema", "type": "etat", "website": "https://www.cerema.fr"},
        {"kind": "actor", "name": "Piège", "type": "etat", "website": url},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    result = runner.invoke(args=["workspace", "import", str(path), "--as", CURATOR])
    assert result.exit_code == 1
    assert "line 2: website: adresse web complète attendue" in result.stderr
    with app.app_context():
        assert db.session.scalar(select(func.count(NationalActor.id))) == 0


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_the_actor_form_refuses_an_address_that_is_not_web(app, client, auth, make_user, url):
    make_user(CURATOR, role="curator")
    auth.login(CURATOR)
    page = client.get("/acteurs/nouveau").get_data(as_text=True)
    data = {"csrf_token": csrf_token_from(page), "name": "Piège", "type": "etat", "website": url}
    response = client.post("/acteurs/nouveau", data=data)
    assert response.status_code == 422
    assert "commençant par https://" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_the_api_refuses_a_link_that_is_not_web(app, client, member_token, url):
    record = {"title": "Liens", "kind": "document", "ctd": "bretagne"}
    record["links"] = [{"title": "Piège", "url": url}]
    response = client.post("/api/v1/resources", json=record, headers=member_token)
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"][0]["field"] == "links"
    with app.app_context():
        assert factories.count_resources() == 0


# --- sign-in failures -------------------------------------------------------------------

OWNER = "proprietaire@exemple.fr"


def sign_in_from(app, address: str, email: str, password: str) -> int:
    """One sign-in attempt from its own client address; the status."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    token = csrf_token_from(client.get("/connexion").get_data(as_text=True))
    data = {"email": email, "password": password, "csrf_token": token}
    return client.post("/connexion", data=data).status_code


def test_a_strangers_failures_do_not_lock_the_owner_out(app, make_user):
    make_user(OWNER)
    stranger, owner = "203.0.113.66", "198.51.100.7"
    assert [sign_in_from(app, stranger, OWNER, "devine") for _ in range(10)] == [422] * 10
    assert sign_in_from(app, stranger, OWNER, PASSWORD) == 429
    assert sign_in_from(app, owner, OWNER, PASSWORD) == 303


def test_failures_from_many_clients_meet_the_far_higher_account_limit(app, make_user):
    make_user(OWNER)
    app.config["LOGIN_ACCOUNT_RATE_LIMIT"] = "30 per hour"
    statuses = [sign_in_from(app, f"192.0.2.{n}", OWNER, "devine") for n in range(1, 31)]
    assert statuses == [422] * 30
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    token = csrf_token_from(client.get("/connexion").get_data(as_text=True))
    data = {"email": OWNER, "password": PASSWORD, "csrf_token": token}
    response = client.post("/connexion", data=data)
    assert response.status_code == 429
    assert "réinitialiser votre mot de passe" in response.get_data(as_text=True)


# --- the Host header --------------------------------------------------------------------

PUBLIC = "https://partage.example.org"


def test_feed_and_api_links_ignore_a_forged_host(make_app):
    app = make_app(PUBLIC_URL=PUBLIC)
    with app.app_context():
        db.create_all()
        ensure_reference_data()
        resource_id = factories.resource(title="Lien sûr", status="published")
    client = app.test_client()
    forged = {"Host": "evil.example"}

    feed = client.get("/flux/ressources.atom?kind=bonne-pratique", headers=forged)
    atom = feed.get_data(as_text=True)
    assert feed.status_code == 200 and "evil.example" not in atom
    assert f'href="{PUBLIC}/flux/ressources.atom?kind=bonne-pratique"' in atom
    assert f"{PUBLIC}/ressources/{resource_id}" in atom

    api = client.get(f"/api/v1/resources/{resource_id}", headers=forged)
    assert api.get_json()["url"].startswith(f"{PUBLIC}/ressources/{resource_id}")
    listing = client.get("/api/v1/resources?per_page=1", headers=forged).get_data(as_text=True)
    ctds = client.get("/api/v1/ctds", headers=forged).get_data(as_text=True)
    assert "evil.example" not in listing + ctds and f"{PUBLIC}/ctd/bretagne" in ctds


def test_production_answers_a_forged_host_with_a_400(tmp_path):
    environ = {
        "CNIG_SHARE_INSTANCE_PATH": str(tmp_path),
        "CNIG_SHARE_ENV": "production",
        "CNIG_SHARE_SECRET_KEY": "s" * 64,
        "CNIG_SHARE_PUBLIC_URL": PUBLIC,
        "CNIG_SHARE_SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}",
    }
    client = create_app(environ=environ).test_client()
    forged = client.get("/connexion", headers={"Host": "evil.example"})
    assert forged.status_code == 400
    assert "Requête incorrecte" in forged.get_data(as_text=True)
    api = client.get("/api/v1/ctds", headers={"Host": "evil.example"})
    assert api.status_code == 400
    assert client.get("/connexion", headers={"Host": "partage.example.org"}).status_code == 200


# --- alert confirmations ----------------------------------------------------------------


@pytest.fixture
def mailing_app(make_app, inbox):
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=inbox[1], PUBLIC_URL=PUBLIC)
    with app.app_context():
        db.create_all()
        ensure_reference_data()
    return app


def ask_for_alert(app, email: str, query: dict, address: str = "192.0.2.1"):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    page = client.get("/abonnement", query_string=query).get_data(as_text=True)
    data = {"csrf_token": csrf_token_from(page), "email": email, "period": "weekly"}
    return client.post("/abonnement", query_string=query, data=data)


def test_the_confirmation_echoes_only_a_short_safe_label(mailing_app, inbox):
    query = {
        "q": "Gagnez\r\n\r\nun prix sur https://evil.example/x ou www.evil.example, "
        "écrivez à gain@evil.example\u2028 ou evil.example " + "toponymie " * 20,
        "kind": ["bonne-pratique", "<script>"],
        "ctd": ["bretagne", "http://evil.example"],
    }
    assert ask_for_alert(mailing_app, "cible@exemple.fr", query).status_code == 200
    [message] = inbox[0].take()
    body = message.get_content()
    assert "evil" not in body and "<script>" not in body and "\u2028" not in body
    [link] = re.findall(r"\S*://\S*", body)
    assert link.startswith(f"{PUBLIC}/abonnement/confirmer/")
    [label_line] = [line for line in body.splitlines() if "la recherche" in line]
    assert "« Gagnez un prix sur ou écrivez à ou toponymie" in label_line
    words = re.search(r"« (.*?) »", label_line).group(1)
    assert len(words) <= 62 and words.endswith("…")
    assert "type : Bonne pratique ; CTD : CTD Bretagne." in body
    assert "\n\nun prix" not in body


def test_confirmations_to_one_address_are_capped_per_day_without_telling(mailing_app, inbox):
    answers = [
        ask_for_alert(mailing_app, "cible@exemple.fr", {"q": f"sujet {n}"}, f"192.0.2.{n}")
        for n in range(1, 6)
    ]
    assert [answer.status_code for answer in answers] == [200] * 5
    assert len({without_tokens(answer.get_data(as_text=True)) for answer in answers}) == 1
    assert len(inbox[0].take()) == mailing_app.config["ALERT_CONFIRMATIONS_PER_DAY"] == 3
    # Another address is not affected.
    ask_for_alert(mailing_app, "autre@exemple.fr", {"q": "sujet"}, "192.0.2.9")
    assert len(inbox[0].take()) == 1


def test_the_confirmation_cap_holds_across_workers_and_restarts(mailing_app, make_app, inbox):
    """Without Redis the count is in the database: a second worker, then a worker
    started afresh, send nothing more to the address that day."""
    settings = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": inbox[1], "PUBLIC_URL": PUBLIC}
    second = make_app(**settings)
    for n, worker in enumerate([mailing_app, second, mailing_app], start=1):
        ask_for_alert(worker, "cible@exemple.fr", {"q": f"sujet {n}"}, f"192.0.2.{n}")
    assert len(inbox[0].wait_for(3)) == 3
    restarted = make_app(**settings)
    for n, worker in enumerate([second, restarted], start=4):
        assert ask_for_alert(worker, "cible@exemple.fr", {"q": f"sujet {n}"}).status_code == 200
    assert inbox[0].take() == []
    with mailing_app.app_context():
        counts = db.session.execute(select(ConfirmationCount.email, ConfirmationCount.sent))
        assert counts.all() == [("cible@exemple.fr", 3)]


def test_confirmations_counted_on_an_earlier_day_no_longer_count(mailing_app, inbox):
    with mailing_app.app_context():
        yesterday = today() - timedelta(days=1)
        db.session.add(ConfirmationCount(email="cible@exemple.fr", day=yesterday, sent=3))
        db.session.commit()
    assert ask_for_alert(mailing_app, "cible@exemple.fr", {"q": "sujet"}).status_code == 200
    assert len(inbox[0].wait_for(1)) == 1
    with mailing_app.app_context():
        rows = db.session.execute(select(ConfirmationCount.day, ConfirmationCount.sent)).all()
        assert rows == [(today(), 1)]  # yesterday's row is gone


def test_the_daily_alerts_run_erases_counts_of_earlier_days(mailing_app):
    """A quiet site asks for no confirmation the next day: the daily run erases them."""
    with mailing_app.app_context():
        yesterday = today() - timedelta(days=1)
        db.session.add(ConfirmationCount(email="cible@exemple.fr", day=yesterday, sent=2))
        db.session.add(ConfirmationCount(email="autre@exemple.fr", day=today(), sent=1))
        db.session.commit()
    runner = mailing_app.test_cli_runner()
    assert runner.invoke(args=["alerts", "send", "--period", "daily"]).exit_code == 0
    with mailing_app.app_context():
        rows = db.session.execute(select(ConfirmationCount.email, ConfirmationCount.day)).all()
        assert rows == [("autre@exemple.fr", today())]


@pytest.mark.one_backend  # Redis counts, not a query
@pytest.mark.skipif(not REDIS_URL, reason="Redis unavailable: CNIG_SHARE_TEST_REDIS_URL not set")
def test_the_confirmation_cap_is_counted_in_redis_when_configured(make_app, inbox):
    import redis

    store = redis.Redis.from_url(REDIS_URL)
    store.flushdb()
    try:
        settings = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": inbox[1], "PUBLIC_URL": PUBLIC,
                    "REDIS_URL": REDIS_URL}  # fmt: skip
        first, second = make_app(**settings), make_app(**settings)
        for app in (first, second):
            with app.app_context():
                db.create_all()
                ensure_reference_data()
        for n, worker in enumerate([first, second, first, second, first], start=1):
            ask_for_alert(worker, "cible@exemple.fr", {"q": f"sujet {n}"}, f"192.0.2.{n}")
        assert len(inbox[0].take()) == 3
        assert store.keys("LIMITS*alert-confirmation*"), "no confirmation counter in Redis"
        with first.app_context():
            assert db.session.scalar(select(func.count()).select_from(ConfirmationCount)) == 0
    finally:
        store.flushdb()


# --- glossary imports fetch nothing -----------------------------------------------------


@pytest.fixture
def listener():
    """A loopback HTTP server that records every request it gets."""
    requests: list[str] = []

    class Recorder(BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            body = json.dumps({"@context": {"skos": "http://www.w3.org/2004/02/skos/core#"}})
            self.send_response(200)
            self.send_header("Content-Type", "application/ld+json")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", requests
    server.shutdown()
    server.server_close()
    thread.join()


def concept(context) -> dict:
    return {
        "@context": context,
        "@id": "http://example.org/voc/cadastre",
        "@type": "skos:Concept",
        "skos:prefLabel": {"@value": "cadastre", "@language": "fr"},
    }


def glossary_import(runner, path, *options):
    return runner.invoke(args=["glossary", "import", str(path), "--format", "json-ld", *options])


@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]], ids=["import", "dry-run"])
@pytest.mark.parametrize(
    "make_context",
    [
        lambda url: url + "/contexte.jsonld",
        lambda url: [{"skos": "http://www.w3.org/2004/02/skos/core#"}, url + "/liste.jsonld"],
        lambda url: {"@import": url + "/import.jsonld", "skos": "http://x/"},
        lambda url: {"skos": "http://www.w3.org/2004/02/skos/core#",
                     "narrower": {"@id": "skos:narrower", "@context": url + "/portee.jsonld"}},
    ],
    ids=["address", "in-a-list", "import", "scoped"],
)  # fmt: skip
def test_a_remote_json_ld_context_is_refused_and_never_fetched(
    app, runner, tmp_path, listener, make_context, dry_run
):
    url, requests = listener
    path = tmp_path / "termes.jsonld"
    path.write_text(json.dumps(concept(make_context(url))))
    result = glossary_import(runner, path, *dry_run)
    assert result.exit_code == 1
    assert "rien n'a été enregistré" in result.stderr
    assert "un contexte désigné par une adresse n'est pas accepté" in result.stderr
    assert requests == []
    with app.app_context():
        assert factories.term("cadastre") is None


def test_a_file_json_ld_context_is_refused(app, runner, tmp_path):
    secret = tmp_path / "contexte.jsonld"
    secret.write_text(json.dumps({"@context": {"skos": "http://www.w3.org/2004/02/skos/core#"}}))
    path = tmp_path / "termes.jsonld"
    path.write_text(json.dumps(concept(secret.as_uri())))
    result = glossary_import(runner, path, "--dry-run")
    assert result.exit_code == 1
    assert f"@context « {secret.as_uri()} »" in result.stderr
    assert "Fichier valide" not in result.stdout


def test_an_inline_json_ld_context_is_still_read(app, runner, tmp_path):
    path = tmp_path / "termes.jsonld"
    path.write_text(json.dumps(concept({"skos": "http://www.w3.org/2004/02/skos/core#"})))
    result = glossary_import(runner, path)
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert factories.term("cadastre").pref_label == "cadastre"


def test_owl_imports_are_refused(app, runner, tmp_path, listener):
    url, requests = listener
    path = tmp_path / "termes.ttl"
    path.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        f"<http://example.org/voc> owl:imports <{url}/autre.ttl> .\n"
        '<http://example.org/voc/cadastre> a skos:Concept ; skos:prefLabel "cadastre"@fr .\n'
    )
    result = runner.invoke(args=["glossary", "import", str(path), "--dry-run"])
    assert result.exit_code == 1 and "owl:imports" in result.stderr
    assert requests == []


def test_the_openapi_link_schema_states_the_web_address_rule(client):
    document = client.get("/api/v1/openapi.json").get_json()
    pattern = re.compile(document["components"]["schemas"]["Link"]["properties"]["url"]["pattern"])
    assert pattern.search("https://www.cerema.fr/donnees")
    assert not any(pattern.search(url) for url in ("javascript:alert(1)", "data:text/html,x"))
