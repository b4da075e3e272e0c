"""ProConnect sign-in (issue 16 §1), against a real OpenID provider on loopback
(tests/oidc/provider.mjs): the round trip over HTTP, the account it signs into,
creates or links, sign-out at the provider, the re-authentication that deletes an
account without a password, and every failure, which changes nothing."""

from __future__ import annotations

import math
import time
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from cnig_share.config import ConfigurationError
from cnig_share.extensions import db
from cnig_share.models import AuditEvent, ExternalIdentity, Membership, User
from tests import factories
from tests.conftest import csrf_token_from
from tests.proconnect import AGENT, Agent, register_client

PUBLIC_URL = "http://127.0.0.1:5000"


@pytest.fixture
def proconnect(app, oidc_issuer):
    """The app configured for the loopback provider, with a client of its own."""
    app.config.update(register_client(oidc_issuer, PUBLIC_URL))
    return app


@pytest.fixture
def agent(proconnect) -> Agent:
    return Agent(proconnect.test_client(), PUBLIC_URL)


def counts(app) -> tuple[int, int, int]:
    """Accounts, identities and audit events: what a failed attempt must not change."""
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (User, ExternalIdentity, AuditEvent)
        )


def signed_in_as(client) -> str | None:
    """Whose profile /profil shows, or None when it asks to sign in."""
    page = client.get("/profil")
    if page.status_code != 200:
        return None
    html = page.get_data(as_text=True)
    start = html.index("<dt>Adresse électronique</dt><dd>") + len(
        "<dt>Adresse électronique</dt><dd>"
    )
    return html[start : html.index("</dd>", start)]


def make_passwordless(app, email: str) -> None:
    with app.app_context():
        factories.user(email).password_hash = ""
        db.session.commit()


# --- Not configured -----------------------------------------------------------


def test_without_a_discovery_url_there_is_no_button_and_the_routes_are_404(client, auth, make_user):
    page = client.get("/connexion").get_data(as_text=True)
    assert "fr-connect" not in page and "ProConnect" not in page
    for path in (
        "/connexion/proconnect",
        "/connexion/proconnect/retour?code=x&state=y",
        "/connexion/proconnect/mot-de-passe",
        "/deconnexion/proconnect?state=x",
    ):
        assert client.get(path).status_code == 404, path
    make_user("membre@exemple.fr")
    auth.login("membre@exemple.fr")
    assert client.get("/profil/proconnect/relier").status_code == 404
    assert client.get("/profil/supprimer/proconnect").status_code == 404
    assert "Relier mon identité ProConnect" not in client.get("/profil").get_data(as_text=True)


# --- The sign-in page ---------------------------------------------------------


def test_the_button_comes_above_the_password_form_with_how_to_get_an_account(agent):
    html = agent.client.get("/connexion?next=/ctd/").get_data(as_text=True)
    assert 'class="fr-connect fr-connect--pro"' in html
    assert html.index("fr-connect--pro") < html.index('name="password"')
    assert "Qu’est-ce que ProConnect ?" in html
    assert 'href="/connexion/proconnect?next=/ctd/"' in html
    for way in ("ProConnect", "invitation", "demandez à rejoindre votre CTD"):
        assert way in html


def test_the_flow_starts_with_long_state_and_nonce_and_proconnect_parameters(agent):
    url = agent.start()
    query = parse_qs(urlsplit(url).query)
    assert len(query["state"][0]) >= 32 and len(query["nonce"][0]) >= 32
    assert query["scope"] == ["openid email given_name usual_name uid siret idp_id"]
    assert query["acr_values"] == ["eidas1"]
    assert query["redirect_uri"] == [PUBLIC_URL + "/connexion/proconnect/retour"]
    assert query["response_type"] == ["code"]
    assert "prompt" not in query
    # A second start has its own state and nonce.
    again = parse_qs(urlsplit(agent.start()).query)
    assert again["state"] != query["state"] and again["nonce"] != query["nonce"]


# --- Accounts -----------------------------------------------------------------


