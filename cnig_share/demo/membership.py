"""The demo's pending invitation and join request (accounts.toml's [[invitations]]
and [[join_requests]]), so a newcomer finds the members pages alive. They go
through the services people's own go through, except that their emails are
dropped: demo addresses have no inbox, and the seed prints the invitation links."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from cnig_share import mail
from cnig_share.demo.content import Folder
from cnig_share.extensions import db
from cnig_share.invitations import links
from cnig_share.invitations import services as invitations
from cnig_share.membership import services as join_requests
from cnig_share.models import MEMBERSHIP_ROLES, Ctd, Invitation, JoinRequest, User
from cnig_share.rules import PersonalMessage

ACCOUNTS = "accounts.toml"
MESSAGE = PersonalMessage()


@dataclass(frozen=True)
class PlannedInvitation:
    email: str
    ctd: str
    role: str
    by: str
    message: str


@dataclass(frozen=True)
class PlannedRequest:
    email: str
    ctd: str
    message: str


@dataclass(frozen=True)
class Plan:
    invitations: list[PlannedInvitation]
    requests: list[PlannedRequest]


def check(folder: Folder, domain: str, logins: set[str], ctds: set[str]) -> Plan:
    """Read both lists, noting every entry that names an unknown account or CTD,
    an unknown role, or a message the site would refuse."""
    planned = Plan([], [])
    for entry in folder.tables(ACCOUNTS, "invitations"):
        login, ctd, role, by = (entry.get(key) for key in ("login", "ctd", "role", "by"))
        message = entry.get("message", "")
        where = f"invitation de {login}"
        if not all(isinstance(text, str) for text in (login, ctd, role, by, message)):
            folder.fail(ACCOUNTS, f"{where}: login, ctd, role, by et message attendus")
        elif reason := _refusal(ctd, ctds, message) or _role_refusal(role, by, logins):
            folder.fail(ACCOUNTS, f"{where}: {reason}")
        else:
            planned.invitations.append(
                PlannedInvitation(f"{login}@{domain}", ctd, role, f"{by}@{domain}", message)
            )
    for entry in folder.tables(ACCOUNTS, "join_requests"):
        login, ctd, message = (entry.get(key) for key in ("login", "ctd", "message"))
        where = f"demande de {login}"
        if not all(isinstance(text, str) for text in (login, ctd, message)):
            folder.fail(ACCOUNTS, f"{where}: login, ctd et message attendus")
        elif login not in logins:
            folder.fail(ACCOUNTS, f"{where}: login: aucun compte [[accounts]] de ce nom")
        elif reason := _refusal(ctd, ctds, message):
            folder.fail(ACCOUNTS, f"{where}: {reason}")
        else:
            planned.requests.append(PlannedRequest(f"{login}@{domain}", ctd, message))
    return planned


def _refusal(ctd: str, ctds: set[str], message: str) -> str | None:
    if ctd not in ctds:
        return f"CTD inconnu : {ctd}"
    reason = MESSAGE.refusal(message)
    return f"message: {reason}" if reason else None


def _role_refusal(role: str, by: str, logins: set[str]) -> str | None:
    if role not in MEMBERSHIP_ROLES:
        return f"role: l'une des valeurs {', '.join(MEMBERSHIP_ROLES)}"
    return None if by in logins else "by: aucun compte [[accounts]] de ce nom"


def create(plan: Plan) -> tuple[list[tuple[str, str]], int]:
    """Add what is not there yet: the invitations (address, link) and the number
    of join requests added. An address already invited, or a person who already
    asked that CTD, is left as it is (a second seed adds nothing)."""
    # The services write emails with links, which need a request to build.
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        return _create(plan)


def _create(plan: Plan) -> tuple[list[tuple[str, str]], int]:
    ctds = {ctd.slug: ctd for ctd in db.session.scalars(select(Ctd))}
    users = {user.email: user for user in db.session.scalars(select(User))}
    invited = set(db.session.scalars(select(Invitation.email)))
    sent: list[Invitation] = []
    for planned in plan.invitations:
        if planned.email in invited:
            continue
        offer = invitations.Offer(ctd=ctds[planned.ctd], ctd_role=planned.role)
        sent += invitations.invite([planned.email], offer, planned.message, users[planned.by])
    asked = {
        tuple(row) for row in db.session.execute(select(JoinRequest.user_id, JoinRequest.ctd_id))
    }
    added = 0
    for planned in plan.requests:
        user, ctd = users[planned.email], ctds[planned.ctd]
        if (user.id, ctd.id) not in asked and not user.is_member_of(ctd):
            join_requests.request_to_join(user, ctd, planned.message)
            added += 1
    mail.discard_pending(db.session)
    return [(invitation.email, _link(invitation)) for invitation in sent], added


def _link(invitation: Invitation) -> str:
    return mail.public_url("invitations.accept", token=links.token_for(invitation))
