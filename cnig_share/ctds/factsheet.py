"""The fact sheets (/ctd/<slug>/fiche.pdf, /ctd/fiche.pdf): what they show,
gathered as plain data, and the PDF served from a cache keyed on that data.

Everything the sheet shows is in its `Sheet` (the drawing reads nothing
else), so a key made from the Sheet changes whenever anything shown does:
a cached sheet is never stale, and a browser's copy is checked by ETag.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass, field

from flask import Response, request, url_for
from lxml import html as lxml_html
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from cnig_share import permissions
from cnig_share.extensions import db
from cnig_share.formatting import french_date
from cnig_share.glossary.services import find_term
from cnig_share.models import (
    CTD_STAGES,
    Ctd,
    GlossaryTerm,
    Project,
    ProjectActor,
    Resource,
    resource_terms,
)
from cnig_share.workspace import figures
from cnig_share.workspace import services as workspace

CTD_TERM = "comite-territorial-de-la-donnee"
# Bump when the drawing changes, so that sheets cached before are redrawn.
LAYOUT_VERSION = 1
CACHE_SIZE = 64
COST_YEARS = 4
PROJECTS_SHOWN = 6
RESOURCES_SHOWN = 5
HEADINGS_SHOWN = 8
TERMS_SHOWN = 8


@dataclass
class ProjectFact:
    title: str
    status: str
    partners: list[str]
    actors: list[str]


@dataclass
class CostFact:
    year: int
    running_eur: int
    avoided_eur: int


@dataclass
class ResourceFact:
    title: str
    kind: str
    published_on: str  # French date


@dataclass
class Sheet:
    """Everything one fact sheet shows: its key is made from this and nothing else."""

    filename: str
    title: str
    subtitle: str
    url: str
    definition: str
    map_stages: dict[str, str]  # region slug -> stage, for the map
    highlight: str = ""  # the region of a CTD's sheet
    stage: str = ""
    installed_on: str = ""
    chairs: list[tuple[str, str]] = field(default_factory=list)  # (role, organisation)
    contact: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    projects: list[ProjectFact] = field(default_factory=list)
    project_count: int = 0
    costs: list[CostFact] = field(default_factory=list)
    resources: list[ResourceFact] = field(default_factory=list)
    totals: list[tuple[str, int]] = field(default_factory=list)  # national figures
    stage_counts: list[tuple[str, int, list[str]]] = field(default_factory=list)
    terms: list[tuple[str, int]] = field(default_factory=list)

    def key(self) -> str:
        data = json.dumps([LAYOUT_VERSION, asdict(self)], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(data.encode()).hexdigest()


# --- what a sheet shows ------------------------------------------------------------------


def _definition() -> str:
    term: GlossaryTerm | None = find_term(CTD_TERM)
    return term.definition if term else ""


def _map_stages() -> dict[str, str]:
    return dict(db.session.execute(select(Ctd.slug, Ctd.stage)).all())


def roadmap_headings(body_html: str) -> list[str]:
    """The headings of a stored roadmap's HTML, in order."""
    if not body_html.strip():
        return []
    root = lxml_html.fragment_fromstring(body_html, create_parent="div")
    return [
        " ".join(element.text_content().split())
        for element in root.iter("h1", "h2", "h3")
        if element.text_content().strip()
    ]


def _projects(query, with_ctd: bool = False) -> tuple[list[ProjectFact], int]:
    projects = db.session.scalars(
        query.options(selectinload(Project.actors).selectinload(ProjectActor.actor)).order_by(
            Project.updated_at.desc(), Project.id.desc()
        )
    ).all()
    facts = [
        ProjectFact(
            f"{project.title} ({project.ctd.region})" if with_ctd else project.title,
            project.status_label,
            project.partner_list,
            list(dict.fromkeys(link.actor.name for link in project.actors)),
        )
        for project in projects[:PROJECTS_SHOWN]
    ]
    return facts, len(projects)


def _costs(lines: list[figures.CostLine]) -> list[CostFact]:
    totals = figures.year_totals(lines)[:COST_YEARS]
    return [CostFact(t.year, t.running_eur, t.avoided_eur) for t in reversed(totals)]


