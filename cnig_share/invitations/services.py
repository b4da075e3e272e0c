"""The rules of invitations: who can be invited, sending (and sending again)
the email, revoking, and accepting — each audited; the caller commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import selectinload

from cnig_share import audit, mail
from cnig_share.accounts.services import create_user, find_user_by_email
from cnig_share.extensions import db
from cnig_share.invitations import links, quota
from cnig_share.models import (
    MEMBERSHIP_ROLES,
    ROLES,
    Ctd,
    Invitation,
    InvitationSending,
    Membership,
    User,
    utcnow,
)

# Weakest first, as the models list them: an invitation never lowers a role.
SITE_RANK = {role: rank for rank, role in enumerate(ROLES)}
CTD_RANK = {role: rank for rank, role in enumerate(MEMBERSHIP_ROLES)}

NOT_PENDING = "Cette invitation n'est plus en attente : elle a été acceptée ou révoquée."


class InvitationError(ValueError):
    """An invitation refused by a rule; the message is French."""


@dataclass(frozen=True)
class Offer:
    """What an invitation gives: a CTD and a role there, and/or a site role."""

    ctd: Ctd | None
    ctd_role: str | None = None
    site_role: str = "member"


def pending() -> Select[tuple[Invitation]]:
    """Invitations neither accepted nor revoked, newest sending first."""
    return (
        select(Invitation)
        .where(Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
        .options(selectinload(Invitation.invited_by), selectinload(Invitation.ctd))
        .order_by(Invitation.sent_at.desc(), Invitation.id.desc())
    )


def pending_in(ctd: Ctd) -> list[Invitation]:
    return list(db.session.scalars(pending().where(Invitation.ctd_id == ctd.id)))


def is_expired(invitation: Invitation) -> bool:
    """Whether the link of its latest sending is too old to serve."""
    max_age = timedelta(seconds=int(current_app.config["INVITATION_MAX_AGE"]))
    return invitation.sent_at + max_age < utcnow()


def _refusal(address: str, offer: Offer) -> str | None:
    """Why this address cannot be invited to this offer, in French, or None."""
    account = find_user_by_email(address)
    if offer.ctd is not None and account is not None and account.is_member_of(offer.ctd):
        return f"{address} est déjà membre du {offer.ctd.name}."
    has_role = account is not None and SITE_RANK[account.role] >= SITE_RANK[offer.site_role]
    if offer.ctd is None and has_role:
        return f"{address} a déjà le rôle « {account.role_label} » (ou plus) sur le site."
    waiting = db.session.scalar(
        select(func.count(Invitation.id)).where(
            func.lower(Invitation.email) == address.lower(),
            Invitation.ctd_id.is_(None) if offer.ctd is None else Invitation.ctd_id == offer.ctd.id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
    )
    if waiting:
        return (
            f"Une invitation est déjà en attente pour {address} : envoyez-la de nouveau "
            "depuis la liste des invitations."
        )
    return None


def invite(addresses: Sequence[str], offer: Offer, message: str, by: User) -> list[Invitation]:
    """Invite each address (normalized, distinct) to the offer and mail each
    its link; refuse them all, creating nothing, when one breaks a rule or the
    sender's limit would be passed."""
    if offer.ctd is None and offer.site_role == "member":
        raise InvitationError("Choisissez un CTD, ou un rôle sur le site au-delà de « membre ».")
    refusals = [reason for address in addresses if (reason := _refusal(address, offer))]
    if refusals:
        raise InvitationError(" ".join(refusals) + " Aucune invitation n'a été envoyée.")
    quota.spend(by, len(addresses))
    invitations = []
    for address in addresses:
        invitation = Invitation(
            email=address,
            ctd=offer.ctd,
            ctd_role=offer.ctd_role if offer.ctd is not None else None,
            site_role=offer.site_role,
            message=message.strip(),
            invited_by=by,
        )
        db.session.add(invitation)
        db.session.flush()  # its id goes into the link
        _send(invitation, by)
        audit.record("invitation.create", "invitation", invitation.id, by, **_details(invitation))
        invitations.append(invitation)
    return invitations


def resend(invitation: Invitation, by: User) -> None:
    """Mail a new link (valid from now); the previous one stops working."""
    if not invitation.is_pending:
        raise InvitationError(NOT_PENDING)
    quota.spend(by, 1)
    _send(invitation, by)
    audit.record("invitation.resend", "invitation", invitation.id, by, **_details(invitation))


