"""/recherche: the search page; the results block alone for htmx."""

from __future__ import annotations

from flask import Blueprint, current_app, request
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from cnig_share.extensions import client_address, db, limiter
from cnig_share.htmx import render_page_or_block
from cnig_share.models import GlossaryTerm
from cnig_share.pagination import page_argument
from cnig_share.search import misses
from cnig_share.search.service import FACETS, SearchParams, facet_labels, search

bp = Blueprint("search", __name__)

MAX_FILTER_VALUES = 30
TOO_MANY_SEARCHES = (
    "Trop de recherches en peu de temps depuis votre adresse. Patientez une minute "
    "avant de réessayer."
)


def _search_limit() -> str:
    return current_app.config["SEARCH_RATE_LIMIT"]


# One count per client address for the page, its htmx block, the API and the
# search feed: a visitor controls what each search costs, whatever the door.
search_rate_limit = limiter.shared_limit(
    _search_limit, scope="search", key_func=client_address, error_message=TOO_MANY_SEARCHES
)


def _number(value: str | None, default: int) -> int:
    if value is None or not (value.isascii() and value.isdigit()) or len(value) > 6:  # not "²"
        return default
    return int(value)


def params_from(args: MultiDict, per_page: int = 10) -> SearchParams:
    """Read a search from query-string arguments; anything odd is ignored."""
    return SearchParams(
        q=args.get("q", "")[:1000],
        filters={
            name: [v[:100] for v in args.getlist(name)[:MAX_FILTER_VALUES] if v] for name in FACETS
        },
        sort="recent" if args.get("sort") == "recent" else "relevance",
        page=page_argument(args),
        per_page=_number(args.get("per_page"), per_page),
    )


@bp.get("/recherche")
@search_rate_limit
def page():
    results = search(params_from(request.args))
    misses.record(results)
    suggestions = []
    if results.total == 0:
        suggestions = db.session.scalars(
            select(GlossaryTerm).order_by(func.random()).limit(6)
        ).all()
    return render_page_or_block(
        "search/index.html",
        "results",
        results=results,
        labels=facet_labels(),
        suggestions=suggestions,
    )
