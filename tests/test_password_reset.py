"""Password reset by a signed, expiring, single-use link, received on a real
SMTP server on the loopback interface; and answers that never tell whether an
address has an account."""

from __future__ import annotations

import re
import time
from email.message import Message

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select

from cnig_share.extensions import db
from cnig_share.models import AuditEvent, User
from tests.conftest import PASSWORD, csrf_token_from, without_tokens
from tests.mailbox import background_mail_sent

NEW_PASSWORD = "une nouvelle phrase de passe"
ANSWER = "Si un compte actif correspond à cette adresse, un message vient d'être envoyé"


@pytest.fixture
def app(mailing_app):
    return mailing_app


@pytest.fixture
def member(make_user) -> str:
    return make_user("camille@exemple.fr", name="Camille")


def ask_reset(client, address: str, **kwargs):
    page = client.get("/mot-de-passe-oublie", **kwargs)
    token = csrf_token_from(page.get_data(as_text=True))
    return client.post(
        "/mot-de-passe-oublie", data={"email": address, "csrf_token": token}, **kwargs
    )


def link_in(message: Message) -> str:
    found = re.search(r"https://partage\.example(/mot-de-passe/\S+)", message.get_content())
    assert found, message.get_content()
    return found.group(1)


def reset_link(client, inbox, address: str) -> str:
    assert ask_reset(client, address).status_code == 200
    [message] = inbox[0].wait_for(1)
    assert message["To"] == address
    return link_in(message)


def new_password(page_html: str, password: str = NEW_PASSWORD, confirm: str | None = None):
    """The reset form's fields, with the CSRF token of the page it came from."""
    return {
        "password": password,
        "confirm": password if confirm is None else confirm,
        "csrf_token": csrf_token_from(page_html),
    }


def choose_password(client, link: str, password: str = NEW_PASSWORD, confirm: str | None = None):
    page = client.get(link)
    assert page.status_code == 200, page.get_data(as_text=True)
    return client.post(link, data=new_password(page.get_data(as_text=True), password, confirm))


def password_hash(app, address: str) -> str:
    with app.app_context():
        return db.session.scalar(select(User.password_hash).where(User.email == address))


def deactivate(app, address: str) -> None:
    with app.app_context():
        db.session.scalar(select(User).where(User.email == address)).active = False
        db.session.commit()


def test_sign_in_page_offers_the_forgotten_password_form(client):
    login = client.get("/connexion").get_data(as_text=True)
    assert '<a class="fr-link" href="/mot-de-passe-oublie">Mot de passe oublié ?</a>' in login
    page = client.get("/mot-de-passe-oublie")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<label class="fr-label" for="email">Adresse électronique' in html
    assert 'name="csrf_token"' in html


def test_the_link_sets_a_new_password_once(app, client, auth, inbox, member):
    response = ask_reset(client, member)
    assert response.status_code == 200
    assert ANSWER in response.get_data(as_text=True)
    [message] = inbox[0].wait_for(1)
    assert message["To"] == member
    assert message["Subject"] == "Réinitialisation de votre mot de passe CNIG Partage"
    assert "dans les 1 heure" in message.get_content()
    link = link_in(message)

    # Opening the link (as a mail scanner would, twice) spends nothing.
    for _ in range(2):
        page = client.get(link)
        assert page.status_code == 200
        assert "Choisir un nouveau mot de passe" in page.get_data(as_text=True)
        assert page.headers["Referrer-Policy"] == "no-referrer"
        assert page.headers["Cache-Control"] == "no-store"

    response = choose_password(client, link)
    assert response.status_code == 303
    assert response.headers["Location"] == "/connexion"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "Votre mot de passe est changé" in client.get("/connexion").get_data(as_text=True)

    assert auth.login(member, PASSWORD).status_code == 422
    assert auth.login(member, NEW_PASSWORD).status_code == 303
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.target_type == "user"))
        assert event.action == "account.password_reset"
        assert event.actor.email == member

    # A second use is refused, by GET and by POST, with a way to ask again.
    auth.logout()
    again = client.get(link)
    data = new_password(again.get_data(as_text=True), "encore une autre phrase")
    for refused in (again, client.post(link, data=data)):
        assert refused.status_code == 410
        html = refused.get_data(as_text=True)
        assert "Ce lien ne peut plus servir" in html
        assert 'href="/mot-de-passe-oublie">Demander un nouveau lien' in html
        assert refused.headers["Referrer-Policy"] == "no-referrer"
    assert auth.login(member, NEW_PASSWORD).status_code == 303


