"""The JSON API: tokens, reading resources and CTDs, errors, CORS."""

from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import select

from cnig_share.extensions import db
from cnig_share.models import ApiToken, Resource
from tests import factories
from tests.conftest import csrf_token_from

MEMBER = "membre@bretagne.example.org"


def token_for(app, email: str) -> str:
    result = app.test_cli_runner().invoke(args=["create-token", email, "--name", "tests"])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


# --- tokens ---------------------------------------------------------------------------


def test_create_token_prints_it_once_and_stores_only_its_digest(app, make_user):
    make_user(MEMBER, ctds=("bretagne",))
    secret = token_for(app, MEMBER)
    assert re.fullmatch(r"cnig_[A-Za-z0-9_-]{40,}", secret)
    with app.app_context():
        stored = db.session.scalar(select(ApiToken))
        assert stored.digest == hashlib.sha256(secret.encode()).hexdigest()
        assert secret not in {stored.digest, stored.name, stored.prefix}
    result = app.test_cli_runner().invoke(args=["create-token", "personne@exemple.fr"])
    assert result.exit_code == 1 and "Aucun compte actif" in result.output


def test_tokens_are_created_listed_and_revoked_from_the_profile(app, client, auth, make_user):
    make_user(MEMBER, ctds=("bretagne",))
    auth.login(MEMBER)
    page = client.get("/profil").get_data(as_text=True)
    response = client.post("/profil/jetons", data={"csrf_token": csrf_token_from(page),
                                                   "name": "Portail régional"})  # fmt: skip
    html = response.get_data(as_text=True)
    secret = re.search(r'<code class="cs-token">(cnig_[^<]+)</code>', html).group(1)
    assert "Portail régional" in html and response.headers["Cache-Control"] == "private, no-store"
    profile = client.get("/profil").get_data(as_text=True)
    assert secret not in profile  # shown once
    assert "<title>Mon profil — " in profile and profile.count('id="jetons"') == 1
    with app.app_context():
        resource = factories.resource("Brouillon breton")
    assert client.get(f"/api/v1/resources/{resource}", headers=bearer(secret)).status_code == 200
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
        assert db.session.get(ApiToken, token_id).last_used_at is not None
    token = csrf_token_from(client.get("/profil").get_data(as_text=True))
    client.post(f"/profil/jetons/{token_id}/revoquer", data={"csrf_token": token})
    revoked = client.get(f"/api/v1/resources/{resource}", headers=bearer(secret))
    assert revoked.status_code == 401 and revoked.get_json()["error"]["code"] == "invalid_token"
    assert client.post("/profil/jetons", data={"csrf_token": token, "name": ""}).status_code == 422


def test_one_cannot_revoke_someone_elses_token(app, client, auth, make_user):
    make_user(MEMBER, ctds=("bretagne",))
    make_user("autre@corse.example.org", ctds=("corse",))
    token_for(app, "autre@corse.example.org")
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    auth.login(MEMBER)
    token = csrf_token_from(client.get("/profil").get_data(as_text=True))
    assert client.post(f"/profil/jetons/{token_id}/revoquer",
                       data={"csrf_token": token}).status_code == 404  # fmt: skip


# --- reading --------------------------------------------------------------------------


@pytest.fixture
def resources(app):
    with app.app_context():
        return {
            "published": factories.resource("Publiée", status="published", kind="document",
                                            terms=[factories.term("donnee-geographique")]),
            "corse": factories.resource("Corse publiée", ctd_slug="corse", status="published"),
            "draft": factories.resource("Brouillon breton"),
        }  # fmt: skip


def test_a_resource_has_the_spec_fields_etag_and_cors(client, resources):
    response = client.get(f"/api/v1/resources/{resources['published']}")
    assert response.status_code == 200
    data = response.get_json()
    assert set(data) >= {"id", "url", "title", "summary", "body", "kind", "ctd", "terms",
                         "status", "published_at", "featured", "links", "licence",
                         "created_at", "updated_at", "attachments"}  # fmt: skip
    assert data["terms"] == ["donnée géographique"] and data["ctd"] == "bretagne"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    etag, modified = response.headers["ETag"], response.headers["Last-Modified"]
    again = client.get(f"/api/v1/resources/{resources['published']}",
                       headers={"If-None-Match": etag})  # fmt: skip
    assert again.status_code == 304
    since = client.get(f"/api/v1/resources/{resources['published']}",
                       headers={"If-Modified-Since": modified})  # fmt: skip
    assert since.status_code == 304


