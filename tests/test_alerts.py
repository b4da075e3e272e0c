"""Alerts by email, checked on a real SMTP server on the loopback interface:
double opt-in, digests, unsubscribing; and members told about their submissions."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.message import Message

import pytest
from sqlalchemy import select

from cnig_share.extensions import db
from cnig_share.formatting import french_date
from cnig_share.models import Resource, Subscription
from tests import factories
from tests.conftest import csrf_token_from, without_tokens


def body_of(message: Message) -> str:
    return message.get_content()


@pytest.fixture
def app(mailing_app):
    return mailing_app


def subscribe(client, email_address: str, period: str = "weekly", **search):
    page = client.get("/abonnement", query_string=search)
    assert page.status_code == 200
    data = {"csrf_token": csrf_token_from(page.get_data(as_text=True)),
            "email": email_address, "period": period}  # fmt: skip
    return client.post("/abonnement?" + "&".join(f"{k}={v}" for k, v in search.items()), data=data)


def link_in(message: Message, kind: str) -> str:
    found = re.search(rf"https://partage\.example(/abonnement/{kind}/\S+)", body_of(message))
    assert found, body_of(message)
    return found.group(1)


def send(app, period: str = "weekly") -> str:
    result = app.test_cli_runner().invoke(args=["alerts", "send", "--period", period])
    assert result.exit_code == 0, result.output
    return result.output


def publish(app, title: str, **fields) -> int:
    """Published now, as a curator's decision would."""
    fields.setdefault("published_at", datetime.now(UTC))
    with app.app_context():
        return factories.publish(title, **fields)


def test_subscribe_confirm_receive_a_digest_and_unsubscribe(app, client, inbox):
    handler, _ = inbox
    response = subscribe(client, "Lea@Exemple.fr", q="toponymie")
    assert response.status_code == 200 and "Confirmez votre alerte" in response.get_data(
        as_text=True
    )
    [confirmation] = handler.take()
    assert confirmation["To"] == "lea@exemple.fr"
    assert "toponymie" in body_of(confirmation)
    confirm_url = link_in(confirmation, "confirmer")

    # Not confirmed yet: nothing is sent.
    publish(app, "Avant confirmation", body="toponymie")
    send(app)
    assert handler.take() == []

    page = client.get(confirm_url)
    assert page.status_code == 200 and "Confirmer l'alerte" in page.get_data(as_text=True)
    token = csrf_token_from(page.get_data(as_text=True))
    assert "Alerte activée" in client.post(confirm_url, data={"csrf_token": token}).get_data(
        as_text=True
    )

    matching = publish(app, "La toponymie des hameaux", body="toponymie")
    publish(app, "Sans rapport", body="cadastre")
    publish(app, "Brouillon sur la toponymie", body="toponymie", status="draft")
    assert "1 message(s) envoyé(s) à 1 adresse(s)" in send(app)
    [digest] = handler.take()
    text = body_of(digest)
    assert digest["Subject"] == "CNIG Partage : 1 nouvelle ressource cette semaine"
    assert f"https://partage.example/ressources/{matching}" in text
    assert "La toponymie des hameaux" in text
    with app.app_context():
        published_at = db.session.get(Resource, matching).published_at
    assert f"publiée le {french_date(published_at)}" in text
    assert "Sans rapport" not in text and "Brouillon" not in text and "Avant" not in text
    unsubscribe_url = link_in(digest, "desabonner")
    assert digest["List-Unsubscribe"] == f"<https://partage.example{unsubscribe_url}>"

    # Nothing new since: no message.
    send(app)
    assert handler.take() == []

    # One click (RFC 8058): a POST without any form token.
    assert client.post(unsubscribe_url).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(Subscription.id)) is None
    assert client.get(unsubscribe_url).status_code == 400


def test_a_term_alert_covers_its_narrower_terms_and_addresses_get_one_digest(app, client, inbox):
    handler, _ = inbox
    subscribe(client, "lea@exemple.fr", term="donnee-geolocalisee")
    subscribe(client, "lea@exemple.fr", q="cadastre")
    for message in handler.take():
        confirm_url = link_in(message, "confirmer")
        token = csrf_token_from(client.get(confirm_url).get_data(as_text=True))
        client.post(confirm_url, data={"csrf_token": token})
    publish(app, "Plan cadastral", body="cadastre")
    publish(app, "Adresses géographiques", terms=["donnee-geographique"])
    send(app)
    [digest] = handler.take()
    text = body_of(digest)
    assert "le terme « donnée géolocalisée »" in text and "Adresses géographiques" in text
    assert "la recherche « cadastre »" in text and "Plan cadastral" in text
    assert len(re.findall("/abonnement/desabonner/", text)) == 2
    send(app, "daily")  # a weekly alert is not in the daily digests
    assert handler.take() == []


@pytest.mark.parametrize("address", ["", "pas-une-adresse", "a@b", "x" * 330 + "@exemple.fr"])
def test_a_bad_address_is_refused_in_french_and_nothing_is_sent(app, client, inbox, address):
    response = subscribe(client, address, q="cadastre")
    assert response.status_code == 422
    assert "fr-message--error" in response.get_data(as_text=True)
    assert inbox[0].take() == []
    with app.app_context():
        assert db.session.scalar(select(Subscription.id)) is None


def test_forged_or_expired_links_are_refused(app, client):
    for url in ("/abonnement/confirmer/abc", "/abonnement/desabonner/abc.def.ghi"):
        response = client.get(url)
        assert response.status_code == 400
        assert "Ce lien n&#39;est pas valide." in response.get_data(as_text=True)
    assert client.post("/abonnement/desabonner/abc").status_code == 400


def test_asking_twice_resends_without_telling_if_the_address_is_known(app, client, inbox):
    first = subscribe(client, "lea@exemple.fr", q="cadastre").get_data(as_text=True)
    second = subscribe(client, "lea@exemple.fr", q="cadastre").get_data(as_text=True)
    assert len(inbox[0].take()) == 2
    assert without_tokens(first) == without_tokens(second)
    with app.app_context():
        assert len(db.session.scalars(select(Subscription)).all()) == 1


def test_members_are_told_when_their_submission_is_published_or_returned(
    app, client, auth, make_user, inbox
):
    handler, _ = inbox
    make_user("auteur@bretagne.example.org", ctds=("bretagne",))
    make_user("veille@cnig.example.org", role="curator")
    with app.app_context():
        author = factories.user("auteur@bretagne.example.org")
        first = factories.resource("Première", status="submitted", author=author)
        second = factories.resource("Seconde", status="submitted", author=author)
    auth.login("veille@cnig.example.org")
    token = csrf_token_from(client.get("/curation/").get_data(as_text=True))
    client.post(f"/curation/{first}/publier", data={"csrf_token": token})
    client.post(f"/curation/{second}/renvoyer",
                data={"csrf_token": token, "comment": "Précisez la licence."})  # fmt: skip
    published, returned = handler.take()
    assert published["To"] == returned["To"] == "auteur@bretagne.example.org"
    assert published["Subject"] == "Publiée : « Première »"
    assert f"https://partage.example/ressources/{first}" in body_of(published)
    assert "Précisez la licence." in body_of(returned)
