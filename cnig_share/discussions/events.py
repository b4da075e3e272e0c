"""What happens in discussions, for other parts of the site to hear (following,
notifications): blinker signals sent once the change is committed.

    from cnig_share.discussions import events

    @events.thread_created.connect
    def tell_the_resource_author(app, thread): ...

    @events.reply_posted.connect
    def tell_the_followers(app, message): ...

Receivers run inside the request or command that posted, after its commit; the
objects they get are loaded in that session (read them, do not keep them).
"""

from __future__ import annotations

from blinker import Namespace
from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

_signals = Namespace()

thread_created = _signals.signal("discussion-thread-created")
"""A new thread (its first message at `thread.messages[0]`); sender: the app."""

reply_posted = _signals.signal("discussion-reply-posted")
"""A reply in a thread (`message.thread`); sender: the app."""

_PENDING = "discussion_events"


def after_commit(session: Session, signal, **payload) -> None:
    """Send `signal` once the session commits; never when it rolls back."""
    session.info.setdefault(_PENDING, []).append((signal, payload))


def _send(session: Session) -> None:
    pending = session.info.pop(_PENDING, [])
    if not has_app_context():
        return
    for signal, payload in pending:
        signal.send(current_app._get_current_object(), **payload)


def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)


def init_app() -> None:
    if not getattr(init_app, "listening", False):
        event.listen(Session, "after_commit", _send)
        event.listen(Session, "after_rollback", _forget)
        init_app.listening = True
