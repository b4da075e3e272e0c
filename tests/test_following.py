"""Following, /fil and the notifications: through the web client, the CLI and
a real SMTP server on the loopback interface."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update

from cnig_share.extensions import db
from cnig_share.models import (
    Follow,
    NotificationSettings,
    NotificationThrottle,
    PendingNotification,
    ProjectStatusChange,
    Resource,
    RoadmapVersion,
    term_broader,
    utcnow,
)
from cnig_share.resources import lifecycle
from cnig_share.resources import services as resource_services
from cnig_share.workspace import services as workspace
from tests import factories
from tests.conftest import AuthActions, csrf_token_from
from tests.migrations import before

MEMBER = "lea@bretagne.example.org"
FOLLOWER = "paul@occitanie.example.org"
CURATOR = "veille@cnig.example.org"


@pytest.fixture
def app(mailing_app):
    return mailing_app


@pytest.fixture
def people(make_user):
    make_user(MEMBER, ctds=("bretagne",))
    make_user(FOLLOWER, ctds=("occitanie",))
    make_user(CURATOR, role="curator")


def token(client, path: str = "/fil") -> str:
    return csrf_token_from(client.get(path).get_data(as_text=True))


def follow(client, kind: str, target_id: int, htmx: bool = False):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        f"/suivis/{kind}/{target_id}", data={"csrf_token": token(client)}, headers=headers
    )


def ctd_id(app, slug: str) -> int:
    with app.app_context():
        return factories.ctd(slug).id


def feed_text(client, **args) -> str:
    response = client.get("/fil", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def save_roadmap(app, slug: str, body: str, email: str = MEMBER) -> int:
    with app.test_request_context():
        ctd = factories.ctd(slug)
        base = workspace.current_roadmap_id(ctd)
        version = workspace.save_roadmap(ctd, body, "", factories.user(email), base)
        db.session.commit()
        return version.id


def set_modes(client, period: str = "weekly", **modes):
    data = {"csrf_token": token(client, "/profil"), "period": period}
    for kind in ("publication", "version", "project", "roadmap"):
        data[f"mode_{kind}"] = modes.get(kind, "digest")
    return client.post("/profil/notifications", data=data)


def publish_now(app, title: str, ctd: str = "bretagne", terms=()) -> int:
    """A submitted resource published by a curator, as the review queue does."""
    with app.test_request_context():
        resource_id = factories.resource(title, ctd, status="submitted")
        resource = db.session.get(Resource, resource_id)
        resource.terms = [factories.term(slug) for slug in terms]
        lifecycle.publish(resource, factories.user(CURATOR))
        db.session.commit()
        return resource_id


# --- following ---------------------------------------------------------------------------


def test_follow_and_unfollow_a_ctd_without_javascript(app, client, auth, people):
    auth.login(FOLLOWER)
    bretagne = ctd_id(app, "bretagne")
    page = client.get("/ctd/bretagne").get_data(as_text=True)
    assert f'action="/suivis/ctd/{bretagne}"' in page
    response = follow(client, "ctd", bretagne)
    assert response.status_code == 303 and response.location.endswith("/ctd/bretagne")
    page = client.get("/ctd/bretagne").get_data(as_text=True)
    assert "Ne plus suivre" in page and "Vous suivez le CTD" in page
    follow(client, "ctd", bretagne)  # twice: still one follow
    with app.app_context():
        assert db.session.scalar(select(func.count(Follow.id))) == 1
    response = client.post(f"/suivis/ctd/{bretagne}/retirer", data={"csrf_token": token(client)})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count(Follow.id))) == 0


def test_follow_in_place_with_htmx(app, client, auth, people):
    auth.login(FOLLOWER)
    response = follow(client, "ctd", ctd_id(app, "bretagne"), htmx=True)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith("<form") and "Ne plus suivre" in html
    assert "<html" not in html
    response = client.post(
        f"/suivis/ctd/{ctd_id(app, 'bretagne')}/retirer",
        data={"csrf_token": token(client)},
        headers={"HX-Request": "true"},
    )
    assert ">Suivre<" in response.get_data(as_text=True)


def test_every_followable_page_has_the_button(app, client, auth, people):
    with app.app_context():
        factories.workspace(CURATOR)
        resource_id = factories.publish("Guide des adresses")
        from cnig_share.models import NationalActor, Project

        project = db.session.scalar(select(Project))
        actor = db.session.scalar(select(NationalActor))
        pages = {
            "ctd": ("/ctd/bretagne", factories.ctd("bretagne").id),
            "term": (
                f"/glossaire/{factories.term('donnee-geolocalisee').slug}",
                factories.term("donnee-geolocalisee").id,
            ),
            "resource": (f"/ressources/{resource_id}", resource_id),
            "project": (f"/ctd/{project.ctd.slug}/projets/{project.id}", project.id),
            "actor": (f"/acteurs/{actor.slug}", actor.id),
        }
    for kind, (path, _) in pages.items():
        visitor = client.get(path).get_data(as_text=True)
        assert "/connexion?next=" in visitor and "Suivre" in visitor, kind
    auth.login(FOLLOWER)
    for kind, (path, target_id) in pages.items():
        assert f'action="/suivis/{kind}/{target_id}"' in client.get(path).get_data(as_text=True)
        assert follow(client, kind, target_id).status_code == 303, kind
        assert "Ne plus suivre" in client.get(path).get_data(as_text=True), kind
    profile = client.get("/profil").get_data(as_text=True)
    assert "Guide des adresses" in profile and "Ce que je suis" in profile


def test_follow_refuses_what_cannot_be_followed(app, client, auth, people):
    with app.app_context():
        draft = factories.resource("Brouillon secret")
    anonymous = client.post(
        f"/suivis/ctd/{ctd_id(app, 'bretagne')}", data={"csrf_token": token(client, "/")}
    )
    assert anonymous.status_code == 302 and "/connexion" in anonymous.location
    auth.login(FOLLOWER)
    assert follow(client, "resource", draft).status_code == 404
    assert follow(client, "inconnu", 1).status_code == 404
    assert follow(client, "ctd", 999999).status_code == 404
    no_csrf = client.post(f"/suivis/ctd/{ctd_id(app, 'bretagne')}")
    assert no_csrf.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(Follow.id))) == 0


# --- the feed ----------------------------------------------------------------------------


def test_feed_lists_each_change_once_newest_first_with_filters(app, client, auth, people):
    auth.login(FOLLOWER)
    assert "Vous ne suivez encore rien" in feed_text(client)
    follow(client, "ctd", ctd_id(app, "bretagne"))
    with app.app_context():
        adresse = factories.term("donnee-geolocalisee").id
    follow(client, "term", adresse)
    first = publish_now(app, "Publiée et suivie deux fois", terms=("donnee-geolocalisee",))
    publish_now(app, "Ailleurs et sans terme suivi", ctd="normandie")
    save_roadmap(app, "bretagne", "Notre feuille de route.")
    with app.app_context():
        resource = db.session.get(Resource, first)
        data = resource_services.input_from(resource)
        data.body = "Un texte revu."
        resource_services.update_resource(resource, data, factories.user(CURATOR))
        project = workspace.save_project(
            None, factories.ctd("bretagne"),
            workspace.ProjectInput(title="Réseau BAL"), factories.user(MEMBER),
        )  # fmt: skip
        db.session.commit()
        project = workspace.save_project(
            project, project.ctd,
            workspace.ProjectInput(title="Réseau BAL", status="en-cours"), factories.user(MEMBER),
        )  # fmt: skip
        db.session.commit()
    text = feed_text(client)
    assert text.count("Publiée et suivie deux fois") == 2  # published, then a new version
    assert "Ailleurs et sans terme suivi" not in text
    assert "Nouveau projet" in text and "Projet : en cours" in text
    assert "Feuille de route mise à jour" in text
    order = [text.index(word) for word in ("Projet : en cours", "Nouveau projet",
                                            "Nouvelle version", "Publication ·")]  # fmt: skip
    assert order == sorted(order)  # newest first
    only = feed_text(client, type="roadmap")
    assert "Feuille de route mise à jour" in only and "Nouveau projet" not in only
    block = client.get("/fil", query_string={"type": "project"}, headers={"HX-Request": "true"})
    assert "<html" not in block.get_data(as_text=True) and "Réseau BAL" in block.get_data(
        as_text=True
    )
    assert client.get("/fil", query_string={"page": "abc", "type": "rien"}).status_code == 200


def test_feed_is_paginated(app, client, auth, people):
    auth.login(FOLLOWER)
    follow(client, "ctd", ctd_id(app, "bretagne"))
    with app.app_context():
        for number in range(23):
            factories.publish(f"Ressource numéro {number:02d}")
    first = feed_text(client)
    assert "23 évènements" in first and "Ressource numéro" in first
    second = feed_text(client, page="2")
    assert second.count("Ressource numéro") == 3


def test_following_a_term_follows_its_narrower_terms(app, client, auth, people):
    with app.app_context():
        broad = factories.term("donnee-geolocalisee")
        narrow = factories.term("donnee-geographique")
        if narrow not in broad.narrower:
            db.session.execute(
                term_broader.insert().values(narrower_id=narrow.id, broader_id=broad.id)
            )
            db.session.commit()
        broad_id = broad.id
    auth.login(FOLLOWER)
    follow(client, "term", broad_id)
    publish_now(app, "Sur le terme spécifique", ctd="normandie", terms=("donnee-geographique",))
    assert "Sur le terme spécifique" in feed_text(client)


def test_feed_requires_signing_in(client):
    response = client.get("/fil")
    assert response.status_code == 302 and "/connexion" in response.location


# --- nothing private, ever ---------------------------------------------------------------

ACTIONS = st.lists(
    st.tuples(st.sampled_from(["draft", "submit", "publish", "archive", "edit"]),
              st.integers(0, 2)),
    min_size=1, max_size=6,
)  # fmt: skip
_examples = iter(range(1000))


@settings(max_examples=4, deadline=None, database=None, phases=[Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(actions=ACTIONS)
def test_nothing_a_visitor_may_not_see_reaches_the_feed_or_the_digest(
    app, make_user, inbox, actions
):
    """Drafts, submissions and archived resources of a followed CTD, moved
    about in any order, never reach the feed, an immediate message or a digest."""
    example = next(_examples)
    if not _exists(app, FOLLOWER):
        make_user(FOLLOWER, ctds=("occitanie",))
        make_user(CURATOR, role="curator")
    client = app.test_client()
    AuthActions(client).login(FOLLOWER)
    follow(client, "ctd", ctd_id(app, "bretagne"))
    set_modes(client, publication="immediate", version="immediate")
    titles = [f"Exemple{example}-titre{number}" for number in range(3)]
    with app.test_request_context():
        curator = factories.user(CURATOR)
        ids = [factories.resource(title, "bretagne", status="draft") for title in titles]
        for action, which in actions:
            _act(action, db.session.get(Resource, ids[which]), curator)
            # Told at once, while it is public; never of a state a visitor may not see.
            sent = " ".join(message.get_content() for message in inbox[0].take())
            _assert_only_public(titles, ids, sent)
        public = {t for t, id_ in zip(titles, ids, strict=True)
                  if db.session.get(Resource, id_).is_published}  # fmt: skip
        db.session.execute(update(NotificationSettings).values(last_digest_at=None))
        db.session.commit()
    text = feed_text(client)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["alerts", "send-grouped"]).exit_code == 0
    assert runner.invoke(args=["alerts", "send", "--period", "weekly"]).exit_code == 0
    mails = " ".join(message.get_content() for message in inbox[0].take())
    for title in set(titles) - public:
        assert title not in text and title not in mails
    for title in public:
        assert title in text


def _assert_only_public(titles: list[str], ids: list[int], sent: str) -> None:
    for title, id_ in zip(titles, ids, strict=True):
        if not db.session.get(Resource, id_).is_published:
            assert title not in sent


def _act(action: str, resource: Resource, curator) -> None:
    """One step of a resource's life, committed; a step its state refuses is skipped."""
    try:
        if action == "submit":
            resource.status, resource.submitted_at = "submitted", utcnow()
        elif action == "draft":
            resource.status = "draft"
        elif action == "publish":
            lifecycle.publish(resource, curator)
        elif action == "archive":
            lifecycle.archive(resource, curator)
        else:
            data = resource_services.input_from(resource)
            data.body = resource.body + " encore"
            resource_services.update_resource(resource, data, curator)
    except resource_services.ResourceError:
        db.session.rollback()
        return
    db.session.commit()