def test_a_first_sign_in_creates_a_member_without_ctd_and_welcomes_them(agent, proconnect):
    answer = agent.sign_in()
    assert answer.status_code == 303
    assert answer.headers["Location"] == "/bienvenue"
    welcome = agent.client.get("/bienvenue").get_data(as_text=True)
    assert "Bienvenue, Camille Martin" in welcome
    assert 'href="/ctd/"' in welcome and "Demander à rejoindre" in welcome
    assert "invitation" in welcome
    assert signed_in_as(agent.client) == AGENT["email"]
    with proconnect.app_context():
        user = factories.user(AGENT["email"])
        assert (user.role, user.name, user.has_password) == ("member", "Camille Martin", False)
        assert db.session.scalar(select(func.count(Membership.user_id))) == 0
        (identity,) = user.identities
        assert identity.issuer == proconnect.config["PROCONNECT_DISCOVERY_URL"].split("/.well")[0]
        assert user.last_login_at is not None
        events = db.session.scalars(select(AuditEvent.action)).all()
        assert "account.proconnect_create" in events


def test_next_is_followed_when_it_is_a_local_path_only(agent, proconnect):
    answer = agent.sign_in("/connexion/proconnect?next=/ctd/bretagne")
    assert answer.headers["Location"] == "/ctd/bretagne"
    other = Agent(proconnect.test_client(), PUBLIC_URL)
    answer = other.sign_in(
        "/connexion/proconnect?next=https://ailleurs.example/", email="b@x.gouv.fr"
    )
    assert answer.headers["Location"] == "/bienvenue"
    third = Agent(proconnect.test_client(), PUBLIC_URL)
    answer = third.sign_in("/connexion/proconnect?next=//ailleurs.example/", email="c@x.gouv.fr")
    assert answer.headers["Location"] == "/bienvenue"


def test_later_sign_ins_go_straight_in_by_the_link_whatever_the_email(agent, proconnect):
    agent.sign_in(sub="agent-42")
    before = counts(proconnect)
    again = Agent(proconnect.test_client(), PUBLIC_URL)
    answer = again.sign_in(sub="agent-42", email="nouvelle.adresse@exemple.gouv.fr")
    assert answer.headers["Location"] == "/profil"
    assert signed_in_as(again.client) == AGENT["email"]
    assert counts(proconnect)[:2] == before[:2]


def test_an_account_without_password_is_found_by_email_whatever_its_case(
    agent, proconnect, make_user
):
    make_user("camille.martin@exemple.gouv.fr", ctds=("bretagne",))
    make_passwordless(proconnect, "camille.martin@exemple.gouv.fr")
    answer = agent.sign_in(email="Camille.Martin@EXEMPLE.gouv.fr")
    assert answer.headers["Location"] == "/profil"
    assert signed_in_as(agent.client) == "camille.martin@exemple.gouv.fr"
    with proconnect.app_context():
        assert len(factories.user("camille.martin@exemple.gouv.fr").identities) == 1
        assert db.session.scalar(select(func.count(User.id))) == 1


def test_an_account_with_a_password_is_linked_once_its_password_is_typed(
    agent, proconnect, make_user
):
    make_user(AGENT["email"], ctds=("bretagne",))
    answer = agent.sign_in("/connexion/proconnect?next=/ctd/bretagne")
    assert answer.headers["Location"] == "/connexion/proconnect/mot-de-passe"
    assert signed_in_as(agent.client) is None
    page = agent.client.get("/connexion/proconnect/mot-de-passe")
    assert AGENT["email"] in page.get_data(as_text=True)
    token = csrf_token_from(page.get_data(as_text=True))
    with proconnect.app_context():
        assert factories.user(AGENT["email"]).identities == []

    refused = agent.client.post(
        "/connexion/proconnect/mot-de-passe", data={"password": "pas le bon", "csrf_token": token}
    )
    assert refused.status_code == 422
    assert "Mot de passe incorrect." in refused.get_data(as_text=True)
    without_token = agent.client.post(
        "/connexion/proconnect/mot-de-passe", data={"password": "correct horse battery staple"}
    )
    assert without_token.status_code == 400
    with proconnect.app_context():
        assert factories.user(AGENT["email"]).identities == []
    assert signed_in_as(agent.client) is None

    answer = agent.client.post(
        "/connexion/proconnect/mot-de-passe",
        data={"password": "correct horse battery staple", "csrf_token": token},
    )
    assert answer.headers["Location"] == "/ctd/bretagne"
    assert signed_in_as(agent.client) == AGENT["email"]
    with proconnect.app_context():
        assert len(factories.user(AGENT["email"]).identities) == 1

    later = Agent(proconnect.test_client(), PUBLIC_URL)
    assert later.sign_in().headers["Location"] == "/profil"
    assert signed_in_as(later.client) == AGENT["email"]


