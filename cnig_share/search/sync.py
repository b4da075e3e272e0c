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
from itertools import chain

from flask import Flask, current_app, g, has_app_context
from sqlalchemy import delete, event, func, insert, inspect, select, update
from sqlalchemy.orm import Session, selectinload
from whoosh.index import LockError

from cnig_share import permissions
from cnig_share.extensions import db
from cnig_share.models import (
    Attachment,
    Ctd,
    GlossaryTerm,
    Link,
    NationalActor,
    Project,
    ProjectActor,
    Resource,
    RoadmapVersion,
    SearchOutbox,
    TermLabel,
    project_shared_ctds,
    project_terms,
    resource_terms,
    term_broader,
    utcnow,
)
from cnig_share.search.documents import (
    INDEXED_MODELS,
    Indexed,
    document,
    ids_by_model,
    key,
    key_of,
    parse_key,
)
from cnig_share.search.index import IndexUnavailable, SearchIndex
from cnig_share.workspace.services import current_roadmaps

logger = logging.getLogger(__name__)

_PENDING = "search_outbox_pending"
_DEFERRED = "search_outbox_deferred"
BATCH = 500


def search_index() -> SearchIndex:
    return current_app.extensions["search"]


# --- collecting at flush ----------------------------------------------------------------


# What a CTD, a term or an actor gives the documents of what refers to it. A
# CTD or term is also "dirty" when only a collection changed (a new resource
# joins ctd.resources by its backref): that must not re-index the hundreds of
# resources it holds.
INDEXED_ATTRIBUTES = {
    Ctd: ("slug", "region"),
    GlossaryTerm: ("slug", "pref_label", "broader", "narrower"),
}


def _changes_documents(obj) -> bool:
    """Whether a changed CTD or term changes what its resources' documents say."""
    attributes = inspect(obj).attrs
    names = INDEXED_ATTRIBUTES.get(type(obj), ())
    return any(attributes[name].history.has_changes() for name in names)


def _touched_documents(session: Session) -> set[str]:
    """Keys of the documents whose indexed form this flush may change."""
    touched: dict[type, set[int]] = {model: set() for model in INDEXED_MODELS}
    term_ids: set[int] = set()
    ctd_ids: set[int] = set()
    changed = [obj for obj in session.dirty if not isinstance(obj, Ctd | GlossaryTerm)
               or _changes_documents(obj)]  # fmt: skip
    for obj in [*session.new, *changed, *session.deleted]:
        if isinstance(obj, Resource | Project | NationalActor):
            touched[type(obj)].add(obj.id)
        elif isinstance(obj, Attachment | Link):
            touched[Resource].add(obj.resource_id)
        elif isinstance(obj, ProjectActor):
            touched[Project].add(obj.project_id)
            touched[NationalActor].add(obj.actor_id)
        elif isinstance(obj, RoadmapVersion):
            touched[RoadmapVersion].add(obj.ctd_id)  # a roadmap's key is its CTD's
        elif isinstance(obj, GlossaryTerm):
            term_ids.add(obj.id)
        elif isinstance(obj, TermLabel):
            term_ids.add(obj.term_id)
        elif isinstance(obj, Ctd):
            ctd_ids.add(obj.id)
    # What a CTD or term created in this flush holds is itself new in this flush.
    created = {(type(obj), obj.id) for obj in session.new if isinstance(obj, Ctd | GlossaryTerm)}
    term_ids = {term_id for term_id in term_ids if (GlossaryTerm, term_id) not in created}
    ctd_ids = {ctd_id for ctd_id in ctd_ids if (Ctd, ctd_id) not in created}
    connection = session.connection()
    if term_ids:
        term_ids |= _narrower_of(connection, term_ids)
        tagged = ((Resource, resource_terms.c.resource_id, resource_terms.c.term_id),
                  (Project, project_terms.c.project_id, project_terms.c.term_id))  # fmt: skip
        for model, item_id, term_id in tagged:
            touched[model] |= set(connection.scalars(select(item_id).where(term_id.in_(term_ids))))
    if ctd_ids:
        touched[Resource] |= set(
            connection.scalars(select(Resource.id).where(Resource.ctd_id.in_(ctd_ids)))
        )
        touched[Project] |= set(
            connection.scalars(select(Project.id).where(Project.ctd_id.in_(ctd_ids)))
        )
        touched[Project] |= set(
            connection.scalars(
                select(project_shared_ctds.c.project_id).where(
                    project_shared_ctds.c.ctd_id.in_(ctd_ids)
                )
            )
        )
        touched[RoadmapVersion] |= set(
            connection.scalars(
                select(RoadmapVersion.ctd_id).where(RoadmapVersion.ctd_id.in_(ctd_ids)).distinct()
            )
        )
    # A project's document names its actors, and an actor's its projects.
    if touched[NationalActor]:
        touched[Project] |= set(
            connection.scalars(
                select(ProjectActor.project_id).where(
                    ProjectActor.actor_id.in_(touched[NationalActor])
                )
            )
        )
    if touched[Project]:
        touched[NationalActor] |= set(
            connection.scalars(
                select(ProjectActor.actor_id).where(ProjectActor.project_id.in_(touched[Project]))
            )
        )
    return {key(model, item_id) for model, ids in touched.items() for item_id in ids
            if item_id is not None}  # fmt: skip


