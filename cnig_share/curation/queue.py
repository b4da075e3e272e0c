"""The review queue: submissions oldest first with their filters and counts,
published resources past their review date, and the answer after a curator's
decision (the queue's block for htmx, else back to the filtered page)."""

from __future__ import annotations

from collections import Counter

from flask import flash, redirect, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from cnig_share import conflicts
from cnig_share.extensions import db
from cnig_share.htmx import is_htmx_request, render_page_or_block
from cnig_share.models import KINDS, Ctd, GlossaryTerm, Resource, utcnow
from cnig_share.pagination import page_of

FILTERS = ("ctd", "kind", "term")
STALE_SHOWN = 50
QUEUE_PAGE = 30


def filters(values) -> dict[str, str]:
    """The queue's filters among these values (query string or posted form)."""
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
    past_due = Resource.is_published, Resource.review_by < utcnow()
    total = db.session.scalar(select(func.count()).select_from(Resource).where(*past_due))
    resources = db.session.scalars(
        select(Resource)
        .where(*past_due)
        .options(selectinload(Resource.ctd))
        .order_by(Resource.review_by, Resource.id)
        .limit(STALE_SHOWN)
    ).all()
    return list(resources), total or 0


def render(filters: dict[str, str], notice: tuple[str, str] | None = None, status: int = 200):
    """The queue page, or its block for htmx, with a notice after a decision."""
    everything, shown, counts = _queue(filters)
    stale, stale_total = _stale()
    page = page_of(shown, request.args, QUEUE_PAGE)
    return render_page_or_block(
        "curation/queue.html",
        "queue",
        status=status,
        filters=filters,
        everything=everything,
        shown=shown,
        page=page,
        args=MultiDict(filters),  # what the pagination links keep
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


def decided(message: str, level: str = "success"):
    """After a decision: the queue block for htmx (422 when it was refused),
    else back to the filtered page with the message."""
    chosen = filters(request.form)
    if is_htmx_request():
        return render(chosen, (level, message), 422 if level == "error" else 200)
    flash(message, level)
    return redirect(url_for("curation.queue", **chosen), 303)


def overtaken():
    """Another curator decided first (their decision stands, ours is not applied):
    409 with the queue as it now is (the block for htmx, which swaps a 409)."""
    db.session.rollback()
    return render(filters(request.form), ("error", conflicts.STALE_MESSAGE), 409)
