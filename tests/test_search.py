"""Search: French analysis, what is public, facets, index and database in step."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from cnig_share.demo import sample_files
from cnig_share.extensions import db
from cnig_share.models import Resource, SearchOutbox
from cnig_share.resources.attachments import add_attachment
from tests import factories

PARIS = ZoneInfo("Europe/Paris")


publish = factories.publish


def api(client, **params) -> dict:
    response = client.get("/api/v1/search", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def ids(client, q: str, **params) -> set[int]:
    return {hit["id"] for hit in api(client, q=q, per_page=50, **params)["results"]}


def check(app) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=["search", "check"])
    return result.exit_code, result.output


# --- French analysis ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("Les données géographiques du cadastre", "donnees geographiques"),
        ("Un jumeau numérique de la ville", "jumeaux numeriques"),
        ("Le référentiel des adresses", "referentiels"),
        ("MUTUALISATION des achats", "mutualiser"),
        ("Les orthophotographies départementales", "Orthophotographie Départementale"),
        ("Des photos aériennes", "photo aerienne"),
        ("Les enjeux territoriaux", "enjeu territorial"),
    ],
)
def test_french_analysis_folds_accents_case_and_plurals(app, client, text, query):
    with app.app_context():
        resource_id = publish("Une ressource", body=text)
    assert ids(client, query) == {resource_id}


def test_phrase_search_needs_the_words_together(app, client):
    with app.app_context():
        together = publish("A", body="La base adresse locale de la commune.")
        apart = publish("B", body="Une base de données pour chaque adresse.")
    assert ids(client, '"base adresse"') == {together}
    assert ids(client, "base adresse") == {together, apart}


def test_all_words_first_then_any_word_with_a_notice(app, client):
    with app.app_context():
        publish("Cadastre numérisé", body="cadastre")
        publish("Inondations", body="inondation")
    data = api(client, q="cadastre inondation")
    assert data["total"] == 2  # no document has both: the fallback finds each
    html = client.get("/recherche", query_string={"q": "cadastre inondation"}).get_data(
        as_text=True
    )
    assert "Aucun résultat ne contient tous les mots" in html
    nothing = client.get("/recherche", query_string={"q": "zzzyx"}).get_data(as_text=True)
    assert "Rien de ce qui est publié ne correspond à cette recherche." in nothing


def test_no_any_word_notice_above_nothing_found(app, client):
    """Two words, neither found: "voici ceux qui en contiennent au moins un" above
    "rien ne correspond" contradicted itself."""
    with app.app_context():
        publish("Cadastre numérisé", body="cadastre")
    html = client.get("/recherche", query_string={"q": "zzzyx qqqwv"}).get_data(as_text=True)
    assert "Rien de ce qui est publié ne correspond à cette recherche." in html
    assert "au moins un" not in html
    assert api(client, q="zzzyx qqqwv")["total"] == 0


def test_a_page_beyond_the_results_does_not_say_nothing_matches(app, client):
    with app.app_context():
        publish("Cadastre numérisé", body="cadastre")
    html = client.get("/recherche", query_string={"q": "cadastre", "page": 5}).get_data(
        as_text=True
    )
    assert "1 résultat</strong>" in html
    assert "Rien de ce qui est publié" not in html
    assert "Cette page est au-delà des résultats." in html


def test_snippets_keep_table_cells_and_headings_apart(app, client):
    body = (
        "## Contexte\nLe cadastre solaire de la ville.\n\n"
        "| Commune | Surface |\n|---|---|\n| Rennes | cadastre |\n"
    )
    with app.app_context():
        publish("Énergie", body=body)
    (hit,) = api(client, q="cadastre")["results"]
    text = re.sub(r"<[^>]+>", "", hit["snippet"])
    assert "Contexte · Le cadastre solaire" in text
    assert "Commune · Surface · Rennes · cadastre" in text
    assert "\n" not in hit["snippet"]


# --- the glossary -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("IA", "intelligence-artificielle"),
        ("open data", "donnee-ouverte"),
        ("CTD", "comite-territorial-de-la-donnee"),
        ("jumeau numérique", "jumeau-numerique-de-territoire"),
    ],
)
def test_alternative_labels_find_tagged_resources(app, client, query, slug):
    with app.app_context():
        tagged = publish("Une ressource étiquetée", body="Sans le mot.", terms=[slug])
        publish("Une autre", body="Rien à voir.")
    assert ids(client, query) == {tagged}


def test_an_acronym_finds_the_spelled_out_words_in_text(app, client):
    with app.app_context():
        spelled = publish("Détection du bâti", body="Un modèle d'intelligence artificielle.")
    assert ids(client, "IA") == {spelled}


def test_a_term_finds_resources_tagged_with_its_narrower_terms(app, client):
    with app.app_context():
        narrower = publish("Le PCRS", body="Plan de corps de rue.", terms=["donnee-geographique"])
    assert narrower in ids(client, "donnée géolocalisée")
    assert narrower in ids(client, "", term="donnee-geolocalisee")


def test_search_page_shows_the_definition_of_a_named_term(client):
    html = client.get("/recherche", query_string={"q": "open data"}).get_data(as_text=True)
    assert "Voir dans le glossaire" in html
    assert "Donnée publique diffusée librement" in html


# --- only what is public ------------------------------------------------------------------


@pytest.mark.parametrize("status", ["draft", "submitted", "archived"])
def test_unpublished_words_appear_nowhere(app, client, status):
    with app.app_context():
        publish("Publique", body="orthophotographie", terms=["mutualisation"])
        publish(
            "Zanzibarisation secrète",
            body="zanzibarisation orthophotographie",
            status=status,
            terms=["intelligence-artificielle"],
            kind="document",
            ctd="corse",
        )
    data = api(client, q="zanzibarisation")
    assert data["total"] == 0 and data["results"] == []
    data = api(client, q="zanzibarisatio")  # a typo: the suggestion must not reveal it
    assert data["suggestion"] is None or "zanzibar" not in data["suggestion"]
    assert data["total"] == 0
    everything = api(client, q="orthophotographie")
    assert everything["total"] == 1
    assert "zanzibar" not in str(everything).lower()
    assert "corse" not in everything["facets"]["ctd"]
    assert "intelligence-artificielle" not in everything["facets"]["term"]
    assert "document" not in everything["facets"]["kind"]
    html = client.get("/recherche", query_string={"q": "zanzibarisation"}).get_data(as_text=True)
    assert "Zanzibarisation secrète" not in html


# --- facets, sorting, pages -------------------------------------------------------------------


def test_facet_counts_equal_counts_computed_in_sql(app, client):
    from datetime import UTC, datetime

    with app.app_context():
        specs = [
            ("bretagne", "document", 2024, ["mutualisation"]),
            ("bretagne", "bonne-pratique", 2025, ["mutualisation", "donnee-ouverte"]),
            ("corse", "document", 2025, ["donnee-ouverte"]),
            ("occitanie", "retour-experience", 2026, []),
        ]
        for n, (ctd, kind, year, terms) in enumerate(specs):
            publish(f"Cadastre {n}", body="cadastre", ctd=ctd, kind=kind, terms=terms,
                    published_at=datetime(year, 5, 1, tzinfo=UTC))  # fmt: skip
        publish("Autre sujet", body="hydrographie")
        rows = db.session.scalars(
            select(Resource).where(Resource.status == "published", Resource.body == "cadastre")
        ).all()
        expected = {
            "kind": Counter(r.kind for r in rows),
            "ctd": Counter(r.ctd.slug for r in rows),
            "year": Counter(str(r.published_at.astimezone(PARIS).year) for r in rows),
            "term": Counter(t.slug for r in rows for t in r.terms),
        }
    data = api(client, q="cadastre")
    assert data["total"] == 4
    assert {name: Counter(counts) for name, counts in data["facets"].items()} == expected
    filtered = api(client, q="cadastre", ctd="bretagne", kind="document")
    assert filtered["total"] == 1
    assert filtered["facets"]["ctd"] == {"bretagne": 1}


def test_facet_boxes_are_named_by_their_value_whatever_the_order(app, client):
    """Equal counts come by value; a box's id is its value's, so that it keeps it
    when a tick reorders the list (htmx gives the focus back by id), and a value
    sent twice, or with spaces, still gives one valid id and its label."""
    with app.app_context():
        publish("Plan de corps de rue", body="plan", kind="document")
        publish("Plan communal", body="plan", kind="bonne-pratique")
    assert list(api(client, q="plan")["facets"]["kind"]) == ["bonne-pratique", "document"]
    page = client.get("/recherche", query_string={"q": "plan"}).get_data(as_text=True)
    assert 'id="f-kind-document"' in page and 'for="f-kind-document"' in page
    ticked = client.get(
        "/recherche",
        query_string=[("q", "plan"), ("kind", "document"), ("kind", "a b"), ("kind", "a b")],
    ).get_data(as_text=True)
    assert 'id="f-kind-document"' in ticked
    assert ticked.count('id="f-kind-a%20b"') == 1 and ticked.count('for="f-kind-a%20b"') == 1


def test_a_year_is_counted_as_in_france(app, client):
    """Published at 23:30 UTC on New Year's Eve: 0 h 30 on 1 January in Paris."""
    from datetime import UTC, datetime

    with app.app_context():
        resource_id = publish("Vœux", body="réveillon",
                              published_at=datetime(2026, 12, 31, 23, 30, tzinfo=UTC))  # fmt: skip
    assert api(client, q="réveillon")["facets"]["year"] == {"2027": 1}
    assert api(client, q="réveillon", year="2027")["total"] == 1
    assert api(client, q="réveillon", year="2026")["total"] == 0
    page = client.get(f"/ressources/{resource_id}").get_data(as_text=True)
    assert "1er janvier 2027" in page


