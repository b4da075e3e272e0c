"""« Cette ressource m'a été utile »: who may mark, once, withdrawn; the count on
the resource and its search card; the « Les plus utiles » order; the mark in the
person's data export and gone with their account."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from cnig_share.extensions import db
from cnig_share.models import Resource, UsefulMark
from tests import factories
from tests.conftest import PASSWORD, AuthActions, csrf_token_from
from tests.page_ready import wait_until_ready

READER = "lea@exemple.fr"
AUTHOR = "yann@exemple.fr"
BUTTON = "Cette ressource m'a été utile"


@pytest.fixture
def people(make_user) -> None:
    make_user(READER, "member", ("occitanie",), name="Léa")
    make_user(AUTHOR, "member", ("bretagne",), name="Yann")


def _publish(app, title: str = "Adressage des communes", **fields) -> int:
    with app.app_context():
        author = factories.user(AUTHOR)
        fields.setdefault("author_id", author.id if author else None)
        return factories.publish(title, body=fields.pop("body", "Base adresse locale"), **fields)


def _marks(app, resource_id: int | None = None) -> int:
    with app.app_context():
        query = select(func.count()).select_from(UsefulMark)
        if resource_id is not None:
            query = query.where(UsefulMark.resource_id == resource_id)
        return db.session.scalar(query)


def _token(client, resource_id: int) -> str:
    return csrf_token_from(client.get(f"/ressources/{resource_id}").get_data(as_text=True))


def _mark(client, resource_id: int, htmx: bool = False, withdraw: bool = False):
    path = f"/ressources/{resource_id}/utile" + ("/retirer" if withdraw else "")
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(path, data={"csrf_token": _token(client, resource_id)}, headers=headers)


def test_a_visitor_sees_the_count_and_is_asked_to_sign_in(app, client, people):
    resource = _publish(app)
    page = client.get(f"/ressources/{resource}").get_data(as_text=True)
    assert "Personne n'a encore indiqué" in page
    assert "Connectez-vous" in page and BUTTON not in page
    response = client.post(f"/ressources/{resource}/utile", data={"csrf_token": "x"})
    assert response.status_code in (302, 400) and _marks(app) == 0


def test_marking_without_javascript_counts_once_and_comes_back_to_the_resource(
    app, client, auth, people
):
    resource = _publish(app)
    auth.login(READER)
    assert BUTTON in client.get(f"/ressources/{resource}").get_data(as_text=True)
    response = _mark(client, resource)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/ressources/{resource}#utile")
    assert _mark(client, resource).status_code == 303  # twice: still one mark
    assert _marks(app, resource) == 1
    page = client.get(f"/ressources/{resource}").get_data(as_text=True)
    assert "1 personne a trouvé cette ressource utile" in page
    assert "Retirer mon avis" in page and BUTTON not in page
    # Another visitor sees the count, not the reader's state.
    other = app.test_client().get(f"/ressources/{resource}").get_data(as_text=True)
    assert "1 personne a trouvé cette ressource utile" in other and "Retirer mon avis" not in other


def test_htmx_marks_and_withdraws_in_place(app, client, auth, people):
    resource = _publish(app)
    auth.login(READER)
    response = _mark(client, resource, htmx=True)
    block = response.get_data(as_text=True)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    assert block.lstrip().startswith('<section id="utile"') and "<html" not in block
    assert "1 personne a trouvé" in block and 'id="bouton-utile"' in block
    response = _mark(client, resource, htmx=True, withdraw=True)
    block = response.get_data(as_text=True)
    assert "Personne n'a encore indiqué" in block and BUTTON in block
    assert _marks(app) == 0


def test_two_people_make_two_marks_and_the_count_says_so(app, people, make_user):
    resource = _publish(app)
    make_user("paul@exemple.fr", "member", ())  # an account without a CTD may mark too
    for email in (READER, "paul@exemple.fr"):
        client = app.test_client()
        AuthActions(client).login(email)
        assert _mark(client, resource).status_code == 303
    assert _marks(app, resource) == 2
    page = app.test_client().get(f"/ressources/{resource}").get_data(as_text=True)
    assert "2 personnes ont trouvé cette ressource utile" in page


def test_withdrawing_a_mark_never_given_changes_nothing(app, client, auth, people):
    resource = _publish(app)
    auth.login(READER)
    assert _mark(client, resource, withdraw=True).status_code == 303
    assert _marks(app) == 0


def test_the_author_cannot_mark_their_own_resource(app, client, auth, people):
    resource = _publish(app)
    auth.login(AUTHOR)
    page = client.get(f"/ressources/{resource}").get_data(as_text=True)
    assert BUTTON not in page
    response = _mark(client, resource)
    assert response.status_code == 403 and "votre avis ne compte pas" in response.get_data(
        as_text=True
    )
    assert _marks(app) == 0


def test_a_draft_cannot_be_marked_and_its_existence_does_not_leak(app, client, auth, people):
    with app.app_context():
        draft = factories.resource("Brouillon", ctd_slug="occitanie", status="draft")
        archived = factories.resource("Archivée", ctd_slug="bretagne", status="archived")
    auth.login(READER)  # a member of Occitanie: sees its draft, not Bretagne's archive
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    response = client.post(f"/ressources/{draft}/utile", data={"csrf_token": token})
    assert response.status_code == 409 and "Seule une ressource publiée" in response.get_data(
        as_text=True
    )
    assert (
        client.post(f"/ressources/{archived}/utile", data={"csrf_token": token}).status_code == 404
    )
    assert client.post("/ressources/999999/utile", data={"csrf_token": token}).status_code == 404
    assert _marks(app) == 0


def test_marking_without_csrf_token_is_refused(app, client, auth, people):
    resource = _publish(app)
    auth.login(READER)
    assert client.post(f"/ressources/{resource}/utile").status_code == 400
    assert _marks(app) == 0


def test_an_archived_resources_marks_are_shown_nowhere(app, client, auth, people):
    resource = _publish(app, "Guide de l'adressage")
    auth.login(READER)
    _mark(client, resource)
    with app.app_context():
        db.session.get(Resource, resource).status = "archived"
        db.session.commit()
    results = app.test_client().get("/api/v1/search?q=adressage&sort=useful").get_json()
    assert results["total"] == 0
    assert _marks(app, resource) == 1  # kept: it counts again if the resource comes back


def test_most_useful_sort_orders_search_results_by_marks(app, people, make_user):
    quiet = _publish(app, "Adressage en Bretagne", body="adressage adressage adressage")
    loved = _publish(app, "Adressage : le guide", body="adressage")
    liked = _publish(app, "Adressage rural", body="adressage")
    readers = ["a@exemple.fr", "b@exemple.fr"]
    for email in readers:
        make_user(email, "member", ())
    for email, resources in zip(readers, [(loved, liked), (loved,)], strict=True):
        client = app.test_client()
        AuthActions(client).login(email, PASSWORD)
        for resource in resources:
            _mark(client, resource)
    client = app.test_client()
    ids = [
        hit["id"]
        for hit in client.get("/api/v1/search?q=adressage&sort=useful").get_json()["results"]
    ]
    assert ids[:2] == [loved, liked] and quiet in ids
    # Edited, so indexed again (its old document deleted): still found by its marks.
    with app.app_context():
        db.session.get(Resource, loved).title = "Adressage : le guide, deuxième édition"
        db.session.commit()
    ids = [
        hit["id"]
        for hit in client.get("/api/v1/search?q=adressage&sort=useful").get_json()["results"]
    ]
    assert ids[:2] == [loved, liked]
    # An empty query lists everything, the most useful first too.
    everything = client.get("/api/v1/search?sort=useful").get_json()["results"]
    assert [hit["id"] for hit in everything][:2] == [loved, liked]
    page = client.get("/recherche?q=adressage&sort=useful").get_data(as_text=True)
    assert "utile à 2 personnes" in page and "utile à 1 personne" in page
    listing = client.get("/ressources/").get_data(as_text=True)
    assert "utile à 2 personnes" in listing and "utile à 1 personne" in listing
    assert '<option value="useful" selected>Les plus utiles</option>' in page
    # An unknown order is relevance, not an error.
    assert client.get("/recherche?q=adressage&sort=bogus").status_code == 200


def test_my_marks_are_in_my_data_and_go_with_my_account(app, client, auth, people):
    resource = _publish(app)
    auth.login(READER)
    _mark(client, resource)
    data = json.loads(client.get("/profil/mes-donnees.json").get_data(as_text=True))
    assert [mark["resource"] for mark in data["useful_marks"]] == [resource]
    assert data["useful_marks"][0]["title"] == "Adressage des communes"
    token = csrf_token_from(client.get("/profil").get_data(as_text=True))
    response = client.post(
        "/profil/supprimer",
        data={"suppression-csrf_token": token, "suppression-password": PASSWORD},
    )
    assert response.status_code == 303
    assert _marks(app) == 0
    page = app.test_client().get(f"/ressources/{resource}").get_data(as_text=True)
    assert "Personne n'a encore indiqué" in page


def test_personal_data_page_names_usefulness_marks(client):
    page = client.get("/donnees-personnelles").get_data(as_text=True)
    assert "Vos avis « Cette ressource m'a été utile »" in page


PROCESSED_BY_HTMX = """() => {
  const form = document.querySelector('#utile form');
  return !!(form && form['htmx-internal-data'] && form['htmx-internal-data'].initHash);
}"""


@pytest.mark.browser
def test_marking_useful_in_a_browser_swaps_the_block_in_place_and_keeps_the_focus(
    app, browser, live_server, people
):
    resource = _publish(app)
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto(live_server + "/connexion")
    page.fill("input[name=email]", READER)
    page.fill("input[name=password]", PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(lambda url: "/connexion" not in url)  # signed in before going on
    page.goto(f"{live_server}/ressources/{resource}")
    wait_until_ready(page)
    page.evaluate("window.stayedOnPage = true")  # gone if the page were loaded again
    page.get_by_role("button", name="Cette ressource m'a été utile").click()
    status = page.locator("#utile [role=status]")
    status.filter(has_text="1 personne a trouvé cette ressource utile").wait_for()
    assert page.evaluate("window.stayedOnPage === true")
    assert page.evaluate("document.activeElement.id") == "bouton-utile"
    # htmx takes the new form in hand when the swap settles (20 ms): not before.
    page.wait_for_function(PROCESSED_BY_HTMX)
    page.keyboard.press("Enter")  # the focused button now withdraws the mark
    status.filter(has_text="Personne n'a encore indiqué").wait_for()
    assert page.evaluate("window.stayedOnPage === true") and _marks(app) == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
