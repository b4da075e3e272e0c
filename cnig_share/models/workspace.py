"""The CTD workspace: roadmap versions, governance, projects with the
national actors taking part, and running and avoided costs."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cnig_share.models.base import Base, utcnow
from cnig_share.models.ctd import Ctd
from cnig_share.models.rendered import keep_rendered, rendered_column

if TYPE_CHECKING:
    from cnig_share.models.accounts import User
    from cnig_share.models.glossary import GlossaryTerm
    from cnig_share.models.resources import Resource

PROJECT_STATUSES = {
    "idee": "Idée",
    "en-preparation": "En préparation",
    "en-cours": "En cours",
    "termine": "Terminé",
    "abandonne": "Abandonné",
}
ACTOR_ROLES = {
    "commanditaire": "Commanditaire",
    "operateur": "Opérateur",
    "financeur": "Financeur",
    "contributeur": "Contributeur",
}
ACTOR_TYPES = {
    "etat": "Service de l'État",
    "operateur-national": "Opérateur national",
    "collectivite": "Collectivité",
    "association": "Association",
    "entreprise": "Entreprise",
    "recherche": "Enseignement et recherche",
    "autre": "Autre",
}


def _values(choices: dict[str, str]) -> str:
    return ", ".join(f"'{value}'" for value in choices)


class RoadmapVersion(Base):
    """One saved state of a CTD's feuille de route territoriale; the latest is current."""

    __tablename__ = "roadmap_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    ctd_id: Mapped[int] = mapped_column(ForeignKey("ctd.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = rendered_column()
    body_text: Mapped[str] = rendered_column()
    note: Mapped[str] = mapped_column(String(300), default="")  # what changed, in a line
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The version this one replaced. Unique: of two saves made from the same
    # version, the later is refused instead of silently becoming "current".
    replaces_id: Mapped[int | None] = mapped_column(
        ForeignKey("roadmap_version.id", ondelete="SET NULL"), unique=True
    )

    ctd: Mapped[Ctd] = relationship()
    author: Mapped[User | None] = relationship()
    replaces: Mapped[RoadmapVersion | None] = relationship(remote_side=[id])

    @property
    def title(self) -> str:
        return f"Feuille de route territoriale — {self.ctd.name}"


