"""The demo's consultations (content/consultations.toml): one with its synthesis
and four contributions, one open with CTDs drafting and one declined, one in
preparation. Each is created open through the services, answered and submitted
by the demo accounts through the same rules as the pages, then moved to its
dates; a past one gets its synthesis. Idempotent: a title already there is kept."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select

from cnig_share import mail
from cnig_share.consultations import contributions, services
from cnig_share.consultations.services import ConsultationError, ConsultationInput
from cnig_share.consultations.states import closes_at, opens_at, paris_day
from cnig_share.demo.content import DemoContentError, Folder
from cnig_share.extensions import db
from cnig_share.models import (
    Consultation,
    ConsultationEvent,
    Contribution,
    Ctd,
    GlossaryTerm,
    NationalActor,
    User,
    utcnow,
)

FILE = "consultations.toml"


def create(folder: Folder, domain: str, curator: User) -> int:
    """Add the consultations not yet there; return how many were added."""
    if not (folder.root / FILE).is_file():
        return 0
    added = 0
    for entry in folder.tables(FILE, "consultations"):
        title = entry.get("title", "")
        if db.session.scalar(select(Consultation.id).where(Consultation.title == title)):
            continue
        try:
            # Their (discarded) messages build links as a request to the site would.
            with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
                _create_one(entry, domain, curator)
        except (ConsultationError, KeyError, TypeError, ValueError) as error:
            raise DemoContentError([f"{FILE}: {title}: {error}"]) from None
        added += 1
    # The demo's addresses have no inbox: nothing it causes is sent.
    mail.discard_pending(db.session)
    return added


def _ids(model: type, column: Any, values: list[str]) -> list[int]:
    found = dict(db.session.execute(select(column, model.id).where(column.in_(values))).all())
    missing = set(values) - set(found)
    if missing:
        raise ValueError(f"inconnu(s) : {', '.join(sorted(missing))}")
    return [found[value] for value in values]


def _create_one(entry: dict[str, Any], domain: str, curator: User) -> None:
    today = paris_day()
    scheduled = "opens_in_days" in entry
    data = ConsultationInput(
        title=entry["title"],
        context=entry.get("context", ""),
        questions=[(q["text"], q["type"]) for q in entry["questions"]],
        ctd_ids=_ids(Ctd, Ctd.slug, entry["ctds"]),
        actor_ids=_ids(NationalActor, NationalActor.name, entry.get("actors", [])),
        term_ids=_ids(GlossaryTerm, GlossaryTerm.slug, entry.get("terms", [])),
        # Open today while the CTDs answer; moved to its real dates afterwards.
        opens_on=today if scheduled else None,
        closes_on=today + timedelta(days=max(1, int(entry["closes_in_days"]))),
        visibility=entry.get("visibility", "closing"),
    )
    consultation = services.create(data, curator)
    db.session.flush()
    for part in entry.get("contributions", []):
        _contribute(consultation, part, domain)
        db.session.flush()
    if scheduled:
        consultation.opens_on = today + timedelta(days=int(entry["opens_in_days"]))
        consultation.closes_on = today + timedelta(days=int(entry["closes_in_days"]))
        _back_in_time(consultation, data.closes_on - consultation.closes_on)
    if entry.get("synthesis"):
        consultation.synthesis = entry["synthesis"]
        consultation.synthesis_published_at = utcnow() - timedelta(days=5)
    db.session.flush()
    if scheduled:
        _events_on_their_dates(consultation)


def _events_on_their_dates(consultation: Consultation) -> None:
    """Its followers' events as if it had lived through its dates (happened and
    recorded then): the opening recorded today moves back to its opening, and a
    past closing and synthesis are told on theirs."""
    for event in db.session.scalars(
        select(ConsultationEvent).where(ConsultationEvent.consultation_id == consultation.id)
    ):
        event.created_at = event.happened_at = opens_at(consultation)
        event.closes_on = consultation.closes_on
    happened = [("closing", closes_at(consultation)),
                ("synthesis", consultation.synthesis_published_at)]  # fmt: skip
    for kind, moment in happened:
        if moment is not None and moment <= utcnow():
            db.session.add(
                ConsultationEvent(
                    consultation=consultation,
                    kind=kind,
                    closes_on=consultation.closes_on,
                    created_at=moment,
                    happened_at=moment,
                )
            )
    db.session.flush()


def _back_in_time(consultation: Consultation, shift: timedelta) -> None:
    """A past consultation's contributions were written before it closed: their
    dates move back with it (a few days before its closing)."""
    if shift <= timedelta(0):
        return
    shift += timedelta(days=3)
    for contribution in consultation.contributions:
        for stamp in ("submitted_at", "last_activity_at"):
            if getattr(contribution, stamp) is not None:
                setattr(contribution, stamp, getattr(contribution, stamp) - shift)
        for answer in contribution.answers:
            for version in answer.versions:
                version.created_at -= shift


def _contribute(consultation: Consultation, part: dict[str, Any], domain: str) -> None:
    contribution = db.session.scalar(
        select(Contribution)
        .join(Ctd, Contribution.ctd_id == Ctd.id)
        .where(Contribution.consultation_id == consultation.id, Ctd.slug == part["ctd"])
    )
    if contribution is None:
        raise ValueError(f"{part['ctd']} n'est pas consulté")
    authors = [_user(f"{login}@{domain}") for login in part["authors"]]
    for number, (question, answer) in enumerate(
        zip(consultation.questions, part.get("answers", []), strict=False)
    ):
        author = authors[number % len(authors)]
        contributions.save_answer(
            contribution, question, answer.get("position"), answer.get("text", ""), None, author
        )
    speaker = authors[0]
    if part["status"] == "submitted":
        contributions.submit(contribution, speaker)
    elif part["status"] == "declined":
        contributions.decline(contribution, part["reason"], speaker)


def _user(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        raise ValueError(f"compte {email} absent de accounts.toml")
    return user
