"""Account administration (/admin/comptes): who may see it, the list and its
filters, an account's role, memberships and deactivation, and the rules that
keep the site with an active admin and each coordinated CTD with a coordinator."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from cnig_share.admin import views as admin_views
from cnig_share.extensions import db
from cnig_share.models import AuditEvent, ExternalIdentity, Membership, utcnow
from tests import factories
from tests.conftest import PASSWORD, AuthActions, csrf_token_from

ADMIN = "admin@cnig.example.org"
MEMBER = "membre@bretagne.example.org"


@pytest.fixture
def admin(client, auth, make_user):
    """A client signed in as the site's admin."""
    make_user(ADMIN, role="admin", name="Ada Admin")
    auth.login(ADMIN)
    return client


def user_id(app, email: str) -> int:
    with app.app_context():
        return factories.user(email).id


def post(client, path: str, **data):
    """A form post from the account page, with its CSRF token."""
    token = csrf_token_from(client.get("/admin/comptes").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


def membership_roles(app, email: str) -> dict[str, str]:
    with app.app_context():
        return {m.ctd.slug: m.role for m in factories.user(email).memberships}


def account_state(app, email: str) -> tuple[str, bool, dict[str, str]]:
    with app.app_context():
        user = factories.user(email)
        return user.role, user.active, {m.ctd.slug: m.role for m in user.memberships}


def table(html: str) -> str:
    return html[html.index("<table>") : html.index("</table>")]


# --- who may come in --------------------------------------------------------------------


def test_visitors_are_sent_to_sign_in(app, client, make_user):
    make_user(MEMBER, ctds=("bretagne",))
    target = user_id(app, MEMBER)
    for path in ("/admin/comptes", f"/admin/comptes/{target}"):
        response = client.get(path)
        assert response.status_code == 302 and "/connexion" in response.headers["Location"]


@pytest.mark.parametrize("role", ["member", "curator"])
def test_only_admins_administer_accounts(app, client, auth, make_user, role):
    make_user("personne@cnig.example.org", role=role, ctds=("bretagne",))
    make_user(MEMBER, ctds=("bretagne",))
    auth.login("personne@cnig.example.org")
    target = user_id(app, MEMBER)
    home = client.get("/").get_data(as_text=True)
    assert "/admin/comptes" not in home
    token = csrf_token_from(home)
    assert client.get("/admin/comptes").status_code == 403
    assert client.get(f"/admin/comptes/{target}").status_code == 403
    for path, data in (
        (f"/admin/comptes/{target}/role", {"role": "admin"}),
        (f"/admin/comptes/{target}/desactiver", {}),
        (f"/admin/comptes/{target}/ctd", {"ctd": "corse", "role": "coordinator"}),
    ):
        assert client.post(path, data={"csrf_token": token, **data}).status_code == 403
    assert account_state(app, MEMBER) == ("member", True, {"bretagne": "member"})


def test_admins_find_the_accounts_page_in_the_navigation(admin):
    home = admin.get("/").get_data(as_text=True)
    assert 'href="/admin/comptes"' in home and ">Comptes</a>" in home


# --- the list ---------------------------------------------------------------------------


def test_accounts_are_searched_by_name_or_email_and_filtered(app, admin, make_user):
    make_user(MEMBER, ctds=("bretagne",), name="Bleuenn Le Gall")
    make_user("animateur@corse.example.org", ctds=("corse",), name="Paoli")
    make_user("veille@cnig.example.org", role="curator", name="Camille Veille")
    with app.app_context():
        factories.user("veille@cnig.example.org").active = False
        paoli = factories.user("animateur@corse.example.org")
        paoli.password_hash = ""  # signs in through ProConnect alone
        paoli.identities.append(ExternalIdentity(issuer="https://pc.example", subject="s-1"))
        db.session.commit()

    def listed(query: str) -> str:
        response = admin.get("/admin/comptes" + query)
        assert response.status_code == 200
        return response.get_data(as_text=True)

    everyone = listed("")
    assert "4 comptes" in everyone and "Bleuenn Le Gall" in everyone
    by_name = listed("?q=bleuenn")
    assert "Bleuenn" in by_name and "Paoli" not in by_name
    by_email = listed("?q=corse.example")
    assert "Paoli" in by_email and "Bleuenn" not in by_email
    assert "Camille Veille" in listed("?role=curator") and "Paoli" not in listed("?role=curator")
    in_corse = listed("?ctd=corse")
    assert "Paoli" in in_corse and "Bleuenn" not in in_corse
    closed = listed("?state=desactive")
    assert "1 compte" in closed and "Camille Veille" in closed
    assert "3 comptes" in listed("?state=actif")
    by_password = listed("?method=mot-de-passe")
    assert "3 comptes" in by_password and "Paoli" not in by_password
    by_proconnect = listed("?method=proconnect")
    assert "1 compte" in by_proconnect and "Paoli" in by_proconnect
    assert "0 compte" in listed("?q=100%25_")


def test_accounts_are_filtered_by_last_sign_in(app, admin, make_user, monkeypatch):
    now = utcnow()
    ages = {"recente": 10, "huit-mois": 240, "deux-ans": 730}
    for name, days in ages.items():
        make_user(f"{name}@exemple.fr", name=f"Compte {name}")
        with app.app_context():
            factories.user(f"{name}@exemple.fr").last_login_at = now - timedelta(days=days)
            db.session.commit()
    make_user("jamais@exemple.fr", name="Compte jamais")

    def listed(bucket: str) -> set[str]:
        response = admin.get(f"/admin/comptes?connexion={bucket}")
        assert response.status_code == 200
        return set(re.findall(r">(Ada Admin|Compte [a-z-]+)</a>", table(response.text)))

    # The admin signed in a moment ago.
    assert listed("30-jours") == {"Ada Admin", "Compte recente"}
    assert listed("plus-de-6-mois") == {"Compte huit-mois", "Compte deux-ans"}
    assert listed("plus-d-un-an") == {"Compte deux-ans"}
    assert listed("jamais") == {"Compte jamais"}
    page = admin.get("/admin/comptes?connexion=plus-de-6-mois").text
    assert '<option value="plus-de-6-mois" selected>Il y a plus de 6 mois</option>' in page
    # The filter stays on the pages' links.
    monkeypatch.setattr(admin_views, "ACCOUNTS_PAGE", 1)
    first = admin.get("/admin/comptes?connexion=plus-de-6-mois").text
    assert 'href="/admin/comptes?connexion=plus-de-6-mois&amp;page=2"' in first


def test_odd_list_arguments_are_ignored(admin):
    odd = "?role=<x>&ctd=nulle-part&state=peut-etre&method=pigeon&connexion=hier"
    odd += "&sort=hasard&page=-3"
    response = admin.get("/admin/comptes" + odd)
    assert response.status_code == 200 and "1 compte" in response.get_data(as_text=True)
    assert admin.get("/admin/comptes?page=99999999999").status_code == 200
    assert admin.get("/admin/comptes?q=%ff%ed%a0%80").status_code == 200


def test_accounts_are_sorted_by_last_sign_in_and_paginated(
    app, client, admin, make_user, monkeypatch
):
    monkeypatch.setattr(admin_views, "ACCOUNTS_PAGE", 2)
    for number in range(3):
        make_user(f"jamais{number}@exemple.fr", name=f"Jamais {number}")
    first = table(admin.get("/admin/comptes").get_data(as_text=True))
    # The admin signed in; the others never did and come after.
    assert "Ada Admin" in first and "Jamais 0" in first and "Jamais 1" not in first
    second_page = admin.get("/admin/comptes?page=2&sort=nom").get_data(as_text=True)
    second = table(second_page)
    assert "Jamais 1" in second and "Jamais 2" in second and "Ada Admin" not in second
    assert "Pages des comptes" in second_page and "page=1&amp;sort=nom" in second_page


# --- one account ------------------------------------------------------------------------


def test_admin_changes_role_and_memberships_and_each_change_is_audited(app, admin, make_user):
    make_user(MEMBER, ctds=("bretagne",), name="Bleuenn Le Gall")
    target = user_id(app, MEMBER)
    page = admin.get(f"/admin/comptes/{target}").get_data(as_text=True)
    assert "Bleuenn Le Gall" in page and "Rôle sur le site" in page
    response = post(admin, f"/admin/comptes/{target}/role", role="curator")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/{target}")
    token = csrf_token_from(admin.get("/admin/comptes").get_data(as_text=True))
    by_htmx = admin.post(
        f"/admin/comptes/{target}/ctd",
        data={"csrf_token": token, "ctd": "corse", "role": "coordinator"},
        headers={"HX-Request": "true"},
    )
    assert by_htmx.status_code == 200
    assert by_htmx.headers["HX-Redirect"] == f"/admin/comptes/{target}"
    post(
        admin,
        f"/admin/comptes/{target}/ctd/{factories_ctd_id(app, 'bretagne')}/role",
        role="coordinator",
    )
    # Corse keeps a coordinator only while it has one: make a second before demoting this one.
    make_user("second@corse.example.org", ctds=("corse",))
    second = user_id(app, "second@corse.example.org")
    post(
        admin,
        f"/admin/comptes/{second}/ctd/{factories_ctd_id(app, 'corse')}/role",
        role="coordinator",
    )
    response = post(admin, f"/admin/comptes/{target}/ctd/{factories_ctd_id(app, 'corse')}/retirer")
    assert response.status_code == 303
    assert account_state(app, MEMBER) == ("curator", True, {"bretagne": "coordinator"})
    with app.app_context():
        about_target = (AuditEvent.target_type == "user") & (AuditEvent.target_id == target)
        events = db.session.scalars(select(AuditEvent).where(about_target)).all()
        assert [event.action for event in events] == [
            "account.role",
            "account.membership_add",
            "account.membership_role",
            "account.membership_remove",
        ]
        assert {event.actor.email for event in events} == {ADMIN}
    log = admin.get("/curation/journal").get_data(as_text=True)
    for label in (
        "Rôle sur le site changé",
        "Compte ajouté à un CTD",
        "Rôle dans un CTD changé",
        "Compte retiré d&#39;un CTD",
    ):
        assert label in log
    assert "Ada Admin" in log and f'href="/admin/comptes/{target}"' in log
    assert "Membre d&#39;un CTD → Équipe veille et relais" in log


def factories_ctd_id(app, slug: str) -> int:
    with app.app_context():
        return factories.ctd(slug).id


def test_deactivation_ends_a_live_session_and_api_tokens_at_once(app, admin, make_user):
    make_user(MEMBER, ctds=("bretagne",))
    member = app.test_client()
    AuthActions(member).login(MEMBER)
    assert member.get("/profil").status_code == 200
    secret = app.test_cli_runner().invoke(args=["create-token", MEMBER]).output.strip()
    bearer = {"Authorization": f"Bearer {secret}"}
    assert member.get("/api/v1/resources", headers=bearer).status_code == 200
    target = user_id(app, MEMBER)

    assert post(admin, f"/admin/comptes/{target}/desactiver").status_code == 303
    response = member.get("/profil")
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]
    assert member.get("/api/v1/resources", headers=bearer).status_code == 401
    assert AuthActions(member).login(MEMBER).status_code == 422
    assert "Désactivés" in admin.get("/admin/comptes").get_data(as_text=True)

    assert post(admin, f"/admin/comptes/{target}/reactiver").status_code == 303
    # The session stays ended; the owner signs in again, and the token works again.
    assert member.get("/profil").status_code == 302
    assert AuthActions(member).login(MEMBER).status_code == 303
    assert member.get("/profil").status_code == 200
    assert member.get("/api/v1/resources", headers=bearer).status_code == 200
    log = admin.get("/curation/journal").get_data(as_text=True)
    assert "Compte désactivé" in log and "Compte réactivé" in log


