"""The CTD workspace pages: a CTD's roadmap, governance, projects and costs;
the directory of national actors; the national cost figures."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cnig_share import confirmation, conflicts, permissions
from cnig_share.csv_files import spreadsheet_download
from cnig_share.dates import today
from cnig_share.extensions import db
from cnig_share.glossary import vocabulary
from cnig_share.models import Ctd, NationalActor, Project, RoadmapVersion
from cnig_share.models.workspace import CostYear
from cnig_share.pagination import page_of
from cnig_share.resources.forms import choices
from cnig_share.routing import parse_id
from cnig_share.text import fold
from cnig_share.workspace import figures, services, stale
from cnig_share.workspace.forms import (
    ACTOR_ROWS,
    ActorForm,
    CostForm,
    GovernanceForm,
    ProjectForm,
    RoadmapForm,
)

bp = Blueprint("workspace", __name__)


def _ctd_or_404(slug: str) -> Ctd:
    return db.first_or_404(select(Ctd).where(Ctd.slug == slug))


def _managed_ctd(slug: str) -> Ctd:
    ctd = _ctd_or_404(slug)
    if not permissions.can_manage_workspace(current_user, ctd):
        abort(403, f"Seuls les membres du {ctd.name} et l'équipe du CNIG modifient cet espace.")
    return ctd


def _project_or_404(ctd: Ctd, project_id: int) -> Project:
    project = db.session.get(Project, project_id)
    if project is None or project.ctd_id != ctd.id:
        abort(404)
    return project


# --- roadmap ----------------------------------------------------------------------------


@bp.get("/ctd/<slug>/feuille-de-route")
def roadmap(slug: str):
    ctd = _ctd_or_404(slug)
    versions = services.roadmap_versions(ctd)
    return render_template("workspace/roadmap.html", ctd=ctd, versions=versions, shown=None)


@bp.get("/ctd/<slug>/feuille-de-route/versions/<id:version_id>")
def roadmap_version(slug: str, version_id: int):
    ctd = _ctd_or_404(slug)
    shown = db.session.get(RoadmapVersion, version_id)
    if shown is None or shown.ctd_id != ctd.id:
        abort(404)
    versions = services.roadmap_versions(ctd)
    return render_template("workspace/roadmap.html", ctd=ctd, versions=versions, shown=shown)


@bp.route("/ctd/<slug>/feuille-de-route/modifier", methods=["GET", "POST"])
@login_required
def edit_roadmap(slug: str):
    ctd = _managed_ctd(slug)
    versions = services.roadmap_versions(ctd)
    current = versions[0] if versions else None
    form = RoadmapForm(
        data={"body": current.body if current else "", "version": current.id if current else 0}
    )
    if form.validate_on_submit():
        body, note = form.body.data or "", form.note.data or ""
        try:
            saved = services.save_roadmap(ctd, body, note, current_user, form.loaded_version())
            conflicts.commit()
        except conflicts.LOST:
            db.session.rollback()
            conflict = stale.roadmap(ctd, form)
            return _conflict_page("workspace/roadmap_form.html", form, conflict, ctd=ctd)
        flash(
            "Nouvelle version de la feuille de route enregistrée."
            if saved
            else "La feuille de route n'a pas changé : aucune version ajoutée.",
            "success" if saved else "info",
        )
        return redirect(url_for("workspace.roadmap", slug=ctd.slug), 303)
    return _form_page("workspace/roadmap_form.html", form, ctd=ctd)


def _conflict_page(template: str, form, conflict: conflicts.Conflict, **context):
    """The form again with the person's values, what differs, and 409."""
    return render_template(template, form=form, conflict=conflict, **context), 409


# --- governance -------------------------------------------------------------------------


@bp.route("/ctd/<slug>/gouvernance/modifier", methods=["GET", "POST"])
@login_required
def edit_governance(slug: str):
    ctd = _managed_ctd(slug)
    governance = services.governance_of(ctd)
    form = GovernanceForm(obj=governance, data={"version": services.version_of(governance)})
    if form.validate_on_submit():
        values = {name: form[name].data for name in GOVERNANCE_FIELDS}
        try:
            services.save_governance(ctd, values, current_user, form.loaded_version())
            conflicts.commit()
        except conflicts.LOST:
            db.session.rollback()
            conflict = stale.governance(ctd, form, GOVERNANCE_FIELDS)
            return _conflict_page("workspace/governance_form.html", form, conflict, ctd=ctd)
        flash("Gouvernance enregistrée.", "success")
        return redirect(url_for("ctds.show", slug=ctd.slug, _anchor="gouvernance"), 303)
    return _form_page("workspace/governance_form.html", form, ctd=ctd)


