"""Who may do what: one function per decision, for views, API and templates.

Each takes the person asking (a User, an anonymous user or None) and the
object; none of them touches the request, so they read as a matrix. Seeing a
resource has a query side too (`visible_to`, `public`), so that lists, counts,
feeds, search and the API narrow their queries by the same rule as `can_view`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_login import AnonymousUserMixin
from sqlalchemy import ColumnElement, Select, or_, select, true

from cnig_share.models import (
    Consultation,
    Contribution,
    Ctd,
    Invitation,
    Message,
    Resource,
    Thread,
    User,
)

if TYPE_CHECKING:
    from cnig_share.resources.lifecycle import Transition

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
    if resource.is_published:
        return True
    return _curator(viewer) or _member_of(viewer, resource.ctd)


def public() -> ColumnElement[bool]:
    """What a visitor sees, as a where-clause over Resource: `can_view(None, …)` in SQL."""
    return Resource.is_published


def visible_to(viewer: Viewer) -> ColumnElement[bool]:
    """`can_view` as a where-clause over Resource, for lists, joins and counts."""
    user = _user(viewer)
    if user is not None and user.is_curator:
        return true()
    ctd_ids = [membership.ctd_id for membership in user.memberships] if user else []
    if ctd_ids:
        return or_(public(), Resource.ctd_id.in_(ctd_ids))
    return public()


def visible_resources(viewer: Viewer) -> Select[tuple[Resource]]:
    """The resources this person may see, to narrow, order and page further."""
    return select(Resource).where(visible_to(viewer))


def public_resources() -> Select[tuple[Resource]]:
    """The resources a visitor sees: pages, feeds, search and counts for all."""
    return visible_resources(None)


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


def can_make(viewer: Viewer, resource: Resource, transition: Transition) -> bool:
    """A step of the life cycle (lifecycle.TRANSITIONS) from one of its states: by
    curators, and by the CTD's members when the step is the authors' too."""
    if resource.status not in transition.sources:
        return False
    return _curator(viewer) or (transition.by_authors and _member_of(viewer, resource.ctd))


def can_feature(viewer: Viewer, resource: Resource) -> bool:
    """Featuring (à la une) and un-featuring, for published resources."""
    return resource.is_published and _curator(viewer)


def can_relay(viewer: Viewer, resource: Resource) -> bool:
    """The CNIG watch relays published resources."""
    return resource.is_published and _curator(viewer)


def can_review(viewer: Viewer, resource: Resource) -> bool:
    """Confirming a published resource is still accurate (its freshness date)."""
    return resource.is_published and _curator(viewer)


def can_mark_useful(viewer: Viewer, resource: Resource) -> bool:
    """ "Cette ressource m'a été utile": any signed-in person, on a published
    resource, except its author (whose vote would only count themself)."""
    user = _user(viewer)
    return user is not None and resource.is_published and resource.author_id != user.id


def can_see_audience(viewer: Viewer, resource: Resource) -> bool:
    """A resource's views and downloads: its CTD's members and curators."""
    return _curator(viewer) or _member_of(viewer, resource.ctd)


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


def can_invite_to_site_role(viewer: Viewer) -> bool:
    """Inviting into any CTD, or as curator or admin (/admin/comptes/invitations)."""
    return can_administer_accounts(viewer)


def can_manage_invitation(viewer: Viewer, invitation: Invitation) -> bool:
    """Sending an invitation again or revoking it: its CTD's managers; admins
    only when it gives a site role too (an admin chose to give it)."""
    if invitation.ctd is None or invitation.site_role != "member":
        return can_invite_to_site_role(viewer)
    return can_manage_members(viewer, invitation.ctd)


def can_administer_accounts(viewer: Viewer) -> bool:
    """Every account's site role, memberships and deactivation (/admin/comptes)."""
    user = _user(viewer)
    return user is not None and user.is_admin


def can_manage_actors(viewer: Viewer) -> bool:
    """The directory of national actors is kept by the CNIG team."""
    return _curator(viewer)


