"""Reading discussions for everyone: the threads a visitor may see (their
subject public, permissions.public_threads), their counts, the latest ones, and
a thread's messages as a reader sees them (deleted, hidden)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from cnig_share import permissions
from cnig_share.extensions import db
from cnig_share.models import Ctd, Message, Thread, User

STATES = {"open": "Ouvertes", "resolved": "Résolues"}
FORMER_MEMBER = "ancien membre"


_SLUG = re.compile(r"[a-z0-9-]{1,100}")


def ctd_named(slug: str | None) -> Ctd | None:
    """The CTD a filter names; None for anything that cannot be a slug (a NUL
    byte, which PostgreSQL refuses in a query, included)."""
    if not slug or not _SLUG.fullmatch(slug):
        return None
    return db.session.scalar(select(Ctd).where(Ctd.slug == slug))


def public_threads() -> Select[tuple[Thread]]:
    """Threads on public subjects that still hold a message, liveliest first."""
    return (
        select(Thread)
        .where(permissions.public_threads())
        .options(selectinload(Thread.ctd), selectinload(Thread.author))
        .order_by(Thread.last_message_at.desc(), Thread.id.desc())
    )


def filtered(ctd: Ctd | None = None, kind: str = "", state: str = "") -> Select[tuple[Thread]]:
    """/discussions and its feed: by CTD, kind of subject, open or resolved."""
    query = public_threads()
    if ctd is not None:
        query = query.where(Thread.ctd_id == ctd.id)
    if kind:
        query = query.where(Thread.subject_type == kind)
    if state == "open":
        query = query.where(Thread.resolved_at.is_(None))
    elif state == "resolved":
        query = query.where(Thread.resolved_at.is_not(None))
    return query


def latest(ctd: Ctd | None = None, limit: int = 5) -> list[Thread]:
    """The liveliest public threads (the home page, a CTD's page)."""
    return list(db.session.scalars(filtered(ctd).limit(limit)))


def threads_of(subject_clause) -> list[Thread]:
    """The threads on one subject, liveliest first (the subject is public: the caller knows)."""
    return list(
        db.session.scalars(
            select(Thread)
            .where(subject_clause)
            .options(selectinload(Thread.author))
            .order_by(Thread.last_message_at.desc(), Thread.id.desc())
        )
    )


def count_on_resources(resource_ids: list[int]) -> dict[int, int]:
    """Resource id → its number of threads (cards and search results); the
    resources are public ones, so are their threads."""
    if not resource_ids:
        return {}
    rows = db.session.execute(
        select(Thread.resource_id, func.count(Thread.id))
        .where(Thread.resource_id.in_(resource_ids))
        .group_by(Thread.resource_id)
    )
    return {resource_id: count for resource_id, count in rows}


def reply_counts(threads: list[Thread]) -> dict[int, int]:
    """Thread id → its shown replies (not the first message, not the deleted)."""
    if not threads:
        return {}
    rows = db.session.execute(
        select(Message.thread_id, func.count(Message.id))
        .where(Message.thread_id.in_([t.id for t in threads]), Message.deleted_at.is_(None))
        .group_by(Message.thread_id)
    )
    return {thread_id: max(count - 1, 0) for thread_id, count in rows}


def author_name(user: User | None) -> str:
    """How a message is signed: the name (a deactivated account's too), or
    "ancien membre" once the account is deleted."""
    return user.display_name if user is not None else FORMER_MEMBER


@dataclass(frozen=True)
class Shown:
    """A message as one reader sees it."""

    message: Message
    state: str  # "public", "hidden" (placeholder), "hidden-readable" (author, curators),
    # "deleted" (placeholder)

    @property
    def id(self) -> int:
        return self.message.id

    @property
    def created_at(self) -> datetime:
        return self.message.created_at


def shown_messages(thread: Thread, viewer) -> list[Shown]:
    """The thread's messages for this reader: a deleted message is shown as
    "message supprimé" only where replies follow it, and dropped at the end."""
    shown: list[Shown] = []
    for message in thread.messages:
        if message.is_deleted:
            state = "deleted"
        elif message.is_hidden:
            state = "hidden-readable" if permissions.can_read_hidden(viewer, message) else "hidden"
        else:
            state = "public"
        shown.append(Shown(message, state))
    while shown and shown[-1].state == "deleted":
        shown.pop()
    return shown


def public_messages(thread: Thread) -> list[Message]:
    """What the API and feeds publish: neither hidden nor deleted."""
    return [message for message in thread.messages if message.is_public]
