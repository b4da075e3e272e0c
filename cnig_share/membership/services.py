"""A CTD's members and the requests to join it: the decisions, each audited.

Roles and removals are the admins' own decisions (admin.services), so that a
CTD keeps its last coordinator by one rule wherever the change is made; their
audit events are the same (account.membership_role, account.membership_remove).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from limits import parse as parse_limit
from sqlalchemy import Select, case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, selectinload

from cnig_share import audit
from cnig_share.admin import services as admin
from cnig_share.extensions import db
from cnig_share.formatting import french_date
from cnig_share.membership import notifications
from cnig_share.models import MEMBERSHIP_ROLES, Ctd, JoinRequest, Membership, User, utcnow
from cnig_share.text import fold

ALREADY_MEMBER = "Vous êtes déjà membre du {ctd} : inutile de demander à le rejoindre."
ALREADY_PENDING = (
    "Vous avez déjà demandé à rejoindre le {ctd} : votre demande attend la réponse "
    "de ses animateurs."
)
RECENTLY_DECLINED = (
    "Votre dernière demande pour rejoindre le {ctd} n'a pas été acceptée : vous pourrez "
    "en envoyer une nouvelle à partir du {date}."
)
TOO_MANY = (
    "Vous avez envoyé trop de demandes d'adhésion récemment ({limit}). "
    "Réessayez plus tard, ou attendez les réponses."
)
ALREADY_ANSWERED = "Cette demande a déjà reçu une réponse : rechargez la page."
OWN_REQUEST = "Vous ne pouvez pas répondre à votre propre demande : une autre personne le fera."
UNKNOWN_ROLE = "Choisissez un rôle de la liste."


class MembershipError(ValueError):
    """A decision refused by a rule: its French message and the HTTP status to answer."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


# --- reading ---------------------------------------------------------------------------


def members(ctd: Ctd) -> Select[tuple[Membership]]:
    """The CTD's memberships, coordinators first, then by name or address."""
    coordinators_first = case((Membership.role == "coordinator", 0), else_=1)
    shown_name = func.lower(func.coalesce(func.nullif(User.name, ""), User.email))
    return (
        select(Membership)
        .join(User, User.id == Membership.user_id)
        .where(Membership.ctd_id == ctd.id)
        .options(contains_eager(Membership.user))
        .order_by(coordinators_first, shown_name, User.id)
    )


def membership_of(ctd: Ctd, user_id: int) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(Membership.ctd_id == ctd.id, Membership.user_id == user_id)
    )


def pending_requests(ctd: Ctd) -> list[JoinRequest]:
    """Requests waiting for an answer, oldest first."""
    query = (
        select(JoinRequest)
        .where(JoinRequest.ctd_id == ctd.id, JoinRequest.status == "pending")
        .options(selectinload(JoinRequest.user))
        .order_by(JoinRequest.created_at, JoinRequest.id)
    )
    return list(db.session.scalars(query))


def request_of(ctd: Ctd, request_id: int) -> JoinRequest | None:
    """One of this CTD's requests (another CTD's is not found here)."""
    join_request = db.session.get(JoinRequest, request_id)
    if join_request is None or join_request.ctd_id != ctd.id:
        return None
    return join_request


def request_waiting(user: User, ctd: Ctd) -> JoinRequest | None:
    """This person's request to join this CTD that waits for an answer, if any."""
    return db.session.scalar(
        select(JoinRequest).where(
            JoinRequest.user_id == user.id,
            JoinRequest.ctd_id == ctd.id,
            JoinRequest.status == "pending",
        )
    )


def next_request_allowed(user: User, ctd: Ctd) -> datetime | None:
    """When this person may ask this CTD again after a decline; None if they may now."""
    days = int(current_app.config["JOIN_REQUEST_RETRY_DAYS"])
    last_decline = db.session.scalar(
        select(JoinRequest.answered_at)
        .where(
            JoinRequest.user_id == user.id,
            JoinRequest.ctd_id == ctd.id,
            JoinRequest.status == "declined",
        )
        .order_by(JoinRequest.answered_at.desc())
        .limit(1)
    )
    if last_decline is None:
        return None
    allowed = last_decline + timedelta(days=days)
    return allowed if allowed > utcnow() else None


def active_coordinators(ctd: Ctd) -> list[User]:
    """Who answers a CTD's requests: its coordinators whose accounts are active."""
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.ctd_id == ctd.id, Membership.role == "coordinator", User.active)
        )
    )


def cnig_team() -> list[User]:
    """Who answers for a CTD without an active coordinator: the active curators and admins."""
    team = select(User).where(User.role.in_(("curator", "admin")), User.active)
    return sorted(db.session.scalars(team), key=lambda user: fold(user.display_name))


# --- asking ------------------------------------------------------------------------------


def _lock(user: User) -> None:
    """Lock the asker's row (PostgreSQL) so that one account's requests are checked one
    after the other: two at once cannot both slip under the limit."""
    db.session.execute(select(User.id).where(User.id == user.id).with_for_update())


