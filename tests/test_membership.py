"""A CTD's members page (/ctd/<slug>/membres) and requests to join a CTD: who sees and
who manages, the rules a request must pass (one pending, 30 days after a decline, a
rate limit, a message without links), the answers and their emails (real SMTP on
loopback), the last coordinator kept, CSRF, and each decision in the audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from cnig_share.extensions import db
from cnig_share.membership import views as membership_views
from cnig_share.models import AuditEvent, JoinRequest, Membership, utcnow
from tests import factories
from tests.conftest import PASSWORD, AuthActions, csrf_token_from

COORDINATOR = "animatrice@bretagne.example.org"
MEMBER = "membre@bretagne.example.org"
ASKER = "demandeur@exemple.fr"
CORSE_COORDINATOR = "animateur@corse.example.org"
CURATOR = "veille@cnig.example.org"
ADMIN = "admin@cnig.example.org"
MESSAGE = "Chargée de mission SIG au conseil départemental\n(voir sig.exemple.fr)."


@pytest.fixture
def app(mailing_app):
    """Every test here mails to the loopback inbox, links on https://partage.example."""
    return mailing_app


@pytest.fixture
def people(app, make_user):
    """Bretagne with a coordinator and a member, Corse with a coordinator, someone in
    no CTD, and the CNIG team (a curator and an admin)."""
    make_user(COORDINATOR, ctds=("bretagne",), name="Annaïg Animatrice")
    make_user(MEMBER, ctds=("bretagne",), name="Maël Membre")
    make_user(CORSE_COORDINATOR, ctds=("corse",), name="Paoli Animateur")
    make_user(ASKER, name="Dominique Demandeur")
    make_user(CURATOR, role="curator", name="Camille Veille")
    make_user(ADMIN, role="admin", name="Ada Admin")
    with app.app_context():
        for email in (COORDINATOR, CORSE_COORDINATOR):
            factories.user(email).memberships[0].role = "coordinator"
        factories.user(ASKER).organisation = "Conseil départemental du Finistère"
        db.session.commit()


def signed_in(app, email: str):
    """A client of its own, signed in as `email`."""
    client = app.test_client()
    response = AuthActions(client).login(email)
    assert response.status_code == 303, response.get_data(as_text=True)
    return client


def post(client, path: str, **data):
    """A form post with the CSRF token of the client's session."""
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


def ask(client, slug: str = "bretagne", message: str = MESSAGE):
    return post(client, f"/ctd/{slug}/rejoindre", message=message)


def text(response) -> str:
    return response.get_data(as_text=True)


def user_id(app, email: str) -> int:
    with app.app_context():
        return factories.user(email).id


def roles_in(app, slug: str) -> dict[str, str]:
    with app.app_context():
        return {m.user.email: m.role for m in factories.ctd(slug).memberships}


def requests_of(app, email: str) -> list[tuple[str, str]]:
    """(CTD, status) of each of this person's requests, oldest first."""
    with app.app_context():
        rows = db.session.scalars(
            select(JoinRequest)
            .where(JoinRequest.user_id == factories.user(email).id)
            .order_by(JoinRequest.id)
        )
        return [(row.ctd.slug, row.status) for row in rows]


def request_id(app, email: str, slug: str = "bretagne") -> int:
    with app.app_context():
        return db.session.scalar(
            select(JoinRequest.id).where(
                JoinRequest.user_id == factories.user(email).id,
                JoinRequest.ctd_id == factories.ctd(slug).id,
                JoinRequest.status == "pending",
            )
        )


def audit_actions(app) -> list[tuple[str, str | None]]:
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        return [(event.action, event.actor.email if event.actor else None) for event in events]


def age_requests(app, email: str, days: int) -> None:
    """Move this person's requests (and their answers) `days` into the past."""
    with app.app_context():
        for row in db.session.scalars(
            select(JoinRequest).where(JoinRequest.user_id == factories.user(email).id)
        ):
            row.created_at -= timedelta(days=days)
            if row.answered_at:
                row.answered_at -= timedelta(days=days)
        db.session.commit()


# --- who sees the page -----------------------------------------------------------------