# --- the rules that keep the site governable ----------------------------------------


def test_the_last_active_admin_cannot_be_demoted_or_deactivated(app, admin, make_user):
    me = user_id(app, ADMIN)
    for path, data in (
        (f"/admin/comptes/{me}/role", {"role": "curator"}),
        (f"/admin/comptes/{me}/desactiver", {}),
    ):
        response = post(admin, path, **data)
        assert response.status_code == 422
        assert "au moins un compte administrateur actif" in response.get_data(as_text=True)
    assert account_state(app, ADMIN) == ("admin", True, {})
    # A deactivated admin does not count; an active one does.
    make_user("ancien@cnig.example.org", role="admin")
    other = user_id(app, "ancien@cnig.example.org")
    assert post(admin, f"/admin/comptes/{other}/desactiver").status_code == 303
    assert post(admin, f"/admin/comptes/{me}/role", role="curator").status_code == 422
    assert post(admin, f"/admin/comptes/{other}/reactiver").status_code == 303
    assert post(admin, f"/admin/comptes/{me}/role", role="curator").status_code == 303
    assert account_state(app, ADMIN)[0] == "curator"


def test_a_ctd_keeps_its_last_coordinator(app, admin, make_user):
    make_user(MEMBER, ctds=("bretagne",))
    make_user("collegue@bretagne.example.org", ctds=("bretagne",))
    target, colleague = user_id(app, MEMBER), user_id(app, "collegue@bretagne.example.org")
    bretagne = factories_ctd_id(app, "bretagne")
    # A CTD that never had a coordinator lets its members go.
    assert post(admin, f"/admin/comptes/{colleague}/ctd/{bretagne}/retirer").status_code == 303
    post(admin, f"/admin/comptes/{target}/ctd/{bretagne}/role", role="coordinator")
    refusals = (
        (f"/admin/comptes/{target}/ctd/{bretagne}/role", {"role": "member"}),
        (f"/admin/comptes/{target}/ctd/{bretagne}/retirer", {}),
        (f"/admin/comptes/{target}/desactiver", {}),
    )
    for path, data in refusals:
        response = post(admin, path, **data)
        assert response.status_code == 422
        assert "doit garder au moins un animateur" in response.get_data(as_text=True)
    assert account_state(app, MEMBER) == ("member", True, {"bretagne": "coordinator"})
    post(admin, f"/admin/comptes/{colleague}/ctd", ctd="bretagne", role="coordinator")
    assert post(admin, f"/admin/comptes/{target}/desactiver").status_code == 303
    assert account_state(app, MEMBER) == ("member", False, {"bretagne": "coordinator"})


