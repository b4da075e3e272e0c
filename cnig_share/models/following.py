"""Following: what a signed-in person follows, how they want to hear of it,
and the notifications waiting to be grouped."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cnig_share.models.base import Base, utcnow

# How a person hears of one kind of event: at once, in the digest, or not by email.
NOTIFICATION_MODES = {
    "immediate": "Immédiatement",
    "digest": "Dans le résumé",
    "none": "Pas de courriel",
}


class Follow(Base):
    """A person follows one thing. Generic over the thing's kind (a key of
    cnig_share.following.kinds.FOLLOW_KINDS: "ctd", "term", "resource"…), so a
    new kind is one entry there, not a new table."""

    __tablename__ = "follow"
    __table_args__ = (
        UniqueConstraint("user_id", "target_kind", "target_id", name="uq_follow_user_target"),
        # Who follows this thing: the notifications' question.
        Index("ix_follow_target", "target_kind", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    target_kind: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class NotificationSettings(Base):
    """A person's email preferences for what they follow: a mode per kind of
    event ({"publication": "digest", …}; a kind not named takes its default)
    and the digest's period."""

    __tablename__ = "notification_settings"
    __table_args__ = (CheckConstraint("period IN ('daily', 'weekly')", name="period"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    modes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    period: Mapped[str] = mapped_column(String(16), default="weekly")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The digest lists what happened after this moment.
    last_digest_at: Mapped[datetime | None]


class PendingNotification(Base):
    """An event a person asked to hear of at once, not sent yet because a
    message about the same subject left less than an hour ago."""

    __tablename__ = "notification_pending"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    # What the message is about, "resource:12" (a thread will be "thread:7").
    subject: Mapped[str] = mapped_column(String(60))
    event_kind: Mapped[str] = mapped_column(String(20))
    event_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class NotificationThrottle(Base):
    """When a person was last sent an immediate message about a subject. Taking
    the right to send is a conditional update of this row, so two events at once
    cannot both send."""

    __tablename__ = "notification_throttle"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    subject: Mapped[str] = mapped_column(String(60), primary_key=True)
    last_sent_at: Mapped[datetime] = mapped_column(default=utcnow)