def test_the_journal_names_accounts_opened_and_linked_by_proconnect(agent, proconnect, make_user):
    agent.sign_in()  # opens an account
    make_user("membre@exemple.fr")
    make_passwordless(proconnect, "membre@exemple.fr")
    Agent(proconnect.test_client(), PUBLIC_URL).sign_in(email="membre@exemple.fr")  # links one
    make_user("veille@exemple.fr", role="curator")
    curator = proconnect.test_client()
    token = csrf_token_from(curator.get("/connexion").get_data(as_text=True))
    curator.post(
        "/connexion",
        data={
            "email": "veille@exemple.fr",
            "password": "correct horse battery staple",
            "csrf_token": token,
        },
    )
    log = curator.get("/curation/journal").get_data(as_text=True)
    assert "Compte ouvert par une connexion ProConnect" in log
    assert "Identité ProConnect reliée au compte" in log


@pytest.mark.parametrize("role", ["curator", "admin"])
def test_a_curator_or_admin_account_is_never_linked_by_signing_in(
    agent, proconnect, make_user, role
):
    make_user(AGENT["email"], role=role)
    make_passwordless(proconnect, AGENT["email"])
    before = counts(proconnect)
    answer = agent.sign_in()
    assert answer.status_code == 403
    html = answer.get_data(as_text=True)
    assert "jamais relié à ProConnect automatiquement" in html
    assert "Relier mon identité ProConnect" in html
    assert signed_in_as(agent.client) is None
    assert counts(proconnect) == before


def test_a_curator_links_proconnect_from_the_profile_then_signs_in_with_it(proconnect, make_user):
    make_user(AGENT["email"], role="curator")
    agent = Agent(proconnect.test_client(), PUBLIC_URL)
    token = csrf_token_from(agent.client.get("/connexion").get_data(as_text=True))
    agent.client.post(
        "/connexion",
        data={
            "email": AGENT["email"],
            "password": "correct horse battery staple",
            "csrf_token": token,
        },
    )
    profile = agent.client.get("/profil").get_data(as_text=True)
    assert "Modes de connexion" in profile and "aucune identité reliée" in profile
    answer = agent.sign_in("/profil/proconnect/relier", email="c.martin@autre.gouv.fr")
    assert answer.headers["Location"] == "/profil#connexion"
    assert "ProConnect : identité reliée le" in agent.client.get("/profil").get_data(as_text=True)
    with proconnect.app_context():
        assert factories.user(AGENT["email"]).role == "curator"
        assert len(factories.user(AGENT["email"]).identities) == 1

    later = Agent(proconnect.test_client(), PUBLIC_URL)
    assert later.sign_in(email="c.martin@autre.gouv.fr").headers["Location"] == "/profil"
    assert signed_in_as(later.client) == AGENT["email"]


def test_an_identity_linked_to_another_account_cannot_be_linked_again(proconnect, agent, make_user):
    agent.sign_in()  # creates camille's account, linked
    make_user("autre@exemple.fr")
    other = Agent(proconnect.test_client(), PUBLIC_URL)
    token = csrf_token_from(other.client.get("/connexion").get_data(as_text=True))
    other.client.post(
        "/connexion",
        data={
            "email": "autre@exemple.fr",
            "password": "correct horse battery staple",
            "csrf_token": token,
        },
    )
    before = counts(proconnect)
    answer = other.sign_in("/profil/proconnect/relier")
    assert answer.status_code == 409
    assert "déjà reliée à un autre compte" in answer.get_data(as_text=True)
    assert counts(proconnect) == before


