"""Keeping the index in step with the database, from every process.

A flush that touches what the index shows writes outbox rows in the same
transaction; after the commit those rows are applied to the index and
deleted. A rollback takes the rows with it. If the index is busy (another
process writing) or the process dies, the rows stay and the next writer,
the next request after a short delay, or `search reindex` applies them.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterator

from flask import Flask, current_app, has_app_context
from sqlalchemy import delete, event, func, insert, inspect, select
from sqlalchemy.orm import Session, selectinload
from whoosh.index import LockError

from cnig_share.extensions import db
from cnig_share.models import (
    Attachment,
    Ctd,
    GlossaryTerm,
    Link,
    Resource,
    SearchOutbox,
    TermLabel,
    resource_terms,
    term_broader,
)
from cnig_share.search.documents import document
from cnig_share.search.index import IndexUnavailable, SearchIndex

logger = logging.getLogger(__name__)

_PENDING = "search_outbox_pending"
_DEFERRED = "search_outbox_deferred"
BATCH = 500


def search_index() -> SearchIndex:
    return current_app.extensions["search"]


# --- collecting at flush ----------------------------------------------------------------


# What a CTD or a term gives its resources' documents. A CTD or term is also
# "dirty" when only a collection changed (a new resource joins ctd.resources by
# its backref): that must not re-index the hundreds of resources it holds.
INDEXED_ATTRIBUTES = {
    Ctd: ("slug", "region"),
    GlossaryTerm: ("slug", "pref_label", "broader", "narrower"),
}


def _changes_documents(obj) -> bool:
    """Whether a changed CTD or term changes what its resources' documents say."""
    attributes = inspect(obj).attrs
    names = INDEXED_ATTRIBUTES.get(type(obj), ())
    return any(attributes[name].history.has_changes() for name in names)


def _touched_resources(session: Session) -> set[int]:
    """Ids of resources whose indexed form this flush may change."""
    ids: set[int] = set()
    term_ids: set[int] = set()
    ctd_ids: set[int] = set()
    changed = [obj for obj in session.dirty if not isinstance(obj, Ctd | GlossaryTerm)
               or _changes_documents(obj)]  # fmt: skip
    for obj in [*session.new, *changed, *session.deleted]:
        if isinstance(obj, Resource):
            ids.add(obj.id)
        elif isinstance(obj, Attachment | Link):
            ids.add(obj.resource_id)
        elif isinstance(obj, GlossaryTerm):
            term_ids.add(obj.id)
        elif isinstance(obj, TermLabel):
            term_ids.add(obj.term_id)
        elif isinstance(obj, Ctd):
            ctd_ids.add(obj.id)
    connection = session.connection()
    if term_ids:
        term_ids |= _narrower_of(connection, term_ids)
        ids |= set(
            connection.scalars(
                select(resource_terms.c.resource_id).where(resource_terms.c.term_id.in_(term_ids))
            )
        )
    if ctd_ids:
        ids |= set(connection.scalars(select(Resource.id).where(Resource.ctd_id.in_(ctd_ids))))
    ids.discard(None)
    return ids


def _narrower_of(connection, term_ids: set[int]) -> set[int]:
    """Every term below these ones: their resources carry the broader labels."""
    edges = connection.execute(select(term_broader.c.narrower_id, term_broader.c.broader_id)).all()
    found, frontier = set(), set(term_ids)
    while frontier:
        frontier = {n for n, b in edges if b in frontier} - found - term_ids
        found |= frontier
    return found


def _after_flush(session: Session, _context) -> None:
    ids = _touched_resources(session)
    if ids:
        # The connection, not the session: no objects added inside a flush.
        session.connection().execute(
            insert(SearchOutbox), [{"resource_id": resource_id} for resource_id in sorted(ids)]
        )
        session.info[_PENDING] = True


def _after_commit(session: Session) -> None:
    if session.info.get(_DEFERRED):
        return  # a bulk change: the caller indexes everything at once afterwards
    if session.info.pop(_PENDING, False) and has_app_context():
        try:
            apply_outbox()
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

    app.before_request(catch_up)


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


# --- applying ---------------------------------------------------------------------------


def _with_everything(query):
    return query.options(
        selectinload(Resource.terms).selectinload(GlossaryTerm.alt_labels),
        selectinload(Resource.terms).selectinload(GlossaryTerm.broader),
        selectinload(Resource.attachments),
        selectinload(Resource.ctd),
    )


