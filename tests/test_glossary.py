"""The glossary: curators' changes and their rules, the A–Z index, exchange
as SKOS and CSV, tagging help, and what search does with it."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.namespace import SKOS
from sqlalchemy import select

from cnig_share.database import ensure_reference_data
from cnig_share.extensions import db
from cnig_share.models import AuditEvent, GlossaryTerm, Resource
from cnig_share.resources.attachments import add_attachment
from tests import factories
from tests.conftest import csrf_token_from

CURATOR = "veille@cnig.example.org"


@pytest.fixture
def curator(client, auth, make_user):
    make_user(CURATOR, role="curator")
    auth.login(CURATOR)
    return client


def term_form(client, url: str, **fields):
    """POST the curator's term form with a fresh CSRF token."""
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    data = {"definition": "Une définition.", "csrf_token": token, **fields}
    return client.post(url, data=data)


def term_id(app, slug: str) -> int:
    with app.app_context():
        return factories.term(slug).id


def actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


# --- curators' changes ----------------------------------------------------------------


def test_a_curator_creates_a_term_with_relations_both_ways(app, curator):
    response = term_form(
        curator, "/glossaire/nouveau",
        pref_label="Base adresse locale",
        alt_labels="BAL\n\nBase Adresse Locale\nbases adresses locales",
        broader=[term_id(app, "referentiel-de-donnees")],
        related=[term_id(app, "mutualisation")],
    )  # fmt: skip
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/glossaire/base-adresse-locale")
    page = curator.get("/glossaire/base-adresse-locale").get_data(as_text=True)
    assert "BAL" in page and "Référentiel de données".lower() in page.lower()
    with app.app_context():
        term = factories.term("base-adresse-locale")
        # The preferred label again is dropped; a plural form stays for other tools.
        assert term.alt_label_texts == ["BAL", "bases adresses locales"]
        assert factories.term("mutualisation") in term.related
        assert term in factories.term("mutualisation").related
        assert term in factories.term("referentiel-de-donnees").narrower
    assert actions(app)[-1] == "glossary.create"


@pytest.mark.parametrize(
    "label", ["Données ouvertes", "DONNEE OUVERTE", "donnees  ouvertes", "Open data"]
)
def test_a_label_naming_another_term_is_refused_whatever_its_accents_case_or_plural(
    app, curator, label
):
    response = term_form(curator, "/glossaire/nouveau", pref_label="Autre", alt_labels=label)
    assert response.status_code == 422
    assert "désigne déjà le terme « donnée ouverte »" in response.get_data(as_text=True)
    with app.app_context():
        assert factories.term("autre") is None


def test_a_cycle_in_the_hierarchy_is_refused(app, curator):
    # donnée géographique is below donnée géolocalisée (reference data).
    with app.app_context():
        assert (
            factories.term("donnee-geolocalisee") in factories.term("donnee-geographique").broader
        )
    response = term_form(
        curator, "/glossaire/donnee-geolocalisee/modifier",
        pref_label="donnée géolocalisée",
        broader=[term_id(app, "donnee-geographique")],
    )  # fmt: skip
    assert response.status_code == 422
    assert "boucle" in response.get_data(as_text=True)
    response = term_form(
        curator, "/glossaire/donnee-geolocalisee/modifier",
        pref_label="donnée géolocalisée", broader=[term_id(app, "donnee-geolocalisee")],
    )  # fmt: skip
    assert response.status_code == 422  # itself: not even offered as a choice
    with app.app_context():
        assert factories.term("donnee-geolocalisee").broader == []


def test_a_broader_or_narrower_term_cannot_also_be_related(app, curator):
    response = term_form(
        curator, "/glossaire/donnee-geolocalisee/modifier",
        pref_label="donnée géolocalisée", related=[term_id(app, "donnee-geographique")],
    )  # fmt: skip
    assert response.status_code == 422
    assert "ne peut pas être aussi un terme associé" in response.get_data(as_text=True)


