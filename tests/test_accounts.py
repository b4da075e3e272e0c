"""Signing in and out, rate limits, CSRF, redirects, the profile page."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from cnig_share.extensions import db
from cnig_share.models import User
from tests.conftest import PASSWORD, REDIS_URL, SETTINGS, csrf_token_from


@pytest.fixture
def member(make_user) -> str:
    return make_user("camille@exemple.fr", "member", ("bretagne", "occitanie"), name="Camille")


def _signed_in(client) -> bool:
    return client.get("/profil").status_code == 200


def test_sign_in_with_the_right_password(client, auth, member, app):
    response = auth.login(member)
    assert response.status_code == 303
    assert response.headers["Location"] == "/profil"
    assert _signed_in(client)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == member))
        assert user.last_login_at is not None


def test_sign_in_ignores_the_case_of_the_email(client, auth, member):
    assert auth.login("CAMILLE@Exemple.FR").status_code == 303
    assert _signed_in(client)


def test_wrong_password_is_refused_with_a_french_message(client, auth, member):
    response = auth.login(member, "mauvais mot de passe")
    assert response.status_code == 422
    assert "Adresse électronique ou mot de passe incorrect." in response.get_data(as_text=True)
    assert not _signed_in(client)


def test_unknown_email_gets_the_same_message_as_a_wrong_password(client, auth, member):
    unknown = auth.login("personne@exemple.fr", PASSWORD).get_data(as_text=True)
    assert "Adresse électronique ou mot de passe incorrect." in unknown


def test_passwords_are_hashed_at_scrypt_s_full_cost_unless_told_otherwise(tmp_path):
    """The tests hash at a lower cost (PASSWORD_HASH_METHOD); a site keeps Werkzeug's
    scrypt at its full cost, for new passwords and the unknown-address check alike."""
    from cnig_share import create_app
    from cnig_share.accounts import services

    environ = {"CNIG_SHARE_INSTANCE_PATH": str(tmp_path)}
    site = create_app({"TESTING": True}, environ=environ)
    assert site.config["PASSWORD_HASH_METHOD"] == "scrypt"
    with site.app_context():
        assert services.hash_password("un mot de passe").startswith("scrypt:32768:8:1$")
    assert services.dummy_hash("scrypt").startswith("scrypt:32768:8:1$")
    with create_app(SETTINGS, environ=environ).app_context():  # the tests' own
        assert services.hash_password("un mot de passe").startswith("scrypt:128:8:1$")


def test_empty_form_shows_field_errors(client, auth):
    response = auth.login("", "")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Saisissez votre adresse électronique." in html
    assert "Saisissez votre mot de passe." in html
    assert "fr-input-group--error" in html


def test_inactive_account_cannot_sign_in(client, auth, member, app):
    with app.app_context():
        db.session.scalar(select(User).where(User.email == member)).active = False
        db.session.commit()
    assert auth.login(member).status_code == 422
    assert not _signed_in(client)


def test_sign_in_without_csrf_token_is_rejected(client, member):
    response = client.post("/connexion", data={"email": member, "password": PASSWORD})
    assert response.status_code == 400
    assert "Le formulaire a expiré" in response.get_data(as_text=True)
    assert not _signed_in(client)


def test_sign_in_with_a_forged_csrf_token_is_rejected(client, member):
    client.get("/connexion")
    data = {"email": member, "password": PASSWORD, "csrf_token": "forged"}
    assert client.post("/connexion", data=data).status_code == 400
    assert not _signed_in(client)


def test_sign_out_is_a_post_with_csrf(client, auth, member):
    auth.login(member)
    assert client.post("/deconnexion").status_code == 400  # no token
    assert _signed_in(client)
    response = auth.logout()
    assert response.status_code == 303
    assert not _signed_in(client)


def test_eleventh_failure_from_one_address_is_refused_for_a_minute(client, auth, make_user):
    make_user("a@exemple.fr")
    for attempt in range(10):
        # Different accounts, one address: the address limit counts them all.
        response = auth.login(f"inconnu{attempt}@exemple.fr", "mauvais mot de passe")
        assert response.status_code == 422
    response = auth.login("a@exemple.fr", PASSWORD)
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "Trop de tentatives de connexion" in html
    assert not _signed_in(client)


def test_failures_against_one_account_are_limited_across_addresses(app, make_user):
    # The per-account ceiling (default 100 per hour), lowered to keep the test short.
    app.config["LOGIN_ACCOUNT_RATE_LIMIT"] = "10 per hour"
    make_user("cible@exemple.fr")
    for attempt in range(10):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"192.0.2.{attempt + 1}"
        token = csrf_token_from(client.get("/connexion").get_data(as_text=True))
        data = {"email": "cible@exemple.fr", "password": "faux mot de passe", "csrf_token": token}
        assert client.post("/connexion", data=data).status_code == 422
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    token = csrf_token_from(client.get("/connexion").get_data(as_text=True))
    data = {"email": "cible@exemple.fr", "password": PASSWORD, "csrf_token": token}
    assert client.post("/connexion", data=data).status_code == 429


def _attempt_from(app, address: str, email: str, password: str):
    """One sign-in attempt from its own client address, as a fresh visitor."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    token = csrf_token_from(client.get("/connexion").get_data(as_text=True))
    return client.post(
        "/connexion", data={"email": email, "password": password, "csrf_token": token}
    )


def _as_seen_by_anyone(response, email: str) -> tuple:
    """What the answer tells, leaving out the per-visitor CSRF token and the
    address the visitor typed (which the form shows back)."""
    tokens = r'"X-CSRFToken": "[^"]+"|name="csrf_token" type="hidden" value="[^"]+"'
    html = re.sub(tokens, "", response.get_data(as_text=True)).replace(email, "EMAIL")
    limit = [response.headers.get(f"X-RateLimit-{name}") for name in ("Limit", "Remaining")]
    return response.status_code, html, limit, "Retry-After" in response.headers