def test_empty_query_lists_everything_most_recent_first(app, client):
    from datetime import UTC, datetime

    with app.app_context():
        old = publish("Ancienne", published_at=datetime(2020, 1, 1, tzinfo=UTC))
        new = publish("Récente", published_at=datetime(2026, 1, 1, tzinfo=UTC))
    data = api(client, q="")
    assert [hit["id"] for hit in data["results"]] == [new, old]


def test_pagination_and_date_sort(app, client):
    from datetime import UTC, datetime

    with app.app_context():
        made = [
            publish(f"Réseau {n}", body="réseau de chaleur",
                    published_at=datetime(2025, 1, n + 1, tzinfo=UTC))
            for n in range(5)
        ]  # fmt: skip
    first = api(client, q="réseau", sort="recent", per_page=2, page=1)
    second = api(client, q="réseau", sort="recent", per_page=2, page=2)
    assert first["total"] == 5
    assert [h["id"] for h in first["results"]] == [made[4], made[3]]
    assert [h["id"] for h in second["results"]] == [made[2], made[1]]


def test_most_recent_first_within_the_same_second(app, client):
    """Dates sort to the microsecond: a batch published within one second
    (an import, a busy afternoon) still lists newest first, whatever order
    the index keeps them in."""
    from datetime import UTC, datetime

    second = datetime(2026, 3, 2, 9, 30, 15, tzinfo=UTC)
    with app.app_context():
        made = [
            publish(f"Lot {n}", body="lot groupé", published_at=second.replace(microsecond=m))
            for n, m in enumerate([900_000, 100, 500_000, 7, 650_000, 300_000])
        ]
    newest_first = [made[0], made[4], made[2], made[5], made[1], made[3]]
    assert [h["id"] for h in api(client, q="lot", sort="recent")["results"]] == newest_first
    assert [h["id"] for h in api(client, q="", sort="recent")["results"]] == newest_first


