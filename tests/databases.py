"""The test databases: one per backend and pytest-xdist worker, set up for each test
from a template built once per session instead of by create_all and init-db."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from jinja2.bccache import Bucket, BytecodeCache
from sqlalchemy import Engine, event

from cnig_share.database import ensure_reference_data
from cnig_share.extensions import db
from cnig_share.search import sync as search_sync

# A worker's own Redis database, this many places after the one given (modulo Redis's
# 16): with db 15 (CI), gw0 and gw1 use 6 and 7; with db 1, 8 and 9.
REDIS_WORKER_OFFSET = 7
REDIS_DATABASES = 16


def worker_number(worker: str | None) -> int | None:
    """gw3 → 3; None when pytest runs in one process."""
    return int(worker.removeprefix("gw")) if worker else None


def database_for_worker(url: str | None, worker: str | None) -> str | None:
    """The worker's own PostgreSQL database beside the one given: test → test_gw0."""
    if url is None or worker is None:
        return url
    return database_beside(url, f"_{worker}")


def database_beside(url: str, suffix: str) -> str:
    """The URL of another database on the same server: test → test_suffix."""
    base = sa.make_url(url)
    return base.set(database=f"{base.database}{suffix}").render_as_string(hide_password=False)


def redis_for_worker(url: str | None, worker: str | None) -> str | None:
    """The worker's own Redis database (the tests empty theirs with FLUSHDB)."""
    number = worker_number(worker)
    if url is None or number is None:
        return url
    match = re.fullmatch(r"(.*?)(?:/(\d+))?/?", url)
    assert match is not None
    base, given = match.group(1), int(match.group(2) or 0)
    return f"{base}/{(given + REDIS_WORKER_OFFSET + number) % REDIS_DATABASES}"


def create_database_if_missing(url: str) -> None:
    """CREATE DATABASE for `url`, through the server's maintenance database `postgres`:
    the database the suite was given need not exist either (a missing one stopped
    both worker processes with an INTERNALERROR before any test ran)."""
    name = sa.make_url(url).database
    server_url = sa.make_url(url).set(database="postgres")
    engine = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            exists = connection.scalar(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if not exists:
                connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()


def claim(url: str) -> sa.Connection | None:
    """A connection that holds the database for this test session until it closes, or
    None when another session holds it: two sessions given the same database (two
    worktrees, a run started before the last one ended) empty each other's tables
    mid-test, and their failures say nothing of the cause."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    connection = engine.connect()
    lock = sa.text("SELECT pg_try_advisory_lock(hashtext('cnig_share tests'))")
    if connection.scalar(lock):
        connection.commit()  # the lock is the session's, not the transaction's
        return connection
    connection.close()
    return None


@event.listens_for(Engine, "connect")
def _no_waiting_for_the_disk(dbapi_connection, _record) -> None:
    """Commits return before the disk has the data: the tests kill processes, never
    the machine, and each commit's fsync took 20 ms on this machine's shared disk."""
    cursor = dbapi_connection.cursor()
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor.execute("PRAGMA synchronous=OFF")
    else:
        cursor.execute("SET synchronous_commit TO off")
        dbapi_connection.commit()  # a rollback would undo the SET
    cursor.close()


def reset_database(url: str) -> None:
    """Leave the database empty: no tables, no Alembic version."""
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            _drop_schema(connection)
    engine.dispose()


def _drop_schema(connection: sa.Connection) -> None:
    connection.execute(sa.text("DROP SCHEMA public CASCADE"))
    connection.execute(sa.text("CREATE SCHEMA public"))


def with_schema(app: Flask) -> Flask:
    """The app with its schema, reference data and index, as init-db leaves it."""
    with app.app_context():
        db.create_all()
        ensure_reference_data()
        search_sync.rebuild()
    return app


def close(app: Flask) -> None:
    """Release what an app holds: its searchers, its rebuild thread, its connections."""
    app.extensions["search"].close()
    thread = getattr(app.extensions["search"], "rebuild_thread", None)
    if thread is not None:
        thread.join(timeout=30)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@dataclass(frozen=True)
class Template:
    """A SQLite file and an index folder as init-db leaves them, copied per test."""

    database: Path
    index: Path

    def copy_database(self, url: str) -> None:
        shutil.copyfile(self.database, sa.make_url(url).database)

    def copy_index(self, app: Flask) -> None:
        """The empty index into the app's folder, unless an app of this test made one."""
        if not Path(app.config["INDEX_PATH"]).exists():
            shutil.copytree(self.index, app.config["INDEX_PATH"])


# What a test may change in the schema (a migration, a restore, a table dropped):
# columns with their types and defaults, constraints, indexes, sequences.
_SCHEMA_SHAPE = sa.text("""
    SELECT c.relname, c.relkind, a.attname, format_type(a.atttypid, a.atttypmod),
           a.attnotnull, pg_get_expr(d.adbin, d.adrelid)
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
    LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
    UNION ALL
    SELECT conname, 'constraint', conrelid::regclass::text, pg_get_constraintdef(oid), NULL, NULL
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace
    ORDER BY 1, 2, 3
""")
_SEQUENCES = sa.text(
    "SELECT format('%I.%I', schemaname, sequencename), last_value FROM pg_sequences"
    " WHERE schemaname = 'public'"
)


class PostgresTemplate:
    """The schema's shape and the rows and sequence values init-db leaves. A test's
    database is brought back to them by deleting and inserting rows, in four round
    trips: 15 ms on this machine, where TRUNCATE took 400 ms and creating then dropping
    a copy of a template database 0.2 to 2 s."""

    def __init__(self, url: str) -> None:
        self.engine = sa.create_engine(url)
        with self.engine.connect() as connection:
            self.shape = connection.execute(_SCHEMA_SHAPE).all()
            self.rows = {
                table.name: [dict(row._mapping) for row in connection.execute(table.select())]
                for table in db.metadata.sorted_tables
            }
            sequences = connection.execute(_SEQUENCES).all()
        calls = [f"setval(:name{i}, :value{i}, :called{i})" for i in range(len(sequences))]
        self._set_sequences = sa.text("SELECT " + ", ".join(calls)).bindparams(
            **{f"name{i}": name for i, (name, _) in enumerate(sequences)},
            **{f"value{i}": value or 1 for i, (_, value) in enumerate(sequences)},
            **{f"called{i}": value is not None for i, (_, value) in enumerate(sequences)},
        )
        self._delete_rows = "; ".join(
            f'DELETE FROM "{table.name}"' for table in reversed(db.metadata.sorted_tables)
        )

    def restore(self) -> None:
        """Bring the database back to the template: its rows only when the schema
        is intact, else the schema too."""
        with self.engine.begin() as connection:
            if connection.execute(_SCHEMA_SHAPE).all() == self.shape:
                connection.exec_driver_sql(self._delete_rows)
            else:
                _drop_schema(connection)
                db.metadata.create_all(connection)
            for table in db.metadata.sorted_tables:
                if self.rows[table.name]:
                    connection.execute(table.insert(), self.rows[table.name])
            connection.execute(self._set_sequences)

    def close(self) -> None:
        self.engine.dispose()


class SharedTemplateCache(BytecodeCache):
    """Templates compiled once for every app of the session, in memory."""

    def __init__(self) -> None:
        self._compiled: dict[str, tuple[str, Any]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        checksum, code = self._compiled.get(bucket.key, (None, None))
        if checksum == bucket.checksum:
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._compiled[bucket.key] = (bucket.checksum, bucket.code)