def _exists(app, email: str) -> bool:
    with app.app_context():
        return factories.user(email) is not None


# --- notifications -----------------------------------------------------------------------


def test_immediate_messages_are_grouped_one_per_subject_and_hour(app, client, auth, people, inbox):
    handler, _ = inbox
    auth.login(FOLLOWER)
    follow(client, "ctd", ctd_id(app, "bretagne"))
    assert set_modes(client, roadmap="immediate").status_code == 303
    save_roadmap(app, "bretagne", "Version 1")
    [message] = handler.wait_for(1)
    assert "Feuille de route" in message["Subject"] and message["To"] == FOLLOWER
    assert "Version 1" not in message.get_content()  # links, not someone's text
    save_roadmap(app, "bretagne", "Version 2")
    save_roadmap(app, "bretagne", "Version 3")
    save_roadmap(app, "bretagne", "Par l'auteur", email=FOLLOWER)  # not told of their own
    runner = app.test_cli_runner()
    assert "0 notification" in runner.invoke(args=["alerts", "send-grouped"]).output
    assert handler.take() == []
    with app.app_context():
        assert db.session.scalar(select(func.count(PendingNotification.id))) == 2
        db.session.execute(
            update(NotificationThrottle).values(last_sent_at=utcnow() - timedelta(minutes=61))
        )
        db.session.commit()
    assert "1 notification" in runner.invoke(args=["alerts", "send-grouped"]).output
    [grouped] = handler.wait_for(1)
    assert grouped.get_content().count("Feuille de route mise à jour") == 2
    with app.app_context():
        assert db.session.scalar(select(func.count(PendingNotification.id))) == 0


