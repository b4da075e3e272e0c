"""/curation/: submissions oldest first, with publish and return in place
(htmx, or a plain form post), and published resources past their review date."""

from __future__ import annotations

from collections import Counter

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from cnig_share import permissions
from cnig_share.extensions import db
from cnig_share.htmx import is_htmx_request, render_page_or_block
from cnig_share.models import KINDS, Ctd, GlossaryTerm, Resource, utcnow
from cnig_share.resources import services

bp = Blueprint("curation", __name__, url_prefix="/curation")

FILTERS = ("ctd", "kind", "term")
STALE_SHOWN = 50


@bp.before_request
@login_required
def _curators_only():
    if not permissions.can_curate(current_user):
        abort(403, "Cet espace est réservé à l'équipe du CNIG.")


def _filters(values) -> dict[str, str]:
    return {name: values.get(name, "")[:120] for name in FILTERS if values.get(name)}


def _queue(filters: dict[str, str]):
    submitted = (
        select(Resource)
        .where(Resource.status == "submitted")
        .options(selectinload(Resource.ctd), selectinload(Resource.terms))
        .order_by(func.coalesce(Resource.submitted_at, Resource.updated_at), Resource.id)
    )
    everything = db.session.scalars(submitted).all()
    shown = [
        resource for resource in everything
        if filters.get("ctd", resource.ctd.slug) == resource.ctd.slug
        and filters.get("kind", resource.kind) == resource.kind
        and ("term" not in filters or filters["term"] in {t.slug for t in resource.terms})
    ]  # fmt: skip
    counts = {
        "ctd": Counter(resource.ctd.slug for resource in everything),
        "kind": Counter(resource.kind for resource in everything),
        "term": Counter(t.slug for resource in everything for t in resource.terms),
    }
    return everything, shown, counts


def _stale() -> tuple[list[Resource], int]:
    past_due = Resource.status == "published", Resource.review_by < utcnow()
    total = db.session.scalar(select(func.count()).select_from(Resource).where(*past_due))
    resources = db.session.scalars(
        select(Resource)
        .where(*past_due)
        .options(selectinload(Resource.ctd))
        .order_by(Resource.review_by, Resource.id)
        .limit(STALE_SHOWN)
    ).all()
    return list(resources), total or 0


def _render(filters: dict[str, str], notice: tuple[str, str] | None = None, status: int = 200):
    everything, shown, counts = _queue(filters)
    stale, stale_total = _stale()
    return render_page_or_block(
        "curation/queue.html",
        "queue",
        status=status,
        filters=filters,
        everything=everything,
        shown=shown,
        counts=counts,
        stale=stale,
        stale_total=stale_total,
        notice=notice,
        now=utcnow(),
        filter_options=_filter_options(),
    )


def _filter_options() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(parameter, label, [(value, text)]) for each filter of the queue."""
    ctds = db.session.execute(select(Ctd.slug, Ctd.name).order_by(Ctd.name)).all()
    terms = db.session.execute(
        select(GlossaryTerm.slug, GlossaryTerm.pref_label).order_by(GlossaryTerm.pref_label)
    ).all()
    return [
        ("ctd", "CTD", [tuple(row) for row in ctds]),
        ("kind", "Type", list(KINDS.items())),
        ("term", "Terme", [tuple(row) for row in terms]),
    ]


@bp.get("/")
def queue():
    return _render(_filters(request.args))


def _decided(message: str, level: str = "success"):
    """After an action: the queue block for htmx (200, or htmx would not swap
    it in), else back to the filtered page with the message."""
    filters = _filters(request.form)
    if is_htmx_request():
        return _render(filters, (level, message))
    flash(message, level)
    return redirect(url_for(".queue", **filters), 303)


def _submitted_or_404(resource_id: int) -> Resource:
    resource = db.session.get(Resource, resource_id)
    if resource is None:
        abort(404)
    return resource


@bp.post("/<id:resource_id>/publier")
def publish(resource_id: int):
    resource = _submitted_or_404(resource_id)
    try:
        services.publish(resource, current_user)
    except services.ResourceError as error:
        db.session.rollback()
        return _decided(error.message, "error")
    db.session.commit()
    return _decided(f"« {resource.title} » est publiée.")


@bp.post("/<id:resource_id>/renvoyer")
def return_to_authors(resource_id: int):
    resource = _submitted_or_404(resource_id)
    comment = request.form.get("comment", "")[:5000]
    try:
        services.return_to_draft(resource, current_user, comment)
    except services.ResourceError as error:
        db.session.rollback()
        return _decided(error.message, "error")
    db.session.commit()
    return _decided(f"« {resource.title} » est renvoyée à ses auteurs avec votre commentaire.")
