"""Atom feeds and the watch's public pages: relays and selections."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import feedparser
import pytest

from cnig_share.extensions import db
from cnig_share.models import Resource, Selection, SelectionItem
from tests import factories
from tests.conftest import csrf_token_from

CURATOR = "veille@cnig.example.org"


@pytest.fixture
def curator(client, auth, make_user):
    make_user(CURATOR, role="curator")
    auth.login(CURATOR)
    return client


publish = factories.publish


def feed(client, url: str, **params):
    response = client.get(url, query_string=params)
    assert response.status_code == 200, url
    assert response.mimetype == "application/atom+xml"
    parsed = feedparser.parse(response.get_data())
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10"
    assert parsed.feed.id and parsed.feed.updated and parsed.feed.author
    assert any(link.rel == "self" for link in parsed.feed.links)
    for entry in parsed.entries:
        assert entry.id and entry.updated and entry.author and entry.link
    return parsed


@pytest.fixture
def content(app):
    """Published resources, and a draft, a submission and an archive that
    share a unique word: none of those may appear in any feed."""
    with app.app_context():
        made = {
            "bzh": publish("Adressage breton", body="toponymie", ctd="bretagne",
                           terms=["donnee-geographique"]),
            "corse": publish("Cadastre corse", body="toponymie", ctd="corse"),
        }  # fmt: skip
        for status in ("draft", "submitted", "archived"):
            made[status] = publish(f"Caché {status}", body="toponymie", ctd="bretagne",
                                   status=status, terms=["donnee-geographique"])  # fmt: skip
        relayed = db.session.get(Resource, made["corse"])
        relayed.relayed_at, relayed.relay_note = datetime.now(UTC), "À lire."
        hidden = db.session.get(Resource, made["archived"])
        hidden.relayed_at, hidden.relay_note = datetime.now(UTC), "Archivée."
        db.session.add(Selection(
            slug="veille-mars", title="Veille de mars", introduction="Trois lectures.",
            published_at=datetime.now(UTC) - timedelta(days=1),
            items=[SelectionItem(resource_id=made["bzh"], position=0),
                   SelectionItem(resource_id=made["draft"], position=1)],
        ))  # fmt: skip
        db.session.add(Selection(slug="a-venir", title="Sélection à venir",
                                 published_at=datetime.now(UTC) + timedelta(days=5)))  # fmt: skip
        db.session.commit()
    return made


def titles(parsed) -> set[str]:
    return {entry.title for entry in parsed.entries}


def test_every_feed_is_valid_atom_with_published_content_only(client, content):
    feeds = {
        "/flux/ressources.atom": {"Adressage breton", "Cadastre corse"},
        "/flux/ctd/bretagne.atom": {"Adressage breton"},
        "/flux/glossaire/donnee-geolocalisee.atom": {"Adressage breton"},  # a narrower term's
        "/flux/relais.atom": {"Cadastre corse"},
        "/flux/selections.atom": {"Veille de mars"},
    }
    for url, expected in feeds.items():
        assert titles(feed(client, url)) == expected, url
    searched = feed(client, "/flux/ressources.atom", q="toponymie", ctd="corse")
    assert titles(searched) == {"Cadastre corse"}
    assert "toponymie" in searched.feed.title


def test_feed_entries_link_to_their_pages_and_name_their_ctd(client, content):
    entry = next(e for e in feed(client, "/flux/ctd/bretagne.atom").entries)
    assert entry.link.endswith(f"/ressources/{content['bzh']}")
    assert entry.author == "CTD Bretagne"
    assert {tag.term for tag in entry.tags} == {"donnée géographique"}


def test_pages_announce_their_feeds(client, content):
    pages = {
        "/recherche?q=toponymie": "/flux/ressources.atom?q=toponymie",
        "/ctd/bretagne": "/flux/ctd/bretagne.atom",
        "/glossaire/mutualisation": "/flux/glossaire/mutualisation.atom",
        "/relais/": "/flux/relais.atom",
        "/selections/": "/flux/selections.atom",
    }
    for page, href in pages.items():
        html = client.get(page).get_data(as_text=True)
        assert f'<link rel="alternate" type="application/atom+xml" href="{href}"' in html, page


def test_unknown_feeds_are_404_and_odd_searches_still_answer(client, content):
    assert client.get("/flux/ctd/atlantide.atom").status_code == 404
    assert client.get("/flux/glossaire/inconnu.atom").status_code == 404
    for q in ['"', "x" * 5000, "AND OR", "\U0001f600"]:
        feed(client, "/flux/ressources.atom", q=q)


def test_relays_and_selections_pages_show_published_content_only(client, content):
    relays = client.get("/relais/").get_data(as_text=True)
    assert "Cadastre corse" in relays and "À lire." in relays and "Caché" not in relays
    selection = client.get("/selections/veille-mars").get_data(as_text=True)
    assert "Adressage breton" in selection and "Caché draft" not in selection
    assert client.get("/selections/a-venir").status_code == 404  # not yet public
    listing = client.get("/selections/").get_data(as_text=True)
    assert "Veille de mars" in listing and "Sélection à venir" not in listing
    assert "Veille de mars" in client.get("/").get_data(as_text=True)


def test_a_curator_composes_and_orders_a_selection(app, curator, client):
    with app.app_context():
        first, second = publish("Premier"), publish("Second")
        draft = factories.resource("Brouillon")
    page = curator.get("/selections/nouvelle").get_data(as_text=True)
    token = csrf_token_from(page)
    response = curator.post("/selections/nouvelle", data={
        "csrf_token": token, "title": "Veille d'avril", "introduction": "**Deux** lectures.",
        "published_on": "2026-04-01",
    })  # fmt: skip
    assert response.status_code == 303
    url = response.headers["Location"]
    assert url.endswith("/selections/veille-d-avril")
    for reference in (str(first), f"http://localhost/ressources/{second}-second"):
        curator.post(url + "/elements", data={"csrf_token": token, "resource": reference})
    refused = curator.post(url + "/elements", data={"csrf_token": token, "resource": str(draft)},
                           follow_redirects=True)  # fmt: skip
    assert "Seules les ressources publiées" in refused.get_data(as_text=True)
    for reference in ("abc", "/ressources/99999999999", "²"):  # the number beyond PostgreSQL's
        unknown = curator.post(url + "/elements", data={"csrf_token": token, "resource": reference},
                               follow_redirects=True)  # fmt: skip
        assert unknown.status_code == 200
        assert "Aucune ressource ne porte" in unknown.get_data(as_text=True)
    html = client.get(url).get_data(as_text=True)
    assert html.index("Premier") < html.index("Second") and "<strong>Deux</strong>" in html
    with app.app_context():
        items = db.session.query(SelectionItem).order_by(SelectionItem.position).all()
        second_item = items[1].id
    curator.post(f"{url}/elements/{second_item}/monter", data={"csrf_token": token})
    html = client.get(url).get_data(as_text=True)
    assert html.index("Second") < html.index("Premier")
    curator.post(f"{url}/elements/{second_item}/retirer", data={"csrf_token": token})
    assert "Second" not in client.get(url).get_data(as_text=True)
    assert curator.post(f"{url}/elements/{second_item}/voler",
                        data={"csrf_token": token}).status_code in (303, 404)  # fmt: skip


def test_only_curators_compose_selections(app, client, auth, make_user):
    make_user("membre@ctd.example.org", ctds=("bretagne",))
    auth.login("membre@ctd.example.org")
    assert client.get("/selections/nouvelle").status_code == 403