def test_visitors_are_sent_to_sign_in(app, client, people):
    target = user_id(app, MEMBER)
    for path in ("/ctd/bretagne/membres", "/ctd/bretagne/rejoindre"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/connexion?next=")
    response = post(client, f"/ctd/bretagne/membres/{target}/retirer")
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]
    assert ask(client).status_code == 302
    assert "Demander à rejoindre" not in text(client.get("/ctd/bretagne"))
    assert roles_in(app, "bretagne") == {COORDINATOR: "coordinator", MEMBER: "member"}


def test_members_see_who_belongs_and_their_role_but_manage_nothing(app, people):
    member = signed_in(app, MEMBER)
    assert 'href="/ctd/bretagne/membres"' in text(member.get("/ctd/bretagne"))
    page = text(member.get("/ctd/bretagne/membres"))
    assert "Membres du CTD Bretagne" in page and "2 membres" in page
    # Coordinators first, each with their role; no addresses, no forms, no requests.
    listed = page[page.index("<table>") :]
    assert listed.index("Annaïg Animatrice") < listed.index("Maël Membre")
    assert "Animateur ou animatrice" in page and "<td>Membre" in page
    assert COORDINATOR not in page and "Retirer" not in page
    assert "Demandes d'adhésion" not in page and "Inviter des personnes" not in page
    # Not a non-member's "Demander à rejoindre" either.
    assert "Demander à rejoindre" not in text(member.get("/ctd/bretagne"))


def test_someone_outside_the_ctd_gets_403_and_the_way_to_ask(app, people):
    outsider = signed_in(app, CORSE_COORDINATOR)
    response = outsider.get("/ctd/bretagne/membres")
    assert response.status_code == 403
    assert "réservée à ses membres" in text(response)
    assert "Maël Membre" not in text(response)
    assert 'href="/ctd/bretagne/membres"' not in text(outsider.get("/ctd/bretagne"))


@pytest.mark.parametrize("email", [COORDINATOR, CURATOR, ADMIN])
def test_coordinators_curators_and_admins_manage_the_members(app, people, email):
    page = text(signed_in(app, email).get("/ctd/bretagne/membres"))
    assert "Demandes d'adhésion" in page and "Aucune demande d&#39;adhésion" in page
    assert 'action="/ctd/bretagne/membres/invitations"' in page
    assert "Inviter des personnes" in page
    assert MEMBER in page and COORDINATOR in page  # managers see the addresses
    member = user_id(app, MEMBER)
    assert f'action="/ctd/bretagne/membres/{member}/retirer"' in page
    assert f'action="/ctd/bretagne/membres/{member}/role"' in page


def test_a_deactivated_coordinator_is_marked_and_the_cnig_team_answers(app, inbox, people):
    """A CTD whose only coordinator's account is deactivated: the list says so, and its
    requests go to the curators and admins."""
    with app.app_context():
        factories.user(COORDINATOR).active = False
        db.session.commit()
    page = text(signed_in(app, CURATOR).get("/ctd/bretagne/membres"))
    row = page[page.index("Annaïg Animatrice") :]
    assert "Compte désactivé" in row[: row.index("</th>")]
    assert "l'équipe du CNIG reçoit ses demandes" in page
    assert ask(signed_in(app, ASKER)).status_code == 303
    notices = inbox[0].wait_for(2)
    assert sorted(m["To"] for m in notices) == [ADMIN, CURATOR]
    assert all("en activité : l'équipe du CNIG" in m.get_content() for m in notices)


def test_unknown_ctds_and_odd_page_numbers(app, people):
    coordinator = signed_in(app, COORDINATOR)
    assert coordinator.get("/ctd/nulle-part/membres").status_code == 404
    assert coordinator.get("/ctd/nulle-part/rejoindre").status_code == 404
    for query in ("?page=abc", "?page=-1", "?page=99999999999", "?page=%ff"):
        assert coordinator.get("/ctd/bretagne/membres" + query).status_code == 200


def test_members_are_paginated(app, people, make_user, monkeypatch):
    monkeypatch.setattr(membership_views, "MEMBERS_PAGE", 2)
    make_user("zoe@bretagne.example.org", ctds=("bretagne",), name="Zoé Zed")
    member = signed_in(app, MEMBER)
    first = text(member.get("/ctd/bretagne/membres"))
    assert "3 membres" in first and "Zoé Zed" not in first and "Pages des membres" in first
    second = text(member.get("/ctd/bretagne/membres?page=2"))
    assert "Zoé Zed" in second and "Annaïg Animatrice" not in second


