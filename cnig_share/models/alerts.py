"""Alerts: an email address following a search or a glossary term."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cnig_share.models.base import Base, utcnow

if TYPE_CHECKING:
    from cnig_share.models.glossary import GlossaryTerm

PERIODS = {"daily": "chaque jour", "weekly": "chaque semaine"}


class Subscription(Base):
    """One address, one search (or term), one period. No account needed:
    it is active once the address confirms it by a signed link."""

    __tablename__ = "subscription"
    __table_args__ = (UniqueConstraint("email", "key", name="uq_subscription_email_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    # The search's parameters ({"q": "...", "kind": [...], ...}); a term alert
    # is the search {"term": [slug]} with the term linked for its label.
    query: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    key: Mapped[str] = mapped_column(String(500))  # the query, canonical, for uniqueness
    term_id: Mapped[int | None] = mapped_column(ForeignKey("glossary_term.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(16), default="weekly")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    # New resources are those published after this moment.
    last_sent_at: Mapped[datetime | None]

    term: Mapped[GlossaryTerm | None] = relationship()


class ConfirmationCount(Base):
    """Confirmation emails sent to one address on one day (in Paris), so that the
    daily cap holds across worker processes and restarts without Redis."""

    __tablename__ = "alert_confirmation_count"

    email: Mapped[str] = mapped_column(String(320), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True, index=True)
    sent: Mapped[int] = mapped_column(default=0)