def _check_rate(user: User) -> None:
    """JOIN_REQUEST_RATE_LIMIT, counted from the stored requests: the same for every worker."""
    setting = current_app.config["JOIN_REQUEST_RATE_LIMIT"]
    limit = parse_limit(setting)
    since = utcnow() - timedelta(seconds=limit.get_expiry())
    sent = db.session.scalar(
        select(func.count(JoinRequest.id)).where(
            JoinRequest.user_id == user.id, JoinRequest.created_at >= since
        )
    )
    if sent >= limit.amount:
        raise MembershipError(TOO_MANY.format(limit=_french_limit(setting)), 429)


def _french_limit(setting: str) -> str:
    """ "5 per day" → "5 par jour"."""
    units = {"second": "seconde", "minute": "minute", "hour": "heure", "day": "jour"}
    words = setting.replace("/", " per ").split()
    if len(words) == 3 and words[1] == "per" and words[2].rstrip("s") in units:
        return f"{words[0]} par {units[words[2].rstrip('s')]}"
    return setting


def refusal_to_ask(user: User, ctd: Ctd) -> MembershipError | None:
    """Why this person may not ask to join this CTD now (rate limit aside), or None."""
    if user.is_member_of(ctd):
        return MembershipError(ALREADY_MEMBER.format(ctd=ctd.name), 409)
    if request_waiting(user, ctd) is not None:
        return MembershipError(ALREADY_PENDING.format(ctd=ctd.name), 409)
    allowed = next_request_allowed(user, ctd)
    if allowed is not None:
        return MembershipError(
            RECENTLY_DECLINED.format(ctd=ctd.name, date=french_date(allowed)), 409
        )
    return None


def request_to_join(user: User, ctd: Ctd, message: str) -> JoinRequest:
    """Ask to join a CTD; its reviewers are mailed once the request is committed."""
    _lock(user)
    refusal = refusal_to_ask(user, ctd)
    if refusal is not None:
        raise refusal
    _check_rate(user)
    join_request = JoinRequest(user=user, ctd=ctd, message=message.strip())
    db.session.add(join_request)
    try:
        db.session.flush()
    except IntegrityError:
        # Another submission of the same request won the race (the partial unique index).
        db.session.rollback()
        raise MembershipError(ALREADY_PENDING.format(ctd=ctd.name), 409) from None
    audit.record("join_request.create", "user", user.id, user, ctd=ctd.slug)
    coordinators = active_coordinators(ctd)
    notifications.request_received(
        join_request, coordinators or cnig_team(), for_the_team=not coordinators
    )
    return join_request


# --- answering ---------------------------------------------------------------------------


def _close(join_request: JoinRequest, status: str, by: User, **values: object) -> None:
    """Mark the request answered, on condition it still waits: of two answers at once,
    exactly one wins, on SQLite as on PostgreSQL."""
    if join_request.user_id == by.id:
        raise MembershipError(OWN_REQUEST, 403)
    answered = db.session.execute(
        update(JoinRequest)
        .where(JoinRequest.id == join_request.id, JoinRequest.status == "pending")
        .values(status=status, answered_at=utcnow(), answered_by_id=by.id, **values)
    )
    if answered.rowcount != 1:
        raise MembershipError(ALREADY_ANSWERED, 409)
    db.session.refresh(join_request)


def accept(join_request: JoinRequest, role: str, by: User) -> None:
    """Make the person a member (or coordinator) of the CTD, and tell them."""
    if role not in MEMBERSHIP_ROLES:
        raise MembershipError(UNKNOWN_ROLE)
    _close(join_request, "accepted", by, granted_role=role)
    user, ctd = join_request.user, join_request.ctd
    # Invited meanwhile: the request is answered, the membership already there stays.
    if not user.is_member_of(ctd):
        db.session.add(Membership(user=user, ctd=ctd, role=role))
    audit.record("join_request.accept", "user", user.id, by, ctd=ctd.slug, role=role)
    notifications.request_accepted(join_request)


def decline(join_request: JoinRequest, reason: str, by: User) -> None:
    """Turn the request down, with an optional reason the person receives."""
    reason = reason.strip()
    _close(join_request, "declined", by, decline_reason=reason)
    audit.record(
        "join_request.decline", "user", join_request.user_id, by, reason, ctd=join_request.ctd.slug
    )
    allowed = join_request.answered_at + timedelta(
        days=int(current_app.config["JOIN_REQUEST_RETRY_DAYS"])
    )
    notifications.request_declined(join_request, allowed)


# --- members -----------------------------------------------------------------------------


def change_role(membership: Membership, role: str, by: User) -> None:
    """Make a member coordinator, or the reverse; the CTD keeps a coordinator."""
    try:
        admin.change_membership_role(membership, role, by)
    except admin.AdminError as error:
        raise MembershipError(str(error)) from None


def remove(membership: Membership, by: User) -> None:
    """Take a member out of the CTD; the CTD keeps a coordinator."""
    try:
        admin.remove_membership(membership, by)
    except admin.AdminError as error:
        raise MembershipError(str(error)) from None