def test_the_data_export_names_the_sign_in_methods(agent, proconnect):
    agent.sign_in(sub="agent-export")
    exported = agent.client.get("/profil/mes-donnees.json").get_json()
    assert exported["sign_in"]["local"] is False
    (link,) = exported["sign_in"]["proconnect"]
    assert link["subject"] == "agent-export"


def test_the_password_asked_before_linking_is_rate_limited(agent, proconnect, make_user):
    proconnect.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    make_user(AGENT["email"])
    agent.sign_in()
    token = csrf_token_from(agent.client.get("/connexion/proconnect/mot-de-passe").get_data(True))
    statuses = [
        agent.client.post(
            "/connexion/proconnect/mot-de-passe", data={"password": "faux", "csrf_token": token}
        ).status_code
        for _ in range(4)
    ]
    assert statuses == [422, 422, 422, 429]
    answer = agent.client.post(
        "/connexion/proconnect/mot-de-passe",
        data={"password": "correct horse battery staple", "csrf_token": token},
    )
    assert answer.status_code == 429
    assert "Trop de mots de passe incorrects" in answer.get_data(as_text=True)
    with proconnect.app_context():
        assert factories.user(AGENT["email"]).identities == []


def test_a_browser_keeps_three_flows_at_most(agent, proconnect):
    states = [parse_qs(urlsplit(agent.start()).query)["state"][0] for _ in range(4)]
    answer = agent.client.get(f"/connexion/proconnect/retour?code=abc&state={states[0]}")
    assert_refused(answer, 400, "pas été commencée")
    with agent.client.session_transaction() as session:
        kept = [key for key in session if key.startswith("_state_proconnect_")]
    assert sorted(kept) == sorted(f"_state_proconnect_{state}" for state in states[1:])


# --- Sign-out -----------------------------------------------------------------


def test_sign_out_ends_the_proconnect_session_too(agent, proconnect):
    agent.sign_in()
    home = agent.client.get("/")
    issuer = proconnect.config["PROCONNECT_DISCOVERY_URL"].split("/.well")[0]
    assert f"form-action 'self' {issuer}" in home.headers["Content-Security-Policy"]
    token = csrf_token_from(home.get_data(as_text=True))
    answer = agent.client.post("/deconnexion", data={"csrf_token": token})
    assert answer.status_code == 303
    end = urlsplit(answer.headers["Location"])
    query = parse_qs(end.query)
    assert f"{end.scheme}://{end.netloc}{end.path}" == issuer + "/session/end"
    assert query["post_logout_redirect_uri"] == [PUBLIC_URL + "/deconnexion/proconnect"]
    assert len(query["state"][0]) >= 32 and query["id_token_hint"][0].count(".") == 2
    assert signed_in_as(agent.client) is None
    assert "form-action 'self';" in agent.client.get("/").headers["Content-Security-Policy"]

    back = agent.at_provider(answer.headers["Location"])
    assert back.startswith("/deconnexion/proconnect?")
    done = agent.client.get(back)
    assert done.headers["Location"] == "/"
    assert "déconnecté·e de CNIG Partage et de ProConnect" in agent.client.get("/").get_data(
        as_text=True
    )
    # The provider's session is over: signing in again asks for the login page.
    agent.pages_seen.clear()
    agent.sign_in()
    assert any('name="email"' in page for page in agent.pages_seen)


def test_a_post_logout_answer_with_a_wrong_state_is_refused(agent):
    agent.sign_in()
    token = csrf_token_from(agent.client.get("/").get_data(as_text=True))
    agent.client.post("/deconnexion", data={"csrf_token": token})
    answer = agent.client.get("/deconnexion/proconnect?state=" + "x" * 43)
    assert answer.status_code == 400
    assert "Vous êtes déconnecté·e de CNIG Partage" in answer.get_data(as_text=True)


def test_a_password_session_signs_out_here_only(proconnect, auth, client, make_user):
    make_user("membre@exemple.fr")
    auth.login("membre@exemple.fr")
    assert auth.logout().headers["Location"] == "/"


