"""The kinds of document the index holds, one entry each: adding a kind is
adding an entry to KINDS (and its card macro to templates/search/cards.html).

An entry says how to load what the index shows of the kind, how to build its
document, its passage, its JSON and its URL, which card shows it, and which
rows' changes change its documents. Nothing else in the search package (nor
in the API or the templates) asks what type a document is.

Document keys, the `id` in the index and in the outbox: a resource's number
as it always was ("12"), "projet-3", "acteur-5", and "feuille-de-route-7" for
the roadmap of CTD 7 (one document per CTD, its current version, so a new
version replaces the old one)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from flask import url_for
from markupsafe import Markup
from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session, defer, joinedload, selectinload

from cnig_share import permissions
from cnig_share.markdown import first_sentence
from cnig_share.models import (
    Attachment,
    Consultation,
    ConsultationQuestion,
    Contribution,
    Ctd,
    GlossaryTerm,
    Link,
    NationalActor,
    Project,
    ProjectActor,
    Resource,
    RoadmapVersion,
    consultation_actors,
    consultation_terms,
    project_shared_ctds,
    project_terms,
    resource_terms,
)
from cnig_share.search import documents
from cnig_share.search.documents import ACTOR_KIND, CONSULTATION_KIND, PROJECT_KIND, ROADMAP_KIND
from cnig_share.search.snippets import marked_passage, snippet_for
from cnig_share.workspace.services import current_roadmaps

# (model quoted, column of the quoting document's id, column of the quoted row's id)
Quote = tuple[type, Any, Any]


@dataclass(frozen=True, eq=False)  # compared and hashed as itself: one entry per kind
class IndexedKind:
    """One kind of indexed document and everything the search does with it."""

    name: str  # names the kind to templates and to `Hit.kind`
    model: type
    prefix: str  # of its document keys ("projet-"); none for resources
    # (session, ids or None for all, for_index) → the items the index shows;
    # for_index loads what the document needs, else what a card shows.
    load: Callable[[Session, Collection[int] | None, bool], Iterable[Any]]
    count: Callable[[Session], int]  # how many documents the index should hold
    document: Callable[[Any], documents.Built]
    snippet: Callable[[Any, set[str]], tuple[Markup, str | None]]  # (passage, where)
    json: Callable[[Any], dict[str, Any]]  # SPEC §6 fields beside id, url, snippet, score
    endpoint: str
    url_values: Callable[[Any], dict[str, Any]]
    card: str  # its macro in templates/search/cards.html
    key_attribute: str = "id"  # the item's attribute its key is made of
    # Other rows that are part of its documents: model → attribute with the key's id.
    parts: dict[type, str] = field(default_factory=dict)
    # What its documents quote from other rows: when those change, so do they.
    quotes: tuple[Quote, ...] = ()
    # (session) → ids whose document the clock alone changed since they were last
    # indexed, claimed so that they are handed out once (search.sync.follow_clock).
    moved_by_clock: Callable[[Session], Collection[int]] | None = None

    def key_of(self, item: Any) -> str:
        """The document key of an item of this kind."""
        return self.key(getattr(item, self.key_attribute))

    def key(self, item_id: int) -> str:
        """The document key of this kind for an id (a CTD's for a roadmap)."""
        return f"{self.prefix}{item_id}"

    def url(self, item: Any, external: bool = False) -> str:
        """The page of the item."""
        return url_for(self.endpoint, **self.url_values(item), _external=external)


# --- loading -------------------------------------------------------------------------------


def published_resources() -> Select:
    """The resources the index shows: what a visitor may see."""
    return permissions.public_resources()


def _load(session: Session, query: Select, column: Any, ids: Collection[int] | None):
    if ids is None:  # all of them, for a rebuild: streamed
        return session.scalars(query.order_by(column).execution_options(yield_per=200))
    return session.scalars(query.where(column.in_(ids))).all()


def _counter(query: Callable[[], Select], column: Any) -> Callable[[Session], int]:
    return lambda session: session.scalar(query().with_only_columns(func.count(column)))


def _terms_with_labels(terms: Any) -> list:
    """A document lists its terms' labels and those of their broader terms."""
    return [
        selectinload(terms).selectinload(GlossaryTerm.alt_labels),
        selectinload(terms).selectinload(GlossaryTerm.broader),
    ]


def _load_resources(session: Session, ids: Collection[int] | None, for_index: bool):
    if not for_index and ids is not None:
        return session.scalars(_shown_resources(), {"ids": list(ids)}).all()
    terms = _terms_with_labels(Resource.terms)
    options = [*terms, selectinload(Resource.attachments), selectinload(Resource.ctd)]
    return _load(session, published_resources().options(*options), Resource.id, ids)


@cache
def _shown_resources() -> Select:
    """Resources shown as results, by their ids (bound at each search): the
    statement is made once per process, since building its options anew was a
    third of loading a page of results (bench/search.py)."""
    # A result shows its CTD and terms (their names), and a passage of its plain text. Its
    # attachments, whole extracted texts, are read only for the rare result whose
    # passage is not in its body (snippets); its Markdown and HTML never.
    options = [
        selectinload(Resource.terms).load_only(GlossaryTerm.slug, GlossaryTerm.pref_label),
        joinedload(Resource.ctd),
        defer(Resource.body),
        defer(Resource.body_html),
    ]
    shown = published_resources().options(*options)
    return shown.where(Resource.id.in_(bindparam("ids", expanding=True)))


def _load_projects(session: Session, ids: Collection[int] | None, for_index: bool):
    actors = selectinload(Project.actors).selectinload(ProjectActor.actor)
    options = [selectinload(Project.ctd), actors]
    if for_index:
        options += [*_terms_with_labels(Project.terms), selectinload(Project.shared_with)]
    else:
        options.append(selectinload(Project.terms))
    return _load(session, select(Project).options(*options), Project.id, ids)


def _load_actors(session: Session, ids: Collection[int] | None, for_index: bool):
    query = select(NationalActor)
    if for_index:  # its document names its projects and their regions
        projects = selectinload(NationalActor.participations).selectinload(ProjectActor.project)
        query = query.options(projects.selectinload(Project.ctd))
    return _load(session, query, NationalActor.id, ids)


def _load_roadmaps(session: Session, ids: Collection[int] | None, for_index: bool):
    # The current version, even if the index still has an older one.
    return current_roadmaps(session, ids)


def _opened_consultations() -> Select:
    """The consultations the index shows: those that have opened (never one in
    preparation). Its opening day changes no row: consultations.indexing tells
    the outbox when the clock has moved it on."""
    from cnig_share.consultations.states import opened

    return select(Consultation).where(opened())


def _load_consultations(session: Session, ids: Collection[int] | None, for_index: bool):
    query = _opened_consultations().options(
        selectinload(Consultation.actors), selectinload(Consultation.terms)
    )
    if for_index:
        query = query.options(
            *_terms_with_labels(Consultation.terms),
            selectinload(Consultation.questions),
            selectinload(Consultation.attachments),
            selectinload(Consultation.contributions).selectinload(Contribution.ctd),
            selectinload(Consultation.contributions).selectinload(Contribution.answers),
        )
    return _load(session, query, Consultation.id, ids)


def _consultations_moved_by_clock(session: Session) -> Collection[int]:
    from cnig_share.consultations.indexing import moved_by_clock

    return moved_by_clock(session)


def _count_roadmaps(session: Session) -> int:
    return session.scalar(select(func.count(RoadmapVersion.ctd_id.distinct())))


# --- passages and JSON -----------------------------------------------------------------


def _passage_in(attribute: str) -> Callable[[Any, set[str]], tuple[Markup, str | None]]:
    return lambda item, stems: (marked_passage(getattr(item, attribute), stems), None)


def _hit_json(
    title: str,
    kind: str,
    ctd: Ctd | None,
    terms: Iterable[GlossaryTerm],
    summary: str | None,
    moment: datetime | None,
) -> dict[str, Any]:
    """The SPEC §6 fields of a hit beside its id, url, snippet and score."""
    return {
        "title": title,
        "kind": kind,
        "ctd": ctd.slug if ctd else None,
        "terms": [term.slug for term in terms],
        "summary": summary,
        "published_at": moment.isoformat() if moment else None,
    }


def _resource_json(resource: Resource) -> dict[str, Any]:
    item = resource
    return _hit_json(item.title, item.kind, item.ctd, item.terms, item.summary, item.published_at)


def _project_json(project: Project) -> dict[str, Any]:
    summary = first_sentence(project.description_text)
    # Its last change as its date: projects are never drafts.
    return _hit_json(
        project.title, PROJECT_KIND, project.ctd, project.terms, summary, project.updated_at
    )


def _actor_json(actor: NationalActor) -> dict[str, Any]:
    # No CTD: an actor works with several.
    return _hit_json(actor.name, ACTOR_KIND, None, [], actor.type_label, actor.updated_at)


def _roadmap_json(version: RoadmapVersion) -> dict[str, Any]:
    summary = version.note or first_sentence(version.body_text)
    # The current version's date.
    return _hit_json(version.title, ROADMAP_KIND, version.ctd, [], summary, version.created_at)


def _consultation_json(consultation: Consultation) -> dict[str, Any]:
    summary = first_sentence(consultation.context_text)
    moment = consultation.synthesis_published_at or consultation.updated_at
    return _hit_json(
        consultation.title, CONSULTATION_KIND, None, consultation.terms, summary, moment
    )


# --- the registry ----------------------------------------------------------------------

RESOURCE = IndexedKind(
    name="resource",
    model=Resource,
    prefix="",
    load=_load_resources,
    count=_counter(published_resources, Resource.id),
    document=documents.resource_document,
    snippet=snippet_for,
    json=_resource_json,
    endpoint="resources.show",
    url_values=lambda resource: {"resource_id": resource.id},
    card="resource_hit",
    parts={Attachment: "resource_id", Link: "resource_id"},
    quotes=(
        (GlossaryTerm, resource_terms.c.resource_id, resource_terms.c.term_id),
        (Ctd, Resource.id, Resource.ctd_id),
    ),
)

PROJECT = IndexedKind(
    name="project",
    model=Project,
    prefix=f"{PROJECT_KIND}-",
    load=_load_projects,
    count=_counter(lambda: select(Project), Project.id),
    document=documents.project_document,
    snippet=_passage_in("description_text"),
    json=_project_json,
    endpoint="workspace.project",
    url_values=lambda project: {"slug": project.ctd.slug, "project_id": project.id},
    card="project_hit",
    parts={ProjectActor: "project_id"},
    quotes=(
        (GlossaryTerm, project_terms.c.project_id, project_terms.c.term_id),
        (Ctd, Project.id, Project.ctd_id),
        (Ctd, project_shared_ctds.c.project_id, project_shared_ctds.c.ctd_id),
        (NationalActor, ProjectActor.project_id, ProjectActor.actor_id),  # its actors' names
    ),
)

ACTOR = IndexedKind(
    name="actor",
    model=NationalActor,
    prefix=f"{ACTOR_KIND}-",
    load=_load_actors,
    count=_counter(lambda: select(NationalActor), NationalActor.id),
    document=documents.actor_document,
    snippet=_passage_in("description_text"),
    json=_actor_json,
    endpoint="workspace.actor",
    url_values=lambda actor: {"slug": actor.slug},
    card="actor_hit",
    parts={ProjectActor: "actor_id"},
    quotes=((Project, ProjectActor.actor_id, ProjectActor.project_id),),  # its projects' titles
)

ROADMAP = IndexedKind(
    name="roadmap",
    model=RoadmapVersion,
    prefix=f"{ROADMAP_KIND}-",
    load=_load_roadmaps,
    count=_count_roadmaps,
    document=documents.roadmap_document,
    snippet=_passage_in("body_text"),
    json=_roadmap_json,
    endpoint="workspace.roadmap",
    url_values=lambda version: {"slug": version.ctd.slug},
    card="roadmap_hit",
    key_attribute="ctd_id",  # one document per CTD: its current version
    quotes=((Ctd, RoadmapVersion.ctd_id, RoadmapVersion.ctd_id),),
)

CONSULTATION = IndexedKind(
    name="consultation",
    model=Consultation,
    prefix=f"{CONSULTATION_KIND}-",
    load=_load_consultations,
    count=_counter(_opened_consultations, Consultation.id),
    document=documents.consultation_document,
    snippet=_passage_in("context_text"),
    json=_consultation_json,
    endpoint="consultations.show",
    url_values=lambda consultation: {"slug": consultation.slug},
    card="consultation_hit",
    parts={
        Attachment: "consultation_id",
        ConsultationQuestion: "consultation_id",
        Contribution: "consultation_id",
    },
    quotes=(
        (GlossaryTerm, consultation_terms.c.consultation_id, consultation_terms.c.term_id),
        (NationalActor, consultation_actors.c.consultation_id, consultation_actors.c.actor_id),
    ),
    moved_by_clock=_consultations_moved_by_clock,
)

# In this order: a resource key has no prefix, so it is the last one tried;
# and the spread of changes through `quotes` follows it (sync.py).
KINDS: tuple[IndexedKind, ...] = (RESOURCE, PROJECT, ACTOR, ROADMAP, CONSULTATION)
_BY_MODEL = {kind.model: kind for kind in KINDS}


def kind_of(item: Any) -> IndexedKind:
    """The kind of an indexed item."""
    return _BY_MODEL[type(item)]


def key_of(item: Any) -> str:
    """The document key of an indexed item."""
    return kind_of(item).key_of(item)


def parse_key(text: str) -> tuple[IndexedKind, int]:
    """The kind and id a document key names (a CTD's id for a roadmap)."""
    for kind in KINDS:
        if kind.prefix and text.startswith(kind.prefix):
            return kind, int(text.removeprefix(kind.prefix))
    return RESOURCE, int(text)


def ids_by_kind(keys: Iterable[str]) -> dict[IndexedKind, set[int]]:
    """The ids the keys name, per kind, to load each kind at once."""
    ids: dict[IndexedKind, set[int]] = {kind: set() for kind in KINDS}
    for document_key in keys:
        kind, item_id = parse_key(document_key)
        ids[kind].add(item_id)
    return ids


def load(session: Session, keys: Iterable[str], for_index: bool) -> dict[str, Any]:
    """What the index shows for these keys, by key; a key left out names
    nothing the index should show (an unpublished resource, a deleted actor)."""
    found: dict[str, Any] = {}
    for kind, ids in ids_by_kind(keys).items():
        items = kind.load(session, ids, for_index=for_index) if ids else ()
        found |= {kind.key_of(item): item for item in items}
    return found


def document(item: Any) -> dict[str, Any]:
    """The fields indexed for an item of any kind."""
    kind = kind_of(item)
    return documents.indexed(kind.key_of(item), kind.document(item))
