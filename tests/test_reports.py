"""*Signaler* and moderation: one open report per person and object, the
curators' queue grouped by object and oldest first, hiding a message (its author
told by email, after commit), filing a report; everything audited."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cnig_share.extensions import db
from cnig_share.models import AuditEvent, Message, Report
from tests import factories
from tests.test_discussions import (
    AGENT,
    ASKER,
    AUTHOR,
    CURATOR,
    open_thread,
    post,
    thread_id_from,
)


@pytest.fixture
def setting(app, make_user):
    make_user(AUTHOR, ctds=("bretagne",), name="Anne Auteur")
    make_user(ASKER, ctds=("occitanie",), name="Oscar Occitan")
    make_user(AGENT, name="Agathe Agent")
    make_user(CURATOR, role="curator", name="Véra Veille")
    with app.app_context():
        return factories.publish("Guide", ctd="bretagne", author=factories.user(AUTHOR))


def a_thread(client, auth, resource_id: int, body: str = "Un message grossier") -> tuple[int, int]:
    auth.login(ASKER)
    thread = thread_id_from(open_thread(client, resource_id, body=body))
    auth.logout()
    with client.application.app_context():
        message = db.session.scalar(select(Message.id).where(Message.thread_id == thread))
    return thread, message


def test_anyone_signed_in_reports_once_until_it_is_handled(app, client, auth, setting):
    _, message = a_thread(client, auth, setting)
    assert client.get(f"/signaler/message/{message}").status_code == 302  # to sign in
    auth.login(AGENT)
    form = client.get(f"/signaler/message/{message}")
    assert form.status_code == 200 and "Motif du signalement" in form.get_data(as_text=True)
    sent = post(client, f"/signaler/message/{message}", {"reason": "inapproprie", "comment": "!"})
    assert sent.status_code == 303
    again = post(client, f"/signaler/message/{message}", {"reason": "autre", "comment": ""})
    assert again.status_code == 409
    assert "déjà signalé" in again.get_data(as_text=True)
    no_reason = post(client, f"/signaler/ressource/{setting}", {"comment": ""})
    assert no_reason.status_code == 422
    assert "Choisissez le motif" in no_reason.get_data(as_text=True)
    long = post(
        client, f"/signaler/ressource/{setting}", {"reason": "errone", "comment": "x" * 1001}
    )
    assert long.status_code == 422
    assert post(client, f"/signaler/ressource/{setting}", {"reason": "obsolete"}).status_code == 303
    assert client.get("/signaler/inconnu/1").status_code == 404
    assert client.get("/signaler/ressource/999999").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count(Report.id))) == 2


def test_a_draft_cannot_be_reported_by_who_cannot_see_it(app, client, auth, setting):
    with app.app_context():
        draft = factories.resource("Brouillon", ctd_slug="bretagne")
    auth.login(AGENT)
    assert client.get(f"/signaler/ressource/{draft}").status_code == 404


def test_the_queue_is_for_curators_grouped_by_object_oldest_first(app, client, auth, setting):
    _, message = a_thread(client, auth, setting)
    reports = (
        (AGENT, f"/signaler/ressource/{setting}"),
        (AUTHOR, f"/signaler/message/{message}"),
        (AGENT, f"/signaler/message/{message}"),
    )
    for who, url in reports:
        auth.login(who)
        assert post(client, url, {"reason": "errone", "comment": f"par {who}"}).status_code == 303
        auth.logout()
    auth.login(ASKER)
    assert client.get("/curation/signalements").status_code == 403
    auth.logout()
    auth.login(CURATOR)
    page = client.get("/curation/signalements").get_data(as_text=True)
    assert page.index("Ressource : Guide") < page.index("Message dans")
    assert "2 signalements" in page and "1 signalement" in page
    assert f"par {AUTHOR}" in page


def test_a_curator_hides_a_message_and_its_author_is_told(mailing_app, inbox, make_user):
    client = mailing_app.test_client()
    from tests.conftest import AuthActions

    auth = AuthActions(client)
    make_user(ASKER, ctds=("occitanie",), name="Oscar Occitan")
    make_user(AGENT, name="Agathe Agent")
    make_user(CURATOR, role="curator")
    with mailing_app.app_context():
        resource = factories.publish("Guide", ctd="bretagne")
    thread, message = a_thread(client, auth, resource, body="Achetez mes montres")
    auth.login(AGENT)
    post(client, f"/signaler/message/{message}", {"reason": "inapproprie"})
    auth.logout()
    auth.login(ASKER)
    assert client.get(f"/discussions/messages/{message}/masquer").status_code == 403
    auth.logout()
    auth.login(CURATOR)
    empty = post(client, f"/discussions/messages/{message}/masquer", {"reason": " "})
    assert empty.status_code == 422 and not inbox[0].messages
    hidden = post(client, f"/discussions/messages/{message}/masquer",
                  {"reason": "Publicité", "next": "queue"})  # fmt: skip
    assert hidden.status_code == 303 and hidden.headers["Location"].endswith(
        "/curation/signalements"
    )
    assert "Aucun signalement à traiter" in client.get("/curation/signalements").get_data(
        as_text=True
    )
    (mail,) = inbox[0].messages
    assert mail["To"] == ASKER and "masqué" in mail["Subject"]
    text = mail.get_body().get_content()
    assert "Publicité" in text and f"https://partage.example/discussions/{thread}" in text
    again = post(client, f"/discussions/messages/{message}/masquer", {"reason": "Encore"})
    assert again.status_code == 409
    page = client.get(f"/discussions/{thread}").get_data(as_text=True)
    assert "Achetez mes montres" in page  # curators read it
    auth.logout()
    page = client.get(f"/discussions/{thread}").get_data(as_text=True)
    assert "Achetez mes montres" not in page
    assert "Message masqué par la modération" in page and "Publicité" in page
    feed = client.get(f"/flux/discussions/{thread}.atom").get_data(as_text=True)
    assert "montres" not in feed
    api = client.get("/api/v1/discussions").get_json()
    assert api["discussions"][0]["messages"] == []
    auth.login(ASKER)  # its author still reads it, may delete it, may not edit it
    page = client.get(f"/discussions/{thread}").get_data(as_text=True)
    assert "Achetez mes montres" in page and "seuls son auteur" in page
    assert client.get(f"/discussions/messages/{message}/modifier").status_code == 403
    with mailing_app.app_context():
        actions = set(db.session.scalars(select(AuditEvent.action)))
        assert {"discussion.create", "discussion.hide"} <= actions
        assert db.session.scalar(select(Report.status)) == "hidden"


def test_filing_a_report_and_showing_a_message_again(app, client, auth, setting):
    thread, message = a_thread(client, auth, setting)
    auth.login(AGENT)
    post(client, f"/signaler/message/{message}", {"reason": "doublon"})
    auth.logout()
    auth.login(CURATOR)
    with app.app_context():
        report = db.session.scalar(select(Report.id))
    assert post(client, f"/curation/signalements/{report}/classer", {}).status_code == 303
    assert post(client, f"/curation/signalements/{report}/classer", {}).status_code == 409
    post(client, f"/discussions/messages/{message}/masquer", {"reason": "Hors sujet"})
    post(client, f"/discussions/messages/{message}/afficher", {})
    auth.logout()
    assert "Un message grossier" in client.get(f"/discussions/{thread}").get_data(as_text=True)
    with app.app_context():
        actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"report.close", "discussion.hide", "discussion.unhide"} <= actions
    auth.login(CURATOR)
    journal = client.get("/curation/journal").get_data(as_text=True)
    assert "Signalement classé" in journal and "Message masqué par la modération" in journal


def test_the_reporter_may_report_again_once_handled(app, client, auth, setting):
    auth.login(AGENT)
    assert post(client, f"/signaler/ressource/{setting}", {"reason": "obsolete"}).status_code == 303
    with app.app_context():
        db.session.scalar(select(Report)).status = "closed"
        db.session.commit()
    assert post(client, f"/signaler/ressource/{setting}", {"reason": "obsolete"}).status_code == 303