# --- asking to join ----------------------------------------------------------------------


def test_a_request_reaches_the_coordinators_and_an_acceptance_the_person(app, inbox, people):
    asker = signed_in(app, ASKER)
    ctd_page = text(asker.get("/ctd/bretagne"))
    assert 'href="/ctd/bretagne/rejoindre"' in ctd_page and "Demander à rejoindre" in ctd_page
    form = text(asker.get("/ctd/bretagne/rejoindre"))
    assert "Votre message aux animateurs du comité" in form and 'name="message"' in form
    response = ask(asker)
    assert response.status_code == 303 and response.headers["Location"] == "/ctd/bretagne"
    after = text(asker.get("/ctd/bretagne"))
    assert "Votre demande est envoyée au CTD Bretagne" in after
    assert "attend une réponse" in after and 'href="/ctd/bretagne/rejoindre"' not in after
    assert requests_of(app, ASKER) == [("bretagne", "pending")]

    # Only the CTD's coordinator is mailed: not its members, not the CNIG team.
    [notice] = inbox[0].wait_for(1)
    assert notice["To"] == COORDINATOR
    assert notice["Subject"] == "Demande pour rejoindre le CTD Bretagne"
    body = notice.get_content()
    assert "Dominique Demandeur (demandeur@exemple.fr), Conseil départemental du Finistère" in body
    assert "Message de Dominique Demandeur" in body and "> Chargée de mission SIG" in body
    assert "sig[.]exemple[.]fr" in body and "sig.exemple.fr" not in body
    assert "https://partage.example/ctd/bretagne/membres#demandes" in body
    assert "en activité" not in body

    coordinator = signed_in(app, COORDINATOR)
    page = text(coordinator.get("/ctd/bretagne/membres"))
    assert "Dominique Demandeur" in page and "Conseil départemental du Finistère" in page
    assert "Chargée de mission SIG au conseil départemental\n(voir sig.exemple.fr)." in page
    number = request_id(app, ASKER)
    answer = post(
        coordinator, f"/ctd/bretagne/membres/demandes/{number}/accepter", role="coordinator"
    )
    assert answer.status_code == 303 and answer.headers["Location"] == "/ctd/bretagne/membres"
    assert "Dominique Demandeur a rejoint le CTD Bretagne" in text(
        coordinator.get("/ctd/bretagne/membres")
    )
    assert roles_in(app, "bretagne")[ASKER] == "coordinator"
    assert requests_of(app, ASKER) == [("bretagne", "accepted")]
    [welcome] = inbox[0].wait_for(1)
    assert welcome["To"] == ASKER and welcome["Subject"] == "Vous avez rejoint le CTD Bretagne"
    assert "est acceptée : vous en êtes désormais animateur ou animatrice" in welcome.get_content()
    assert "https://partage.example/ctd/bretagne/membres" in welcome.get_content()
    assert audit_actions(app)[-2:] == [
        ("join_request.create", ASKER),
        ("join_request.accept", COORDINATOR),
    ]
    log = text(signed_in(app, CURATOR).get("/curation/journal"))
    label = "<td>Demande pour rejoindre un CTD acceptée</td>"
    accepted = next(row for row in log.split("<tr") if label in row)
    assert "Annaïg Animatrice" in accepted and "CTD : bretagne" in accepted
    # The new member now sees the list, and no longer the button.
    assert asker.get("/ctd/bretagne/membres").status_code == 200
    assert "Demander à rejoindre" not in text(asker.get("/ctd/bretagne"))