def apply_outbox(wait: bool = True) -> int:
    """Apply every pending row to the index; return how many were applied.

    Rows are read, then the index lock is taken, then the resources are read
    in a fresh transaction: whoever writes last writes the latest state.
    Without `wait`, a busy index is left to its current writer.
    """
    index = search_index()
    if index.rebuilding():
        return 0
    applied = 0
    with Session(db.engine) as session:
        while True:
            rows = session.execute(
                select(SearchOutbox.id, SearchOutbox.resource_id)
                .order_by(SearchOutbox.id)
                .limit(BATCH)
            ).all()
            session.rollback()  # end the read so the next one sees the latest commits
            if not rows:
                return applied
            try:
                writer = index.writer(timeout=None if wait else 0.0)
            except (LockError, IndexUnavailable):
                return applied
            try:
                ids = {row.resource_id for row in rows}
                resources = session.scalars(
                    _with_everything(select(Resource).where(Resource.id.in_(ids)))
                ).all()
                published = {r.id: r for r in resources if r.status == "published"}
                for resource_id in ids - published.keys():
                    writer.delete_by_term("id", str(resource_id))
                for resource in published.values():
                    writer.update_document(**document(resource))
                writer.commit()
            except BaseException:
                writer.cancel()
                raise
            session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_([r.id for r in rows])))
            session.commit()
            applied += len(rows)


_last_catch_up = {"at": 0.0}


def catch_up(min_interval: float = 1.0) -> None:
    """Apply rows left by a process that died after its commit or found the
    index busy: at most once a second per process on ordinary requests, before
    every search. Never waits for an index another process is writing."""
    now = time.monotonic()
    if now - _last_catch_up["at"] < min_interval:
        return
    _last_catch_up["at"] = now
    try:
        if db.session.scalar(select(SearchOutbox.id).limit(1)) is not None:
            apply_outbox(wait=False)
    except Exception:
        # On PostgreSQL a failed statement poisons the transaction: reset it so
        # the request itself still works.
        db.session.rollback()
        logger.exception("Search catch-up failed")


# --- rebuilding -------------------------------------------------------------------------


def published_documents(session: Session) -> Iterator[dict]:
    query = _with_everything(select(Resource).where(Resource.status == "published"))
    for resource in session.scalars(query.order_by(Resource.id).execution_options(yield_per=200)):
        yield document(resource)


def count_published(session: Session) -> int:
    return session.scalar(select(func.count(Resource.id)).where(Resource.status == "published"))


def rebuild(procs: int = 1, progress=None, wait: bool = True) -> int | None:
    """Write a fresh index from the database and swap it in; None if another
    process is already rebuilding. Outbox rows written meanwhile wait (writers
    pause while the lock is held) and are applied right after."""
    index = search_index()
    with index.rebuild_lock(wait=wait) as acquired:
        if not acquired:
            return None
        staged, staging = index.new_index()
        if procs > 1:  # Whoosh's multi-process writer: one segment per process
            writer = staged.writer(procs=procs, multisegment=True, limitmb=128)
        else:
            writer = staged.writer(limitmb=128)
        count = 0
        with Session(db.engine) as session:
            try:
                # Rows visible now belong to committed changes, which the documents
                # read next include: once the new index is in, they are done. (Not
                # "every id below the highest": ids are given out before commit.)
                covered = list(session.scalars(select(SearchOutbox.id)))
                for fields in published_documents(session):
                    writer.add_document(**fields)
                    count += 1
                    if progress is not None:
                        progress(1)
                writer.commit()
            except BaseException:
                writer.cancel()
                raise
        index.swap_in(staging)
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


def check() -> dict[str, list[int]]:
    """Compare index and database: ids missing from the index, extra in it,
    or indexed from an older state of the resource."""
    apply_outbox()
    searcher = search_index().searcher()
    indexed = {int(fields["id"]): fields.get("version") for fields in searcher.all_stored_fields()}
    with Session(db.engine) as session:
        expected = {int(doc["id"]): doc["version"] for doc in published_documents(session)}
    return {
        "missing": sorted(expected.keys() - indexed.keys()),
        "extra": sorted(indexed.keys() - expected.keys()),
        "stale": sorted(i for i in expected.keys() & indexed.keys() if expected[i] != indexed[i]),
    }