def test_relevance_puts_title_then_frequent_mentions_first(app, client):
    filler = "Un compte rendu de réunion du comité. " * 20
    with app.app_context():
        once = publish("Compte rendu", body=filler + "La bathymétrie une fois.")
        often = publish("Autre compte rendu", body=filler + "Bathymétrie. " * 2)
        titled = publish("La bathymétrie du littoral", body=filler)
        publish("Sans le mot", body=filler)
    ranked = [hit["id"] for hit in api(client, q="bathymétrie")["results"]]
    assert ranked == [titled, often, once]
    scores = [hit["score"] for hit in api(client, q="bathymétrie")["results"]]
    assert scores == sorted(scores, reverse=True) and scores[-1] > 0


def test_removed_resources_leave_no_trace_in_totals_or_facets(app, client):
    with app.app_context():
        kept = publish("Cadastre solaire", ctd="bretagne")
        removed = [publish(f"Cadastre n° {n}", ctd="corse") for n in range(3)]
        for resource_id in removed[:2]:
            db.session.get(Resource, resource_id).status = "archived"
        db.session.delete(db.session.get(Resource, removed[2]))
        db.session.commit()
    data = api(client, q="cadastre")
    assert data["total"] == 1 and [hit["id"] for hit in data["results"]] == [kept]
    assert data["facets"]["ctd"] == {"bretagne": 1}
    assert api(client, q="")["facets"]["ctd"] == {"bretagne": 1}