def revoke(invitation: Invitation, by: User) -> None:
    """Cancel a pending invitation: its link then says it was revoked."""
    if not invitation.is_pending:
        raise InvitationError(NOT_PENDING)
    invitation.revoked_at = utcnow()
    audit.record("invitation.revoke", "invitation", invitation.id, by, **_details(invitation))


def accept(invitation: Invitation, user: User, *, created: bool = False) -> None:
    """Give the account what the invitation offers (never lowering a role),
    and spend the link. Conditional on the link still being the pending one,
    so of two submissions only one wins (the other gets LinkError, 410)."""
    if user.email.lower() != invitation.email.lower():
        raise InvitationError("Cette invitation est adressée à une autre adresse électronique.")
    spent = db.session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.sendings == invitation.sendings,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(accepted_at=utcnow(), accepted_by_id=user.id)
    )
    if spent.rowcount != 1:
        raise links.LinkError("Invitation déjà acceptée", links.ACCEPTED, 410)
    if SITE_RANK[invitation.site_role] > SITE_RANK[user.role]:
        user.role = invitation.site_role
    if invitation.ctd is not None:
        _join(user, invitation.ctd, invitation.ctd_role or "member")
    audit.record(
        "invitation.accept", "invitation", invitation.id, user, created=created,
        **_details(invitation),
    )  # fmt: skip


def join_with_password(invitation: Invitation, name: str, password: str) -> User:
    """Create the invited address's account (holding the link proves the
    address) with this password, and accept the invitation with it."""
    user = create_user(invitation.email, password, "member", name=name)
    db.session.flush()
    accept(invitation, user, created=True)
    return user


def _join(user: User, ctd: Ctd, role: str) -> None:
    membership = next((m for m in user.memberships if m.ctd_id == ctd.id), None)
    if membership is None:
        user.memberships.append(Membership(ctd=ctd, role=role))
    elif CTD_RANK[role] > CTD_RANK[membership.role]:
        membership.role = role


def _details(invitation: Invitation) -> dict[str, str]:
    details = {"email": invitation.email, "site_role": invitation.site_role}
    if invitation.ctd is not None:
        details.update(ctd=invitation.ctd.slug, role=invitation.ctd_role or "member")
    return details


def _send(invitation: Invitation, by: User) -> None:
    """Count the email, make its link the only valid one, and mail it after commit."""
    invitation.sendings += 1
    invitation.sent_at = utcnow()
    db.session.add(InvitationSending(invitation_id=invitation.id, sent_by_id=by.id))
    message = mail.message(invitation.email, _subject(invitation), _body(invitation))
    mail.send_after_commit(db.session, message, background=True)


def _subject(invitation: Invitation) -> str:
    if invitation.ctd is not None:
        return f"Invitation à rejoindre le {invitation.ctd.name} sur CNIG Partage"
    return "Invitation à rejoindre CNIG Partage"


def _what(invitation: Invitation) -> str:
    """What the invitation offers, as the end of "… vous invite à …"."""
    parts = []
    if invitation.ctd is not None:
        role = MEMBERSHIP_ROLES[invitation.ctd_role or "member"].lower()
        parts.append(
            f"rejoindre le {invitation.ctd.name} (comité territorial de la donnée, "
            f"région {invitation.ctd.region}) comme {role}"
        )
    if invitation.site_role != "member":
        parts.append(f"prendre le rôle « {ROLES[invitation.site_role]} » sur le site")
    return " et à ".join(parts)


def _body(invitation: Invitation) -> str:
    inviter = invitation.invited_by
    author = mail.defanged(inviter.display_name) if inviter else "L'équipe de CNIG Partage"
    link = mail.public_url("invitations.accept", token=links.token_for(invitation))
    quoted = mail.quoted_message(author, invitation.message)
    return (
        "Bonjour,\n\n"
        f"{author} vous invite sur CNIG Partage, le centre de ressources des comités "
        f"territoriaux de la donnée, à {_what(invitation)}.\n\n"
        + (f"{quoted}\n" if quoted else "")
        + f"Pour accepter, ouvrez ce lien dans les {links.validity()} :\n{link}\n\n"
        "La page vous proposera de vous connecter, ou de créer votre compte avec cette "
        f"adresse ({invitation.email}). Le lien ne sert qu'une fois.\n\n"
        "Si vous ne vous attendiez pas à cette invitation, ignorez ce message : rien ne "
        "sera fait sans vous.\n\n"
        "— CNIG Partage, centre de ressources des comités territoriaux de la donnée\n"
    )
