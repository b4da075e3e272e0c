"""/api/v1/ctds/<slug>/projects and /api/v1/costs: the CTD workspace, open to all."""

from __future__ import annotations

from flask import jsonify, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cnig_share import permissions
from cnig_share.api.views import bp, error, open_to_all
from cnig_share.extensions import db
from cnig_share.models import Ctd, Project, ProjectActor
from cnig_share.routing import parse_id
from cnig_share.workspace import figures


def project_json(project: Project) -> dict:
    avoided = None
    if project.avoided_cost_eur is not None:
        avoided = {
            "eur": project.avoided_cost_eur,
            "year": project.avoided_cost_year,
            "method": project.avoided_cost_method,
        }
    return {
        "id": project.id,
        "title": project.title,
        "url": url_for(
            "workspace.project", slug=project.ctd.slug, project_id=project.id, _external=True
        ),
        "ctd": project.ctd.slug,
        "status": project.status,
        "description": project.description,
        "start_date": project.start_date.isoformat() if project.start_date else None,
        "end_date": project.end_date.isoformat() if project.end_date else None,
        "partners": project.partner_list,
        "actors": [
            {
                "slug": part.actor.slug,
                "name": part.actor.name,
                "type": part.actor.type,
                "role": part.role,
            }
            for part in sorted(project.actors, key=lambda p: (p.actor.name, p.role))
        ],
        "terms": [term.slug for term in project.terms],
        "resources": [r.id for r in project.resources if permissions.can_view(None, r)],
        "shared_with": sorted(ctd.slug for ctd in project.shared_with),
        "avoided_cost": avoided,
        "created_at": project.created_at.isoformat(),
        "updated_at": project.updated_at.isoformat(),
    }


@bp.get("/ctds/<slug>/projects")
@open_to_all
def ctd_projects(slug: str):
    ctd = db.session.scalar(select(Ctd).where(Ctd.slug == slug))
    if ctd is None:
        return error(404, "not_found", f"Aucun CTD n'a l'identifiant « {slug[:80]} ».")
    projects = db.session.scalars(
        select(Project)
        .where(Project.ctd_id == ctd.id)
        .options(
            selectinload(Project.actors).selectinload(ProjectActor.actor),
            selectinload(Project.terms),
            selectinload(Project.resources),
            selectinload(Project.shared_with),
        )
        .order_by(Project.id)
    ).all()
    return jsonify(ctd=ctd.slug, projects=[project_json(p) for p in projects])


@bp.get("/costs")
@open_to_all
def costs():
    """Running and avoided costs per CTD and year, and the national totals."""
    year_text = request.args.get("year")
    year = parse_id(year_text) if year_text else None
    if year_text and year is None:
        return error(400, "invalid_parameter", "year est une année, par exemple 2026.")
    slug = request.args.get("ctd")
    ctd = None
    if slug:
        ctd = db.session.scalar(select(Ctd).where(Ctd.slug == slug))
        if ctd is None:
            return error(400, "invalid_parameter", f"Aucun CTD n'a l'identifiant « {slug[:80]} ».")
    lines = [line for line in figures.cost_lines(ctd) if year is None or line.year == year]
    return jsonify(
        costs=[
            {
                "ctd": line.ctd.slug,
                "region": line.ctd.region,
                "year": line.year,
                "recorded": line.recorded,
                "staff_fte": float(line.staff_fte),
                "day_rate_eur": line.day_rate_eur,
                "days_per_fte": line.days_per_fte,
                "staff_eur": line.staff_eur,
                "tools_eur": line.tools_eur,
                "events_eur": line.events_eur,
                "running_eur": line.running_eur,
                "avoided_eur": line.avoided_eur,
                "avoiding_projects": [p.id for p in line.avoiding_projects],
            }
            for line in lines
        ],
        totals=[
            {
                "year": total.year,
                "ctds": total.ctds,
                "staff_fte": float(total.staff_fte),
                "staff_eur": total.staff_eur,
                "tools_eur": total.tools_eur,
                "events_eur": total.events_eur,
                "running_eur": total.running_eur,
                "avoided_eur": total.avoided_eur,
            }
            for total in figures.year_totals(lines)
        ],
    )