def test_drafts_are_404_without_a_token_and_visible_to_their_ctd(app, client, make_user, resources):
    response = client.get(f"/api/v1/resources/{resources['draft']}")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    make_user(MEMBER, ctds=("bretagne",))
    make_user("autre@corse.example.org", ctds=("corse",))
    own, other = token_for(app, MEMBER), token_for(app, "autre@corse.example.org")
    assert client.get(f"/api/v1/resources/{resources['draft']}",
                      headers=bearer(own)).status_code == 200  # fmt: skip
    assert client.get(f"/api/v1/resources/{resources['draft']}",
                      headers=bearer(other)).status_code == 404  # fmt: skip
    listed = client.get("/api/v1/resources").get_json()
    assert {r["id"] for r in listed["resources"]} == {resources["published"], resources["corse"]}


def test_resource_list_filters_and_paginates(client, resources):
    data = client.get("/api/v1/resources", query_string={"ctd": "corse"}).get_json()
    assert [r["id"] for r in data["resources"]] == [resources["corse"]]
    by_term = client.get("/api/v1/resources", query_string={"term": "donnee-geolocalisee"})
    assert [r["id"] for r in by_term.get_json()["resources"]] == [resources["published"]]
    by_kind = client.get("/api/v1/resources", query_string={"kind": "document"}).get_json()
    assert [r["id"] for r in by_kind["resources"]] == [resources["published"]]
    first = client.get("/api/v1/resources", query_string={"per_page": 1}).get_json()
    assert first["total"] == 2 and len(first["resources"]) == 1
    assert first["links"]["prev"] is None and "page=2" in first["links"]["next"]
    second = client.get(first["links"]["next"].replace("http://localhost", "")).get_json()
    assert second["links"]["next"] is None and second["resources"] != first["resources"]
    future = client.get("/api/v1/resources", query_string={"updated_since": "2999-01-01"})
    assert future.get_json()["total"] == 0


@pytest.mark.parametrize(
    "params",
    [{"page": "0"}, {"page": "abc"}, {"per_page": "1000"}, {"kind": "poème"},
     {"term": "inconnu"}, {"updated_since": "hier"}],
)  # fmt: skip
def test_bad_list_parameters_are_400_in_json(client, params):
    response = client.get("/api/v1/resources", query_string=params)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_parameter"


def test_ctds_list_counts_published_resources(client, resources):
    ctds = {c["slug"]: c for c in client.get("/api/v1/ctds").get_json()["ctds"]}
    assert len(ctds) == 18
    assert ctds["bretagne"]["resources"] == 1 and ctds["corse"]["resources"] == 1
    assert ctds["corse"]["url"] == "http://127.0.0.1:5000/ctd/corse"  # PUBLIC_URL


@pytest.mark.parametrize("header", ["Bearer", "Bearer cnig_faux", "Basic abc", "x" * 5000])
def test_a_bad_token_is_401_not_silence(client, resources, header):
    response = client.get(f"/api/v1/resources/{resources['draft']}",
                          headers={"Authorization": header})  # fmt: skip
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_json()["error"]["code"] == "invalid_token"


def test_unknown_api_paths_are_json_404(client):
    response = client.get("/api/v1/nulle-part")
    assert response.status_code == 404 and response.get_json()["error"]["code"]


def test_the_api_guide_explains_tokens_in_french(client):
    html = client.get("/api/").get_data(as_text=True)
    assert "Authorization: Bearer" in html and "jeton" in html


# --- writing --------------------------------------------------------------------------

NEW = {"title": "Adresser les hameaux", "kind": "bonne-pratique", "ctd": "bretagne",
       "summary": "La méthode.", "terms": ["CTD"],
       "links": [{"title": "BAN", "url": "https://adresse.data.gouv.fr"}]}  # fmt: skip


@pytest.fixture
def writers(app, make_user):
    make_user(MEMBER, ctds=("bretagne",))
    make_user("veille@cnig.example.org", role="curator")
    return {"member": token_for(app, MEMBER),
            "curator": token_for(app, "veille@cnig.example.org")}  # fmt: skip


def test_a_member_creates_a_draft_then_submits_it(app, client, writers):
    response = client.post("/api/v1/resources", json=NEW, headers=bearer(writers["member"]))
    assert response.status_code == 201
    data = response.get_json()
    assert data["status"] == "draft" and data["terms"] == ["comité territorial de la donnée"]
    assert response.headers["Location"].endswith(f"/api/v1/resources/{data['id']}")
    assert "Access-Control-Allow-Origin" not in response.headers  # no CORS on writes
    submitted = client.post(f"/api/v1/resources/{data['id']}/submit",
                            headers=bearer(writers["member"]))  # fmt: skip
    assert submitted.status_code == 200 and submitted.get_json()["status"] == "submitted"