def test_unknown_and_inactive_addresses_get_the_same_answer_and_no_mail(
    app, client, inbox, member, make_user
):
    make_user("inactif@exemple.fr")
    deactivate(app, "inactif@exemple.fr")
    addresses = ("inconnu@exemple.fr", "inactif@exemple.fr", "INCONNU@exemple.fr", member)
    answers = [ask_reset(client, address) for address in addresses]
    assert {answer.status_code for answer in answers} == {200}
    pages = {without_tokens(answer.get_data(as_text=True)) for answer in answers}
    assert len(pages) == 1
    assert ANSWER in pages.pop()
    # The active account's message is sent after the others were asked for:
    # once it is here, any message for them would be too.
    [message] = inbox[0].wait_for(1)
    assert message["To"] == member
    background_mail_sent()
    assert inbox[0].take() == []


@pytest.mark.parametrize(
    ("address", "error"),
    [
        ("", "Saisissez l&#39;adresse électronique de votre compte."),
        ("pas-une-adresse", "Saisissez une adresse électronique valide"),
        ("x" * 250 + "@exemple.fr", "au plus 254 caractères"),
    ],
)
def test_a_malformed_address_is_a_422_with_a_french_field_error(client, address, error):
    response = ask_reset(client, address)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert error in html
    assert 'aria-describedby="email-messages"' in html
    assert 'id="email-messages"' in html


def test_the_link_expires_after_an_hour(app, client, inbox, member, monkeypatch):
    link = reset_link(client, inbox, member)
    before = password_hash(app, member)
    now = int(time.time())
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: now + 3590)
    assert client.get(link).status_code == 200
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: now + 3610)
    response = client.get(link)
    assert response.status_code == 410
    html = response.get_data(as_text=True)
    assert "Ce lien a expiré : par sécurité, il n&#39;est valable que 1 heure." in html
    assert 'href="/mot-de-passe-oublie"' in html
    assert client.post(link, data=new_password(html)).status_code == 410
    assert password_hash(app, member) == before
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.id)) is None


def test_the_validity_follows_the_setting(make_app, inbox, member):
    app = make_app(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=inbox[1],
        PUBLIC_URL="https://partage.example",
        PASSWORD_RESET_MAX_AGE=1800,
    )
    client = app.test_client()
    assert "valable 30 minutes" in ask_reset(client, member).get_data(as_text=True)
    [message] = inbox[0].wait_for(1)
    assert "dans les 30 minutes" in message.get_content()


def _tampered(link: str) -> list[str]:
    token = link.rsplit("/", 1)[1]
    payload, timestamp, signature = token.split(".")
    other_payload = URLSafeTimedSerializer("x").dumps([1, "0" * 32]).split(".")[0]
    # The first character: the last one's low bits are base64 padding.
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    return [
        f"{payload}.{timestamp}.{flipped}",  # signature altered
        token[:-5],  # truncated by a mail client
        f"{other_payload}.{timestamp}.{signature}",  # someone else's id, same signature
        f"{payload}.{timestamp}",
        "abc",
        "x" * 5000,
        "é€😀",
    ]


def test_altered_or_foreign_links_are_refused_and_change_nothing(app, client, inbox, member):
    link = reset_link(client, inbox, member)
    before = password_hash(app, member)
    foreign = URLSafeTimedSerializer("une autre clé", salt="password-reset").dumps([1, "0" * 32])
    data = new_password(client.get(link).get_data(as_text=True))
    for token in [*_tampered(link), foreign]:
        url = f"/mot-de-passe/{token}"
        for response in (client.get(url), client.post(url, data=data)):
            assert response.status_code == 400, token
            html = response.get_data(as_text=True)
            assert "Ce lien n&#39;est pas valide" in html
            assert 'href="/mot-de-passe-oublie"' in html
            assert response.headers["Cache-Control"] == "no-store"
    assert password_hash(app, member) == before
    assert client.get(link).status_code == 200  # the genuine link still works


@pytest.mark.parametrize(
    ("payload", "status"),
    [("abc", 400), ([1], 400), ([True, "x"], 400), ([10**30, "x"], 400), ([999, "x"], 410)],
)
def test_a_signed_payload_the_site_never_issues_is_refused(app, client, payload, status):
    """Defence in depth: even with the right key and salt (a future format, a
    leaked key), an unexpected payload is a French page, never a 500."""
    token = URLSafeTimedSerializer(app.secret_key, salt="password-reset").dumps(payload)
    response = client.get(f"/mot-de-passe/{token}")
    assert response.status_code == status
    assert 'href="/mot-de-passe-oublie">Demander un nouveau lien' in response.get_data(as_text=True)


