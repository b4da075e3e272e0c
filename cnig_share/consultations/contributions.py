"""A CTD's contribution: answers saved one question at a time (each save a
version), then submitted in the CTD's name, withdrawn, or declined.

Each answer carries a version: a save made from an older one is refused with
the saved text (StaleAnswer), never written over it. A submission, withdrawal
or decline is a conditional update of the contribution's own version, so of
two at once exactly one wins.
"""

from __future__ import annotations

from sqlalchemy import select

from cnig_share import audit, permissions
from cnig_share.consultations import fields, notifications
from cnig_share.consultations.services import ConsultationError
from cnig_share.extensions import db
from cnig_share.models import (
    POSITIONS,
    AnswerVersion,
    Consultation,
    ConsultationQuestion,
    Contribution,
    ContributionAnswer,
    Ctd,
    User,
    utcnow,
)

LOCKED = "Cette contribution ne peut plus être modifiée : elle est déposée, déclinée ou close."
NOT_THE_VOICE = (
    "Seul l'animateur ou l'animatrice du comité dépose, reprend ou décline sa contribution "
    "en son nom."
)


class StaleAnswer(Exception):
    """A save made from another version of the answer than the saved one."""

    def __init__(self, answer: ContributionAnswer) -> None:
        super().__init__("stale answer")
        self.answer = answer


def contribution_of(consultation: Consultation, ctd_slug: str) -> Contribution | None:
    """The contribution of a consulted CTD, or None when that CTD is not consulted."""
    return db.session.scalar(
        select(Contribution)
        .join(Ctd, Contribution.ctd_id == Ctd.id)
        .where(Contribution.consultation_id == consultation.id, Ctd.slug == ctd_slug)
    )


def save_answer(
    contribution: Contribution,
    question: ConsultationQuestion,
    position: str | None,
    text: str,
    loaded_version: int | None,
    by: User,
) -> ContributionAnswer:
    """Save one answer as a new version; StaleAnswer when someone saved first."""
    if not permissions.can_edit_contribution(by, contribution):
        raise ConsultationError(LOCKED, 409)
    answer = contribution.answer_to(question)
    if answer is None:  # every question has its row from the start (services._sync)
        raise ConsultationError("Question inconnue.", 404)
    if loaded_version is not None and loaded_version != answer.version:
        raise StaleAnswer(answer)
    if len(text) > fields.ANSWER.max_length:
        raise ConsultationError(fields.ANSWER.too_long or "Réponse trop longue.")
    if not question.asks_position:
        position = None
    elif position not in (None, "", *POSITIONS):
        raise ConsultationError("Position inconnue.")
    answer.position = position or None
    answer.text = text
    answer.versions.append(AnswerVersion(author=by, position=answer.position, text=text))
    # The contribution row itself is left alone: a draft's save changes nothing the
    # public or the index sees (its last activity is read from the versions).
    return answer


def missing_positions(contribution: Contribution) -> list[ConsultationQuestion]:
    """The position questions without a position: a contribution is not submitted so."""
    return [
        question
        for question in contribution.consultation.questions
        if question.asks_position
        and not ((answer := contribution.answer_to(question)) and answer.position)
    ]


def submit(contribution: Contribution, by: User) -> None:
    """Submit in the CTD's name: locked, dated, signed; a receipt to the submitter."""
    _require_voice(contribution, by)
    if not permissions.can_submit_contribution(by, contribution):
        raise ConsultationError(LOCKED, 409)
    missing = missing_positions(contribution)
    if missing:
        numbers = ", ".join(str(q.number) for q in missing)
        raise ConsultationError(f"Donnez la position du comité (question {numbers}).")
    contribution.status = "submitted"
    contribution.submitted_at = contribution.last_activity_at = utcnow()
    contribution.submitted_by = by
    _record("consultation.submit", contribution, by)
    notifications.receipt(contribution, by)


def withdraw(contribution: Contribution, by: User) -> None:
    """Back to a draft (a submission) or to answering (a decline), while open."""
    _require_voice(contribution, by)
    if not permissions.can_withdraw_contribution(by, contribution):
        raise ConsultationError("Cette contribution ne peut plus être reprise.", 409)
    was = contribution.status
    contribution.status = "draft"
    contribution.submitted_at = None
    contribution.submitted_by = None
    contribution.decline_reason = ""
    contribution.last_activity_at = utcnow()
    _record("consultation.withdraw", contribution, by, was=was)


def decline(contribution: Contribution, reason: str, by: User) -> None:
    """The CTD will not answer, and says why (shown in the synthesis table)."""
    _require_voice(contribution, by)
    if not permissions.can_submit_contribution(by, contribution):
        raise ConsultationError(LOCKED, 409)
    reason = reason.strip()
    if not reason:
        raise ConsultationError(fields.DECLINE_REASON.required or "Raison attendue.")
    if len(reason) > fields.DECLINE_REASON.max_length:
        raise ConsultationError("2 000 caractères au plus.")
    contribution.status = "declined"
    contribution.decline_reason = reason
    contribution.last_activity_at = utcnow()
    _record("consultation.decline", contribution, by)


def _require_voice(contribution: Contribution, by: User) -> None:
    """A member who does not speak for the CTD is refused (403) whatever the
    contribution's state; a voice is refused by the state (409)."""
    if not permissions.speaks_for(by, contribution.ctd):
        raise ConsultationError(NOT_THE_VOICE, 403)


def _record(action: str, contribution: Contribution, by: User, **details: object) -> None:
    audit.record(
        action,
        "consultation",
        contribution.consultation_id,
        by,
        title=contribution.consultation.title,
        ctd=contribution.ctd.slug,
        **details,
    )


def progress(contribution: Contribution) -> str:
    """The follow-up's word for it: non commencée, en cours de rédaction, déposée, déclinée."""
    if contribution.status == "submitted":
        return "Déposée"
    if contribution.status == "declined":
        return "Déclinée"
    started = any(answer.versions for answer in contribution.answers)
    return "En cours de rédaction" if started else "Non commencée"