GOVERNANCE_FIELDS = ("region_chair", "state_chair", "organisations", "groups")


# --- projects ---------------------------------------------------------------------------


@bp.get("/ctd/<slug>/projets/<id:project_id>")
def project(slug: str, project_id: int):
    ctd = _ctd_or_404(slug)
    shown = _project_or_404(ctd, project_id)
    resources = [r for r in shown.resources if permissions.can_view(None, r)]
    return render_template("workspace/project.html", ctd=ctd, project=shown, resources=resources)


def _project_form(project: Project | None, ctd: Ctd) -> ProjectForm:
    data = None
    if project is not None and request.method == "GET":
        data = {
            "title": project.title,
            "description": project.description,
            "status": project.status,
            "start_date": project.start_date,
            "end_date": project.end_date,
            "partners": project.partners,
            "actors": [{"actor": pa.actor.slug, "role": pa.role} for pa in project.actors]
            + [{}] * ACTOR_ROWS,
            "terms": [term.id for term in project.terms],
            "resources": ", ".join(str(r.id) for r in project.resources),
            "shared_with": [other.slug for other in project.shared_with],
            "avoided_cost_eur": project.avoided_cost_eur,
            "avoided_cost_year": project.avoided_cost_year,
            "avoided_cost_method": project.avoided_cost_method,
            "version": project.version,
        }
    form = ProjectForm(data=data)
    actors = db.session.scalars(select(NationalActor).order_by(NationalActor.name)).all()
    for entry in form.actors:
        entry.actor.choices = choices(
            [("", "Choisir un acteur"), *((a.slug, a.name) for a in actors)]
        )
    form.terms.choices = choices((t.id, t.pref_label) for t in vocabulary.all_terms())
    others = db.session.scalars(select(Ctd).where(Ctd.id != ctd.id)).all()
    form.shared_with.choices = choices(
        (other.slug, other.name) for other in sorted(others, key=lambda c: fold(c.name))
    )
    return form


def _project_input(form: ProjectForm) -> services.ProjectInput:
    return services.ProjectInput(
        title=form.title.data,
        description=form.description.data or "",
        status=form.status.data,
        start_date=form.start_date.data,
        end_date=form.end_date.data,
        partners=form.partners.data or "",
        actor_roles=tuple(form.actor_roles()),
        term_ids=tuple(form.terms.data or ()),
        resources=form.resources.data or "",
        shared_with=tuple(form.shared_with.data or ()),
        avoided_cost_eur=form.avoided_cost_eur.data,
        avoided_cost_year=form.avoided_cost_year.data,
        avoided_cost_method=form.avoided_cost_method.data or "",
    )


def _save_project(ctd: Ctd, project: Project | None):
    form = _project_form(project, ctd)
    if form.validate_on_submit():
        version = form.loaded_version()
        try:
            saved = services.save_project(project, ctd, _project_input(form), current_user, version)
            conflicts.commit()
        except services.WorkspaceError as error:
            db.session.rollback()
            form[error.field].errors.append(error.message)
        except conflicts.LOST:
            project_id = project.id if project else 0
            db.session.rollback()
            project = _project_or_404(ctd, project_id)
            conflict = stale.project(project, form)
            return _conflict_page(
                "workspace/project_form.html", form, conflict, ctd=ctd, project=project
            )
        else:
            flash("Projet enregistré.", "success")
            return redirect(url_for("workspace.project", slug=ctd.slug, project_id=saved.id), 303)
    return _form_page("workspace/project_form.html", form, ctd=ctd, project=project)


@bp.route("/ctd/<slug>/projets/nouveau", methods=["GET", "POST"])
@login_required
def new_project(slug: str):
    return _save_project(_managed_ctd(slug), None)


