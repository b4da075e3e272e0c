"""Invitations (issue 16 §2): a CTD's coordinators invite into it, admins into any
CTD or to a site role; the email (received on a real SMTP server on loopback)
carries a signed, single-use link that only the invited address's account can
accept; pending invitations are sent again or revoked; each sender is limited,
counted across workers (the database, or Redis when configured)."""

from __future__ import annotations

import re
import time
from email.message import Message
from urllib.parse import parse_qs, urlsplit

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import func, select

from cnig_share.extensions import db
from cnig_share.models import AuditEvent, Invitation, InvitationSending, Membership, User
from tests import factories
from tests.conftest import PASSWORD, REDIS_URL, AuthActions, csrf_token_from
from tests.mailbox import background_mail_sent
from tests.proconnect import Agent, register_client

COORDINATOR = "anne@bretagne.example.org"
ADMIN = "ada@cnig.example.org"
CURATOR = "camille@cnig.example.org"
MEMBER = "bleuenn@bretagne.example.org"
INVITEE = "nouvelle@mairie.example.fr"
NEW_PASSWORD = "une phrase de passe solide"
BRETAGNE = "/ctd/bretagne/membres/invitations"
ADMIN_PAGE = "/admin/comptes/invitations"


@pytest.fixture
def app(mailing_app):
    return mailing_app


@pytest.fixture
def coordinator(app, make_user) -> str:
    return make_coordinator(app, make_user, COORDINATOR, "bretagne", "Anne Animatrice")


@pytest.fixture
def as_coordinator(client, auth, coordinator):
    auth.login(coordinator)
    return client


def make_coordinator(app, make_user, email: str, ctd: str, name: str = "") -> str:
    make_user(email, ctds=(ctd,), name=name)
    with app.app_context():
        factories.user(email).memberships[0].role = "coordinator"
        db.session.commit()
    return email


def post_form(client, page: str, action: str, **data):
    """A form posted with the CSRF token of the page that showed it."""
    token = csrf_token_from(client.get(page).get_data(as_text=True))
    return client.post(action, data={"csrf_token": token, **data})


def invite(client, *addresses: str, role="member", message="", page=BRETAGNE, **extra):
    return post_form(
        client, page, page, addresses="\n".join(addresses), role=role, message=message, **extra
    )


def link_in(message: Message) -> str:
    found = re.search(r"https://partage\.example(/invitation/\S+)", message.get_content())
    assert found, message.get_content()
    return found.group(1)


def invited(client, inbox, *addresses: str, **kwargs) -> list[str]:
    """Invite and return the links received, in the order of the addresses."""
    response = invite(client, *addresses, **kwargs)
    assert response.status_code == 303, response.get_data(as_text=True)
    received = {message["To"]: link_in(message) for message in inbox[0].wait_for(len(addresses))}
    return [received[address] for address in addresses]


def invitations(app) -> list[tuple[str, str | None, bool, bool]]:
    """(email, CTD slug, accepted, revoked) of every invitation."""
    with app.app_context():
        rows = db.session.scalars(select(Invitation).order_by(Invitation.id))
        return [
            (i.email, i.ctd.slug if i.ctd else None, bool(i.accepted_at), bool(i.revoked_at))
            for i in rows
        ]


def invitation_id(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Invitation.id).where(Invitation.email == email))


def account(app, email: str) -> tuple[str, dict[str, str]] | None:
    """The site role and the CTD roles of an account, or None."""
    with app.app_context():
        user = factories.user(email)
        if user is None:
            return None
        return user.role, {m.ctd.slug: m.role for m in user.memberships}


def actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def counts(app) -> tuple[int, int, int, int]:
    """Invitations, emails counted, accounts, memberships."""
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count(column)))
            for column in (Invitation.id, InvitationSending.id, User.id, Membership.id)
        )


def join(client, link: str, name="Nora Nouvelle", password=NEW_PASSWORD, confirm=None):
    page = client.get(link)
    assert page.status_code == 200, page.get_data(as_text=True)
    token = csrf_token_from(page.get_data(as_text=True))
    data = {"name": name, "password": password, "confirm": confirm or password}
    return client.post(link, data={"csrf_token": token, **data})


def accept(client, link: str):
    """Press the invitation page's button."""
    token = csrf_token_from(client.get(link).get_data(as_text=True))
    return client.post(link, data={"csrf_token": token})


# --- inviting -----------------------------------------------------------------------------


def test_a_coordinator_invites_and_each_address_receives_its_link(app, as_coordinator, inbox):
    message = "Bonjour, voir la doc sur geo.exemple.fr et écrire à contact@exemple.fr.\nÀ bientôt"
    response = invite(as_coordinator, INVITEE, " Autre@Mairie.example.fr ", message=message)
    assert response.status_code == 303
    assert response.headers["Location"] == BRETAGNE
    messages = {m["To"]: m for m in inbox[0].wait_for(2)}
    assert set(messages) == {INVITEE, "autre@mairie.example.fr"}
    body = messages[INVITEE].get_content()
    assert messages[INVITEE]["Subject"] == "Invitation à rejoindre le CTD Bretagne sur CNIG Partage"
    assert "Anne Animatrice vous invite" in body and "comme membre" in body
    # The inviter's words are quoted under their name, with no domain left clickable.
    assert "Message de Anne Animatrice (texte libre, non vérifié par le CNIG)" in body
    assert "> Bonjour, voir la doc sur geo[.]exemple[.]fr et écrire à contact@exemple[.]fr." in body
    assert "geo.exemple.fr" not in body and "> À bientôt" in body
    assert "dans les 14 jours" in body and "ne sert qu'une fois" in body
    assert link_in(messages[INVITEE]) != link_in(messages["autre@mairie.example.fr"])
    page = as_coordinator.get(BRETAGNE).get_data(as_text=True)
    assert "2 invitations envoyées." in page
    assert INVITEE in page and "autre@mairie.example.fr" in page and "Anne Animatrice" in page
    assert invitations(app) == [
        (INVITEE, "bretagne", False, False),
        ("autre@mairie.example.fr", "bretagne", False, False),
    ]
    assert actions(app).count("invitation.create") == 2


def test_the_invitations_page_leads_back_to_the_members_page(as_coordinator):
    page = as_coordinator.get(BRETAGNE).get_data(as_text=True)
    assert 'href="/ctd/bretagne/membres"' in page and "Invitations au CTD Bretagne" in page
    assert 'name="next" value="/ctd/bretagne/membres/invitations"' in page


