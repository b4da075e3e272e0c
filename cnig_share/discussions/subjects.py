"""What a thread may be about — a resource, a project, a CTD's roadmap, a
consultation of the CNIG — each
kind registered once: how to find one from a form or a URL, its title, page,
CTD, and whether a visitor may see it (permissions.py decides)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from cnig_share import permissions
from cnig_share.extensions import db
from cnig_share.models import SUBJECT_TYPES, Consultation, Ctd, Project, Resource, Thread

TYPES = SUBJECT_TYPES


@dataclass(frozen=True)
class Subject:
    """One thing people discuss, as the discussion pages need it."""

    type: str  # "resource", "project", "roadmap" or "consultation"
    id: int  # the resource's, the project's, the CTD's (for its roadmap), the consultation's
    title: str
    ctd: Ctd | None  # none for a consultation: it asks many CTDs
    is_public: bool
    obj: object

    @property
    def owner_name(self) -> str:
        """Whose it is, in a few words (Thread.owner_name, before the thread exists)."""
        return self.ctd.name if self.ctd is not None else "CNIG"

    def url(self, external: bool = False) -> str:
        if self.type == "consultation":
            return url_for("consultations.show", slug=self.obj.slug, _external=external)
        if self.type == "resource":
            return url_for("resources.show", resource_id=self.id, _external=external)
        if self.type == "project":
            return url_for(
                "workspace.project", slug=self.ctd.slug, project_id=self.id, _external=external
            )
        return url_for("workspace.roadmap", slug=self.ctd.slug, _external=external)

    def thread_values(self) -> dict[str, object]:
        """The columns a new thread on this subject gets."""
        return {
            "subject_type": self.type,
            "resource_id": self.id if self.type == "resource" else None,
            "project_id": self.id if self.type == "project" else None,
            "consultation_id": self.id if self.type == "consultation" else None,
            "ctd_id": self.ctd.id if self.ctd is not None else None,
        }

    def threads_clause(self):
        """A where-clause over Thread: the threads on this subject."""
        if self.type == "resource":
            return Thread.resource_id == self.id
        if self.type == "project":
            return Thread.project_id == self.id
        if self.type == "consultation":
            return Thread.consultation_id == self.id
        return (Thread.subject_type == "roadmap") & (Thread.ctd_id == self.id)


def of_resource(resource: Resource) -> Subject:
    return Subject(
        "resource",
        resource.id,
        resource.title,
        resource.ctd,
        permissions.can_view(None, resource),
        resource,
    )


def of_project(project: Project) -> Subject:
    return Subject("project", project.id, project.title, project.ctd, True, project)


def of_roadmap(ctd: Ctd) -> Subject:
    return Subject("roadmap", ctd.id, f"Feuille de route territoriale — {ctd.name}", ctd, True, ctd)


def of_consultation(consultation: Consultation) -> Subject:
    """Public once opened; never discussed in preparation (find() refuses it)."""
    return Subject(
        "consultation",
        consultation.id,
        consultation.title,
        None,
        permissions.can_see_consultation(None, consultation),
        consultation,
    )


def of_thread(thread: Thread) -> Subject:
    if thread.subject_type == "resource":
        assert thread.resource is not None
        return of_resource(thread.resource)
    if thread.subject_type == "project":
        assert thread.project is not None
        return of_project(thread.project)
    if thread.subject_type == "consultation":
        assert thread.consultation is not None
        return of_consultation(thread.consultation)
    assert thread.ctd is not None
    return of_roadmap(thread.ctd)


def find(subject_type: str, subject_id: int | None) -> Subject | None:
    """The subject a form names; None when there is no such thing."""
    if subject_id is None:
        return None
    if subject_type == "resource":
        resource = db.session.get(Resource, subject_id)
        return of_resource(resource) if resource else None
    if subject_type == "project":
        project = db.session.get(Project, subject_id)
        return of_project(project) if project else None
    if subject_type == "roadmap":
        ctd = db.session.get(Ctd, subject_id)
        return of_roadmap(ctd) if ctd else None
    if subject_type == "consultation":
        # In preparation it is nobody's subject yet, a curator's neither: no thread
        # may wait there to appear on the day it opens.
        consultation = db.session.get(Consultation, subject_id)
        if consultation is None or not permissions.can_see_consultation(None, consultation):
            return None
        return of_consultation(consultation)
    return None