def test_a_password_sign_in_replaces_a_proconnect_session(agent, proconnect, make_user):
    agent.sign_in()
    make_user("membre@exemple.fr")
    with agent.client.session_transaction() as session:
        session.pop("_user_id")  # the ProConnect session's account ended (deactivated, say)
    token = csrf_token_from(agent.client.get("/connexion").get_data(as_text=True))
    agent.client.post(
        "/connexion",
        data={
            "email": "membre@exemple.fr",
            "password": "correct horse battery staple",
            "csrf_token": token,
        },
    )
    assert signed_in_as(agent.client) == "membre@exemple.fr"
    assert "form-action 'self';" in agent.client.get("/").headers["Content-Security-Policy"]
    token = csrf_token_from(agent.client.get("/").get_data(as_text=True))
    assert agent.client.post("/deconnexion", data={"csrf_token": token}).headers["Location"] == "/"


# --- Failures: a French 4xx page, nothing created or changed ------------------


def assert_refused(answer, status: int, words: str) -> None:
    assert answer.status_code == status, answer.get_data(as_text=True)[:2000]
    html = unescape(answer.get_data(as_text=True))
    assert "Connexion avec ProConnect impossible" in html
    assert words in html
    assert "Rien n'a été enregistré ni modifié." in html
    assert 'href="/connexion"' in html or 'href="/profil"' in html  # the way back


def test_a_missing_or_wrong_state_is_refused(agent, proconnect):
    before = counts(proconnect)
    back = agent.at_provider(agent.start())
    query = parse_qs(urlsplit(back).query)
    code = query["code"][0]
    assert_refused(
        agent.client.get(f"/connexion/proconnect/retour?code={code}"), 400, "pas été commencée"
    )
    assert_refused(
        agent.client.get(f"/connexion/proconnect/retour?code={code}&state={'a' * 43}"),
        400,
        "pas été commencée",
    )
    assert counts(proconnect) == before
    assert signed_in_as(agent.client) is None


def test_a_sign_out_state_does_not_open_a_sign_in(agent, proconnect):
    agent.sign_in()
    token = csrf_token_from(agent.client.get("/").get_data(as_text=True))
    end = agent.client.post("/deconnexion", data={"csrf_token": token}).headers["Location"]
    state = parse_qs(urlsplit(end).query)["state"][0]
    code = parse_qs(urlsplit(agent.at_provider(agent.start())).query)["code"][0]
    before = counts(proconnect)
    answer = agent.client.get(f"/connexion/proconnect/retour?code={code}&state={state}")
    assert_refused(answer, 400, "pas été commencée")
    assert counts(proconnect) == before
    assert signed_in_as(agent.client) is None


def test_an_answer_cannot_be_used_twice(agent, proconnect):
    back = agent.at_provider(agent.start())
    assert agent.client.get(back).status_code == 303
    token = csrf_token_from(agent.client.get("/").get_data(as_text=True))
    agent.client.post("/deconnexion", data={"csrf_token": token})
    before = counts(proconnect)
    # The same answer again: its state is spent.
    assert_refused(agent.client.get(back), 400, "pas été commencée")
    # The same code under a new flow's state: the provider refuses a spent code.
    state = parse_qs(urlsplit(agent.start()).query)["state"][0]
    code = parse_qs(urlsplit(back).query)["code"][0]
    replayed = agent.client.get(f"/connexion/proconnect/retour?code={code}&state={state}")
    assert_refused(replayed, 400, "ProConnect a refusé la connexion")
    assert counts(proconnect) == before
    assert signed_in_as(agent.client) is None


def test_an_expired_code_is_refused(app, oidc_issuer):
    app.config.update(register_client(oidc_issuer, PUBLIC_URL, name="codes-expire-at-once"))
    agent = Agent(app.test_client(), PUBLIC_URL)
    back = agent.at_provider(agent.start())
    before = counts(app)
    # Its code expires at the provider's next whole second (oidc-provider counts in
    # seconds of this machine's clock: exp = floor(issued) + 1, spent once now >= exp).
    time.sleep(math.floor(time.time()) + 1.05 - time.time())
    assert_refused(agent.client.get(back), 400, "ProConnect a refusé la connexion")
    assert counts(app) == before