# --- snippets and suggestions -----------------------------------------------------------


def test_snippet_highlights_and_names_the_attachment_page(app, client):
    with app.app_context():
        resource_id = publish("Guide", body="Rien dans le texte.")
        resource = db.session.get(Resource, resource_id)
        pdf = sample_files.pdf("Guide", ["Introduction.", "x " * 6000, "La toponymie des hameaux."])
        add_attachment(resource, pdf, "guide.pdf")
        db.session.commit()
    factories.run_extraction(app)
    hit = api(client, q="toponymie")["results"][0]
    assert "<mark" in hit["snippet"] and "toponymie</mark>" in hit["snippet"]
    html = client.get("/recherche", query_string={"q": "toponymie"}).get_data(as_text=True)
    assert re.search(r"Passage trouvé dans guide\.pdf, page [2-9]", html)


def test_snippet_finds_the_passage_deep_in_a_long_body_whatever_the_accents(app, client):
    filler = "Un paragraphe sans rapport avec la question posée.\n\n" * 2000
    with app.app_context():
        publish(
            "Long rapport",
            body=filler + "Les **Données** des syndicats NATIONAUX d'énergie.\n\n" + filler,
        )
    snippet = api(client, q="donnees syndicat national")["results"][0]["snippet"]
    marked = re.findall(r"<mark[^>]*>([^<]*)</mark>", snippet)
    assert marked == ["Données", "syndicats", "NATIONAUX"]
    assert "**" not in snippet and "paragraphe" in snippet


def test_a_kept_passage_gives_way_to_the_edited_text(app, client):
    with app.app_context():
        resource = publish("Cadastre", body="Le cadastre solaire de Lyon.")
    assert "solaire" in api(client, q="cadastre")["results"][0]["snippet"]
    assert "solaire" in api(client, q="cadastre")["results"][0]["snippet"]  # kept
    with app.app_context():
        db.session.get(Resource, resource).body = "Le cadastre agricole de Rennes."
        db.session.commit()
    snippet = api(client, q="cadastre")["results"][0]["snippet"]
    assert "agricole" in snippet and "solaire" not in snippet


def test_snippet_looks_past_words_hidden_in_link_addresses(app, client):
    link = "[voir](https://cadastre.example.org/) "
    filler = "Texte sans rapport. " * 40
    with app.app_context():
        body = f"{link * 3}\n\n{filler}\n\n{link * 3}\n\n{filler}\n\nLe cadastre solaire."
        publish("Liens", body=body)
    snippet = api(client, q="cadastre")["results"][0]["snippet"]
    assert re.search(r"<mark[^>]*>cadastre</mark> solaire", snippet)


