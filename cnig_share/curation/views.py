"""/curation/: submissions oldest first, with publish and return in place
(htmx, or a plain form post), and published resources past their review date."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from cnig_share import conflicts, permissions
from cnig_share.audit import ACTION_LABELS
from cnig_share.csv_download import csv_download
from cnig_share.curation import dashboard as dashboard_figures
from cnig_share.dates import day_start
from cnig_share.extensions import db
from cnig_share.glossary import services as glossary_services
from cnig_share.glossary import vocabulary
from cnig_share.htmx import is_htmx_request, render_page_or_block
from cnig_share.models import (
    KINDS,
    AuditEvent,
    Ctd,
    GlossaryTerm,
    Resource,
    Selection,
    User,
    utcnow,
)
from cnig_share.pagination import page_argument
from cnig_share.resources import services
from cnig_share.routing import parse_id
from cnig_share.search import misses
from cnig_share.text import like_pattern

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


def _overtaken():
    """Another curator decided first (their decision stands, ours is not applied):
    409 with the queue as it now is; htmx gets the block, as it swaps only 2xx."""
    db.session.rollback()
    notice = ("error", conflicts.STALE_MESSAGE)
    return _render(_filters(request.form), notice, 200 if is_htmx_request() else 409)


def _refused(error: services.ResourceError):
    db.session.rollback()
    return _decided(error.message, "error")


@bp.post("/<id:resource_id>/publier")
def publish(resource_id: int):
    resource = _submitted_or_404(resource_id)
    try:
        conflicts.require_posted_version(resource.version)
        services.publish(resource, current_user)
        title = resource.title
        conflicts.commit()
    except services.ResourceError as error:
        return _refused(error)
    except conflicts.LOST:
        return _overtaken()
    return _decided(f"« {title} » est publiée.")


@bp.post("/<id:resource_id>/renvoyer")
def return_to_authors(resource_id: int):
    resource = _submitted_or_404(resource_id)
    comment = request.form.get("comment", "")[:5000]
    try:
        conflicts.require_posted_version(resource.version)
        services.return_to_draft(resource, current_user, comment)
        title = resource.title
        conflicts.commit()
    except services.ResourceError as error:
        return _refused(error)
    except conflicts.LOST:
        return _overtaken()
    return _decided(f"« {title} » est renvoyée à ses auteurs avec votre commentaire.")


# --- dashboard --------------------------------------------------------------------------


@bp.get("/tableau-de-bord")
def dashboard():
    return render_template(
        "curation/dashboard.html",
        figures=dashboard_figures.figures(),
        terms=vocabulary.all_terms(),
    )


@bp.get("/tableau-de-bord.csv")
def dashboard_csv():
    """Every table of the dashboard, one row per figure: spreadsheet-ready."""
    figures = dashboard_figures.figures()
    rows = [["tableau", "libellé", "valeur"]]
    for key, _, table in figures.tables():
        rows.extend([key, label, value] for label, value in table)
    rows.extend(["recherches-sans-resultat", query, count] for query, count in figures.misses)
    return csv_download("tableau-de-bord", rows)


@bp.post("/recherches-sans-resultat")
def add_missed_label():
    """A query that found nothing becomes an alternative label of a term."""
    label = " ".join(request.form.get("query", "").split())[:200]
    term = db.session.get(GlossaryTerm, parse_id(request.form.get("term", "")) or 0)
    if not label or term is None:
        flash("Choisissez le terme auquel ajouter cette recherche.", "error")
        return redirect(url_for(".dashboard") + "#sans-resultat", 303)
    data = glossary_services.TermInput(
        pref_label=term.pref_label,
        definition=term.definition,
        alt_labels=[*term.alt_label_texts, label],
        broader=list(term.broader),
        related=list(term.related),
        scope_note=term.scope_note,
        source=term.source,
        slug=term.slug,
    )
    try:
        glossary_services.update_term(term, data, current_user)
    except glossary_services.GlossaryError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for(".dashboard") + "#sans-resultat", 303)
    misses.forget(label)
    db.session.commit()
    flash(f"« {label} » est désormais une autre appellation de « {term.pref_label} ».", "success")
    return redirect(url_for(".dashboard") + "#sans-resultat", 303)


# --- audit log ----------------------------------------------------------------------------

LOG_PAGE = 50


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@bp.get("/journal")
def audit_log():
    args = request.args
    query = select(AuditEvent).options(selectinload(AuditEvent.actor))
    person = args.get("person", "")[:320]
    if person:
        query = query.join(User, User.id == AuditEvent.actor_id).where(
            User.email.ilike(like_pattern(person), escape="\\")
            | User.name.ilike(like_pattern(person), escape="\\")
        )
    if args.get("action") in ACTION_LABELS:
        query = query.where(AuditEvent.action == args["action"])
    ctd = db.session.scalar(select(Ctd).where(Ctd.slug == args.get("ctd", "")))
    if ctd is not None:
        query = query.where(
            AuditEvent.target_type == "resource",
            AuditEvent.target_id.in_(select(Resource.id).where(Resource.ctd_id == ctd.id)),
        )
    start, end = _day(args.get("from", "")), _day(args.get("to", ""))
    bad_dates = bool((args.get("from") and not start) or (args.get("to") and not end))
    if start:
        query = query.where(AuditEvent.created_at >= day_start(start))
    if end:
        query = query.where(AuditEvent.created_at < day_start(end + timedelta(days=1)))
    page = db.paginate(
        query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()),
        page=page_argument(args),
        per_page=LOG_PAGE,
        error_out=False,
    )
    events = list(page.items)
    return render_template(
        "curation/audit_log.html",
        events=events,
        titles=_target_titles(events),
        total=page.total,
        page=page,
        args=args,
        bad_dates=bad_dates,
        actions=ACTION_LABELS,
        ctds=db.session.scalars(select(Ctd).order_by(Ctd.name)).all(),
    )


def _target_titles(events: list[AuditEvent]) -> dict[tuple[str, int], str]:
    """Readable names of the events' targets, in three queries at most."""
    wanted: dict[str, set[int]] = {}
    for event in events:
        if event.target_id is not None:
            wanted.setdefault(event.target_type, set()).add(event.target_id)
    titles = {}
    for kind, model, column in (
        ("resource", Resource, Resource.title),
        ("glossary_term", GlossaryTerm, GlossaryTerm.pref_label),
        ("selection", Selection, Selection.title),
    ):
        if wanted.get(kind):
            rows = db.session.execute(select(model.id, column).where(model.id.in_(wanted[kind])))
            titles.update({(kind, row_id): title for row_id, title in rows})
    return titles
