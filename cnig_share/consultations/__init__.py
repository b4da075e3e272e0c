"""Consultations (SPEC §11): the CNIG consults the CTDs, each answers with one
voice, the synthesis is published.

states.py reads a consultation's state from its dates; read.py decides what
each person may see of it; services.py (curators) and contributions.py (CTDs)
change it; notifications.py writes its mail, commands.py the daily reminders;
exports.py the recueil (PDF, CSV); feed.py the Atom feed; followable.py what
followers hear of; indexing.py what the clock alone changes in search. The pages are in
views.py, contribution_views.py and manage_views.py; the API in api/consultations.py.
"""

from __future__ import annotations

from flask import Flask

AUDIT_LABELS = {
    "consultation.create": "Consultation créée",
    "consultation.update": "Consultation modifiée",
    "consultation.dates": "Dates d'une consultation changées",
    "consultation.document_delete": "Document d'une consultation supprimé",
    "consultation.submit": "Contribution déposée au nom d'un CTD",
    "consultation.withdraw": "Contribution reprise par son CTD",
    "consultation.decline": "Consultation déclinée par un CTD",
    "consultation.synthesis": "Synthèse d'une consultation publiée",
}


def _register_audit() -> None:
    from flask import url_for

    from cnig_share import audit
    from cnig_share.curation.audit_targets import Target, TargetKind, register
    from cnig_share.models import Consultation

    def describe(consultation: Consultation, event, viewer) -> Target:
        label = consultation.title
        if event.details.get("ctd"):
            label = f"{label} — {event.details['ctd']}"
        return Target(label, url_for("consultations.show", slug=consultation.slug))

    audit.ACTION_LABELS.update(AUDIT_LABELS)
    register("consultation", TargetKind("consultation", Consultation, describe=describe))


def init_app(app: Flask) -> None:
    from cnig_share.consultations import (  # noqa: F401
        activity,
        contribution_views,
        followable,
        manage_views,
    )
    from cnig_share.consultations.commands import consultations_cli
    from cnig_share.consultations.views import bp, template_helpers

    _register_audit()
    activity.register()
    followable.register()
    app.jinja_env.globals.update(template_helpers())
    app.register_blueprint(bp)
    app.cli.add_command(consultations_cli)
