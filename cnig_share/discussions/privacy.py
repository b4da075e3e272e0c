"""A person's discussions data: what /profil/mes-donnees.json carries. On
deletion the database does the rest: messages and threads stay, signed
"ancien membre" (author set to NULL); reports go (reporter cascades)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from cnig_share.extensions import db
from cnig_share.models import Message, Report, Thread, User


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def export(user: User) -> dict[str, Any]:
    """The person's messages (with their earlier versions) and reports."""
    messages = db.session.scalars(
        select(Message).where(Message.author_id == user.id).order_by(Message.id)
    )
    reports = db.session.scalars(
        select(Report).where(Report.reporter_id == user.id).order_by(Report.id)
    )
    threads = db.session.scalars(
        select(Thread).where(Thread.author_id == user.id).order_by(Thread.id)
    )
    return {
        "discussions": [
            {"id": t.id, "title": t.title, "created_at": _iso(t.created_at)} for t in threads
        ],
        "messages": [
            {
                "id": message.id,
                "discussion": message.thread_id,
                "discussion_title": message.thread.title,
                "body": message.body,
                "created_at": _iso(message.created_at),
                "edited_at": _iso(message.edited_at),
                "deleted": message.is_deleted,
                "hidden_reason": message.hidden_reason if message.is_hidden else None,
                "earlier_versions": [
                    {"body": version.body, "written_at": _iso(version.written_at)}
                    for version in message.versions
                ],
            }
            for message in messages
        ],
        "reports": [
            {
                "target_type": report.target_type,
                "target_id": report.target_id,
                "reason": report.reason,
                "comment": report.comment,
                "status": report.status,
                "created_at": _iso(report.created_at),
            }
            for report in reports
        ],
    }