# --- bad input --------------------------------------------------------------------------


def test_bad_input_changes_nothing(app, admin, make_user):
    make_user(MEMBER, ctds=("bretagne",))
    target = user_id(app, MEMBER)
    before = account_state(app, MEMBER)
    with app.app_context():
        events = db.session.scalar(select(db.func.count(AuditEvent.id)))
    corse = factories_ctd_id(app, "corse")
    cases = [
        (f"/admin/comptes/{target}/role", {"role": "roi"}, 422, "pas un choix valide"),
        (f"/admin/comptes/{target}/ctd", {"ctd": "atlantide", "role": "member"}, 422, None),
        (f"/admin/comptes/{target}/ctd", {"ctd": "", "role": "member"}, 422, "Choisissez un CTD"),
        (f"/admin/comptes/{target}/ctd", {"ctd": "bretagne", "role": "member"}, 422, "déjà membre"),
        (f"/admin/comptes/{target}/ctd", {"ctd": "corse", "role": "chef"}, 422, None),
        (
            f"/admin/comptes/{target}/ctd/{factories_ctd_id(app, 'bretagne')}/role",
            {"role": "chef"},
            422,
            "Choisissez un rôle",
        ),
        (f"/admin/comptes/{target}/ctd/{corse}/role", {"role": "member"}, 404, None),
        (f"/admin/comptes/{target}/ctd/{corse}/retirer", {}, 404, None),
        ("/admin/comptes/999999/role", {"role": "admin"}, 404, None),
        ("/admin/comptes/999999/desactiver", {}, 404, None),
        ("/admin/comptes/99999999999/desactiver", {}, 404, None),
    ]
    for path, data, status, message in cases:
        response = post(admin, path, **data)
        assert response.status_code == status, (path, data)
        if message:
            assert message in response.get_data(as_text=True), (path, data)
    assert admin.get("/admin/comptes/999999").status_code == 404
    assert account_state(app, MEMBER) == before
    with app.app_context():
        assert db.session.scalar(select(db.func.count(AuditEvent.id))) == events
        assert db.session.scalar(select(db.func.count(Membership.id))) == 1


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("role", {"role": "curator"}),
        ("ctd", {"ctd": "corse", "role": "coordinator"}),
        ("ctd/{bretagne}/role", {"role": "coordinator"}),
        ("ctd/{bretagne}/retirer", {}),
        ("desactiver", {}),
        ("reactiver", {}),
    ],
    ids=["site-role", "add-ctd", "ctd-role", "remove-ctd", "deactivate", "reactivate"],
)
def test_every_account_form_needs_its_csrf_token(app, admin, make_user, action, data):
    make_user(MEMBER, ctds=("bretagne",))
    if action == "reactiver":  # only a closed account has something to reopen
        with app.app_context():
            factories.user(MEMBER).active = False
            db.session.commit()
    target = user_id(app, MEMBER)
    before = account_state(app, MEMBER)
    with app.app_context():
        events = db.session.scalar(select(db.func.count(AuditEvent.id)))
    path = f"/admin/comptes/{target}/" + action.format(bretagne=factories_ctd_id(app, "bretagne"))
    response = admin.post(path, data=data)
    assert response.status_code == 400
    assert "Le formulaire a expiré" in response.get_data(as_text=True)
    assert account_state(app, MEMBER) == before
    with app.app_context():
        assert db.session.scalar(select(db.func.count(AuditEvent.id))) == events


