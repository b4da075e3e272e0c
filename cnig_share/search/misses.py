"""Searches that found nothing, counted per day for the dashboard: what
people look for and the site (or its glossary) lacks. Only the folded words
are kept, nothing about who searched, and text that looks like an address
or a telephone number is not kept at all."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite

from cnig_share.dates import today
from cnig_share.extensions import db
from cnig_share.models import SearchMiss
from cnig_share.search.service import SearchResults
from cnig_share.text import fold

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
    # One statement, so that two workers counting the same query the same
    # day both count: INSERT … ON CONFLICT DO UPDATE (SQLite and PostgreSQL).
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(SearchMiss).values(query=text, day=today(), count=1)
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=[SearchMiss.query, SearchMiss.day],
            set_={"count": SearchMiss.count + 1},
        )
    )
    db.session.commit()


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
