"""*Signaler*: anyone signed in tells the CNIG's curators that a resource, a
project or a message is wrong; the curators' queue reads them grouped by
object, oldest first, and files (classer) or acts on them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from flask import url_for
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from cnig_share import audit, permissions
from cnig_share.discussions import fields, quota
from cnig_share.discussions.services import CURATORS_ONLY, DiscussionError
from cnig_share.extensions import db
from cnig_share.models import REPORT_REASONS, Message, Project, Report, Resource, User, utcnow

ALREADY = "Vous avez déjà signalé ceci : l'équipe du CNIG n'a pas encore traité votre signalement."
NOT_FOUND = "Il n'y a rien à signaler à cette adresse."


def target(target_type: str, target_id: int, viewer: User | None) -> object | None:
    """The object a report names, when this person may see it; None otherwise."""
    if target_type == "resource":
        resource = db.session.get(Resource, target_id)
        return resource if resource and permissions.can_view(viewer, resource) else None
    if target_type == "project":
        return db.session.get(Project, target_id)
    if target_type == "message":
        message = db.session.get(Message, target_id)
        if message is None or message.is_deleted:
            return None
        return message if permissions.can_view_thread(viewer, message.thread) else None
    return None


def report(target_type: str, target_id: int, reason: str, comment: str, by: User) -> Report:
    """One open report per person and object (the database keeps it so)."""
    if not permissions.can_report(by):
        raise DiscussionError("Connectez-vous avec un compte actif pour signaler.", 403)
    if target(target_type, target_id, by) is None:
        raise DiscussionError(NOT_FOUND, 404)
    if reason not in REPORT_REASONS:
        raise DiscussionError("Choisissez le motif du signalement.")
    refusal = fields.REPORT_COMMENT.refusal(comment)
    if refusal:
        raise DiscussionError(f"Commentaire : {refusal}.")
    if _open_report_of(by, target_type, target_id) is not None:
        raise DiscussionError(ALREADY, 409)
    try:
        quota.spend(by)
    except quota.QuotaExceeded as exceeded:
        raise DiscussionError(str(exceeded), 429) from exceeded
    row = Report(
        reporter=by,
        target_type=target_type,
        target_id=target_id,
        reason=reason,
        comment=comment.strip(),
    )
    db.session.add(row)
    # No savepoint here: its release fires after_commit listeners (mail, search,
    # events) as if the transaction had ended. The same person's report sent at
    # the same moment fails this flush; the caller rolls back.
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise DiscussionError(ALREADY, 409) from error
    return row


def _open_report_of(user: User, target_type: str, target_id: int) -> Report | None:
    return db.session.scalar(
        select(Report).where(
            Report.reporter_id == user.id,
            Report.target_type == target_type,
            Report.target_id == target_id,
            Report.status == "open",
        )
    )


def close(report_row: Report, by: User) -> None:
    """Classer: the curators read it and nothing is to be done (or it was done)."""
    if not permissions.can_moderate(by):
        raise DiscussionError(CURATORS_ONLY, 403)
    if report_row.status != "open":
        raise DiscussionError("Ce signalement a déjà été traité.", 409)
    report_row.status = "closed"
    report_row.handled_at = utcnow()
    report_row.handled_by = by
    audit.record("report.close", "report", report_row.id, by, reason=report_row.reason)


@dataclass
class Group:
    """The open reports about one object, for the queue."""

    target_type: str
    target_id: int
    label: str
    url: str | None
    obj: object | None
    reports: list[Report] = field(default_factory=list)

    @property
    def since(self) -> datetime:
        return self.reports[0].created_at


def _describe(target_type: str, target_id: int) -> tuple[str, str | None, object | None]:
    if target_type == "resource":
        resource = db.session.get(Resource, target_id)
        if resource:
            return (
                f"Ressource : {resource.title}",
                url_for("resources.show", resource_id=resource.id),
                resource,
            )
    elif target_type == "project":
        project = db.session.get(Project, target_id)
        if project:
            url = url_for("workspace.project", slug=project.ctd.slug, project_id=project.id)
            return f"Projet : {project.title}", url, project
    elif target_type == "message":
        message = db.session.get(Message, target_id)
        if message:
            url = url_for(
                "discussions.show", thread_id=message.thread_id, _anchor=f"message-{message.id}"
            )
            return f"Message dans « {message.thread.title} »", url, message
    return "Objet supprimé depuis", None, None


def open_groups() -> list[Group]:
    """Open reports grouped by object, the oldest waiting first."""
    groups: dict[tuple[str, int], Group] = {}
    rows: Sequence[Report] = db.session.scalars(
        select(Report).where(Report.status == "open").order_by(Report.created_at, Report.id)
    ).all()
    for row in rows:
        key = (row.target_type, row.target_id)
        if key not in groups:
            groups[key] = Group(row.target_type, row.target_id, *_describe(*key))
        groups[key].reports.append(row)
    return sorted(groups.values(), key=lambda group: group.since)


def forget_target(target_type: str, target_id: int) -> None:
    """Reports about an object that is deleted go with it."""
    db.session.execute(
        delete(Report).where(Report.target_type == target_type, Report.target_id == target_id)
    )
