"""Edits carry a version (issue 14 §4): a stale form gets 409 with the person's
text kept, the API honours If-Match, and of two concurrent transitions, merges
or password resets exactly one wins; the loser changes nothing and sends nothing.

Races run real threads, each with its own signed-in test client (and so its
own database session), released together by a barrier, on every backend."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from html import unescape

import pytest
from sqlalchemy import func, select

from cnig_share.accounts import password_reset
from cnig_share.accounts.services import authenticate
from cnig_share.extensions import db
from cnig_share.glossary import services as glossary_services
from cnig_share.models import AuditEvent, Resource
from tests import factories
from tests.conftest import AuthActions, csrf_token_from

ROUNDS = 4


@pytest.fixture
def app(make_app, inbox):
    from cnig_share.database import ensure_reference_data
    from cnig_share.search import sync as search_sync

    app = make_app(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=inbox[1], PUBLIC_URL="https://partage.example"
    )
    with app.app_context():
        db.create_all()
        ensure_reference_data()
        search_sync.rebuild()
    return app


@pytest.fixture
def people(make_user) -> dict[str, str]:
    return {
        "author": make_user("auteur@exemple.fr", ctds=("bretagne",), name="Awen"),
        "member": make_user("membre@exemple.fr", ctds=("bretagne",), name="Maël"),
        "curator": make_user("veille@cnig.fr", role="curator", name="Claire"),
        "curator2": make_user("relais@cnig.fr", role="curator", name="Hugo"),
    }


def signed_in(app, email: str):
    """A test client of its own, signed in: one per thread."""
    client = app.test_client()
    assert AuthActions(client).login(email).status_code == 303
    return client


def token_of(client, path: str = "/") -> str:
    return csrf_token_from(client.get(path).get_data(as_text=True))


def race(*actions: Callable[[], object]) -> list[object]:
    """Run the actions in threads released together; their results, in order."""
    barrier = threading.Barrier(len(actions))
    results: list[object] = [None] * len(actions)

    def run(index: int, action: Callable[[], object]) -> None:
        barrier.wait()
        try:
            results[index] = action()
        except Exception as error:  # reported by the assertions below
            results[index] = error

    threads = [threading.Thread(target=run, args=item) for item in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def submitted_resource(app, author: str, title: str) -> int:
    with app.app_context():
        return factories.resource(title, status="submitted", author=factories.user(author))


def status_of(app, resource_id: int) -> str:
    with app.app_context():
        return db.session.scalar(select(Resource.status).where(Resource.id == resource_id))


def lost_the_race(html: str) -> bool:
    """The loser's French 409: overtaken mid-flight, or arriving after the winner."""
    text = unescape(html)
    return "Quelqu'un d'autre a modifié" in text or "Impossible : la ressource est" in text


# --- transitions -------------------------------------------------------------------------


def test_concurrent_publish_and_return_one_wins_and_one_email_leaves(app, people, inbox):
    publisher, returner = signed_in(app, people["curator"]), signed_in(app, people["curator2"])
    for round_ in range(ROUNDS):
        resource_id = submitted_resource(app, people["author"], f"Course {round_}")
        publish_token, return_token = token_of(publisher), token_of(returner)
        published, returned = race(
            partial(
                publisher.post,
                f"/ressources/{resource_id}/publier",
                data={"csrf_token": publish_token},
            ),
            partial(
                returner.post,
                f"/ressources/{resource_id}/renvoyer",
                data={"csrf_token": return_token, "comment": "Ajoutez une source."},
            ),
        )
        codes = sorted([published.status_code, returned.status_code])
        assert codes == [303, 409], codes
        loser = published if published.status_code == 409 else returned
        assert lost_the_race(loser.get_data(as_text=True))
        expected = "published" if published.status_code == 303 else "draft"
        assert status_of(app, resource_id) == expected
        [message] = inbox[0].wait_for(1)
        assert message["Subject"].startswith("Publiée" if expected == "published" else "À revoir")
        assert inbox[0].take() == []


def test_concurrent_decisions_in_the_review_queue_one_wins(app, people, inbox):
    first, second = signed_in(app, people["curator"]), signed_in(app, people["curator2"])
    for round_ in range(ROUNDS):
        resource_id = submitted_resource(app, people["author"], f"File {round_}")
        first_token, second_token = token_of(first), token_of(second)
        published, returned = race(
            partial(
                first.post, f"/curation/{resource_id}/publier", data={"csrf_token": first_token}
            ),
            partial(
                second.post,
                f"/curation/{resource_id}/renvoyer",
                data={"csrf_token": second_token, "comment": "À compléter."},
            ),
        )
        codes = sorted([published.status_code, returned.status_code])
        assert codes == [303, 409], codes
        expected = "published" if published.status_code == 303 else "draft"
        assert status_of(app, resource_id) == expected
        assert len(inbox[0].wait_for(1)) == 1
        assert inbox[0].take() == []


def test_concurrent_merges_of_one_term_one_wins(app, people):
    first, second = signed_in(app, people["curator"]), signed_in(app, people["curator2"])
    for round_ in range(ROUNDS):
        with app.app_context():
            source = glossary_services.create_term(
                glossary_services.TermInput(f"Notion éphémère {round_}", "Définition."), None
            )
            factories.resource(f"Étiquetée {round_}", status="published", terms=[source])
            targets = [factories.term("mutualisation"), factories.term("donnee-ouverte")]
            slug, target_ids = source.slug, [target.id for target in targets]
            db.session.commit()
        path = f"/glossaire/{slug}/fusionner"
        tokens = [token_of(first, path), token_of(second, path)]
        answers = race(
            partial(first.post, path, data={"csrf_token": tokens[0], "kept": target_ids[0]}),
            partial(second.post, path, data={"csrf_token": tokens[1], "kept": target_ids[1]}),
        )
        codes = [answer.status_code for answer in answers]
        assert sorted(codes) == [302, 409], codes
        winner = target_ids[codes.index(302)]
        with app.app_context():
            assert glossary_services.find_term(slug).id == winner
            tagged = db.session.scalar(
                select(Resource).where(Resource.title == f"Étiquetée {round_}")
            )
            assert [term.id for term in tagged.terms] == [winner]


def test_one_reset_link_used_twice_at_once_changes_the_password_once(app, people):
    with app.app_context():
        link = f"/mot-de-passe/{password_reset.token_for(factories.user(people['member']))}"
    clients = [app.test_client(), app.test_client()]
    passwords = ["première phrase de passe", "seconde phrase de passe"]
    forms = [
        {"password": p, "confirm": p, "csrf_token": token_of(c, link)}
        for c, p in zip(clients, passwords, strict=True)
    ]
    answers = race(*(partial(c.post, link, data=f) for c, f in zip(clients, forms, strict=True)))
    codes = [answer.status_code for answer in answers]
    assert sorted(codes) == [303, 410], codes
    winner, loser = passwords[codes.index(303)], passwords[codes.index(410)]
    assert "ne peut plus servir" in unescape(answers[codes.index(410)].get_data(as_text=True))
    with app.app_context():
        assert authenticate(people["member"], winner) is not None
        assert authenticate(people["member"], loser) is None
        changes = db.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == "account.password_reset")
        )
        assert changes == 1