def test_snippets_escape_the_text_around_the_marks(app, client):
    with app.app_context():
        publish("Échappement", body="<script>alert(1)</script> `<b>` cadastre")
    snippet = api(client, q="cadastre")["results"][0]["snippet"]
    assert "<script>" not in snippet
    assert "<b>" not in snippet


def test_spelling_suggestion_comes_from_published_words(app, client):
    with app.app_context():
        publish("Orthophotographie", body="orthophotographie départementale")
        publish("Hydrographie", body="cours d'eau")
    data = api(client, q="orthophotograhie")
    assert data["suggestion"] == "orthophotographie"
    assert [hit["title"] for hit in data["results"]] == ["Orthophotographie"]
    html = client.get("/recherche", query_string={"q": "orthophotograhie"}).get_data(as_text=True)
    assert (
        "Aucun résultat pour « orthophotograhie ». Résultats pour « orthophotographie » :" in html
    )
    assert "1 résultat</strong></p>" in html  # the count, said once, without a second "pour"
    assert "Essayez avec" not in html


def test_the_correction_reads_as_the_issue_gives_it(app, client):
    with app.app_context():
        publish("Gouvernance des données", body="La gouvernance du CTD.")
    html = client.get("/recherche", query_string={"q": "gouvernanse"}).get_data(as_text=True)
    assert "Aucun résultat pour « gouvernanse ». Résultats pour « gouvernance » :" in html
    assert "Rien de ce qui est publié" not in html


def test_suggestion_prefers_the_closest_spelling_to_the_most_frequent(app, client):
    with app.app_context():
        publish("Cadre", body="cadre cadre cadre cadre")
        publish("Cadastre", body="cadastre")
    assert api(client, q="cadatre")["suggestion"] == "cadastre"


def test_a_suggestion_is_offered_when_the_correction_finds_nothing_either(app, client):
    with app.app_context():
        publish("Orthophotographie", body="orthophotographie")
    data = api(client, q="orthophotograhie", kind="document")
    assert data["total"] == 0
    assert data["suggestion"] == "orthophotographie"
    html = client.get(
        "/recherche", query_string={"q": "orthophotograhie", "kind": "document"}
    ).get_data(as_text=True)
    assert "Essayez avec" in html


# --- any text is a valid query ----------------------------------------------------------

HOSTILE = [
    '"unbalanced',
    'a "b" "c',
    "AND",
    "OR OR NOT",
    "NOT cadastre",
    "title:cadastre",
    "body:",
    "*",
    "cad*",
    "?",
    "(((",
    ")",
    "[a TO z]",
    "x^5",
    "~",
    "cadastre~2",
    "🙂🏳️‍🌈",
    "\u202e\u200b",
    "é" * 10_000,
    "a " * 5000,
    "\\",
    "%_",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "𝔡𝔬𝔫𝔫é𝔢𝔰",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_any_text_gives_results_or_an_empty_list(app, client, query):
    with app.app_context():
        publish("Cadastre", body="cadastre")
    assert client.get("/api/v1/search", query_string={"q": query}).status_code == 200
    page = client.get("/recherche", query_string={"q": query})
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.get_data(as_text=True)


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "99999999999999999999"},
        {"per_page": "100000"},
        {"sort": "drop table"},
        {"kind": "inconnu"},
        {"year": "x" * 500},
        {"term": ["a", "b", "c"]},
    ],
)
def test_odd_parameters_never_fail(client, params):
    assert client.get("/api/v1/search", query_string=params).status_code == 200
    assert client.get("/recherche", query_string=params).status_code == 200


# --- page and fragment ------------------------------------------------------------------


