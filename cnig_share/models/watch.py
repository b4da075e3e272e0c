"""The CNIG watch (veille): selections of relayed resources."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cnig_share.models.base import Base, utcnow
from cnig_share.models.rendered import keep_rendered, rendered_column

if TYPE_CHECKING:
    from cnig_share.models.accounts import User
    from cnig_share.models.resources import Resource


class Selection(Base):
    """An ordered, introduced list of resources relayed by the CNIG watch."""

    __tablename__ = "selection"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    introduction: Mapped[str] = mapped_column(Text, default="")
    introduction_html: Mapped[str] = rendered_column()
    introduction_text: Mapped[str] = rendered_column()
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    published_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Bumped by every save: an edit is `UPDATE … WHERE version = :loaded`, so
    # of two concurrent ones the later fails (StaleDataError) instead of overwriting.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version}

    author: Mapped[User | None] = relationship()
    items: Mapped[list[SelectionItem]] = relationship(
        back_populates="selection", cascade="all, delete-orphan", order_by="SelectionItem.position"
    )


class SelectionItem(Base):
    """A resource at a place in a selection, with an optional relay note."""

    __tablename__ = "selection_item"
    __table_args__ = (
        UniqueConstraint("selection_id", "resource_id", name="uq_selection_item_resource"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    selection_id: Mapped[int] = mapped_column(ForeignKey("selection.id", ondelete="CASCADE"))
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resource.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(Text, default="")

    selection: Mapped[Selection] = relationship(back_populates="items")
    resource: Mapped[Resource] = relationship()


keep_rendered(Selection.introduction)
