"""A thing's follows go with it. The follow table names its target by (kind, id),
so no foreign key removes them, and SQLite may give the next row the id of the
last one deleted: a forgotten follow would follow a stranger."""

from __future__ import annotations

from sqlalchemy import delete, event
from sqlalchemy.orm import Session

from cnig_share.following.kinds import FOLLOW_KINDS
from cnig_share.models import Follow


def _forget_follows_of_deleted(session: Session, _context, _instances) -> None:
    doomed: dict[str, list[int]] = {}
    for instance in session.deleted:
        for kind in FOLLOW_KINDS.values():
            if isinstance(instance, kind.model):
                doomed.setdefault(kind.name, []).append(instance.id)
    for kind_name, ids in doomed.items():
        session.execute(
            delete(Follow).where(Follow.target_kind == kind_name, Follow.target_id.in_(ids))
        )


def init_app() -> None:
    if not getattr(init_app, "listening", False):
        event.listen(Session, "before_flush", _forget_follows_of_deleted)
        init_app.listening = True
