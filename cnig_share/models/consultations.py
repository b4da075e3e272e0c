"""Consultations: the CNIG asks the CTDs, each CTD answers with one voice.

A consultation's state is never stored: it follows from its dates (days in
Paris) and from whether its synthesis is published, so no cron job has to
move it along (consultations/states.py reads it).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cnig_share.models.base import Base, utcnow
from cnig_share.models.rendered import keep_rendered, rendered_column

if TYPE_CHECKING:
    from cnig_share.models.accounts import User
    from cnig_share.models.ctd import Ctd
    from cnig_share.models.glossary import GlossaryTerm
    from cnig_share.models.resources import Attachment
    from cnig_share.models.workspace import NationalActor

# When the CTDs' contributions become public.
VISIBILITIES = {
    "closing": "À la clôture",
    "deposit": "Dès leur dépôt",
    "never": "Jamais (CNIG seulement)",
}
QUESTION_TYPES = {"text": "Texte libre", "position": "Position et justification"}
POSITIONS = {
    "favorable": "Favorable",
    "favorable-reserves": "Favorable avec réserves",
    "defavorable": "Défavorable",
    "sans-avis": "Sans avis",
}
CONTRIBUTION_STATUSES = {"draft": "Brouillon", "submitted": "Déposée", "declined": "Déclinée"}


def _in(values: dict[str, str]) -> str:
    return ", ".join(f"'{value}'" for value in values)


consultation_ctds = Table(
    "consultation_ctd",
    Base.metadata,
    Column("consultation_id", ForeignKey("consultation.id", ondelete="CASCADE"), primary_key=True),
    Column("ctd_id", ForeignKey("ctd.id", ondelete="CASCADE"), primary_key=True, index=True),
)
consultation_actors = Table(
    "consultation_actor",
    Base.metadata,
    Column("consultation_id", ForeignKey("consultation.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "actor_id",
        ForeignKey("national_actor.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)
consultation_terms = Table(
    "consultation_term",
    Base.metadata,
    Column("consultation_id", ForeignKey("consultation.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "term_id", ForeignKey("glossary_term.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class Consultation(Base):
    """A question the CNIG puts to the CTDs, with its dates and, in the end, its synthesis."""

    __tablename__ = "consultation"
    __table_args__ = (
        CheckConstraint(f"visibility IN ({_in(VISIBILITIES)})", name="visibility"),
        CheckConstraint("opens_on IS NULL OR opens_on <= closes_on", name="dates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    context: Mapped[str] = mapped_column(Text, default="")
    context_html: Mapped[str] = rendered_column()
    context_text: Mapped[str] = rendered_column()
    # No opening date: in preparation until a curator sets one.
    opens_on: Mapped[date | None]
    closes_on: Mapped[date]
    visibility: Mapped[str] = mapped_column(String(16), default="closing")
    synthesis: Mapped[str] = mapped_column(Text, default="")
    synthesis_html: Mapped[str] = rendered_column()
    synthesis_text: Mapped[str] = rendered_column()
    synthesis_published_at: Mapped[datetime | None]
    # The opening email went out (at once, or from `consultations remind`).
    opening_announced_at: Mapped[datetime | None]
    # The state in which the search index last took it: when the clock alone
    # moves it on (opening, closing), search.sync sees the two differ and reindexes it.
    indexed_state: Mapped[str | None] = mapped_column(String(16))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Bumped by every save: two curators editing at once cannot overwrite each other.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version}

    created_by: Mapped[User | None] = relationship()
    questions: Mapped[list[ConsultationQuestion]] = relationship(
        back_populates="consultation",
        cascade="all, delete-orphan",
        order_by="ConsultationQuestion.position",
    )
    ctds: Mapped[list[Ctd]] = relationship(secondary=consultation_ctds, order_by="Ctd.name")
    actors: Mapped[list[NationalActor]] = relationship(
        secondary=consultation_actors, order_by="NationalActor.name"
    )
    terms: Mapped[list[GlossaryTerm]] = relationship(
        secondary=consultation_terms, order_by="GlossaryTerm.pref_label"
    )
    contributions: Mapped[list[Contribution]] = relationship(
        back_populates="consultation", cascade="all, delete-orphan"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="consultation", cascade="all, delete-orphan", order_by="Attachment.id"
    )

    @property
    def visibility_label(self) -> str:
        return VISIBILITIES[self.visibility]

    def __repr__(self) -> str:
        return f"<Consultation {self.slug}>"


class ConsultationQuestion(Base):
    """One of a consultation's 1 to 10 questions."""

    __tablename__ = "consultation_question"
    __table_args__ = (CheckConstraint(f"type IN ({_in(QUESTION_TYPES)})", name="type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(String(1000))
    type: Mapped[str] = mapped_column(String(16), default="text")

    consultation: Mapped[Consultation] = relationship(back_populates="questions")

    @property
    def asks_position(self) -> bool:
        return self.type == "position"

    @property
    def number(self) -> int:
        return self.position + 1


class Contribution(Base):
    """A consulted CTD's answer: drafted together, submitted in the CTD's name, or declined."""

    __tablename__ = "contribution"
    __table_args__ = (
        UniqueConstraint("consultation_id", "ctd_id", name="uq_contribution_consultation_ctd"),
        CheckConstraint(f"status IN ({_in(CONTRIBUTION_STATUSES)})", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    ctd_id: Mapped[int] = mapped_column(ForeignKey("ctd.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    submitted_at: Mapped[datetime | None]
    submitted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    # The last submission, withdrawal or decline (saves are dated by their versions).
    last_activity_at: Mapped[datetime | None]
    # A submission, withdrawal or decline is a conditional update on this.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version}

    consultation: Mapped[Consultation] = relationship(back_populates="contributions")
    ctd: Mapped[Ctd] = relationship()
    submitted_by: Mapped[User | None] = relationship()
    answers: Mapped[list[ContributionAnswer]] = relationship(
        back_populates="contribution", cascade="all, delete-orphan"
    )

    @property
    def status_label(self) -> str:
        return CONTRIBUTION_STATUSES[self.status]

    def answer_to(self, question: ConsultationQuestion) -> ContributionAnswer | None:
        return next((a for a in self.answers if a.question_id == question.id), None)

    @property
    def last_activity(self) -> datetime | None:
        """Its last save, submission, withdrawal or decline: the follow-up shows it."""
        moments = [v.created_at for a in self.answers for v in a.versions]
        if self.last_activity_at is not None:
            moments.append(self.last_activity_at)
        return max(moments, default=None)


class ContributionAnswer(Base):
    """A contribution's answer to one question; every save keeps an AnswerVersion."""

    __tablename__ = "contribution_answer"
    __table_args__ = (
        UniqueConstraint("contribution_id", "question_id", name="uq_contribution_answer_question"),
        CheckConstraint(f"position IS NULL OR position IN ({_in(POSITIONS)})", name="position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contribution.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_question.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[str | None] = mapped_column(String(24))
    text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # The save's form names the version it was loaded with: a stale one gets 409.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version}

    contribution: Mapped[Contribution] = relationship(back_populates="answers")
    question: Mapped[ConsultationQuestion] = relationship()
    versions: Mapped[list[AnswerVersion]] = relationship(
        back_populates="answer", cascade="all, delete-orphan", order_by="AnswerVersion.id"
    )

    @property
    def position_label(self) -> str:
        return POSITIONS.get(self.position or "", "")


class AnswerVersion(Base):
    """One save of an answer: who, when, what it then said."""

    __tablename__ = "answer_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(
        ForeignKey("contribution_answer.id", ondelete="CASCADE"), index=True
    )
    # Kept when the account is deleted: the contribution is the CTD's ("ancien membre").
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    position: Mapped[str | None] = mapped_column(String(24))
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    answer: Mapped[ContributionAnswer] = relationship(back_populates="versions")
    author: Mapped[User | None] = relationship()


class ConsultationReminder(Base):
    """A reminder sent for a closing date: each goes once per date (an extension
    brings a new date, hence new reminders)."""

    __tablename__ = "consultation_reminder"
    __table_args__ = (
        UniqueConstraint(
            "consultation_id", "closes_on", "days", name="uq_consultation_reminder_once"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    closes_on: Mapped[date]
    days: Mapped[int]
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


# What those who follow a consultation hear of (following/: its feed source).
CONSULTATION_EVENTS = {
    "opening": "Ouverture de la consultation",
    "extension": "Nouvelle date de clôture",
    "closing": "Clôture de la consultation",
    "synthesis": "Synthèse publiée",
}


class ConsultationEvent(Base):
    """Something that happened to a consultation once it opened, for /fil and the
    followers' emails; never one in preparation. Each kind once per closing date
    (two runs of `consultations remind` record one closing).

    `happened_at` is when it happened (a closing at 23:59:59 Paris, an opening that
    came with its date at 00:00), which /fil shows and orders by; `created_at` when
    it was recorded (by `consultations remind`, for those two: later), which the
    digests' windows read, so an event recorded late is still in the next digest."""

    __tablename__ = "consultation_event"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_in(CONSULTATION_EVENTS)})", name="kind"),
        UniqueConstraint("consultation_id", "kind", "closes_on", name="uq_consultation_event_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    closes_on: Mapped[date]  # the closing date it was told with
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    happened_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    consultation: Mapped[Consultation] = relationship()

    @property
    def label(self) -> str:
        return CONSULTATION_EVENTS[self.kind]


keep_rendered(Consultation.context)
keep_rendered(Consultation.synthesis)
