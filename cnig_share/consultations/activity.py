"""Consultations in the CTDs' activity on the map (ctds/activity.py): each CTD
counts the consultations open now that it is asked to answer."""

from __future__ import annotations

from sqlalchemy import func, select

from cnig_share.consultations.states import in_state
from cnig_share.ctds import activity
from cnig_share.extensions import db
from cnig_share.models import Consultation, consultation_ctds


def open_consultations() -> dict[int, int]:
    query = (
        select(consultation_ctds.c.ctd_id, func.count(Consultation.id))
        .join(Consultation, Consultation.id == consultation_ctds.c.consultation_id)
        .where(in_state("open"))
        .group_by(consultation_ctds.c.ctd_id)
    )
    return dict(db.session.execute(query).all())


SOURCE = activity.ActivitySource(
    "open_consultations",
    "Consultations ouvertes",
    "consultation ouverte",
    "consultations ouvertes",
    open_consultations,
)


def register() -> None:
    if SOURCE not in activity.ACTIVITY_SOURCES:
        activity.register(SOURCE)
