"""How many alert confirmations one address may receive a day, whoever asks
(ALERT_CONFIRMATIONS_PER_DAY).

The count holds across every worker process and restart, never in one
worker's memory: in Redis when REDIS_URL is set (Flask-Limiter's storage, as
the other rate limits), else in the database, one row per address and day
(in Paris), taken by one statement, so that two requests at once are both counted.
"""

from __future__ import annotations

from flask import current_app
from limits import parse as parse_limit
from sqlalchemy import delete, func, select

from cnig_share import upserts
from cnig_share.dates import today
from cnig_share.extensions import db, limiter
from cnig_share.models import ConfirmationCount

NAMESPACE = "alert-confirmation"


def may_send(email: str) -> bool:
    """Whether this address may still be sent a confirmation today; counts it if so."""
    if not limiter.enabled:  # RATELIMIT_ENABLED = False turns every limit off
        return True
    per_day = current_app.config["ALERT_CONFIRMATIONS_PER_DAY"]
    if current_app.config["REDIS_URL"]:
        return limiter.limiter.hit(parse_limit(f"{per_day} per day"), NAMESPACE, email)
    return _take_in_database(email, per_day)


def _take_in_database(email: str, per_day: int) -> bool:
    day = today()
    session = db.session
    counted_today = select(ConfirmationCount.day).where(ConfirmationCount.day == day).limit(1)
    if session.scalar(counted_today) is None:  # the day's first: earlier days count no more
        session.execute(delete(ConfirmationCount).where(ConfirmationCount.day < day))
    if per_day < 1:
        return False
    # INSERT … ON CONFLICT DO UPDATE … WHERE: no row is written once the day is
    # full, so nothing is returned (rowcount is not told on PostgreSQL).
    statement = upserts.insert(session, ConfirmationCount).values(email=email, day=day, sent=1)
    written = session.scalar(
        statement.on_conflict_do_update(
            index_elements=[ConfirmationCount.email, ConfirmationCount.day],
            set_={"sent": ConfirmationCount.sent + 1},
            where=ConfirmationCount.sent < per_day,
        ).returning(ConfirmationCount.sent)
    )
    return written is not None


def forget_earlier_days() -> int:
    """Counts of days gone by no longer limit anything: the daily `alerts send`
    erases them, so that an address typed once is not kept on a quiet site."""
    gone = db.session.execute(delete(ConfirmationCount).where(ConfirmationCount.day < today()))
    return gone.rowcount


def forget(email: str) -> None:
    """An account deleted takes its address's count with it."""
    db.session.execute(
        delete(ConfirmationCount).where(func.lower(ConfirmationCount.email) == email.lower())
    )
