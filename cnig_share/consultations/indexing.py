"""What the clock alone changes in the search index. A consultation enters the
index when it opens, and its contributions public *à la clôture* join its
document when it closes: no row changes at those instants, so the outbox
(search/sync.py) would not hear of them. Each consultation remembers the state
in which the index last took it; whoever reads the index first (a search, any
request's catch-up, `search check`) finds those whose state moved on since,
claims them and puts them in the outbox."""

from __future__ import annotations

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from cnig_share.consultations.states import state_column
from cnig_share.models import Consultation

_TABLE = Consultation.__table__


def moved_by_clock(session: Session) -> set[int]:
    """The consultations whose state changed since the index last took them,
    each now recorded in its new state. A read first: most calls find nothing
    and write nothing. Then a plain UPDATE (not the ORM's): neither its
    version (a curator's form stays valid) nor its date of change move, and of
    two processes claiming at once only one gets each row."""
    current = state_column()
    indexed = _TABLE.c.indexed_state
    moved_on = or_(indexed.is_(None), indexed != current)
    if session.scalar(select(_TABLE.c.id).where(moved_on).limit(1)) is None:
        return set()
    claimed = session.execute(
        update(_TABLE)
        .where(moved_on)
        .values(indexed_state=current, updated_at=_TABLE.c.updated_at)
        .returning(_TABLE.c.id)
    )
    return set(claimed.scalars())
