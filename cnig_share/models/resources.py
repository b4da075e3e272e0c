"""What CTDs share: resources, their files, links and revisions."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cnig_share.models.base import Base, utcnow
from cnig_share.models.rendered import keep_rendered, rendered_column

if TYPE_CHECKING:
    from cnig_share.models.accounts import User
    from cnig_share.models.consultations import Consultation
    from cnig_share.models.ctd import Ctd
    from cnig_share.models.glossary import GlossaryTerm

KINDS = {
    "bonne-pratique": "Bonne pratique",
    "document": "Document",
    "retour-experience": "Retour d'expérience",
}
STATUSES = {
    "draft": "Brouillon",
    "submitted": "Soumise",
    "published": "Publiée",
    "archived": "Archivée",
}
DEFAULT_LICENCE = "Licence Ouverte 2.0"

resource_terms = Table(
    "resource_term",
    Base.metadata,
    Column("resource_id", ForeignKey("resource.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "term_id", ForeignKey("glossary_term.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


def _in(values: dict[str, str]) -> str:
    return ", ".join(f"'{value}'" for value in values)


class Resource(Base):
    """A best practice, document or experience report posted for a CTD."""

    __tablename__ = "resource"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_in(KINDS)})", name="kind"),
        CheckConstraint(f"status IN ({_in(STATUSES)})", name="status"),
        # The API lists what a caller may see, most recently updated first.
        Index("ix_resource_status_updated_at", "status", "updated_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = rendered_column()
    body_text: Mapped[str] = rendered_column()
    kind: Mapped[str] = mapped_column(String(32))
    ctd_id: Mapped[int] = mapped_column(ForeignKey("ctd.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    licence: Mapped[str] = mapped_column(String(200), default=DEFAULT_LICENCE)
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    featured: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Bumped by every save: an edit is `UPDATE … WHERE version = :loaded`, so
    # of two concurrent ones the later fails (StaleDataError) instead of overwriting.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version}
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    # When it was last submitted: the review queue runs oldest first.
    submitted_at: Mapped[datetime | None]
    # The freshness date set at publication: past it, curators check the resource.
    review_by: Mapped[datetime | None] = mapped_column(index=True)
    # Relayed by the CNIG watch, with a short note.
    relayed_at: Mapped[datetime | None] = mapped_column(index=True)
    relay_note: Mapped[str] = mapped_column(Text, default="")
    relayed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    ctd: Mapped[Ctd] = relationship(back_populates="resources")
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    relayed_by: Mapped[User | None] = relationship(foreign_keys=[relayed_by_id])
    terms: Mapped[list[GlossaryTerm]] = relationship(
        secondary=resource_terms, order_by="GlossaryTerm.pref_label"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="resource", cascade="all, delete-orphan", order_by="Attachment.id"
    )
    links: Mapped[list[Link]] = relationship(
        back_populates="resource", cascade="all, delete-orphan", order_by="Link.position"
    )
    revisions: Mapped[list[Revision]] = relationship(
        back_populates="resource", cascade="all, delete-orphan", order_by="Revision.id"
    )

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def status_label(self) -> str:
        return STATUSES[self.status]

    @hybrid_property
    def is_published(self) -> bool:
        """On a row, a bool; on the class, the SQL test (permissions.public reads it)."""
        return self.status == "published"

    @property
    def is_stale(self) -> bool:
        """Published and past its review date: to be checked by the CNIG team."""
        return self.is_published and self.review_by is not None and self.review_by < utcnow()

    @property
    def is_relayed(self) -> bool:
        return self.is_published and self.relayed_at is not None

    def __repr__(self) -> str:
        return f"<Resource {self.id} {self.status}>"


class Attachment(Base):
    """A file uploaded with a resource; its text is extracted for search, by
    `cnig-share worker`, which takes the pending ones as a queue."""

    __tablename__ = "attachment"
    __table_args__ = (
        CheckConstraint(
            "extraction IN ('pending', 'running', 'done', 'failed', 'none')", name="extraction"
        ),
        # A file belongs to a resource or to a consultation's documents, never both.
        CheckConstraint("(resource_id IS NULL) <> (consultation_id IS NULL)", name="owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int | None] = mapped_column(
        ForeignKey("resource.id", ondelete="CASCADE"), index=True
    )
    consultation_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    original_name: Mapped[str] = mapped_column(String(255))
    # A generated name: nothing a person typed reaches the file system.
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    media_type: Mapped[str] = mapped_column(String(127))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text, default="")
    # Text per page for PDFs ([{"page": 1, "text": "…"}]), so hits can name a page.
    pages: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    extraction: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    # Why the text could not be read, in French, shown beside the file.
    extraction_reason: Mapped[str] = mapped_column(String(300), default="")
    # When a worker took it: a job claimed long ago belongs to a dead worker.
    extraction_claimed_at: Mapped[datetime | None]
    extraction_attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    resource: Mapped[Resource | None] = relationship(back_populates="attachments")
    consultation: Mapped[Consultation | None] = relationship(back_populates="attachments")

    @property
    def owner(self) -> Resource | Consultation:
        """What the file was uploaded with."""
        return self.resource if self.resource_id is not None else self.consultation


class Link(Base):
    """An external link listed on a resource."""

    __tablename__ = "link"

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resource.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    url: Mapped[str] = mapped_column(String(2000))
    position: Mapped[int] = mapped_column(default=0)

    resource: Mapped[Resource] = relationship(back_populates="links")


class Revision(Base):
    """One saved edit of a published resource: who, when, what changed."""

    __tablename__ = "revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resource.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # {"field": {"old": …, "new": …}} for each field the edit changed.
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The state after the edit, so any two revisions can be compared or restored.
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")

    resource: Mapped[Resource] = relationship(back_populates="revisions")
    author: Mapped[User | None] = relationship()


keep_rendered(Resource.body)
