"""Which documents a flush changes: the rows of indexed kinds and their
parts, and every document quoting a CTD, a term or another document that
changed (search.kinds says who quotes what)."""

from __future__ import annotations

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from cnig_share.models import Ctd, GlossaryTerm, TermLabel, term_broader
from cnig_share.search.kinds import KINDS, IndexedKind

# A CTD's or a term's change that changes the documents quoting it. A CTD or
# term is also "dirty" when only a collection changed (a new resource joins
# ctd.resources by its backref): that must not re-index the hundreds of
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


def touched_documents(session: Session) -> set[str]:
    """Keys of the documents whose indexed form this flush may change."""
    changed = [obj for obj in session.dirty if not isinstance(obj, Ctd | GlossaryTerm)
               or _changes_documents(obj)]  # fmt: skip
    touched, quoted = _changed_rows([*session.new, *changed, *session.deleted])
    # What a CTD or term created in this flush holds is itself new in this flush.
    for obj in session.new:
        if type(obj) in quoted:
            quoted[type(obj)].discard(obj.id)
    connection = session.connection()
    if quoted[GlossaryTerm]:
        quoted[GlossaryTerm] |= _narrower_of(connection, quoted[GlossaryTerm])
    # Kinds quote each other (a project names its actors, an actor its projects):
    # the same sets, growing as the kinds are gone through in registry order.
    quoted |= {kind.model: touched[kind] for kind in KINDS}
    for kind in KINDS:
        for model, item_id, quoted_id in kind.quotes:
            if quoted[model]:
                found = connection.scalars(select(item_id).where(quoted_id.in_(quoted[model])))
                touched[kind] |= set(found)
    return {kind.key(item_id) for kind, ids in touched.items() for item_id in ids
            if item_id is not None}  # fmt: skip


def _changed_rows(objects: list) -> tuple[dict[IndexedKind, set[int]], dict[type, set[int]]]:
    """The documents these rows are part of, by kind, and the CTDs and terms among them."""
    touched: dict[IndexedKind, set[int]] = {kind: set() for kind in KINDS}
    quoted: dict[type, set[int]] = {Ctd: set(), GlossaryTerm: set()}
    for obj in objects:
        for kind in KINDS:
            if isinstance(obj, kind.model):
                touched[kind].add(getattr(obj, kind.key_attribute))
            for model, attribute in kind.parts.items():
                if isinstance(obj, model):
                    touched[kind].add(getattr(obj, attribute))
        if isinstance(obj, Ctd | GlossaryTerm):
            quoted[type(obj)].add(obj.id)
        elif isinstance(obj, TermLabel):
            quoted[GlossaryTerm].add(obj.term_id)
    return touched, quoted


def _narrower_of(connection, term_ids: set[int]) -> set[int]:
    """Every term below these ones: their resources carry the broader labels."""
    edges = connection.execute(select(term_broader.c.narrower_id, term_broader.c.broader_id)).all()
    found, frontier = set(), set(term_ids)
    while frontier:
        frontier = {n for n, b in edges if b in frontier} - found - term_ids
        found |= frontier
    return found