def test_signing_in_with_the_old_password_spends_the_link(client, auth, inbox, member):
    link = reset_link(client, inbox, member)
    assert auth.login(member).status_code == 303
    auth.logout()
    assert client.get(link).status_code == 410


def test_a_deactivated_account_cannot_use_its_link(app, client, inbox, member):
    link = reset_link(client, inbox, member)
    deactivate(app, member)
    assert client.get(link).status_code == 410


@pytest.mark.parametrize(
    ("password", "confirm", "field", "error"),
    [
        (NEW_PASSWORD, NEW_PASSWORD + "!", "confirm", "Les deux mots de passe ne sont pas"),
        ("court", "court", "password", "au moins 10 caractères"),
        ("", "", "password", "Saisissez un nouveau mot de passe."),
        (NEW_PASSWORD, "", "confirm", "Saisissez de nouveau le mot de passe."),
        ("x" * 1025, "x" * 1025, "password", "au plus 1 024 caractères"),
    ],
)
def test_a_bad_new_password_is_a_422_with_a_french_field_error(
    app, client, inbox, member, password, confirm, field, error
):
    link = reset_link(client, inbox, member)
    before = password_hash(app, member)
    response = choose_password(client, link, password, confirm)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert error in html
    assert f'aria-describedby="{field}-messages"' in html
    assert f'id="{field}-messages"' in html
    for name in ("password", "confirm"):  # passwords are never sent back
        [tag] = re.findall(rf'<input[^>]*name="{name}"[^>]*>', html)
        assert re.search(r'value="[^"]', tag) is None
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert password_hash(app, member) == before
    assert choose_password(client, link).status_code == 303  # the link still serves


def test_both_forms_require_the_csrf_token(app, client, inbox, member):
    refused = client.post("/mot-de-passe-oublie", data={"email": member})
    assert refused.status_code == 400
    assert "Le formulaire a expiré" in refused.get_data(as_text=True)
    link = reset_link(client, inbox, member)  # only this request's message arrives
    before = password_hash(app, member)
    for token in (None, "forged"):
        data = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
        if token:
            data["csrf_token"] = token
        response = client.post(link, data=data)
        assert response.status_code == 400
        assert response.headers["Referrer-Policy"] == "no-referrer"
    assert password_hash(app, member) == before


def test_a_new_password_signs_out_every_other_session(app, client, auth, inbox, member):
    elsewhere = app.test_client()
    token = csrf_token_from(elsewhere.get("/connexion").get_data(as_text=True))
    elsewhere.post("/connexion", data={"email": member, "password": PASSWORD, "csrf_token": token})
    assert elsewhere.get("/profil").status_code == 200
    link = reset_link(client, inbox, member)
    auth.login(member, PASSWORD)  # spends the link: ask again while signed in here
    assert client.get("/profil").status_code == 200
    link = reset_link(client, inbox, member)
    assert choose_password(client, link).status_code == 303
    assert elsewhere.get("/profil").status_code == 302
    assert client.get("/profil").status_code == 302


def test_links_use_public_url_even_with_a_hostile_host_header(client, inbox, member):
    response = ask_reset(client, member, headers={"Host": "evil.example"})
    assert response.status_code == 200
    [message] = inbox[0].wait_for(1)
    text = message.get_content()
    assert "https://partage.example/mot-de-passe/" in text
    assert "evil.example" not in text


def test_requests_are_limited_per_client_address(client, inbox):
    for number in range(5):
        assert ask_reset(client, f"inconnu{number}@exemple.fr").status_code == 200
    response = ask_reset(client, "encore@exemple.fr")
    assert response.status_code == 429
    assert "Trop de demandes de réinitialisation du mot de passe" in response.get_data(as_text=True)
    assert client.get("/mot-de-passe-oublie").status_code == 200  # reading the form is free


def test_requests_are_limited_per_email_across_addresses(app, inbox, member):
    def ask_from(number: int):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"192.0.2.{number}"
        return ask_reset(client, member)

    assert [ask_from(number).status_code for number in range(1, 6)] == [200] * 5
    assert len(inbox[0].wait_for(5)) == 5
    response = ask_from(6)
    assert response.status_code == 429
    assert "Trop de demandes de réinitialisation" in response.get_data(as_text=True)
    background_mail_sent()
    assert inbox[0].take() == []
