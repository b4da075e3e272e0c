"""/profil: name and organisation, password, alerts, contributions, export, deletion."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from cnig_share.dates import today
from cnig_share.extensions import db
from cnig_share.models import (
    ApiToken,
    AuditEvent,
    ConfirmationCount,
    Membership,
    Resource,
    Subscription,
    User,
)
from tests import factories
from tests.conftest import PASSWORD, AuthActions, csrf_token_from

MEMBER = "camille@exemple.fr"
NEW_PASSWORD = "une toute nouvelle phrase"


@pytest.fixture
def member(make_user) -> str:
    return make_user(MEMBER, "member", ("bretagne",), name="Camille")


@pytest.fixture
def signed_in(client, auth, member):
    auth.login(member)
    return client


def _token(client) -> str:
    return csrf_token_from(client.get("/profil").get_data(as_text=True))


def _user(app: Flask, email: str = MEMBER) -> User | None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None:
            db.session.expunge(user)
        return user


def _actions(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def _alert(app: Flask, email: str, q: str) -> int:
    with app.app_context():
        alert = Subscription(email=email, query={"q": q}, key=q, period="daily")
        db.session.add(alert)
        db.session.commit()
        return alert.id


# --- every /profil route needs a session and a CSRF token ---------------------------------

PROFILE_POSTS = [
    "/profil/identite",
    "/profil/mot-de-passe",
    "/profil/alertes/1/desabonner",
    "/profil/supprimer",
]


@pytest.mark.parametrize("path", ["/profil", "/profil/mes-donnees.json", *PROFILE_POSTS])
def test_profile_routes_send_strangers_to_sign_in(client, path):
    token = csrf_token_from(client.get("/connexion").get_data(as_text=True))
    data = {"csrf_token": token, "mdp-csrf_token": token, "suppression-csrf_token": token}
    response = client.post(path, data=data) if path in PROFILE_POSTS else client.get(path)
    assert response.status_code == 302 and response.headers["Location"].startswith("/connexion")


@pytest.mark.parametrize("path", PROFILE_POSTS)
def test_profile_forms_without_csrf_token_are_refused_and_change_nothing(app, signed_in, path):
    alert = _alert(app, MEMBER, "adresse")
    path = path.replace("/1/", f"/{alert}/")
    response = signed_in.post(
        path, data={"name": "Autre", "mdp-current": PASSWORD, "suppression-password": PASSWORD}
    )
    assert response.status_code == 400
    user = _user(app)
    assert user is not None and user.name == "Camille"
    with app.app_context():
        assert db.session.get(Subscription, alert) is not None
    assert _actions(app) == []


# --- name and organisation -----------------------------------------------------------------


def test_name_and_organisation_are_saved_and_audited(app, signed_in):
    response = signed_in.post(
        "/profil/identite",
        data={
            "csrf_token": _token(signed_in),
            "name": " Camille Le Goff ",
            "organisation": "DREAL",
        },
    )
    assert response.status_code == 303 and response.headers["Location"] == "/profil#identite"
    user = _user(app)
    assert (user.name, user.organisation) == ("Camille Le Goff", "DREAL")
    page = signed_in.get("/profil").get_data(as_text=True)
    assert "DREAL" in page and "Camille Le Goff" in page
    assert _actions(app) == ["account.profile"]


def test_too_long_organisation_is_refused_in_french(app, signed_in):
    response = signed_in.post(
        "/profil/identite",
        data={"csrf_token": _token(signed_in), "name": "Camille", "organisation": "x" * 201},
    )
    assert response.status_code == 422
    assert "L&#39;organisation compte au plus 200 caractères." in response.get_data(as_text=True)
    assert _user(app).organisation == "" and _actions(app) == []


# --- password ------------------------------------------------------------------------------


def _change_password(client, current: str = PASSWORD, new: str = NEW_PASSWORD, confirm=None):
    return client.post(
        "/profil/mot-de-passe",
        data={
            "mdp-csrf_token": _token(client),
            "mdp-current": current,
            "mdp-password": new,
            "mdp-confirm": new if confirm is None else confirm,
        },
    )


def test_changing_the_password_keeps_this_session_and_ends_the_others(app, member):
    here, elsewhere = app.test_client(), app.test_client()
    AuthActions(here).login(member)
    AuthActions(elsewhere).login(member)
    response = _change_password(here)
    assert response.status_code == 303 and response.headers["Location"] == "/profil#mot-de-passe"
    assert here.get("/profil").status_code == 200
    assert elsewhere.get("/profil").status_code == 302
    assert AuthActions(app.test_client()).login(member, NEW_PASSWORD).status_code == 303
    assert AuthActions(app.test_client()).login(member, PASSWORD).status_code == 422
    assert _actions(app) == ["account.password_change"]


@pytest.mark.parametrize(
    ("current", "new", "confirm", "message"),
    [
        ("mauvais mot de passe", NEW_PASSWORD, None, "Mot de passe incorrect."),
        ("", NEW_PASSWORD, None, "Saisissez votre mot de passe actuel."),
        (PASSWORD, "court", None, "au moins 10 caractères"),
        (PASSWORD, NEW_PASSWORD, "autre chose encore", "ne sont pas identiques"),
    ],
)
def test_a_refused_password_change_says_why_and_changes_nothing(
    app, signed_in, current, new, confirm, message
):
    before = _user(app).password_hash
    response = _change_password(signed_in, current, new, confirm)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True).replace("&#39;", "'")
    assert _user(app).password_hash == before and _actions(app) == []
    assert signed_in.get("/profil").status_code == 200


def _without_password(app: Flask, client) -> None:
    """Make the account one that signs in through ProConnect only, and sign it in there."""
    with app.app_context():
        user = factories.user(MEMBER)
        user.password_hash = ""
        db.session.commit()
        session_id = user.get_id()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = session_id, True


def test_an_account_without_password_chooses_its_first(app, client, member):
    _without_password(app, client)
    page = client.get("/profil").get_data(as_text=True)
    assert "Mot de passe actuel" not in page and "Choisir ce mot de passe" in page
    token = csrf_token_from(page)
    response = client.post(
        "/profil/mot-de-passe",
        data={"mdp-csrf_token": token, "mdp-password": NEW_PASSWORD, "mdp-confirm": NEW_PASSWORD},
    )
    assert response.status_code == 303 and client.get("/profil").status_code == 200
    assert AuthActions(app.test_client()).login(member, NEW_PASSWORD).status_code == 303
    assert _actions(app) == ["account.password_set"]


def test_an_account_without_password_is_told_to_choose_one_before_deleting(app, client, member):
    _without_password(app, client)
    response = _delete(client, "n'importe quoi")
    assert response.status_code == 422
    assert "pas encore de mot de passe" in response.get_data(as_text=True).replace("&#39;", "'")
    assert _user(app) is not None and _actions(app) == []


def test_password_guesses_from_a_session_are_limited_per_account(app, signed_in):
    """A session left open must not let anyone try passwords at will: the change and
    the deletion forms share the sign-in's limit, counting failures only."""
    for _ in range(5):
        assert _change_password(signed_in, "mauvais mot de passe").status_code == 422
        assert _delete(signed_in, "mauvais mot de passe").status_code == 422
    response = _change_password(signed_in)
    assert response.status_code == 429
    assert "Trop de mots de passe incorrects" in response.get_data(as_text=True)
    assert AuthActions(app.test_client()).login(MEMBER, PASSWORD).status_code == 303


