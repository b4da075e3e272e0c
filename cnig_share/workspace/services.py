"""Changing the CTD workspace: every change is audited and committed by the caller."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from slugify import slugify
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from cnig_share import audit, conflicts, following
from cnig_share.extensions import db
from cnig_share.models import (
    Ctd,
    GlossaryTerm,
    Governance,
    NationalActor,
    Project,
    ProjectActor,
    ProjectStatusChange,
    Resource,
    RoadmapVersion,
    User,
)
from cnig_share.models.workspace import CostYear
from cnig_share.routing import resource_reference


class WorkspaceError(ValueError):
    """A change refused for a reason the person can fix; the message is French."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


# --- roadmap and governance -------------------------------------------------------------


def roadmap_versions(ctd: Ctd) -> list[RoadmapVersion]:
    """Newest first; the first is the current roadmap."""
    query = select(RoadmapVersion).where(RoadmapVersion.ctd_id == ctd.id)
    return list(
        db.session.scalars(
            query.order_by(RoadmapVersion.created_at.desc(), RoadmapVersion.id.desc())
        )
    )


def current_roadmaps(
    session: Session, ctd_ids: Collection[int] | None = None
) -> list[RoadmapVersion]:
    """The current version of each CTD's roadmap (of these CTDs only, if given)."""
    query = select(RoadmapVersion).options(selectinload(RoadmapVersion.ctd))
    if ctd_ids is not None:
        query = query.where(RoadmapVersion.ctd_id.in_(ctd_ids))
    newest = query.order_by(
        RoadmapVersion.ctd_id, RoadmapVersion.created_at.desc(), RoadmapVersion.id.desc()
    )
    current: dict[int, RoadmapVersion] = {}
    for version in session.scalars(newest):
        current.setdefault(version.ctd_id, version)
    return list(current.values())


def current_roadmap_id(ctd: Ctd) -> int:
    """The id of the current roadmap version (0 before the first): what an edit
    form is based on."""
    versions = roadmap_versions(ctd)
    return versions[0].id if versions else 0


def save_roadmap(
    ctd: Ctd, body: str, note: str, by: User, base: int | None = None
) -> RoadmapVersion | None:
    """A new version, or None when the text did not change. `base`, the version
    the edit was made from, must still be the current one (EditConflict)."""
    body = body.strip()
    versions = roadmap_versions(ctd)
    current = versions[0] if versions else None
    conflicts.require_version(current.id if current else 0, base)
    if current is not None and current.body == body:
        return None
    version = RoadmapVersion(ctd=ctd, body=body, note=note.strip(), author=by, replaces=current)
    db.session.add(version)
    _flush_or_conflict()  # replaces_id is unique: two saves cannot replace one version
    audit.record("workspace.roadmap", "ctd", ctd.id, by, note.strip(), version=version.id)
    following.notify("roadmap", version.id, by)
    return version


def governance_of(ctd: Ctd) -> Governance | None:
    return db.session.get(Governance, ctd.id)


def _flush_or_conflict() -> None:
    """Flush; a row another save created first (a unique key) is an EditConflict."""
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise conflicts.EditConflict() from error


def version_of(row: Governance | Project | CostYear | None) -> int:
    """The version an edit form carries: 0 for a row not recorded yet."""
    return row.version if row is not None else 0


def save_governance(
    ctd: Ctd, values: dict[str, str], by: User, version: int | None = None
) -> Governance:
    """Save the governance from the form made from `version` (0: none yet)."""
    governance = governance_of(ctd)
    conflicts.require_version(version_of(governance), version)
    if governance is None:
        governance = Governance(ctd=ctd)
        db.session.add(governance)
        _flush_or_conflict()  # one row per CTD: two first saves cannot both create it
    for name, value in values.items():
        setattr(governance, name, (value or "").strip())
    audit.record("workspace.governance", "ctd", ctd.id, by)
    return governance


# --- projects ---------------------------------------------------------------------------


@dataclass
class ProjectInput:
    title: str
    description: str = ""
    status: str = "idee"
    start_date: date | None = None
    end_date: date | None = None
    partners: str = ""
    actor_roles: tuple[tuple[str, str], ...] = ()  # (actor slug, role)
    term_ids: tuple[int, ...] = ()
    resources: str = ""  # numbers or addresses, comma separated
    shared_with: tuple[str, ...] = ()  # CTD slugs
    avoided_cost_eur: int | None = None
    avoided_cost_year: int | None = None
    avoided_cost_method: str = ""


def linked_resources(text: str) -> list[Resource]:
    """Published resources named by number or address; WorkspaceError otherwise."""
    found: list[Resource] = []
    for part in filter(None, (p.strip() for p in (text or "").split(","))):
        number = resource_reference(part)
        resource = db.session.get(Resource, number) if number else None
        if resource is None or not resource.is_published:
            raise WorkspaceError("resources", f"« {part[:80]} » n'est pas une ressource publiée.")
        if resource not in found:
            found.append(resource)
    return found


