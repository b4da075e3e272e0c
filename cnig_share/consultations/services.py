"""What curators do with a consultation: create, edit, date, conclude.

Plain functions: each checks its rule, changes the rows, records the audit
event and queues its mail; the view commits. A rule broken is a
ConsultationError with a French message and the status to answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from slugify import slugify
from sqlalchemy import select

from cnig_share import audit
from cnig_share.consultations import fields, followable, notifications
from cnig_share.consultations.states import has_opened, paris_day, state
from cnig_share.extensions import db
from cnig_share.models import (
    QUESTION_TYPES,
    VISIBILITIES,
    Consultation,
    ConsultationQuestion,
    Contribution,
    ContributionAnswer,
    Ctd,
    GlossaryTerm,
    NationalActor,
    User,
    utcnow,
)


class ConsultationError(ValueError):
    """A rule broken; the message is French."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class ConsultationInput:
    """What the curators' form gives, already parsed."""

    title: str
    closes_on: date
    context: str = ""
    questions: list[tuple[str, str]] = field(default_factory=list)  # (text, type)
    ctd_ids: list[int] = field(default_factory=list)
    actor_ids: list[int] = field(default_factory=list)
    term_ids: list[int] = field(default_factory=list)
    opens_on: date | None = None
    visibility: str = "closing"


def _unique_slug(title: str, consultation_id: int | None = None) -> str:
    base = slugify(title, max_length=100) or "consultation"
    slug, number = base, 2
    while True:
        taken = db.session.scalar(select(Consultation.id).where(Consultation.slug == slug))
        if taken is None or taken == consultation_id:
            return slug
        slug, number = f"{base}-{number}", number + 1


def _check_questions(questions: list[tuple[str, str]]) -> None:
    if not fields.MIN_QUESTIONS <= len(questions) <= fields.MAX_QUESTIONS:
        raise ConsultationError("Posez entre 1 et 10 questions.")
    for text, kind in questions:
        if kind not in QUESTION_TYPES:
            raise ConsultationError("Type de question inconnu.")
        if len(text) > fields.QUESTION.max_length:
            raise ConsultationError("Une question compte 1 000 caractères au plus.")


def _check_dates(consultation: Consultation | None, data: ConsultationInput) -> None:
    if data.opens_on is not None and data.opens_on > data.closes_on:
        raise ConsultationError("La date de clôture doit suivre la date d'ouverture.")
    changed = consultation is None or consultation.closes_on != data.closes_on
    if changed and data.closes_on < paris_day():
        raise ConsultationError("La date de clôture ne peut pas être passée.")


def create(data: ConsultationInput, by: User) -> Consultation:
    """A new consultation, in preparation unless its opening date has come."""
    _check_questions(data.questions)
    _check_dates(None, data)
    if data.visibility not in VISIBILITIES:
        raise ConsultationError("Règle de publication des contributions inconnue.")
    consultation = Consultation(
        slug=_unique_slug(data.title), title=data.title, created_by=by, visibility=data.visibility
    )
    db.session.add(consultation)
    _apply(consultation, data)
    db.session.flush()
    audit.record("consultation.create", "consultation", consultation.id, by, title=data.title)
    _announce_if_open(consultation)
    return consultation


def update(consultation: Consultation, data: ConsultationInput, by: User) -> None:
    """Edit it. Once opened, its questions, consulted CTDs and visibility rule stay
    as they were announced; only the texts, links and dates change."""
    if state(consultation) == "synthesis":
        raise ConsultationError("La synthèse est publiée : la consultation ne change plus.", 409)
    opened = has_opened(consultation)
    if opened:
        if data.visibility != consultation.visibility:
            raise ConsultationError(
                "La règle de publication des contributions ne change plus une fois "
                "la consultation ouverte."
            )
        data.opens_on = consultation.opens_on
        data.questions = [(q.text, q.type) for q in consultation.questions]
        data.ctd_ids = [ctd.id for ctd in consultation.ctds]
    else:
        _check_questions(data.questions)
        consultation.visibility = data.visibility
    _check_dates(consultation, data)
    before = (consultation.opens_on, consultation.closes_on)
    consultation.title = data.title
    _apply(consultation, data)
    after = (consultation.opens_on, consultation.closes_on)
    if opened and before[1] != after[1]:
        followable.record(consultation, "extension")
    if before != after:
        audit.record(
            "consultation.dates",
            "consultation",
            consultation.id,
            by,
            title=consultation.title,
            opens_on=_iso(after[0]),
            closes_on=_iso(after[1]),
            before={"opens_on": _iso(before[0]), "closes_on": _iso(before[1])},
        )
    audit.record("consultation.update", "consultation", consultation.id, by, title=data.title)
    _announce_if_open(consultation)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _apply(consultation: Consultation, data: ConsultationInput) -> None:
    consultation.context = data.context
    consultation.opens_on = data.opens_on
    consultation.closes_on = data.closes_on
    consultation.actors = _rows(NationalActor, data.actor_ids)
    consultation.terms = _rows(GlossaryTerm, data.term_ids)
    if not has_opened(consultation) or not consultation.questions:
        _replace_questions(consultation, data.questions)
        consultation.ctds = _rows(Ctd, data.ctd_ids)
        if not consultation.ctds:
            raise ConsultationError("Choisissez au moins un CTD à consulter.")
    _sync_contributions(consultation)