def test_a_ctd_without_coordinator_sends_requests_to_the_cnig_team_who_answer(
    app, inbox, people, make_user
):
    make_user("membre@normandie.example.org", ctds=("normandie",))
    asker = signed_in(app, ASKER)
    assert ask(asker, "normandie").status_code == 303
    notices = inbox[0].wait_for(2)
    assert sorted(message["To"] for message in notices) == [ADMIN, CURATOR]
    assert all("pas d'animateur ou d'animatrice en activité" in m.get_content() for m in notices)

    curator = signed_in(app, CURATOR)
    page = text(curator.get("/ctd/normandie/membres"))
    assert "l'équipe du CNIG reçoit ses demandes" in page and "Dominique Demandeur" in page
    number = request_id(app, ASKER, "normandie")
    reason = "Ce comité est réservé aux\nacteurs normands."
    response = post(curator, f"/ctd/normandie/membres/demandes/{number}/refuser", reason=reason)
    assert response.status_code == 303
    assert "La demande de Dominique Demandeur est refusée" in text(
        curator.get("/ctd/normandie/membres")
    )
    assert requests_of(app, ASKER) == [("normandie", "declined")]
    assert ASKER not in roles_in(app, "normandie")
    [answer] = inbox[0].wait_for(1)
    assert answer["To"] == ASKER
    assert answer["Subject"] == "Votre demande pour rejoindre le CTD Normandie"
    body = answer.get_content()
    assert "n'a pas été acceptée" in body
    assert "Message de Camille Veille" in body and "> acteurs normands." in body
    assert "Vous pourrez envoyer une nouvelle demande à ce comité à partir du" in body
    assert CURATOR not in body
    assert audit_actions(app)[-1] == ("join_request.decline", CURATOR)
    log = text(curator.get("/curation/journal"))
    for label in (
        "Demande pour rejoindre un CTD</td>",
        "Demande pour rejoindre un CTD refusée",
        "CTD : normandie",
        "acteurs normands.",
    ):
        assert label in log


def test_a_request_for_a_ctd_one_belongs_to_is_refused(app, inbox, people):
    member = signed_in(app, MEMBER)
    page = member.get("/ctd/bretagne/rejoindre")
    assert page.status_code == 200
    assert "Vous êtes déjà membre du CTD Bretagne" in text(page)
    assert 'name="message"' not in text(page)
    response = ask(member)
    assert response.status_code == 409
    assert "Vous êtes déjà membre du CTD Bretagne" in text(response)
    assert requests_of(app, MEMBER) == []
    assert inbox[0].take() == []


def test_one_pending_request_per_person_and_ctd(app, inbox, people):
    asker = signed_in(app, ASKER)
    assert ask(asker).status_code == 303
    again = ask(asker, message="Je relance ma demande.")
    assert again.status_code == 409
    assert "Vous avez déjà demandé à rejoindre le CTD Bretagne" in text(again)
    waiting = text(asker.get("/ctd/bretagne/rejoindre"))
    assert "Vous avez déjà demandé" in waiting and "Chargée de mission SIG" in waiting
    # Another CTD is another request.
    assert ask(asker, "corse").status_code == 303
    assert requests_of(app, ASKER) == [("bretagne", "pending"), ("corse", "pending")]
    assert len(inbox[0].wait_for(2)) == 2


def test_the_database_keeps_one_pending_request_per_person_and_ctd(app, people):
    with app.app_context():
        user, ctd = factories.user(ASKER), factories.ctd("bretagne")
        db.session.add(JoinRequest(user=user, ctd=ctd, status="declined", answered_at=utcnow()))
        db.session.add(JoinRequest(user=user, ctd=ctd))
        db.session.commit()
        db.session.add(JoinRequest(user=user, ctd=ctd))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_two_submissions_at_once_make_one_request(app, inbox, people):
    from tests.test_concurrent_edits import race

    clients = [signed_in(app, ASKER), signed_in(app, ASKER)]
    tokens = [csrf_token_from(text(client.get("/"))) for client in clients]
    answers = race(
        *(
            lambda c=client, t=token: c.post(
                "/ctd/bretagne/rejoindre", data={"csrf_token": t, "message": MESSAGE}
            )
            for client, token in zip(clients, tokens, strict=True)
        )
    )
    assert sorted(answer.status_code for answer in answers) == [303, 409]
    assert requests_of(app, ASKER) == [("bretagne", "pending")]
    assert len(inbox[0].wait_for(1)) == 1


