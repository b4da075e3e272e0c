"""Invitations into a CTD (or to a site role), and each email that carried one."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cnig_share.models.accounts import ROLES
from cnig_share.models.base import Base, utcnow
from cnig_share.models.ctd import MEMBERSHIP_ROLES

if TYPE_CHECKING:
    from cnig_share.models.accounts import User
    from cnig_share.models.ctd import Ctd


class Invitation(Base):
    """Someone invited by address: into a CTD with a role there, and/or to a
    site role (admins only). Pending until accepted or revoked; its link is
    the one of its latest sending (`sendings` is signed into the link)."""

    __tablename__ = "invitation"
    __table_args__ = (
        CheckConstraint(
            "ctd_role IS NULL OR ctd_role IN ('member', 'coordinator')", name="ctd_role"
        ),
        CheckConstraint("site_role IN ('member', 'curator', 'admin')", name="site_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    ctd_id: Mapped[int | None] = mapped_column(ForeignKey("ctd.id", ondelete="CASCADE"), index=True)
    ctd_role: Mapped[str | None] = mapped_column(String(20))
    site_role: Mapped[str] = mapped_column(String(20), default="member")
    message: Mapped[str] = mapped_column(Text, default="")
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    sendings: Mapped[int] = mapped_column(default=0)
    accepted_at: Mapped[datetime | None]
    accepted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    revoked_at: Mapped[datetime | None]

    ctd: Mapped[Ctd | None] = relationship()
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None

    @property
    def ctd_role_label(self) -> str:
        return MEMBERSHIP_ROLES[self.ctd_role or "member"]

    @property
    def site_role_label(self) -> str:
        return ROLES[self.site_role]

    def __repr__(self) -> str:
        return f"<Invitation {self.id} {self.email}>"


class InvitationSending(Base):
    """One invitation email sent, by whom and when: the count a sender's
    INVITATION_RATE_LIMIT reads when no Redis is configured (rows are shared
    by every worker, unlike an in-memory counter)."""

    __tablename__ = "invitation_sending"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitation.id", ondelete="CASCADE"), index=True
    )
    sent_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    sent_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
