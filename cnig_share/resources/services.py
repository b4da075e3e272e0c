"""The rules of a resource's life: creating, editing with revisions, and the
transitions draft → submitted → published → archived. Pages and API call
these; each checks its permission and records an audit event."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import select

from cnig_share import audit, conflicts, permissions
from cnig_share.dates import add_months
from cnig_share.extensions import db
from cnig_share.models import (
    DEFAULT_LICENCE,
    AuditEvent,
    Ctd,
    GlossaryTerm,
    Link,
    Resource,
    Revision,
    User,
    utcnow,
)
from cnig_share.resources import notifications

RELAY_NOTE_MAX = 500


class ResourceError(Exception):
    """A request the rules refuse; `status` is the HTTP answer (403, 409…)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass
class ResourceInput:
    """What a person may set on a resource, already validated in shape."""

    title: str
    kind: str
    ctd: Ctd
    summary: str = ""
    body: str = ""
    terms: list[GlossaryTerm] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    licence: str = DEFAULT_LICENCE


# Fields compared for revisions, with how to read each as plain data.
TRACKED_FIELDS = {
    "title": lambda r: r.title,
    "summary": lambda r: r.summary,
    "body": lambda r: r.body,
    "kind": lambda r: r.kind,
    "ctd": lambda r: r.ctd.slug,
    "licence": lambda r: r.licence,
    "terms": lambda r: [term.pref_label for term in r.terms],
    "links": lambda r: [[link.title, link.url] for link in r.links],
}


def _state(resource: Resource) -> dict[str, Any]:
    return {name: read(resource) for name, read in TRACKED_FIELDS.items()}


def _apply(resource: Resource, data: ResourceInput) -> None:
    resource.title = data.title.strip()
    resource.summary = data.summary.strip()
    resource.body = data.body
    resource.kind = data.kind
    resource.ctd = data.ctd
    resource.terms = list(dict.fromkeys(data.terms))
    resource.licence = data.licence.strip() or DEFAULT_LICENCE
    resource.links = [
        Link(title=(title.strip() or url.strip()), url=url.strip(), position=position)
        for position, (title, url) in enumerate(data.links)
    ]


def create_resource(data: ResourceInput, by: User) -> Resource:
    """A new draft for a CTD the author belongs to."""
    if not permissions.can_create_in(by, data.ctd):
        raise ResourceError("Vous ne pouvez publier que pour vos propres CTD.", 403)
    resource = Resource(author=by, status="draft")
    _apply(resource, data)
    db.session.add(resource)
    db.session.flush()
    audit.record("resource.create", "resource", resource.id, by)
    return resource


def update_resource(
    resource: Resource, data: ResourceInput, by: User, version: int | None = None
) -> Revision | None:
    """Save an edit; a published resource keeps a revision of what changed.
    `version`, the one the edit was made from, must still be the current one."""
    if not permissions.can_edit(by, resource):
        raise ResourceError("Vous ne pouvez pas modifier cette ressource.", 403)
    if data.ctd.id != resource.ctd_id and not permissions.can_create_in(by, data.ctd):
        raise ResourceError("Vous ne pouvez rattacher une ressource qu'à vos propres CTD.", 403)
    conflicts.require_version(resource.version, version)
    before = _state(resource)
    _apply(resource, data)
    after = _state(resource)
    changes = {
        name: {"old": before[name], "new": after[name]}
        for name in TRACKED_FIELDS
        if before[name] != after[name]
    }
    if not changes:
        return None
    resource.updated_at = utcnow()
    audit.record("resource.update", "resource", resource.id, by, fields=sorted(changes))
    if resource.status != "published":
        return None
    return _add_revision(resource, by, changes)


def _add_revision(resource: Resource, by: User | None, changes: dict[str, Any]) -> Revision:
    revision = Revision(
        resource=resource,
        author=by,
        changes=changes,
        title=resource.title,
        summary=resource.summary,
        body=resource.body,
    )
    db.session.add(revision)
    return revision


def submit(resource: Resource, by: User) -> None:
    """Draft → submitted, for the CNIG team to review."""
    _check(permissions.can_submit(by, resource), resource, by, "draft")
    resource.status = "submitted"
    resource.submitted_at = utcnow()
    audit.record("resource.submit", "resource", resource.id, by)


def publish(resource: Resource, by: User) -> None:
    """Submitted (or draft, or archived) → published; curators only."""
    _check(permissions.can_publish(by, resource), resource, by, "draft", "submitted", "archived")
    previous = resource.status
    resource.status = "published"
    now = utcnow()
    if resource.published_at is None:
        resource.published_at = now
    resource.updated_at = now
    resource.review_by = _next_review(now)
    # The published text is the first revision, so later edits can be compared to it.
    _add_revision(resource, by, {"status": {"old": previous, "new": "published"}})
    audit.record("resource.publish", "resource", resource.id, by, previous=previous)
    if previous == "submitted":
        notifications.published(resource)


