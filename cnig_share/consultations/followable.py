"""Consultations in what people follow (cnig_share/following/): a consultation
can be followed once it has opened, and what happens to it — its opening, a new
closing date, its closing, its synthesis — is one more source of `/fil` and of
the emails. Its followers hear of it, and so do those who follow a CTD it
consults, one of its terms or one of its national actors. Nothing is recorded
while it is in preparation: no event, for anyone, before it opens."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime

from sqlalchemy import Select, false, or_, select
from sqlalchemy.orm import selectinload

from cnig_share import following, permissions, upserts
from cnig_share.consultations.states import opened
from cnig_share.extensions import db
from cnig_share.following import kinds, sources
from cnig_share.following.services import Followed, with_broader
from cnig_share.following.sources import in_ids
from cnig_share.models import (
    Consultation,
    ConsultationEvent,
    consultation_actors,
    consultation_ctds,
    consultation_terms,
    utcnow,
)

SOURCE = "consultation"
CONTEXT = "Consultation du CNIG"


def record(
    consultation: Consultation,
    kind: str,
    told: Collection[int] = (),
    at: datetime | None = None,
) -> None:
    """It happened (once per kind and closing date), at `at` (default: now): into
    the feeds, and to the followers who want it at once (after the commit) — but
    those in `told`, who had their own message about it (the opening email), get
    no second one."""
    db.session.flush()
    now = utcnow()
    inserted = upserts.insert_or_ignore(
        db.session,
        ConsultationEvent,
        consultation_id=consultation.id,
        kind=kind,
        closes_on=consultation.closes_on,
        created_at=now,
        happened_at=at or now,
    )
    if inserted is None:
        return  # told already for this closing date
    following.notify(SOURCE, inserted.id, told=told)


def _of_consultations_linked(link, ids: set[int]):
    """Events of the consultations a link table ties to these ids (CTDs, terms, actors)."""
    if not ids:
        return false()
    linked = select(link.table.c.consultation_id).where(in_ids(link, ids))
    return ConsultationEvent.consultation_id.in_(linked)


def _matches(followed: Followed):
    return or_(
        in_ids(ConsultationEvent.consultation_id, followed["consultation"]),
        _of_consultations_linked(consultation_ctds.c.ctd_id, followed["ctd"]),
        _of_consultations_linked(consultation_terms.c.term_id, followed["term"]),
        _of_consultations_linked(consultation_actors.c.actor_id, followed["actor"]),
    )


def _rows(followed: Followed) -> Select:
    return (
        select(ConsultationEvent.id, ConsultationEvent.happened_at)
        .join(Consultation, Consultation.id == ConsultationEvent.consultation_id)
        .where(opened(), _matches(followed))
    )


def _load(ids: Iterable[int]) -> dict[int, sources.FeedEvent]:
    events = db.session.scalars(
        select(ConsultationEvent)
        .join(Consultation, Consultation.id == ConsultationEvent.consultation_id)
        .where(ConsultationEvent.id.in_(list(ids)), opened())
        .options(selectinload(ConsultationEvent.consultation))
    )
    return {
        e.id: sources.FeedEvent(
            SOURCE, e.id, e.happened_at, e.label, e.consultation.title, "consultations.show",
            {"slug": e.consultation.slug}, CONTEXT, f"consultation:{e.consultation_id}",
        )
        for e in events
    }  # fmt: skip


def _targets(event_id: int) -> list[sources.Target]:
    event = db.session.get(ConsultationEvent, event_id)
    consultation = event.consultation if event else None
    if consultation is None or not permissions.can_see_consultation(None, consultation):
        return []
    terms = with_broader({term.id for term in consultation.terms})
    return (
        [("consultation", consultation.id)]
        + [("ctd", ctd.id) for ctd in consultation.ctds]
        + [("term", term_id) for term_id in terms]
        + [("actor", actor.id) for actor in consultation.actors]
    )


def register() -> None:
    kinds.register(
        kinds.FollowKind(
            name="consultation",
            label="la consultation",
            model=Consultation,
            title=lambda consultation: consultation.title,
            endpoint="consultations.show",
            url_values=lambda consultation: {"slug": consultation.slug},
            # In preparation it is the curators' own: nobody may follow it yet.
            may_follow=lambda consultation: permissions.can_see_consultation(None, consultation),
        )
    )
    sources.register(
        sources.EventSource(
            name=SOURCE,
            label="Consultations : ouverture, clôture, synthèse",
            default_mode="digest",
            rows=_rows,
            at=ConsultationEvent.happened_at,
            recorded_at=ConsultationEvent.created_at,
            load=_load,
            targets=_targets,
        )
    )
