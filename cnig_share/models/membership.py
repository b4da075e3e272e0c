"""A person's request to join a CTD, and the answer it received."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cnig_share.models.base import Base, utcnow

if TYPE_CHECKING:
    from cnig_share.models.accounts import User
    from cnig_share.models.ctd import Ctd

JOIN_REQUEST_STATUSES = {
    "pending": "En attente",
    "accepted": "Acceptée",
    "declined": "Refusée",
}

# One pending request per person and CTD, kept by the database itself: two
# submissions at once cannot both pass (both backends know partial indexes).
_PENDING_ONLY = text("status = 'pending'")


class JoinRequest(Base):
    """ "Demander à rejoindre": who asks, which CTD, why, and what was answered."""

    __tablename__ = "join_request"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'accepted', 'declined')", name="status"),
        CheckConstraint("granted_role IN ('member', 'coordinator')", name="granted_role"),
        Index(
            "uq_join_request_pending",
            "user_id",
            "ctd_id",
            unique=True,
            sqlite_where=_PENDING_ONLY,
            postgresql_where=_PENDING_ONLY,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    ctd_id: Mapped[int] = mapped_column(ForeignKey("ctd.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="pending")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    granted_role: Mapped[str | None] = mapped_column(String(20))
    decline_reason: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    ctd: Mapped[Ctd] = relationship()
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])

    @property
    def is_pending(self) -> bool:
        return self.status == "pending"

    @property
    def status_label(self) -> str:
        return JOIN_REQUEST_STATUSES[self.status]

    def __repr__(self) -> str:
        return f"<JoinRequest {self.user_id} → {self.ctd_id} {self.status}>"