# --- alerts --------------------------------------------------------------------------------


def test_my_alerts_are_listed_and_can_be_ended_from_the_profile(app, signed_in):
    mine = _alert(app, "Camille@Exemple.fr", "adressage")
    theirs = _alert(app, "autre@exemple.fr", "cadastre")
    page = signed_in.get("/profil").get_data(as_text=True)
    assert "adressage" in page and "cadastre" not in page
    assert f"/profil/alertes/{mine}/desabonner" in page
    response = signed_in.post(
        f"/profil/alertes/{mine}/desabonner", data={"csrf_token": _token(signed_in)}
    )
    assert response.status_code == 303 and response.headers["Location"] == "/profil#alertes"
    with app.app_context():
        assert db.session.get(Subscription, mine) is None
        assert db.session.get(Subscription, theirs) is not None


def test_someone_elses_or_an_unknown_alert_is_not_found(app, signed_in):
    theirs = _alert(app, "autre@exemple.fr", "cadastre")
    token = _token(signed_in)
    for alert_id in (theirs, theirs + 1000):
        response = signed_in.post(
            f"/profil/alertes/{alert_id}/desabonner", data={"csrf_token": token}
        )
        assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Subscription, theirs) is not None


# --- contributions -------------------------------------------------------------------------


def test_my_contributions_are_listed_by_status_with_links(app, signed_in, make_user):
    make_user("autre@exemple.fr", "member", ("bretagne",))
    with app.app_context():
        author, other = factories.user(MEMBER), factories.user("autre@exemple.fr")
        draft = factories.resource("Mon brouillon", author_id=author.id)
        published = factories.resource("Ma publication", status="published", author_id=author.id)
        factories.resource("Le texte d'un autre", author_id=other.id)
    page = signed_in.get("/profil").get_data(as_text=True)
    section = page[page.index('id="contributions"') : page.index('id="alertes"')]
    assert f'href="/ressources/{draft}"' in section and f'href="/ressources/{published}"' in section
    assert "Brouillon (1)" in section and "Publiée (1)" in section
    assert "Le texte d" not in section


