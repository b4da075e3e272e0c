"""Who may do what: one function per decision, for views, API and templates."""

from __future__ import annotations

from flask_login import AnonymousUserMixin

from cnig_share.models import Resource, User

Viewer = User | AnonymousUserMixin | None


def _user(viewer: Viewer) -> User | None:
    return viewer if isinstance(viewer, User) and viewer.is_authenticated else None


def can_view(viewer: Viewer, resource: Resource) -> bool:
    """Published resources are public; the rest only to their CTD and curators."""
    if resource.status == "published":
        return True
    user = _user(viewer)
    if user is None:
        return False
    return user.is_curator or user.is_member_of(resource.ctd)
