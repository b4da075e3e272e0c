"""/widget/…: the only pages another site may frame.

Always what an anonymous visitor sees, whoever asks: the lists are read as
`None` would see them, never through current_user, and the session cookie is
neither read nor written on these paths (widget/sessions.py). The response
names the sites allowed to frame it (WIDGET_FRAME_ANCESTORS).
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from sqlalchemy import select

from cnig_share import permissions, security
from cnig_share.extensions import db
from cnig_share.models import KINDS, Ctd, GlossaryTerm, Resource
from cnig_share.search.service import SearchParams, search
from cnig_share.search.views import search_rate_limit

bp = Blueprint("widget", __name__, url_prefix="/widget")

SHOWN = 8
UNKNOWN_KIND = (
    "Type de ressource inconnu : choisissez bonne-pratique, document ou retour-experience."
)
UNKNOWN_TERM = "Ce terme ne figure pas dans le glossaire : vérifiez l'adresse fournie par le CNIG."


@bp.after_request
def allow_framing(response):
    security.allow_framing()
    return response


@bp.get("/ctd/<slug>")
def ctd(slug: str):
    """The latest published resources of one CTD."""
    found = db.first_or_404(select(Ctd).where(Ctd.slug == slug))
    resources = db.session.scalars(
        permissions.public_resources()
        .where(Resource.ctd_id == found.id)
        .order_by(Resource.published_at.desc(), Resource.id.desc())
        .limit(SHOWN)
    ).all()
    return render_template(
        "widget/list.html",
        heading=f"Dernières ressources du {found.name}",
        resources=resources,
        more_url=("search.page", {"ctd": found.slug, "sort": "recent"}),
    )


@bp.get("/recherche", endpoint="search")
@search_rate_limit
def search_list():
    """The latest (or best) published resources for a search: words, a term, a kind."""
    q = request.args.get("q", "")[:200]
    kind = request.args.get("kind", "")
    term = request.args.get("term", "")
    if kind and kind not in KINDS:
        abort(400, UNKNOWN_KIND)
    if term and db.session.scalar(select(GlossaryTerm.id).where(GlossaryTerm.slug == term)) is None:
        abort(400, UNKNOWN_TERM)
    filters = {name: [value] for name, value in (("kind", kind), ("term", term)) if value}
    params = SearchParams(
        q=q,
        filters=filters,
        sort="relevance" if q.strip() else "recent",
        per_page=SHOWN,
        resources_only=True,
    )
    results = search(params)
    arguments = {name: value for name, value in (("q", q), ("kind", kind), ("term", term)) if value}
    return render_template(
        "widget/list.html",
        heading=_search_heading(q, kind, term),
        resources=[hit.item for hit in results.hits],
        more_url=("search.page", arguments),
    )


def _search_heading(q: str, kind: str, term: str) -> str:
    parts = []
    if q.strip():
        parts.append(f"« {q.strip()} »")
    if term:
        label = db.session.scalar(select(GlossaryTerm.pref_label).where(GlossaryTerm.slug == term))
        parts.append(f"terme « {label} »")
    if kind:
        parts.append(KINDS[kind].lower())
    return "Ressources — " + ", ".join(parts) if parts else "Dernières ressources publiées"
