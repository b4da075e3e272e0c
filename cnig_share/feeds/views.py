"""/flux/…: Atom feeds of published content only, newest first."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request, url_for
from sqlalchemy import select

from cnig_share.ctds.stages import history
from cnig_share.extensions import db
from cnig_share.feeds.atom import (
    feed_response,
    project_entry,
    resource_entry,
    roadmap_entry,
    selection_entry,
    stage_entry,
)
from cnig_share.glossary.services import find_term
from cnig_share.models import KINDS, Ctd, Project, RoadmapVersion
from cnig_share.search.service import SearchParams, params_from, search
from cnig_share.search.views import search_rate_limit
from cnig_share.watch.services import public_selections
from cnig_share.watch.views import relayed_resources

bp = Blueprint("feeds", __name__, url_prefix="/flux")

FEED_SIZE = 50


def _newest(params: SearchParams):
    params.sort, params.page, params.per_page = "recent", 1, FEED_SIZE
    params.resources_only = True
    return [resource_entry(hit.item) for hit in search(params).hits]


def describe(params: SearchParams) -> str:
    """A search in words, for a feed's or an alert's title."""
    parts = [f"« {params.q.strip()} »"] if params.q.strip() else []
    for name, label in (("kind", "type"), ("ctd", "CTD"), ("term", "terme"), ("year", "année")):
        values = params.filters.get(name) or []
        if values:
            shown = [KINDS.get(v, v) if name == "kind" else v for v in values]
            parts.append(f"{label} : {', '.join(shown)}")
    return " ; ".join(parts) or "toutes les ressources"


@bp.get("/ressources.atom")
@search_rate_limit
def resources():
    """Any search, as on /recherche: the watch on a subject."""
    params = params_from(request.args)
    page = url_for("search.page", _external=True, **request.args.to_dict(flat=False))
    return feed_response(
        f"CNIG Partage — {describe(params)}",
        "Nouvelles ressources publiées pour cette recherche",
        page,
        _newest(params),
    )


@bp.get("/ctd/<slug>.atom")
def ctd(slug: str):
    found = db.first_or_404(select(Ctd).where(Ctd.slug == slug))
    projects = db.session.scalars(
        select(Project).where(Project.ctd_id == found.id).order_by(Project.updated_at.desc())
    )
    versions = db.session.scalars(
        select(RoadmapVersion)
        .where(RoadmapVersion.ctd_id == found.id)
        .order_by(RoadmapVersion.created_at.desc())
    )
    entries = [
        *_newest(SearchParams(filters={"ctd": [found.slug]})),
        *(project_entry(project) for project in projects.all()[:FEED_SIZE]),
        *(roadmap_entry(version) for version in versions.all()[:FEED_SIZE]),
        *(stage_entry(change) for change in history(found)[:FEED_SIZE]),
    ]
    entries.sort(key=lambda entry: entry.updated, reverse=True)
    return feed_response(
        f"CNIG Partage — {found.name}",
        f"Ressources publiées, projets, feuille de route et étapes du {found.name}",
        url_for("ctds.show", slug=found.slug, _external=True),
        entries[:FEED_SIZE],
    )


@bp.get("/glossaire/<slug>.atom")
def term(slug: str):
    found = find_term(slug)
    if found is None:
        abort(404)
    if found.slug != slug:
        return redirect(url_for(".term", slug=found.slug), 301)
    return feed_response(
        f"CNIG Partage — {found.pref_label}",
        f"Ressources publiées sur « {found.pref_label} » et ses termes spécifiques",
        url_for("glossary.show", slug=found.slug, _external=True),
        _newest(SearchParams(filters={"term": [found.slug]})),
    )


@bp.get("/relais.atom")
def relays():
    resources = db.session.scalars(relayed_resources(FEED_SIZE)).all()
    return feed_response(
        "CNIG Partage — Relayé par le CNIG",
        "Les ressources que l'équipe de veille du CNIG recommande",
        url_for("watch.relays", _external=True),
        [resource_entry(resource) for resource in resources],
    )


@bp.get("/selections.atom")
def selections():
    found = db.session.scalars(public_selections().limit(FEED_SIZE)).all()
    return feed_response(
        "CNIG Partage — Sélections de la veille",
        "Les sélections commentées de l'équipe de veille du CNIG",
        url_for("watch.selections", _external=True),
        [selection_entry(selection) for selection in found],
    )
