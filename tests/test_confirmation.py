"""Destructive actions ask first: a DSFR modal on the page (with JavaScript),
a confirmation page when the plain form posts (without it)."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from sqlalchemy import select

from cnig_share.extensions import db
from cnig_share.models import Attachment, CostYear, GlossaryTerm, Project, Resource, Selection
from tests import factories
from tests.conftest import AuthActions, csrf_token_from
from tests.test_resources import create
from tests.test_workspace import add_costs, add_project, send

CURATOR = "veille@cnig.example.org"


@pytest.fixture
def curator(app, make_user):
    make_user(CURATOR, role="curator", ctds=("bretagne",))
    client = app.test_client()
    AuthActions(client).login(CURATOR)
    return client


def _project(app, client):
    project_id = add_project(client, "bretagne", title="Adresses partagées")
    page = f"/ctd/bretagne/projets/{project_id}"
    return (
        page,
        f"{page}/supprimer",
        "Supprimer le projet « Adresses partagées » ?",
        (lambda: db.session.get(Project, project_id)),
    )


def _costs(app, client):
    assert add_costs(client, "bretagne", year="2025").status_code == 303
    return (
        "/ctd/bretagne/couts",
        "/ctd/bretagne/couts/2025/supprimer",
        ("Supprimer les coûts 2025 du CTD Bretagne ?"),
        lambda: db.session.scalar(select(CostYear).where(CostYear.year == 2025)),
    )


def _selection(app, client):
    response = send(client, "/selections/nouvelle", {"title": "Pour commencer"})
    page = response.headers["Location"]
    return (
        page,
        f"{page}/supprimer",
        "Supprimer la sélection « Pour commencer » ?",
        (lambda: db.session.scalar(select(Selection))),
    )


def _term(app, client):
    page = "/glossaire/standard-de-donnees/modifier"
    return (
        page,
        "/glossaire/standard-de-donnees/supprimer",
        "Supprimer le terme",
        (lambda: factories.term("standard-de-donnees")),
    )


def _attachment(app, client):
    response = create(client, files=[(b"Un texte.", "note.txt")])
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    resource_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        attachment_id = db.session.scalar(select(Attachment.id))
    url = f"/ressources/{resource_id}/pieces-jointes/{attachment_id}/supprimer"
    return (
        f"/ressources/{resource_id}/modifier",
        url,
        ("Supprimer la pièce jointe « note.txt » ?"),
        lambda: db.session.get(Attachment, attachment_id),
    )


def _archive(app, client):
    with app.app_context():
        resource_id = factories.resource("Cadastre solaire", status="published")
    page = f"/ressources/{resource_id}"
    return (
        page,
        f"{page}/archiver",
        "Archiver « Cadastre solaire » ?",
        (
            lambda: db.session.scalar(
                select(Resource).where(Resource.id == resource_id, Resource.status == "published")
            )
        ),
    )


CASES = {
    "project": _project,
    "costs": _costs,
    "selection": _selection,
    "term": _term,
    "attachment": _attachment,
    "archive": _archive,
}


@pytest.mark.parametrize("case", CASES)
def test_a_destructive_action_asks_first_and_acts_once_confirmed(app, curator, case):
    page, action, question, still_there = CASES[case](app, curator)
    html = curator.get(page).get_data(as_text=True)
    # With JavaScript: the modal, whose form posts confirmed.
    dialog = re.search(r'<dialog id="([^"]+)" class="fr-modal".*?</dialog>', html, re.S)
    assert dialog, "no confirmation modal on the page"
    assert question in html_lib.unescape(dialog.group(0))
    assert f'aria-controls="{dialog.group(1)}"' in html
    assert f'action="{action}"' in dialog.group(0) and 'name="confirmed" value="1"' in dialog.group(
        0
    )
    # Without it: the plain form posts unconfirmed, and gets a confirmation page.
    token = csrf_token_from(html)
    asked = curator.post(action, data={"csrf_token": token})
    assert asked.status_code == 200
    text = html_lib.unescape(asked.get_data(as_text=True))
    assert f"<h1>{question}" in text
    assert f'action="{action}"' in text and 'name="confirmed" value="1"' in text
    assert "Annuler" in text
    with app.app_context():
        assert still_there() is not None, "acted before confirmation"
    done = curator.post(action, data={"csrf_token": token, "confirmed": "1"})
    assert done.status_code in (302, 303), done.get_data(as_text=True)[:500]
    with app.app_context():
        assert still_there() is None


def test_the_confirmation_page_keeps_the_version_it_was_shown(app, curator):
    with app.app_context():
        resource_id = factories.resource("Cadastre solaire", status="published")
        version = db.session.get(Resource, resource_id).version
    token = csrf_token_from(curator.get(f"/ressources/{resource_id}").get_data(as_text=True))
    asked = curator.post(
        f"/ressources/{resource_id}/archiver", data={"csrf_token": token, "version": version}
    )
    assert f'name="version" value="{version}"' in asked.get_data(as_text=True)


def test_the_confirmed_post_needs_its_csrf_token(app, curator):
    with app.app_context():
        resource_id = factories.resource("Cadastre solaire", status="published")
    response = curator.post(f"/ressources/{resource_id}/archiver", data={"confirmed": "1"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Resource, resource_id).status == "published"


def test_who_may_not_archive_is_refused_not_asked(app, make_user):
    make_user("membre@bretagne.example.org", ctds=("bretagne",))
    member = app.test_client()
    AuthActions(member).login("membre@bretagne.example.org")
    with app.app_context():
        resource_id = factories.resource("Cadastre solaire", status="published")
    token = csrf_token_from(member.get("/").get_data(as_text=True))
    response = member.post(f"/ressources/{resource_id}/archiver", data={"csrf_token": token})
    assert response.status_code == 403
    assert "Archiver « " not in response.get_data(as_text=True)


def test_a_term_is_not_deleted_by_the_unconfirmed_form(app, curator):
    token = csrf_token_from(curator.get("/glossaire/").get_data(as_text=True))
    curator.post("/glossaire/standard-de-donnees/supprimer", data={"csrf_token": token})
    with app.app_context():
        assert db.session.scalar(
            select(GlossaryTerm).where(GlossaryTerm.slug == "standard-de-donnees")
        )


def test_a_term_in_use_is_refused_at_once_not_asked_about(app, curator):
    with app.app_context():
        factories.resource("Brouillon", terms=[factories.term("mutualisation")])
    token = csrf_token_from(curator.get("/glossaire/").get_data(as_text=True))
    response = curator.post("/glossaire/mutualisation/supprimer", data={"csrf_token": token})
    assert response.status_code == 302
    page = html_lib.unescape(curator.get(response.headers["Location"]).get_data(as_text=True))
    assert "est utilisé par 1 ressource" in page
