"""The rules of a resource's life: creating, editing with revisions, featuring,
relaying, checking (its transitions between states are in `lifecycle`). Pages
and API call these; each checks its permission and records an audit event."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import select

from cnig_share import audit, conflicts, following, permissions
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

RELAY_NOTE_MAX = 500
# Featuring, relaying and checking apply to what is public.
PUBLISHED_ONLY = frozenset({"published"})


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
    if not resource.is_published:
        return None
    revision = add_revision(resource, by, changes)
    db.session.flush()
    following.notify("version", revision.id, by)
    return revision


def add_revision(resource: Resource, by: User | None, changes: dict[str, Any]) -> Revision:
    """Keep the resource's current text, with what changed and who changed it."""
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


def next_review(now: datetime) -> datetime:
    """When a resource published or checked now is due for another check."""
    return add_months(now, current_app.config["REVIEW_AFTER_MONTHS"])


def mark_reviewed(resource: Resource, by: User) -> None:
    """A curator checked that a published resource is still accurate."""
    require(permissions.can_review(by, resource), resource, PUBLISHED_ONLY)
    resource.review_by = next_review(utcnow())
    audit.record("resource.review", "resource", resource.id, by)


def relay(resource: Resource, by: User, note: str) -> None:
    """The CNIG watch relays a published resource, with a short note."""
    require(permissions.can_relay(by, resource), resource, PUBLISHED_ONLY)
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
    require(permissions.can_relay(by, resource), resource, PUBLISHED_ONLY)
    resource.relayed_at, resource.relay_note, resource.relayed_by = None, "", None
    audit.record("resource.unrelay", "resource", resource.id, by)


def set_featured(resource: Resource, by: User, featured: bool) -> None:
    """Put a published resource à la une, or take it off."""
    require(permissions.can_feature(by, resource), resource, PUBLISHED_ONLY)
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


def require(allowed: bool, resource: Resource, states: Collection[str]) -> None:
    """Refuse an action (a transition, a relay…) not allowed: 409 when the
    resource is not in one of `states`, 403 when the person may not."""
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
