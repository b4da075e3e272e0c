"""/ressources/: the listing of published resources and a resource's page."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user
from slugify import slugify
from sqlalchemy import func, or_, select

from cnig_share.extensions import db
from cnig_share.models import KINDS, Ctd, Resource
from cnig_share.permissions import can_view
from cnig_share.text import fold

bp = Blueprint("resources", __name__, url_prefix="/ressources")

PER_PAGE = 12


@bp.get("/")
def index():
    kind = request.args.get("kind", "")
    ctd_slug = request.args.get("ctd", "")
    text = request.args.get("q", "").strip()[:200]
    query = select(Resource).where(Resource.status == "published")
    if kind in KINDS:
        query = query.where(Resource.kind == kind)
    ctd = db.session.scalar(select(Ctd).where(Ctd.slug == ctd_slug)) if ctd_slug else None
    if ctd is not None:
        query = query.where(Resource.ctd_id == ctd.id)
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            or_(
                Resource.title.ilike(pattern, escape="\\"),
                Resource.summary.ilike(pattern, escape="\\"),
            )
        )
    page = db.paginate(
        query.order_by(Resource.published_at.desc(), Resource.id.desc()),
        per_page=PER_PAGE,
        error_out=False,
    )
    ctds = sorted(db.session.scalars(select(Ctd)), key=lambda ctd: fold(ctd.region))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    return render_template(
        "resources/index.html",
        page=page,
        total=total,
        kinds=KINDS,
        ctds=ctds,
        selected={"kind": kind if kind in KINDS else "", "ctd": ctd.slug if ctd else "", "q": text},
    )


@bp.get("/<int:resource_id>")
@bp.get("/<int:resource_id>-<slug>")
def show(resource_id: int, slug: str | None = None):
    resource = db.session.get(Resource, resource_id)
    # Someone who may not see it gets the same 404 as for a missing id.
    if resource is None or not can_view(current_user, resource):
        abort(404)
    canonical = slugify(resource.title)
    if slug is not None and slug != canonical:
        return redirect(url_for(".show", resource_id=resource.id, slug=canonical), 301)
    return render_template("resources/show.html", resource=resource)
