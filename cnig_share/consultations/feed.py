"""/flux/consultations.atom: each opening, closing and synthesis, newest first.

An event is an entry only once it has happened (an opening date to come, or a
closing, is not news yet), and never for a consultation in preparation."""

from __future__ import annotations

from datetime import datetime

from flask import url_for
from sqlalchemy import select

from cnig_share.consultations.states import closes_at, opened, opens_at
from cnig_share.extensions import db
from cnig_share.feeds.atom import Entry, feed_response
from cnig_share.formatting import french_date
from cnig_share.models import Consultation, utcnow

FEED_SIZE = 50


def _entry(consultation: Consultation, event: str, title: str, moment: datetime) -> Entry:
    url = url_for("consultations.show", slug=consultation.slug, _external=True)
    return Entry(
        id=f"{url}#{event}",
        title=title,
        url=url,
        updated=moment,
        published=moment,
        author="CNIG",
        summary=consultation.context_text[:500],
        categories=[term.pref_label for term in consultation.terms],
    )


def entries(now: datetime | None = None) -> list[Entry]:
    """The events that have happened, newest first."""
    now = now or utcnow()
    found: list[Entry] = []
    for consultation in db.session.scalars(select(Consultation).where(opened())):
        start, end = opens_at(consultation), closes_at(consultation)
        if start is not None and start <= now:
            title = (
                f"Ouverture : {consultation.title} (jusqu'au {french_date(consultation.closes_on)})"
            )
            found.append(_entry(consultation, "ouverture", title, start))
        if end < now:
            found.append(_entry(consultation, "cloture", f"Clôture : {consultation.title}", end))
        if consultation.synthesis_published_at is not None:
            found.append(
                _entry(
                    consultation,
                    "synthese",
                    f"Synthèse publiée : {consultation.title}",
                    consultation.synthesis_published_at,
                )
            )
    found.sort(key=lambda entry: entry.updated, reverse=True)
    return found[:FEED_SIZE]


def consultations_feed():
    return feed_response(
        "CNIG Partage — consultations",
        "Ouvertures, clôtures et synthèses des consultations du CNIG",
        url_for("consultations.index", _external=True),
        entries(),
    )
