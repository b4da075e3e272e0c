"""The command line: init-db, migrations, create-user, seed-demo."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from cnig_share.accounts.services import create_user
from cnig_share.extensions import db
from cnig_share.models import (
    KINDS,
    STATUSES,
    Attachment,
    Ctd,
    GlossaryTerm,
    Resource,
    SearchOutbox,
    Selection,
    TermLabel,
    User,
    term_broader,
    term_related,
)
from cnig_share.reference_data import CTD_REGIONS
from tests import factories

SPEC_CTD_SLUGS = {
    "auvergne-rhone-alpes", "bourgogne-franche-comte", "bretagne", "centre-val-de-loire",
    "corse", "grand-est", "hauts-de-france", "ile-de-france", "normandie",
    "nouvelle-aquitaine", "occitanie", "pays-de-la-loire", "provence-alpes-cote-d-azur",
    "guadeloupe", "martinique", "guyane", "la-reunion", "mayotte",
}  # fmt: skip
SPEC_TERMS = {
    "donnée territoriale", "donnée géographique", "donnée géolocalisée",
    "comité territorial de la donnée", "référentiel de données", "standard de données",
    "jumeau numérique de territoire", "espace commun de données", "mutualisation",
    "plateforme de données", "feuille de route territoriale", "intelligence artificielle",
    "donnée ouverte",
}  # fmt: skip


def _snapshot() -> dict[str, list[tuple]]:
    """Every reference row, to compare two runs of init-db."""
    return {
        "ctd": sorted(db.session.execute(select(Ctd.id, Ctd.slug, Ctd.name, Ctd.region)).all()),
        "term": sorted(
            db.session.execute(
                select(GlossaryTerm.id, GlossaryTerm.slug, GlossaryTerm.definition)
            ).all()
        ),
        "label": sorted(db.session.execute(select(TermLabel.term_id, TermLabel.label)).all()),
        "broader": sorted(db.session.execute(select(term_broader)).all()),
        "related": sorted(db.session.execute(select(term_related)).all()),
    }


def test_init_db_twice_leaves_the_same_rows(make_app):
    app = make_app()
    runner = app.test_cli_runner()

    first = runner.invoke(args=["init-db"])
    assert first.exit_code == 0, first.output
    assert "18 CTD et 13 termes" in first.output
    with app.app_context():
        before = _snapshot()

    second = runner.invoke(args=["init-db"])
    assert second.exit_code == 0, second.output
    assert "0 CTD et 0 termes" in second.output
    with app.app_context():
        assert _snapshot() == before
        assert {row[1] for row in before["ctd"]} == SPEC_CTD_SLUGS
        labels = set(db.session.scalars(select(GlossaryTerm.pref_label)))
        assert labels == SPEC_TERMS


def test_init_db_adds_acronyms_and_synonyms_as_alternative_labels(make_app):
    app = make_app()
    assert app.test_cli_runner().invoke(args=["init-db"]).exit_code == 0
    with app.app_context():
        alt = {
            label: term
            for label, term in db.session.execute(
                select(TermLabel.label, GlossaryTerm.slug).join(TermLabel.term)
            )
        }
        assert alt["CTD"] == "comite-territorial-de-la-donnee"
        assert alt["IA"] == "intelligence-artificielle"
        assert alt["open data"] == "donnee-ouverte"
        assert alt["jumeau numérique"] == "jumeau-numerique-de-territoire"
        assert alt["data space"] == "espace-commun-de-donnees"
        assert alt["portail de données"] == "plateforme-de-donnees"
        for term in db.session.scalars(select(GlossaryTerm)):
            assert len(term.definition) > 80, term.slug
        # skos:related is stored both ways.
        for term in db.session.scalars(select(GlossaryTerm)):
            for other in term.related:
                assert term in other.related


def test_init_db_keeps_a_curators_edits(make_app):
    app = make_app()
    runner = app.test_cli_runner()
    runner.invoke(args=["init-db"])
    with app.app_context():
        ctd = db.session.scalar(select(Ctd).where(Ctd.slug == "bretagne"))
        ctd.description = "Texte écrit par le CTD."
        db.session.commit()
    runner.invoke(args=["init-db"])
    with app.app_context():
        ctd = db.session.scalar(select(Ctd).where(Ctd.slug == "bretagne"))
        assert ctd.description == "Texte écrit par le CTD."


def test_migrations_create_the_schema_the_models_describe(make_app):
    """Up from empty, and nothing left for autogenerate to find."""
    app = make_app()
    assert app.test_cli_runner().invoke(args=["init-db"]).exit_code == 0
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []
        tables = set(sa.inspect(connection).get_table_names())
    assert {
        "ctd", "user_account", "membership", "resource", "attachment", "link", "revision",
        "glossary_term", "term_label", "term_broader", "term_related", "resource_term",
        "selection", "selection_item", "audit_event", "alembic_version",
    } <= tables  # fmt: skip


def test_init_db_counts_every_document_it_indexes_and_says_so(make_app):
    """Published resources, projects and national actors are indexed; a draft is not."""
    app = make_app()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    with app.app_context():
        create_user("veille@cnig.example.org", "un mot de passe solide", "curator", ())
        factories.publish("Une ressource publiée")
        factories.resource("Un brouillon")
        factories.workspace("veille@cnig.example.org")  # one project, one national actor
    index = app.extensions["search"]
    shutil.rmtree(index.path)
    index.forget()

    result = runner.invoke(args=["init-db"])

    assert result.exit_code == 0, result.output
    assert "Index de recherche créé : 3 documents indexés." in result.output
    assert index.open().doc_count() == 3


def test_index_updates_pending_at_upgrade_survive_the_outbox_migration(make_app):
    """0009 names outbox rows by document key: a row written before it still
    reaches the index, and SQLite still never reuses an id."""
    from flask_migrate import upgrade

    from cnig_share.database import MIGRATIONS_DIR

    app = make_app()
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision="0008")
        with db.engine.begin() as connection:
            connection.execute(
                sa.text("INSERT INTO search_outbox (resource_id, created_at) VALUES (12, :now)"),
                {"now": "2026-11-28 12:00:00"},
            )
        upgrade(directory=MIGRATIONS_DIR)
        assert db.session.execute(select(SearchOutbox.id, SearchOutbox.document)).all() == [
            (1, "12")
        ]
        db.session.execute(sa.delete(SearchOutbox))
        db.session.add(SearchOutbox(document="projet-1"))
        db.session.commit()
        assert db.session.scalar(select(SearchOutbox.id)) == 2


def test_create_user_reads_password_from_standard_input(runner, app):
    result = runner.invoke(
        args=["create-user", "Camille@Exemple.fr", "--role", "member", "--ctd", "bretagne",
              "--ctd", "occitanie", "--name", "Camille Roux"],
        input="un mot de passe solide\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "camille@exemple.fr" in result.output
    assert "un mot de passe solide" not in result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "camille@exemple.fr"))
        assert user.name == "Camille Roux"
        assert user.role == "member"
        assert [ctd.slug for ctd in user.ctds] == ["bretagne", "occitanie"]
        assert user.password_hash.startswith("scrypt:")
        assert "un mot de passe solide" not in user.password_hash


def _count_users(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(User.id)))


def test_create_user_refuses_an_unknown_ctd(runner, app):
    result = runner.invoke(
        args=["create-user", "a@exemple.fr", "--role", "member", "--ctd", "atlantide"],
        input="un mot de passe solide\n",
    )
    assert result.exit_code == 1
    assert "CTD inconnu : atlantide" in result.output
    assert _count_users(app) == 0


def test_create_user_refuses_a_short_password(runner, app):
    result = runner.invoke(
        args=["create-user", "a@exemple.fr", "--role", "curator"], input="court\n"
    )
    assert result.exit_code == 1
    assert "au moins 10 caractères" in result.output
    assert _count_users(app) == 0


def test_create_user_refuses_a_malformed_email(runner, app):
    result = runner.invoke(
        args=["create-user", "pas-une-adresse", "--role", "admin"], input="un mot de passe solide\n"
    )
    assert result.exit_code == 1
    assert "Adresse électronique invalide" in result.output
    assert _count_users(app) == 0


def test_create_user_refuses_a_duplicate_whatever_the_case(runner, app):
    args = ["create-user", "a@exemple.fr", "--role", "member"]
    assert runner.invoke(args=args, input="un mot de passe solide\n").exit_code == 0
    args = ["create-user", "A@EXEMPLE.FR", "--role", "member"]
    result = runner.invoke(args=args, input="un mot de passe solide\n")
    assert result.exit_code == 1
    assert "existe déjà" in result.output
    assert _count_users(app) == 1


def test_create_user_refuses_an_unknown_role(runner, app):
    result = runner.invoke(
        args=["create-user", "a@exemple.fr", "--role", "superuser"], input="un mot de passe\n"
    )
    assert result.exit_code == 2
    assert _count_users(app) == 0


def test_seed_demo_creates_accounts_once_and_prints_their_passwords(runner, app):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "veille@demo.example.org" in first.output
    created = _count_users(app)
    assert created >= 8
    with app.app_context():
        roles = {user.role for user in db.session.scalars(select(User))}
        members_ctds = {ctd.slug for user in db.session.scalars(select(User)) for ctd in user.ctds}
    assert roles == {"member", "curator", "admin"}
    assert len(members_ctds) >= 6

    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0
    assert "déjà présent" in second.output
    assert _count_users(app) == created


def test_seed_demo_adds_a_living_library_once(runner, app):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    factories.run_extraction(app)
    with app.app_context():
        resources = db.session.scalars(select(Resource)).all()
        attachments = db.session.scalars(select(Attachment)).all()
        selections = db.session.scalars(select(Selection)).all()
        snapshot = (len(resources), len(attachments), len(selections))
        assert len(resources) >= 40
        assert len({r.ctd_id for r in resources}) >= 8
        assert {r.kind for r in resources} == set(KINDS)
        assert {r.status for r in resources} == set(STATUSES)
        assert all(r.terms for r in resources)
        assert any(r.links for r in resources)
        media = {a.media_type for a in attachments}
        assert "application/pdf" in media
        assert "application/vnd.oasis.opendocument.text" in media
        assert "application/vnd.openxmlformats-officedocument.wordprocessingml.document" in media
        assert all(a.extraction == "done" and len(a.text) > 100 for a in attachments)
        assert len(selections) == 2
        assert all(s.items for s in selections)
        assert all(i.resource.status == "published" for s in selections for i in s.items)
    for attachment in attachments:
        assert Path(
            app.config["UPLOAD_PATH"], attachment.stored_name[:2], attachment.stored_name
        ).is_file()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        again = (
            db.session.scalar(select(func.count(Resource.id))),
            db.session.scalar(select(func.count(Attachment.id))),
            db.session.scalar(select(func.count(Selection.id))),
        )
    assert again == snapshot


def test_demo_password_printed_by_seed_demo_signs_in(runner, app, auth):
    output = runner.invoke(args=["seed-demo"]).output
    line = next(line for line in output.splitlines() if "veille@" in line)
    email, password = line.split()[:2]
    response = auth.login(email, password)
    assert response.status_code == 303


@pytest.mark.slow
def test_console_script_and_flask_app_option_run_the_same_cli(tmp_path):
    env = {**os.environ, "CNIG_SHARE_INSTANCE_PATH": str(tmp_path)}
    bin_dir = Path(sys.executable).parent
    script = subprocess.run(
        [str(bin_dir / "cnig-share"), "--help"], env=env, capture_output=True, text=True
    )
    flask = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "cnig_share", "--help"],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert script.returncode == 0, script.stderr
    assert flask.returncode == 0, flask.stderr
    for command in ["init-db", "seed-demo", "create-user", "run"]:
        assert command in script.stdout
        assert command in flask.stdout


def test_every_spec_command_is_registered(runner):
    listed = runner.invoke(args=["--help"]).output
    for command in ["init-db", "seed-demo", "create-user", "create-token", "import", "export"]:
        assert f"  {command} " in listed, command
    search = runner.invoke(args=["search", "--help"]).output
    assert "  reindex " in search
    assert "  check " in search


def test_reference_regions_match_the_spec_slugs():
    assert {slug for slug, _ in CTD_REGIONS} == SPEC_CTD_SLUGS
