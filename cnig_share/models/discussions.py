"""Discussions under what CTDs share (threads of messages), their messages'
earlier versions, and the reports people send to the CNIG's curators."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cnig_share.models.base import Base, utcnow
from cnig_share.models.rendered import keep_rendered, rendered_column

if TYPE_CHECKING:
    from cnig_share.models.accounts import User
    from cnig_share.models.consultations import Consultation
    from cnig_share.models.ctd import Ctd
    from cnig_share.models.resources import Resource
    from cnig_share.models.workspace import Project

# What a thread is about (slug → label, for filters and cards).
SUBJECT_TYPES = {
    "resource": "Ressource",
    "project": "Projet",
    "roadmap": "Feuille de route",
    "consultation": "Consultation",
}
# What people may report, and why.
REPORT_TARGETS = {"resource": "ressource", "project": "projet", "message": "message"}
REPORT_REASONS = {
    "inapproprie": "Inapproprié",
    "errone": "Erroné",
    "obsolete": "Obsolète",
    "doublon": "Doublon",
    "autre": "Autre",
}
REPORT_STATUSES = {"open": "À traiter", "closed": "Classé", "hidden": "Message masqué"}


def _in(values: dict[str, str]) -> str:
    return ", ".join(f"'{value}'" for value in values)


class Thread(Base):
    """A discussion: a title and a first message, then replies (one level).

    It belongs to one subject: a resource, a project, a CTD's roadmap (the
    CTD itself, whose current roadmap it discusses) or a consultation. `ctd_id`
    is the subject's CTD, kept for the filters and the CTD's page; a
    consultation, which asks many CTDs, has none."""

    __tablename__ = "discussion_thread"
    __table_args__ = (
        CheckConstraint(f"subject_type IN ({_in(SUBJECT_TYPES)})", name="subject_type"),
        CheckConstraint(
            "(subject_type = 'resource' AND resource_id IS NOT NULL AND project_id IS NULL"
            " AND consultation_id IS NULL AND ctd_id IS NOT NULL)"
            " OR (subject_type = 'project' AND project_id IS NOT NULL AND resource_id IS NULL"
            " AND consultation_id IS NULL AND ctd_id IS NOT NULL)"
            " OR (subject_type = 'roadmap' AND resource_id IS NULL AND project_id IS NULL"
            " AND consultation_id IS NULL AND ctd_id IS NOT NULL)"
            " OR (subject_type = 'consultation' AND consultation_id IS NOT NULL"
            " AND resource_id IS NULL AND project_id IS NULL AND ctd_id IS NULL)",
            name="subject",
        ),
        Index("ix_discussion_thread_last_message_at", "last_message_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(16))
    resource_id: Mapped[int | None] = mapped_column(
        ForeignKey("resource.id", ondelete="CASCADE"), index=True
    )
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    consultation_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    ctd_id: Mapped[int | None] = mapped_column(ForeignKey("ctd.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The latest visible activity: lists and feeds put the liveliest first.
    last_message_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    resource: Mapped[Resource | None] = relationship()
    project: Mapped[Project | None] = relationship()
    consultation: Mapped[Consultation | None] = relationship()
    ctd: Mapped[Ctd | None] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])
    messages: Mapped[list[Message]] = relationship(
        back_populates="thread", cascade="all, delete-orphan", order_by="Message.id"
    )

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None

    @property
    def subject_label(self) -> str:
        return SUBJECT_TYPES[self.subject_type]

    @property
    def owner_name(self) -> str:
        """Whose subject it is, in a few words: its CTD, or the CNIG's consultation."""
        return self.ctd.name if self.ctd is not None else "CNIG"

    def __repr__(self) -> str:
        return f"<Thread {self.id} on {self.subject_type}>"


class Message(Base):
    """One message of a thread, Markdown rendered once when saved.

    Deleting keeps the row (the thread shows "message supprimé" where replies
    follow); hiding is the moderators' and keeps the text for them and the author."""

    __tablename__ = "discussion_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("discussion_thread.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = rendered_column()
    body_text: Mapped[str] = rendered_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str] = mapped_column(String(300), default="")
    hidden_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    # Bumped by every save: of two concurrent edits the later fails (conflicts.py).
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version}

    thread: Mapped[Thread] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    hidden_by: Mapped[User | None] = relationship(foreign_keys=[hidden_by_id])
    versions: Mapped[list[MessageVersion]] = relationship(
        back_populates="message", cascade="all, delete-orphan", order_by="MessageVersion.id"
    )

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_public(self) -> bool:
        """Shown with its text to everyone (neither deleted nor hidden)."""
        return not self.is_deleted and not self.is_hidden


class MessageVersion(Base):
    """A message's text before an edit: the curators read a message's history."""

    __tablename__ = "discussion_message_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("discussion_message.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = rendered_column()
    body_text: Mapped[str] = rendered_column()
    # When this text was written (the message's creation or an earlier edit).
    written_at: Mapped[datetime] = mapped_column(default=utcnow)
    replaced_at: Mapped[datetime] = mapped_column(default=utcnow)

    message: Mapped[Message] = relationship(back_populates="versions")


# One open report per person and object, kept by the database itself.
_OPEN_ONLY = text("status = 'open'")


class Report(Base):
    """*Signaler*: someone tells the curators that a resource, a project or a
    message is inappropriate, wrong, outdated, a duplicate…"""

    __tablename__ = "report"
    __table_args__ = (
        CheckConstraint(f"target_type IN ({_in(REPORT_TARGETS)})", name="target_type"),
        CheckConstraint(f"reason IN ({_in(REPORT_REASONS)})", name="reason"),
        CheckConstraint(f"status IN ({_in(REPORT_STATUSES)})", name="status"),
        Index(
            "uq_report_open",
            "reporter_id",
            "target_type",
            "target_id",
            unique=True,
            sqlite_where=_OPEN_ONLY,
            postgresql_where=_OPEN_ONLY,
        ),
        Index("ix_report_target", "target_type", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # A deleted account's reports go with it (its words are its own).
    reporter_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int]
    reason: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    handled_at: Mapped[datetime | None]
    handled_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id])
    handled_by: Mapped[User | None] = relationship(foreign_keys=[handled_by_id])

    @property
    def reason_label(self) -> str:
        return REPORT_REASONS[self.reason]

    @property
    def status_label(self) -> str:
        return REPORT_STATUSES[self.status]


keep_rendered(Message.body)
keep_rendered(MessageVersion.body)
