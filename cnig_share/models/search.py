"""The search outbox: index updates owed, durable with the commit that caused them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cnig_share.models.base import Base, utcnow


class SearchOutbox(Base):
    """An index entry that must be rewritten (or removed): a resource, a
    project or a national actor, named by its document key (search.keys).

    Written in the same transaction as the change, deleted once the index
    has it: a worker that dies in between leaves the row for the next one.
    A row whose document cannot be indexed counts its failures and, after
    SEARCH_OUTBOX_MAX_ATTEMPTS, is set aside (quarantined) so that the
    others go through; `search check` lists it, `search reindex` clears it.
    """

    __tablename__ = "search_outbox"
    # Rows are deleted by id once applied: SQLite must never give a deleted
    # row's id to a new one, or an applier would delete an update it never saw.
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    # No foreign key: a deleted resource still needs its entry removed.
    document: Mapped[str] = mapped_column(String(40), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)
    quarantined_at: Mapped[datetime | None] = mapped_column(index=True)


class SearchMiss(Base):
    """A query that found nothing, counted per day: what people look for and
    the glossary lacks. Only the folded text is kept, nothing about who asked."""

    __tablename__ = "search_miss"
    __table_args__ = (UniqueConstraint("query", "day", name="uq_search_miss_query_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    query: Mapped[str] = mapped_column(String(200))
    day: Mapped[date] = mapped_column(index=True)
    count: Mapped[int] = mapped_column(default=1)
