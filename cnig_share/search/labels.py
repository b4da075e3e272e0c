"""The glossary's labels as search analyses them, kept per process until the
glossary changes.

Loading every term and label and stemming them took a tenth of a search
(profiled on bench/search.py's content-heavy corpus). A number in the
database, `glossary_version`, moves with every flush that adds, edits or
deletes a term or a label, in the same transaction; a process reads it (one
small query) and analyses the labels again only when it has moved.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from flask import Flask, current_app
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from cnig_share.extensions import db
from cnig_share.models import GlossaryTerm, GlossaryVersion, TermLabel

T = TypeVar("T")
_KEPT = "search_glossary_labels"  # app.extensions: (version, what the loader made)
_lock = threading.Lock()


def _touches_labels(session: Session) -> bool:
    """Whether the flush adds, edits or deletes a term or a label (a term's
    collections alone, such as its resources, do not count)."""
    if any(isinstance(item, (GlossaryTerm, TermLabel)) for item in session.new | session.deleted):
        return True
    return any(
        isinstance(item, (GlossaryTerm, TermLabel))
        and session.is_modified(item, include_collections=False)
        for item in session.dirty
    )


def _after_flush(session: Session, _context) -> None:
    if _touches_labels(session):
        session.connection().execute(
            update(GlossaryVersion)
            .where(GlossaryVersion.id == 1)
            .values(version=GlossaryVersion.version + 1)
        )


def init_app(app: Flask) -> None:
    if not getattr(init_app, "listening", False):
        event.listen(Session, "after_flush", _after_flush)
        init_app.listening = True


def current_version() -> int | None:
    """The glossary's version, or None before its row exists (nothing is kept then)."""
    return db.session.scalar(select(GlossaryVersion.version).where(GlossaryVersion.id == 1))


def until_glossary_changes(load: Callable[[], T]) -> T:
    """What `load` makes of the glossary, made again only when its version moved.
    The version is read first: labels loaded after it are at least as new."""
    version = current_version()
    app = current_app._get_current_object()
    with _lock:
        found = app.extensions.get(_KEPT)
    if version is not None and found is not None and found[0] == version:
        return found[1]
    value = load()
    if version is not None:
        with _lock:
            app.extensions[_KEPT] = (version, value)
    return value
