"""How many messages and reports one account may send: MESSAGE_RATE_LIMIT,
written as Flask-Limiter's limits are ("20 per hour", "5 per minute; 20 per hour").

Counted across every worker process: in Redis when REDIS_URL is set, else
from the database, where each message and report is a row every worker sees.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import func, select

from cnig_share.extensions import db
from cnig_share.invitations.quota import describe
from cnig_share.models import Message, Report, User, utcnow

NAMESPACE = "messages"


class QuotaExceeded(Exception):
    """More messages and reports than the account may send now; French message."""


def limits() -> list[RateLimitItem]:
    return parse_many(current_app.config["MESSAGE_RATE_LIMIT"])


def spend(author: User) -> None:
    """Count one message or report against the author's limits, or raise
    QuotaExceeded. Without Redis, the rows the caller adds are the count."""
    if current_app.config["REDIS_URL"]:
        _spend_in_redis(author)
    else:
        _check_in_database(author)


def _refuse(item: RateLimitItem) -> QuotaExceeded:
    return QuotaExceeded(
        f"Vous avez atteint la limite de messages et de signalements ({describe(item)} par "
        "compte). Réessayez un peu plus tard : votre texte n'a pas été enregistré."
    )


def _check_in_database(author: User) -> None:
    # The author's row is locked (PostgreSQL) so that two posts of one account
    # are counted one after the other, not both against the same rows.
    db.session.execute(select(User.id).where(User.id == author.id).with_for_update())
    for item in limits():
        since = utcnow() - timedelta(seconds=item.get_expiry())
        messages = db.session.scalar(
            select(func.count(Message.id)).where(
                Message.author_id == author.id, Message.created_at > since
            )
        )
        reports = db.session.scalar(
            select(func.count(Report.id)).where(
                Report.reporter_id == author.id, Report.created_at > since
            )
        )
        if messages + reports + 1 > item.amount:
            raise _refuse(item)


def _redis_limiter() -> MovingWindowRateLimiter:
    """One per app (and so per worker), on the app's Redis."""
    limiter = current_app.extensions.get("message_quota")
    if limiter is None:
        limiter = MovingWindowRateLimiter(storage_from_string(current_app.config["REDIS_URL"]))
        current_app.extensions["message_quota"] = limiter
    return limiter


def _spend_in_redis(author: User) -> None:
    limiter, key = _redis_limiter(), str(author.id)
    for item in limits():
        if not limiter.test(item, NAMESPACE, key):
            raise _refuse(item)
    for item in limits():
        limiter.hit(item, NAMESPACE, key)