def test_digest_is_one_message_per_person_and_period(app, client, auth, people, inbox):
    handler, _ = inbox
    auth.login(FOLLOWER)
    follow(client, "ctd", ctd_id(app, "bretagne"))
    auth.logout()
    auth.login(MEMBER)
    follow(client, "ctd", ctd_id(app, "bretagne"))
    set_modes(client, period="daily")
    publish_now(app, "Première nouveauté")
    publish_now(app, "Seconde nouveauté")
    save_roadmap(app, "bretagne", "Une feuille de route", email=CURATOR)
    assert handler.take() == []  # nothing immediate by default
    runner = app.test_cli_runner()
    output = runner.invoke(args=["alerts", "send", "--period", "weekly"]).output
    assert "1 résumé(s) de suivi envoyé(s) sur 1 personne(s)" in output
    [digest] = handler.wait_for(1)
    assert digest["To"] == FOLLOWER and "3 nouveautés" in digest["Subject"]
    body = digest.get_content()
    assert "Première nouveauté" in body and "Seconde nouveauté" in body
    assert "https://partage.example/ressources/" in body
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    runner.invoke(args=["alerts", "send", "--period", "weekly"])
    assert handler.take() == []  # nothing new since
    runner.invoke(args=["alerts", "send", "--period", "daily"])
    [daily] = handler.wait_for(1)
    assert daily["To"] == MEMBER