@bp.route("/ctd/<slug>/projets/<id:project_id>/modifier", methods=["GET", "POST"])
@login_required
def edit_project(slug: str, project_id: int):
    ctd = _managed_ctd(slug)
    return _save_project(ctd, _project_or_404(ctd, project_id))


@bp.post("/ctd/<slug>/projets/<id:project_id>/supprimer")
@login_required
def delete_project(slug: str, project_id: int):
    ctd = _managed_ctd(slug)
    project = _project_or_404(ctd, project_id)
    if not confirmation.confirmed():
        back = url_for("workspace.project", slug=ctd.slug, project_id=project.id)
        return confirmation.ask(confirmation.project(project), back)
    services.delete_project(project, current_user)
    db.session.commit()
    flash("Projet supprimé.", "success")
    return redirect(url_for("ctds.show", slug=ctd.slug, _anchor="projets"), 303)


# --- costs ------------------------------------------------------------------------------


@bp.route("/ctd/<slug>/couts", methods=["GET", "POST"])
def costs(slug: str):
    """A CTD's years: anyone reads them, its members record them."""
    ctd = _ctd_or_404(slug)
    can_manage = permissions.can_manage_workspace(current_user, ctd)
    if request.method == "POST" and not can_manage:
        abort(403, f"Seuls les membres du {ctd.name} et l'équipe du CNIG saisissent ses coûts.")
    year = parse_id(request.args.get("annee"))
    recorded = db.session.scalar(
        select(CostYear).where(CostYear.ctd_id == ctd.id, CostYear.year == year)
    )
    config = current_app.config
    recorded_years = set(db.session.scalars(select(CostYear.year).where(CostYear.ctd_id == ctd.id)))
    defaults = {
        # Never a year already recorded: saving it would replace that year unawares.
        "year": today().year if today().year not in recorded_years else None,
        "day_rate_eur": config["COST_DAY_RATE_EUR"],
        "days_per_fte": config["COST_DAYS_PER_FTE"],
    }
    form = CostForm(obj=recorded, data=None if recorded else defaults)
    if request.method == "GET":
        form.keep_versions(services.cost_versions(ctd))
    status, conflict = 200, None
    if can_manage and form.validate_on_submit():
        values = {name: form[name].data for name in COST_FIELDS}
        values["day_rate_eur"] = _or_default(values["day_rate_eur"], config["COST_DAY_RATE_EUR"])
        values["days_per_fte"] = _or_default(values["days_per_fte"], config["COST_DAYS_PER_FTE"])
        try:
            loaded = form.loaded_versions()
            services.save_costs(ctd, form.year.data, values, current_user, loaded)
            conflicts.commit()
        except conflicts.LOST:
            db.session.rollback()
            status, conflict = 409, stale.costs(ctd, form, COST_FIELDS)
        else:
            saved = form.year.data
            flash(
                f"Coûts {saved} enregistrés : ils remplacent ceux qui avaient été saisis "
                f"pour {saved}."
                if saved in recorded_years
                else f"Coûts {saved} enregistrés.",
                "success",
            )
            return redirect(url_for("workspace.costs", slug=ctd.slug), 303)
    if form.errors:
        status = 422
    lines = figures.cost_lines(ctd)
    return (
        render_template(
            "workspace/costs.html",
            ctd=ctd,
            lines=lines,
            form=form,
            can_manage=can_manage,
            conflict=conflict,
            correcting=recorded.year if recorded else None,
            recorded_years=sorted(recorded_years),
        ),
        status,
    )


COST_FIELDS = ("staff_fte", "day_rate_eur", "days_per_fte", "tools_eur", "events_eur", "note")


def _or_default(value: int | None, default: int) -> int:
    return default if value is None else value


@bp.post("/ctd/<slug>/couts/<id:year>/supprimer")
@login_required
def delete_costs(slug: str, year: int):
    ctd = _managed_ctd(slug)
    recorded = db.first_or_404(
        select(CostYear).where(CostYear.ctd_id == ctd.id, CostYear.year == year)
    )
    if not confirmation.confirmed():
        back = url_for("workspace.costs", slug=ctd.slug)
        return confirmation.ask(confirmation.costs(ctd, year), back)
    services.delete_costs(recorded, current_user)
    db.session.commit()
    flash(f"Coûts {year} supprimés.", "success")
    return redirect(url_for("workspace.costs", slug=ctd.slug), 303)