def test_a_renamed_term_answers_at_its_old_address(app, curator):
    response = term_form(
        curator, "/glossaire/mutualisation/modifier", pref_label="Mutualisation des moyens"
    )
    assert response.headers["Location"].endswith("/glossaire/mutualisation-des-moyens")
    old = curator.get("/glossaire/mutualisation")
    assert old.status_code == 301
    assert old.headers["Location"].endswith("/glossaire/mutualisation-des-moyens")
    assert curator.get("/glossaire/mutualisation/modifier").status_code == 301
    # init-db's reference data does not bring the term back under its old slug.
    with app.app_context():
        ensure_reference_data()
        db.session.commit()
        assert factories.term("mutualisation") is None


def test_merge_moves_resources_labels_and_address(app, curator, client):
    with app.app_context():
        resource_id = factories.resource(
            "Plateforme régionale", status="published",
            terms=[factories.term("plateforme-de-donnees"), factories.term("mutualisation")],
        )  # fmt: skip
    url = "/glossaire/plateforme-de-donnees/fusionner"
    token = csrf_token_from(curator.get(url).get_data(as_text=True))
    for bad in ("", "abc", "999999", str(term_id(app, "plateforme-de-donnees"))):
        refused = curator.post(url, data={"kept": bad, "csrf_token": token})
        assert refused.status_code == 422
    assert "Choisissez le terme conservé." in curator.post(
        url, data={"kept": "", "csrf_token": token}
    ).get_data(as_text=True)
    kept = term_id(app, "espace-commun-de-donnees")
    response = curator.post(url, data={"kept": kept, "csrf_token": token})
    assert response.headers["Location"].endswith("/glossaire/espace-commun-de-donnees")
    with app.app_context():
        assert factories.term("plateforme-de-donnees") is None
        resource = db.session.get(Resource, resource_id)
        assert {t.slug for t in resource.terms} == {"espace-commun-de-donnees", "mutualisation"}
        labels = factories.term("espace-commun-de-donnees").alt_label_texts
        assert {"plateforme de données", "portail de données", "data space"} <= set(labels)
    old = client.get("/glossaire/plateforme-de-donnees")
    assert old.status_code == 301 and old.headers["Location"].endswith("/espace-commun-de-donnees")
    # Search follows: the merged term's label now finds the kept term's resources.
    found = client.get("/api/v1/search", query_string={"q": "portail de données"}).get_json()
    assert [hit["id"] for hit in found["results"]] == [resource_id]
    assert actions(app)[-1] == "glossary.merge"


def test_a_term_in_use_cannot_be_deleted_an_unused_one_can(app, curator):
    with app.app_context():
        factories.resource("Brouillon", terms=[factories.term("mutualisation")])
    url = "/glossaire/mutualisation/supprimer"
    page = curator.get("/glossaire/mutualisation/modifier").get_data(as_text=True)
    token = csrf_token_from(page)
    confirmed = {"csrf_token": token, "confirmed": "1"}
    response = curator.post(url, data=confirmed, follow_redirects=True)
    assert "est utilisé par 1 ressource" in response.get_data(as_text=True)
    assert curator.get("/glossaire/mutualisation").status_code == 200

    url = "/glossaire/standard-de-donnees/supprimer"
    response = curator.post(url, data=confirmed)
    assert response.status_code == 302
    assert curator.get("/glossaire/standard-de-donnees").status_code == 404
    assert actions(app)[-1] == "glossary.delete"
    with app.app_context():
        ensure_reference_data()
        db.session.commit()
        assert factories.term("standard-de-donnees") is None


def test_only_curators_manage_the_glossary(app, client, auth, make_user):
    assert client.get("/glossaire/nouveau").status_code == 302  # to the sign-in page
    make_user("membre@ctd.example.org", ctds=("bretagne",))
    auth.login("membre@ctd.example.org")
    assert client.get("/glossaire/nouveau").status_code == 403
    assert client.get("/glossaire/mutualisation/modifier").status_code == 403
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    response = client.post("/glossaire/mutualisation/supprimer", data={"csrf_token": token})
    assert response.status_code == 403
    assert "Modifier" not in client.get("/glossaire/mutualisation").get_data(as_text=True)


