"""INSERT … ON CONFLICT, which SQLite and PostgreSQL both speak, each through its
own dialect's construct in SQLAlchemy: the way two workers writing the same row at
once both succeed, with no savepoint (which SQLite's driver handles badly)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert(session: Session, model: type):
    """An INSERT that offers `on_conflict_do_nothing` and `on_conflict_do_update`."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model)


def insert_or_ignore(session: Session, model: type, **values: Any) -> Row | None:
    """INSERT unless a row with the same key exists: the new row's primary key, or
    None when it was there already. Told by RETURNING, not rowcount, which psycopg
    leaves at -1 for these statements (true, whether or not a row went in)."""
    key = model.__table__.primary_key.columns
    statement = insert(session, model).values(**values).on_conflict_do_nothing()
    return session.execute(statement.returning(*key)).first()
