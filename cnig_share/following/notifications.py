"""Emails about what people follow. An event a person wants at once is sent
after the commit, but at most one message per subject (a resource, a project,
a thread…) and person an hour: later events wait in `notification_pending` and
leave together (`cnig-share alerts send-grouped`, or with the next event past
the hour). The rest goes in one digest per person and period, sent by
`cnig-share alerts send`. Every message carries a one-click unsubscribe link
(RFC 8058) for the kinds it speaks of."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from email.message import EmailMessage

from flask import current_app, has_request_context
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, select, update

from cnig_share import mail, upserts
from cnig_share.extensions import db
from cnig_share.following import sources
from cnig_share.following.services import followed_by, followers, settings_of
from cnig_share.formatting import french_date
from cnig_share.models import (
    PERIODS,
    NotificationSettings,
    NotificationThrottle,
    PendingNotification,
    User,
    utcnow,
)

GROUPING = timedelta(hours=1)  # at most one immediate message per subject and person
DIGEST_SIZE = 30  # events listed in one digest
DIGEST_WHEN = {"daily": "aujourd'hui", "weekly": "cette semaine"}
SIGNATURE = "— CNIG Partage, centre de ressources des comités territoriaux de la donnée"


def modes_of(settings: NotificationSettings | None) -> dict[str, str]:
    """Each event kind's mode for this person, defaults filled in."""
    chosen = settings.modes if settings is not None else {}
    return {name: chosen.get(name, source.default_mode) for name, source in sources.SOURCES.items()}


# --- one-click unsubscribe -------------------------------------------------------------


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="follow-unsubscribe")


def unsubscribe_url(user_id: int, kinds: list[str]) -> str:
    """A link that stops these kinds of email for this person, without signing in."""
    token = _signer().dumps([user_id, sorted(kinds)])
    return mail.public_url("following.unsubscribe", token=token)


def from_unsubscribe_token(token: str) -> tuple[User, list[str]] | None:
    try:
        user_id, kinds = _signer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not isinstance(kinds, list):
        return None
    return user, [kind for kind in kinds if kind in sources.SOURCES]


def unsubscribe(user: User, kinds: list[str]) -> None:
    """No more email for these kinds (the feed keeps showing them)."""
    settings = settings_of(user, create=True)
    settings.modes = {**modes_of(settings), **dict.fromkeys(kinds, "none")}
    db.session.execute(
        delete(PendingNotification).where(
            PendingNotification.user_id == user.id, PendingNotification.event_kind.in_(kinds)
        )
    )


