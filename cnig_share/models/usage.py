"""How the site is used, counted without tracking anyone: who found a
resource useful (a person's own mark, which they may withdraw), and counts
per day — views and downloads of a resource, words searched — that name no
one."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cnig_share.models.base import Base, utcnow


class UsefulMark(Base):
    """ "Cette ressource m'a été utile": one per account and resource."""

    __tablename__ = "useful_mark"

    # The pair is the key: a second mark by the same person cannot exist,
    # even when two requests arrive at once.
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resource.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ResourceDailyCount(Base):
    """Views of a resource's page and downloads of its files, one row per
    resource and day (a day in Paris): no cookie, address or browser kept."""

    __tablename__ = "resource_daily_count"
    __table_args__ = (UniqueConstraint("resource_id", "day", name="uq_resource_daily_count_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resource.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date] = mapped_column(index=True)
    views: Mapped[int] = mapped_column(default=0)
    downloads: Mapped[int] = mapped_column(default=0)


class SearchedWord(Base):
    """A word of a search that found something, counted per day. The query
    itself is never kept: only words of published content (search/popular.py)."""

    __tablename__ = "searched_word"
    __table_args__ = (UniqueConstraint("word", "day", name="uq_searched_word_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    word: Mapped[str] = mapped_column(String(60))
    day: Mapped[date] = mapped_column(index=True)
    count: Mapped[int] = mapped_column(default=1)