def test_a_members_token_cannot_publish_or_write_for_another_ctd(app, client, writers):
    member = bearer(writers["member"])
    asked = client.post("/api/v1/resources", json={**NEW, "status": "published"}, headers=member)
    assert asked.status_code == 403 and asked.get_json()["error"]["code"] == "forbidden"
    other = client.post("/api/v1/resources", json={**NEW, "ctd": "corse"}, headers=member)
    assert other.status_code == 403
    with app.app_context():
        assert factories.count_resources() == 0  # nothing half-created
        corse = factories.resource("Corse", ctd_slug="corse", status="published")
    assert client.patch(f"/api/v1/resources/{corse}", json={"title": "Volée"},
                        headers=member).status_code == 403  # fmt: skip
    created = client.post("/api/v1/resources", json=NEW, headers=member).get_json()
    assert client.post(f"/api/v1/resources/{created['id']}/publish",
                       headers=member).status_code == 403  # fmt: skip


def test_a_curator_publishes_and_patches_partially(app, client, writers):
    curator = bearer(writers["curator"])
    created = client.post("/api/v1/resources", json={**NEW, "status": "published"},
                          headers=curator).get_json()  # fmt: skip
    assert created["status"] == "published" and created["published_at"]
    patched = client.patch(f"/api/v1/resources/{created['id']}", json={"summary": "Nouveau."},
                           headers=curator).get_json()  # fmt: skip
    assert patched["summary"] == "Nouveau." and patched["title"] == NEW["title"]
    assert patched["links"] == NEW["links"]
    found = client.get("/api/v1/search", query_string={"q": "hameaux"}).get_json()
    assert [hit["id"] for hit in found["results"]] == [created["id"]]
    back = client.post(f"/api/v1/resources/{created['id']}/return", json={"comment": "x"},
                       headers=curator)  # fmt: skip
    assert back.status_code == 409  # only a submission can be returned


def test_attachments_go_through_the_web_forms_checks(app, client, writers):
    import io

    from cnig_share.demo import sample_files

    member = bearer(writers["member"])
    created = client.post("/api/v1/resources", json=NEW, headers=member).get_json()
    url = f"/api/v1/resources/{created['id']}/attachments"
    pdf = sample_files.pdf("Guide", ["Toponymie."])
    ok = client.post(url, data={"file": (io.BytesIO(pdf), "guide.pdf")}, headers=member)
    assert ok.status_code == 201 and ok.get_json()["attachments"][0]["name"] == "guide.pdf"
    bad = client.post(url, data={"file": (io.BytesIO(b"MZ\x90\x00" * 50), "a.exe")},
                      headers=member)  # fmt: skip
    assert bad.status_code == 415 and bad.get_json()["error"]["code"] == "unsupported_media_type"
    missing = client.post(url, data={}, headers=member)
    assert missing.status_code == 422


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "code"),
    [
        ("post", "/api/v1/resources", {"data": "{pas du json", "content_type": "application/json"},
         400, "invalid_json"),
        ("post", "/api/v1/resources", {"data": "title=x"}, 415, "unsupported_media_type"),
        ("post", "/api/v1/resources", {"json": {"title": ""}}, 422, "validation_failed"),
        ("post", "/api/v1/resources", {"json": [1, 2]}, 422, "validation_failed"),
        ("post", "/api/v1/resources", {"json": {**NEW, "terms": ["inconnu"]}}, 422,
         "validation_failed"),
        ("patch", "/api/v1/resources/999999", {"json": {"title": "x"}}, 404, "not_found"),
        ("post", "/api/v1/resources/999999/submit", {}, 404, "not_found"),
    ],
)  # fmt: skip
def test_write_errors_are_json_with_the_right_status(
    client, writers, method, path, kwargs, status, code
):
    response = getattr(client, method)(path, headers=bearer(writers["member"]), **kwargs)
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code
    if status == 422 and "json" in kwargs and kwargs["json"] != [1, 2]:
        assert response.get_json()["error"]["fields"]


def test_writing_without_a_token_is_401(client):
    response = client.post("/api/v1/resources", json=NEW)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "missing_token"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_an_oversized_request_is_413_in_json(make_app, writers, app):
    small = make_app(MAX_CONTENT_LENGTH=1000)
    client = small.test_client()
    response = client.post("/api/v1/resources", data="x" * 5000, content_type="application/json",
                           headers=bearer(writers["member"]))  # fmt: skip
    assert response.status_code == 413 and response.get_json()["error"]["code"]


