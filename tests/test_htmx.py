"""Every htmx view, with and without HX-Request: the page, or the block named
after the element it fills; Vary: HX-Request on both; a refused form is its
block with 422; success is a 303, or HX-Redirect for htmx."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from cnig_share.extensions import db
from cnig_share.models import Resource
from tests import factories
from tests.conftest import AuthActions, csrf_token_from

MEMBER = "membre@bretagne.fr"
CURATOR = "veille@cnig.fr"
HTMX = {"HX-Request": "true"}
FORM = {"title": "Adresser les hameaux", "kind": "bonne-pratique", "ctd": "bretagne",
        "summary": "Numéroter les hameaux.", "licence": "Licence Ouverte 2.0"}  # fmt: skip

# (who, method, address, form fields, id of the element the block fills, text in it)
HTMX_VIEWS = [
    (None, "get", "/recherche?q=cadastre", {}, "results", "1 résultat"),
    (None, "get", "/glossaire/?q=IA", {}, "entries", "Intelligence artificielle"),
    (CURATOR, "get", "/curation/", {}, "queue", "Cadastre soumis"),
    (MEMBER, "get", "/ressources/nouvelle", {}, "resource_form", "Enregistrer"),
    (MEMBER, "post", "/ressources/nouvelle", {"action": "preview", "body": "**gras**"},
     "preview", "<strong>gras</strong>"),
    (MEMBER, "post", "/ressources/nouvelle", {"action": "terms", "term_query": "open data"},
     "term_choices", "trouvé par « open data »"),
    (MEMBER, "get", "/ressources/nouvelle?action=terms&term_query=IA", {}, "term_choices",
     "intelligence artificielle"),
    (MEMBER, "get", "/ressources/{draft}/modifier", {}, "resource_form", "Brouillon breton"),
    (MEMBER, "post", "/ressources/{draft}/modifier",
     {"action": "terms", "title": "Données ouvertes"}, "term_choices", "Repérés dans le texte"),
]  # fmt: skip


@pytest.fixture
def site(app, make_user):
    """Addresses filled in: a draft of the member's CTD, one submission, one published."""
    make_user(MEMBER, "member", ("bretagne",))
    make_user(CURATOR, "curator")
    with app.app_context():
        factories.publish("Cadastre", body="cadastre")
        factories.resource("Cadastre soumis", status="submitted")
        return {"draft": factories.resource("Brouillon breton")}


def client_of(app, who: str | None):
    client = app.test_client()
    if who:
        AuthActions(client).login(who)
    return client


def send(client, method: str, path: str, data: dict, headers: dict | None = None):
    if method == "get":
        return client.get(path, headers=headers)
    token = csrf_token_from(client.get("/ressources/nouvelle").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data}, headers=headers)


@pytest.mark.parametrize(("who", "method", "path", "data", "target", "text"), HTMX_VIEWS)
def test_an_htmx_view_answers_its_block_or_the_page(
    app, site, who, method, path, data, target, text
):
    client, path = client_of(app, who), path.format(**site)
    page = send(client, method, path, data)
    block = send(client, method, path, data, HTMX)
    assert page.status_code == block.status_code == 200
    html, fragment = page.get_data(as_text=True), block.get_data(as_text=True)
    assert "<html" in html and re.search(rf'<div id="{target}"[ >]', html)
    # The block is what goes inside the element, not the element, nor the page.
    assert "<html" not in fragment and f'id="{target}"' not in fragment
    assert text in fragment and text in html
    assert "HX-Request" in page.headers["Vary"] and "HX-Request" in block.headers["Vary"]


@pytest.mark.parametrize("htmx", [True, False])
def test_a_refused_resource_form_is_its_block_with_422(app, site, htmx):
    client = client_of(app, MEMBER)
    response = send(client, "post", "/ressources/nouvelle", {**FORM, "title": ""},
                    HTMX if htmx else None)  # fmt: skip
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "fr-message--error" in html and 'hx-target="#resource_form"' in html
    assert ("<html" not in html) is htmx and ('id="resource_form"' not in html) is htmx
    with app.app_context():
        assert db.session.scalar(select(Resource).where(Resource.title == "")) is None


@pytest.mark.parametrize("htmx", [True, False])
def test_a_saved_resource_form_sends_the_browser_to_the_resource(app, site, htmx):
    client = client_of(app, MEMBER)
    response = send(client, "post", "/ressources/nouvelle", FORM, HTMX if htmx else None)
    with app.app_context():
        saved = db.session.scalar(select(Resource.id).where(Resource.title == FORM["title"]))
    if htmx:  # a 303 would be followed inside the request, its page swapped into the form
        assert response.status_code == 200 and response.headers["HX-Redirect"] == (
            f"/ressources/{saved}"
        )
    else:
        assert response.status_code == 303 and response.location == f"/ressources/{saved}"
    assert "HX-Request" in response.headers["Vary"]
    page = client.get(f"/ressources/{saved}").get_data(as_text=True)
    assert "La ressource est enregistrée en brouillon." in page


def test_the_live_preview_does_not_look_for_terms(app, site, monkeypatch):
    from cnig_share.resources import views

    client = client_of(app, MEMBER)
    token = csrf_token_from(client.get("/ressources/nouvelle").get_data(as_text=True))
    monkeypatch.setattr(views, "_term_picker", lambda *_: pytest.fail("terms looked up"))
    data = {"csrf_token": token, "action": "preview", "body": "*vite*"}
    response = client.post("/ressources/nouvelle", data=data, headers=HTMX)
    assert response.status_code == 200 and "<em>vite</em>" in response.get_data(as_text=True)


def test_htmx_swaps_409_and_422_and_shows_other_errors(client):
    html = client.get("/").get_data(as_text=True)
    config = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", html).group(1)
    handling = json.loads(config)["responseHandling"]

    def rule(status: int) -> dict:
        return next(r for r in handling if re.search(r["code"], str(status)))

    assert rule(204)["swap"] is False
    assert all(rule(status)["swap"] and "target" not in rule(status) for status in (200, 409, 422))
    assert rule(403)["target"] == rule(500)["target"] == "#contenu"


@pytest.mark.parametrize("htmx", [True, False])
def test_a_queue_decision_answers_the_queue_block_or_a_redirect(app, site, htmx):
    client = client_of(app, CURATOR)
    page = client.get("/curation/").get_data(as_text=True)
    action, version = re.search(
        r'action="(/ressources/\d+/publier)".*?name="version" value="(\d+)"', page, re.S
    ).groups()
    data = {"csrf_token": csrf_token_from(page), "version": version, "queue": "1"}
    response = client.post(action, data=data,
                           headers=HTMX if htmx else None)  # fmt: skip
    if htmx:
        fragment = response.get_data(as_text=True)
        assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
        assert "est publiée" in fragment and 'id="queue"' not in fragment
        assert "<html" not in fragment
    else:
        assert response.status_code == 303