# --- pages --------------------------------------------------------------------------


def test_index_has_letters_counts_and_a_filter_that_works_without_javascript(app, client):
    with app.app_context():
        factories.resource(
            "Publiée", status="published", terms=[factories.term("donnee-geographique")]
        )
        factories.resource("Brouillon", terms=[factories.term("donnee-geolocalisee")])
    page = client.get("/glossaire/").get_data(as_text=True)
    assert 'href="#lettre-D"' in page and 'id="lettre-D"' in page
    assert '<span aria-disabled="true" class="cs-letters__empty">Z</span>' in page
    # donnée géolocalisée counts the resource of its narrower term, not the draft.
    entry = page[page.index("/glossaire/donnee-geolocalisee") :]
    assert "1 ressource publiée" in entry[: entry.index("</li>")]
    filtered = client.get("/glossaire/", query_string={"q": "ctd"}).get_data(as_text=True)
    assert "Comité territorial de la donnée" in filtered and "Mutualisation" not in filtered
    assert "1 terme correspond" in filtered


def test_the_filter_answers_htmx_with_the_entries_only(client):
    response = client.get("/glossaire/", query_string={"q": "IA"}, headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert "<html" not in body and "Intelligence artificielle" in body
    assert "HX-Request" in response.headers["Vary"]


def test_term_page_lists_resources_of_narrower_terms(app, client):
    with app.app_context():
        factories.resource(
            "Cadastre de Rennes", status="published", terms=[factories.term("donnee-geographique")]
        )
        factories.resource("Cadastre en brouillon", terms=[factories.term("donnee-geographique")])
    page = client.get("/glossaire/donnee-geolocalisee").get_data(as_text=True)
    assert "Cadastre de Rennes" in page and "Cadastre en brouillon" not in page
    assert 'href="/glossaire/donnee-geographique"' in page  # the narrower term, as a link


def test_resource_tags_carry_their_definition_as_a_tooltip(app, client):
    with app.app_context():
        resource_id = factories.resource(
            "Outil", status="published", terms=[factories.term("mutualisation")]
        )
    page = client.get(f"/ressources/{resource_id}").get_data(as_text=True)
    assert 'aria-describedby="definition-mutualisation"' in page
    tooltip = re.search(r'class="cs-tooltip" id="definition-mutualisation"[^>]*>([^<]+)', page)
    assert tooltip and tooltip.group(1).startswith("Mise en commun")


# --- exchange -----------------------------------------------------------------------


def test_turtle_is_skos_with_french_labels(client):
    response = client.get("/glossaire.ttl", headers={"Host": "malveillant.example"})
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    g = rdflib.Graph().parse(data=response.get_data(as_text=True), format="turtle")
    # Concept URIs come from PUBLIC_URL, never from the request's Host header.
    concept = rdflib.URIRef("http://127.0.0.1:5000/glossaire/comite-territorial-de-la-donnee")
    assert (concept, rdflib.RDF.type, SKOS.Concept) in g
    assert rdflib.Literal("comité territorial de la donnée", lang="fr") in set(
        g.objects(concept, SKOS.prefLabel)
    )
    assert rdflib.Literal("CTD", lang="fr") in set(g.objects(concept, SKOS.altLabel))
    assert all(literal.language == "fr" for literal in g.objects(None, SKOS.definition))
    for predicate in (SKOS.broader, SKOS.narrower, SKOS.related, SKOS.definition):
        assert any(g.triples((None, predicate, None))), predicate
    jsonld = client.get("/glossaire.jsonld")
    assert jsonld.mimetype == "application/ld+json"
    from_jsonld = rdflib.Graph().parse(data=jsonld.get_data(as_text=True), format="json-ld")
    assert isomorphic(g, from_jsonld)


@pytest.mark.parametrize("extension", ["ttl", "csv"])
def test_export_then_import_gives_back_the_same_vocabulary(app, curator, tmp_path, extension):
    term_form(
        curator, "/glossaire/nouveau", pref_label="Base adresse locale", alt_labels="BAL",
        broader=[term_id(app, "referentiel-de-donnees"), term_id(app, "donnee-geographique")],
        related=[term_id(app, "mutualisation")], scope_note="Pour les adresses.",
        source="Loi 3DS",
    )  # fmt: skip
    runner = app.test_cli_runner()
    exported = tmp_path / f"glossaire.{extension}"
    assert runner.invoke(args=["glossary", "export", str(exported)]).exit_code == 0
    before = exported.read_text()
    # Change, break and remove things, then import the export.
    term_form(curator, "/glossaire/mutualisation/modifier", pref_label="mutualisation",
              alt_labels="partage", definition="Autre chose.")  # fmt: skip
    with app.app_context():
        db.session.delete(factories.term("base-adresse-locale"))
        factories.term("donnee-territoriale").related = []
        db.session.commit()
    result = runner.invoke(args=["glossary", "import", str(exported)])
    assert result.exit_code == 0, result.output
    again = tmp_path / f"again.{extension}"
    runner.invoke(args=["glossary", "export", str(again)])
    if extension == "csv":
        assert again.read_text() == before
    else:
        assert isomorphic(
            rdflib.Graph().parse(data=before, format="turtle"),
            rdflib.Graph().parse(data=again.read_text(), format="turtle"),
        )


def test_the_csv_neutralises_formulas_and_its_import_gives_the_text_back(app, curator, tmp_path):
    """Cells that a spreadsheet would run get a quote in front (OWASP); the
    import takes it off, so a Markdown list survives export → import."""
    definition = "- premier point\n- second point"
    typed = {"scope_note": '=HYPERLINK("http://x.example")', "source": "'@équipe"}
    term_form(curator, "/glossaire/nouveau", pref_label="Base adresse locale",
              definition=definition, **typed)  # fmt: skip
    runner = app.test_cli_runner()
    exported = tmp_path / "glossaire.csv"
    assert runner.invoke(args=["glossary", "export", str(exported)]).exit_code == 0
    with exported.open(newline="", encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["slug"] == "base-adresse-locale")
    assert row["definition"] == "'" + definition
    assert row["scope_note"] == "'" + typed["scope_note"]
    assert row["source"] == "''@équipe"  # a quote already there is escaped too
    with app.app_context():
        db.session.delete(factories.term("base-adresse-locale"))
        db.session.commit()
    result = runner.invoke(args=["glossary", "import", str(exported)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        term = factories.term("base-adresse-locale")
        assert term.definition == definition
        assert (term.scope_note, term.source) == (typed["scope_note"], typed["source"])
    again = tmp_path / "again.csv"
    runner.invoke(args=["glossary", "export", str(again)])
    assert again.read_text() == exported.read_text()
    response = curator.get("/glossaire.csv")  # the download is the same file
    assert response.get_data() == exported.read_bytes()


def test_an_import_with_one_bad_line_imports_nothing(app, tmp_path):
    rows = [
        ["slug", "pref_label", "alt_labels", "definition", "scope_note", "source",
         "broader", "related", "created_at", "updated_at"],
        ["cadastre", "cadastre", "PCI", "Le plan cadastral.", "", "", "", "", "", ""],
        ["Mauvais Slug", "mauvais", "", "", "", "", "", "", "", ""],
        ["orphelin", "orphelin", "", "", "", "", "inconnu", "", "hier", ""],
    ]  # fmt: skip
    path = tmp_path / "termes.csv"
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    result = app.test_cli_runner().invoke(args=["glossary", "import", str(path)])
    assert result.exit_code == 1
    assert "ligne 3, colonne slug" in result.output
    assert "ligne 4, colonne created_at" in result.output
    with app.app_context():
        assert factories.term("cadastre") is None


def test_a_turtle_import_names_each_bad_triple(app, tmp_path):
    path = tmp_path / "termes.ttl"
    path.write_text(
        """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<http://example.org/voc/cadastre> a skos:Concept ; skos:prefLabel "cadastre"@fr ;
    skos:broader <http://example.org/voc/inconnu> .
<http://example.org/voc/vide> a skos:Concept .
"""
    )
    result = app.test_cli_runner().invoke(args=["glossary", "import", str(path)])
    assert result.exit_code == 1
    assert "<http://example.org/voc/cadastre> skos:broader <http://example.org/voc/inconnu>" in (
        result.output
    )
    assert "<http://example.org/voc/vide> skos:prefLabel" in result.output
    path.write_text("ceci n'est pas du Turtle .")
    result = app.test_cli_runner().invoke(args=["glossary", "import", str(path)])
    assert result.exit_code == 1 and "fichier illisible" in result.output


def test_an_external_skos_file_is_imported_with_its_hierarchy(app, client, tmp_path):
    path = tmp_path / "termes.ttl"
    path.write_text(
        """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <http://example.org/voc/> .
ex:cadastre a skos:Concept ; skos:prefLabel "cadastre"@fr, "cadastre"@en ;
    skos:altLabel "PCI"@fr ; skos:definition "Le plan cadastral informatisé."@fr ;
    skos:broader <http://localhost/glossaire/referentiel-de-donnees> .
ex:parcelle a skos:Concept ; skos:prefLabel "parcelle"@fr ; skos:broader ex:cadastre ;
    skos:related <http://localhost/glossaire/mutualisation> .
"""
    )
    result = app.test_cli_runner().invoke(args=["glossary", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 terme(s) créé(s)" in result.output
    terms = {t["slug"]: t for t in client.get("/api/v1/glossary").get_json()["terms"]}
    assert terms["cadastre"]["alt_labels"] == ["PCI"]
    assert terms["cadastre"]["broader"] == ["referentiel-de-donnees"]
    assert terms["cadastre"]["narrower"] == ["parcelle"]
    assert terms["parcelle"]["related"] == ["mutualisation"]
    assert "parcelle" in terms["mutualisation"]["related"]  # both ways


def test_api_glossary_lists_every_term_with_spec_fields(client):
    response = client.get("/api/v1/glossary")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    terms = response.get_json()["terms"]
    assert len(terms) == 13
    ctd = next(t for t in terms if t["slug"] == "comite-territorial-de-la-donnee")
    assert {"slug", "label", "alt_labels", "definition", "broader", "narrower", "related",
            "url"} <= set(ctd)  # fmt: skip
    assert "CTD" in ctd["alt_labels"]
    assert ctd["url"] == "http://127.0.0.1:5000/glossaire/comite-territorial-de-la-donnee"


def test_csv_export_has_the_documented_columns(client):
    response = client.get("/glossaire.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["slug", "pref_label", "alt_labels", "definition", "scope_note", "source",
                       "broader", "related", "created_at", "updated_at"]  # fmt: skip
    assert len(rows) == 14


# --- tagging help -------------------------------------------------------------------


def test_terms_named_in_text_and_attachments_are_proposed(app, client, auth, make_user):
    from cnig_share.demo import sample_files

    make_user("membre@ctd.example.org", ctds=("bretagne",))
    with app.app_context():
        resource_id = factories.resource("Rapport", body="Rien de particulier.")
        resource = db.session.get(Resource, resource_id)
        pdf = sample_files.pdf("Annexe", ["Nos JUMEAUX NUMÉRIQUES de territoire avancent."])
        add_attachment(resource, pdf, "annexe.pdf")
        db.session.commit()
    factories.run_extraction(app)
    auth.login("membre@ctd.example.org")
    page = client.get(f"/ressources/{resource_id}/modifier").get_data(as_text=True)
    jumeau = term_id(app, "jumeau-numerique-de-territoire")
    assert f'name="add_term" value="{jumeau}"' in page
    # Typing in the form: the text is read as it is, accents and plurals aside.
    token = csrf_token_from(page)
    response = client.post(
        f"/ressources/{resource_id}/modifier",
        data={"csrf_token": token, "action": "terms", "title": "Données ouvertes et IA"},
        headers={"HX-Request": "true"},
    )
    fragment = response.get_data(as_text=True)
    proposed = set(re.findall(r'name="add_term" value="(\d+)"', fragment))
    assert proposed == {
        str(term_id(app, slug))
        for slug in (
            "donnee-ouverte",
            "intelligence-artificielle",
            "jumeau-numerique-de-territoire",
        )
    }
    # One click: the term is checked and no longer proposed.
    response = client.post(
        f"/ressources/{resource_id}/modifier",
        data={"csrf_token": token, "action": "terms", "title": "", "add_term": jumeau},
        headers={"HX-Request": "true"},
    )
    fragment = response.get_data(as_text=True)
    assert re.search(rf'value="{jumeau}" checked autofocus', fragment)
    assert f'name="add_term" value="{jumeau}"' not in fragment


def test_a_proposed_term_is_added_without_javascript(app, client, auth, make_user):
    make_user("membre@ctd.example.org", ctds=("bretagne",))
    auth.login("membre@ctd.example.org")
    page = client.get("/ressources/nouvelle").get_data(as_text=True)
    ia = term_id(app, "intelligence-artificielle")
    data = {
        "csrf_token": csrf_token_from(page), "title": "L'IA au service du cadastre",
        "kind": "document", "ctd": "bretagne", "licence": "Licence Ouverte 2.0",
        "add_term": ia,
    }  # fmt: skip
    response = client.post("/ressources/nouvelle", data=data)
    assert response.status_code == 200
    assert re.search(rf'id="terme-{ia}" value="{ia}" checked', response.get_data(as_text=True))
    with app.app_context():
        assert db.session.scalar(select(Resource.id)) is None  # shown again, not saved


@pytest.mark.parametrize(
    "fields",
    [
        {"pref_label": ""},
        {"pref_label": "x" * 201},
        {"pref_label": "Nouveau", "definition": ""},
        {"pref_label": "Nouveau", "broader": ["abc"]},
        {"pref_label": "Nouveau", "broader": ["999999"]},
        {"pref_label": "Nouveau", "related": ["-1"]},
        {"pref_label": "Nouveau", "alt_labels": "y" * 201},
    ],
)
def test_bad_term_forms_are_refused_in_french_and_change_nothing(app, curator, fields):
    with app.app_context():
        before = len(db.session.scalars(select(GlossaryTerm)).all())
    response = term_form(curator, "/glossaire/nouveau", **fields)
    assert response.status_code == 422
    assert "fr-message--error" in response.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(select(GlossaryTerm)).all()) == before


@pytest.mark.parametrize("q", ["x" * 10_000, "<script>", "%", "'; DROP TABLE glossary_term"])
def test_odd_filters_and_addresses_never_fail(client, q):
    response = client.get("/glossaire/", query_string={"q": q})
    assert response.status_code == 200 and "<script>" not in response.get_data(as_text=True)
    assert client.get("/glossaire/" + "z" * 500).status_code == 404
    assert client.get("/glossaire/%C3%A9t%C3%A9").status_code == 404


def test_a_form_without_its_csrf_token_is_refused(app, curator):
    response = curator.post("/glossaire/nouveau", data={"pref_label": "Sans jeton"})
    assert response.status_code == 400
    with app.app_context():
        assert factories.term("sans-jeton") is None


def test_no_term_below_may_be_related_to_a_term_above(app, curator):
    # donnée géographique (below donnée géolocalisée) becomes related to référentiel…
    # (reference data); référentiel may not then become broader of géolocalisée.
    response = term_form(
        curator, "/glossaire/donnee-geolocalisee/modifier",
        pref_label="donnée géolocalisée", broader=[term_id(app, "referentiel-de-donnees")],
    )  # fmt: skip
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert "« donnée géographique » est un terme associé de « référentiel de données »" in page


def test_old_addresses_keep_their_term_and_reserved_ones_are_avoided(app, curator, client):
    term_form(curator, "/glossaire/mutualisation/modifier", pref_label="Mutualisation des moyens")
    response = term_form(curator, "/glossaire/nouveau", pref_label="Mutualisation")
    assert response.status_code == 422
    assert "renvoie déjà vers le terme « Mutualisation des moyens »" in response.get_data(
        as_text=True
    )
    assert (
        client.get("/glossaire/mutualisation")
        .headers["Location"]
        .endswith("/glossaire/mutualisation-des-moyens")
    )
    # The term itself may take its old name back.
    response = term_form(
        curator, "/glossaire/mutualisation-des-moyens/modifier", pref_label="mutualisation"
    )
    assert response.headers["Location"].endswith("/glossaire/mutualisation")
    assert client.get("/glossaire/mutualisation").status_code == 200
    response = term_form(curator, "/glossaire/nouveau", pref_label="Nouveau")
    assert response.headers["Location"].endswith("/glossaire/nouveau-terme")


def test_csv_import_reports_unknown_relations_and_unreadable_cells(app, tmp_path):
    header = ("slug,pref_label,alt_labels,definition,scope_note,source,broader,related,"
              "created_at,updated_at\n")  # fmt: skip
    path = tmp_path / "termes.csv"
    path.write_text(header + "cadastre,cadastre,,,,,inexistant,,,\n")
    result = app.test_cli_runner().invoke(args=["glossary", "import", str(path)])
    assert result.exit_code == 1
    assert "ligne 2, colonne broader : terme inconnu « inexistant »" in result.output
    path.write_text(header + 'cadastre,cadastre,,"' + "x" * 200_000 + '",,,,,,\n')
    result = app.test_cli_runner().invoke(args=["glossary", "import", str(path)])
    assert result.exit_code == 1 and "CSV illisible" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    with app.app_context():
        assert factories.term("cadastre") is None


def test_regional_french_language_tags_are_read(app, tmp_path):
    path = tmp_path / "termes.ttl"
    path.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<http://example.org/voc/cadastre> a skos:Concept ; skos:prefLabel "cadastre"@fr-FR .\n'
    )
    result = app.test_cli_runner().invoke(args=["glossary", "import", str(path)])
    assert result.exit_code == 0, result.output


def test_term_proposals_say_nothing_about_a_resource_one_cannot_edit(app, client, auth, make_user):
    from cnig_share.demo import sample_files

    make_user("membre@ctd.example.org", ctds=("bretagne",))
    with app.app_context():
        other = factories.resource("Brouillon corse", ctd_slug="corse")
        resource = db.session.get(Resource, other)
        add_attachment(
            resource, sample_files.pdf("Annexe", ["Intelligence artificielle."]), "a.pdf"
        )
        db.session.commit()
    auth.login("membre@ctd.example.org")
    token = csrf_token_from(client.get("/ressources/nouvelle").get_data(as_text=True))
    response = client.post(
        f"/ressources/{other}/modifier",
        data={"csrf_token": token, "action": "terms", "title": "Rien"},
        headers={"HX-Request": "true"},
    )
    fragment = response.get_data(as_text=True)
    assert response.status_code == 404  # a draft of another CTD: as if it did not exist
    assert "pièces jointes" not in fragment and 'name="add_term"' not in fragment


def test_an_import_with_unstorable_characters_is_refused(app, tmp_path):
    path = tmp_path / "termes.ttl"
    path.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<http://example.org/voc/nul> a skos:Concept ; skos:prefLabel "a\\u0000b"@fr .\n'
    )
    result = app.test_cli_runner().invoke(args=["glossary", "import", str(path)])
    assert result.exit_code == 1 and "caractère interdit" in result.output
    with app.app_context():
        assert factories.term("nul") is None
