"""/api/v1/discussions and /api/v1/resources/<id>/discussions (SPEC §10):
public threads only, hidden and deleted messages omitted, paginated like
/api/v1/resources. Also their OpenAPI description."""

from __future__ import annotations

from typing import Any

from flask import request, url_for
from sqlalchemy.orm import selectinload

from cnig_share import permissions
from cnig_share.api.resources import MAX_PAGE, MAX_PER_PAGE, _moment
from cnig_share.api.serialize import iso
from cnig_share.api.views import bp, caller, error, listing, open_to_all
from cnig_share.discussions import queries, subjects
from cnig_share.extensions import db
from cnig_share.models import Message, Resource, Thread
from cnig_share.pagination import whole_number


def thread_json(thread: Thread) -> dict[str, Any]:
    subject = subjects.of_thread(thread)
    return {
        "id": thread.id,
        "title": thread.title,
        "url": url_for("discussions.show", thread_id=thread.id, _external=True),
        "subject": {
            "type": subject.type,
            "id": subject.id,
            "title": subject.title,
            "url": subject.url(external=True),
        },
        "resolved": thread.is_resolved,
        "created_at": iso(thread.created_at),
        "messages": [
            {
                "id": message.id,
                "author": queries.author_name(message.author),
                "body_html": message.body_html,
                "created_at": iso(message.created_at),
                "edited_at": iso(message.edited_at),
            }
            for message in queries.public_messages(thread)
        ],
    }


def _page_of(query, endpoint: str, **values: Any):
    page = whole_number(request.args.get("page", "1"), MAX_PAGE)
    per_page = whole_number(request.args.get("per_page", "20"), MAX_PER_PAGE)
    if page is None or per_page is None:
        message = f"page et per_page sont des entiers positifs (per_page ≤ {MAX_PER_PAGE})."
        return error(400, "invalid_parameter", message)
    query = query.options(
        selectinload(Thread.messages).selectinload(Message.author),
        selectinload(Thread.resource),
        selectinload(Thread.project),
        selectinload(Thread.consultation),
    )
    listed = db.paginate(query, page=page, per_page=per_page, error_out=False)

    return listing("discussions", listed, thread_json, endpoint, **values)


@bp.get("/discussions")
@open_to_all
def list_discussions():
    """Every public thread, liveliest first; ?ctd= a CTD's, ?since= active since."""
    query = queries.public_threads()
    if "ctd" in request.args:
        ctd = queries.ctd_named(request.args["ctd"])
        if ctd is None:
            return error(400, "invalid_parameter", "ctd : aucun CTD n'a cet identifiant.")
        query = query.where(Thread.ctd_id == ctd.id)
    if "since" in request.args:
        since = _moment(request.args["since"])
        if since is None:
            return error(400, "invalid_parameter", "since : une date ISO 8601.")
        query = query.where(Thread.last_message_at >= since)
    return _page_of(query, ".list_discussions")


@bp.get("/resources/<id:resource_id>/discussions")
@open_to_all
def resource_discussions(resource_id: int):
    resource = db.session.get(Resource, resource_id)
    if resource is None or not permissions.can_view(caller(), resource):
        return error(404, "not_found", "Aucune ressource visible ne porte ce numéro.")
    query = queries.public_threads().where(Thread.resource_id == resource.id)
    return _page_of(query, ".resource_discussions", resource_id=resource.id)


# --- OpenAPI ------------------------------------------------------------------------------

_STRING = {"type": "string"}
_NULLABLE = {"type": ["string", "null"]}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": list(properties), "properties": properties}


SCHEMAS = {
    "Discussion": _object({
        "id": {"type": "integer"},
        "title": _STRING,
        "url": _STRING,
        "subject": _object({
            "type": {"enum": list(subjects.TYPES)},
            "id": {"type": "integer"},
            "title": _STRING,
            "url": _STRING,
        }),
        "resolved": {"type": "boolean"},
        "created_at": _STRING,
        "messages": {"type": "array", "items": _object({
            "id": {"type": "integer"},
            "author": {**_STRING, "description": "Nom affiché, ou « ancien membre »"},
            "body_html": {**_STRING, "description": "HTML nettoyé, rendu à l'enregistrement"},
            "created_at": _STRING,
            "edited_at": _NULLABLE,
        })},
    }),
    "DiscussionList": _object({
        "discussions": {"type": "array", "items": {"$ref": "#/components/schemas/Discussion"}},
        "total": {"type": "integer"},
        "page": {"type": "integer"},
        "per_page": {"type": "integer"},
        "links": _object({"self": _STRING, "next": _NULLABLE, "prev": _NULLABLE}),
    }),
}  # fmt: skip


def paths(read, query, json, ref, id_parameter) -> dict[str, Any]:
    """The two operations, written with openapi.py's helpers."""
    pages = [query("page", "page (1 et plus)"), query("per_page", "par page (100 au plus)")]
    answer = json(ref("DiscussionList"), "Une page de discussions publiques")
    return {
        "/discussions": {"get": read(
            "Les discussions publiques (messages masqués et supprimés omis)", answer, 400, 401,
            parameters=[query("ctd", "slug du CTD"),
                        query("since", "active depuis (date ISO 8601)"), *pages],
        )},
        "/resources/{id}/discussions": {"get": read(
            "Les discussions publiques d'une ressource", answer, 400, 401, 404,
            parameters=[id_parameter, *pages],
        )},
    }  # fmt: skip