def _narrower_of(connection, term_ids: set[int]) -> set[int]:
    """Every term below these ones: their resources carry the broader labels."""
    edges = connection.execute(select(term_broader.c.narrower_id, term_broader.c.broader_id)).all()
    found, frontier = set(), set(term_ids)
    while frontier:
        frontier = {n for n, b in edges if b in frontier} - found - term_ids
        found |= frontier
    return found


def _after_flush(session: Session, _context) -> None:
    keys = _touched_documents(session)
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


def _resources_with_everything(query):
    return query.options(
        selectinload(Resource.terms).selectinload(GlossaryTerm.alt_labels),
        selectinload(Resource.terms).selectinload(GlossaryTerm.broader),
        selectinload(Resource.attachments),
        selectinload(Resource.ctd),
    )


def _projects_with_everything(query):
    return query.options(
        selectinload(Project.terms).selectinload(GlossaryTerm.alt_labels),
        selectinload(Project.terms).selectinload(GlossaryTerm.broader),
        selectinload(Project.actors).selectinload(ProjectActor.actor),
        selectinload(Project.shared_with),
        selectinload(Project.ctd),
    )


def _actors_with_everything(query):
    return query.options(
        selectinload(NationalActor.participations)
        .selectinload(ProjectActor.project)
        .selectinload(Project.ctd)
    )


def _shown(session: Session, keys: set[str]) -> dict[str, Indexed]:
    """What the index should show for these keys, by key: published resources,
    existing projects and actors, current roadmaps. A key left out is removed
    from the index."""
    ids = ids_by_model(keys)
    found: list[Indexed] = []
    if ids[Resource]:
        query = select(Resource).where(Resource.id.in_(ids[Resource]), permissions.public())
        found += session.scalars(_resources_with_everything(query)).all()
    if ids[Project]:
        query = select(Project).where(Project.id.in_(ids[Project]))
        found += session.scalars(_projects_with_everything(query)).all()
    if ids[NationalActor]:
        query = select(NationalActor).where(NationalActor.id.in_(ids[NationalActor]))
        found += session.scalars(_actors_with_everything(query)).all()
    if ids[RoadmapVersion]:
        found += current_roadmaps(session, ids[RoadmapVersion])
    return {key_of(item): item for item in found}


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
        _apply(session, rows, wait)
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


def _apply(session: Session, rows: list, wait: bool) -> None:
    """Write what the rows name to the index, then delete the rows."""
    writer = search_index().writer(timeout=None if wait else 0.0)
    try:
        keys = {row.document for row in rows}
        shown = _shown(session, keys)
        for document_key in keys - shown.keys():
            writer.delete_by_term("id", document_key)
        for item in shown.values():
            writer.update_document(**document(item))
    except Exception as error:
        writer.cancel()
        raise _DocumentsFailed() from error
    except BaseException:
        writer.cancel()
        raise
    writer.commit()  # a failure here is the index's: it propagates, the rows stay
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
    """Apply rows left by a process that died after its commit or found the
    index busy: at most once a second per process on ordinary requests, before
    every search; a few rows (SEARCH_CATCH_UP_ROWS) for a short while at most
    (SEARCH_CATCH_UP_BUDGET). Never waits for an index another process is writing."""
    now = time.monotonic()
    if now - _last_catch_up["at"] < min_interval or g.get("search_caught_up"):
        return
    _last_catch_up["at"] = now
    g.search_caught_up = True  # once per request, however many searches it runs
    try:
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
    """Every document the index should hold: published resources, then the
    CTDs' projects, the national actors and the current roadmaps (all public).
    One that cannot be built is logged and its key added to `failed`, so
    that it does not stop the others."""
    queries = (
        _resources_with_everything(permissions.public_resources()).order_by(Resource.id),
        _projects_with_everything(select(Project)).order_by(Project.id),
        _actors_with_everything(select(NationalActor)).order_by(NationalActor.id),
    )
    items = chain(
        chain.from_iterable(
            session.scalars(query.execution_options(yield_per=200)) for query in queries
        ),
        current_roadmaps(session),
    )
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
    return (
        session.scalar(select(func.count(Resource.id)).where(permissions.public()))
        + session.scalar(select(func.count(Project.id)))
        + session.scalar(select(func.count(NationalActor.id)))
        + session.scalar(select(func.count(RoadmapVersion.ctd_id.distinct())))
    )


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
        count, failed = 0, set()
        with Session(db.engine) as session:
            try:
                # Rows visible now belong to committed changes, which the documents
                # read next include: once the new index is in, they are done. (Not
                # "every id below the highest": ids are given out before commit.)
                # Quarantined rows too, unless their document fails again.
                covered = session.execute(select(SearchOutbox.id, SearchOutbox.document)).all()
                for fields in published_documents(session, failed):
                    writer.add_document(**fields)
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
    set aside because they could not be indexed (quarantined)."""
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
        model, item_id = parse_key(document_key)
    except ValueError:  # a key no document has (a quarantined row may hold one)
        return ("~" + document_key, 0)
    return ("" if model is Resource else model.__name__, item_id)
