"""The site keeps an active admin, and a CTD with an active coordinator keeps one:
the rules that the admins' decisions and an account's own deletion both check."""

from __future__ import annotations

from sqlalchemy import select

from cnig_share.extensions import db
from cnig_share.models import Ctd, Membership, User

LAST_ADMIN = (
    "Le site doit garder au moins un compte administrateur actif : "
    "nommez d'abord un autre administrateur."
)
LAST_COORDINATOR = (
    # {ctd} is the CTD's name, which says "CTD" already ("CTD Bretagne").
    "Le {ctd} doit garder au moins un animateur ou une animatrice : nommez-en d'abord un autre."
)


def is_last_active_admin(user: User, lock: bool = False) -> bool:
    """Whether this account is the site's only active admin. With `lock`, the
    admins' rows stay locked to the end of the transaction (PostgreSQL), so two
    admins demoting or deleting each other at once cannot both pass the check."""
    if not (user.is_admin and user.active):
        return False
    admins = select(User.id).where(User.role == "admin", User.active.is_(True))
    if lock:
        admins = admins.with_for_update()
    return set(db.session.scalars(admins)) <= {user.id}


def is_last_coordinator(user: User, ctd: Ctd) -> bool:
    """Whether this account is the CTD's only active coordinator (rows locked)."""
    coordinators = (
        select(Membership.user_id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.ctd_id == ctd.id, Membership.role == "coordinator", User.active)
        .with_for_update()
    )
    return set(db.session.scalars(coordinators)) == {user.id}


def refusal_to_leave(user: User) -> str | None:
    """Why this account may not go (deactivated or deleted), in French, or None."""
    if is_last_active_admin(user, lock=True):
        return LAST_ADMIN
    for membership in user.memberships:
        if membership.role == "coordinator" and is_last_coordinator(user, membership.ctd):
            return LAST_COORDINATOR.format(ctd=membership.ctd.name)
    return None