def test_htmx_gets_the_results_block_and_the_page_the_whole(app, client):
    with app.app_context():
        publish("Cadastre", body="cadastre")
    full = client.get("/recherche?q=cadastre")
    fragment = client.get("/recherche?q=cadastre", headers={"HX-Request": "true"})
    assert "<html" in full.get_data(as_text=True)
    body = fragment.get_data(as_text=True)
    assert "<html" not in body
    assert 'id="results"' not in body  # the inside of the block htmx replaces
    assert '<div class="fr-grid-row' in body
    assert "1 résultat" in body
    assert "HX-Request" in fragment.headers["Vary"]
    assert "HX-Request" in full.headers["Vary"]


def test_header_search_bar_leads_to_the_search_page(client):
    html = client.get("/").get_data(as_text=True)
    assert 'action="/recherche"' in html


# --- index and database in step ---------------------------------------------------------


def test_index_follows_create_edit_unpublish_delete(app, client):
    with app.app_context():
        resource_id = publish("Premier titre", body="hydrographie")
    assert ids(client, "hydrographie") == {resource_id}
    with app.app_context():
        db.session.get(Resource, resource_id).title = "Toponymie"
        db.session.commit()
    assert ids(client, "toponymie") == {resource_id}
    assert ids(client, "premier") == set()
    with app.app_context():
        db.session.get(Resource, resource_id).status = "archived"
        db.session.commit()
    assert ids(client, "toponymie") == set()
    with app.app_context():
        db.session.get(Resource, resource_id).status = "published"
        db.session.commit()
        assert check(app)[0] == 0
        db.session.delete(db.session.get(Resource, resource_id))
        db.session.commit()
    assert ids(client, "toponymie") == set()
    assert check(app) == (0, "Index et base de données concordent.\n")


def test_rollback_leaves_no_ghost(app, client):
    with app.app_context():
        db.session.add(
            Resource(title="Fantôme", kind="document", ctd=factories.ctd("corse"),
                     status="published", body="ectoplasme")
        )  # fmt: skip
        db.session.flush()
        db.session.rollback()
        assert db.session.scalar(select(SearchOutbox.id)) is None
    assert ids(client, "ectoplasme") == set()
    assert check(app)[0] == 0


def test_a_busy_index_postpones_the_update_without_losing_it(app, client):
    app.extensions["search"].write_timeout = 0.2
    with app.app_context():
        writer = app.extensions["search"].writer()  # another process holds the lock
        try:
            resource_id = publish("Bathymétrie", body="bathymétrie")
            assert db.session.scalar(select(SearchOutbox.document)) == str(resource_id)
            assert ids(client, "bathymetrie") == set()  # not yet, and no error
        finally:
            writer.cancel()
    assert ids(client, "bathymetrie") == {resource_id}  # the next request caught up
    with app.app_context():
        assert db.session.scalar(select(SearchOutbox.id)) is None
    assert check(app)[0] == 0


def test_a_new_resource_reindexes_no_other_resource_of_its_ctd_or_terms(app, client):
    """Adding a resource to a CTD or a term leaves its neighbours' documents as
    they are; renaming the CTD's region or the term's label changes them all."""
    app.extensions["search"].write_timeout = 0.2
    with app.app_context():
        neighbours = {publish(f"Voisine {n}", terms=["mutualisation"]) for n in range(3)}
        writer = app.extensions["search"].writer()  # keeps the rows in the outbox to be seen
        try:
            added = publish("Nouvelle venue", terms=["mutualisation"])
            assert set(db.session.scalars(select(SearchOutbox.document))) == {str(added)}
            factories.ctd("bretagne").region = "Armorique"
            db.session.commit()
            pending = set(map(int, db.session.scalars(select(SearchOutbox.document))))
            assert pending == neighbours | {added}
        finally:
            writer.cancel()
    assert ids(client, "armorique") == neighbours | {added}
    with app.app_context():
        factories.term("mutualisation").pref_label = "Mise en commun"
        db.session.commit()
    assert ids(client, "mise en commun") == neighbours | {added}
    assert check(app)[0] == 0


