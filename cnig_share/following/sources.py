"""Where the feed's events come from: one source per kind of event, in a
registry. Each source says, in SQL, which of its events concern what a person
follows (only what a visitor may see: the feed and the emails never show a
draft, a submission or an archived resource), loads them for display, and
says what a follower must follow to hear of one event (the notifications'
question). Discussions add "thread" and "reply" as two more sources."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from flask import url_for
from sqlalchemy import ColumnElement, Select, false, func, literal, or_, select, union_all
from sqlalchemy.orm import aliased, selectinload

from cnig_share.extensions import db
from cnig_share.following.services import Followed, with_broader
from cnig_share.models import (
    Project,
    ProjectActor,
    ProjectStatusChange,
    Resource,
    Revision,
    RoadmapVersion,
    project_shared_ctds,
    project_terms,
    resource_terms,
)

Target = tuple[str, int]  # (follow kind, id): what someone may follow


@dataclass
class FeedEvent:
    """One line of the feed, or of an email."""

    kind: str  # the source's name
    ref: int  # the source's row
    at: datetime
    what: str  # "Publication", "Nouvelle version"…
    title: str
    endpoint: str
    url_values: dict
    context: str  # the CTD, in a few words
    subject: str  # what the event is about, for grouping immediate messages: "resource:12"

    @property
    def url(self) -> str:
        return url_for(self.endpoint, **self.url_values)


@dataclass(frozen=True)
class EventSource:
    name: str
    label: str  # plural, for the filters and the preferences: "Publications"
    default_mode: str  # "immediate", "digest" or "none" until the person chooses
    rows: Callable[[Followed], Select]  # (ref, at) of the events concerning these follows
    at: ColumnElement  # the events' instant, to narrow `rows` in time
    load: Callable[[Iterable[int]], dict[int, FeedEvent]]  # only those still public
    targets: Callable[[int], list[Target]]  # who follows what hears of this event
    # When an event is written down after its instant (a closing, recorded by a daily
    # job), the digests' windows read this instead of `at`: an event recorded after a
    # digest went, though it happened before, goes in the next one.
    recorded_at: ColumnElement | None = None

    @property
    def window(self) -> ColumnElement:
        return self.at if self.recorded_at is None else self.recorded_at


def in_ids(column: ColumnElement, ids: set[int]) -> ColumnElement[bool]:
    """`column IN ids`, false when there are none (the sources' matching rule)."""
    return column.in_(sorted(ids)) if ids else false()


# --- resources: publications and new versions --------------------------------------------


def _resource_matches(followed: Followed) -> ColumnElement[bool]:
    by_term = select(resource_terms.c.resource_id).where(
        in_ids(resource_terms.c.term_id, followed["term"])
    )
    return or_(
        in_ids(Resource.id, followed["resource"]),
        in_ids(Resource.ctd_id, followed["ctd"]),
        Resource.id.in_(by_term) if followed["term"] else false(),
    )


def _resource_targets(resource: Resource | None) -> list[Target]:
    if resource is None or not resource.is_published:
        return []
    terms = with_broader({term.id for term in resource.terms})
    return [("resource", resource.id), ("ctd", resource.ctd_id)] + [("term", t) for t in terms]


def _publication_rows(followed: Followed) -> Select:
    return select(Resource.id, Resource.published_at).where(
        Resource.is_published, Resource.published_at.is_not(None), _resource_matches(followed)
    )


def _load_publications(ids: Iterable[int]) -> dict[int, FeedEvent]:
    resources = db.session.scalars(
        select(Resource)
        .where(Resource.id.in_(list(ids)), Resource.is_published)
        .options(selectinload(Resource.ctd))
    )
    return {
        r.id: FeedEvent(
            "publication", r.id, r.published_at, f"Publication · {r.kind_label}", r.title,
            "resources.show", {"resource_id": r.id}, r.ctd.name, f"resource:{r.id}",
        )
        for r in resources
    }  # fmt: skip


_first = aliased(Revision)
# A resource's first revision is its publication, shown as such: later ones are versions.
_NOT_FIRST = Revision.id > (
    select(func.min(_first.id)).where(_first.resource_id == Revision.resource_id).scalar_subquery()
)


def _version_rows(followed: Followed) -> Select:
    return (
        select(Revision.id, Revision.created_at)
        .join(Resource, Resource.id == Revision.resource_id)
        .where(Resource.is_published, _NOT_FIRST, _resource_matches(followed))
    )


def _load_versions(ids: Iterable[int]) -> dict[int, FeedEvent]:
    revisions = db.session.scalars(
        select(Revision)
        .join(Resource, Resource.id == Revision.resource_id)
        .where(Revision.id.in_(list(ids)), Resource.is_published)
    )
    return {
        v.id: FeedEvent(
            "version", v.id, v.created_at, "Nouvelle version", v.resource.title,
            "resources.show", {"resource_id": v.resource_id}, v.resource.ctd.name,
            f"resource:{v.resource_id}",
        )
        for v in revisions
    }  # fmt: skip


def _version_targets(revision_id: int) -> list[Target]:
    revision = db.session.get(Revision, revision_id)
    return _resource_targets(revision.resource if revision else None)


# --- projects: created, or changing status ---------------------------------------------


def _project_rows(followed: Followed) -> Select:
    shared = select(project_shared_ctds.c.project_id).where(
        in_ids(project_shared_ctds.c.ctd_id, followed["ctd"])
    )
    by_term = select(project_terms.c.project_id).where(
        in_ids(project_terms.c.term_id, followed["term"])
    )
    by_actor = select(ProjectActor.project_id).where(
        in_ids(ProjectActor.actor_id, followed["actor"])
    )
    return (
        select(ProjectStatusChange.id, ProjectStatusChange.created_at)
        .join(Project, Project.id == ProjectStatusChange.project_id)
        .where(
            or_(
                in_ids(Project.id, followed["project"]),
                in_ids(Project.ctd_id, followed["ctd"]),
                Project.id.in_(shared) if followed["ctd"] else false(),
                Project.id.in_(by_term) if followed["term"] else false(),
                Project.id.in_(by_actor) if followed["actor"] else false(),
            )
        )
    )


def _load_project_changes(ids: Iterable[int]) -> dict[int, FeedEvent]:
    changes = db.session.scalars(
        select(ProjectStatusChange).where(ProjectStatusChange.id.in_(list(ids)))
    )
    return {
        c.id: FeedEvent(
            "project", c.id, c.created_at,
            "Nouveau projet" if c.previous is None else f"Projet : {c.status_label.lower()}",
            c.project.title, "workspace.project",
            {"slug": c.project.ctd.slug, "project_id": c.project_id}, c.project.ctd.name,
            f"project:{c.project_id}",
        )
        for c in changes
    }  # fmt: skip


def _project_targets(change_id: int) -> list[Target]:
    change = db.session.get(ProjectStatusChange, change_id)
    if change is None:
        return []
    project = change.project
    terms = with_broader({term.id for term in project.terms})
    return (
        [("project", project.id), ("ctd", project.ctd_id)]
        + [("ctd", ctd.id) for ctd in project.shared_with]
        + [("term", term_id) for term_id in terms]
        + [("actor", part.actor_id) for part in project.actors]
    )


# --- roadmaps --------------------------------------------------------------------------


def _roadmap_rows(followed: Followed) -> Select:
    return select(RoadmapVersion.id, RoadmapVersion.created_at).where(
        in_ids(RoadmapVersion.ctd_id, followed["ctd"])
    )


def _load_roadmaps(ids: Iterable[int]) -> dict[int, FeedEvent]:
    versions = db.session.scalars(select(RoadmapVersion).where(RoadmapVersion.id.in_(list(ids))))
    return {
        v.id: FeedEvent(
            "roadmap", v.id, v.created_at, "Feuille de route mise à jour", v.title,
            "workspace.roadmap_version", {"slug": v.ctd.slug, "version_id": v.id}, v.ctd.name,
            f"roadmap:{v.ctd_id}",
        )
        for v in versions
    }  # fmt: skip


def _roadmap_targets(version_id: int) -> list[Target]:
    version = db.session.get(RoadmapVersion, version_id)
    return [("ctd", version.ctd_id)] if version else []


# --- the registry ----------------------------------------------------------------------

SOURCES: dict[str, EventSource] = {
    source.name: source
    for source in (
        EventSource(
            name="publication",
            label="Publications",
            default_mode="digest",
            rows=_publication_rows,
            at=Resource.published_at,
            load=_load_publications,
            targets=lambda ref: _resource_targets(db.session.get(Resource, ref)),
        ),
        EventSource(
            name="version",
            label="Nouvelles versions de ressources",
            default_mode="digest",
            rows=_version_rows,
            at=Revision.created_at,
            load=_load_versions,
            targets=_version_targets,
        ),
        EventSource(
            name="project",
            label="Projets créés ou changeant de statut",
            default_mode="digest",
            rows=_project_rows,
            at=ProjectStatusChange.created_at,
            load=_load_project_changes,
            targets=_project_targets,
        ),
        EventSource(
            name="roadmap",
            label="Feuilles de route",
            default_mode="digest",
            rows=_roadmap_rows,
            at=RoadmapVersion.created_at,
            load=_load_roadmaps,
            targets=_roadmap_targets,
        ),
    )
}


def register(source: EventSource) -> None:
    """Add a source (discussions add "thread" and "reply" this way)."""
    SOURCES[source.name] = source


def events_query(
    followed: Followed,
    kinds: Iterable[str],
    since: datetime | None = None,
    until: datetime | None = None,
) -> Select | None:
    """(kind, ref, at) of every event of these kinds concerning what is
    followed, newest first, each once; None when there is nothing to ask."""
    parts = []
    for name in kinds:
        source = SOURCES[name]
        rows = source.rows(followed).add_columns(literal(name).label("kind"))
        if since is not None:
            rows = rows.where(source.window > since)
        if until is not None:
            rows = rows.where(source.window <= until)
        parts.append(rows)
    if not parts or not followed:
        return None
    union = union_all(*parts).subquery()
    ref, at, kind = union.c
    return select(kind, ref, at).order_by(at.desc(), kind, ref.desc())


def count(query: Select | None) -> int:
    if query is None:
        return 0
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))


def load(rows: Iterable[tuple[str, int, datetime]]) -> list[FeedEvent]:
    """The events named by (kind, ref, at) rows, in that order, those still public."""
    rows = list(rows)
    loaded: dict[tuple[str, int], FeedEvent] = {}
    for name, source in SOURCES.items():
        refs = [ref for kind, ref, _ in rows if kind == name]
        if refs:
            loaded.update({(name, ref): event for ref, event in source.load(refs).items()})
    return [loaded[(kind, ref)] for kind, ref, _ in rows if (kind, ref) in loaded]