def test_a_form_sent_from_another_page_of_ours_returns_there(as_coordinator, inbox):
    response = invite(as_coordinator, INVITEE, next="/ctd/bretagne/membres")
    assert response.status_code == 303 and response.headers["Location"] == "/ctd/bretagne/membres"
    inbox[0].wait_for(1)
    response = invite(as_coordinator, "autre@mairie.example.fr", next="https://ailleurs.example")
    assert response.headers["Location"] == BRETAGNE  # never off the site
    inbox[0].wait_for(1)


def test_a_coordinator_invites_a_coordinator(app, as_coordinator, inbox):
    [link] = invited(as_coordinator, inbox, INVITEE, role="coordinator")
    assert join(as_coordinator.application.test_client(), link).status_code == 303
    assert account(app, INVITEE) == ("member", {"bretagne": "coordinator"})


def test_an_address_already_member_is_refused_and_nothing_is_created(
    app, as_coordinator, inbox, make_user
):
    make_user(MEMBER, ctds=("bretagne",))
    before = counts(app)
    response = invite(as_coordinator, INVITEE, MEMBER.upper())
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert f"{MEMBER} est déjà membre du CTD Bretagne" in text
    assert "Aucune invitation n&#39;a été envoyée" in text
    assert counts(app) == before and invitations(app) == []
    background_mail_sent()
    assert inbox[0].take() == []
    # A member of another CTD can be invited into this one.
    make_user("paoli@corse.example.org", ctds=("corse",))
    assert invite(as_coordinator, "paoli@corse.example.org").status_code == 303
    inbox[0].wait_for(1)


def test_a_second_invitation_while_one_is_pending_is_refused(app, as_coordinator, inbox):
    invited(as_coordinator, inbox, INVITEE)
    response = invite(as_coordinator, INVITEE)
    assert response.status_code == 422
    assert "Une invitation est déjà en attente pour" in response.get_data(as_text=True)
    assert len(invitations(app)) == 1


@pytest.mark.parametrize(
    ("addresses", "message"),
    [
        ("pas-une-adresse\nnora@mairie.example.fr", "ne sont pas valides : pas-une-adresse"),
        ("  \n ", "Saisissez au moins une adresse électronique."),
        ("\n".join(f"p{n}@mairie.example.fr" for n in range(51)), "50 adresses au plus à la fois."),
        ("x" * 20_000 + "@mairie.example.fr", "La liste d&#39;adresses est trop longue."),
    ],
)  # fmt: skip
def test_bad_address_lists_are_refused(app, as_coordinator, addresses, message):
    response = post_form(as_coordinator, BRETAGNE, BRETAGNE, addresses=addresses, role="member")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert invitations(app) == []


def test_addresses_may_be_separated_by_lines_commas_or_semicolons(app, as_coordinator, inbox):
    text = "a@mairie.example.fr, b@mairie.example.fr;\r\nc@mairie.example.fr\na@mairie.example.fr"
    response = post_form(as_coordinator, BRETAGNE, BRETAGNE, addresses=text, role="member")
    assert response.status_code == 303
    inbox[0].wait_for(3)
    assert [row[0] for row in invitations(app)] == [f"{x}@mairie.example.fr" for x in "abc"]


@pytest.mark.parametrize(
    ("message", "refusal"),
    [
        ("x" * 501, "Le message ne doit pas dépasser 500 caractères."),
        ("Voir https://piege.example/login", "Le message ne peut pas contenir de lien"),
        ("Voir www.piege.example", "Le message ne peut pas contenir de lien"),
        ("Écrire à mailto:x@piege.example", "Le message ne peut pas contenir de lien"),
    ],
)
def test_the_inviters_message_is_short_plain_text_without_links(
    app, as_coordinator, message, refusal
):
    response = invite(as_coordinator, INVITEE, message=message)
    assert response.status_code == 422
    assert refusal in response.get_data(as_text=True)
    assert invitations(app) == []


def test_a_message_of_500_characters_is_accepted(app, as_coordinator, inbox):
    assert invite(as_coordinator, INVITEE, message="é" * 500).status_code == 303
    assert "é" * 60 in inbox[0].wait_for(1)[0].get_content()


def test_an_unknown_role_is_refused(app, as_coordinator):
    assert invite(as_coordinator, INVITEE, role="admin").status_code == 422
    assert invitations(app) == []


# --- who may invite -----------------------------------------------------------------------


# role → (site role, CTD memberships); what each may open, written out.
PEOPLE = {
    "member": ("member", {"bretagne": "member"}),
    "corse coordinator": ("member", {"corse": "coordinator"}),
    "bretagne coordinator": ("member", {"bretagne": "coordinator", "corse": "member"}),
    "curator": ("curator", {}),
    "admin": ("admin", {}),
}
OPENS = {  # (Bretagne's invitations, the admins' invitations)
    "member": (403, 403),
    "corse coordinator": (403, 403),
    "bretagne coordinator": (200, 403),
    "curator": (200, 403),
    "admin": (200, 200),
}


@pytest.mark.parametrize("person", sorted(PEOPLE))
def test_who_opens_which_invitations_page(app, client, auth, make_user, person):
    site_role, ctds = PEOPLE[person]
    make_user("personne@exemple.fr", role=site_role, ctds=tuple(ctds))
    with app.app_context():
        for membership in factories.user("personne@exemple.fr").memberships:
            membership.role = ctds[membership.ctd.slug]
        db.session.commit()
    auth.login("personne@exemple.fr")
    assert (client.get(BRETAGNE).status_code, client.get(ADMIN_PAGE).status_code) == OPENS[person]
    home = client.get("/").get_data(as_text=True)
    assert ("/admin/comptes" in home) == (person == "admin")


def test_visitors_are_sent_to_sign_in(app, client):
    for path in (BRETAGNE, ADMIN_PAGE):
        response = client.get(path)
        assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def test_a_plain_member_cannot_call_the_coordinators_routes(
    app, client, auth, as_coordinator, inbox, make_user
):
    invited(as_coordinator, inbox, INVITEE)
    target = invitation_id(app, INVITEE)
    auth.logout()
    make_user(MEMBER, ctds=("bretagne",))
    auth.login(MEMBER)
    assert client.get(BRETAGNE).status_code == 403
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    for path, data in (
        (BRETAGNE, {"addresses": "x@mairie.example.fr", "role": "member"}),
        (f"{BRETAGNE}/{target}/renvoyer", {}),
        (f"{BRETAGNE}/{target}/revoquer", {}),
    ):
        response = client.post(path, data={"csrf_token": token, **data})
        assert response.status_code == 403, path
        assert "Seuls les animateurs et animatrices du CTD" in response.get_data(as_text=True)
    assert invitations(app) == [(INVITEE, "bretagne", False, False)]
    assert actions(app) == ["invitation.create"]


