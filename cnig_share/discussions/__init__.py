"""Discussions under resources, projects and roadmaps; reports and moderation.

views.py            /discussions, a thread, writing (htmx in place, no-JS fallback)
moderation_views.py *Signaler*, /curation/signalements, hiding, versions
feeds.py api.py     Atom feeds; /api/v1/discussions and a resource's (SPEC §10)
services.py         the rules of each action; reports.py the reports'
queries.py          what a visitor may read (permissions.public_threads)
subjects.py         what a thread may be about
quota.py fields.py  MESSAGE_RATE_LIMIT; the length, Markdown and link limits
followable.py       a thread can be followed; new threads and replies in /fil and emails
statistics.py       their figures on /statistiques
notifications.py    emails: a hidden message, a deleted project's threads
privacy.py          the account export and deletion of these tables
"""

from __future__ import annotations

from flask import Flask

ACTION_LABELS = {
    "discussion.create": "Discussion ouverte",
    "discussion.message_delete": "Message supprimé par son auteur",
    "discussion.resolve": "Discussion marquée comme résolue",
    "discussion.reopen": "Discussion rouverte",
    "discussion.hide": "Message masqué par la modération",
    "discussion.unhide": "Message de nouveau visible",
    "report.close": "Signalement classé",
}


def init_app(app: Flask) -> None:
    from cnig_share import audit
    from cnig_share.discussions import (  # noqa: F401
        feeds,
        followable,
        moderation_views,
        statistics,
        templating,
    )
    from cnig_share.discussions.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(moderation_views.bp)
    followable.register()
    statistics.init_app(app)
    audit.ACTION_LABELS.update(ACTION_LABELS)
    templating.init_app(app)
    _register_audit_targets()


def _register_audit_targets() -> None:
    from flask import url_for
    from sqlalchemy.orm import selectinload

    from cnig_share.curation.audit_targets import Target, TargetKind, register
    from cnig_share.models import Report, Thread

    def thread(row: Thread, event, viewer) -> Target:
        return Target(f"Discussion « {row.title} »", url_for("discussions.show", thread_id=row.id))

    def report(row: Report, event, viewer) -> Target:
        return Target(f"Signalement n° {row.id} ({row.reason_label})", url_for("moderation.queue"))

    register("discussion", TargetKind("discussion", Thread, describe=thread))
    register(
        "report",
        TargetKind("signalement", Report, (selectinload(Report.reporter),), describe=report),
    )
