"""Read endpoints of the API."""

from __future__ import annotations

from flask import Blueprint, jsonify, request, url_for

from cnig_share.extensions import csrf
from cnig_share.glossary import vocabulary
from cnig_share.search import misses
from cnig_share.search.service import as_json, search
from cnig_share.search.views import params_from

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Clients authenticate with tokens, not cookies: no CSRF token to send.
csrf.exempt(bp)


@bp.get("/search")
def search_resources():
    """The same search as /recherche, as SPEC §6 JSON."""
    results = search(params_from(request.args, per_page=20))
    misses.record(results)
    payload = as_json(
        results,
        lambda resource: url_for("resources.show", resource_id=resource.id, _external=True),
    )
    response = jsonify(payload)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/glossary")
def glossary():
    """Every term with its labels and relations, as SPEC §6 JSON."""
    terms = [
        {
            "slug": term.slug,
            "label": term.pref_label,
            "alt_labels": term.alt_label_texts,
            "definition": term.definition,
            "scope_note": term.scope_note,
            "source": term.source,
            "broader": [other.slug for other in term.broader],
            "narrower": [other.slug for other in term.narrower],
            "related": [other.slug for other in term.related],
            "url": url_for("glossary.show", slug=term.slug, _external=True),
            "created_at": term.created_at.isoformat(),
            "updated_at": term.updated_at.isoformat(),
        }
        for term in vocabulary.all_terms()
    ]
    response = jsonify({"terms": terms})
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
