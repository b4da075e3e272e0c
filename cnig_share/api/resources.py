"""/api/v1/resources and /api/v1/ctds: reading, open to all (published
content; a token also shows what its owner may see), with CORS."""

from __future__ import annotations

from datetime import datetime

from flask import jsonify, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from cnig_share import permissions
from cnig_share.api.serialize import resource_etag, resource_json
from cnig_share.api.views import bp, caller, error, listing, open_to_all
from cnig_share.dates import parse_instant
from cnig_share.extensions import db
from cnig_share.glossary.services import find_term
from cnig_share.glossary.vocabulary import with_narrower
from cnig_share.models import KINDS, Ctd, Resource, resource_terms
from cnig_share.pagination import whole_number

MAX_PER_PAGE = 100
MAX_PAGE = 100_000


def _moment(value: str) -> datetime | None:
    """An ISO 8601 date or instant, in UTC; None when it is not one."""
    try:
        return parse_instant(value)
    except ValueError:
        return None


def _loaded(query):
    return query.options(
        selectinload(Resource.ctd),
        selectinload(Resource.terms),
        selectinload(Resource.links),
        selectinload(Resource.attachments),
    )


@bp.get("/resources")
@open_to_all
def list_resources():
    """Filtered and paginated; newest change first."""
    page = whole_number(request.args.get("page", "1"), MAX_PAGE)
    per_page = whole_number(request.args.get("per_page", "20"), MAX_PER_PAGE)
    if page is None or per_page is None:
        message = f"page et per_page sont des entiers positifs (per_page ≤ {MAX_PER_PAGE})."
        return error(400, "invalid_parameter", message)
    query = permissions.visible_resources(caller())  # published, and what the token may see
    args = request.args
    if "ctd" in args:
        query = query.join(Ctd).where(Ctd.slug == args["ctd"])
    if "kind" in args:
        if args["kind"] not in KINDS:
            return error(400, "invalid_parameter", f"kind : l'une de {', '.join(KINDS)}.")
        query = query.where(Resource.kind == args["kind"])
    if "term" in args:
        term = find_term(args["term"])
        if term is None:
            return error(400, "invalid_parameter", "term : aucun terme du glossaire n'a ce slug.")
        tagged = select(resource_terms.c.resource_id).where(
            resource_terms.c.term_id.in_(with_narrower(term))
        )
        query = query.where(Resource.id.in_(tagged))
    if "updated_since" in args:
        since = _moment(args["updated_since"])
        if since is None:
            return error(400, "invalid_parameter", "updated_since : une date ISO 8601.")
        query = query.where(Resource.updated_at >= since)
    listed = db.paginate(
        _loaded(query).order_by(Resource.updated_at.desc(), Resource.id.desc()),
        page=page,
        per_page=per_page,
        error_out=False,
    )

    return listing("resources", listed, resource_json, ".list_resources")


@bp.get("/resources/<id:resource_id>")
@open_to_all
def get_resource(resource_id: int):
    resource = db.session.scalar(_loaded(select(Resource).where(Resource.id == resource_id)))
    if resource is None or not permissions.can_view(caller(), resource):
        return error(404, "not_found", "Aucune ressource visible ne porte ce numéro.")
    response = jsonify(resource_json(resource))
    response.set_etag(resource_etag(resource))
    response.last_modified = resource.updated_at
    if not resource.is_published:
        response.headers["Cache-Control"] = "private, no-store"
    return response.make_conditional(request)


@bp.get("/ctds")
@open_to_all
def list_ctds():
    published = (
        select(func.count(Resource.id))
        .where(Resource.ctd_id == Ctd.id, permissions.public())
        .scalar_subquery()
    )
    rows = db.session.execute(select(Ctd, published).order_by(Ctd.slug)).all()
    return jsonify(
        ctds=[
            {
                "slug": ctd.slug,
                "name": ctd.name,
                "region": ctd.region,
                "url": url_for("ctds.show", slug=ctd.slug, _external=True),
                "resources": count,
                "stage": ctd.stage,
                "installed_on": ctd.installed_on.isoformat() if ctd.installed_on else None,
            }
            for ctd, count in rows
        ]
    )
