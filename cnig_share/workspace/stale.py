"""What a stale workspace form shows (409): each text as saved beside the
person's, and the form made ready to save over the current version. Called
after the failed save was rolled back, so it reads what is saved now."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from cnig_share import conflicts
from cnig_share.extensions import db
from cnig_share.models import Ctd, Project
from cnig_share.models.workspace import CostYear
from cnig_share.workspace import services
from cnig_share.workspace.forms import CostForm, GovernanceForm, ProjectForm, RoadmapForm


def roadmap(ctd: Ctd, form: RoadmapForm) -> conflicts.Conflict:
    """A version was saved since the form was loaded."""
    versions = services.roadmap_versions(ctd)
    saved = versions[0].body if versions else ""
    form.version.data = versions[0].id if versions else 0
    return conflicts.compare(form.version.data, [("Feuille de route", saved, form.body.data)])


def governance(ctd: Ctd, form: GovernanceForm, fields: Iterable[str]) -> conflicts.Conflict:
    saved = services.governance_of(ctd)
    form.version.data = services.version_of(saved)
    values = [(form[name].label.text, getattr(saved, name, ""), form[name].data) for name in fields]
    return conflicts.compare(form.version.data, values)


def project(saved: Project, form: ProjectForm) -> conflicts.Conflict:
    form.version.data = saved.version
    values = [
        ("Titre du projet", saved.title, form.title.data),
        ("Description", saved.description, form.description.data),
        ("Partenaires", saved.partners, form.partners.data),
    ]
    return conflicts.compare(saved.version, values)


def costs(ctd: Ctd, form: CostForm, fields: Iterable[str]) -> conflicts.Conflict:
    """Someone recorded this year since the form was loaded: compare, keep the
    person's figures, and take the years' versions as they are now."""
    versions = services.cost_versions(ctd)
    form.keep_versions(versions)
    saved = db.session.scalar(
        select(CostYear).where(CostYear.ctd_id == ctd.id, CostYear.year == form.year.data)
    )
    values = [(form[name].label.text, getattr(saved, name, ""), form[name].data) for name in fields]
    return conflicts.compare(versions.get(form.year.data, 0), values)
