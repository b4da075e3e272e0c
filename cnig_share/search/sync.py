"""Keeping the index in step with the database, from every process.

A flush that touches what the index shows writes outbox rows in the same
transaction; after the commit those rows are applied to the index and
deleted. A rollback takes the rows with it. If the index is busy (another
process writing) or the process dies, the rows stay and the next writer,
the next request after a short delay, or `search reindex` applies them.

Some documents change with the clock alone (a consultation opening on its
date): `follow_clock` writes their outbox rows, from every catch-up and check.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterator
from itertools import chain

from flask import Flask, current_app, g, has_app_context
from sqlalchemy import delete, event, func, insert, select, update
from sqlalchemy.orm import Session
from whoosh.index import LockError

from cnig_share.extensions import db
from cnig_share.models import SearchOutbox, utcnow
from cnig_share.search.changes import touched_documents
from cnig_share.search.codec import NarrowBlocksCodec
from cnig_share.search.documents import for_writer
from cnig_share.search.index import IndexUnavailable, SearchIndex
from cnig_share.search.kinds import KINDS, RESOURCE, document, key_of, load, parse_key

logger = logging.getLogger(__name__)

_PENDING = "search_outbox_pending"
_DEFERRED = "search_outbox_deferred"
_SERVING = "search_serving_a_request"
BATCH = 500


def search_index() -> SearchIndex:
    return current_app.extensions["search"]


# --- collecting at flush ----------------------------------------------------------------


def _after_flush(session: Session, _context) -> None:
    keys = touched_documents(session)
    if keys:
        # The connection, not the session: no objects added inside a flush.
        session.connection().execute(
            insert(SearchOutbox), [{"document": document_key} for document_key in sorted(keys)]
        )
        session.info[_PENDING] = True


def _after_commit(session: Session) -> None:
    if session.info.get(_DEFERRED):
        return  # a bulk change: the caller indexes everything at once afterwards
    if session.info.pop(_PENDING, False) and has_app_context():
        # Inside a request the person waits: a backlog left by others is not theirs
        # to clear at length (catch-up and the next writers go on with it).
        in_request = g.get(_SERVING, False)
        try:
            apply_outbox(
                budget=current_app.config["SEARCH_AFTER_WRITE_BUDGET"] if in_request else None
            )
        except Exception:  # the rows are safe in the database; a later writer applies them
            logger.exception("Search index update postponed")


def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


def init_app(app: Flask) -> None:
    if not getattr(init_app, "listening", False):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)
        init_app.listening = True

    app.before_request(_serving)
    app.before_request(catch_up)


def _serving() -> None:
    """Mark a request someone waits for. Not has_request_context(): commands
    build their links inside test_request_context, which runs no before_request,
    and keep the full budget."""
    g.setdefault(_SERVING, True)


@contextlib.contextmanager
def deferred(session: Session) -> Iterator[None]:
    """Commits inside leave their outbox rows for the caller (a bulk import
    then indexes with `rebuild`, several processes at once)."""
    session.info[_DEFERRED] = True
    try:
        yield
    finally:
        session.info.pop(_DEFERRED, None)
        session.info.pop(_PENDING, None)


def follow_clock() -> int:
    """Write outbox rows for the documents the clock alone changed since they
    were last indexed (search.kinds' `moved_by_clock`); how many, committed."""
    written = 0
    with Session(db.engine) as session, session.begin():
        for kind in KINDS:
            if kind.moved_by_clock is None:
                continue
            keys = sorted(kind.key(item_id) for item_id in kind.moved_by_clock(session))
            if keys:
                session.execute(insert(SearchOutbox), [{"document": key} for key in keys])
                written += len(keys)
    return written


# --- applying ---------------------------------------------------------------------------


def apply_outbox(wait: bool = True, budget: float | None = None, limit: int | None = None) -> int:
    """Apply pending rows to the index, oldest first; return how many were applied.

    Stops when none is left, after `limit` rows, or once `budget` seconds
    (SEARCH_OUTBOX_BUDGET) have passed: what is left waits for the next
    applier. Rows are read, then the index lock is taken, then what they name
    is read in a fresh transaction: whoever writes last writes the latest
    state. Without `wait`, a busy index is left to its current writer. A
    batch that fails is split until the rows at fault stand alone: each counts
    a failure, the others are applied (no poison pill).
    """
    index = search_index()
    if index.rebuilding():
        return 0
    seconds = current_app.config["SEARCH_OUTBOX_BUDGET"] if budget is None else budget
    deadline = time.monotonic() + seconds
    applied, after, left = 0, 0, limit
    with Session(db.engine) as session:
        while time.monotonic() < deadline and (left is None or left > 0):
            rows = _pending(session, after, BATCH if left is None else min(BATCH, left))
            if not rows:
                break
            after = rows[-1].id
            left = None if left is None else left - len(rows)
            try:
                applied += _apply_or_split(session, rows, wait, deadline)
            except (LockError, IndexUnavailable):
                break  # another process writes, or the index is being rebuilt
    return applied


def _pending(session: Session, after: int, count: int) -> list:
    """The next rows to apply, by id, leaving quarantined ones aside."""
    rows = session.execute(
        select(SearchOutbox.id, SearchOutbox.document, SearchOutbox.attempts)
        .where(SearchOutbox.id > after, SearchOutbox.quarantined_at.is_(None))
        .order_by(SearchOutbox.id)
        .limit(count)
    ).all()
    session.rollback()  # end the read so the next one sees the latest commits
    return rows


class _DocumentsFailed(Exception):
    """Reading or writing what some rows name failed: the rows' fault, not the index's."""


def _apply_or_split(session: Session, rows: list, wait: bool, deadline: float) -> int:
    """Apply the rows; if that fails, each half on its own, down to single rows."""
    try:
        _apply(session, rows, wait, deadline)
        return len(rows)
    except _DocumentsFailed as failure:
        session.rollback()  # on PostgreSQL a failed read poisons the transaction
        if len(rows) == 1:
            _count_failure(session, rows[0], failure.__cause__ or failure)
            return 0
        if time.monotonic() >= deadline:
            return 0  # left, uncounted, for the next applier
        middle = len(rows) // 2
        return _apply_or_split(session, rows[:middle], wait, deadline) + _apply_or_split(
            session, rows[middle:], wait, deadline
        )


def _apply(session: Session, rows: list, wait: bool, deadline: float) -> None:
    """Write what the rows name to the index, then delete the rows. Another
    process's lock is waited for until the deadline at most (SEARCH_WRITE_TIMEOUT
    if sooner): a request's short budget bounds its wait too."""
    index = search_index()
    left = max(0.0, deadline - time.monotonic())
    writer = index.writer(timeout=min(index.write_timeout, left) if wait else 0.0)
    try:
        keys = {row.document for row in rows}
        shown = load(session, keys, for_index=True)
        for document_key in keys - shown.keys():
            writer.delete_by_term("id", document_key)
        for item in shown.values():
            writer.update_document(**for_writer(document(item)))
    except Exception as error:
        writer.cancel()
        raise _DocumentsFailed() from error
    except BaseException:
        writer.cancel()
        raise
    try:
        writer.commit()  # a failure here is the index's: it propagates, the rows stay
    except BaseException:
        # Its lock and readers are released, or no applier could write again.
        with contextlib.suppress(Exception):
            writer.cancel()
        raise
    # A row set aside for one of these documents is superseded: the index now has its latest state.
    superseded = SearchOutbox.document.in_(keys) & SearchOutbox.quarantined_at.is_not(None)
    session.execute(
        delete(SearchOutbox).where(SearchOutbox.id.in_([r.id for r in rows]) | superseded)
    )
    session.commit()


def _count_failure(session: Session, row, error: BaseException) -> None:
    """One more failure for a row alone; set aside after SEARCH_OUTBOX_MAX_ATTEMPTS."""
    attempts = row.attempts + 1
    quarantined = attempts >= current_app.config["SEARCH_OUTBOX_MAX_ATTEMPTS"]
    session.execute(
        update(SearchOutbox)
        .where(SearchOutbox.id == row.id)
        .values(
            attempts=attempts,
            last_error=f"{type(error).__name__}: {error}"[:1000],
            quarantined_at=utcnow() if quarantined else None,
        )
    )
    session.commit()
    if quarantined:
        logger.error(
            "Search index: document %s set aside after %d failed attempts (`cnig-share search "
            "check` lists it, `search reindex` retries it)",
            row.document,
            attempts,
            exc_info=error,
        )
    else:
        logger.warning("Search index: document %s failed (attempt %d)", row.document, attempts,
                       exc_info=error)  # fmt: skip


def quarantined() -> list[tuple[str, str | None]]:
    """(document key, last error) of the rows set aside, oldest first."""
    with Session(db.engine) as session:
        return [
            (row.document, row.last_error)
            for row in session.execute(
                select(SearchOutbox.document, SearchOutbox.last_error)
                .where(SearchOutbox.quarantined_at.is_not(None))
                .order_by(SearchOutbox.id)
            )
        ]


def count_quarantined() -> int:
    return db.session.scalar(
        select(func.count(SearchOutbox.id)).where(SearchOutbox.quarantined_at.is_not(None))
    )


_last_catch_up = {"at": 0.0}


def catch_up(min_interval: float = 1.0) -> None:
    """Bring in what the clock changed, and apply rows left by a process that
    died after its commit or found the index busy: at most once a second per
    process on ordinary requests, before every search; a few rows
    (SEARCH_CATCH_UP_ROWS) for a short while at most (SEARCH_CATCH_UP_BUDGET).
    Never waits for an index another process is writing."""
    now = time.monotonic()
    if now - _last_catch_up["at"] < min_interval or g.get("search_caught_up"):
        return
    _last_catch_up["at"] = now
    g.search_caught_up = True  # once per request, however many searches it runs
    try:
        follow_clock()
        pending = select(SearchOutbox.id).where(SearchOutbox.quarantined_at.is_(None)).limit(1)
        if db.session.scalar(pending) is not None:
            config = current_app.config
            apply_outbox(
                wait=False,
                budget=config["SEARCH_CATCH_UP_BUDGET"],
                limit=config["SEARCH_CATCH_UP_ROWS"],
            )
    except Exception:
        # On PostgreSQL a failed statement poisons the transaction: reset it so
        # the request itself still works.
        db.session.rollback()
        logger.exception("Search catch-up failed")


# --- rebuilding -------------------------------------------------------------------------


def published_documents(session: Session, failed: set[str] | None = None) -> Iterator[dict]:
    """Every document the index should hold, kind after kind (search.kinds).
    One that cannot be built is logged and its key added to `failed`, so
    that it does not stop the others."""
    items = chain.from_iterable(kind.load(session, None, for_index=True) for kind in KINDS)
    for item in items:
        try:
            fields = document(item)
        except Exception:
            logger.exception("Search index: document %s could not be built", key_of(item))
            if failed is not None:
                failed.add(key_of(item))
            continue
        yield fields


def count_published(session: Session) -> int:
    """How many documents the index should hold."""
    return sum(kind.count(session) for kind in KINDS)


def rebuild(procs: int = 1, progress=None, wait: bool = True) -> int | None:
    """Write a fresh index from the database and swap it in; None if another
    process is already rebuilding. Outbox rows written meanwhile wait (writers
    pause while the lock is held) and are applied right after."""
    index = search_index()
    with index.rebuild_lock(wait=wait) as acquired:
        if not acquired:
            return None
        staged, staging = index.new_index()
        options = {
            "limitmb": current_app.config["SEARCH_REINDEX_MEMORY_MB"],
            "codec": NarrowBlocksCodec(),
        }
        if procs > 1:  # Whoosh's multi-process writer: one segment per process
            writer = staged.writer(procs=procs, multisegment=True, **options)
        else:
            writer = staged.writer(**options)
        count, failed = 0, set()
        with Session(db.engine) as session:
            try:
                # Rows visible now belong to committed changes, which the documents
                # read next include: once the new index is in, they are done. (Not
                # "every id below the highest": ids are given out before commit.)
                # Quarantined rows too, unless their document fails again.
                covered = session.execute(select(SearchOutbox.id, SearchOutbox.document)).all()
                for fields in published_documents(session, failed):
                    writer.add_document(**for_writer(fields))
                    count += 1
                    if progress is not None:
                        progress(1)
                writer.commit()
            except BaseException:
                writer.cancel()
                raise
        index.swap_in(staging)
        covered = [row.id for row in covered if row.document not in failed]
        with Session(db.engine) as session, session.begin():
            for start in range(0, len(covered), BATCH):
                chunk = covered[start : start + BATCH]
                session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_(chunk)))
    apply_outbox()
    return count