class Governance(Base):
    """Who runs a CTD: the Région/État co-chairs, member organisations, groups."""

    __tablename__ = "ctd_governance"

    ctd_id: Mapped[int] = mapped_column(ForeignKey("ctd.id", ondelete="CASCADE"), primary_key=True)
    region_chair: Mapped[str] = mapped_column(String(300), default="")
    state_chair: Mapped[str] = mapped_column(String(300), default="")
    organisations: Mapped[str] = mapped_column(Text, default="")  # one per line
    groups: Mapped[str] = mapped_column(Text, default="")  # one thematic group per line
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Bumped by every save: an edit is `UPDATE … WHERE version = :loaded`, so
    # of two concurrent ones the later fails (StaleDataError) instead of overwriting.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version}

    ctd: Mapped[Ctd] = relationship()

    @property
    def organisation_list(self) -> list[str]:
        return _lines(self.organisations)

    @property
    def group_list(self) -> list[str]:
        return _lines(self.groups)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class NationalActor(Base):
    """An organisation that works with CTDs at national level."""

    __tablename__ = "national_actor"
    __table_args__ = (CheckConstraint(f"type IN ({_values(ACTOR_TYPES)})", name="type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(30))
    website: Mapped[str] = mapped_column(String(500), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = rendered_column()
    description_text: Mapped[str] = rendered_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    participations: Mapped[list[ProjectActor]] = relationship(
        back_populates="actor", cascade="all, delete-orphan"
    )

    @property
    def type_label(self) -> str:
        return ACTOR_TYPES[self.type]


project_terms = Table(
    "project_term",
    Base.metadata,
    Column("project_id", ForeignKey("project.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "term_id", ForeignKey("glossary_term.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)
project_resources = Table(
    "project_resource",
    Base.metadata,
    Column("project_id", ForeignKey("project.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "resource_id", ForeignKey("resource.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)
# Other CTDs a project is mutualised with.
project_shared_ctds = Table(
    "project_shared_ctd",
    Base.metadata,
    Column("project_id", ForeignKey("project.id", ondelete="CASCADE"), primary_key=True),
    Column("ctd_id", ForeignKey("ctd.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Project(Base):
    """A CTD's project, with its partners, national actors and avoided costs."""

    __tablename__ = "project"
    __table_args__ = (
        CheckConstraint(f"status IN ({_values(PROJECT_STATUSES)})", name="status"),
        CheckConstraint("avoided_cost_eur IS NULL OR avoided_cost_eur >= 0", name="avoided"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ctd_id: Mapped[int] = mapped_column(ForeignKey("ctd.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = rendered_column()
    description_text: Mapped[str] = rendered_column()
    status: Mapped[str] = mapped_column(String(20), default="idee")
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    partners: Mapped[str] = mapped_column(Text, default="")  # one organisation per line
    # Costs avoided by mutualising, an estimate in euros, with how it was made.
    avoided_cost_eur: Mapped[int | None]
    avoided_cost_year: Mapped[int | None]  # the year the estimate counts in
    avoided_cost_method: Mapped[str] = mapped_column(Text, default="")
    avoided_cost_method_html: Mapped[str] = rendered_column()
    avoided_cost_method_text: Mapped[str] = rendered_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Bumped by every save: an edit is `UPDATE … WHERE version = :loaded`, so
    # of two concurrent ones the later fails (StaleDataError) instead of overwriting.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version}

    ctd: Mapped[Ctd] = relationship()
    terms: Mapped[list[GlossaryTerm]] = relationship(secondary=project_terms)
    resources: Mapped[list[Resource]] = relationship(secondary=project_resources)
    shared_with: Mapped[list[Ctd]] = relationship(secondary=project_shared_ctds)
    actors: Mapped[list[ProjectActor]] = relationship(
        back_populates="project", cascade="all, delete-orphan"
    )

    @property
    def status_label(self) -> str:
        return PROJECT_STATUSES[self.status]

    @property
    def partner_list(self) -> list[str]:
        return _lines(self.partners)

    @property
    def mutualised(self) -> bool:
        return bool(self.shared_with)


class ProjectStatusChange(Base):
    """A project's creation (no previous status) or a change of its status:
    the history the followers' feed reads."""

    __tablename__ = "project_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    previous: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    project: Mapped[Project] = relationship()

    @property
    def status_label(self) -> str:
        return PROJECT_STATUSES.get(self.status, self.status)


class ProjectActor(Base):
    """A national actor's part in a project."""

    __tablename__ = "project_actor"
    __table_args__ = (
        UniqueConstraint("project_id", "actor_id", "role", name="uq_project_actor_role"),
        CheckConstraint(f"role IN ({_values(ACTOR_ROLES)})", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    actor_id: Mapped[int] = mapped_column(
        ForeignKey("national_actor.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20))

    project: Mapped[Project] = relationship(back_populates="actors")
    actor: Mapped[NationalActor] = relationship(back_populates="participations")

    @property
    def role_label(self) -> str:
        return ACTOR_ROLES[self.role]


class CostYear(Base):
    """A CTD's running costs for one year. Staff time is in full-time
    equivalents, priced at a day rate over the working days of a year."""

    __tablename__ = "cost_year"
    __table_args__ = (
        UniqueConstraint("ctd_id", "year", name="uq_cost_year_ctd_year"),
        CheckConstraint(
            "staff_fte >= 0 AND day_rate_eur >= 0 AND days_per_fte > 0 "
            "AND tools_eur >= 0 AND events_eur >= 0",
            name="positive",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ctd_id: Mapped[int] = mapped_column(ForeignKey("ctd.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    staff_fte: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal(0))
    day_rate_eur: Mapped[int]
    days_per_fte: Mapped[int]
    tools_eur: Mapped[int] = mapped_column(default=0)
    events_eur: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Bumped by every save: an edit is `UPDATE … WHERE version = :loaded`, so
    # of two concurrent ones the later fails (StaleDataError) instead of overwriting.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version}

    ctd: Mapped[Ctd] = relationship()

    @property
    def staff_eur(self) -> int:
        """Staff time in euros, to the euro."""
        return int((self.staff_fte * self.days_per_fte * self.day_rate_eur).quantize(Decimal(1)))

    @property
    def total_eur(self) -> int:
        return self.staff_eur + self.tools_eur + self.events_eur


keep_rendered(RoadmapVersion.body)
keep_rendered(NationalActor.description)
keep_rendered(Project.description)
keep_rendered(Project.avoided_cost_method)
