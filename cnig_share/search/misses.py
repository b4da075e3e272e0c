"""Searches that found nothing, counted per day for the dashboard: what
people look for and the site (or its glossary) lacks. Only the folded words
are kept, nothing about who searched, and text that looks like an address
or a telephone number is not kept at all.

A search is a GET: its count is written in a short transaction of its own,
never committed with (or left pending in) the request's session. A count
that cannot be written is logged and the search answers all the same."""

from __future__ import annotations

import logging
import re
from datetime import date, timedelta
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from cnig_share import upserts
from cnig_share.dates import today
from cnig_share.extensions import db
from cnig_share.models import SearchMiss
from cnig_share.text import fold

if TYPE_CHECKING:  # the service records through this module
    from cnig_share.search.service import SearchResults

logger = logging.getLogger(__name__)

MAX_WORDS = 6
PERSONAL = re.compile(r"@|\d{5,}|(?:\d[\s.]?){8,}")


def normalised(text: str) -> str:
    return " ".join(fold(text).split())[:200]


def record(results: SearchResults) -> None:
    """Count the query if it found nothing (first page, index available)."""
    text = normalised(results.params.q)
    if (
        results.total
        or results.degraded
        or results.params.page != 1
        or not text
        or len(text.split()) > MAX_WORDS
        or PERSONAL.search(text)
    ):
        return
    try:
        with Session(db.engine) as session, session.begin():
            _count(session, text)
    except SQLAlchemyError:
        logger.exception("Search without results not counted")


def _count(session: Session, text: str) -> None:
    day = today()
    counted_today = session.scalar(select(func.count(SearchMiss.id)).where(SearchMiss.day == day))
    if not counted_today:
        _forget_old(session, day)  # once a day, at the day's first miss: cheap and enough
    if counted_today >= current_app.config["SEARCH_MISSES_PER_DAY"]:
        # The day is full (random words, most likely): only queries already
        # counted today count again, so the table cannot grow without bound.
        session.execute(
            update(SearchMiss)
            .where(SearchMiss.query == text, SearchMiss.day == day)
            .values(count=SearchMiss.count + 1)
        )
        return
    # One statement, so that two workers counting the same query the same
    # day both count: INSERT … ON CONFLICT DO UPDATE (SQLite and PostgreSQL).
    statement = upserts.insert(session, SearchMiss).values(query=text, day=day, count=1)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[SearchMiss.query, SearchMiss.day],
            set_={"count": SearchMiss.count + 1},
        )
    )


def _forget_old(session: Session, day: date) -> None:
    """Searches older than SEARCH_MISSES_DAYS days are of no use to the dashboard."""
    kept_since = day - timedelta(days=current_app.config["SEARCH_MISSES_DAYS"])
    session.execute(delete(SearchMiss).where(SearchMiss.day < kept_since))


def recent(days: int = 30, limit: int = 50) -> list[tuple[str, int]]:
    """(query, times) of the last `days` days, most frequent first."""
    since: date = today() - timedelta(days=days)
    total = func.sum(SearchMiss.count)
    rows = db.session.execute(
        select(SearchMiss.query, total)
        .where(SearchMiss.day > since)
        .group_by(SearchMiss.query)
        .order_by(total.desc(), SearchMiss.query)
        .limit(limit)
    )
    return [(query, int(count)) for query, count in rows]


def forget(text: str) -> None:
    """Once dealt with (added to the glossary), a query leaves the list."""
    db.session.execute(delete(SearchMiss).where(SearchMiss.query == normalised(text)))
