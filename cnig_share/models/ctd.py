"""The comités territoriaux de la donnée and who belongs to them."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cnig_share.models.base import Base, utcnow

if TYPE_CHECKING:
    from cnig_share.models.accounts import User
    from cnig_share.models.resources import Resource

MEMBERSHIP_ROLES = {"member": "Membre", "coordinator": "Animateur ou animatrice"}
# Where a CTD stands (SPEC §12), in the order a CTD goes through them.
CTD_STAGES = {
    "not-engaged": "pas encore engagé",
    "preparation": "en préfiguration",
    "constituted": "constitué",
}
_STAGE_VALUES = ", ".join(f"'{value}'" for value in CTD_STAGES)


class Ctd(Base):
    """A regional comité territorial de la donnée."""

    __tablename__ = "ctd"
    __table_args__ = (CheckConstraint(f"stage IN ({_STAGE_VALUES})", name="stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str] = mapped_column(String(500), default="")
    contact: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    stage: Mapped[str] = mapped_column(
        String(20), default="not-engaged", server_default="not-engaged"
    )
    installed_on: Mapped[date | None]
    # Bumped by every change of stage: a change is `UPDATE … WHERE stage_version
    # = :loaded`, so of two people setting the stage at once the later is refused.
    stage_version: Mapped[int] = mapped_column(default=0, server_default="0")

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="ctd", cascade="all, delete-orphan"
    )
    resources: Mapped[list[Resource]] = relationship(back_populates="ctd")

    def __repr__(self) -> str:
        return f"<Ctd {self.slug}>"

    @property
    def stage_label(self) -> str:
        return CTD_STAGES[self.stage]


class CtdStageChange(Base):
    """One change of a CTD's stage: the history its feed announces."""

    __tablename__ = "ctd_stage_change"
    __table_args__ = (CheckConstraint(f"stage IN ({_STAGE_VALUES})", name="stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ctd_id: Mapped[int] = mapped_column(ForeignKey("ctd.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    installed_on: Mapped[date | None]
    # None: set by the reference data (init-db), or by an account since deleted.
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    ctd: Mapped[Ctd] = relationship()
    author: Mapped[User | None] = relationship()

    @property
    def stage_label(self) -> str:
        return CTD_STAGES[self.stage]


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
