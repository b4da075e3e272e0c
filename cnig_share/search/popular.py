"""The words people search most, for the public statistics page.

Counted per word and day from the searches that found something; the query
itself is never stored, nor anything about who searched. A word is kept
only if it has 3 letters or more (no digit) and occurs in published content
(the index's vocabulary, as spelling suggestions check it), so a name or a
number someone typed is not kept; a query that looks like an email address
or a telephone number is not counted at all (search/misses.py's rule).

A word is shown only once searched at least MIN_SEARCHES times on at least
MIN_DAYS different days in the last DAYS days, and only while it still
occurs in published content. Like misses, counts are written in a short
transaction of their own; a count that cannot be written is logged."""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from datetime import date, timedelta
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from cnig_share import upserts
from cnig_share.dates import today
from cnig_share.extensions import db
from cnig_share.models import SearchedWord
from cnig_share.search.analysis import folded_words
from cnig_share.search.index import IndexUnavailable
from cnig_share.search.misses import PERSONAL

if TYPE_CHECKING:
    from cnig_share.search.service import SearchResults

logger = logging.getLogger(__name__)

DAYS = 90
MIN_SEARCHES = 5
MIN_DAYS = 3
MIN_LETTERS = 3
MAX_LETTERS = 60  # the column's width; longer is no French word
MAX_WORDS = 10  # of one query


def record(results: SearchResults) -> None:
    """Count the words of a query that found something (its first page)."""
    text = results.params.q
    if (
        not results.total
        or results.corrected
        or results.degraded
        or results.params.page != 1
        or PERSONAL.search(text)
    ):
        return
    candidates = list(dict.fromkeys(_words(text)))[:MAX_WORDS]
    if not candidates:
        return
    try:
        words = [word for word in candidates if _published(word)]
    except IndexUnavailable:
        return
    if not words:
        return
    day = today()
    tally = _tally()
    with tally.lock:
        tally.counts.update((day, word) for word in words)
        due = time.monotonic() - tally.written_at >= current_app.config["SEARCHED_WORDS_FLUSH"]
    if due:
        flush()


class _Tally:
    """This process's counts not yet written: (day, word) → searches."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: Counter[tuple[date, str]] = Counter()
        self.written_at = time.monotonic()


def _tally() -> _Tally:
    # Kept by the app, whose database the counts go to.
    return current_app.extensions.setdefault("searched_words", _Tally())


def flush() -> None:
    """Write this process's counts (those of other processes wait for their turn)."""
    tally = _tally()
    with tally.lock:
        counts, tally.counts = tally.counts, Counter()
        tally.written_at = time.monotonic()
    if not counts:
        return
    try:
        with Session(db.engine) as session, session.begin():
            for day in sorted({day for day, _ in counts}):
                _count(session, day, {w: n for (d, w), n in counts.items() if d == day})
    except SQLAlchemyError:
        logger.exception("Searched words not counted")


def _words(text: str) -> list[str]:
    """Folded words of letters only, 3 or more, stop words left out."""
    return [
        word
        for word in folded_words(text[:1000])
        if word.isalpha() and word.isascii() and MIN_LETTERS <= len(word) <= MAX_LETTERS
    ]


def _published(word: str) -> bool:
    """Whether a document the index shows (published content) holds the word."""
    from cnig_share.search.service import _in_live_document  # service imports this module

    searcher = current_app.extensions["search"].searcher()
    return _in_live_document(searcher.reader(), "spelling", word)


def _count(session: Session, day: date, counts: dict[str, int]) -> None:
    counted_today = session.scalar(
        select(func.count(SearchedWord.id)).where(SearchedWord.day == day)
    )
    if not counted_today:
        _forget_old(session, day)  # once a day, at the day's first count
    if counted_today >= current_app.config["SEARCHED_WORDS_PER_DAY"]:
        # The day is full: only words already counted today count again.
        for word, n in sorted(counts.items()):
            session.execute(
                update(SearchedWord)
                .where(SearchedWord.word == word, SearchedWord.day == day)
                .values(count=SearchedWord.count + n)
            )
        return
    for word, n in sorted(counts.items()):  # in one order: two writers never deadlock
        statement = upserts.insert(session, SearchedWord).values(word=word, day=day, count=n)
        session.execute(
            statement.on_conflict_do_update(
                index_elements=[SearchedWord.word, SearchedWord.day],
                set_={"count": SearchedWord.count + n},
            )
        )


def _forget_old(session: Session, day: date) -> None:
    session.execute(delete(SearchedWord).where(SearchedWord.day <= day - timedelta(days=DAYS)))


def most_searched(limit: int = 20) -> list[tuple[str, int]]:
    """(word, times) of the last DAYS days, most searched first, past the
    thresholds and still in published content."""
    flush()
    since = today() - timedelta(days=DAYS)
    times = func.sum(SearchedWord.count)
    rows = db.session.execute(
        select(SearchedWord.word, times)
        .where(SearchedWord.day > since)
        .group_by(SearchedWord.word)
        .having(times >= MIN_SEARCHES, func.count(SearchedWord.day.distinct()) >= MIN_DAYS)
        .order_by(times.desc(), SearchedWord.word)
        .limit(limit * 3)  # room for words since gone from published content
    ).all()
    try:
        found = [(word, int(n)) for word, n in rows if _published(word)]
    except IndexUnavailable:
        return []
    return found[:limit]