def _coordinator_of(viewer: Viewer, ctd: Ctd) -> bool:
    user = _user(viewer)
    return user is not None and any(
        m.ctd_id == ctd.id and m.role == "coordinator" for m in user.memberships
    )


def can_see_members(viewer: Viewer, ctd: Ctd) -> bool:
    """A CTD's list of members (/ctd/<slug>/membres): its members, curators and admins."""
    return _curator(viewer) or _member_of(viewer, ctd)


def can_manage_members(viewer: Viewer, ctd: Ctd) -> bool:
    """A CTD's roles, removals, join requests and invitations: its coordinators,
    curators and admins (who answer for a CTD without a coordinator)."""
    return _curator(viewer) or _coordinator_of(viewer, ctd)


def can_set_stage(viewer: Viewer, ctd: Ctd) -> bool:
    """Where a CTD stands (pas encore engagé, en préfiguration, constitué): its
    coordinators and the CNIG team."""
    return _curator(viewer) or _coordinator_of(viewer, ctd)


def can_ask_to_join(viewer: Viewer, ctd: Ctd) -> bool:
    """ "Demander à rejoindre": any signed-in person who is not a member yet."""
    user = _user(viewer)
    return user is not None and not user.is_member_of(ctd)


def can_follow(viewer: Viewer) -> bool:
    """Any signed-in, active account follows what a visitor may see (a ProConnect
    account without a CTD too); what may be followed is the kind's own rule."""
    return _user(viewer) is not None


# --- discussions (cnig_share/discussions/) -------------------------------------------------


def thread_subject_public(thread: Thread) -> bool:
    """A thread is public while its subject is: a resource only while published
    (a draft, submission or archived resource has no public discussion)."""
    if thread.subject_type == "resource":
        return thread.resource is not None and can_view(None, thread.resource)
    if thread.subject_type == "consultation":
        return thread.consultation is not None and can_see_consultation(None, thread.consultation)
    return True  # projects and roadmaps are public pages


def public_threads() -> ColumnElement[bool]:
    """`thread_subject_public` as a where-clause over Thread: every list, count,
    feed and API answer of discussions narrows its query by it."""
    from cnig_share.consultations.states import opened

    return or_(
        Thread.subject_type.not_in(("resource", "consultation")),
        Thread.resource_id.in_(select(Resource.id).where(public())),
        Thread.consultation_id.in_(select(Consultation.id).where(opened())),
    )


def can_view_thread(viewer: Viewer, thread: Thread) -> bool:
    """Everyone while its subject is public; curators always (to moderate)."""
    return thread_subject_public(thread) or _curator(viewer)


def can_start_thread(viewer: Viewer, subject_is_public: bool) -> bool:
    """Any signed-in, active account (a ProConnect agent without CTD too), on a public subject."""
    return _user(viewer) is not None and subject_is_public


def can_reply(viewer: Viewer, thread: Thread) -> bool:
    return _user(viewer) is not None and thread_subject_public(thread)


def _own_message(viewer: Viewer, message: Message) -> bool:
    user = _user(viewer)
    return user is not None and message.author_id == user.id


def can_edit_message(viewer: Viewer, message: Message) -> bool:
    """Its author, while it is neither deleted nor hidden and its thread is public."""
    return (
        _own_message(viewer, message)
        and message.is_public
        and thread_subject_public(message.thread)
    )


def can_delete_message(viewer: Viewer, message: Message) -> bool:
    """Its author (a hidden message too: taking one's words back is always allowed)."""
    return _own_message(viewer, message) and not message.is_deleted


def can_read_hidden(viewer: Viewer, message: Message) -> bool:
    """A hidden message's text: its author and the curators."""
    return _curator(viewer) or _own_message(viewer, message)


def can_see_message_versions(viewer: Viewer, message: Message) -> bool:
    return _curator(viewer)


