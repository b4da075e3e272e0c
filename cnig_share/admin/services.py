"""The admins' decisions on an account, each audited, each keeping the site with
an active admin and every CTD that has a coordinator with one."""

from __future__ import annotations

from sqlalchemy import select

from cnig_share import audit
from cnig_share.extensions import db
from cnig_share.models import MEMBERSHIP_ROLES, ROLES, Ctd, Membership, User

LAST_ADMIN = (
    "Le site doit garder au moins un compte administrateur actif : "
    "nommez d'abord un autre administrateur."
)
LAST_COORDINATOR = (
    "Le CTD {ctd} doit garder au moins un animateur ou une animatrice : nommez-en d'abord un autre."
)


class AdminError(ValueError):
    """A decision refused by a rule; the message is French."""


def _active_admin_ids() -> set[int]:
    # Locked (on PostgreSQL) so that two admins demoting each other at once
    # cannot both pass the check and leave the site without one.
    query = select(User.id).where(User.role == "admin", User.active).with_for_update()
    return set(db.session.scalars(query))


def _active_coordinator_ids(ctd: Ctd) -> set[int]:
    query = (
        select(Membership.user_id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.ctd_id == ctd.id, Membership.role == "coordinator", User.active)
        .with_for_update()
    )
    return set(db.session.scalars(query))


def _keep_an_admin(user: User) -> None:
    if _active_admin_ids() == {user.id}:
        raise AdminError(LAST_ADMIN)


def _keep_a_coordinator(user: User, ctd: Ctd) -> None:
    if _active_coordinator_ids(ctd) == {user.id}:
        raise AdminError(LAST_COORDINATOR.format(ctd=ctd.name))


def _audit_membership(action: str, membership: Membership, by: User, **details: str) -> None:
    audit.record(action, "user", membership.user.id, by, ctd=membership.ctd.slug, **details)


def change_role(user: User, role: str, by: User) -> None:
    """Give the account another site role."""
    if role not in ROLES:
        raise AdminError("Rôle inconnu.")
    if role == user.role:
        return
    if user.role == "admin":
        _keep_an_admin(user)
    audit.record("account.role", "user", user.id, by, before=user.role, after=role)
    user.role = role


def membership_of(user: User, ctd_id: int) -> Membership | None:
    """The account's membership of this CTD, if any."""
    return next((m for m in user.memberships if m.ctd_id == ctd_id), None)


def add_membership(user: User, ctd: Ctd, role: str, by: User) -> Membership:
    """Make the account a member (or coordinator) of a CTD."""
    if role not in MEMBERSHIP_ROLES:
        raise AdminError("Rôle inconnu dans le CTD.")
    if membership_of(user, ctd.id) is not None:
        raise AdminError(f"Ce compte est déjà membre du CTD {ctd.name}.")
    membership = Membership(user=user, ctd=ctd, role=role)
    db.session.add(membership)
    _audit_membership("account.membership_add", membership, by, role=role)
    return membership


def change_membership_role(membership: Membership, role: str, by: User) -> None:
    """Make a member coordinator of their CTD, or the reverse."""
    if role not in MEMBERSHIP_ROLES:
        raise AdminError("Rôle inconnu dans le CTD.")
    if role == membership.role:
        return
    if membership.role == "coordinator":
        _keep_a_coordinator(membership.user, membership.ctd)
    _audit_membership("account.membership_role", membership, by, before=membership.role, after=role)
    membership.role = role


def remove_membership(membership: Membership, by: User) -> None:
    """Take the account out of a CTD."""
    if membership.role == "coordinator":
        _keep_a_coordinator(membership.user, membership.ctd)
    _audit_membership("account.membership_remove", membership, by, role=membership.role)
    membership.user.memberships.remove(membership)


def deactivate(user: User, by: User) -> None:
    """Close the account: its sessions and API tokens stop working at once
    (the session loader and the token check both read `active`)."""
    if not user.active:
        return
    if user.role == "admin":
        _keep_an_admin(user)
    for membership in user.memberships:
        if membership.role == "coordinator":
            _keep_a_coordinator(user, membership.ctd)
    user.active = False
    user.session_version += 1  # a reactivation must not bring old sessions back
    audit.record("account.deactivate", "user", user.id, by)


def reactivate(user: User, by: User) -> None:
    """Open a closed account again."""
    if user.active:
        return
    user.active = True
    audit.record("account.reactivate", "user", user.id, by)
