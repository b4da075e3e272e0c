"""Marking a resource useful, withdrawing the mark, and counting marks.

Only published resources are counted anywhere: a mark on a resource later
archived stays stored (its author may withdraw it, it is in their data
export) but no page, card or sort shows it until the resource is public again."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import delete, func, select

from cnig_share import permissions, upserts
from cnig_share.extensions import db
from cnig_share.models import Resource, UsefulMark, User


class UsefulnessError(Exception):
    """A mark refused, with its HTTP status and French message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


NOT_PUBLISHED = "Seule une ressource publiée peut être signalée comme utile."
OWN_RESOURCE = "Vous avez rédigé cette ressource : votre avis ne compte pas dans son utilité."


def _check(user: User, resource: Resource) -> None:
    if not resource.is_published:
        raise UsefulnessError(409, NOT_PUBLISHED)
    if not permissions.can_mark_useful(user, resource):
        raise UsefulnessError(403, OWN_RESOURCE)


def mark(user: User, resource: Resource) -> None:
    """Count the person once; marking again changes nothing. The caller commits."""
    _check(user, resource)
    # INSERT … ON CONFLICT DO NOTHING: two clicks at once make one mark, no error.
    db.session.execute(
        upserts.insert(db.session, UsefulMark)
        .values(user_id=user.id, resource_id=resource.id)
        .on_conflict_do_nothing(index_elements=[UsefulMark.user_id, UsefulMark.resource_id])
    )


def withdraw(user: User, resource: Resource) -> None:
    """Take the person's mark back (none: nothing to do). The caller commits."""
    db.session.execute(
        delete(UsefulMark).where(
            UsefulMark.user_id == user.id, UsefulMark.resource_id == resource.id
        )
    )


def has_marked(user: Any, resource: Resource) -> bool:
    """Whether this signed-in person marked the resource useful."""
    if not isinstance(user, User) or not user.is_authenticated:
        return False
    found = db.session.get(UsefulMark, (user.id, resource.id))
    return found is not None


def count(resource: Resource) -> int:
    """How many people found it useful; 0 for a resource a visitor may not see."""
    return counts([resource.id]).get(resource.id, 0)


def counts(resource_ids: Collection[int]) -> dict[int, int]:
    """{resource id: marks} of those of the ids that are published and marked."""
    if not resource_ids:
        return {}
    return _published_counts(UsefulMark.resource_id.in_(list(resource_ids)))


def published_counts() -> dict[int, int]:
    """{resource id: marks} of every published resource marked at least once."""
    return _published_counts(None)


def _published_counts(where) -> dict[int, int]:
    query = (
        select(UsefulMark.resource_id, func.count())
        .join(Resource, Resource.id == UsefulMark.resource_id)
        .where(permissions.public())
        .group_by(UsefulMark.resource_id)
    )
    if where is not None:
        query = query.where(where)
    return {resource_id: int(n) for resource_id, n in db.session.execute(query)}


def marks_of(user: User) -> list[dict[str, Any]]:
    """The person's marks, for their data export: resource id, title, date."""
    rows = db.session.execute(
        select(UsefulMark.created_at, Resource.id, Resource.title)
        .join(Resource, Resource.id == UsefulMark.resource_id)
        .where(UsefulMark.user_id == user.id)
        .order_by(UsefulMark.created_at, Resource.id)
    )
    return [
        {"resource": resource_id, "title": title, "marked_at": created_at.isoformat()}
        for created_at, resource_id, title in rows
    ]


def forget(user: User) -> None:
    """A deleted account's marks go with it (the counts drop). The caller commits."""
    db.session.execute(delete(UsefulMark).where(UsefulMark.user_id == user.id))
