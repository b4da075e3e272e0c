"""The CNIG team's tools: review queue, staleness, relays."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from cnig_share.extensions import db
from cnig_share.models import AuditEvent, Resource
from tests import factories
from tests.conftest import csrf_token_from

CURATOR = "veille@cnig.example.org"
MEMBER = "membre@bretagne.example.org"


@pytest.fixture
def curator(client, auth, make_user):
    make_user(CURATOR, role="curator")
    auth.login(CURATOR)
    return client


def submitted(title: str, days_ago: int, ctd: str = "bretagne", **fields) -> int:
    return factories.resource(
        title, ctd_slug=ctd, status="submitted",
        submitted_at=datetime.now(UTC) - timedelta(days=days_ago), **fields,
    )  # fmt: skip


def status_of(app, resource_id: int) -> str:
    with app.app_context():
        return db.session.get(Resource, resource_id).status


def test_only_curators_see_the_queue(app, client, auth, make_user):
    assert client.get("/curation/").status_code == 302
    make_user(MEMBER, ctds=("bretagne",))
    auth.login(MEMBER)
    assert client.get("/curation/").status_code == 403
    assert "Curation" not in client.get("/").get_data(as_text=True)
    with app.app_context():
        resource_id = submitted("Soumise", 1)
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    response = client.post(f"/curation/{resource_id}/publier", data={"csrf_token": token})
    assert response.status_code == 403
    assert status_of(app, resource_id) == "submitted"


def test_queue_lists_submissions_oldest_first_with_filters_and_counts(app, curator):
    with app.app_context():
        newer = submitted("Plus récente", 1)
        older = submitted("Plus ancienne", 9, ctd="corse", kind="document")
        factories.resource("Brouillon")  # not submitted: not in the queue
    page = curator.get("/curation/").get_data(as_text=True)
    assert page.index("Plus ancienne") < page.index("Plus récente")
    assert "Brouillon" not in page
    assert "soumise il y a 9 jours" in page
    assert re.search(r'<option value="corse">CTD Corse \(1\)</option>', page)
    filtered = curator.get("/curation/", query_string={"ctd": "corse"}).get_data(as_text=True)
    assert "Plus ancienne" in filtered and "Plus récente" not in filtered
    assert "1 sur 2" in filtered
    by_kind = curator.get("/curation/", query_string={"kind": "document"}).get_data(as_text=True)
    assert f"soumise-{older}" in by_kind and f"soumise-{newer}" not in by_kind


def test_publish_from_the_queue_without_javascript(app, curator):
    with app.app_context():
        resource_id = submitted("À publier", 2)
    token = csrf_token_from(curator.get("/curation/").get_data(as_text=True))
    response = curator.post(
        f"/curation/{resource_id}/publier", data={"csrf_token": token, "ctd": "bretagne"}
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/curation/?ctd=bretagne")
    assert status_of(app, resource_id) == "published"
    page = curator.get("/curation/?ctd=bretagne").get_data(as_text=True)
    assert "« À publier » est publiée." in page
    with app.app_context():
        resource = db.session.get(Resource, resource_id)
        # The freshness date: 18 months after publication.
        assert 540 <= (resource.review_by - resource.published_at).days <= 550


def test_return_from_the_queue_with_htmx_updates_it_in_place(app, curator):
    with app.app_context():
        resource_id = submitted("À revoir", 2)
        other = submitted("Autre", 3)
    token = csrf_token_from(curator.get("/curation/").get_data(as_text=True))
    url = f"/curation/{resource_id}/renvoyer"
    empty = curator.post(url, data={"csrf_token": token, "comment": " "},
                         headers={"HX-Request": "true"})  # fmt: skip
    assert empty.status_code == 200
    assert "Expliquez aux auteurs" in empty.get_data(as_text=True)
    assert status_of(app, resource_id) == "submitted"
    response = curator.post(url, data={"csrf_token": token, "comment": "Ajoutez la source."},
                            headers={"HX-Request": "true"})  # fmt: skip
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in fragment
    assert fragment.lstrip().startswith('<div id="file">')
    assert "renvoyée à ses auteurs" in fragment
    assert f"soumise-{resource_id}" not in fragment and f"soumise-{other}" in fragment
    assert status_of(app, resource_id) == "draft"
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert (event.action, event.comment) == ("resource.return", "Ajoutez la source.")


def test_a_queue_action_on_a_resource_no_longer_submitted_is_refused(app, curator):
    with app.app_context():
        resource_id = factories.resource("Brouillon")
    token = csrf_token_from(curator.get("/curation/").get_data(as_text=True))
    data = {"csrf_token": token, "comment": "x"}
    response = curator.post(f"/curation/{resource_id}/renvoyer", data=data, follow_redirects=True)
    assert response.status_code == 200
    assert status_of(app, resource_id) == "draft"
    assert curator.post("/curation/999999/publier", data={"csrf_token": token}).status_code == 404


def test_stale_resources_are_listed_marked_and_can_be_confirmed(app, curator, client):
    past = datetime.now(UTC) - timedelta(days=1)
    with app.app_context():
        stale = factories.resource("Ancienne", status="published", review_by=past)
        fresh = factories.resource(
            "Fraîche", status="published", review_by=datetime.now(UTC) + timedelta(days=30)
        )
    page = curator.get("/curation/").get_data(as_text=True)
    section = page[page.index('id="titre-a-verifier"') :]
    assert "Ancienne" in section and "Fraîche" not in section
    assert "À vérifier" in curator.get(f"/ressources/{stale}").get_data(as_text=True)
    assert "À vérifier" not in curator.get(f"/ressources/{fresh}").get_data(as_text=True)
    token = csrf_token_from(curator.get(f"/ressources/{stale}").get_data(as_text=True))
    curator.post(f"/ressources/{stale}/marquer-verifiee", data={"csrf_token": token})
    assert "À vérifier" not in curator.get(f"/ressources/{stale}").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Resource, stale).review_by > datetime.now(UTC) + timedelta(days=500)


def test_a_curator_relays_a_published_resource_with_a_note(app, curator, client):
    with app.app_context():
        resource_id = factories.resource("Bonne idée", status="published")
        draft = factories.resource("Brouillon")
    page = curator.get(f"/ressources/{resource_id}").get_data(as_text=True)
    token = csrf_token_from(page)
    url = f"/ressources/{resource_id}/relayer"
    assert curator.post(url, data={"csrf_token": token, "note": ""}).status_code == 422
    assert curator.post(url, data={"csrf_token": token, "note": "x" * 501}).status_code == 422
    assert curator.post(f"/ressources/{draft}/relayer",
                        data={"csrf_token": token, "note": "Non."}).status_code == 403  # fmt: skip
    response = curator.post(url, data={"csrf_token": token, "note": "Une méthode à reprendre."})
    assert response.status_code == 303
    shown = client.get(f"/ressources/{resource_id}").get_data(as_text=True)
    assert "Relayé par le CNIG le" in shown and "Une méthode à reprendre." in shown
    curator.post(f"/ressources/{resource_id}/ne-plus-relayer", data={"csrf_token": token})
    assert "Relayé par le CNIG" not in client.get(f"/ressources/{resource_id}").get_data(
        as_text=True
    )
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions[-2:] == ["resource.relay", "resource.unrelay"]
