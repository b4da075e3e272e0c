"""A consultation's state, read from its dates on a Paris clock: never stored,
so it is right at every instant without a cron job moving it along.

It opens at 00:00 Paris on its opening date and closes at 23:59:59 Paris on its
closing date (summer and winter time included: the zone, not an offset, says
when that is); it is in preparation while it has no opening date or before it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, case, or_

from cnig_share.dates import PARIS, day_start
from cnig_share.models import Consultation, utcnow

STATES = {
    "preparation": "En préparation",
    "open": "Ouverte",
    "closed": "Close",
    "synthesis": "Synthèse publiée",
}
# The order of /consultations/: open ones first, then closed, then syntheses.
LIST_ORDER = ("open", "closed", "synthesis")


def opens_at(consultation: Consultation) -> datetime | None:
    """The instant (UTC) it opens, or None while it has no opening date."""
    return day_start(consultation.opens_on) if consultation.opens_on else None


def closes_at(consultation: Consultation) -> datetime:
    """The instant (UTC) it closes: 23:59:59 Paris on its closing date."""
    return day_start(consultation.closes_on + timedelta(days=1)) - timedelta(seconds=1)


def paris_day(now: datetime | None = None) -> date:
    """The day it is in Paris at `now` (default: this instant)."""
    return (now or utcnow()).astimezone(PARIS).date()


def state(consultation: Consultation, now: datetime | None = None) -> str:
    """preparation, open, closed or synthesis, at `now` (default: this instant)."""
    if consultation.synthesis_published_at is not None:
        return "synthesis"
    now = (now or utcnow()).astimezone(UTC)
    start = opens_at(consultation)
    if start is None or now < start:
        return "preparation"
    # Open through the whole of 23:59:59, up to the next day's first instant.
    end = day_start(consultation.closes_on + timedelta(days=1))
    return "open" if now < end else "closed"


def state_label(consultation: Consultation, now: datetime | None = None) -> str:
    return STATES[state(consultation, now)]


def is_open(consultation: Consultation, now: datetime | None = None) -> bool:
    return state(consultation, now) == "open"


def has_opened(consultation: Consultation, now: datetime | None = None) -> bool:
    """Open, closed or with its synthesis: what visitors may see."""
    return state(consultation, now) != "preparation"


def in_state(name: str, now: datetime | None = None) -> ColumnElement[bool]:
    """`state(c) == name` as a where-clause over Consultation, for lists and the API."""
    today = paris_day(now)
    published = Consultation.synthesis_published_at.is_not(None)
    started = and_(Consultation.opens_on.is_not(None), Consultation.opens_on <= today)
    if name == "synthesis":
        return published
    if name == "preparation":
        return and_(~published, ~started)
    if name == "open":
        return and_(~published, started, Consultation.closes_on >= today)
    if name == "closed":
        return and_(~published, started, Consultation.closes_on < today)
    raise ValueError(name)


def state_column(now: datetime | None = None) -> ColumnElement[str]:
    """`state(c)` as a SQL expression over Consultation."""
    return state_on(paris_day(now))


def state_on(today: date | ColumnElement[date]) -> ColumnElement[str]:
    """`state(c)` on the Paris day `today`: a date, or a bound parameter for a
    statement built once and run on any day (what search follows)."""
    return case(
        (Consultation.synthesis_published_at.is_not(None), "synthesis"),
        (or_(Consultation.opens_on.is_(None), Consultation.opens_on > today), "preparation"),
        (Consultation.closes_on >= today, "open"),
        else_="closed",
    )


def opened() -> ColumnElement[bool]:
    """Not in preparation: the consultations everyone may see, as a where-clause."""
    return or_(in_state("open"), in_state("closed"), in_state("synthesis"))