def test_an_id_token_for_another_nonce_is_refused(agent, proconnect):
    # An answer obtained for one flow, brought back under another flow's state
    # (a code injected from elsewhere): its ID token carries the other nonce.
    first = agent.start()
    second_state = parse_qs(urlsplit(agent.start()).query)["state"][0]
    code = parse_qs(urlsplit(agent.at_provider(first)).query)["code"][0]
    before = counts(proconnect)
    answer = agent.client.get(f"/connexion/proconnect/retour?code={code}&state={second_state}")
    assert_refused(answer, 400, "n'a pas pu être vérifiée")
    assert counts(proconnect) == before
    assert signed_in_as(agent.client) is None


@pytest.mark.parametrize(
    ("fault", "words"),
    [
        ("wrong-keys", "n'a pas pu être vérifiée"),  # the ID token's signature
        ("forged-userinfo", "n'a pas pu être vérifiée"),  # the userinfo's signature
        ("garbage-jwks", "n'a pas pu être vérifiée"),
        ("garbage-token", "n'a pas répondu correctement"),
        ("unreachable-token", "n'a pas répondu correctement"),
    ],
)
def test_a_provider_answer_that_fails_its_checks_is_refused(agent, proconnect, fault, words):
    issuer = proconnect.config["PROCONNECT_DISCOVERY_URL"].split("/.well")[0]
    proconnect.config["PROCONNECT_DISCOVERY_URL"] = (
        f"{issuer}/faults/{fault}/.well-known/openid-configuration"
    )
    before = counts(proconnect)
    assert_refused(agent.sign_in(), 400, words)
    assert counts(proconnect) == before
    assert signed_in_as(agent.client) is None


def test_a_userinfo_answered_as_plain_json_is_refused(app, oidc_issuer):
    app.config.update(register_client(oidc_issuer, PUBLIC_URL, signed_userinfo=False))
    agent = Agent(app.test_client(), PUBLIC_URL)
    before = counts(app)
    assert_refused(agent.sign_in(), 400, "n'a pas pu être vérifiée")
    assert counts(app) == before


def test_a_missing_email_is_refused(agent, proconnect):
    before = counts(proconnect)
    assert_refused(agent.sign_in(email=""), 400, "pas transmis votre adresse électronique")
    assert counts(proconnect) == before


def test_an_acr_other_than_the_one_asked_is_refused(agent, proconnect):
    proconnect.config["PROCONNECT_ACR_VALUES"] = "eidas2"
    before = counts(proconnect)
    assert_refused(agent.sign_in(), 400, "n'a pas pu être vérifiée")
    assert counts(proconnect) == before


def test_a_refusal_by_the_provider_is_a_french_page(agent, proconnect):
    state = parse_qs(urlsplit(agent.start()).query)["state"][0]
    answer = agent.client.get(
        f"/connexion/proconnect/retour?error=access_denied&error_description=non&state={state}"
    )
    assert_refused(answer, 400, "ProConnect a refusé la connexion")


@pytest.mark.parametrize(
    "discovery",
    ["http://127.0.0.1:9/.well-known/openid-configuration", "garbage-discovery"],
)
def test_an_unreachable_or_garbled_provider_is_a_french_page(agent, proconnect, discovery):
    if discovery == "garbage-discovery":
        issuer = proconnect.config["PROCONNECT_DISCOVERY_URL"].split("/.well")[0]
        discovery = f"{issuer}/faults/garbage-discovery/.well-known/openid-configuration"
    proconnect.config["PROCONNECT_DISCOVERY_URL"] = discovery
    answer = agent.client.get("/connexion/proconnect")
    assert_refused(answer, 400, "n'a pas répondu correctement")


def test_the_client_secret_travels_in_the_form_body_as_proconnect_asks(agent, proconnect, make_app):
    """ProConnect's token endpoint takes client_secret_post only, as the provider here:
    the default signs in; a site set to client_secret_basic is refused, politely."""
    assert agent.sign_in().status_code == 303
    settings = {key: proconnect.config[key] for key in proconnect.config if "PROCONNECT" in key}
    basic = make_app(**{**settings, "PROCONNECT_TOKEN_AUTH_METHOD": "client_secret_basic"})
    before = counts(basic)
    other = Agent(basic.test_client(), PUBLIC_URL)
    assert_refused(other.sign_in(email="autre@exemple.gouv.fr"), 400, "ProConnect a refusé")
    assert counts(basic) == before


