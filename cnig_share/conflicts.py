"""Edits carry a version: a stale form, or the loser of two concurrent saves or
transitions, gets 409 instead of silently overwriting the other person's work.

Versioned models (resource, project, governance, costs, glossary term,
selection) use SQLAlchemy's `version_id_col`: every flush of a change is
`UPDATE … SET version = :v + 1 WHERE id = :id AND version = :v`, which no
other transaction can pass with the same :v. Forms carry the version they were
loaded with, so a save made from an older page is refused before that.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from decimal import Decimal

from flask import Flask, current_app, request
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from cnig_share.extensions import db

STALE_MESSAGE = (
    "Quelqu'un d'autre a modifié cet élément pendant que vous le faisiez : votre action "
    "n'a pas été appliquée. Rechargez la page pour voir son état actuel, puis recommencez "
    "si elle a encore lieu d'être."
)


class EditConflict(Exception):
    """A save made from a version that is no longer the current one."""

    def __init__(self, message: str = STALE_MESSAGE) -> None:
        super().__init__(message)
        self.message = message


# What a view catches around a save: a stale form, or a flush (an autoflush
# included) or commit that lost a race. Its handler rolls the session back.
LOST = (EditConflict, StaleDataError)


def parse_version(value: object) -> int | None:
    """The version a form was loaded with; None when the form sent none."""
    text = "" if value is None else str(value).strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


def require_version(current: int, loaded: int | None) -> None:
    """Refuse a save made from another version than the current one.

    A request that names no version (a script written before versions
    existed) is not refused here; its save is still a conditional update."""
    if loaded is not None and loaded != current:
        raise EditConflict()


def claim(row: object) -> None:
    """Take a versioned row now, before any other write: `UPDATE … WHERE version
    = :loaded`. Of two concurrent actions on it, the later waits for the first
    to finish, then fails here (EditConflict) rather than halfway through."""
    flag_modified(row, "updated_at")
    try:
        db.session.flush()
    except StaleDataError as error:
        db.session.rollback()
        raise EditConflict() from error


def require_posted_version(current: int) -> None:
    """A button's form (publish, return…) names the version its page showed:
    a decision made on what someone else has changed since is refused."""
    require_version(current, parse_version(request.form.get("version")))


def commit() -> None:
    """Commit; a change another transaction made first becomes an EditConflict."""
    try:
        db.session.commit()
    except StaleDataError as error:
        db.session.rollback()
        raise EditConflict() from error


@dataclass
class FieldConflict:
    """One field of a refused form: the saved text and the person's text."""

    label: str
    saved: str
    submitted: str
    diff: list[str] = field(default_factory=list)
    truncated: bool = False


@dataclass
class Conflict:
    """What a 409 form page shows: what differs, and the version to save over."""

    version: int | str
    fields: list[FieldConflict]


def compare(version: int | str, values: list[tuple[str, str, str]]) -> Conflict:
    """(label, saved, submitted) for each text field → the fields that differ, each
    with a line diff bounded by CONFLICT_DIFF_MAX_CHARS (the person's own texts)."""
    limit = int(current_app.config["CONFLICT_DIFF_MAX_CHARS"])
    fields = []
    for label, saved, submitted in values:
        saved, submitted = _text(saved), _text(submitted)
        if saved == submitted:
            continue
        truncated = len(saved) > limit or len(submitted) > limit
        lines = difflib.unified_diff(
            saved[:limit].splitlines(),
            submitted[:limit].splitlines(),
            "version enregistrée",
            "votre texte",
            lineterm="",
        )
        fields.append(FieldConflict(label, saved, submitted, list(lines)[2:], truncated))
    return Conflict(version, fields)


def _text(value: object) -> str:
    if isinstance(value, Decimal):  # 1.50 as saved and 1.5 as typed are the same
        value = format(value.normalize(), "f")
    return "" if value is None else str(value).replace("\r\n", "\n")


def _stale(error: Exception):
    """The loser of a race no view caught: nothing was saved, say so in French."""
    from cnig_share.errors import error_response

    db.session.rollback()
    message = error.message if isinstance(error, EditConflict) else STALE_MESSAGE
    return error_response(409, message)


def init_app(app: Flask) -> None:
    app.register_error_handler(StaleDataError, _stale)
    app.register_error_handler(EditConflict, _stale)