def _latest_resources(ctd: Ctd | None) -> list[ResourceFact]:
    query = permissions.public_resources()
    if ctd is not None:
        query = query.where(Resource.ctd_id == ctd.id)
    resources = db.session.scalars(
        query.order_by(Resource.published_at.desc(), Resource.id.desc()).limit(RESOURCES_SHOWN)
    )
    return [ResourceFact(r.title, r.kind_label, french_date(r.published_at)) for r in resources]


def ctd_sheet(ctd: Ctd) -> Sheet:
    """A CTD's sheet: its stage, co-chairs, roadmap, projects, costs, resources."""
    governance = workspace.governance_of(ctd)
    chairs = []
    if governance is not None:
        chairs = [
            (role, name)
            for role, name in (
                ("Coprésidence Région", governance.region_chair),
                ("Coprésidence État", governance.state_chair),
            )
            if name
        ]
    versions = workspace.roadmap_versions(ctd)
    projects, project_count = _projects(select(Project).where(Project.ctd_id == ctd.id))
    return Sheet(
        filename=f"fiche-{ctd.slug}.pdf",
        title=ctd.name,
        subtitle=f"Comité territorial de la donnée — région {ctd.region}",
        url=url_for("ctds.show", slug=ctd.slug, _external=True),
        definition=_definition(),
        map_stages=_map_stages(),
        highlight=ctd.slug,
        stage=ctd.stage_label,
        installed_on=french_date(ctd.installed_on),
        chairs=chairs,
        contact=[text for text in (ctd.contact, ctd.website) if text],
        headings=roadmap_headings(versions[0].body_html)[:HEADINGS_SHOWN] if versions else [],
        projects=projects,
        project_count=project_count,
        costs=_costs(figures.cost_lines(ctd)),
        resources=_latest_resources(ctd),
    )


def _most_shared_terms() -> list[tuple[str, int]]:
    count = func.count(Resource.id)
    rows = db.session.execute(
        select(GlossaryTerm.pref_label, count)
        .join(resource_terms, resource_terms.c.term_id == GlossaryTerm.id)
        .join(Resource, Resource.id == resource_terms.c.resource_id)
        .where(permissions.public())
        .group_by(GlossaryTerm.id, GlossaryTerm.pref_label)
        .order_by(count.desc(), GlossaryTerm.pref_label)
        .limit(TERMS_SHOWN)
    )
    return [(label, n) for label, n in rows]


def national_sheet() -> Sheet:
    """Every CTD summed up: stages on the map, totals, costs, most shared terms."""
    ctds = db.session.scalars(select(Ctd).order_by(Ctd.region)).all()
    stage_counts = [
        (label, len(regions), regions)
        for stage, label in CTD_STAGES.items()
        for regions in [[ctd.region for ctd in ctds if ctd.stage == stage]]
    ]
    published = db.session.scalar(
        select(func.count()).select_from(permissions.public_resources().subquery())
    )
    projects, project_count = _projects(select(Project), with_ctd=True)
    return Sheet(
        filename="fiche-nationale-ctd.pdf",
        title="Les comités territoriaux de la donnée",
        subtitle="Fiche nationale — les 18 régions",
        url=url_for("ctds.map", _external=True),
        definition=_definition(),
        map_stages=_map_stages(),
        totals=[
            ("Comités", len(ctds)),
            ("Ressources publiées", published or 0),
            ("Projets", project_count),
        ],
        stage_counts=stage_counts,
        projects=projects,
        project_count=project_count,
        costs=_costs(figures.cost_lines()),
        resources=_latest_resources(None),
        terms=_most_shared_terms(),
    )


# --- serving, from the cache -------------------------------------------------------------

_cache: OrderedDict[str, bytes] = OrderedDict()
_lock = threading.Lock()


def pdf_of(sheet: Sheet) -> bytes:
    """The sheet's PDF: drawn once per key, then kept (the least used go first)."""
    from cnig_share.ctds.factsheet_pdf import draw

    key = sheet.key()
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    document = draw(sheet)
    with _lock:
        _cache[key] = document
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return document


def response(sheet: Sheet) -> Response:
    """The PDF, or 304 when the browser's copy is still the current sheet."""
    etag = sheet.key()
    if etag in request.if_none_match:
        not_modified = Response(status=304)
        not_modified.set_etag(etag)
        return not_modified
    result = Response(pdf_of(sheet), mimetype="application/pdf")
    result.set_etag(etag)
    result.headers["Content-Disposition"] = f'inline; filename="{sheet.filename}"'
    result.headers["Cache-Control"] = "no-cache"
    return result
