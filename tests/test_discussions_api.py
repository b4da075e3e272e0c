"""Discussions outside their pages: the API (SPEC §10), the Atom feeds, the
account's data export, and a deleted project's threads (their authors told)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import feedparser
from sqlalchemy import select

from cnig_share.extensions import db
from cnig_share.models import Message, Project, Report, Thread
from tests import factories
from tests.conftest import AuthActions
from tests.test_demo import content  # noqa: F401
from tests.test_discussions import AGENT, ASKER, AUTHOR, CURATOR, open_thread, post, thread_id_from


def _people(make_user) -> None:
    make_user(AUTHOR, ctds=("bretagne",), name="Anne Auteur")
    make_user(ASKER, ctds=("occitanie",), name="Oscar Occitan")
    make_user(AGENT, name="Agathe Agent")
    make_user(CURATOR, role="curator", name="Véra Veille")


def test_the_api_lists_public_threads_without_hidden_or_deleted_messages(
    app, client, auth, make_user
):
    _people(make_user)
    with app.app_context():
        resource = factories.publish("Guide", ctd="bretagne")
        draft = factories.resource("Brouillon", ctd_slug="bretagne")
    auth.login(ASKER)
    thread = thread_id_from(open_thread(client, resource, body="**Question**"))
    post(client, f"/discussions/{thread}/repondre", {"body": "à masquer"})
    post(client, f"/discussions/{thread}/repondre", {"body": "à supprimer"})
    post(client, f"/discussions/{thread}/repondre", {"body": "gardée"})
    with app.app_context():
        ids = db.session.scalars(select(Message.id).order_by(Message.id)).all()
    post(client, f"/discussions/messages/{ids[2]}/supprimer", {"confirmed": "1"})
    auth.logout()
    auth.login(CURATOR)
    post(client, f"/discussions/messages/{ids[1]}/masquer", {"reason": "Hors sujet"})
    auth.logout()

    answer = client.get("/api/v1/discussions").get_json()
    assert answer["total"] == 1 and answer["page"] == 1 and answer["per_page"] == 20
    (one,) = answer["discussions"]
    assert one["title"] == "Comment financer ?" and one["resolved"] is False
    assert one["url"].endswith(f"/discussions/{thread}")
    assert one["subject"]["type"] == "resource" and one["subject"]["id"] == resource
    assert one["subject"]["title"] == "Guide"
    assert [m["id"] for m in one["messages"]] == [ids[0], ids[3]]
    assert one["messages"][0]["body_html"] == "<p><strong>Question</strong></p>\n"
    assert one["messages"][0]["author"] == "Oscar Occitan"
    assert client.get(f"/api/v1/resources/{resource}/discussions").get_json()["total"] == 1
    assert client.get(f"/api/v1/resources/{draft}/discussions").status_code == 404
    assert client.get("/api/v1/resources/999999/discussions").status_code == 404
    assert client.get("/api/v1/discussions?ctd=bretagne").get_json()["total"] == 1
    assert client.get("/api/v1/discussions?ctd=corse").get_json()["total"] == 0
    assert client.get("/api/v1/discussions?ctd=nulle-part").status_code == 400
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    assert client.get(f"/api/v1/discussions?since={tomorrow}").get_json()["total"] == 0
    assert client.get("/api/v1/discussions?since=2020-01-01").get_json()["total"] == 1
    bad = client.get("/api/v1/discussions?since=hier")
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "invalid_parameter"
    assert client.get("/api/v1/discussions?per_page=0").status_code == 400
    paged = client.get("/api/v1/discussions?per_page=1&page=2").get_json()
    assert paged["discussions"] == [] and paged["links"]["prev"]


def test_the_feeds_carry_public_threads_and_messages(app, client, auth, make_user):
    _people(make_user)
    with app.app_context():
        resource = factories.publish("Guide", ctd="bretagne")
    auth.login(ASKER)
    thread = thread_id_from(open_thread(client, resource, title="Fil public", body="Premier"))
    post(client, f"/discussions/{thread}/repondre", {"body": "Second message"})
    auth.logout()
    feed = client.get("/flux/discussions.atom")
    assert feed.mimetype == "application/atom+xml"
    parsed = feedparser.parse(feed.get_data())
    assert not parsed.bozo
    assert [e.title for e in parsed.entries] == ["Fil public"]
    assert feedparser.parse(client.get("/flux/discussions.atom?ctd=corse").get_data()).entries == []
    messages = feedparser.parse(client.get(f"/flux/discussions/{thread}.atom").get_data())
    assert not messages.bozo
    assert [e.summary for e in messages.entries] == ["Second message", "Premier"]
    assert client.get("/flux/discussions/999999.atom").status_code == 404


def test_the_data_export_carries_messages_and_reports(app, client, auth, make_user):
    _people(make_user)
    with app.app_context():
        resource = factories.publish("Guide", ctd="bretagne")
    auth.login(AGENT)
    thread = thread_id_from(open_thread(client, resource, body="Mon texte"))
    post(client, f"/signaler/ressource/{resource}", {"reason": "obsolete", "comment": "vieux"})
    data = client.get("/profil/mes-donnees.json").get_json()
    assert data["discussions"][0]["id"] == thread
    assert data["messages"][0]["body"] == "Mon texte"
    assert data["reports"][0]["reason"] == "obsolete" and data["reports"][0]["comment"] == "vieux"
    password = {"suppression-password": "correct horse battery staple"}
    post(client, "/profil/supprimer", password, page="/profil")
    with app.app_context():
        assert db.session.scalar(select(Report)) is None  # the reports went with the account
        assert db.session.get(Thread, thread).author_id is None  # the thread stays


def test_deleting_a_project_says_so_and_tells_its_threads_authors(mailing_app, inbox, make_user):
    _people(make_user)
    client = mailing_app.test_client()
    auth = AuthActions(client)
    with mailing_app.app_context():
        factories.workspace(curator=CURATOR)
        project = db.session.scalar(select(Project)).id
    auth.login(AGENT)
    data = {"subject_type": "project", "subject_id": project, "title": "Et le PCRS ?", "body": "?"}
    thread = thread_id_from(post(client, "/discussions/nouvelle", data))
    with mailing_app.app_context():
        message = db.session.scalar(select(Message.id))
    post(client, f"/signaler/message/{message}", {"reason": "autre"})
    auth.logout()
    auth.login(AUTHOR)
    delete = f"/ctd/bretagne/projets/{project}/supprimer"
    asked = post(client, delete, {})
    assert "Sa discussion est supprimée avec lui" in asked.get_data(as_text=True)
    assert not inbox[0].messages
    assert post(client, delete, {"confirmed": "1"}).status_code == 303
    (mail,) = inbox[0].messages
    assert mail["To"] == AGENT and "Et le PCRS ?" in mail.get_body().get_content()
    with mailing_app.app_context():
        assert db.session.get(Thread, thread) is None
        assert db.session.scalar(select(Report)) is None


def test_seed_demo_adds_threads_and_reports_once(app, runner, content):  # noqa: F811
    first = runner.invoke(args=["seed-demo", "--content", str(content)])
    assert first.exit_code == 0, first.output
    assert "Discussions : 4 ouvertes" in first.output
    with app.app_context():
        threads = db.session.scalars(select(Thread)).all()
        assert {t.subject_type for t in threads} == {"resource", "project", "roadmap"}
        assert any(t.is_resolved for t in threads)
        assert any(m.is_hidden for t in threads for m in t.messages)
        statuses = sorted(db.session.scalars(select(Report.target_type)))
        assert statuses == ["message", "resource"]
    again = runner.invoke(args=["seed-demo", "--content", str(content)])
    assert again.exit_code == 0 and "Discussions" not in again.output
    with app.app_context():
        assert len(db.session.scalars(select(Thread)).all()) == 4


def test_a_discussion_naming_an_unknown_account_is_refused(app, runner, content):  # noqa: F811
    path = content / "discussions.toml"
    path.write_text(path.read_text().replace('by = "agent"', 'by = "fantome"', 1))
    refused = runner.invoke(args=["seed-demo", "--content", str(content)])
    assert refused.exit_code == 1
    assert "discussions.toml" in refused.output and "fantome" in refused.output
    with app.app_context():
        assert db.session.scalar(select(Thread)) is None
