"""Mail leaves only once its transaction is durable: savepoints neither send it early
nor lose what the outer transaction queued."""

from __future__ import annotations

from cnig_share import mail
from cnig_share.extensions import db


def queue(subject: str) -> None:
    mail.send_after_commit(db.session, mail.message("agent@example.fr", subject, "Texte."))


def subjects(inbox) -> list[str]:
    return sorted(message["Subject"] for message in inbox[0].take())


def test_a_released_savepoint_sends_nothing_until_the_outer_commit(mailing_app, inbox):
    with mailing_app.app_context():
        db.session.execute(db.select(1))
        with db.session.begin_nested():
            queue("Dans le point de sauvegarde")
        assert subjects(inbox) == []
        db.session.rollback()
    assert subjects(inbox) == []


def test_a_savepoint_rolled_back_forgets_only_its_own_messages(mailing_app, inbox):
    with mailing_app.app_context():
        queue("Avant le point de sauvegarde")
        savepoint = db.session.begin_nested()
        queue("Dans le point de sauvegarde annulé")
        savepoint.rollback()
        with db.session.begin_nested():
            queue("Dans un point de sauvegarde gardé")
        db.session.commit()
    assert subjects(inbox) == ["Avant le point de sauvegarde", "Dans un point de sauvegarde gardé"]


def test_a_rollback_forgets_everything_the_transaction_queued(mailing_app, inbox):
    with mailing_app.app_context():
        queue("Annulé")
        with db.session.begin_nested():
            queue("Annulé aussi")
        db.session.rollback()
        queue("Après l'annulation")
        db.session.commit()
    assert subjects(inbox) == ["Après l'annulation"]
