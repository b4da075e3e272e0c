"""How many invitation emails one person may send: INVITATION_RATE_LIMIT,
written as Flask-Limiter's limits are ("50 per day", "10 per hour; 50 per day").

The count must hold across every worker process, so it is never kept in
memory: in Redis when REDIS_URL is set, else read from the database, where
each email sent is a row (InvitationSending) that every worker sees.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import func, select

from cnig_share.extensions import db
from cnig_share.formatting import plural
from cnig_share.models import InvitationSending, User, utcnow

NAMESPACE = "invitations"
UNITS = {
    "second": ("seconde", "secondes"),
    "minute": ("minute", "minutes"),
    "hour": ("heure", "heures"),
    "day": ("jour", "jours"),
    "month": ("mois", "mois"),
    "year": ("an", "ans"),
}


class QuotaExceeded(Exception):
    """More invitations than the sender may still send; the message is French."""


def limits() -> list[RateLimitItem]:
    return parse_many(current_app.config["INVITATION_RATE_LIMIT"])


def describe(item: RateLimitItem) -> str:
    """ "50 par jour", "10 en 3 heures"."""
    singular, plural_form = UNITS.get(item.GRANULARITY.name, (item.GRANULARITY.name,) * 2)
    if item.multiples == 1:
        return f"{item.amount} par {singular}"
    return f"{item.amount} en {plural(item.multiples, singular, plural_form)}"


def spend(sender: User, count: int) -> None:
    """Count `count` emails against the sender's limits, or raise QuotaExceeded
    and count nothing. Without Redis the caller's InvitationSending rows are
    the count, committed with the invitations they record."""
    if current_app.config["REDIS_URL"]:
        _spend_in_redis(sender, count)
    else:
        _check_in_database(sender, count)


def _refuse(item: RateLimitItem, remaining: int) -> QuotaExceeded:
    left = (
        f"vous pouvez encore en envoyer {remaining} pour le moment"
        if remaining > 0
        else "réessayez plus tard"
    )
    return QuotaExceeded(
        f"Limite d'invitations atteinte ({describe(item)} par personne) : {left}. "
        "Aucune invitation n'a été envoyée."
    )


def _check_in_database(sender: User, count: int) -> None:
    # The sender's row is locked (PostgreSQL) so that two requests of one
    # sender are counted one after the other, not both against the same rows.
    db.session.execute(select(User.id).where(User.id == sender.id).with_for_update())
    for item in limits():
        since = utcnow() - timedelta(seconds=item.get_expiry())
        sent = db.session.scalar(
            select(func.count(InvitationSending.id)).where(
                InvitationSending.sent_by_id == sender.id, InvitationSending.sent_at > since
            )
        )
        if sent + count > item.amount:
            raise _refuse(item, item.amount - sent)


def _redis_limiter() -> MovingWindowRateLimiter:
    """One per app (and so per worker), on the app's Redis."""
    limiter = current_app.extensions.get("invitation_quota")
    if limiter is None:
        limiter = MovingWindowRateLimiter(storage_from_string(current_app.config["REDIS_URL"]))
        current_app.extensions["invitation_quota"] = limiter
    return limiter


def _spend_in_redis(sender: User, count: int) -> None:
    # Tested first, then counted: a refused batch counts nothing. Two batches of
    # one sender racing between the two steps may pass the limit by one batch.
    limiter, key = _redis_limiter(), str(sender.id)
    for item in limits():
        if not limiter.test(item, NAMESPACE, key, cost=count):
            raise _refuse(item, limiter.get_window_stats(item, NAMESPACE, key).remaining)
    for item in limits():
        limiter.hit(item, NAMESPACE, key, cost=count)
