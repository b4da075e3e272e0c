"""What a page, the API, the feed or an export may show of consultations, for
whom: every read goes through here, so the visibility rules are applied once."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from cnig_share import permissions
from cnig_share.consultations.states import LIST_ORDER, in_state, opened, state
from cnig_share.extensions import db
from cnig_share.models import (
    POSITIONS,
    Consultation,
    Contribution,
    ContributionAnswer,
    Ctd,
    consultation_ctds,
)
from cnig_share.permissions import Viewer


def visible_consultations(viewer: Viewer) -> Select[tuple[Consultation]]:
    """The consultations this person may see (curators: those in preparation too)."""
    query = select(Consultation)
    if permissions.can_manage_consultations(viewer):
        return query
    return query.where(opened())


def by_state(viewer: Viewer) -> dict[str, list[Consultation]]:
    """The list page's sections: open, closed, syntheses (and preparation for curators)."""
    names = ("preparation", *LIST_ORDER)
    found: dict[str, list[Consultation]] = {}
    for name in names:
        query = visible_consultations(viewer).where(in_state(name))
        order = Consultation.closes_on if name in ("open", "preparation") else None
        if name == "closed":
            order = Consultation.closes_on.desc()
        if name == "synthesis":
            order = Consultation.synthesis_published_at.desc()
        found[name] = list(db.session.scalars(query.order_by(order, Consultation.id)))
    return found


def visible_or_none(viewer: Viewer, slug: str) -> Consultation | None:
    consultation = db.session.scalar(select(Consultation).where(Consultation.slug == slug))
    if consultation is None or not permissions.can_see_consultation(viewer, consultation):
        return None
    return consultation


def contributions(consultation: Consultation) -> list[Contribution]:
    """Every contribution, in CTD order, answers loaded."""
    return list(
        db.session.scalars(
            select(Contribution)
            .join(Ctd, Contribution.ctd_id == Ctd.id)
            .where(Contribution.consultation_id == consultation.id)
            .options(
                selectinload(Contribution.answers).selectinload(ContributionAnswer.versions),
                selectinload(Contribution.ctd),
            )
            .order_by(Ctd.name)
        )
    )


def shown_contributions(viewer: Viewer, consultation: Consultation) -> list[Contribution]:
    """The submitted contributions this person may read, in CTD order (the recueil's
    order); never a draft, even to its own CTD (its page shows that)."""
    return [
        contribution
        for contribution in contributions(consultation)
        if contribution.status == "submitted"
        and (
            permissions.can_manage_consultations(viewer)
            or permissions.contributions_are_public(consultation)
        )
    ]


def shown_declines(consultation: Consultation) -> list[Contribution]:
    """Declines with their reasons: public once the consultation has opened."""
    if state(consultation) == "preparation":
        return []
    return [c for c in contributions(consultation) if c.status == "declined"]


def positions(consultation: Consultation) -> dict[int, dict[str, int]]:
    """Per position question, how many submitted contributions took each position."""
    counts = {
        question.id: dict.fromkeys(POSITIONS, 0)
        for question in consultation.questions
        if question.asks_position
    }
    for contribution in contributions(consultation):
        if contribution.status != "submitted":
            continue
        for answer in contribution.answers:
            if answer.question_id in counts and answer.position in POSITIONS:
                counts[answer.question_id][answer.position] += 1
    return counts


def public_positions(consultation: Consultation) -> dict[int, dict[str, int]] | None:
    """The aggregated positions when they are public (with the synthesis), else None."""
    return positions(consultation) if permissions.positions_are_public(consultation) else None


def asked_of(ctd: Ctd, viewer: Viewer) -> list[tuple[Consultation, Contribution | None]]:
    """The consultations a CTD is asked to answer, with its contribution (for its page)."""
    query = (
        visible_consultations(viewer)
        .join(consultation_ctds, consultation_ctds.c.consultation_id == Consultation.id)
        .where(consultation_ctds.c.ctd_id == ctd.id)
        .order_by(Consultation.closes_on.desc())
    )
    found = []
    for consultation in db.session.scalars(query):
        own = next((c for c in consultation.contributions if c.ctd_id == ctd.id), None)
        found.append((consultation, own))
    return found


def ctd_progress_label(viewer: Viewer, contribution: Contribution | None) -> str:
    """A CTD's state in a consultation as this person may know it (its page's table):
    its members see their draft's status; to others a draft is only "à déposer",
    its progress is the CTD's own business."""
    if contribution is None:
        return ""
    if permissions.is_consulted_member(viewer, contribution):
        return contribution.status_label
    if contribution.status == "submitted":
        return "Contribution déposée"
    if contribution.status == "declined":
        return "Déclinée"
    return "À déposer"
