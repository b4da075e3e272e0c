"""The admins' decisions on an account, each audited, each keeping the site with
an active admin and every CTD that has a coordinator with one."""

from __future__ import annotations

from cnig_share import audit
from cnig_share.accounts import keepers
from cnig_share.extensions import db
from cnig_share.models import MEMBERSHIP_ROLES, ROLES, Ctd, Membership, User


class AdminError(ValueError):
    """A decision refused by a rule; the message is French."""


def _keep_an_admin(user: User) -> None:
    if keepers.is_last_active_admin(user, lock=True):
        raise AdminError(keepers.LAST_ADMIN)


def _keep_a_coordinator(user: User, ctd: Ctd) -> None:
    if keepers.is_last_coordinator(user, ctd):
        raise AdminError(keepers.LAST_COORDINATOR.format(ctd=ctd.name))


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
    refusal = keepers.refusal_to_leave(user)
    if refusal is not None:
        raise AdminError(refusal)
    user.active = False
    user.session_version += 1  # a reactivation must not bring old sessions back
    audit.record("account.deactivate", "user", user.id, by)


def reactivate(user: User, by: User) -> None:
    """Open a closed account again."""
    if user.active:
        return
    user.active = True
    audit.record("account.reactivate", "user", user.id, by)