def test_writes_are_rate_limited_per_token(make_app, writers, app):
    limited = make_app(API_WRITE_RATE_LIMIT="2 per minute")
    client = limited.test_client()
    statuses = [
        client.post("/api/v1/resources", json=NEW, headers=bearer(writers["member"])).status_code
        for _ in range(3)
    ]
    assert statuses == [201, 201, 429]


HOSTILE = [
    None, 0, "texte", [], {}, {"title": None}, {"title": 42, "kind": [], "ctd": {}},
    {**NEW, "terms": "CTD"}, {**NEW, "terms": [None, 3]}, {**NEW, "links": "https://x"},
    {**NEW, "links": [{"url": None}]}, {**NEW, "links": [{"url": "https://x", "title": 5}]},
    {**NEW, "status": "publié"}, {**NEW, "status": None}, {**NEW, "featured": "oui"},
    {**NEW, "published_at": 20250101}, {**NEW, "published_at": "31/12/2025"},
    {**NEW, "attachments": [{"path": "/etc/passwd"}]}, {**NEW, "attachments": "x"},
    {**NEW, "title": "x" * 100_000}, {**NEW, "body": "\x00\ud800"}, {**NEW, "ctd": "../corse"},
    {**NEW, "kind": "BONNE-PRATIQUE"}, {"title": "<script>alert(1)</script>", "kind": "document",
     "ctd": "bretagne", "extra": {"deep": [[[[]]]]}},
]  # fmt: skip


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_payloads_never_fail_and_change_nothing(app, client, writers, payload):
    member = bearer(writers["member"])
    with app.app_context():
        existing = factories.resource("Existante", status="draft")
    for method, url in (("post", "/api/v1/resources"), ("patch", f"/api/v1/resources/{existing}")):
        response = getattr(client, method)(url, json=payload, headers=member)
        if method == "patch" and payload == {}:
            assert response.status_code == 200  # nothing to change
            continue
        assert response.status_code in (400, 403, 409, 415, 422), (method, response.get_data())
        assert set(response.get_json()["error"]) >= {"code", "message"}
    with app.app_context():
        assert factories.count_resources() == 1
        assert db.session.get(Resource, existing).title == "Existante"


@pytest.mark.parametrize(
    "payload",
    [{"title": "T", "ctd": "bretagne", "kind": ["x"]}, {**NEW, "status": ["x"]},
     {**NEW, "status": {"a": 1}}, {"title": [[[[]]]] * 3, "kind": "document", "ctd": "corse"}],
)  # fmt: skip
def test_unhashable_or_nested_values_are_422(client, writers, payload):
    response = client.post("/api/v1/resources", json=payload, headers=bearer(writers["member"]))
    assert response.status_code == 422


@pytest.mark.parametrize(
    "body", ["[" * 5000 + "]" * 5000, '{"title": ' + "[" * 3000 + "]" * 3000 + "}", "1" * 5000]
)
def test_absurd_json_is_400_not_a_crash(client, writers, body):
    response = client.post("/api/v1/resources", data=body, content_type="application/json",
                           headers=bearer(writers["member"]))  # fmt: skip
    assert response.status_code in (400, 422)


@pytest.mark.parametrize(
    "params", [{"per_page": "²"}, {"page": "٣"}, {"updated_since": "9999-12-31T23:59:59-01:00"}]
)
def test_odd_numbers_and_dates_in_lists_are_400(client, params):
    assert client.get("/api/v1/resources", query_string=params).status_code == 400


def test_a_token_with_trailing_characters_is_refused_everywhere(app, client, writers):
    for suffix in ("\x0b", " ", "\xa0"):
        header = {"Authorization": f"Bearer {writers['member']}{suffix}"}
        assert client.get("/api/v1/search", headers=header).status_code == 401
        assert client.post("/api/v1/resources", json=NEW, headers=header).status_code == 401


def test_the_write_limit_counts_per_account_whatever_the_header(make_app, writers, app):
    limited = make_app(API_WRITE_RATE_LIMIT="2 per minute")
    client = limited.test_client()
    statuses = [
        client.post("/api/v1/resources", json=NEW,
                    headers={"Authorization": f"{scheme} {writers['member']}"}).status_code
        for scheme in ("Bearer", "bearer", "BEARER")
    ]  # fmt: skip
    assert statuses == [201, 201, 429]


def test_return_with_unreadable_json_is_400(client, writers, app):
    created = client.post("/api/v1/resources", json=NEW, headers=bearer(writers["member"]))
    rid = created.get_json()["id"]
    client.post(f"/api/v1/resources/{rid}/submit", headers=bearer(writers["member"]))
    curator = bearer(writers["curator"])
    response = client.post(f"/api/v1/resources/{rid}/return", data="{",
                           content_type="application/json", headers=curator)  # fmt: skip
    assert response.status_code == 400
