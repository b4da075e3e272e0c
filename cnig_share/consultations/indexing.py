"""What the clock alone changes in the search index. A consultation enters the
index when it opens, and its contributions public *à la clôture* join its
document when it closes: no row changes at those instants, so the outbox
(search/sync.py) would not hear of them. Each consultation remembers the state
in which the index last took it; whoever reads the index first (a search, any
request's catch-up, `search check`) finds those whose state moved on since,
claims them and puts them in the outbox."""

from __future__ import annotations

from sqlalchemy import Date, bindparam, or_, select, update
from sqlalchemy.orm import Session

from cnig_share.consultations.states import paris_day, state_on
from cnig_share.models import Consultation

_TABLE = Consultation.__table__

# Built once, the day bound at each call: every search asks, and building the
# state's expression afresh each time cost a third of a millisecond (bench/search.py).
_CURRENT = state_on(bindparam("today", type_=Date()))
_MOVED_ON = or_(_TABLE.c.indexed_state.is_(None), _TABLE.c.indexed_state != _CURRENT)
_ANY_MOVED = select(_TABLE.c.id).where(_MOVED_ON).limit(1)
_CLAIM = (
    update(_TABLE)
    .where(_MOVED_ON)
    .values(indexed_state=_CURRENT, updated_at=_TABLE.c.updated_at)
    .returning(_TABLE.c.id)
)


def moved_by_clock(session: Session) -> set[int]:
    """The consultations whose state changed since the index last took them,
    each now recorded in its new state. A read first: most calls find nothing
    and write nothing. Then a plain UPDATE (not the ORM's): neither its
    version (a curator's form stays valid) nor its date of change move, and of
    two processes claiming at once only one gets each row."""
    today = {"today": paris_day()}
    if session.scalar(_ANY_MOVED, today) is None:
        return set()
    return set(session.scalars(_CLAIM, today))
