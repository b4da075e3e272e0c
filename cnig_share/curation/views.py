"""/curation/: the review queue (curation.queue; its decisions are the resource
life-cycle views), the dashboard, missed searches and the audit log."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cnig_share import permissions
from cnig_share.audit import ACTION_LABELS
from cnig_share.csv_files import spreadsheet_download
from cnig_share.curation import audit_targets
from cnig_share.curation import dashboard as dashboard_figures
from cnig_share.curation import queue as review_queue
from cnig_share.dates import day_start
from cnig_share.extensions import db
from cnig_share.glossary import services as glossary_services
from cnig_share.glossary import vocabulary
from cnig_share.models import (
    MEMBERSHIP_ROLES,
    ROLES,
    AuditEvent,
    Ctd,
    GlossaryTerm,
    Project,
    Resource,
    User,
)
from cnig_share.pagination import page_argument
from cnig_share.resources import lifecycle, lifecycle_views
from cnig_share.routing import parse_id
from cnig_share.search import misses
from cnig_share.text import like_pattern

bp = Blueprint("curation", __name__, url_prefix="/curation")


@bp.before_request
@login_required
def curators_only():
    """Every curation page: the CNIG team only (the acronyms' pages too)."""
    if not permissions.can_curate(current_user):
        abort(403, "Cet espace est réservé à l'équipe du CNIG.")


@bp.get("/")
def queue():
    return review_queue.render(review_queue.filters(request.args))


# The queue's own addresses for its two decisions, kept for forms and scripts
# that post there: the same views as the resource page's (resources.views).
bp.add_url_rule(
    f"/<id:resource_id>/{lifecycle.PUBLISH.path}",
    "publish",
    lifecycle_views.transition,
    methods=["POST"],
    defaults={"action": lifecycle.PUBLISH.path},
)
bp.add_url_rule(
    f"/<id:resource_id>/{lifecycle.RETURN.path}",
    "return_to_authors",
    lifecycle_views.return_to_authors,
    methods=["POST"],
)


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
    """Every table of the dashboard, one row per figure, for a spreadsheet."""
    figures = dashboard_figures.figures()
    rows: list[list] = [["Tableau", "Libellé", "Valeur"]]
    for _, title, table in figures.tables():
        rows.extend([title, label, value] for label, value in table)
    rows.extend(["Recherches sans résultat", query, count] for query, count in figures.misses)
    return spreadsheet_download("tableau-de-bord", rows)


@bp.post("/recherches-sans-resultat")
def add_missed_label():
    """A query that found nothing becomes an alternative label of a term."""
    label = " ".join(request.form.get("query", "").split())[:200]
    term = db.session.get(GlossaryTerm, parse_id(request.form.get("term", "")) or 0)
    if not label or term is None:
        flash("Choisissez le terme auquel ajouter cette recherche.", "error")
        return redirect(url_for(".dashboard") + "#sans-resultat", 303)
    try:
        glossary_services.add_alt_labels(term, [label], current_user)
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
    if ctd is not None:  # its resources, its projects, and its roadmap, governance and costs
        query = query.where(
            ((AuditEvent.target_type == "resource")
             & AuditEvent.target_id.in_(select(Resource.id).where(Resource.ctd_id == ctd.id)))
            | ((AuditEvent.target_type == "project")
               & AuditEvent.target_id.in_(select(Project.id).where(Project.ctd_id == ctd.id)))
            | ((AuditEvent.target_type == "ctd") & (AuditEvent.target_id == ctd.id))
        )  # fmt: skip
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
        targets=audit_targets.describe(events, current_user),
        total=page.total,
        page=page,
        args=args,
        bad_dates=bad_dates,
        actions=ACTION_LABELS,
        site_roles=ROLES,
        ctd_roles=MEMBERSHIP_ROLES,
        ctds=db.session.scalars(select(Ctd).order_by(Ctd.name)).all(),
    )
