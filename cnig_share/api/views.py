"""Read endpoints of the API."""

from __future__ import annotations

from flask import Blueprint, jsonify, request, url_for

from cnig_share.extensions import csrf
from cnig_share.search.service import as_json, search
from cnig_share.search.views import params_from

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Clients authenticate with tokens, not cookies: no CSRF token to send.
csrf.exempt(bp)


@bp.get("/search")
def search_resources():
    """The same search as /recherche, as SPEC §6 JSON."""
    results = search(params_from(request.args, per_page=20))
    payload = as_json(
        results,
        lambda resource: url_for("resources.show", resource_id=resource.id, _external=True),
    )
    response = jsonify(payload)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