def return_to_draft(resource: Resource, by: User, comment: str) -> None:
    """Submitted → draft, with the curator's comment for the authors."""
    _check(permissions.can_return(by, resource), resource, by, "submitted")
    comment = comment.strip()
    if not comment:
        raise ResourceError("Expliquez aux auteurs ce qui doit être revu.", 422)
    resource.status = "draft"
    audit.record("resource.return", "resource", resource.id, by, comment=comment)
    notifications.returned(resource, comment)


def archive(resource: Resource, by: User) -> None:
    """Published → archived: no longer public, kept for the record."""
    _check(permissions.can_archive(by, resource), resource, by, "published")
    resource.status = "archived"
    resource.featured = False
    audit.record("resource.archive", "resource", resource.id, by)


def _next_review(now: datetime) -> datetime:
    return add_months(now, current_app.config["REVIEW_AFTER_MONTHS"])


def mark_reviewed(resource: Resource, by: User) -> None:
    """A curator checked that a published resource is still accurate."""
    _check(permissions.can_review(by, resource), resource, by, "published")
    resource.review_by = _next_review(utcnow())
    audit.record("resource.review", "resource", resource.id, by)


def relay(resource: Resource, by: User, note: str) -> None:
    """The CNIG watch relays a published resource, with a short note."""
    _check(permissions.can_relay(by, resource), resource, by, "published")
    note = " ".join(note.split())
    if not note:
        raise ResourceError("Dites en une phrase pourquoi le CNIG relaie cette ressource.", 422)
    if len(note) > RELAY_NOTE_MAX:
        raise ResourceError(f"La note de relais tient en {RELAY_NOTE_MAX} caractères.", 422)
    first = resource.relayed_at is None
    resource.relayed_at = resource.relayed_at or utcnow()
    resource.relay_note = note
    resource.relayed_by = by
    audit.record("resource.relay" if first else "resource.relay_note", "resource",
                 resource.id, by, note=note)  # fmt: skip


def unrelay(resource: Resource, by: User) -> None:
    _check(permissions.can_relay(by, resource), resource, by, "published")
    resource.relayed_at, resource.relay_note, resource.relayed_by = None, "", None
    audit.record("resource.unrelay", "resource", resource.id, by)


def set_featured(resource: Resource, by: User, featured: bool) -> None:
    """Put a published resource à la une, or take it off."""
    _check(permissions.can_feature(by, resource), resource, by, "published")
    resource.featured = featured
    audit.record(
        "resource.feature" if featured else "resource.unfeature", "resource", resource.id, by
    )


def restore_revision(resource: Resource, revision: Revision, by: User) -> Revision | None:
    """Bring back the title, summary and body of an earlier revision."""
    if not permissions.can_restore_revision(by, resource):
        raise ResourceError("Seule l'équipe du CNIG peut restaurer une révision.", 403)
    if revision.resource_id != resource.id:
        raise ResourceError("Cette révision n'appartient pas à cette ressource.", 404)
    data = input_from(resource)
    data.title, data.summary, data.body = revision.title, revision.summary, revision.body
    new = update_resource(resource, data, by)
    audit.record("resource.restore", "resource", resource.id, by, revision=revision.id)
    return new


def input_from(resource: Resource) -> ResourceInput:
    """The resource's current values, as an edit would submit them unchanged."""
    return ResourceInput(
        title=resource.title,
        kind=resource.kind,
        ctd=resource.ctd,
        summary=resource.summary,
        body=resource.body,
        terms=list(resource.terms),
        links=[(link.title, link.url) for link in resource.links],
        licence=resource.licence,
    )


def _check(allowed: bool, resource: Resource, by: User, *states: str) -> None:
    """Refuse a transition: 409 when the state is wrong, 403 when the person is."""
    if allowed:
        return
    if resource.status not in states:
        raise ResourceError(
            f"Impossible : la ressource est à l'état « {resource.status_label.lower()} ».", 409
        )
    raise ResourceError("Vous n'avez pas le droit d'effectuer cette action.", 403)


def last_return_comment(resource: Resource) -> AuditEvent | None:
    """The curator's latest "return" event, shown to the authors of a draft."""
    return db.session.scalar(
        select(AuditEvent)
        .where(
            AuditEvent.target_type == "resource",
            AuditEvent.target_id == resource.id,
            AuditEvent.action == "resource.return",
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