def test_after_a_decline_the_same_ctd_cannot_be_asked_for_30_days(app, inbox, people):
    asker = signed_in(app, ASKER)
    ask(asker)
    coordinator = signed_in(app, COORDINATOR)
    post(coordinator, f"/ctd/bretagne/membres/demandes/{request_id(app, ASKER)}/refuser")
    inbox[0].wait_for(2)
    again = ask(asker)
    assert again.status_code == 409
    assert "vous pourrez en envoyer une nouvelle à partir du" in text(again)
    assert "Votre dernière demande" in text(asker.get("/ctd/bretagne/rejoindre"))
    # Another CTD may be asked at once.
    assert ask(asker, "corse").status_code == 303
    age_requests(app, ASKER, 29)
    assert ask(asker).status_code == 409
    age_requests(app, ASKER, 2)
    assert ask(asker).status_code == 303
    assert requests_of(app, ASKER) == [
        ("bretagne", "declined"),
        ("corse", "pending"),
        ("bretagne", "pending"),
    ]


def test_requests_are_rate_limited_per_account(app, inbox, people, make_user):
    app.config["JOIN_REQUEST_RATE_LIMIT"] = "2 per day"
    asker = signed_in(app, ASKER)
    assert ask(asker, "bretagne").status_code == 303
    assert ask(asker, "corse").status_code == 303
    refused = ask(asker, "normandie")
    assert refused.status_code == 429
    assert "trop de demandes d&#39;adhésion récemment (2 par jour)" in text(refused)
    assert len(requests_of(app, ASKER)) == 2
    # Counted per account: someone else asks freely.
    make_user("autre@exemple.fr")
    assert ask(signed_in(app, "autre@exemple.fr"), "normandie").status_code == 303
    # A day later the count starts again.
    age_requests(app, ASKER, 1)
    assert ask(asker, "normandie").status_code == 303
    assert len(inbox[0].wait_for(5)) >= 5


@pytest.mark.parametrize(
    ("message", "error"),
    [
        ("", "Dites en quelques mots qui vous êtes"),
        ("   ", "Dites en quelques mots qui vous êtes"),
        ("x" * 501, "Le message ne doit pas dépasser 500 caractères."),
        ("Voir https://exemple.fr/sig", "Le message ne peut pas contenir de lien"),
        ("Voir www.exemple.fr", "Le message ne peut pas contenir de lien"),
        ("Écrivez à mailto:moi@exemple.fr", "Le message ne peut pas contenir de lien"),
    ],
)
def test_a_message_must_be_short_plain_and_without_links(app, inbox, people, message, error):
    response = ask(signed_in(app, ASKER), message=message)
    assert response.status_code == 422
    assert error in text(response).replace("&#39;", "'")
    assert requests_of(app, ASKER) == []
    assert inbox[0].take() == []


def test_a_500_character_message_is_accepted(app, inbox, people):
    assert ask(signed_in(app, ASKER), message="é" * 500).status_code == 303


# --- answering ---------------------------------------------------------------------------


def test_a_request_is_answered_once(app, inbox, people):
    ask(signed_in(app, ASKER))
    number = request_id(app, ASKER)
    coordinator, curator = signed_in(app, COORDINATOR), signed_in(app, CURATOR)
    assert post(coordinator, f"/ctd/bretagne/membres/demandes/{number}/refuser").status_code == 303
    for client, action, data in (
        (curator, "accepter", {"role": "member"}),
        (coordinator, "refuser", {"reason": ""}),
    ):
        late = post(client, f"/ctd/bretagne/membres/demandes/{number}/{action}", **data)
        assert late.status_code == 409
        assert "Cette demande a déjà reçu une réponse" in text(late)
    assert ASKER not in roles_in(app, "bretagne")
    assert len(inbox[0].wait_for(2)) == 2  # the notice, then one answer only
    assert inbox[0].take() == []


def test_no_one_answers_their_own_request(app, people):
    curator = signed_in(app, CURATOR)
    assert ask(curator, "normandie").status_code == 303
    number = request_id(app, CURATOR, "normandie")
    response = post(curator, f"/ctd/normandie/membres/demandes/{number}/accepter", role="member")
    assert response.status_code == 403
    assert "votre propre demande" in text(response)
    assert requests_of(app, CURATOR) == [("normandie", "pending")]