def test_one_click_unsubscribe_without_session_or_csrf(app, client, auth, people, inbox):
    handler, _ = inbox
    auth.login(FOLLOWER)
    follow(client, "ctd", ctd_id(app, "bretagne"))
    set_modes(client, roadmap="immediate")
    save_roadmap(app, "bretagne", "Version 1")
    [message] = handler.wait_for(1)
    link = re.fullmatch(r"<https://partage\.example(\S+)>", message["List-Unsubscribe"]).group(1)
    assert link in message.get_content()
    stranger = app.test_client()
    assert "Me désabonner" in stranger.get(link).get_data(as_text=True)
    response = stranger.post(link, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "Désabonnement effectué" in response.get_data(
        as_text=True
    )
    with app.app_context():
        settings_row = db.session.get(NotificationSettings, factories.user(FOLLOWER).id)
        assert settings_row.modes["roadmap"] == "none"
        db.session.execute(
            update(NotificationThrottle).values(last_sent_at=utcnow() - timedelta(hours=2))
        )
        db.session.commit()
    save_roadmap(app, "bretagne", "Version 2")
    assert handler.take() == []
    assert "Feuille de route mise à jour" in feed_text(client)  # the feed still shows it
    assert stranger.post(link[:-3] + "xyz").status_code == 400


def test_mail_leaves_only_after_the_commit(app, client, auth, people, inbox):
    handler, _ = inbox
    auth.login(FOLLOWER)
    follow(client, "ctd", ctd_id(app, "bretagne"))
    set_modes(client, roadmap="immediate")
    with app.app_context():
        ctd = factories.ctd("bretagne")
        workspace.save_roadmap(ctd, "Jamais enregistrée", "", factories.user(MEMBER), 0)
        db.session.rollback()
        assert db.session.scalar(select(func.count(RoadmapVersion.id))) == 0
    assert handler.take() == []


def test_preferences_refuse_values_not_offered(app, client, auth, people):
    auth.login(FOLLOWER)
    assert set_modes(client, period="monthly").status_code == 422
    response = set_modes(client, publication="sometimes")
    assert response.status_code == 422 and "Choisissez" in response.get_data(as_text=True)
    assert set_modes(client, period="daily", version="none").status_code == 303
    page = client.get("/profil").get_data(as_text=True)
    assert re.search(r'value="none"[^>]*checked|checked[^>]*value="none"', page)


# --- privacy -----------------------------------------------------------------------------


def test_export_and_deletion_cover_follows_and_preferences(app, client, auth, people):
    auth.login(FOLLOWER)
    follow(client, "ctd", ctd_id(app, "bretagne"))
    set_modes(client, period="daily", publication="immediate")
    exported = json.loads(client.get("/profil/mes-donnees.json").get_data(as_text=True))
    assert exported["follows"][0]["kind"] == "ctd"
    assert exported["follows"][0]["title"] == "CTD Bretagne" or exported["follows"][0]["id"]
    assert exported["notification_preferences"]["modes"]["publication"] == "Immédiatement"
    assert exported["notification_preferences"]["summary_period"] == "daily"
    page = client.get("/profil").get_data(as_text=True)
    data = {"suppression-csrf_token": csrf_token_from(page), "suppression-password": "x"}
    from tests.conftest import PASSWORD

    data["suppression-password"] = PASSWORD
    client.post("/profil/supprimer", data=data)
    with app.app_context():
        assert factories.user(FOLLOWER) is None
        assert db.session.scalar(select(func.count(Follow.id))) == 0
        assert db.session.scalar(select(func.count(NotificationSettings.user_id))) == 0


def test_personal_data_page_names_follows(client):
    text = client.get("/donnees-personnelles").get_data(as_text=True)
    assert "Ce que vous suivez et vos préférences de courriel" in text


def test_a_new_version_of_a_followed_resource_is_told_at_once(app, client, auth, people, inbox):
    handler, _ = inbox
    resource_id = publish_now(app, "Guide suivi")
    auth.login(FOLLOWER)
    follow(client, "resource", resource_id)
    set_modes(client, version="immediate")
    with app.test_request_context():
        resource = db.session.get(Resource, resource_id)
        data = resource_services.input_from(resource)
        data.body = "Texte revu."
        resource_services.update_resource(resource, data, factories.user(CURATOR))
        db.session.commit()
    [message] = handler.wait_for(1)
    assert "Nouvelle version : Guide suivi" in message.get_content()
    assert f"https://partage.example/ressources/{resource_id}" in message.get_content()


def test_an_account_without_ctd_follows_an_actor_and_sees_its_projects(
    app, client, auth, make_user
):
    make_user("agent@etat.example.org")
    make_user(CURATOR, role="curator")
    with app.app_context():
        factories.workspace(CURATOR)  # IGN takes part in a Bretagne project
        from cnig_share.models import NationalActor

        ign = db.session.scalar(select(NationalActor).where(NationalActor.slug == "ign")).id
    auth.login("agent@etat.example.org")
    assert follow(client, "actor", ign).status_code == 303
    assert "PCRS mutualisé" in feed_text(client) and "Nouveau projet" in feed_text(client)


def test_migration_gives_existing_projects_their_creation(make_app):
    """0022 starts the status history of projects made before it, so the feed knows them."""
    from flask_migrate import upgrade

    from cnig_share.database import MIGRATIONS_DIR

    app = make_app()
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision=before("0022"))
        with db.engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO ctd (id, slug, name, region, description, website, contact,"
                " created_at) VALUES (1, 'bretagne', 'CTD Bretagne', 'Bretagne', '', '', '',"
                " '2025-01-01 00:00:00')"
            ))  # fmt: skip
            connection.execute(sa.text(
                "INSERT INTO project (id, ctd_id, title, description, description_html,"
                " description_text, status, partners, avoided_cost_method,"
                " avoided_cost_method_html, avoided_cost_method_text, created_at, updated_at,"
                " version) VALUES (1, 1, 'Ancien', '', '', '', 'en-cours', '', '', '', '',"
                " '2025-02-01 00:00:00', '2025-02-01 00:00:00', 1)"
            ))  # fmt: skip
        upgrade(directory=MIGRATIONS_DIR)
        rows = db.session.execute(
            select(
                ProjectStatusChange.project_id,
                ProjectStatusChange.previous,
                ProjectStatusChange.status,
            )
        ).all()
    assert rows == [(1, None, "en-cours")]
