"""/ctd/: the directory of CTDs and each CTD's page."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import func, select

from cnig_share import permissions
from cnig_share.consultations import read as consultation_reads
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
    return render_template("ctds/index.html", rows=rows)


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
