"""Search that knows the field (issue 22): acronyms learnt from the published
texts and decided by curators, short forms, the best match first."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from cnig_share.extensions import db
from cnig_share.models import AcronymProposal, AuditEvent, GlossaryTerm, Resource
from cnig_share.search.acronyms import AcronymPair, pairs_in
from tests import factories
from tests.conftest import csrf_token_from
from tests.migrations import before

publish = factories.publish
CURATOR = "veille@cnig.example.org"
MEMBER = "membre@bretagne.example.org"
DEFINES = "Le plan de corps de rue simplifié (PCRS) est un fond de plan."
ACRONYM_ONLY = "Mettre à jour le PCRS après travaux."
EXPANSION_ONLY = "Un plan corps de rue simplifié pour la métropole."


def api(client, **params) -> dict:
    response = client.get("/api/v1/search", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def ids(client, q: str) -> list[int]:
    return [hit["id"] for hit in api(client, q=q, per_page=50)["results"]]


def learn(app) -> str:
    result = app.test_cli_runner().invoke(args=["search", "acronyms"])
    assert result.exit_code == 0, result.output
    return result.output


def proposal_id(app, acronym: str) -> int:
    with app.app_context():
        return db.session.scalar(
            select(AcronymProposal.id).where(AcronymProposal.acronym == acronym)
        )


def decide(client, proposal: int, **form):
    token = csrf_token_from(client.get("/curation/synonymes/").get_data(as_text=True))
    return client.post(f"/curation/synonymes/{proposal}", data={"csrf_token": token, **form})


@pytest.fixture
def curator(client, auth, make_user):
    make_user(CURATOR, role="curator")
    auth.login(CURATOR)
    return client


# --- detection ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        (DEFINES, AcronymPair("PCRS", "plan de corps de rue simplifié")),
        (
            "L'occupation du sol à grande échelle (OCS GE) décrit le territoire.",
            AcronymPair("OCS GE", "occupation du sol à grande échelle"),
        ),
        (
            "Le PCRS (plan corps de rue simplifié) est obligatoire.",
            AcronymPair("PCRS", "plan corps de rue simplifié"),
        ),
        (
            "La BAL (la Base Adresse Locale) de la commune.",
            AcronymPair("BAL", "Base Adresse Locale"),
        ),
        (
            "Les infrastructures de recharge pour véhicules électriques (IRVE) publiées.",
            AcronymPair("IRVE", "infrastructures de recharge pour véhicules électriques"),
        ),
        (
            "La Direction interministérielle du numérique (DINUM) anime.",
            AcronymPair("DINUM", "Direction interministérielle du numérique"),
        ),
    ],
)
def test_acronyms_are_found_where_the_initials_agree(text, pair):
    assert pairs_in(text) == {pair}


@pytest.mark.parametrize(
    "text",
    [
        "Les données ouvertes (BAL) de la commune.",  # initials disagree
        "Le CNIG (voir plus bas) publie des standards.",  # a remark in brackets
        "Un plan de rue (PCRS) incomplet.",  # letters left over
        "Le cadastre (Cadastre) de la commune.",  # not an acronym
        "Rien : (PCRS) seul, sans développement.",
    ],
)
def test_acronyms_are_rejected_where_the_initials_disagree(text):
    assert pairs_in(text) == set()


# --- learning from published texts only ------------------------------------------------


def test_proposals_come_from_published_resources_only(app, curator):
    with app.app_context():
        publish("PCRS breton", body=DEFINES)
        publish("PCRS normand", body=DEFINES, ctd="normandie")
        publish("Brouillon", body="Le machin très confidentiel (MTC) du projet.", status="draft")
        archived = publish("Ancienne", body="Le schéma local inédit (SLI) d'hier.")
        db.session.get(Resource, archived).status = "archived"
        db.session.commit()
    assert "1 proposé(s)" in learn(app)
    page = curator.get("/curation/synonymes/").get_data(as_text=True)
    assert "PCRS" in page and "plan de corps de rue simplifié" in page
    assert "2 ressources publiées le définissent" in page
    assert "MTC" not in page and "confidentiel" not in page and "SLI" not in page


def test_a_proposal_no_published_resource_supports_goes_away(app, curator):
    with app.app_context():
        resource_id = publish("PCRS breton", body=DEFINES)
    learn(app)
    assert proposal_id(app, "PCRS") is not None
    with app.app_context():
        db.session.get(Resource, resource_id).status = "archived"
        db.session.commit()
    learn(app)
    assert proposal_id(app, "PCRS") is None
    page = curator.get("/curation/synonymes/").get_data(as_text=True)
    assert "À décider (0)" in page and "plan de corps de rue simplifié" not in page


def test_seed_demo_produces_proposals(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "Acronymes proposés aux curateurs" in result.output
    with app.app_context():
        learnt = set(db.session.scalars(select(AcronymProposal.acronym)))
    assert {"PCRS", "OCS GE", "IRVE"} <= learnt


# --- the curators' page ---------------------------------------------------------------


def test_only_curators_see_and_decide_proposals(app, client, auth, make_user):
    with app.app_context():
        publish("PCRS breton", body=DEFINES)
    learn(app)
    proposal = proposal_id(app, "PCRS")
    assert client.get("/curation/synonymes/").status_code == 302  # to sign in
    make_user(MEMBER, ctds=("bretagne",))
    auth.login(MEMBER)
    assert client.get("/curation/synonymes/").status_code == 403
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    response = client.post(
        f"/curation/synonymes/{proposal}", data={"csrf_token": token, "decision": "site"}
    )
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(AcronymProposal, proposal).status == "proposed"
    auth.logout()
    make_user(CURATOR, role="curator")
    auth.login(CURATOR)
    assert decide(client, 999_999, decision="site").status_code == 404
    response = decide(client, proposal, decision="peut-être")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Choisissez une décision" in page
    response = decide(client, proposal, decision="term", term="")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Choisissez le terme" in page


# --- decisions, audited, expand queries both ways without a rebuild ----------------------


def test_an_accepted_site_synonym_finds_both_ways_and_is_audited(app, curator):
    with app.app_context():
        defines = publish("Convention", body=DEFINES)
        acronym = publish("Mise à jour", body=ACRONYM_ONLY, ctd="occitanie")
        expansion = publish("Fond de plan", body=EXPANSION_ONLY, ctd="corse")
    learn(app)
    assert set(ids(curator, "PCRS")) == {defines, acronym}
    assert set(ids(curator, "plan corps de rue simplifié")) == {defines, expansion}

    response = decide(curator, proposal_id(app, "PCRS"), decision="site")
    assert response.status_code == 303
    assert set(ids(curator, "PCRS")) == {defines, acronym, expansion}
    both = api(curator, q="plan corps de rue simplifié")
    assert {hit["id"] for hit in both["results"]} == {defines, acronym, expansion}
    assert both["facets"]["ctd"] == {"bretagne": 1, "occitanie": 1, "corse": 1}
    # The result found by its expansion shows the acronym marked.
    snippet = next(hit["snippet"] for hit in both["results"] if hit["id"] == acronym)
    assert re.search(r"<mark[^>]*>PCRS</mark>", snippet)
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action.like("synonym.%")))
        assert (event.action, event.actor.email) == ("synonym.accept_site", CURATOR)
    log = curator.get("/curation/journal").get_data(as_text=True)
    assert "Acronyme accepté comme synonyme du site" in log and "PCRS = plan" in log

    decide(curator, proposal_id(app, "PCRS"), decision="reject")
    assert set(ids(curator, "PCRS")) == {defines, acronym}
    with app.app_context():
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.action.like("synonym.%"))
        ).all()
    assert sorted(actions) == ["synonym.accept_site", "synonym.reject"]


def test_accepting_as_a_term_adds_its_labels(app, curator):
    with app.app_context():
        publish("Convention", body=DEFINES)
        expansion = publish("Fond de plan", body=EXPANSION_ONLY)
        term_id = factories.term("referentiel-de-donnees").id
    learn(app)
    response = decide(curator, proposal_id(app, "PCRS"), decision="term", term=str(term_id))
    assert response.status_code == 303
    with app.app_context():
        term = db.session.get(GlossaryTerm, term_id)
        assert {"PCRS", "plan de corps de rue simplifié"} <= set(term.alt_label_texts)
        proposal = db.session.get(AcronymProposal, proposal_id(app, "PCRS"))
        assert (proposal.status, proposal.accepted_as, proposal.term_id) == (
            "accepted",
            "term",
            term_id,
        )
        actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"synonym.accept_term", "glossary.update"} <= actions
    assert expansion in ids(curator, "PCRS")


# --- short forms ---------------------------------------------------------------------------


def test_a_short_form_finds_the_words_it_begins_below_the_word_itself(app, client):
    with app.app_context():
        long_form = publish("Carte", body="La géolocalisation des réseaux.")
        exact = publish("Autre carte", body="Le mot géoloc tel quel.")
        publish("Sans rapport", body="Le cadastre.")
    assert ids(client, "géoloc") == [exact, long_form]


def test_prefix_expansion_keeps_the_twenty_most_frequent_completions(app, client):
    common = " ".join(f"zorglub{chr(97 + i)}x" for i in range(20))
    with app.app_context():
        first = publish("Un", body=common)
        second = publish("Deux", body=common)
        rare = [publish(f"Rare {i}", body=f"zorglubz{chr(97 + i)}y") for i in range(5)]
    found = ids(client, "zorglub")
    assert set(found) == {first, second}
    assert not set(rare) & set(found)
    assert ids(client, "zorglubza") == [rare[0]]  # a longer start reaches them


def test_short_and_long_forms_a_stemmer_misses_find_each_other(app, client):
    with app.app_context():
        long_form = publish("Campagne", body="Les orthophotographies départementales.")
        short_form = publish("Printemps", body="Des orthophotos de printemps.")
    assert set(ids(client, "orthophotos")) == {long_form, short_form}
    assert set(ids(client, "orthophotographies")) == {long_form, short_form}
    assert set(ids(client, "ortho")) == {long_form, short_form}


# --- the best match first ------------------------------------------------------------------


def test_the_title_with_every_word_comes_first(app, client):
    filler = "Un paragraphe sur la gouvernance du comité. " * 5
    with app.app_context():
        publish(
            "Données du cadastre",
            body=filler + "Des données géographiques, données géographiques partout.",
        )
        publish("Référentiel géographique", body=filler + "Les données. " * 6)
        publish("Catalogue de données", body=filler + "Des couches géographiques. " * 4)
        both = publish("Inventorier les données géographiques", body=filler + "Un inventaire.")
    assert ids(client, "donnees geographiques")[0] == both


def test_words_together_in_the_body_come_before_words_apart(app, client):
    filler = "Un paragraphe sur la gouvernance du comité. " * 20
    with app.app_context():
        apart = publish("Compte rendu A", body="Le plan. " + filler + "La gestion.")
        together = publish("Compte rendu B", body=filler + "Le plan de gestion. " + filler)
    assert ids(client, "plan gestion") == [together, apart]


# --- the migration -------------------------------------------------------------------------


def test_migration_adds_the_proposals_and_the_synonym_version(make_app):
    from flask_migrate import downgrade, upgrade

    from cnig_share.database import MIGRATIONS_DIR

    app = make_app()
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision=before("0027"))
        assert "acronym_proposal" not in sa.inspect(db.engine).get_table_names()
        upgrade(directory=MIGRATIONS_DIR, revision="0027")
        with db.engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO acronym_proposal (acronym, expansion, acronym_key, expansion_key,"
                " resource_count, status, created_at) VALUES ('PCRS', 'plan corps de rue"
                " simplifié', 'pcrs', 'plan corp ru simplif', 2, 'proposed',"
                " '2026-12-05 09:00:00')"
            ))  # fmt: skip
            connection.execute(sa.text("INSERT INTO synonym_version (id, version) VALUES (1, 0)"))
        assert db.session.scalar(select(AcronymProposal.acronym)) == "PCRS"
        db.session.remove()
        downgrade(directory=MIGRATIONS_DIR, revision=before("0027"))
        assert "acronym_proposal" not in sa.inspect(db.engine).get_table_names()
