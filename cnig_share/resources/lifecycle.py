"""A resource's life: draft → submitted → published → archived, and back from
submitted to draft with a curator's comment. One table, TRANSITIONS, says for
each step from which states, by whom, what it does and how it is said; the
permission (`permissions.can_make`), the pages, the curation queue and the API
all read it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cnig_share import audit, following, permissions
from cnig_share.extensions import db
from cnig_share.models import Resource, User, utcnow
from cnig_share.resources import notifications, services


@dataclass(frozen=True)
class Transition:
    """One step of the life cycle, as every part of the site knows it."""

    name: str  # the API's path (…/publish) and the audit action (resource.publish)
    path: str  # the web's path: /ressources/<id>/publier
    sources: frozenset[str]
    target: str
    by_authors: bool  # the CTD's members may take it, not only curators
    apply: Callable[..., None]  # (resource, by, *details): checks, then moves
    label: str  # its button
    outcome: str  # what is said after "La ressource est" (or "« titre » est")


def check(transition: Transition, resource: Resource, by: User) -> None:
    """Refuse a step this person may not take from the resource's state (403, 409)."""
    allowed = permissions.can_make(by, resource, transition)
    services.require(allowed, resource, transition.sources)


def _move(transition: Transition, resource: Resource, by: User, **details: object) -> str:
    """Take the step (already checked); returns the state left."""
    previous = resource.status
    resource.status = transition.target
    audit.record(f"resource.{transition.name}", "resource", resource.id, by, **details)
    return previous


def submit(resource: Resource, by: User) -> None:
    """Draft → submitted, for the CNIG team to review."""
    check(SUBMIT, resource, by)
    resource.submitted_at = utcnow()
    _move(SUBMIT, resource, by)


def publish(resource: Resource, by: User) -> None:
    """Submitted (or draft, or archived) → published; curators only."""
    check(PUBLISH, resource, by)
    now = utcnow()
    first_time = resource.published_at is None
    if first_time:
        resource.published_at = now
    resource.updated_at = now
    resource.review_by = services.next_review(now)
    previous = _move(PUBLISH, resource, by, previous=resource.status)
    # The published text is the first revision, so later edits can be compared to it.
    services.add_revision(resource, by, {"status": {"old": previous, "new": PUBLISH.target}})
    if previous == "submitted":
        notifications.published(resource)
    if first_time:  # a resource back from the archive is not news to its followers
        db.session.flush()
        following.notify("publication", resource.id, by)


def return_to_draft(resource: Resource, by: User, comment: str) -> None:
    """Submitted → draft, with the curator's comment for the authors."""
    check(RETURN, resource, by)
    comment = comment.strip()
    if not comment:
        raise services.ResourceError("Expliquez aux auteurs ce qui doit être revu.", 422)
    _move(RETURN, resource, by, comment=comment)
    notifications.returned(resource, comment)


def archive(resource: Resource, by: User) -> None:
    """Published → archived: no longer public, kept for the record."""
    check(ARCHIVE, resource, by)
    resource.featured = False
    _move(ARCHIVE, resource, by)


SUBMIT = Transition(
    "submit", "soumettre", frozenset({"draft"}), "submitted", True, submit,
    "Soumettre pour publication", "soumise à l'équipe du CNIG",
)  # fmt: skip
PUBLISH = Transition(
    "publish", "publier", frozenset({"draft", "submitted", "archived"}), "published", False,
    publish, "Publier", "publiée",
)  # fmt: skip
RETURN = Transition(
    "return", "renvoyer", frozenset({"submitted"}), "draft", False, return_to_draft,
    "Renvoyer aux auteurs", "renvoyée à ses auteurs avec votre commentaire",
)  # fmt: skip
ARCHIVE = Transition(
    "archive", "archiver", frozenset({"published"}), "archived", False, archive,
    "Archiver", "archivée : elle n'est plus publique",
)  # fmt: skip

TRANSITIONS = {transition.name: transition for transition in (SUBMIT, PUBLISH, RETURN, ARCHIVE)}
AT_PATH = {transition.path: transition for transition in TRANSITIONS.values()}


def allowed(viewer: permissions.Viewer, resource: Resource) -> list[Transition]:
    """The steps this person may take now, in the table's order (the page's buttons)."""
    return [t for t in TRANSITIONS.values() if permissions.can_make(viewer, resource, t)]


def leading_to(status: str) -> Transition | None:
    """The step that ends in this state (each state has one), None for an unknown state."""
    return next((t for t in TRANSITIONS.values() if t.target == status), None)


def steps(start: str, end: str) -> list[Transition]:
    """The shortest chain of steps from one state to another, e.g. draft → archived
    is publish then archive (a record created in a later state)."""
    chains: dict[str, list[Transition]] = {start: []}
    waiting = [start]
    while waiting:
        state = waiting.pop(0)
        for transition in TRANSITIONS.values():
            if state in transition.sources and transition.target not in chains:
                chains[transition.target] = [*chains[state], transition]
                waiting.append(transition.target)
    return chains[end]
