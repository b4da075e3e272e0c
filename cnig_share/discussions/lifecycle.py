"""What discussions do when their subject is deleted (a project): the threads
go with it (the database cascades), their authors are told, reports about the
project and its messages go too."""

from __future__ import annotations

from sqlalchemy import select

from cnig_share.discussions import notifications, reports, subjects
from cnig_share.extensions import db
from cnig_share.models import Project, Thread


def subject_deleted(project: Project) -> None:
    """Call before deleting a project; the caller commits."""
    subject = subjects.of_project(project)
    threads = list(db.session.scalars(select(Thread).where(subject.threads_clause())))
    notifications.subject_deleted(threads, f"Le projet « {project.title} » du {project.ctd.name}")
    reports.forget_target("project", project.id)
    for thread in threads:
        for message in thread.messages:
            reports.forget_target("message", message.id)
        db.session.delete(thread)