def save_project(
    project: Project | None, ctd: Ctd, data: ProjectInput, by: User, version: int | None = None
) -> Project:
    """Create or update a project of a CTD from checked form values; an update
    made from `version` must find it still current."""
    if project is not None:
        conflicts.require_version(project.version, version)
    resources = linked_resources(data.resources)
    shared = list(db.session.scalars(select(Ctd).where(Ctd.slug.in_(data.shared_with))))
    if ctd in shared:
        raise WorkspaceError("shared_with", "Un projet ne se mutualise pas avec son propre CTD.")
    actors = {
        a.slug: a
        for a in db.session.scalars(
            select(NationalActor).where(NationalActor.slug.in_([s for s, _ in data.actor_roles]))
        )
    }
    previous_status = project.status if project is not None else None
    if project is None:
        project = Project(ctd=ctd)
        db.session.add(project)
        action = "workspace.project_create"
    else:
        action = "workspace.project_update"
    project.title = data.title.strip()
    project.description = data.description.strip()
    project.status = data.status
    project.start_date, project.end_date = data.start_date, data.end_date
    project.partners = "\n".join(
        line.strip() for line in data.partners.splitlines() if line.strip()
    )
    project.terms = list(
        db.session.scalars(select(GlossaryTerm).where(GlossaryTerm.id.in_(data.term_ids)))
    )
    project.resources = resources
    project.shared_with = shared
    project.avoided_cost_eur = data.avoided_cost_eur
    project.avoided_cost_year = (
        data.avoided_cost_year if data.avoided_cost_eur is not None else None
    )
    project.avoided_cost_method = data.avoided_cost_method.strip()
    wanted = {(slug, role) for slug, role in data.actor_roles if slug in actors}
    project.actors = [pa for pa in project.actors if (pa.actor.slug, pa.role) in wanted]
    kept = {(pa.actor.slug, pa.role) for pa in project.actors}
    for slug, role in data.actor_roles:
        if slug in actors and (slug, role) not in kept:
            project.actors.append(ProjectActor(actor=actors[slug], role=role))
            kept.add((slug, role))
    if previous_status != project.status:  # created, or a new status: followers hear of it
        change = ProjectStatusChange(
            project=project, previous=previous_status, status=project.status
        )
        db.session.add(change)
    db.session.flush()
    audit.record(action, "project", project.id, by, title=project.title, ctd=ctd.slug)
    if previous_status != project.status:
        following.notify("project", change.id, by)
    return project


def delete_project(project: Project, by: User) -> None:
    from cnig_share.discussions import lifecycle as discussions

    audit.record("workspace.project_delete", "project", project.id, by, title=project.title)
    discussions.subject_deleted(project)  # its threads' authors are told, after commit
    db.session.delete(project)


# --- costs ------------------------------------------------------------------------------


def cost_versions(ctd: Ctd) -> dict[int, int]:
    """Year → version of each year the CTD recorded: what a cost form was loaded with."""
    rows = db.session.execute(
        select(CostYear.year, CostYear.version).where(CostYear.ctd_id == ctd.id)
    )
    return {year: version for year, version in rows}


def save_costs(
    ctd: Ctd, year: int, values: dict, by: User, loaded: dict[int, int] | None = None
) -> CostYear:
    """Record (or correct) a CTD's running costs for a year. Recording a year
    again replaces it, unless someone recorded it since the form was loaded
    (`loaded`: the years' versions then), which is an EditConflict."""
    costs = db.session.scalar(
        select(CostYear).where(CostYear.ctd_id == ctd.id, CostYear.year == year)
    )
    if loaded is not None:
        conflicts.require_version(version_of(costs), loaded.get(year, 0))
    if costs is None:
        costs = CostYear(ctd=ctd, year=year)
        db.session.add(costs)
    costs.staff_fte = Decimal(values.get("staff_fte") or 0)
    costs.day_rate_eur = values["day_rate_eur"]
    costs.days_per_fte = values["days_per_fte"]
    costs.tools_eur = values.get("tools_eur") or 0
    costs.events_eur = values.get("events_eur") or 0
    costs.note = (values.get("note") or "").strip()
    _flush_or_conflict()  # (ctd, year) is unique: two first records cannot both be made
    audit.record("workspace.costs", "ctd", ctd.id, by, year=year)
    return costs


def delete_costs(costs: CostYear, by: User) -> None:
    audit.record("workspace.costs_delete", "ctd", costs.ctd_id, by, year=costs.year)
    db.session.delete(costs)


# --- national actors --------------------------------------------------------------------


def find_actor(text: str) -> NationalActor | None:
    """An actor by slug, or by name whatever its case."""
    text = text.strip()
    return db.session.scalar(
        select(NationalActor).where(
            (NationalActor.slug == text) | (db.func.lower(NationalActor.name) == text.lower())
        )
    )


def _free_actor_slug(name: str) -> str:
    base = slugify(name, max_length=100) or "acteur"
    slug, n = base, 1
    while db.session.scalar(select(NationalActor.id).where(NationalActor.slug == slug)):
        n += 1
        slug = f"{base}-{n}"
    return slug


def save_actor(actor: NationalActor | None, values: dict[str, str], by: User) -> NationalActor:
    """Create or update; names are unique whatever their case."""
    name = values["name"].strip()
    same = db.session.scalar(
        select(NationalActor).where(db.func.lower(NationalActor.name) == name.lower())
    )
    if same is not None and same is not actor:
        raise WorkspaceError("name", f"L'acteur « {same.name} » existe déjà.")
    if actor is None:
        actor = NationalActor(slug=_free_actor_slug(name))
        db.session.add(actor)
        action = "workspace.actor_create"
    else:
        action = "workspace.actor_update"
    actor.name = name
    actor.type = values["type"]
    actor.website = (values.get("website") or "").strip()
    actor.description = (values.get("description") or "").strip()
    db.session.flush()
    audit.record(action, "actor", actor.id, by, name=name)
    return actor