def test_search_check_detects_a_tampered_index(app):
    with app.app_context():
        kept = publish("Gardé", body="un")
        removed = publish("Retiré", body="deux")
        changed = publish("Modifié", body="trois")
        index = app.extensions["search"]
        writer = index.writer()
        writer.delete_by_term("id", str(removed))
        writer.add_document(id="999999", text="Intrus", version="x")
        writer.update_document(id=str(changed), text="Autre chose", version="périmée")
        writer.commit()
    code, output = check(app)
    assert code == 1
    listed = dict(re.findall(r"document\(s\) ([^:]+) : ([\d, ]+)", output))
    assert listed == {
        "absent(s) de l'index": str(removed),
        "en trop dans l'index": "999999",
        "périmé(s)": str(changed),
    }
    assert str(kept) not in listed.values()
    result = app.test_cli_runner().invoke(args=["search", "reindex", "--procs", "1"])
    assert result.exit_code == 0, result.output
    assert "Index reconstruit : 3 documents" in result.output
    assert check(app)[0] == 0


def test_search_check_with_a_missing_index_says_so_in_french(app):
    index = app.extensions["search"]
    index.close()
    shutil.rmtree(index.path)
    result = app.test_cli_runner().invoke(args=["search", "check"])
    assert result.exit_code == 1
    assert "L'index de recherche est absent" in result.output
    assert "cnig-share search reindex" in result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)


def _leftover(index, name: str) -> Path:
    """A folder as a rebuild killed midway leaves it, with a segment file in it."""
    folder = index.path.with_name(f"{index.path.name}.{name}")
    folder.mkdir()
    (folder / "_MAIN_1.toc").write_bytes(b"half written")
    return folder


def test_the_next_rebuild_removes_what_a_stopped_one_left(app):
    index = app.extensions["search"]
    staging, retired = _leftover(index, "new-999999"), _leftover(index, "old-999999")
    result = app.test_cli_runner().invoke(args=["search", "reindex", "--procs", "1"])
    assert result.exit_code == 0, result.output
    assert not staging.exists() and not retired.exists()
    assert check(app)[0] == 0


def test_a_starting_process_removes_what_a_stopped_rebuild_left(app, make_app):
    index = app.extensions["search"]
    staging = _leftover(index, "new-999999")
    started = make_app()  # another process starting on the same instance folder
    with started.test_client() as client:
        assert client.get("/recherche?q=cadastre").status_code == 200
    assert not staging.exists()
    assert index.path.exists()


def test_a_running_rebuild_keeps_its_staging_folder(app):
    index = app.extensions["search"]
    with index.rebuild_lock(wait=True):
        staging = _leftover(index, "new-999999")
        assert index.remove_leftovers() == []
    assert staging.exists()


def test_reindex_with_several_processes(app):
    with app.app_context():
        for n in range(6):
            publish(f"Ressource {n}", body="parallèle")
    result = app.test_cli_runner().invoke(args=["search", "reindex", "--procs", "2"])
    assert result.exit_code == 0, result.output
    assert check(app)[0] == 0


def test_missing_index_answers_degraded_then_is_rebuilt(app, client):
    with app.app_context():
        resource_id = publish("Cadastre solaire", body="cadastre")
    index = app.extensions["search"]
    assert ids(client, "cadastre") == {resource_id}  # a searcher is open on the index
    shutil.rmtree(index.path)
    html = client.get("/recherche?q=cadastre").get_data(as_text=True)
    assert "L'index de recherche est en cours de reconstruction" in html
    assert "1 résultat" in html  # from the titles, meanwhile
    index.rebuild_thread.join(timeout=30)
    assert ids(client, "cadastre") == {resource_id}
    assert client.get("/api/v1/search?q=cadastre").get_json()["degraded"] is False
    assert check(app)[0] == 0