# --- in the browser ---------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 375])
def test_admin_finds_an_account_and_makes_it_coordinator_in_the_browser(
    browser, live_server, app, make_user, width
):
    """Both pages pass axe-core at a desktop and a phone width, and fit the phone."""
    from playwright.sync_api import expect

    from tests.test_journeys import assert_accessible

    make_user(ADMIN, role="admin", name="Ada Admin")
    make_user(MEMBER, ctds=("bretagne",), name="Bleuenn Le Gall")
    page = browser.new_page(viewport={"width": width, "height": 900}, locale="fr-FR")
    page.goto(live_server + "/connexion")
    page.get_by_label("Adresse électronique").fill(ADMIN)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Se connecter").click()
    page.goto(live_server + "/admin/comptes")
    page.get_by_label("Nom ou adresse électronique").fill("bleuenn")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_text("1 compte.")).to_be_visible()
    assert_accessible(page)
    page.locator("table").get_by_role("link", name="Bleuenn Le Gall").click()
    page.wait_for_url(re.compile(r".*/admin/comptes/[0-9]+$"))
    page.locator("#nouveau-ctd").select_option("corse")
    page.locator("#nouveau-ctd-role").select_option("coordinator")
    page.get_by_role("button", name="Ajouter").click()
    expect(page.get_by_text("est mis à jour")).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.context.close()
    assert membership_roles(app, MEMBER) == {"bretagne": "member", "corse": "coordinator"}


