"""Public pages: home, CTD directory, glossary, resources listing."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from cnig_share.extensions import db
from cnig_share.models import Ctd, GlossaryTerm, Resource
from tests import factories


@pytest.fixture
def resources(app):
    """One published and one draft resource of the CTD Bretagne."""
    with app.app_context():
        bretagne = db.session.scalar(select(Ctd).where(Ctd.slug == "bretagne"))
        term = db.session.scalar(select(GlossaryTerm).where(GlossaryTerm.slug == "mutualisation"))
        published = Resource(
            title="Mutualiser l'achat d'orthophotographies",
            summary="Comment huit départements ont partagé une commande.",
            body="## Contexte\n\nUn **marché** commun.",
            kind="retour-experience",
            ctd=bretagne,
            status="published",
            published_at=datetime(2026, 3, 1, 10, tzinfo=UTC),
            terms=[term],
        )
        draft = Resource(
            title="Brouillon confidentiel", kind="document", ctd=bretagne, status="draft"
        )
        db.session.add_all([published, draft])
        db.session.commit()
        return {"published": published.id, "draft": draft.id}


def test_home_shows_the_dsfr_layout_and_empty_states(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="fr"' in html
    assert 'class="fr-header"' in html
    assert "République<br>Française" in html
    assert "fr-skiplinks" in html
    assert 'role="search"' in html
    assert "Aucune ressource n&#39;a encore été publiée." in html
    assert "Aucune sélection n&#39;a encore été publiée." in html
    for label in ["Ressources", "Glossaire"]:
        assert f">{label}</a>" in html
    assert ">CTD</button>" in html  # the CTD menu
    assert "/static/vendor/dsfr/dsfr.min.css" in html
    assert "/static/vendor/htmx/htmx.min.js" in html


def test_home_lists_published_resources_only(client, resources):
    html = client.get("/").get_data(as_text=True)
    assert "Mutualiser l&#39;achat d&#39;orthophotographies" in html
    assert "Brouillon confidentiel" not in html
    assert "publiée le 1er mars 2026" in html


def test_ctd_directory_lists_the_eighteen_ctds_in_french_order(client):
    html = client.get("/ctd/").get_data(as_text=True)
    assert "18 comités" in html
    regions = [
        "Auvergne-Rhône-Alpes", "Hauts-de-France", "Île-de-France", "La Réunion", "Mayotte",
    ]  # fmt: skip
    positions = [html.index(f"CTD {region}") for region in regions]
    assert positions == sorted(positions)


def test_ctd_page_shows_description_members_and_published_resources(client, resources, make_user):
    make_user("a@exemple.fr", ctds=("bretagne",))
    make_user("b@exemple.fr", ctds=("bretagne", "corse"))
    response = client.get("/ctd/bretagne")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h1>CTD Bretagne</h1>" in html
    assert "co-pilotage de la Région et de l&#39;État" in html
    assert "<dt>Membres inscrits</dt><dd>2</dd>" in html
    assert "Mutualiser l&#39;achat" in html
    assert "Brouillon confidentiel" not in html


def test_ctd_page_without_resources_says_so(client):
    html = client.get("/ctd/mayotte").get_data(as_text=True)
    assert "Ce comité n&#39;a pas encore publié de ressource." in html


def test_unknown_ctd_is_a_404(client):
    assert client.get("/ctd/atlantide").status_code == 404


def test_glossary_lists_terms_with_alternative_labels(client):
    html = client.get("/glossaire/").get_data(as_text=True)
    assert "Donnée territoriale" in html
    assert "CTD" in html
    assert 'href="/glossaire/jumeau-numerique-de-territoire"' in html


def test_glossary_term_page_shows_relations_and_tagged_resources(client, resources):
    html = client.get("/glossaire/mutualisation").get_data(as_text=True)
    assert "Mise en commun" in html
    assert 'href="/glossaire/comite-territorial-de-la-donnee"' in html
    assert "Mutualiser l&#39;achat" in html
    geographique = client.get("/glossaire/donnee-geographique").get_data(as_text=True)
    assert "Terme générique" in geographique
    assert 'href="/glossaire/donnee-geolocalisee"' in geographique


def test_resources_listing_filters_and_hides_drafts(client, resources):
    html = client.get("/ressources/").get_data(as_text=True)
    assert "1 ressource publiée" in html
    assert "Brouillon confidentiel" not in html
    empty = client.get("/ressources/?ctd=corse").get_data(as_text=True)
    assert "Aucune ressource publiée ne correspond à ces critères" in empty
    assert "apparaîtront ici" not in empty  # a filter that finds nothing is not "not yet"
    by_kind = client.get("/ressources/?kind=retour-experience").get_data(as_text=True)
    assert "Mutualiser" in by_kind
    assert "Mutualiser" not in client.get("/ressources/?kind=document").get_data(as_text=True)


def test_resources_listing_words_are_the_search_with_its_filters(client, resources):
    """The listing's text field was a LIKE on title and summary: "orthophotographie"
    found nothing, "donnees" nothing where "données" found. Words now go to the search,
    with the same analysis, keeping the type and the CTD."""
    response = client.get("/ressources/?q=orthophotographie+commande&kind=retour-experience")
    assert response.status_code == 302
    assert response.headers["Location"] == (
        "/recherche?q=orthophotographie+commande&kind=retour-experience"
    )
    followed = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Mutualiser" in followed
    accents = client.get("/ressources/?q=departements+partage", follow_redirects=True)
    assert "Mutualiser" in accents.get_data(as_text=True)
    assert "apparaîtront ici" not in accents.get_data(as_text=True)
    kept = client.get("/ressources/?q=x&ctd=corse&kind=<b>").headers["Location"]
    assert kept == "/recherche?q=x&ctd=corse"  # an unknown type is dropped, as before
    blank = client.get("/ressources/?q=+++")
    assert blank.status_code == 200  # only spaces: the listing itself


@pytest.mark.parametrize(
    "query", ["page=abc", "page=-3", "page=99999", "kind=<script>", "q=" + "é" * 5000]
)
def test_resources_listing_survives_odd_parameters(client, resources, query):
    response = client.get(f"/ressources/?{query}", follow_redirects=True)
    assert response.status_code == 200
    assert "<script>" not in response.get_data(as_text=True).split("<main")[1]


def test_published_resource_page_renders_sanitised_markdown(client, resources):
    response = client.get(f"/ressources/{resources['published']}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h2>Contexte</h2>" in html
    assert "<strong>marché</strong>" in html
    assert 'href="/glossaire/mutualisation"' in html


def test_slugged_resource_url_redirects_to_the_canonical_slug(client, resources):
    response = client.get(f"/ressources/{resources['published']}-ancien-titre")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(
        f"/ressources/{resources['published']}-mutualiser-l-achat-d-orthophotographies"
    )


def test_draft_is_a_404_for_a_visitor(client, resources):
    response = client.get(f"/ressources/{resources['draft']}")
    assert response.status_code == 404
    assert "Brouillon confidentiel" not in response.get_data(as_text=True)


def test_draft_is_a_404_for_a_member_of_another_ctd(client, auth, resources, make_user):
    auth.login(make_user("x@exemple.fr", ctds=("corse",)))
    assert client.get(f"/ressources/{resources['draft']}").status_code == 404


def test_draft_is_visible_to_its_ctd_and_to_curators(app, resources, make_user):
    from tests.conftest import AuthActions

    for email, role, ctds in [
        ("m@exemple.fr", "member", ("bretagne",)),
        ("c@exemple.fr", "curator", ()),
    ]:
        client = app.test_client()
        AuthActions(client).login(make_user(email, role, ctds))
        response = client.get(f"/ressources/{resources['draft']}")
        assert response.status_code == 200, email
        assert "Brouillon" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "page, link",
    [("/glossaire/mutualisation", "/recherche?term=mutualisation&sort=recent"),
     ("/ctd/corse", "/recherche?ctd=corse&sort=recent")],
)  # fmt: skip
def test_term_and_ctd_pages_show_the_newest_and_lead_to_the_rest(app, client, page, link):
    with app.app_context():
        term = factories.term("mutualisation")
        ids = []
        for n in range(15):
            day = datetime(2026, 1, 1 + n, 9, tzinfo=UTC)
            ids.append(factories.resource(f"Ressource {n}", "corse", "published", published_at=day))
        for resource in db.session.scalars(select(Resource).where(Resource.id.in_(ids))):
            resource.terms.append(term)
        db.session.commit()
    html = client.get(page).get_data(as_text=True)
    shown = {int(i) for i in re.findall(r'href="/ressources/(\d+)', html)}
    assert shown == set(ids[-12:])  # the twelve most recent
    assert "Voir les 15 ressources" in html and link.replace("&", "&amp;") in html