def test_answers_with_bad_input_are_refused_and_change_nothing(app, inbox, people):
    asker = signed_in(app, ASKER)
    ask(asker)
    ask(asker, "corse")
    inbox[0].wait_for(2)
    bretagne, corse = request_id(app, ASKER), request_id(app, ASKER, "corse")
    coordinator = signed_in(app, COORDINATOR)
    path = "/ctd/bretagne/membres/demandes"
    cases = [
        (f"{path}/{bretagne}/accepter", {"role": "admin"}, 422, "Choisissez un rôle de la liste"),
        (f"{path}/{bretagne}/accepter", {}, 422, "Choisissez un rôle de la liste"),
        (
            f"{path}/{bretagne}/refuser",
            {"reason": "Voir https://ailleurs.example"},
            422,
            "Le message ne peut pas contenir de lien",
        ),
        (f"{path}/{bretagne}/refuser", {"reason": "x" * 501}, 422, "ne doit pas dépasser 500"),
        # Corse's request does not belong to Bretagne's page.
        (f"{path}/{corse}/accepter", {"role": "member"}, 404, None),
        (f"{path}/999999/refuser", {}, 404, None),
        (f"{path}/99999999999/refuser", {}, 404, None),
        (f"{path}/abc/refuser", {}, 404, None),
    ]
    for target, data, status, message in cases:
        response = post(coordinator, target, **data)
        assert response.status_code == status, (target, data)
        if message:
            assert message in text(response).replace("&#39;", "'"), (target, data)
    # The refused reason comes back in its field, with its message beside it.
    refused = text(post(coordinator, f"{path}/{bretagne}/refuser", reason="x" * 501))
    assert 'aria-describedby="refuser-raison-' in refused and "x" * 501 in refused
    assert requests_of(app, ASKER) == [("bretagne", "pending"), ("corse", "pending")]
    assert inbox[0].take() == []


# --- roles and removals ------------------------------------------------------------------


def test_a_coordinator_changes_roles_and_removes_members_each_audited(app, people, make_user):
    make_user("second@bretagne.example.org", ctds=("bretagne",), name="Second")
    coordinator = signed_in(app, COORDINATOR)
    member, second = user_id(app, MEMBER), user_id(app, "second@bretagne.example.org")
    response = post(coordinator, f"/ctd/bretagne/membres/{member}/role", role="coordinator")
    assert response.status_code == 303 and response.headers["Location"] == "/ctd/bretagne/membres"
    assert "Maël Membre est désormais animateur ou animatrice" in text(
        coordinator.get("/ctd/bretagne/membres")
    )
    # With htmx, the whole page goes to the list (HX-Redirect), not a swapped 303.
    token = csrf_token_from(text(coordinator.get("/")))
    by_htmx = coordinator.post(
        f"/ctd/bretagne/membres/{second}/retirer",
        data={"csrf_token": token},
        headers={"HX-Request": "true"},
    )
    assert by_htmx.status_code == 200
    assert by_htmx.headers["HX-Redirect"] == "/ctd/bretagne/membres"
    assert roles_in(app, "bretagne") == {COORDINATOR: "coordinator", MEMBER: "coordinator"}
    assert audit_actions(app)[-2:] == [
        ("account.membership_role", COORDINATOR),
        ("account.membership_remove", COORDINATOR),
    ]
    log = text(signed_in(app, CURATOR).get("/curation/journal"))
    assert "Rôle dans un CTD changé" in log and "Compte retiré d&#39;un CTD" in log


def test_a_ctd_keeps_its_last_coordinator(app, people):
    coordinator = signed_in(app, COORDINATOR)
    me = user_id(app, COORDINATOR)
    refusals = [
        post(coordinator, f"/ctd/bretagne/membres/{me}/role", role="member"),
        post(coordinator, f"/ctd/bretagne/membres/{me}/retirer"),
        post(signed_in(app, ADMIN), f"/ctd/bretagne/membres/{me}/retirer"),
    ]
    for response in refusals:
        assert response.status_code == 422
        assert "Le CTD Bretagne doit garder au moins un animateur ou une animatrice" in text(
            response
        )
    assert roles_in(app, "bretagne") == {COORDINATOR: "coordinator", MEMBER: "member"}
    # With a second coordinator, the first may step down, then leave: back to the CTD's page.
    post(coordinator, f"/ctd/bretagne/membres/{user_id(app, MEMBER)}/role", role="coordinator")
    left = post(coordinator, f"/ctd/bretagne/membres/{me}/retirer")
    assert left.status_code == 303 and left.headers["Location"] == "/ctd/bretagne"
    assert roles_in(app, "bretagne") == {MEMBER: "coordinator"}
    assert coordinator.get("/ctd/bretagne/membres").status_code == 403