def test_two_admins_demoting_each_other_at_once_leave_one(app, make_user, database_url):
    """PostgreSQL: the admins' rows are locked while the rule is checked, so exactly one
    of two crossed demotions passes. (SQLite is for development: one writer at a time.)"""
    if not database_url.startswith("postgresql"):
        pytest.skip("row locks are PostgreSQL's")
    from tests.test_concurrent_edits import race

    first_email, second_email = "un@cnig.example.org", "deux@cnig.example.org"
    make_user(first_email, role="admin")
    make_user(second_email, role="admin")
    clients = [app.test_client(), app.test_client()]
    for client, email in zip(clients, (first_email, second_email), strict=True):
        AuthActions(client).login(email)
    for _ in range(3):
        ids = [user_id(app, second_email), user_id(app, first_email)]
        tokens = [csrf_token_from(c.get("/admin/comptes").get_data(as_text=True)) for c in clients]
        answers = race(
            *(
                lambda c=c, target=target, token=token: c.post(
                    f"/admin/comptes/{target}/role", data={"csrf_token": token, "role": "curator"}
                )
                for c, target, token in zip(clients, ids, tokens, strict=True)
            )
        )
        # The loser is refused by the rule (422), or, had the winner already committed,
        # is no longer an admin when its request comes in (403).
        codes = sorted(answer.status_code for answer in answers)
        assert codes[0] == 303 and codes[1] in (403, 422), codes
        roles = {account_state(app, email)[0] for email in (first_email, second_email)}
        assert roles == {"admin", "curator"}
        with app.app_context():  # both admins again for the next round
            for email in (first_email, second_email):
                factories.user(email).role = "admin"
            db.session.commit()
