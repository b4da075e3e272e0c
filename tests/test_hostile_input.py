"""Whatever a person or a client sends: a French 4xx, never a 500."""

from __future__ import annotations

import pytest

from tests import factories
from tests.conftest import AuthActions, csrf_token_from

HUGE = "9" * 30

GET_PATHS = [
    f"/ressources/{HUGE}",
    f"/ressources/{2**31}",
    "/ressources/0",
    "/ressources/-1",
    "/ressources/abc",
    f"/ressources/1-{'x' * 3000}",
    f"/ressources/?page={HUGE}",
    "/ressources/?page=-5&kind[]=x&ctd=%00",
    "/ressources/?q=%FF%FE",
    f"/ressources/1/historique/comparer?de={HUGE}&a=1",
    "/ressources/1/historique/comparer?de=&a=",
    f"/ressources/1/pieces-jointes/{HUGE}",
    f"/ressources/nouvelle?action=terms&terms={HUGE}&terms=abc&term_query=%00%01",
    "/ctd/%00",
    "/ctd/" + "é" * 500,
    "/glossaire/%FF",
    "/connexion?next=%00",
    "/connexion?next=" + "/" * 5000,
    # The CTD workspace: identifiers beyond PostgreSQL's integer are a 404, not an overflow.
    f"/ctd/bretagne/projets/{HUGE}",
    "/ctd/bretagne/projets/99999999999",
    f"/ctd/bretagne/projets/{2**31}/modifier",
    "/ctd/bretagne/projets/0",
    f"/ctd/bretagne/feuille-de-route/versions/{HUGE}",
    "/ctd/bretagne/feuille-de-route/versions/99999999999",
    f"/ctd/bretagne/couts?annee={HUGE}",
]


@pytest.fixture
def curator(app, make_user):
    make_user("veille@cnig.fr", "curator")
    with app.app_context():
        factories.resource(status="published")
    client = app.test_client()
    AuthActions(client).login("veille@cnig.fr")
    return client


@pytest.mark.parametrize("path", GET_PATHS)
def test_odd_addresses_never_fail(curator, path):
    response = curator.get(path)
    assert response.status_code < 500, response.status_code
    assert "Traceback" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        f"/ressources/{HUGE}/publier",
        "/ressources/1/%00",
        f"/ressources/1/historique/{HUGE}/restaurer",
        f"/ressources/1/pieces-jointes/{HUGE}/supprimer",
        "/ressources/1/renvoyer",
        "/ressources/nouvelle?action=preview",
        "/ctd/bretagne/projets/99999999999/supprimer",
        f"/ctd/bretagne/projets/{HUGE}/modifier",
        "/ctd/bretagne/couts/99999999999/supprimer",
    ],
)
def test_odd_posts_never_fail(curator, path):
    token = csrf_token_from(curator.get("/").get_data(as_text=True))
    response = curator.post(path, data={"csrf_token": token, "body": "\x00" * 10, "comment": ""})
    assert response.status_code < 500, response.status_code


def test_odd_form_values_never_fail(curator):
    token = csrf_token_from(curator.get("/ressources/nouvelle").get_data(as_text=True))
    data = {
        "csrf_token": token,
        "title": "\x00" * 3 + "é" * 400,
        "kind": HUGE,
        "ctd": "\x00",
        "terms": [HUGE, "-1", "x"],
        "links-0-url": "https://" + "a" * 3000,
        "links-99999-url": "https://x.fr",
        "licence": "zz",
    }
    response = curator.post("/ressources/nouvelle", data=data)
    assert response.status_code == 400
    assert "caractère nul" in response.get_data(as_text=True)


def test_valid_resource_with_a_nul_in_its_body_is_refused_cleanly(curator, app):
    token = csrf_token_from(curator.get("/ressources/nouvelle").get_data(as_text=True))
    data = {
        "csrf_token": token,
        "title": "Titre",
        "kind": "document",
        "ctd": "bretagne",
        "body": "avant\x00après",
        "licence": "Licence Ouverte 2.0",
    }
    response = curator.post("/ressources/nouvelle", data=data)
    assert response.status_code == 400
    with app.app_context():
        assert factories.count_resources() == 1  # only the fixture's


def test_odd_form_values_without_nul_are_a_422(curator):
    token = csrf_token_from(curator.get("/ressources/nouvelle").get_data(as_text=True))
    data = {
        "csrf_token": token,
        "title": "é" * 400,
        "kind": HUGE,
        "ctd": "atlantide",
        "terms": [HUGE, "-1", "x"],
        "links-0-url": "https://" + "a" * 3000,
        "links-99999-url": "https://x.fr",
        "licence": "zz",
    }
    response = curator.post("/ressources/nouvelle", data=data)
    assert response.status_code == 422


@pytest.mark.parametrize(
    "path",
    [
        "/ctd/bretagne/projets/99999999999",
        f"/ctd/bretagne/projets/{2**31}/modifier",
        "/ctd/bretagne/feuille-de-route/versions/99999999999",
    ],
)
def test_workspace_identifiers_beyond_the_database_are_not_found(curator, path):
    assert curator.get(path).status_code == 404


@pytest.mark.parametrize("value", ["²", "٣", "1²", "12345678901"])
def test_identifiers_in_query_strings_are_ascii_digits_only(app, client, auth, make_user, value):
    make_user("membre@ctd.example.org", ctds=("bretagne",))
    auth.login("membre@ctd.example.org")
    response = client.get(
        "/ressources/nouvelle", query_string={"action": "terms", "terms": value, "add_term": value}
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "path", ["/recherche?q=a&q=b%00", "/recherche?kind=document&kind=%00", "/abonnement?q=x&q=%00"]
)
def test_a_nul_in_any_value_of_a_repeated_key_is_refused(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "caractère nul" in response.get_data(as_text=True)
