"""Who may do what: one function per decision, for views, API and templates.

Each takes the person asking (a User, an anonymous user or None) and the
object; none of them touches the request, so they read as a matrix.
"""

from __future__ import annotations

from flask_login import AnonymousUserMixin

from cnig_share.models import Ctd, Resource, User

Viewer = User | AnonymousUserMixin | None


def _user(viewer: Viewer) -> User | None:
    if isinstance(viewer, User) and viewer.is_authenticated and viewer.active:
        return viewer
    return None


def _curator(viewer: Viewer) -> bool:
    user = _user(viewer)
    return user is not None and user.is_curator


def _member_of(viewer: Viewer, ctd: Ctd) -> bool:
    user = _user(viewer)
    return user is not None and user.is_member_of(ctd)


def can_view(viewer: Viewer, resource: Resource) -> bool:
    """Published resources are public; the rest only to their CTD and curators."""
    if resource.status == "published":
        return True
    return _curator(viewer) or _member_of(viewer, resource.ctd)


def can_create_in(viewer: Viewer, ctd: Ctd) -> bool:
    """Members post for their own CTDs; curators for any."""
    return _curator(viewer) or _member_of(viewer, ctd)


def can_create(viewer: Viewer) -> bool:
    user = _user(viewer)
    return user is not None and (user.is_curator or bool(user.memberships))


def can_edit(viewer: Viewer, resource: Resource) -> bool:
    """The CTD's members edit its resources until archived; curators always."""
    if _curator(viewer):
        return True
    return resource.status != "archived" and _member_of(viewer, resource.ctd)


def can_submit(viewer: Viewer, resource: Resource) -> bool:
    return resource.status == "draft" and (_curator(viewer) or _member_of(viewer, resource.ctd))


def can_publish(viewer: Viewer, resource: Resource) -> bool:
    return resource.status in ("draft", "submitted", "archived") and _curator(viewer)


def can_return(viewer: Viewer, resource: Resource) -> bool:
    return resource.status == "submitted" and _curator(viewer)


def can_archive(viewer: Viewer, resource: Resource) -> bool:
    return resource.status == "published" and _curator(viewer)


def can_feature(viewer: Viewer, resource: Resource) -> bool:
    """Featuring (à la une) and un-featuring, for published resources."""
    return resource.status == "published" and _curator(viewer)


def can_relay(viewer: Viewer, resource: Resource) -> bool:
    """The CNIG watch relays published resources."""
    return resource.status == "published" and _curator(viewer)


def can_review(viewer: Viewer, resource: Resource) -> bool:
    """Confirming a published resource is still accurate (its freshness date)."""
    return resource.status == "published" and _curator(viewer)


def can_curate(viewer: Viewer) -> bool:
    """The review queue, the audit log and the dashboard."""
    return _curator(viewer)


def can_restore_revision(viewer: Viewer, resource: Resource) -> bool:
    return _curator(viewer)


def can_manage_glossary(viewer: Viewer) -> bool:
    """Terms are created, edited, merged and deleted by the CNIG team."""
    return _curator(viewer)


def can_manage_workspace(viewer: Viewer, ctd: Ctd) -> bool:
    """A CTD's roadmap, governance, projects and costs: its members and curators."""
    return _curator(viewer) or _member_of(viewer, ctd)


def can_manage_actors(viewer: Viewer) -> bool:
    """The directory of national actors is kept by the CNIG team."""
    return _curator(viewer)