# A search error that the index's own probe does not explain may be damage
# deep in a segment, or a bug: rebuild for it at most this often per process.
SUSPECTED_DAMAGE_REBUILD_INTERVAL = 600.0
_last_suspected_rebuild = {"at": float("-inf")}


def start_background_rebuild(suspected: bool = False) -> None:
    """Rebuild a missing or damaged index without holding up the request."""
    app = current_app._get_current_object()
    index = search_index()
    thread = getattr(index, "rebuild_thread", None)
    if thread is not None and thread.is_alive():
        return
    if suspected:
        now = time.monotonic()
        if now - _last_suspected_rebuild["at"] < SUSPECTED_DAMAGE_REBUILD_INTERVAL:
            return
        _last_suspected_rebuild["at"] = now

    def run() -> None:
        with app.app_context():
            try:
                rebuild(procs=1, wait=False)
            except Exception:
                logger.exception("Background rebuild of the search index failed")

    index.rebuild_thread = threading.Thread(target=run, name="search-rebuild", daemon=True)
    index.rebuild_thread.start()


def check() -> dict[str, list[str]]:
    """Compare index and database: document keys missing from the index,
    extra in it, or indexed from an older state of what they name; and those
    set aside because they could not be indexed (quarantined). What the clock
    changed is brought in first: the comparison holds at every instant."""
    follow_clock()
    apply_outbox()
    searcher = search_index().searcher()
    indexed = {fields["id"]: fields.get("version") for fields in searcher.all_stored_fields()}
    failed: set[str] = set()
    with Session(db.engine) as session:
        expected = {doc["id"]: doc["version"] for doc in published_documents(session, failed)}
    stale = {k for k in expected.keys() & indexed.keys() if expected[k] != indexed[k]}
    set_aside = {document_key for document_key, _ in quarantined()} | failed
    return {
        "missing": sorted(expected.keys() - indexed.keys(), key=_in_order),
        "extra": sorted(indexed.keys() - expected.keys() - failed, key=_in_order),
        "stale": sorted(stale, key=_in_order),
        "quarantined": sorted(set_aside, key=_in_order),
    }


def _in_order(document_key: str) -> tuple[str, int]:
    """Resources first, each kind by number."""
    try:
        kind, item_id = parse_key(document_key)
    except ValueError:  # a key no document has (a quarantined row may hold one)
        return ("~" + document_key, 0)
    return ("" if kind is RESOURCE else kind.model.__name__, item_id)