def test_another_ctds_coordinator_cannot_manage_this_one(
    app, client, auth, as_coordinator, inbox, make_user
):
    invited(as_coordinator, inbox, INVITEE)
    target = invitation_id(app, INVITEE)
    auth.logout()
    make_coordinator(app, make_user, "paoli@corse.example.org", "corse")
    auth.login("paoli@corse.example.org")
    assert client.get(BRETAGNE).status_code == 403
    assert client.get("/ctd/corse/membres/invitations").status_code == 200
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    for path in (BRETAGNE, f"{BRETAGNE}/{target}/renvoyer", f"{BRETAGNE}/{target}/revoquer"):
        data = {"csrf_token": token, "addresses": "x@y.fr", "role": "member"}
        assert client.post(path, data=data).status_code == 403
    # Through their own CTD's address, another CTD's invitation does not exist.
    for action in ("renvoyer", "revoquer"):
        path = f"/ctd/corse/membres/invitations/{target}/{action}"
        assert client.post(path, data={"csrf_token": token}).status_code == 404
    assert client.get(ADMIN_PAGE).status_code == 403
    assert invitations(app) == [(INVITEE, "bretagne", False, False)]


@pytest.mark.parametrize("role", ["curator", "admin"])
def test_curators_and_admins_manage_any_ctds_invitations(app, client, auth, make_user, inbox, role):
    make_user(CURATOR, role=role, name="Camille Veille")
    auth.login(CURATOR)
    assert client.get("/ctd/corse/membres/invitations").status_code == 200
    invited(client, inbox, INVITEE, page="/ctd/corse/membres/invitations")
    assert invitations(app) == [(INVITEE, "corse", False, False)]


def test_an_unknown_ctd_or_invitation_is_a_404(app, as_coordinator):
    assert as_coordinator.get("/ctd/nulle-part/membres/invitations").status_code == 404
    token = csrf_token_from(as_coordinator.get(BRETAGNE).get_data(as_text=True))
    for path in (f"{BRETAGNE}/999999/renvoyer", f"{BRETAGNE}/99999999999/revoquer"):
        assert as_coordinator.post(path, data={"csrf_token": token}).status_code == 404


