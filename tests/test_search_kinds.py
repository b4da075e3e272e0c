"""The kinds of indexed document (search.kinds): each registered kind is
found, shown with its own card and linked to the same page by /recherche and
the API; and a search's miss is counted outside the request's session."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask
from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

from cnig_share.extensions import db
from cnig_share.models import SearchMiss
from cnig_share.search.kinds import KINDS
from cnig_share.workspace import services
from tests import factories

CURATOR = "curatrice@example.org"


def one_of_each_kind(app: Flask) -> None:
    """A published resource, an actor, a project, a roadmap and an open consultation,
    all with "PCRS"."""
    with app.app_context():
        factories.workspace(CURATOR)  # the IGN and a project, "PCRS mutualisé"
        factories.publish("Guide du PCRS", body="Le plan de corps de rue simplifié.")
        services.save_actor(
            None, {"name": "Agence PCRS", "type": "operateur-national"}, factories.user(CURATOR)
        )
        roadmap = "Notre feuille de route pour un PCRS commun."
        services.save_roadmap(factories.ctd("bretagne"), roadmap, "", factories.user(CURATOR))
        db.session.commit()
    factories.consultation(app, CURATOR, "Consultation sur le PCRS")


def pages_of_every_kind(app: Flask) -> dict[str, set[str]]:
    """The URL of every item the index shows, by kind name, as each kind says it."""
    pages: dict[str, set[str]] = {}
    with app.test_request_context(), Session(db.engine) as session:
        for kind in KINDS:
            shown = kind.load(session, None, for_index=False)
            pages[kind.name] = {kind.url(item, external=True) for item in shown}
    return pages


def test_every_kind_has_its_card_and_the_same_url_in_the_page_and_the_api(app, client):
    one_of_each_kind(app)
    expected = pages_of_every_kind(app)
    assert all(expected.values()), f"a kind with nothing to show: {expected}"

    payload = client.get("/api/v1/search", query_string={"q": "pcrs", "per_page": 50}).get_json()
    api_urls = {hit["url"] for hit in payload["results"]}
    page = client.get("/recherche", query_string={"q": "pcrs", "per_page": 50}).get_data(
        as_text=True
    )
    assert page.count('<h2 class="fr-card__title') == len(api_urls) == payload["total"]
    for name, urls in expected.items():
        for url in urls:
            assert url in api_urls, name
            assert f'<a href="{urlsplit(url).path}">' in page, name


def test_a_kind_filter_finds_that_kind_only(app, client):
    one_of_each_kind(app)
    for kind_filter, path in [
        ("projet", "/ctd/bretagne/projets/"),
        ("acteur", "/acteurs/"),
        ("feuille-de-route", "/ctd/bretagne/feuille-de-route"),
    ]:
        payload = client.get("/api/v1/search", query_string={"kind": kind_filter}).get_json()
        assert payload["total"] >= 1
        assert {hit["kind"] for hit in payload["results"]} == {kind_filter}
        assert all(urlsplit(hit["url"]).path.startswith(path) for hit in payload["results"])


# --- searches without results: counted outside the request's session ---------------------


def test_a_search_without_results_is_counted_without_committing_the_request(app, client):
    commits: list[Session] = []

    def committed(session: Session) -> None:
        commits.append(session)

    with app.app_context():
        event.listen(db.session, "after_commit", committed)
    try:
        assert client.get("/recherche", query_string={"q": "introuvable"}).status_code == 200
        assert client.get("/api/v1/search", query_string={"q": "introuvable"}).status_code == 200
    finally:
        with app.app_context():
            event.remove(db.session, "after_commit", committed)
    assert commits == []
    with app.app_context():
        assert (
            db.session.scalar(select(SearchMiss.count).where(SearchMiss.query == "introuvable"))
            == 2
        )


def test_a_miss_that_cannot_be_counted_leaves_the_search_answering(app, client):
    with app.app_context():
        db.session.execute(text("DROP TABLE search_miss"))
        db.session.commit()
    page = client.get("/recherche", query_string={"q": "introuvable"})
    assert page.status_code == 200
    assert "Rien de ce qui est publié ne correspond" in page.get_data(as_text=True)
    response = client.get("/api/v1/search", query_string={"q": "introuvable"})
    assert response.status_code == 200 and response.get_json()["total"] == 0