def test_index_from_an_older_schema_is_rebuilt(app, client):
    from whoosh.fields import ID, Schema
    from whoosh.filedb.filestore import FileStorage

    with app.app_context():
        resource_id = publish("Cadastre solaire", body="cadastre")
    index = app.extensions["search"]
    index.close()
    shutil.rmtree(index.path)
    index.path.mkdir()
    FileStorage(str(index.path), supports_mmap=False).create_index(Schema(id=ID(stored=True)))
    answer = client.get("/api/v1/search?q=cadastre").get_json()
    assert answer["degraded"] is True and [r["id"] for r in answer["results"]] == [resource_id]
    index.rebuild_thread.join(timeout=30)
    assert ids(client, "cadastre") == {resource_id}


def test_damaged_index_is_rebuilt_not_a_crash(app, client):
    with app.app_context():
        resource_id = publish("Cadastre solaire", body="cadastre")
    index = app.extensions["search"]
    assert ids(client, "cadastre") == {resource_id}  # a searcher is open on the index
    for path in Path(index.path).iterdir():
        path.write_bytes(b"garbage" * 64)
    with app.app_context():  # the next write finds the damage and keeps its update for later
        second_id = publish("Cadastre éolien", body="cadastre")
    response = client.get("/api/v1/search?q=cadastre")
    assert response.status_code == 200 and response.get_json()["degraded"] is True
    assert {r["id"] for r in response.get_json()["results"]} == {resource_id, second_id}
    index.rebuild_thread.join(timeout=30)
    assert ids(client, "cadastre") == {resource_id, second_id}
    assert check(app)[0] == 0


WRITER = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime
    from cnig_share import create_app
    from cnig_share.extensions import db
    from cnig_share.models import Ctd, Resource
    from sqlalchemy import select

    app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "SEARCH_WRITE_TIMEOUT": 10})
    with app.app_context():
        ctd = db.session.scalar(select(Ctd).where(Ctd.slug == "bretagne"))
        for n in range(int(sys.argv[3])):
            db.session.add(Resource(title=f"{sys.argv[2]} {n}", body="concurrence",
                                    kind="document", ctd=ctd, status="published",
                                    published_at=datetime.now(UTC)))
            db.session.commit()
    """
)


@pytest.mark.slow
def test_processes_writing_at_the_same_time_lose_nothing(app, client, instance_path, tmp_path):
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    env = {**os.environ, "CNIG_SHARE_INSTANCE_PATH": str(instance_path)}
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    writers = [
        subprocess.Popen([sys.executable, str(script), url, f"processus{n}", "15"], env=env)
        for n in range(3)
    ]
    assert all(writer.wait(timeout=120) == 0 for writer in writers)
    assert api(client, q="concurrence")["total"] == 45
    assert check(app)[0] == 0


def test_a_rebuild_whose_postings_outgrow_its_memory_spills_them_and_finds_the_same(app, client):
    syllables = ["ba", "ce", "di", "fo", "gu", "la", "me", "ni", "po", "ru"]
    words = ["".join(s) for s in itertools.product(syllables, repeat=4)]  # 10,000 words
    with app.app_context():
        for n in range(30):
            factories.publish(f"Relevé {n}", body=" ".join(words[n * 300 : (n + 1) * 300]))

    def found(word: str) -> list[str]:
        results = client.get(f"/api/v1/search?q={word}").get_json()["results"]
        return [result["title"] for result in results]

    # ~9,000 postings: well over 1 MB of Whoosh's estimate, sorted through files on disk.
    app.config["SEARCH_REINDEX_MEMORY_MB"] = 1
    result = app.test_cli_runner().invoke(args=["search", "reindex", "--procs", "1"])
    assert result.exit_code == 0, result.output
    assert found(words[17 * 300 + 5]) == ["Relevé 17"]
    assert found(words[29 * 300 + 299]) == ["Relevé 29"]
    assert check(app)[0] == 0