# --- export --------------------------------------------------------------------------------


def test_my_data_is_exported_without_secrets(app, signed_in):
    _alert(app, MEMBER, "adressage")
    with app.app_context():
        resource = factories.resource("Mon brouillon", author_id=factories.user(MEMBER).id)
    signed_in.post("/profil/jetons", data={"csrf_token": _token(signed_in), "name": "Portail"})
    response = signed_in.get("/profil/mes-donnees.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "private, no-store"
    data = response.get_json()
    assert data["account"]["email"] == MEMBER and data["account"]["name"] == "Camille"
    assert data["memberships"] == [
        {"ctd": "bretagne", "ctd_name": data["memberships"][0]["ctd_name"], "role": "member"}
    ]
    assert data["alerts"][0]["query"] == {"q": "adressage"}
    assert data["contributions"] == [{"id": resource, "title": "Mon brouillon", "status": "draft"}]
    assert data["api_tokens"][0]["name"] == "Portail"
    text = response.get_data(as_text=True)
    with app.app_context():
        user = factories.user(MEMBER)
        digest = db.session.scalar(select(ApiToken.digest))
        assert user.password_hash not in text and digest not in text
    assert "password" not in text and "digest" not in text


# --- deletion ------------------------------------------------------------------------------


def _delete(client, password: str = PASSWORD):
    return client.post(
        "/profil/supprimer",
        data={"suppression-csrf_token": _token(client), "suppression-password": password},
    )


def test_deleting_my_account_keeps_my_resources_and_removes_the_rest(app, member):
    from tests.test_api import bearer

    here, elsewhere = app.test_client(), app.test_client()
    AuthActions(here).login(member)
    AuthActions(elsewhere).login(member)
    _alert(app, MEMBER, "adressage")
    with app.app_context():
        user_id = factories.user(MEMBER).id
        resource = factories.resource("Mon texte", status="published", author_id=user_id)
        # Today's count of alert confirmations sent to the address (written as typed).
        db.session.add(ConfirmationCount(email=MEMBER.upper(), day=today(), sent=1))
        db.session.commit()
        secret = app.test_cli_runner().invoke(args=["create-token", MEMBER]).output.strip()
    assert here.get(f"/api/v1/resources/{resource}", headers=bearer(secret)).status_code == 200
    response = _delete(here)
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert here.get("/profil").status_code == 302 and elsewhere.get("/profil").status_code == 302
    assert (
        app.test_client().get(f"/api/v1/resources/{resource}", headers=bearer(secret)).status_code
        == 401
    )
    with app.app_context():
        assert db.session.get(User, user_id) is None
        kept = db.session.get(Resource, resource)
        assert kept is not None and kept.author_id is None and kept.ctd.slug == "bretagne"
        for model, column in (
            (Subscription, Subscription.email),
            (ApiToken, ApiToken.user_id),
            (Membership, Membership.user_id),
            (ConfirmationCount, ConfirmationCount.email),
        ):
            assert db.session.scalar(select(func.count()).select_from(model)) == 0, column
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.delete"))
        assert event.target_id == user_id and event.actor_id is None
        assert MEMBER not in str(event.details) + event.comment
    assert AuthActions(app.test_client()).login(member).status_code == 422


def test_a_deleted_authors_revisions_name_an_former_member(app, member, make_user):
    curator = make_user("veille@cnig.example.org", "curator")
    with app.app_context():
        from cnig_share.resources.services import add_revision

        author = factories.user(MEMBER)
        resource = factories.resource("Mon texte", status="published", author_id=author.id)
        add_revision(db.session.get(Resource, resource), author, {"title": "Ancien"})
        db.session.commit()
    client = app.test_client()
    AuthActions(client).login(member)
    _delete(client)
    AuthActions(client).login(curator)
    history = client.get(f"/ressources/{resource}/historique").get_data(as_text=True)
    assert "ancien membre" in history
    log = client.get("/curation/journal").get_data(as_text=True)
    assert "Compte supprimé par son titulaire" in log


def test_a_wrong_password_does_not_delete_the_account(app, signed_in):
    response = _delete(signed_in, "mauvais mot de passe")
    assert response.status_code == 422
    assert "Mot de passe incorrect." in response.get_data(as_text=True)
    assert _user(app) is not None and _actions(app) == []
    assert signed_in.get("/profil").status_code == 200


def test_the_last_active_admin_cannot_delete_their_account(app, client, auth, make_user):
    admin = make_user("admin@cnig.example.org", "admin")
    make_user("ancien-admin@cnig.example.org", "admin")
    with app.app_context():
        factories.user("ancien-admin@cnig.example.org").active = False
        db.session.commit()
    auth.login(admin)
    assert "dernier administrateur actif" in client.get("/profil").get_data(as_text=True)
    response = _delete(client)
    assert response.status_code == 422
    assert "dernier administrateur actif" in response.get_data(as_text=True)
    assert _user(app, admin) is not None and _actions(app) == []


def test_an_admin_may_leave_when_another_admin_remains(app, client, auth, make_user):
    admin = make_user("admin@cnig.example.org", "admin")
    make_user("autre-admin@cnig.example.org", "admin")
    auth.login(admin)
    assert _delete(client).status_code == 303
    assert _user(app, admin) is None


def test_the_last_coordinator_of_a_ctd_cannot_delete_their_account(app, client, auth, make_user):
    coordinator = make_user("coordination@bretagne.example.org", "member", ("bretagne",))
    make_user("membre@bretagne.example.org", "member", ("bretagne",))
    with app.app_context():
        factories.user(coordinator).memberships[0].role = "coordinator"
        db.session.commit()
    auth.login(coordinator)
    response = _delete(client)
    assert response.status_code == 422
    assert "doit garder au moins un animateur ou une animatrice" in response.get_data(as_text=True)
    assert _user(app, coordinator) is not None and _actions(app) == []


# --- in the browser ------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 375])
def test_the_profile_page_is_accessible_and_fits_the_screen(
    app, browser, live_server, member, width
):
    from tests.test_journeys import SCREENSHOTS, assert_accessible

    _alert(app, MEMBER, "adressage des hameaux")
    with app.app_context():
        factories.resource("Mon brouillon", author_id=factories.user(MEMBER).id)
    page = browser.new_page(viewport={"width": width, "height": 900}, locale="fr-FR")
    page.goto(live_server + "/connexion?next=/profil")
    page.get_by_label("Adresse électronique").fill(MEMBER)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Se connecter").click()
    page.wait_for_url(live_server + "/profil")
    page.get_by_role("textbox", name="Organisation").fill("DREAL Bretagne")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.wait_for_url(live_server + "/profil#identite")
    assert page.get_by_text("Votre nom et votre organisation sont enregistrés.").is_visible()
    # A refused form comes back with its message tied to the field.
    page.get_by_role("textbox", name="Votre mot de passe").fill("mauvais mot de passe")
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()
    assert page.get_by_text("Mot de passe incorrect.").is_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"profil-{width}.png"), full_page=True, caret="initial")
    page.context.close()
