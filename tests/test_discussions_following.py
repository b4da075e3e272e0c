"""Discussions in what people follow, and in the public statistics: a resource's
author is told of a new thread; whoever writes in a thread hears of its replies at
once, and sees them in /fil; nothing hidden or no longer public gets there; the
figures of /statistiques count public threads and replies only."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from cnig_share.extensions import db
from cnig_share.models import Message, Resource, Thread
from tests import factories
from tests.conftest import csrf_token_from

AUTHOR = "auteur@bretagne.example.org"
ASKER = "membre@occitanie.example.org"
NEIGHBOUR = "voisin@bretagne.example.org"
CURATOR = "veille@cnig.example.org"


@pytest.fixture
def app(mailing_app):
    return mailing_app


@pytest.fixture
def published(app, make_user) -> int:
    make_user(AUTHOR, ctds=("bretagne",), name="Anne Auteur")
    make_user(ASKER, ctds=("occitanie",), name="Oscar Occitan")
    make_user(NEIGHBOUR, ctds=("bretagne",), name="Valérie Voisin")
    make_user(CURATOR, role="curator", name="Véra Veille")
    with app.app_context():
        return factories.publish("Guide de la BAL", ctd="bretagne", author=factories.user(AUTHOR))


def post(client, url: str, data: dict):
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def open_thread(client, resource_id: int, title: str = "Comment financer ?") -> int:
    data = {
        "subject_type": "resource",
        "subject_id": resource_id,
        "title": title,
        "body": "Bonjour.",
    }
    response = post(client, "/discussions/nouvelle", data)
    assert response.status_code == 303
    return int(response.headers["Location"].rsplit("/", 1)[1].split("#")[0])


def reply(client, thread_id: int, body: str):
    response = post(client, f"/discussions/{thread_id}/repondre", {"body": body})
    assert response.status_code == 303
    return response


def test_the_author_is_told_and_the_asker_hears_the_answer_at_once(
    app, client, auth, published, inbox
):
    handler, _ = inbox
    auth.login(ASKER)
    thread = open_thread(client, published)
    [told] = handler.wait_for(1)
    assert told["To"] == AUTHOR and told["Subject"] == "Une discussion sur votre ressource"
    assert "Comment financer ?" in told.get_content()
    assert f"https://partage.example/discussions/{thread}" in told.get_content()
    auth.logout()

    auth.login(AUTHOR)
    reply(client, thread, "Par le FEDER.")
    [answer] = handler.wait_for(1)
    assert answer["To"] == ASKER  # the asker follows the thread they opened; not the author
    assert "Comment financer ?" in answer.get_content()
    assert "Par le FEDER" not in answer.get_content()  # links, not someone's text
    assert answer["List-Unsubscribe"]
    auth.logout()

    auth.login(ASKER)
    feed = client.get("/fil").get_data(as_text=True)
    assert "Réponse" in feed and "Comment financer ?" in feed
    assert client.get("/fil?type=reply").status_code == 200
    reply(client, thread, "Merci !")  # the author follows the thread now: told, grouped
    [thanks] = handler.wait_for(1)
    assert thanks["To"] == AUTHOR


def test_a_ctd_follower_sees_new_threads_and_a_thread_follower_its_replies(
    app, client, auth, published
):
    auth.login(NEIGHBOUR)
    bretagne = factories_ctd_id(app, "bretagne")
    assert post(client, f"/suivis/ctd/{bretagne}", {}).status_code == 303
    auth.logout()
    auth.login(ASKER)
    thread = open_thread(client, published, "Qui finance le PCRS ?")
    auth.logout()
    auth.login(NEIGHBOUR)
    assert "Qui finance le PCRS ?" in client.get("/fil?type=thread").get_data(as_text=True)
    page = client.get(f"/discussions/{thread}").get_data(as_text=True)
    assert "Suivre" in page
    assert post(client, f"/suivis/thread/{thread}", {}).status_code == 303
    auth.logout()
    auth.login(AUTHOR)
    reply(client, thread, "La Région.")
    auth.logout()
    auth.login(NEIGHBOUR)
    assert "Réponse" in client.get("/fil?type=reply").get_data(as_text=True)


def test_nothing_hidden_or_no_longer_public_reaches_the_feed(app, client, auth, published):
    auth.login(ASKER)
    thread = open_thread(client, published, "Une question")
    auth.logout()
    auth.login(AUTHOR)
    reply(client, thread, "Une réponse à masquer")
    auth.logout()
    with app.app_context():
        [answer] = db.session.scalars(
            select(Message).where(Message.thread_id == thread).order_by(Message.id.desc()).limit(1)
        )
        answer_id = answer.id
    auth.login(ASKER)
    assert f"#message-{answer_id}" in client.get("/fil?type=reply").get_data(as_text=True)
    auth.logout()
    auth.login(CURATOR)
    hidden = post(client, f"/discussions/messages/{answer_id}/masquer", {"reason": "Hors sujet"})
    assert hidden.status_code in (302, 303)
    auth.logout()
    auth.login(ASKER)
    assert f"#message-{answer_id}" not in client.get("/fil?type=reply").get_data(as_text=True)
    archive(app, published)
    feed = client.get("/fil").get_data(as_text=True)
    assert "Une question" not in feed and "Guide de la BAL" not in feed


def factories_ctd_id(app, slug: str) -> int:
    with app.app_context():
        return factories.ctd(slug).id


def ctd_name(app, slug: str) -> str:
    with app.app_context():
        return factories.ctd(slug).name


def archive(app, resource_id: int) -> None:
    with app.app_context():
        db.session.get(Resource, resource_id).status = "archived"
        db.session.commit()


def _csv(client, key: str) -> dict[str, int]:
    response = client.get(f"/statistiques/{key}.csv")
    assert response.status_code == 200
    rows = list(
        csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )
    return {label: int(value) for label, value in rows[1:]}


def test_statistics_count_public_threads_and_replies_as_the_database_does(
    app, client, auth, published
):
    auth.login(ASKER)
    first = open_thread(client, published, "Première")
    open_thread(client, published, "Seconde")
    reply(client, first, "Une réponse")
    reply(client, first, "Une autre")
    auth.logout()
    with app.app_context():
        threads = db.session.scalar(select(func.count(Thread.id)))
        replies = db.session.scalar(select(func.count(Message.id))) - threads
    assert (threads, replies) == (2, 2)
    assert sum(_csv(client, "discussions-par-mois").values()) == threads
    assert sum(_csv(client, "reponses-par-mois").values()) == replies
    assert _csv(client, "discussions-par-ctd") == {ctd_name(app, "bretagne"): 2}
    page = client.get("/statistiques").get_data(as_text=True)
    assert "Discussions ouvertes par mois" in page
    archive(app, published)
    assert sum(_csv(client, "discussions-par-mois").values()) == 0
    assert sum(_csv(client, "reponses-par-mois").values()) == 0