def test_every_form_needs_its_csrf_token(app, client, auth, make_user, inbox):
    make_user(ADMIN, role="admin")
    auth.login(ADMIN)
    [link] = invited(client, inbox, INVITEE)
    target = invitation_id(app, INVITEE)
    before, events = counts(app), actions(app)
    for path, data in (
        (BRETAGNE, {"addresses": "x@mairie.example.fr", "role": "member"}),
        (f"{BRETAGNE}/{target}/renvoyer", {}),
        (f"{BRETAGNE}/{target}/revoquer", {}),
        (
            ADMIN_PAGE,
            {"addresses": "x@mairie.example.fr", "site_role": "curator", "role": "member"},
        ),
        (f"{ADMIN_PAGE}/{target}/renvoyer", {}),
        (f"{ADMIN_PAGE}/{target}/revoquer", {}),
    ):
        response = client.post(path, data=data)
        assert response.status_code == 400, path
        assert "Le formulaire a expiré" in response.get_data(as_text=True)
    auth.logout()
    visitor = app.test_client()
    data = {"name": "Nora", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert visitor.post(link, data=data).status_code == 400  # choosing a password
    assert counts(app) == before and actions(app) == events
    assert invitations(app) == [(INVITEE, "bretagne", False, False)]
    # The invited address's own account, signed in, presses "Accepter l'invitation".
    make_user(INVITEE)
    invitee = app.test_client()
    AuthActions(invitee).login(INVITEE)
    assert "Accepter l'invitation" in invitee.get(link).get_data(as_text=True)
    response = invitee.post(link)
    assert response.status_code == 400
    assert "Le formulaire a expiré" in response.get_data(as_text=True)
    assert account(app, INVITEE) == ("member", {})
    assert invitations(app) == [(INVITEE, "bretagne", False, False)]
    assert actions(app) == events


# --- the link -----------------------------------------------------------------------------


def test_a_newcomer_chooses_a_password_and_joins_the_ctd(app, as_coordinator, inbox):
    [link] = invited(as_coordinator, inbox, INVITEE)
    visitor = app.test_client()
    page = visitor.get(link)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Anne Animatrice invite" in text and INVITEE in text
    assert "Créez votre compte pour accepter" in text and "ProConnect" not in text
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert page.headers["Cache-Control"] == "no-store"
    assert account(app, INVITEE) is None  # opening the link changed nothing
    response = join(visitor, link)
    assert response.status_code == 303 and response.headers["Location"] == "/ctd/bretagne"
    assert account(app, INVITEE) == ("member", {"bretagne": "member"})
    assert "Bienvenue dans le CTD Bretagne" in visitor.get("/ctd/bretagne").get_data(as_text=True)
    assert visitor.get("/profil").status_code == 200  # signed in
    with app.app_context():
        user = factories.user(INVITEE)
        assert user.name == "Nora Nouvelle" and user.has_password and user.last_login_at
    assert AuthActions(app.test_client()).login(INVITEE, NEW_PASSWORD).status_code == 303
    assert invitations(app) == [(INVITEE, "bretagne", True, False)]
    assert actions(app)[-1] == "invitation.accept"
    # Single use: the link now says it was accepted.
    again = app.test_client().get(link)
    assert again.status_code == 410
    assert "Cette invitation a déjà été acceptée" in again.get_data(as_text=True)


@pytest.mark.parametrize(
    ("name", "password", "confirm", "message"),
    [
        ("", NEW_PASSWORD, None, "Saisissez votre nom."),
        ("Nora", "court", None, "au moins 10 caractères"),
        ("Nora", NEW_PASSWORD, "une autre phrase de passe", "ne sont pas identiques."),
        ("N" * 201, NEW_PASSWORD, None, "Le nom compte au plus 200 caractères."),
    ],
)  # fmt: skip
def test_a_bad_new_account_form_creates_nothing(
    app, as_coordinator, inbox, name, password, confirm, message
):
    [link] = invited(as_coordinator, inbox, INVITEE)
    response = join(app.test_client(), link, name, password, confirm)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert account(app, INVITEE) is None
    assert invitations(app) == [(INVITEE, "bretagne", False, False)]


def test_an_existing_account_signs_in_then_accepts_and_no_role_is_lowered(
    app, as_coordinator, inbox, make_user
):
    make_user(CURATOR, role="curator", ctds=("corse",))
    [link] = invited(as_coordinator, inbox, CURATOR, role="coordinator")
    visitor = app.test_client()
    text = visitor.get(link).get_data(as_text=True)
    assert "Un compte existe déjà" in text and "Créez votre compte" not in text
    login = f"/connexion?next={link}"
    assert f'href="{login}"' in text
    # Pressing accept without signing in leads to the sign-in, and back.
    pressed = accept(visitor, link)
    assert pressed.status_code == 303 and pressed.headers["Location"] == login
    assert account(app, CURATOR) == ("curator", {"corse": "member"})
    signed_in = AuthActions(visitor).login(CURATOR, next=link)
    assert signed_in.headers["Location"] == link
    page = visitor.get(link)
    assert page.status_code == 200 and "Accepter l'invitation" in page.get_data(as_text=True)
    assert account(app, CURATOR) == ("curator", {"corse": "member"})  # a GET changes nothing
    response = accept(visitor, link)
    assert response.status_code == 303 and response.headers["Location"] == "/ctd/bretagne"
    assert account(app, CURATOR) == ("curator", {"corse": "member", "bretagne": "coordinator"})


def test_a_membership_gained_meanwhile_is_raised_never_lowered(
    app, as_coordinator, inbox, make_user
):
    [as_coord] = invited(as_coordinator, inbox, INVITEE, role="coordinator")
    [as_member] = invited(as_coordinator, inbox, MEMBER, role="member")
    for email in (INVITEE, MEMBER):
        make_user(email)
    with app.app_context():  # both joined otherwise meanwhile, in other roles
        invitee, member = factories.user(INVITEE), factories.user(MEMBER)
        invitee.memberships.append(Membership(ctd=factories.ctd("bretagne")))
        member.memberships.append(Membership(ctd=factories.ctd("bretagne"), role="coordinator"))
        db.session.commit()
    for email, link in ((INVITEE, as_coord), (MEMBER, as_member)):
        person = app.test_client()
        AuthActions(person).login(email)
        assert accept(person, link).status_code == 303
    assert account(app, INVITEE) == ("member", {"bretagne": "coordinator"})
    assert account(app, MEMBER) == ("member", {"bretagne": "coordinator"})


def test_a_forwarded_link_cannot_be_accepted_by_another_account(
    app, as_coordinator, inbox, make_user
):
    [link] = invited(as_coordinator, inbox, INVITEE)
    make_user("collegue@mairie.example.fr", ctds=("corse",))
    other = app.test_client()
    AuthActions(other).login("collegue@mairie.example.fr")
    page = other.get(link)
    assert page.status_code == 403
    text = page.get_data(as_text=True)
    assert "Cette invitation n'est pas pour ce compte" in text and "Se déconnecter" in text
    assert accept(other, link).status_code == 403
    # Nor by choosing a password while signed in as someone else.
    token = csrf_token_from(text)
    data = {"csrf_token": token, "name": "X", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert other.post(link, data=data).status_code == 403
    assert account(app, "collegue@mairie.example.fr") == ("member", {"corse": "member"})
    assert account(app, INVITEE) is None
    assert invitations(app) == [(INVITEE, "bretagne", False, False)]
    assert "invitation.accept" not in actions(app)


def test_a_deactivated_account_cannot_accept(app, as_coordinator, inbox, make_user):
    make_user(INVITEE)
    [link] = invited(as_coordinator, inbox, INVITEE)
    with app.app_context():
        factories.user(INVITEE).active = False
        db.session.commit()
    visitor = app.test_client()
    page = visitor.get(link)
    assert page.status_code == 403 and "est désactivé" in page.get_data(as_text=True)
    assert accept(visitor, link).status_code == 403
    assert account(app, INVITEE) == ("member", {})


@pytest.mark.parametrize(
    "token",
    [
        "nimportequoi",
        "",  # the route needs a token: /invitation/ alone is not found
        "eyJ4Ijox.fauxfaux.fauxfauxfaux",
        "A" * 5000,
    ],
)
def test_a_forged_link_is_a_french_404(app, client, token):
    response = client.get(f"/invitation/{token}")
    assert response.status_code == 404
    if token:
        assert "Ce lien d&#39;invitation n&#39;est pas valide" in response.get_data(as_text=True)


def test_a_tampered_or_foreign_link_is_a_404_and_changes_nothing(app, as_coordinator, inbox):
    [link] = invited(as_coordinator, inbox, INVITEE)
    token = link.removeprefix("/invitation/")
    with app.app_context():
        secret, real_id = app.secret_key, invitation_id(app, INVITEE)
    tampered = token[:-3] + ("AAA" if token[-3:] != "AAA" else "BBB")
    foreign = URLSafeTimedSerializer("une autre clé", salt="invitation").dumps([real_id, 1])
    wrong_salt = URLSafeTimedSerializer(secret, salt="password-reset").dumps([real_id, 1])
    ours = URLSafeTimedSerializer(secret, salt="invitation")
    malformed = [
        ours.dumps("x"),
        ours.dumps([real_id]),
        ours.dumps([True, 1]),
        ours.dumps([2**40, 1]),
    ]
    missing = ours.dumps([999999, 1])
    visitor = app.test_client()
    for bad in (tampered, foreign, wrong_salt, *malformed, missing):
        response = visitor.get(f"/invitation/{bad}")
        assert response.status_code == 404, bad
        assert "n&#39;est pas valide" in response.get_data(as_text=True)
        token_field = csrf_token_from(response.get_data(as_text=True))
        assert join_post(visitor, f"/invitation/{bad}", token_field) == 404
    assert account(app, INVITEE) is None
    assert invitations(app) == [(INVITEE, "bretagne", False, False)]


def test_an_expired_link_says_so_and_sending_again_gives_a_fresh_one(
    app, as_coordinator, inbox, monkeypatch
):
    [link] = invited(as_coordinator, inbox, INVITEE)
    now = int(time.time())
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: now + 14 * 86400 - 60)
    assert app.test_client().get(link).status_code == 200
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: now + 14 * 86400 + 60)
    visitor = app.test_client()
    response = visitor.get(link)
    assert response.status_code == 410
    assert "Cette invitation a expiré" in response.get_data(as_text=True)
    assert "14 jours" in response.get_data(as_text=True)
    assert join_post(visitor, link, csrf_token_from(response.get_data(as_text=True))) == 410
    assert account(app, INVITEE) is None
    monkeypatch.undo()
    with app.app_context():  # the list tells which links are out of date
        db.session.get(Invitation, invitation_id(app, INVITEE)).sent_at -= _days(15)
        db.session.commit()
    assert "Lien expiré" in as_coordinator.get(BRETAGNE).get_data(as_text=True)
    target = invitation_id(app, INVITEE)
    assert post_form(as_coordinator, BRETAGNE, f"{BRETAGNE}/{target}/renvoyer").status_code == 303
    [message] = inbox[0].wait_for(1)
    assert "Lien expiré" not in as_coordinator.get(BRETAGNE).get_data(as_text=True)
    assert join(app.test_client(), link_in(message)).status_code == 303
    assert account(app, INVITEE) == ("member", {"bretagne": "member"})