def test_lock_out_tells_nothing_about_which_accounts_exist(app, make_user):
    """Ten failures against an active, an inactive or an unknown address, each
    from its own client address, lead to the same 429 page; and every answer
    before it reads the same, even to the inactive account's right password."""
    app.config["LOGIN_ACCOUNT_RATE_LIMIT"] = "10 per hour"  # default 100: keep it short
    make_user("actif@exemple.fr")
    make_user("inactif@exemple.fr")
    with app.app_context():
        db.session.scalar(select(User).where(User.email == "inactif@exemple.fr")).active = False
        db.session.commit()
    addresses = (f"192.0.2.{number}" for number in range(1, 100))
    seen = {}
    for email in ("actif@exemple.fr", "inactif@exemple.fr", "inconnu@exemple.fr"):
        # Wrong passwords, except every other one for the inactive account;
        # the last attempt has the right password.
        passwords = [
            PASSWORD if email.startswith("inactif") and n % 2 else "faux" for n in range(10)
        ]
        seen[email] = [
            _as_seen_by_anyone(_attempt_from(app, next(addresses), email, password), email)
            for password in [*passwords, PASSWORD]
        ]
    assert seen["actif@exemple.fr"] == seen["inactif@exemple.fr"] == seen["inconnu@exemple.fr"]
    answers = seen["inconnu@exemple.fr"]
    assert [status for status, *_ in answers] == [422] * 10 + [429]
    assert "Adresse électronique ou mot de passe incorrect." in answers[0][1]
    assert "Trop de tentatives de connexion échouées" in answers[-1][1]
    assert answers[-1][2:] == (["10", "0"], True)


def test_successful_sign_ins_do_not_count_towards_the_limit(client, auth, member):
    for _ in range(12):
        assert auth.login(member).status_code == 303
        auth.logout()


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        "http:evil.example",
    ],
)
def test_next_cannot_leave_the_site(client, auth, member, target):
    response = auth.login(member, next=target)
    assert response.status_code == 303
    assert response.headers["Location"] == "/profil"


def test_next_returns_to_a_page_of_the_site(client, auth, member):
    response = auth.login(member, next="/ctd/bretagne?x=1")
    assert response.headers["Location"] == "/ctd/bretagne?x=1"


def test_profile_requires_sign_in_and_comes_back_after(client, auth, member):
    response = client.get("/profil")
    assert response.status_code == 302
    assert response.headers["Location"] == "/connexion?next=%2Fprofil"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'name="next" type="hidden" value="/profil"' in page
    assert auth.login(member, next="/profil").headers["Location"] == "/profil"


def test_profile_lists_the_users_ctds(client, auth, member):
    auth.login(member)
    html = client.get("/profil").get_data(as_text=True)
    assert "camille@exemple.fr" in html
    assert 'href="/ctd/bretagne"' in html
    assert 'href="/ctd/occitanie"' in html
    assert "Membre d&#39;un CTD" in html


def test_session_cookie_is_httponly_and_samesite_lax(client, auth, member):
    response = auth.login(member)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # development over plain HTTP


def test_header_shows_who_is_signed_in(client, auth, member):
    assert "Se connecter" in client.get("/").get_data(as_text=True)
    auth.login(member)
    html = client.get("/").get_data(as_text=True)
    assert "Camille" in html
    assert "Se déconnecter" in html


@pytest.mark.skipif(not REDIS_URL, reason="Redis unavailable: CNIG_SHARE_TEST_REDIS_URL not set")
def test_sign_in_limit_is_counted_in_redis_when_configured(make_app):
    """The counts live in Redis, where every worker process sees them."""
    import redis

    store = redis.Redis.from_url(REDIS_URL)
    store.flushdb()
    app = make_app(REDIS_URL=REDIS_URL)
    with app.app_context():
        db.create_all()
    client = app.test_client()

    def attempt() -> int:
        token = csrf_token_from(client.get("/connexion").get_data(as_text=True))
        data = {"email": "x@exemple.fr", "password": "faux mot de passe", "csrf_token": token}
        return client.post("/connexion", data=data).status_code

    assert [attempt() for _ in range(10)] == [422] * 10
    assert attempt() == 429
    assert store.keys("LIMITS*"), "no rate-limit counter in Redis"
    # Emptying Redis lifts the limit: no other copy of the counts exists.
    store.flushdb()
    assert attempt() == 422
    store.flushdb()


@pytest.mark.parametrize("proxies", [0, 1])
def test_the_address_limit_reads_x_forwarded_for_only_behind_a_declared_proxy(make_app, proxies):
    app = make_app(PROXY_COUNT=proxies)
    with app.app_context():
        db.create_all()

    def attempt(forwarded_for: str) -> int:
        client = app.test_client()
        headers = {"X-Forwarded-For": forwarded_for}
        page = client.get("/connexion", headers=headers).get_data(as_text=True)
        data = {"email": f"x{forwarded_for}@exemple.fr", "password": "faux mot de passe",
                "csrf_token": csrf_token_from(page)}  # fmt: skip
        return client.post("/connexion", data=data, headers=headers).status_code

    assert [attempt("203.0.113.1") for _ in range(10)] == [422] * 10
    assert attempt("203.0.113.1") == 429
    # Behind a declared proxy another visitor is another address; without one the header
    # is anyone's to forge, so every request counts for the proxy's (here the client's) own.
    assert attempt("203.0.113.2") == (422 if proxies else 429)