def test_an_unknown_token_auth_method_stops_the_start(make_app):
    with pytest.raises(ConfigurationError, match="PROCONNECT_TOKEN_AUTH_METHOD"):
        make_app(PROCONNECT_TOKEN_AUTH_METHOD="private_key_jwt")


@pytest.mark.parametrize("linked", [True, False])
def test_a_deactivated_account_cannot_sign_in(agent, proconnect, make_user, linked):
    if linked:
        agent.sign_in()
        token = csrf_token_from(agent.client.get("/").get_data(as_text=True))
        agent.client.post("/deconnexion", data={"csrf_token": token})
        agent = Agent(proconnect.test_client(), PUBLIC_URL)
    else:
        make_user(AGENT["email"])
        make_passwordless(proconnect, AGENT["email"])
    with proconnect.app_context():
        user = factories.user(AGENT["email"])
        user.active = False
        last_login = user.last_login_at
        db.session.commit()
    before = counts(proconnect)
    assert_refused(agent.sign_in(), 403, "Ce compte est désactivé")
    assert counts(proconnect) == before
    assert signed_in_as(agent.client) is None
    with proconnect.app_context():
        assert factories.user(AGENT["email"]).last_login_at == last_login


# --- Deleting an account that has no password ---------------------------------


def test_an_account_without_password_deletes_itself_after_authenticating_again(agent, proconnect):
    agent.sign_in()
    profile = agent.client.get("/profil").get_data(as_text=True)
    assert "Confirmer mon identité avec ProConnect" in profile
    # Without a fresh authentication, the confirmation page sends back to the profile.
    assert agent.client.get("/profil/supprimer/confirmer").headers["Location"].startswith("/profil")

    url = agent.start("/profil/supprimer/proconnect")
    query = parse_qs(urlsplit(url).query)
    # No max_age: ProConnect refuses parameters it does not list (so does the provider here).
    assert query["prompt"] == ["login"] and "max_age" not in query
    agent.pages_seen.clear()
    back = agent.at_provider(url)
    # The provider asked for the login again, its session notwithstanding.
    assert any('name="email"' in page for page in agent.pages_seen)
    assert agent.client.get(back).headers["Location"] == "/profil/supprimer/confirmer"
    page = agent.client.get("/profil/supprimer/confirmer")
    assert page.status_code == 200
    assert agent.client.post("/profil/supprimer/confirmer").status_code == 400  # no CSRF token
    with proconnect.app_context():
        assert factories.user(AGENT["email"]) is not None

    token = csrf_token_from(page.get_data(as_text=True))
    answer = agent.client.post("/profil/supprimer/confirmer", data={"csrf_token": token})
    assert answer.headers["Location"] == "/"
    with proconnect.app_context():
        assert factories.user(AGENT["email"]) is None
        assert db.session.scalar(select(func.count(ExternalIdentity.id))) == 0
    assert signed_in_as(agent.client) is None


def test_an_authentication_older_than_the_deletion_flow_does_not_confirm_it(app, oidc_issuer):
    """A provider that reuses a session answers the login asked again with the time of
    the first one (auth_time): that is not a fresh authentication."""
    app.config.update(register_client(oidc_issuer, PUBLIC_URL, name="old-sign-ins"))
    agent = Agent(app.test_client(), PUBLIC_URL)
    assert agent.sign_in().status_code == 303
    url = agent.start("/profil/supprimer/proconnect")
    assert_refused(
        agent.client.get(agent.at_provider(url)), 403, "pas confirmé une authentification"
    )
    assert agent.client.get("/profil/supprimer/confirmer").status_code == 303
    with app.app_context():
        assert factories.user(AGENT["email"]) is not None


def test_another_identity_cannot_confirm_a_deletion(agent, proconnect):
    agent.sign_in()
    url = agent.start("/profil/supprimer/proconnect")
    answer = agent.client.get(agent.at_provider(url, email="quelquun.dautre@exemple.gouv.fr"))
    assert_refused(answer, 403, "n'est pas celle reliée à votre compte")
    assert agent.client.get("/profil/supprimer/confirmer").status_code == 303
    with proconnect.app_context():
        assert factories.user(AGENT["email"]) is not None