def join_post(client, link: str, token: str) -> int:
    data = {"csrf_token": token, "name": "X", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    return client.post(link, data=data).status_code


def _days(count: int):
    from datetime import timedelta

    return timedelta(days=count)


def test_a_link_sent_again_replaces_the_previous_one(app, as_coordinator, inbox):
    [first] = invited(as_coordinator, inbox, INVITEE)
    target = invitation_id(app, INVITEE)
    response = post_form(as_coordinator, BRETAGNE, f"{BRETAGNE}/{target}/renvoyer", next=BRETAGNE)
    assert response.status_code == 303 and response.headers["Location"] == BRETAGNE
    [message] = inbox[0].wait_for(1)
    second = link_in(message)
    assert second != first
    old = app.test_client().get(first)
    assert old.status_code == 410
    assert "seul le lien du message le plus récent fonctionne" in old.get_data(as_text=True)
    assert app.test_client().get(second).status_code == 200
    assert actions(app) == ["invitation.create", "invitation.resend"]


def test_a_revoked_link_says_so(app, as_coordinator, inbox):
    [link] = invited(as_coordinator, inbox, INVITEE)
    target = invitation_id(app, INVITEE)
    assert post_form(as_coordinator, BRETAGNE, f"{BRETAGNE}/{target}/revoquer").status_code == 303
    assert f"<td>{INVITEE}" not in as_coordinator.get(BRETAGNE).get_data(as_text=True)
    visitor = app.test_client()
    response = visitor.get(link)
    assert response.status_code == 410
    assert "Cette invitation a été révoquée" in response.get_data(as_text=True)
    assert join_post(visitor, link, csrf_token_from(response.get_data(as_text=True))) == 410
    assert account(app, INVITEE) is None
    # Neither revoked twice nor sent again: the rule is said, nothing changes.
    for action in ("revoquer", "renvoyer"):
        again = post_form(as_coordinator, BRETAGNE, f"{BRETAGNE}/{target}/{action}")
        assert again.status_code == 422
        assert "n&#39;est plus en attente" in again.get_data(as_text=True)
    assert actions(app) == ["invitation.create", "invitation.revoke"]
    background_mail_sent()
    assert inbox[0].take() == []


def test_a_proconnect_button_is_offered_when_proconnect_is_configured(
    app, make_app, as_coordinator, inbox
):
    [link] = invited(as_coordinator, inbox, INVITEE)
    assert "ProConnect" not in app.test_client().get(link).get_data(as_text=True)
    # Another worker of the same site, with ProConnect configured.
    configured = make_app(
        PROCONNECT_DISCOVERY_URL="https://proconnect.example/.well-known/openid-configuration",
        PROCONNECT_CLIENT_ID="cnig-partage",
        PROCONNECT_CLIENT_SECRET="secret",
    )
    text = configured.test_client().get(link).get_data(as_text=True)
    start = "/connexion/proconnect?next=" + link
    assert f'href="{start}"' in text and "fr-connect--pro" in text
    assert "Qu'est-ce que ProConnect ?" in text
    assert "<h3>Choisir un mot de passe</h3>" in text


# --- accepted through ProConnect (the loopback provider, tests/oidc/provider.mjs) ---------

PUBLIC_URL = "https://partage.example"  # the mailing app's, which links and redirects use


@pytest.fixture
def with_proconnect(app, oidc_issuer):
    """The app registered at the loopback provider under its public address."""
    app.config.update(register_client(oidc_issuer, PUBLIC_URL))
    return app


def proconnect_start(client, link: str) -> str:
    """The invitation page's ProConnect button: where it leads."""
    page = client.get(link).get_data(as_text=True)
    start = "/connexion/proconnect?next=" + link
    assert f'href="{start}"' in page, page
    return start


def test_a_newcomer_signs_in_with_proconnect_from_the_link_and_accepts(
    app, with_proconnect, as_coordinator, inbox
):
    [link] = invited(as_coordinator, inbox, INVITEE, message="Bienvenue parmi nous.")
    newcomer = Agent(app.test_client(), PUBLIC_URL)
    back = newcomer.sign_in(proconnect_start(newcomer.client, link), email=INVITEE)
    # The account ProConnect opened comes back to the invitation, not yet a member.
    assert back.status_code == 303 and back.headers["Location"] == link
    assert account(app, INVITEE) == ("member", {})
    page = newcomer.client.get(link)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and f"connecté·e avec le compte {INVITEE}" in text
    assert "Accepter l'invitation" in text and "Bienvenue parmi nous." in text
    response = accept(newcomer.client, link)
    assert response.status_code == 303 and response.headers["Location"] == "/ctd/bretagne"
    assert account(app, INVITEE) == ("member", {"bretagne": "member"})
    with app.app_context():
        user = factories.user(INVITEE)
        assert (user.name, user.has_password, len(user.identities)) == ("Camille Martin", False, 1)
    assert invitations(app) == [(INVITEE, "bretagne", True, False)]
    assert actions(app) == ["invitation.create", "account.proconnect_create", "invitation.accept"]
    members = as_coordinator.get("/ctd/bretagne/membres").get_data(as_text=True)
    assert f"<td>{INVITEE}</td>" in members and "Aucune invitation en attente." in members
    assert newcomer.client.get(link).status_code == 410  # spent


def test_a_proconnect_identity_with_another_address_cannot_accept(
    app, with_proconnect, as_coordinator, inbox
):
    [link] = invited(as_coordinator, inbox, INVITEE)
    other = Agent(app.test_client(), PUBLIC_URL)
    back = other.sign_in(proconnect_start(other.client, link), email="collegue@mairie.example.fr")
    assert back.headers["Location"] == link
    page = other.client.get(link)
    assert page.status_code == 403
    assert "Cette invitation n'est pas pour ce compte" in page.get_data(as_text=True)
    assert accept(other.client, link).status_code == 403
    # Its own account stays without a CTD; the invitation waits for its address.
    assert account(app, "collegue@mairie.example.fr") == ("member", {})
    assert account(app, INVITEE) is None
    assert invitations(app) == [(INVITEE, "bretagne", False, False)]


def test_an_account_with_a_password_types_it_once_through_proconnect_then_accepts(
    app, with_proconnect, as_coordinator, inbox, make_user
):
    make_user(INVITEE, ctds=("corse",))
    [link] = invited(as_coordinator, inbox, INVITEE)
    person = Agent(app.test_client(), PUBLIC_URL)
    text = person.client.get(link).get_data(as_text=True)
    assert "Un compte existe déjà" in text
    back = person.sign_in(proconnect_start(person.client, link), email=INVITEE)
    assert back.headers["Location"] == "/connexion/proconnect/mot-de-passe"
    confirm = "/connexion/proconnect/mot-de-passe"
    linked = post_form(person.client, confirm, confirm, password=PASSWORD)
    assert linked.status_code == 303 and linked.headers["Location"] == link
    assert accept(person.client, link).headers["Location"] == "/ctd/bretagne"
    assert account(app, INVITEE) == ("member", {"corse": "member", "bretagne": "member"})
    assert actions(app) == ["invitation.create", "account.proconnect_link", "invitation.accept"]


def test_a_sign_in_refused_by_proconnect_leads_back_to_the_invitation(
    app, with_proconnect, as_coordinator, inbox
):
    [link] = invited(as_coordinator, inbox, INVITEE)
    newcomer = Agent(app.test_client(), PUBLIC_URL)
    authorization = newcomer.start(proconnect_start(newcomer.client, link))
    state = parse_qs(urlsplit(authorization).query)["state"][0]
    # The person cancels at ProConnect, which sends them back with an error.
    page = newcomer.client.get(f"/connexion/proconnect/retour?error=access_denied&state={state}")
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert "ProConnect a refusé la connexion." in text
    assert f'href="/connexion?next={link}"' in text  # the way back keeps the invitation
    assert account(app, INVITEE) is None
    assert invitations(app) == [(INVITEE, "bretagne", False, False)]


def test_a_curator_refused_by_proconnect_signs_in_with_the_password_and_accepts(
    app, with_proconnect, as_coordinator, inbox, make_user
):
    """Staff accounts are never linked on the way: the page says so and its way back
    (the sign-in page) returns to the invitation."""
    make_user(CURATOR, role="curator")
    [link] = invited(as_coordinator, inbox, CURATOR)
    curator = Agent(app.test_client(), PUBLIC_URL)
    refused = curator.sign_in(proconnect_start(curator.client, link), email=CURATOR)
    assert refused.status_code == 403
    text = refused.get_data(as_text=True)
    assert "il n&#39;est jamais relié à ProConnect automatiquement" in text
    sign_in_page = f"/connexion?next={link}"
    assert f'href="{sign_in_page}"' in text
    signed_in = post_form(
        curator.client, sign_in_page, sign_in_page, email=CURATOR, password=PASSWORD, next=link
    )
    assert signed_in.status_code == 303 and signed_in.headers["Location"] == link
    assert accept(curator.client, link).headers["Location"] == "/ctd/bretagne"
    assert account(app, CURATOR) == ("curator", {"bretagne": "member"})
    with app.app_context():
        assert factories.user(CURATOR).identities == []


# --- admins -------------------------------------------------------------------------------


@pytest.fixture
def as_admin(client, auth, make_user):
    make_user(ADMIN, role="admin", name="Ada Admin")
    auth.login(ADMIN)
    return client


def admin_invite(client, *addresses, ctd="", role="member", site_role="member", message=""):
    return post_form(
        client, ADMIN_PAGE, ADMIN_PAGE, addresses="\n".join(addresses), ctd=ctd, role=role,
        site_role=site_role, message=message,
    )  # fmt: skip


def test_admins_find_the_invitations_from_the_accounts_page(as_admin):
    page = as_admin.get("/admin/comptes").get_data(as_text=True)
    assert f'href="{ADMIN_PAGE}"' in page
    assert as_admin.get(ADMIN_PAGE).status_code == 200


def test_an_admin_invites_a_curator_without_a_ctd(app, as_admin, inbox, make_user):
    make_user(MEMBER, ctds=("bretagne",))
    response = admin_invite(as_admin, MEMBER, INVITEE, site_role="curator")
    assert response.status_code == 303, response.get_data(as_text=True)
    messages = {m["To"]: m for m in inbox[0].wait_for(2)}
    body = messages[MEMBER].get_content()
    assert messages[MEMBER]["Subject"] == "Invitation à rejoindre CNIG Partage"
    assert "Ada Admin vous invite" in body and "« Équipe veille et relais »" in body
    member = app.test_client()
    AuthActions(member).login(MEMBER)
    assert accept(member, link_in(messages[MEMBER])).status_code == 303
    assert account(app, MEMBER) == ("curator", {"bretagne": "member"})
    assert join(app.test_client(), link_in(messages[INVITEE])).status_code == 303
    assert account(app, INVITEE) == ("curator", {})


def test_an_admin_invites_into_any_ctd_and_as_admin(app, as_admin, inbox):
    response = admin_invite(as_admin, INVITEE, ctd="corse", role="coordinator", site_role="admin")
    assert response.status_code == 303
    [message] = inbox[0].wait_for(1)
    assert "comme animateur ou animatrice" in message.get_content()
    assert "« Administration »" in message.get_content()
    page = as_admin.get(ADMIN_PAGE).get_data(as_text=True)
    assert INVITEE in page and "Corse" in page and "1 invitation en attente" in page
    assert join(app.test_client(), link_in(message)).status_code == 303
    assert account(app, INVITEE) == ("admin", {"corse": "coordinator"})


def test_the_admins_list_holds_every_pending_invitation(app, as_admin, as_coordinator_too, inbox):
    invited(as_coordinator_too, inbox, INVITEE)
    admin_invite(as_admin, "veille@cnig.example.org", site_role="curator")
    inbox[0].wait_for(1)
    page = as_admin.get(ADMIN_PAGE).get_data(as_text=True)
    assert "2 invitations en attente" in page
    assert INVITEE in page and "veille@cnig.example.org" in page
    target = invitation_id(app, INVITEE)
    assert post_form(as_admin, ADMIN_PAGE, f"{ADMIN_PAGE}/{target}/revoquer").status_code == 303
    assert post_form(as_admin, ADMIN_PAGE, f"{ADMIN_PAGE}/{target}/renvoyer").status_code == 422
    assert "1 invitation en attente" in as_admin.get(ADMIN_PAGE).get_data(as_text=True)


@pytest.fixture
def as_coordinator_too(app, make_user):
    """A second client, signed in as Bretagne's coordinator."""
    make_coordinator(app, make_user, COORDINATOR, "bretagne", "Anne Animatrice")
    other = app.test_client()
    AuthActions(other).login(COORDINATOR)
    return other


@pytest.mark.parametrize(
    ("fields", "status", "message"),
    [
        ({"site_role": "member"}, 422, "Choisissez un CTD, ou un rôle sur le site"),
        ({"site_role": "roi"}, 422, "N&#39;est pas un choix valide."),
        ({"ctd": "atlantide"}, 422, "N&#39;est pas un choix valide."),
        ({"ctd": "corse", "role": "roi"}, 422, "N&#39;est pas un choix valide."),
        ({"site_role": "curator", "message": "voir www.piege.example"}, 422, "contenir de lien"),
    ],
)  # fmt: skip
def test_the_admins_form_refuses_bad_input(app, as_admin, fields, status, message):
    response = admin_invite(as_admin, INVITEE, **fields)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert invitations(app) == []


def test_an_address_that_already_has_the_site_role_is_refused(app, as_admin, inbox, make_user):
    make_user(CURATOR, role="curator")
    response = admin_invite(as_admin, CURATOR, site_role="curator")
    assert response.status_code == 422
    assert "a déjà le rôle « Équipe veille et relais » (ou plus)" in response.get_data(as_text=True)
    assert admin_invite(as_admin, CURATOR, site_role="admin").status_code == 303
    inbox[0].wait_for(1)


@pytest.mark.parametrize("role", ["member", "curator"])
def test_only_admins_use_the_admins_invitations(app, client, auth, make_user, role):
    make_coordinator(app, make_user, COORDINATOR, "bretagne")
    if role == "curator":
        with app.app_context():
            factories.user(COORDINATOR).role = "curator"
            db.session.commit()
    auth.login(COORDINATOR)
    assert client.get(ADMIN_PAGE).status_code == 403
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    data = {"csrf_token": token, "addresses": INVITEE, "site_role": "admin", "role": "member"}
    response = client.post(ADMIN_PAGE, data=data)
    assert response.status_code == 403
    assert "réservé aux administrateurs" in response.get_data(as_text=True)
    assert invitations(app) == []


def test_an_invitation_giving_a_site_role_is_managed_by_admins_only(
    app, as_admin, as_coordinator_too, inbox
):
    response = admin_invite(as_admin, INVITEE, ctd="bretagne", role="member", site_role="curator")
    assert response.status_code == 303
    inbox[0].wait_for(1)
    target = invitation_id(app, INVITEE)
    page = as_coordinator_too.get(BRETAGNE).get_data(as_text=True)
    assert INVITEE in page and "Gérée par les administrateurs" in page
    for action in ("renvoyer", "revoquer"):
        response = post_form(as_coordinator_too, BRETAGNE, f"{BRETAGNE}/{target}/{action}")
        assert response.status_code == 403
        assert "seuls les administrateurs peuvent" in response.get_data(as_text=True)
    assert invitations(app) == [(INVITEE, "bretagne", False, False)]
    assert post_form(as_admin, BRETAGNE, f"{BRETAGNE}/{target}/revoquer").status_code == 303


# --- the audit log ------------------------------------------------------------------------


def test_the_audit_log_names_each_invitation_event(app, as_coordinator, inbox, make_user):
    invited(as_coordinator, inbox, INVITEE, role="coordinator")
    target = invitation_id(app, INVITEE)
    post_form(as_coordinator, BRETAGNE, f"{BRETAGNE}/{target}/renvoyer")
    [message] = inbox[0].wait_for(1)
    assert join(app.test_client(), link_in(message)).status_code == 303
    invited(as_coordinator, inbox, "second@mairie.example.fr")
    second = invitation_id(app, "second@mairie.example.fr")
    assert post_form(as_coordinator, BRETAGNE, f"{BRETAGNE}/{second}/revoquer").status_code == 303
    make_user(CURATOR, role="curator")
    curator = app.test_client()
    AuthActions(curator).login(CURATOR)
    log = curator.get("/curation/journal").get_data(as_text=True)
    for label in ("Invitation envoyée", "Invitation renvoyée", "Invitation acceptée"):
        assert label in log
    revoked = next(row for row in log.split("<tr") if "<td>Invitation révoquée</td>" in row)
    assert "Anne Animatrice" in revoked and "Invitation de second@mairie.example.fr" in revoked
    assert f"Invitation de {INVITEE}" in log
    assert "CTD : bretagne (Animateur ou animatrice)" in log
    filtered = curator.get("/curation/journal?action=invitation.accept").get_data(as_text=True)
    assert "Invitation acceptée" in filtered and "Invitation renvoyée</td>" not in filtered


# --- the sender's limit -------------------------------------------------------------------


def test_the_limit_is_shared_by_two_workers_over_one_database(app, make_app, inbox, make_user):
    """Two app instances (two workers) count the same emails: the rows they write."""
    app.config["INVITATION_RATE_LIMIT"] = "3 per day"
    second = make_app(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=inbox[1], PUBLIC_URL="https://partage.example",
        INVITATION_RATE_LIMIT="3 per day",
    )  # fmt: skip
    make_coordinator(app, make_user, COORDINATOR, "bretagne")
    first_worker, second_worker = app.test_client(), second.test_client()
    for client in (first_worker, second_worker):
        AuthActions(client).login(COORDINATOR)
    assert invite(first_worker, "a@mairie.example.fr", "b@mairie.example.fr").status_code == 303
    refused = invite(second_worker, "c@mairie.example.fr", "d@mairie.example.fr")
    assert refused.status_code == 429
    text = refused.get_data(as_text=True)
    assert "Limite d&#39;invitations atteinte (3 par jour par personne)" in text
    assert "vous pouvez encore en envoyer 1" in text
    assert "c@mairie.example.fr" in text  # the list typed is kept in the form
    assert invite(second_worker, "c@mairie.example.fr").status_code == 303
    target = invitation_id(app, "a@mairie.example.fr")
    assert post_form(first_worker, BRETAGNE, f"{BRETAGNE}/{target}/renvoyer").status_code == 429
    assert len(inbox[0].wait_for(3)) == 3
    assert [row[0] for row in invitations(app)] == [f"{x}@mairie.example.fr" for x in "abc"]
    # Another sender has a limit of their own.
    make_coordinator(app, make_user, "paoli@corse.example.org", "corse")
    other = second.test_client()
    AuthActions(other).login("paoli@corse.example.org")
    corse = "/ctd/corse/membres/invitations"
    assert invite(other, "e@mairie.example.fr", page=corse).status_code == 303
    inbox[0].wait_for(1)


def test_emails_older_than_the_window_no_longer_count(app, as_coordinator, inbox):
    app.config["INVITATION_RATE_LIMIT"] = "1 per hour"
    invited(as_coordinator, inbox, "a@mairie.example.fr")
    assert invite(as_coordinator, "b@mairie.example.fr").status_code == 429
    with app.app_context():
        for sending in db.session.scalars(select(InvitationSending)):
            sending.sent_at -= _days(1) / 24 + _days(1) / 86400
        db.session.commit()
    assert invite(as_coordinator, "b@mairie.example.fr").status_code == 303
    inbox[0].wait_for(1)


@pytest.mark.skipif(not REDIS_URL, reason="Redis unavailable: CNIG_SHARE_TEST_REDIS_URL not set")
def test_the_limit_is_counted_in_redis_when_configured(make_app, inbox, make_user, database_url):
    import redis

    store = redis.Redis.from_url(REDIS_URL)
    store.flushdb()
    try:
        settings = {
            "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": inbox[1],
            "PUBLIC_URL": "https://partage.example", "REDIS_URL": REDIS_URL,
            "INVITATION_RATE_LIMIT": "2 per day",
        }  # fmt: skip
        first, second = make_app(**settings), make_app(**settings)
        make_coordinator(first, make_user, COORDINATOR, "bretagne")
        workers = [first.test_client(), second.test_client()]
        for client in workers:
            AuthActions(client).login(COORDINATOR)
        assert invite(workers[0], "a@mairie.example.fr").status_code == 303
        assert invite(workers[1], "b@mairie.example.fr").status_code == 303
        assert invite(workers[1], "c@mairie.example.fr").status_code == 429
        assert invite(workers[0], "c@mairie.example.fr").status_code == 429
        assert store.keys("LIMITS*invitations*"), "no invitation counter in Redis"
        # Redis is the counter, not the rows: emptied, it lets the sender go on.
        store.flushdb()
        assert invite(workers[0], "c@mairie.example.fr").status_code == 303
        inbox[0].wait_for(3)
    finally:
        store.flushdb()


# --- concurrency --------------------------------------------------------------------------


def test_two_submissions_of_one_link_create_one_account(app, as_coordinator, inbox, database_url):
    """PostgreSQL: the invitation's row is locked while it is checked and spent."""
    if not database_url.startswith("postgresql"):
        pytest.skip("row locks are PostgreSQL's; SQLite has one writer at a time")
    from tests.test_concurrent_edits import race

    [link] = invited(as_coordinator, inbox, INVITEE)
    visitors = [app.test_client(), app.test_client()]
    tokens = [csrf_token_from(v.get(link).get_data(as_text=True)) for v in visitors]
    data = {"name": "Nora", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    answers = race(
        *(
            lambda v=v, t=t: v.post(link, data={"csrf_token": t, **data})
            for v, t in zip(visitors, tokens, strict=True)
        )
    )
    codes = sorted(answer.status_code for answer in answers)
    assert codes[0] == 303 and codes[1] in (410, 422), codes
    assert counts(app)[2] == 2 and account(app, INVITEE) == ("member", {"bretagne": "member"})


# --- in the browser -----------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 375])
def test_a_coordinator_invites_and_the_newcomer_joins_in_the_browser(
    browser, live_server, app, inbox, make_user, width
):
    """Every page of the journey passes axe-core at a desktop and a phone width, and
    fits the phone without scrolling sideways."""
    from playwright.sync_api import expect

    from tests.conftest import PASSWORD
    from tests.test_journeys import assert_accessible

    def checked(page) -> None:
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width

    make_coordinator(app, make_user, COORDINATOR, "bretagne", "Anne Animatrice")
    make_user(ADMIN, role="admin", name="Ada Admin")
    viewport = {"width": width, "height": 900}
    page = browser.new_page(viewport=viewport, locale="fr-FR")
    page.goto(live_server + "/connexion")
    page.get_by_label("Adresse électronique").fill(COORDINATOR)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Se connecter").click()
    page.goto(live_server + BRETAGNE)
    checked(page)
    page.get_by_label("Adresses électroniques").fill(f"{INVITEE}\ncollegue@mairie.example.fr")
    page.get_by_label("Rôle dans le CTD").select_option("member")
    page.get_by_label("Message (facultatif)").fill("Bienvenue parmi nous !")
    page.get_by_role("button", name="Envoyer les invitations").click()
    expect(page.get_by_text("2 invitations envoyées.")).to_be_visible()
    expect(page.locator("table")).to_contain_text(INVITEE)
    checked(page)
    page.context.close()
    received = inbox[0].wait_for(2)
    links = {m["To"]: re.search(r"/invitation/\S+", m.get_content()).group(0) for m in received}

    newcomer = browser.new_page(viewport=viewport, locale="fr-FR")
    newcomer.goto(live_server + links[INVITEE])
    expect(newcomer.get_by_text("Bienvenue parmi nous !")).to_be_visible()
    checked(newcomer)
    newcomer.get_by_label("Nom et prénom").fill("Nora Nouvelle")
    newcomer.get_by_label("Mot de passe", exact=False).first.fill(NEW_PASSWORD)
    newcomer.get_by_label("Confirmez le mot de passe").fill(NEW_PASSWORD)
    newcomer.get_by_role("button", name="Créer mon compte et accepter").click()
    newcomer.wait_for_url(re.compile(r".*/ctd/bretagne$"))
    expect(newcomer.get_by_text("Bienvenue dans le CTD Bretagne")).to_be_visible()
    newcomer.goto(live_server + links[INVITEE])  # spent: says so
    expect(newcomer.get_by_role("heading", name="Invitation déjà acceptée")).to_be_visible()
    checked(newcomer)
    newcomer.goto(live_server + links["collegue@mairie.example.fr"])  # not this account's
    expect(newcomer.get_by_text("Cette invitation n'est pas pour ce compte")).to_be_visible()
    checked(newcomer)
    newcomer.context.close()
    assert account(app, INVITEE) == ("member", {"bretagne": "member"})

    admin = browser.new_page(viewport=viewport, locale="fr-FR")
    admin.goto(live_server + "/connexion")
    admin.get_by_label("Adresse électronique").fill(ADMIN)
    admin.get_by_label("Mot de passe").fill(PASSWORD)
    admin.locator("main").get_by_role("button", name="Se connecter").click()
    admin.goto(live_server + "/admin/comptes")
    admin.get_by_role("link", name="Inviter des personnes").click()
    expect(admin.get_by_text("1 invitation en attente")).to_be_visible()
    checked(admin)
    admin.context.close()