def _message(user: User, subject: str, lines: list[str], kinds: list[str]) -> EmailMessage:
    link = unsubscribe_url(user.id, kinds)
    lines = [*lines, "", f"Ne plus recevoir ces courriels : {link}",
             "Vos préférences : " + mail.public_url("accounts.profile", _anchor="suivis"),
             "", SIGNATURE]  # fmt: skip
    headers = {
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return mail.message(user.email, subject, "\n".join(lines) + "\n", headers)


def _event_lines(event: sources.FeedEvent) -> list[str]:
    url = current_app.config["PUBLIC_URL"].rstrip("/") + event.url
    return [f"* {event.what} : {event.title}",
            f"  {event.context} · {french_date(event.at)}", f"  {url}"]  # fmt: skip


# --- immediate messages, grouped by subject --------------------------------------------


def notify(event_kind: str, ref: int, by: User | None = None, told: Collection[int] = ()) -> None:
    """Something happened: tell those who follow it and want to know at once
    (not the person who did it, nor those in `told`, who have just had their own
    message about it). Call after the flush that gave the event its id; mail
    leaves after the commit."""
    source = sources.SOURCES[event_kind]
    events = source.load([ref])
    if ref not in events:
        return  # not public: nobody hears of it
    subject = events[ref].subject
    for user in followers(source.targets(ref)):
        if (by is not None and user.id == by.id) or user.id in told:
            continue
        if modes_of(settings_of(user))[event_kind] != "immediate":
            continue
        db.session.add(
            PendingNotification(
                user_id=user.id, subject=subject, event_kind=event_kind, event_id=ref
            )
        )
        db.session.flush()
        if _may_send(user.id, subject, utcnow()):
            _send_pending(user, subject)


def _may_send(user_id: int, subject: str, now: datetime) -> bool:
    """Take the right to send about this subject now: no message in the last
    hour. A conditional update (or the first insert), so of two at once only one wins."""
    taken = db.session.execute(
        update(NotificationThrottle)
        .where(
            NotificationThrottle.user_id == user_id,
            NotificationThrottle.subject == subject,
            NotificationThrottle.last_sent_at <= now - GROUPING,
        )
        .values(last_sent_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if taken:
        return True
    if db.session.get(NotificationThrottle, (user_id, subject)) is not None:
        return False
    inserted = upserts.insert_or_ignore(
        db.session, NotificationThrottle, user_id=user_id, subject=subject, last_sent_at=now
    )
    return inserted is not None


def _send_pending(user: User, subject: str) -> bool:
    """Send (after the commit) one message with every pending event on this subject."""
    with _links_context():
        return _send_pending_now(user, subject)


@contextmanager
def _links_context() -> Iterator[None]:
    """Links are built from PUBLIC_URL: commands (imports) call this outside a request."""
    if has_request_context():
        yield
        return
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        yield


def _send_pending_now(user: User, subject: str) -> bool:
    pending = db.session.scalars(
        select(PendingNotification)
        .where(PendingNotification.user_id == user.id, PendingNotification.subject == subject)
        .order_by(PendingNotification.created_at, PendingNotification.id)
    ).all()
    wanted = modes_of(settings_of(user))
    by_kind: dict[str, list[int]] = defaultdict(list)
    for row in pending:
        if wanted.get(row.event_kind) == "immediate":  # not if the person changed their mind
            by_kind[row.event_kind].append(row.event_id)
        db.session.delete(row)
    events = sorted(
        (
            event
            for kind, refs in by_kind.items()
            for event in sources.SOURCES[kind].load(refs).values()
        ),
        key=lambda event: event.at,
    )
    if not events:
        return False
    title = events[-1].title
    lines = ["Bonjour,", "", f"Du nouveau sur « {title} », que vous suivez :", ""]
    for event in events:
        lines += _event_lines(event)
    message = _message(user, f"CNIG Partage : du nouveau sur « {title} »", lines, sorted(by_kind))
    mail.send_after_commit(db.session, message)
    return True


def send_grouped(now: datetime | None = None) -> int:
    """Send what waited for its hour to pass; the number of messages."""
    now = now or utcnow()
    waiting = db.session.execute(
        select(PendingNotification.user_id, PendingNotification.subject).distinct()
    ).all()
    sent = 0
    for user_id, subject in waiting:
        user = db.session.get(User, user_id)
        if user is not None and user.active and _may_send(user_id, subject, now):
            sent += _send_pending(user, subject)
        db.session.commit()  # each message once, even if a later one fails
    db.session.execute(
        delete(NotificationThrottle).where(NotificationThrottle.last_sent_at < now - GROUPING)
    )
    db.session.commit()
    return sent


# --- digests ---------------------------------------------------------------------------


def send_digests(period: str, now: datetime | None = None) -> tuple[int, int]:
    """Each person on this period gets one message of what happened since the
    last one in what they follow; (messages sent, people)."""
    now = now or utcnow()
    everyone = db.session.scalars(
        select(NotificationSettings)
        .join(User, User.id == NotificationSettings.user_id)
        .where(NotificationSettings.period == period, User.active)
        .order_by(NotificationSettings.user_id)
    ).all()
    sent = 0
    for settings in everyone:
        kinds = [kind for kind, mode in modes_of(settings).items() if mode == "digest"]
        since = settings.last_digest_at or settings.created_at
        query = sources.events_query(followed_by(settings.user_id), kinds, since, now)
        if query is not None:
            total = sources.count(query)
            events = sources.load(db.session.execute(query.limit(DIGEST_SIZE)))
            if events:
                user = db.session.get(User, settings.user_id)
                mail.send_after_commit(db.session, _digest(user, period, events, total, kinds))
                sent += 1
        settings.last_digest_at = now
        db.session.commit()  # each person once, even if a later one fails
    return sent, len(everyone)


def _digest(user: User, period: str, events, total: int, kinds: list[str]) -> EmailMessage:
    lines = ["Bonjour,", "",
             f"Voici ce qui a changé dans ce que vous suivez ({PERIODS[period]}) :",
             ""]  # fmt: skip
    for event in events:
        lines += _event_lines(event)
    if total > len(events):
        lines += ["", f"… et {total - len(events)} autre(s) : "
                  + mail.public_url("following.feed")]  # fmt: skip
    lines += ["", "Tout votre fil : " + mail.public_url("following.feed")]
    count = f"{total} nouveauté{'s' if total > 1 else ''}"
    return _message(user, f"CNIG Partage : {count} {DIGEST_WHEN[period]}", lines, kinds)