def _rows(model: type, ids: list[int]) -> list:
    if not ids:
        return []
    return list(db.session.scalars(select(model).where(model.id.in_(ids))))


def _replace_questions(consultation: Consultation, questions: list[tuple[str, str]]) -> None:
    """In preparation nobody has answered yet: the questions are simply rewritten."""
    current = [(q.text, q.type) for q in consultation.questions]
    if current == questions:
        return
    for contribution in consultation.contributions:
        contribution.answers.clear()
    consultation.questions.clear()
    db.session.flush()
    for position, (text, kind) in enumerate(questions):
        consultation.questions.append(ConsultationQuestion(position=position, text=text, type=kind))
    db.session.flush()


def _sync_contributions(consultation: Consultation) -> None:
    """One contribution per consulted CTD, with an answer row per question."""
    wanted = {ctd.id for ctd in consultation.ctds}
    for contribution in list(consultation.contributions):
        if contribution.ctd_id not in wanted:
            consultation.contributions.remove(contribution)
    have = {contribution.ctd_id for contribution in consultation.contributions}
    for ctd in consultation.ctds:
        if ctd.id not in have:
            consultation.contributions.append(Contribution(ctd=ctd))
    db.session.flush()
    for contribution in consultation.contributions:
        answered = {answer.question_id for answer in contribution.answers}
        for question in consultation.questions:
            if question.id not in answered:
                contribution.answers.append(ContributionAnswer(question=question))


def open_now(consultation: Consultation, by: User) -> None:
    """Open it at once: its opening date becomes today."""
    if has_opened(consultation):
        raise ConsultationError("Cette consultation est déjà ouverte.", 409)
    if consultation.closes_on < paris_day():
        raise ConsultationError("Sa date de clôture est passée : choisissez-en une autre.")
    before = _iso(consultation.opens_on)
    consultation.opens_on = paris_day()
    audit.record(
        "consultation.dates",
        "consultation",
        consultation.id,
        by,
        title=consultation.title,
        opens_on=_iso(consultation.opens_on),
        closes_on=_iso(consultation.closes_on),
        before={"opens_on": before, "closes_on": _iso(consultation.closes_on)},
    )
    _announce_if_open(consultation)


def _announce_if_open(consultation: Consultation) -> None:
    """The opening email goes when it opens at once; a future opening date is
    announced by `consultations remind` on that day."""
    if consultation.opening_announced_at is None and state(consultation) == "open":
        announce_opening(consultation)


def announce_opening(consultation: Consultation, at: datetime | None = None) -> None:
    """Tell the consulted CTDs (mail) and the followers (feed, mail) that it is open
    (since `at`, default now): one email each, the opening one for those asked to answer."""
    consultation.opening_announced_at = utcnow()
    asked = notifications.opening(consultation)
    followable.record(consultation, "opening", told=asked, at=at)


def save_synthesis(consultation: Consultation, text: str, publish: bool, by: User) -> None:
    """Write the synthesis after closing; publishing it makes it, and the
    aggregated positions, public, and thanks every contributor."""
    current = state(consultation)
    if current in ("preparation", "open"):
        raise ConsultationError("La synthèse s'écrit après la clôture.", 409)
    if current == "synthesis":
        raise ConsultationError("La synthèse est déjà publiée.", 409)
    if publish and not text.strip():
        raise ConsultationError("Écrivez la synthèse avant de la publier.")
    consultation.synthesis = text
    if publish:
        consultation.synthesis_published_at = utcnow()
        audit.record(
            "consultation.synthesis", "consultation", consultation.id, by, title=consultation.title
        )
        notifications.synthesis(consultation)
        followable.record(consultation, "synthesis")
