"""Selections: composing, ordering and publishing them. Curators only; each
change is an audit event."""

from __future__ import annotations

from datetime import datetime

from slugify import slugify
from sqlalchemy import select

from cnig_share import audit, conflicts
from cnig_share.extensions import db
from cnig_share.models import Resource, Selection, SelectionItem, User, utcnow


class SelectionError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def public_selections():
    """Selections whose publication date has come, newest first."""
    return (
        select(Selection)
        .where(Selection.published_at.is_not(None), Selection.published_at <= utcnow())
        .order_by(Selection.published_at.desc(), Selection.id.desc())
    )


def is_public(selection: Selection) -> bool:
    return selection.published_at is not None and selection.published_at <= utcnow()


def _free_slug(title: str) -> str:
    base = slugify(title, max_length=180) or "selection"
    slug, n = base, 1
    while db.session.scalar(select(Selection.id).where(Selection.slug == slug)) is not None:
        n += 1
        slug = f"{base}-{n}"
    return slug


def save_selection(
    selection: Selection | None,
    title: str,
    introduction: str,
    published_at: datetime | None,
    by: User,
    version: int | None = None,
) -> Selection:
    """Create or update; the address (slug) stays what it was at creation. An
    update made from `version` must find it still current (EditConflict)."""
    if selection is not None:
        conflicts.require_version(selection.version, version)
    if selection is None:
        selection = Selection(slug=_free_slug(title), author=by)
        db.session.add(selection)
        action = "selection.create"
    else:
        action = "selection.update"
    selection.title = title.strip()
    selection.introduction = introduction.strip()
    selection.published_at = published_at
    db.session.flush()
    audit.record(action, "selection", selection.id, by, title=selection.title)
    return selection


def add_item(selection: Selection, resource: Resource, note: str, by: User) -> None:
    if not resource.is_published:
        raise SelectionError("Seules les ressources publiées peuvent entrer dans une sélection.")
    if any(item.resource_id == resource.id for item in selection.items):
        raise SelectionError("Cette ressource est déjà dans la sélection.")
    position = max((item.position for item in selection.items), default=-1) + 1
    selection.items.append(SelectionItem(resource=resource, note=note.strip(), position=position))
    audit.record("selection.add", "selection", selection.id, by, resource_id=resource.id)


def move_item(selection: Selection, item_id: int, offset: int, by: User) -> None:
    """Swap an item with its neighbour above (-1) or below (+1)."""
    items = list(selection.items)
    index = next((i for i, item in enumerate(items) if item.id == item_id), None)
    if index is None:
        raise SelectionError("Cet élément n'est pas dans la sélection.")
    other = index + offset
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
        for position, item in enumerate(items):
            item.position = position
        audit.record("selection.move", "selection", selection.id, by, item_id=item_id)


def remove_item(selection: Selection, item_id: int, by: User) -> None:
    item = next((item for item in selection.items if item.id == item_id), None)
    if item is None:
        raise SelectionError("Cet élément n'est pas dans la sélection.")
    selection.items.remove(item)
    for position, remaining in enumerate(selection.items):
        remaining.position = position
    audit.record("selection.remove", "selection", selection.id, by, resource_id=item.resource_id)


def delete_selection(selection: Selection, by: User) -> None:
    audit.record("selection.delete", "selection", selection.id, by, title=selection.title)
    db.session.delete(selection)
