"""Read endpoints of the API."""

from __future__ import annotations

import functools

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    jsonify,
    make_response,
    request,
    url_for,
)

from cnig_share.api.tokens import user_for
from cnig_share.extensions import csrf
from cnig_share.formatting import file_size
from cnig_share.glossary import vocabulary
from cnig_share.search.service import as_json, visitor_search
from cnig_share.search.views import search_rate_limit

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Clients authenticate with tokens, not cookies: no CSRF token to send.
csrf.exempt(bp)


def error(status: int, code: str, message: str, **details) -> tuple[Response, int]:
    """The API's one error shape: {"error": {"code", "message", …}}."""
    return jsonify(error={"code": code, "message": message, **details}), status


def listing(key: str, listed, to_json, endpoint: str, **values) -> Response:
    """A page of a listing (Flask-SQLAlchemy's Pagination) as the API gives it: the
    items under `key`, the total, the page and links to it and its neighbours,
    which keep the query's other arguments."""

    def link(number: int) -> str:
        args = {**request.args.to_dict(), "page": number, "per_page": listed.per_page}
        return url_for(endpoint, _external=True, **values, **args)

    return jsonify(
        {
            key: [to_json(item) for item in listed.items],
            "total": listed.total,
            "page": listed.page,
            "per_page": listed.per_page,
            "links": {
                "self": link(listed.page),
                "next": link(listed.page + 1) if listed.page < listed.pages else None,
                "prev": link(listed.page - 1) if listed.page > 1 else None,
            },
        }
    )


@bp.before_request
def limit_json_bodies() -> tuple[Response, int] | None:
    """Only attachment uploads (multipart, streamed to disk) may be big here.
    A JSON document is parsed whole in memory (100 MB took a worker to
    2.6 GB), so any other body gets MAX_JSON_BYTES: a 413 before reading when
    Content-Length says more, and a 413 when a chunked body reaches it."""
    if request.mimetype == "multipart/form-data":
        return None
    limit = json_limit()
    if request.content_length is not None and request.content_length > limit:
        return json_too_large()
    # One byte more than allowed: Werkzeug stops reading a chunked body at
    # the maximum without a word, so reading one byte past it tells.
    request.max_content_length = limit + 1
    return None


def body_too_large() -> bool:
    """Whether the body read (cached) is past MAX_JSON_BYTES."""
    return len(request.get_data(cache=True)) > json_limit()


def json_limit() -> int:
    """MAX_JSON_BYTES, or the site-wide MAX_CONTENT_LENGTH when smaller."""
    config = current_app.config
    return min(config["MAX_JSON_BYTES"], config["MAX_CONTENT_LENGTH"] or config["MAX_JSON_BYTES"])


def json_too_large() -> tuple[Response, int]:
    """The 413 of a body past MAX_JSON_BYTES."""
    message = (
        f"Le corps de la requête dépasse {file_size(json_limit())}, la taille acceptée pour "
        "du JSON. Rien n'a été enregistré : envoyez moins d'éléments à la fois."
    )
    return error(413, "payload_too_large", message)


def caller():
    """The account a Bearer token speaks for, None without a token; a token
    that is wrong, revoked or whose account is closed is a 401, not silence."""
    if "api_user" not in g:
        header = request.headers.get("Authorization")
        g.api_user = user_for(header)
        if header is not None and g.api_user is None:
            response, status = error(401, "invalid_token", "Jeton absent, invalide ou révoqué.")
            response.status_code = status
            response.headers["WWW-Authenticate"] = 'Bearer realm="CNIG Partage"'
            abort(response)
    return g.api_user


def open_to_all(view):
    """Reads may come from any web page (CORS); writes may not. A token, if
    sent, must be valid here too."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        caller()
        response = make_response(view(*args, **kwargs))
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = "ETag, Last-Modified"
        return response

    return wrapped


@bp.get("/search")
@search_rate_limit
@open_to_all
def search_resources():
    """The same search as /recherche, as SPEC §6 JSON."""
    return jsonify(as_json(visitor_search(request.args, per_page=20)))


@bp.get("/glossary")
@open_to_all
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
    return jsonify({"terms": terms})