@bp.get("/couts/")
def national_costs():
    lines = figures.cost_lines()
    totals = figures.year_totals(lines)
    charts = {
        "running": [(str(total.year), total.running_eur) for total in totals],
        "avoided": [(str(total.year), total.avoided_eur) for total in totals],
    }
    return render_template(
        "workspace/national_costs.html", lines=lines, totals=totals, charts=charts
    )


@bp.get("/couts.csv")
def national_costs_csv():
    rows = [figures.CSV_COLUMNS, *figures.csv_rows(figures.cost_lines())]
    return spreadsheet_download("couts-ctd", rows)


# --- national actors --------------------------------------------------------------------


ACTORS_PAGE = 50


@bp.get("/acteurs/")
def actors():
    shown = db.session.scalars(
        select(NationalActor).options(selectinload(NationalActor.participations))
    ).all()
    page = page_of(sorted(shown, key=lambda actor: fold(actor.name)), request.args, ACTORS_PAGE)
    return render_template("workspace/actors.html", page=page, args=request.args)


@bp.get("/acteurs/carte")
def actor_map():
    """Who works with whom on what: actors × CTDs, as a table and a diagram."""
    links = figures.actor_links()
    actors = sorted({row[0] for row in links}, key=lambda a: fold(a.name))
    ctds = sorted({row[1] for row in links}, key=lambda c: fold(c.region))
    return render_template(
        "workspace/actor_map.html", links=links, diagram=_diagram(links, actors, ctds)
    )


ROW_HEIGHT = 44  # room for a name on two lines


def _diagram(links, actors, ctds) -> dict:
    """Where each actor (left) and CTD (right) sits, and a line per link."""
    actor_y = {actor.id: 20 + i * ROW_HEIGHT for i, actor in enumerate(actors)}
    ctd_y = {ctd.id: 20 + i * ROW_HEIGHT for i, ctd in enumerate(ctds)}
    lines = [
        (
            actor_y[actor.id],
            ctd_y[ctd.id],
            f"{actor.name} — {ctd.region} : {len(projects)} projet(s)",
        )
        for actor, ctd, projects in links
    ]
    return {
        "actors": [(actor, actor_y[actor.id]) for actor in actors],
        "ctds": [(ctd, ctd_y[ctd.id]) for ctd in ctds],
        "lines": lines,
        "height": 20 + max(len(actors), len(ctds), 1) * ROW_HEIGHT,
    }


@bp.get("/acteurs/<slug>")
def actor(slug: str):
    shown = db.first_or_404(select(NationalActor).where(NationalActor.slug == slug))
    parts = sorted(
        shown.participations, key=lambda p: (fold(p.project.ctd.region), fold(p.project.title))
    )
    return render_template("workspace/actor.html", actor=shown, parts=parts)


def _save_actor(actor: NationalActor | None):
    if not permissions.can_manage_actors(current_user):
        abort(403, "L'annuaire des acteurs nationaux est tenu par l'équipe du CNIG.")
    form = ActorForm(obj=actor)
    if form.validate_on_submit():
        values = {name: form[name].data for name in ("name", "type", "website", "description")}
        try:
            saved = services.save_actor(actor, values, current_user)
        except services.WorkspaceError as error:
            db.session.rollback()
            form[error.field].errors.append(error.message)
        else:
            db.session.commit()
            flash("Acteur enregistré.", "success")
            return redirect(url_for("workspace.actor", slug=saved.slug), 303)
    return _form_page("workspace/actor_form.html", form, actor=actor)


@bp.route("/acteurs/nouveau", methods=["GET", "POST"])
@login_required
def new_actor():
    return _save_actor(None)


@bp.route("/acteurs/<slug>/modifier", methods=["GET", "POST"])
@login_required
def edit_actor(slug: str):
    return _save_actor(db.first_or_404(select(NationalActor).where(NationalActor.slug == slug)))


def _form_page(template: str, form, **context):
    """The form again, with 422 when it was sent with errors."""
    status = 422 if request.method == "POST" and form.errors else 200
    return render_template(template, form=form, **context), status
