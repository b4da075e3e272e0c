"""/recherche: the search page; the results block alone for htmx."""

from __future__ import annotations

from flask import Blueprint, current_app, request
from sqlalchemy import func, select

from cnig_share.extensions import client_address, db, limiter
from cnig_share.htmx import render_page_or_block
from cnig_share.models import GlossaryTerm
from cnig_share.search.service import facet_labels, visitor_search

bp = Blueprint("search", __name__)

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


@bp.get("/recherche")
@search_rate_limit
def page():
    results = visitor_search(request.args)
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