def can_resolve(viewer: Viewer, thread: Thread) -> bool:
    """Marking a thread résolue (or open again): its author and the subject's CTD members."""
    user = _user(viewer)
    if user is None or not thread_subject_public(thread):
        return False
    if thread.ctd is None:  # a consultation: the CNIG's
        return thread.author_id == user.id or _curator(viewer)
    return thread.author_id == user.id or user.is_member_of(thread.ctd)


def can_moderate(viewer: Viewer) -> bool:
    """Hiding messages and handling reports (/curation/signalements): curators."""
    return _curator(viewer)


def can_report(viewer: Viewer) -> bool:
    """*Signaler*: any signed-in, active account."""
    return _user(viewer) is not None


# --- consultations (issue 19) ------------------------------------------------------------
# A consultation in preparation is the CNIG team's; a contribution's draft is its
# CTD's own deliberation (curators included out); a submitted contribution is
# public when its consultation's visibility rule says so (consultations/states.py).


def can_manage_consultations(viewer: Viewer) -> bool:
    """Creating, editing, dating, following and concluding consultations."""
    return _curator(viewer)


def can_see_consultation(viewer: Viewer, consultation: Consultation) -> bool:
    """In preparation: curators only (404 to others); then everyone."""
    from cnig_share.consultations.states import has_opened

    return _curator(viewer) or has_opened(consultation)


def is_consulted_member(viewer: Viewer, contribution: Contribution) -> bool:
    """A member of the contribution's CTD: they draft it together."""
    return _member_of(viewer, contribution.ctd)


def contributions_are_public(consultation: Consultation) -> bool:
    """Submitted contributions are public now: at submission (dès leur dépôt) once
    open, at closing (à la clôture), or never (jamais)."""
    from cnig_share.consultations.states import state

    current = state(consultation)
    if consultation.visibility == "deposit":
        return current != "preparation"
    if consultation.visibility == "closing":
        return current in ("closed", "synthesis")
    return False


def positions_are_public(consultation: Consultation) -> bool:
    """Aggregated positions: with the synthesis, and never when contributions are
    never public (a count can reveal one CTD's position)."""
    from cnig_share.consultations.states import state

    return state(consultation) == "synthesis" and consultation.visibility != "never"


def can_see_contribution(viewer: Viewer, contribution: Contribution) -> bool:
    """Its CTD's members always; curators once submitted; others once public."""
    if not can_see_consultation(viewer, contribution.consultation):
        return False
    if is_consulted_member(viewer, contribution):
        return True
    if contribution.status != "submitted":
        return False
    return _curator(viewer) or contributions_are_public(contribution.consultation)


def can_edit_contribution(viewer: Viewer, contribution: Contribution) -> bool:
    """Its CTD's members, while the consultation is open and the draft not submitted."""
    from cnig_share.consultations.states import is_open

    return (
        contribution.status == "draft"
        and is_open(contribution.consultation)
        and is_consulted_member(viewer, contribution)
    )


def speaks_for(viewer: Viewer, ctd: Ctd) -> bool:
    """Who submits, withdraws or declines in a CTD's name: a coordinator of the CTD,
    or any member when it has no active coordinator."""
    if _coordinator_of(viewer, ctd):
        return True
    has_coordinator = any(
        m.role == "coordinator" and m.user.active for m in ctd.memberships if m.user
    )
    return not has_coordinator and _member_of(viewer, ctd)


def can_submit_contribution(viewer: Viewer, contribution: Contribution) -> bool:
    """Submitting au nom du CTD, or declining: its voice, while the consultation is open."""
    from cnig_share.consultations.states import is_open

    return (
        contribution.status == "draft"
        and is_open(contribution.consultation)
        and speaks_for(viewer, contribution.ctd)
    )


def can_withdraw_contribution(viewer: Viewer, contribution: Contribution) -> bool:
    """Taking a submission (or a decline) back to edit again, while still open."""
    from cnig_share.consultations.states import is_open

    return (
        contribution.status in ("submitted", "declined")
        and is_open(contribution.consultation)
        and speaks_for(viewer, contribution.ctd)
    )
