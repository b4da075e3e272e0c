"""The comités territoriaux de la donnée and who belongs to them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cnig_share.models.base import Base, utcnow

if TYPE_CHECKING:
    from cnig_share.models.accounts import User
    from cnig_share.models.resources import Resource

MEMBERSHIP_ROLES = {"member": "Membre", "coordinator": "Animateur ou animatrice"}


class Ctd(Base):
    """A regional comité territorial de la donnée."""

    __tablename__ = "ctd"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str] = mapped_column(String(500), default="")
    contact: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="ctd", cascade="all, delete-orphan"
    )
    resources: Mapped[list[Resource]] = relationship(back_populates="ctd")

    def __repr__(self) -> str:
        return f"<Ctd {self.slug}>"


class Membership(Base):
    """A user's membership of a CTD, with the part they play in it."""

    __tablename__ = "membership"
    __table_args__ = (
        UniqueConstraint("user_id", "ctd_id", name="uq_membership_user_ctd"),
        CheckConstraint("role IN ('member', 'coordinator')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    ctd_id: Mapped[int] = mapped_column(ForeignKey("ctd.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="member")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    ctd: Mapped[Ctd] = relationship(back_populates="memberships")

    @property
    def role_label(self) -> str:
        return MEMBERSHIP_ROLES[self.role]
