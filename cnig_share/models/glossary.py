"""The reference glossary: SKOS concepts with labels and relations."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cnig_share.models.base import Base, utcnow
from cnig_share.models.rendered import keep_rendered, rendered_column

# skos:broader, one row per (narrower, broader) pair; a term may have several.
term_broader = Table(
    "term_broader",
    Base.metadata,
    Column("narrower_id", ForeignKey("glossary_term.id", ondelete="CASCADE"), primary_key=True),
    Column("broader_id", ForeignKey("glossary_term.id", ondelete="CASCADE"), primary_key=True),
)

# skos:related is symmetric: the domain code stores both directions.
term_related = Table(
    "term_related",
    Base.metadata,
    Column("term_id", ForeignKey("glossary_term.id", ondelete="CASCADE"), primary_key=True),
    Column("related_id", ForeignKey("glossary_term.id", ondelete="CASCADE"), primary_key=True),
)


class GlossaryTerm(Base):
    """A concept of the glossary (skos:Concept)."""

    __tablename__ = "glossary_term"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    pref_label: Mapped[str] = mapped_column(String(200), unique=True)
    definition: Mapped[str] = mapped_column(Text, default="")
    definition_html: Mapped[str] = rendered_column()
    definition_text: Mapped[str] = rendered_column()
    scope_note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Bumped by every save: an edit is `UPDATE … WHERE version = :loaded`, so
    # of two concurrent ones the later fails (StaleDataError) instead of overwriting.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version}

    alt_labels: Mapped[list[TermLabel]] = relationship(
        back_populates="term", cascade="all, delete-orphan", order_by="TermLabel.label"
    )
    broader: Mapped[list[GlossaryTerm]] = relationship(
        secondary=term_broader,
        primaryjoin=lambda: GlossaryTerm.id == term_broader.c.narrower_id,
        secondaryjoin=lambda: GlossaryTerm.id == term_broader.c.broader_id,
        back_populates="narrower",
        order_by=lambda: GlossaryTerm.pref_label,
    )
    narrower: Mapped[list[GlossaryTerm]] = relationship(
        secondary=term_broader,
        primaryjoin=lambda: GlossaryTerm.id == term_broader.c.broader_id,
        secondaryjoin=lambda: GlossaryTerm.id == term_broader.c.narrower_id,
        back_populates="broader",
        order_by=lambda: GlossaryTerm.pref_label,
    )
    related: Mapped[list[GlossaryTerm]] = relationship(
        secondary=term_related,
        primaryjoin=lambda: GlossaryTerm.id == term_related.c.term_id,
        secondaryjoin=lambda: GlossaryTerm.id == term_related.c.related_id,
        order_by=lambda: GlossaryTerm.pref_label,
    )

    @property
    def alt_label_texts(self) -> list[str]:
        return [label.label for label in self.alt_labels]

    def __repr__(self) -> str:
        return f"<GlossaryTerm {self.slug}>"


class TermLabel(Base):
    """An alternative label (skos:altLabel): a synonym, an acronym, a former name."""

    __tablename__ = "term_label"
    __table_args__ = (UniqueConstraint("term_id", "label", name="uq_term_label_term_label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("glossary_term.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(200))

    term: Mapped[GlossaryTerm] = relationship(back_populates="alt_labels")


class GlossaryVersion(Base):
    """One row counting the glossary's changes: each flush that touches a term
    or a label adds one (search.labels), so that a process keeps the labels it
    analysed for search until the number moves."""

    __tablename__ = "glossary_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=0, server_default="0")


class TermRedirect(Base):
    """A slug a term answered to before it was renamed or merged: its URL
    keeps working (a stable URI) by redirecting to the term."""

    __tablename__ = "term_redirect"

    old_slug: Mapped[str] = mapped_column(String(120), primary_key=True)
    term_id: Mapped[int] = mapped_column(
        ForeignKey("glossary_term.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    term: Mapped[GlossaryTerm] = relationship()


keep_rendered(GlossaryTerm.definition)