def test_unknown_members_and_roles(app, people):
    coordinator = signed_in(app, COORDINATOR)
    member = user_id(app, MEMBER)
    corse = user_id(app, CORSE_COORDINATOR)
    bad_role = post(coordinator, f"/ctd/bretagne/membres/{member}/role", role="admin")
    assert bad_role.status_code == 422 and "Choisissez un rôle de la liste" in text(bad_role)
    for path in (
        f"/ctd/bretagne/membres/{corse}/retirer",  # not a member of Bretagne
        "/ctd/bretagne/membres/999999/role",
        "/ctd/bretagne/membres/99999999999/retirer",
    ):
        assert post(coordinator, path, role="member").status_code == 404, path
    assert roles_in(app, "bretagne") == {COORDINATOR: "coordinator", MEMBER: "member"}
    assert roles_in(app, "corse") == {CORSE_COORDINATOR: "coordinator"}


# --- who may call the managers' routes ---------------------------------------------------


def manager_posts(app) -> list[tuple[str, dict[str, str]]]:
    """Every state-changing route of Bretagne's members page, with valid data."""
    member = user_id(app, MEMBER)
    number = request_id(app, ASKER)
    return [
        (f"/ctd/bretagne/membres/{member}/role", {"role": "coordinator"}),
        (f"/ctd/bretagne/membres/{member}/retirer", {}),
        (f"/ctd/bretagne/membres/demandes/{number}/accepter", {"role": "coordinator"}),
        (f"/ctd/bretagne/membres/demandes/{number}/refuser", {"reason": "Non."}),
    ]


@pytest.mark.parametrize("email", [MEMBER, CORSE_COORDINATOR, ASKER])
def test_members_and_other_ctds_coordinators_cannot_manage(app, inbox, people, email):
    ask(signed_in(app, ASKER))
    inbox[0].wait_for(1)
    client = signed_in(app, email)
    before = audit_actions(app)
    for path, data in manager_posts(app):
        response = post(client, path, **data)
        assert response.status_code == 403, path
        assert "Seuls les animateurs et animatrices du CTD Bretagne" in text(response)
    assert roles_in(app, "bretagne") == {COORDINATOR: "coordinator", MEMBER: "member"}
    assert requests_of(app, ASKER) == [("bretagne", "pending")]
    assert audit_actions(app) == before
    assert inbox[0].take() == []


def test_every_form_needs_its_csrf_token(app, inbox, people):
    asker = signed_in(app, ASKER)
    refused = asker.post("/ctd/bretagne/rejoindre", data={"message": MESSAGE})
    assert refused.status_code == 400
    assert requests_of(app, ASKER) == []
    ask(asker)
    inbox[0].wait_for(1)
    coordinator = signed_in(app, COORDINATOR)
    for path, data in manager_posts(app):
        assert coordinator.post(path, data=data).status_code == 400, path
        forged = coordinator.post(path, data={**data, "csrf_token": "forged"})
        assert forged.status_code == 400, path
    assert roles_in(app, "bretagne") == {COORDINATOR: "coordinator", MEMBER: "member"}
    assert requests_of(app, ASKER) == [("bretagne", "pending")]
    assert inbox[0].take() == []


def test_an_acceptance_after_an_invitation_keeps_the_membership(app, inbox, people):
    """Made a member meanwhile (by an admin or an invitation): the request is closed,
    the membership stays as it was."""
    ask(signed_in(app, ASKER))
    number = request_id(app, ASKER)
    with app.app_context():
        db.session.add(Membership(user=factories.user(ASKER), ctd=factories.ctd("bretagne")))
        db.session.commit()
    coordinator = signed_in(app, COORDINATOR)
    response = post(
        coordinator, f"/ctd/bretagne/membres/demandes/{number}/accepter", role="coordinator"
    )
    assert response.status_code == 303
    assert roles_in(app, "bretagne")[ASKER] == "member"
    assert requests_of(app, ASKER) == [("bretagne", "accepted")]
    with app.app_context():
        count = select(func.count(Membership.id)).where(
            Membership.user_id == factories.user(ASKER).id
        )
        assert db.session.scalar(count) == 1


