"""Synonyms learnt from the published texts: an acronym and its expansion,
proposed to the curators, then accepted (as an alternative label of a glossary
term, or as a site synonym) or rejected."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cnig_share.models.base import Base, utcnow

if TYPE_CHECKING:
    from cnig_share.models.accounts import User
    from cnig_share.models.glossary import GlossaryTerm

PROPOSAL_STATUSES = ("proposed", "accepted", "rejected")
ACCEPTED_AS = ("term", "site")  # an alternative label of a term, or a site synonym


class AcronymProposal(Base):
    """ "PCRS" = "plan corps de rue simplifié", as published resources define it."""

    __tablename__ = "acronym_proposal"
    __table_args__ = (
        UniqueConstraint("acronym_key", "expansion_key", name="uq_acronym_proposal_pair"),
        CheckConstraint("status IN ('proposed', 'accepted', 'rejected')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    acronym: Mapped[str] = mapped_column(String(40))  # as written: "OCS GE"
    expansion: Mapped[str] = mapped_column(String(200))
    # What two spellings of the pair share (search.acronyms.AcronymPair.key).
    acronym_key: Mapped[str] = mapped_column(String(40))
    expansion_key: Mapped[str] = mapped_column(String(200))
    resource_count: Mapped[int] = mapped_column(default=0)  # published resources using it
    status: Mapped[str] = mapped_column(String(20), default="proposed", index=True)
    accepted_as: Mapped[str | None] = mapped_column(String(10))
    term_id: Mapped[int | None] = mapped_column(ForeignKey("glossary_term.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    term: Mapped[GlossaryTerm | None] = relationship()
    decided_by: Mapped[User | None] = relationship()


class SynonymVersion(Base):
    """One row, bumped by every decision: each process keeps the accepted site
    synonyms until this number changes, and reads one integer per search."""

    __tablename__ = "synonym_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=0)
