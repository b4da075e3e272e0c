"""/ctd/: the directory of CTDs and each CTD's page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from cnig_share import conflicts, permissions
from cnig_share.consultations import read as consultation_reads
from cnig_share.ctds import factsheet, national_map, stages
from cnig_share.ctds.forms import StageForm
from cnig_share.curation import dashboard
from cnig_share.extensions import db
from cnig_share.membership import services as membership
from cnig_share.models import Ctd, Membership, Project, Resource
from cnig_share.text import fold
from cnig_share.workspace import services as workspace

bp = Blueprint("ctds", __name__, url_prefix="/ctd")

RESOURCES_SHOWN = 12


def _published_count():
    return (
        select(func.count(Resource.id))
        .where(Resource.ctd_id == Ctd.id, permissions.public())
        .scalar_subquery()
    )


def _member_count():
    return select(func.count(Membership.id)).where(Membership.ctd_id == Ctd.id).scalar_subquery()


@bp.get("/couverture")
def coverage():
    """Published resources per CTD and glossary term: who works on what."""
    return render_template("ctds/coverage.html", coverage=dashboard.coverage())


@bp.get("/")
def index():
    rows = db.session.execute(select(Ctd, _member_count(), _published_count())).all()
    rows.sort(key=lambda row: fold(row[0].name))
    return render_template("ctds/index.html", rows=rows, map=national_map.build())


BAD_COLOURING = "Couleur de carte inconnue : choisissez « etape » ou « activite »."


@bp.get("/carte", endpoint="map")
def national_map_page():
    """The map of France's regions, coloured by stage (default) or activity."""
    colouring = request.args.get("couleur", "etape")
    if colouring not in national_map.COLOURINGS:
        abort(400, BAD_COLOURING)
    return render_template(
        "ctds/map.html",
        map=national_map.build(colouring),
        colourings=national_map.COLOURINGS,
    )


@bp.get("/fiche.pdf")
def national_fact_sheet():
    """The two-page national fact sheet: every CTD summed up."""
    return factsheet.response(factsheet.national_sheet())


@bp.get("/<slug>/fiche.pdf")
def fact_sheet(slug: str):
    """A CTD's two-page fact sheet for elected officials and partners."""
    ctd = db.first_or_404(select(Ctd).where(Ctd.slug == slug))
    return factsheet.response(factsheet.ctd_sheet(ctd))


@bp.route("/<slug>/etape", methods=["GET", "POST"])
@login_required
def edit_stage(slug: str):
    """Where the CTD stands: its coordinators and the CNIG team set it."""
    ctd = db.first_or_404(select(Ctd).where(Ctd.slug == slug))
    if not permissions.can_set_stage(current_user, ctd):
        abort(403, f"Seuls les animateurs du {ctd.name} et l'équipe du CNIG changent son étape.")
    form = StageForm(obj=ctd, data={"version": ctd.stage_version})
    conflict = False
    if form.validate_on_submit():
        try:
            changed = stages.set_stage(
                ctd, form.stage.data, form.installed_on.data, current_user, form.loaded_version()
            )
            conflicts.commit()
        except stages.StageError as error:
            form[error.field].errors = [*form[error.field].errors, error.message]
        except conflicts.LOST:
            db.session.rollback()
            conflict = True
            # Saving again after reading the alert applies the person's choice.
            form.version.data = str(ctd.stage_version)
        else:
            flash(
                f"Étape enregistrée : {ctd.stage_label}." if changed else "L'étape n'a pas changé.",
                "success" if changed else "info",
            )
            return redirect(url_for("ctds.show", slug=ctd.slug), 303)
    status = 409 if conflict else 422 if request.method == "POST" else 200
    return render_template("ctds/stage_form.html", ctd=ctd, form=form, conflict=conflict), status


@bp.get("/<slug>")
def show(slug: str):
    ctd = db.first_or_404(select(Ctd).where(Ctd.slug == slug))
    members = db.session.scalar(select(func.count(Membership.id)).where(Membership.ctd == ctd))
    published = permissions.public_resources().where(Resource.ctd == ctd)
    # The newest only: the search page lists them all, with paging and facets.
    resources = db.session.scalars(
        published.order_by(Resource.published_at.desc(), Resource.id.desc()).limit(RESOURCES_SHOWN)
    ).all()
    total = db.session.scalar(select(func.count()).select_from(published.subquery()))
    projects = db.session.scalars(
        select(Project).where(Project.ctd_id == ctd.id).order_by(Project.updated_at.desc())
    ).all()
    versions = workspace.roadmap_versions(ctd)
    asking = permissions.can_ask_to_join(current_user, ctd)
    return render_template(
        "ctds/show.html",
        ctd=ctd,
        members=members,
        resources=resources,
        total=total,
        roadmap=versions[0] if versions else None,
        governance=workspace.governance_of(ctd),
        projects=projects,
        join_waiting=membership.request_waiting(current_user, ctd) if asking else None,
        consultations=consultation_reads.asked_of(ctd, current_user),
    )