# --- in the browser ----------------------------------------------------------------------

# The elements that stick out of the screen (outside a scrolling table), for a failure's message.
WIDER_THAN_THE_SCREEN = """() => [...document.querySelectorAll('body *')]
  .filter(e => !e.closest('.fr-table__container'))
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .slice(0, 8)
  .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 375])
def test_asking_and_answering_in_the_browser(browser, live_server, app, people, width):
    """The CTD page, the request form and the members page pass axe-core at a desktop and
    a phone width and fit the phone; the members page is photographed at both."""
    from playwright.sync_api import expect

    from tests.test_journeys import SCREENSHOTS, assert_accessible

    def open_as(email: str):
        page = browser.new_page(viewport={"width": width, "height": 900}, locale="fr-FR")
        page.goto(live_server + "/connexion")
        page.get_by_label("Adresse électronique").fill(email)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.locator("main").get_by_role("button", name="Se connecter").click()
        expect(page.get_by_text("Vous êtes connecté·e.")).to_be_visible()
        return page

    def check(page) -> None:
        assert_accessible(page)
        wider = page.evaluate(WIDER_THAN_THE_SCREEN)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, wider

    asker = open_as(ASKER)
    asker.goto(live_server + "/ctd/bretagne")
    check(asker)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    asker.screenshot(path=str(SCREENSHOTS / f"ctd-rejoindre-{width}.png"))
    asker.get_by_role("link", name="Demander à rejoindre").click()
    asker.get_by_label("Votre message aux animateurs du comité").fill(MESSAGE)
    check(asker)
    asker.get_by_role("button", name="Envoyer la demande").click()
    expect(asker.get_by_text("Votre demande est envoyée au CTD Bretagne")).to_be_visible()
    check(asker)
    asker.context.close()

    coordinator = open_as(COORDINATOR)
    coordinator.goto(live_server + "/ctd/bretagne/membres")
    expect(coordinator.get_by_role("heading", name="Dominique Demandeur")).to_be_visible()
    check(coordinator)
    coordinator.screenshot(path=str(SCREENSHOTS / f"membres-{width}.png"), full_page=True)
    coordinator.get_by_label("Accepter comme").select_option("member")
    coordinator.get_by_role("button", name="Accepter la demande de Dominique Demandeur").click()
    expect(coordinator.get_by_text("a rejoint le CTD Bretagne")).to_be_visible()
    check(coordinator)
    coordinator.context.close()
    assert roles_in(app, "bretagne")[ASKER] == "member"


def test_a_name_that_looks_like_an_address_reaches_no_inbox_as_a_link(app, inbox, people):
    with app.app_context():
        factories.user(ASKER).name = "www.piege.fr"
        db.session.commit()
    assert ask(signed_in(app, ASKER)).status_code == 303
    body = inbox[0].wait_for(1)[0].get_content()
    assert "www[.]piege[.]fr (demandeur@exemple.fr)" in body
    assert "Message de www[.]piege[.]fr" in body and "piege.fr" not in body


def test_the_members_page_holds_the_pending_invitations_and_the_form(app, inbox, people):
    coordinator = signed_in(app, COORDINATOR)
    sent = post(
        coordinator,
        "/ctd/bretagne/membres/invitations",
        addresses="nouvelle@exemple.fr",
        role="member",
        next="/ctd/bretagne/membres",
    )
    assert sent.status_code == 303 and sent.headers["Location"] == "/ctd/bretagne/membres"
    page = text(coordinator.get("/ctd/bretagne/membres"))
    assert "Invitations en attente" in page and "nouvelle@exemple.fr" in page
    assert 'action="/ctd/bretagne/membres/invitations"' in page
    # A member sees the members, not the invitations.
    member_page = text(signed_in(app, MEMBER).get("/ctd/bretagne/membres"))
    assert "Maël Membre" in member_page
    assert "nouvelle@exemple.fr" not in member_page and "Invitations en attente" not in member_page
