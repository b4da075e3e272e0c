"""The database side of a backup: one consistent snapshot, taken and put back.

SQLite: the online backup API copies the database under SQLite's own locks,
so the copy is one committed state even while the site writes. PostgreSQL: a
REPEATABLE READ transaction exports its snapshot, pg_dump dumps that very
snapshot, and the same transaction lists the attachments and counts the rows,
so the manifest describes exactly what the dump holds.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing  # sqlite3's own context manager does not close
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool

from cnig_share.backup import BackupError
from cnig_share.models import Attachment

DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
BACKEND_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@dataclass(frozen=True)
class StoredFile:
    """An attachment as the snapshot records it."""

    attachment_id: int
    resource_id: int | None
    consultation_id: int | None
    stored_name: str
    size: int
    sha256: str

    @property
    def described(self) -> str:
        """How a message names it: a resource's file or a consultation's document."""
        if self.consultation_id is not None:
            return (
                f"pièce jointe n° {self.attachment_id} de la consultation n° {self.consultation_id}"
            )
        return f"pièce jointe n° {self.attachment_id} de la ressource n° {self.resource_id}"


@dataclass(frozen=True)
class Contents:
    """What a snapshot holds: schema revision, rows per table, attachments."""

    revision: str | None
    tables: dict[str, int]
    files: list[StoredFile]


def backend(engine: Engine) -> str:
    """ "sqlite" or "postgresql"; any other database is refused."""
    name = engine.dialect.name
    if name not in DUMP_NAMES:
        raise BackupError(f"Base « {name} » non prise en charge : SQLite ou PostgreSQL seulement.")
    if name == "sqlite" and not engine.url.database:
        raise BackupError("Une base SQLite en mémoire ne se sauvegarde ni ne se restaure.")
    return name


def take(engine: Engine, dump: Path) -> Contents:
    """Write a consistent snapshot of the database to `dump`; describe what it holds."""
    if backend(engine) == "postgresql":
        return _pg_dump(engine, dump)
    _sqlite_copy(Path(engine.url.database), dump)
    copy = sa.create_engine(sa.URL.create("sqlite", database=str(dump)), poolclass=NullPool)
    try:
        with copy.connect() as connection:
            return describe(connection)
    finally:
        copy.dispose()


def describe(connection: Connection) -> Contents:
    """Revision, row counts and attachments, read in the connection's transaction."""
    tables = count_rows(connection)
    if "attachment" not in tables:
        raise BackupError(
            "La base ne contient pas le schéma de CNIG Partage : rien à sauvegarder "
            "(lancez d'abord cnig-share init-db)."
        )
    revision = None
    if "alembic_version" in tables:
        revision = connection.scalar(sa.text("SELECT version_num FROM alembic_version"))
    # An archive of a schema before consultations (0024) has no consultation_id.
    attachment_columns = {
        column["name"] for column in sa.inspect(connection).get_columns("attachment")
    }
    consultation_id = (
        Attachment.consultation_id
        if "consultation_id" in attachment_columns
        else sa.null().label("consultation_id")
    )
    columns = (Attachment.id, Attachment.resource_id, consultation_id, Attachment.stored_name)
    rows = connection.execute(
        sa.select(*columns, Attachment.size, Attachment.sha256).order_by(Attachment.id)
    )
    return Contents(revision, tables, [StoredFile(*row) for row in rows])


def count_rows(connection: Connection) -> dict[str, int]:
    """Rows in each table of the database (SQLite's own tables aside)."""
    names = sorted(sa.inspect(connection).get_table_names())
    count = sa.select(sa.func.count())
    return {name: connection.scalar(count.select_from(sa.table(name))) for name in names}


def existing_tables(engine: Engine) -> list[str]:
    """The target's tables; a SQLite file that does not exist yet has none
    (and is not created by asking)."""
    if backend(engine) == "sqlite" and not Path(engine.url.database).exists():
        return []
    with engine.connect() as connection:
        return sorted(sa.inspect(connection).get_table_names())


def check_dump(backend_name: str, dump: Path) -> None:
    """Make sure the dump can be read back, before anything is written."""
    if backend_name == "postgresql":
        _run_pg_tool("pg_restore", ["--list", str(dump)])
        return
    try:
        with closing(sqlite3.connect(_readonly(dump), uri=True)) as connection:
            verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        verdict = str(error)
    if verdict != "ok":
        raise BackupError(f"La base SQLite de l'archive est endommagée : {verdict}.")


def put_back(engine: Engine, dump: Path) -> None:
    """Load the dump into the (empty) target database."""
    if backend(engine) == "postgresql":
        options = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
        _run_pg_tool("pg_restore", [*options, str(dump)], engine.url)
        return
    engine.dispose()  # no pooled connection keeps the empty file's old state
    _sqlite_copy(dump, Path(engine.url.database))


@contextlib.contextmanager
def undone_on_error(engine: Engine) -> Iterator[None]:
    """Whatever put_back wrote is taken away again if the block fails: a new
    SQLite file is deleted, otherwise every table is dropped (the target was
    empty, as restore checked)."""
    sqlite_file = Path(engine.url.database) if backend(engine) == "sqlite" else None
    existed = sqlite_file is not None and sqlite_file.exists()
    try:
        yield
    except BaseException:
        engine.dispose()
        if sqlite_file is not None and not existed:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
        else:
            _drop_tables(engine)
        raise


def _drop_tables(engine: Engine) -> None:
    postgresql = backend(engine) == "postgresql"
    with engine.begin() as connection:
        if not postgresql:
            connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
        quote = connection.dialect.identifier_preparer.quote
        for name in sa.inspect(connection).get_table_names():
            cascade = " CASCADE" if postgresql else ""
            connection.exec_driver_sql(f"DROP TABLE IF EXISTS {quote(name)}{cascade}")
    engine.dispose()


# --- SQLite -----------------------------------------------------------------------------


def _readonly(path: Path) -> str:
    return f"{path.resolve().as_uri()}?mode=ro"


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy a live database with the online backup API (one step: one state)."""
    try:
        with (
            closing(sqlite3.connect(_readonly(source), uri=True)) as reader,
            closing(sqlite3.connect(target)) as writer,
        ):
            reader.backup(writer)
    except sqlite3.Error as error:
        raise BackupError(
            f"Base de données inaccessible ou illisible : copie de {source} impossible ({error})."
        ) from error


# --- PostgreSQL -------------------------------------------------------------------------


def _pg_dump(engine: Engine, dump: Path) -> Contents:
    with engine.connect() as connection:
        connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            snapshot_id = connection.scalar(sa.text("SELECT pg_export_snapshot()"))
            contents = describe(connection)
            # The transaction stays open while pg_dump reads its snapshot.
            options = ["--format=custom", "--no-owner", "--no-privileges"]
            _run_pg_tool(
                "pg_dump", [*options, f"--snapshot={snapshot_id}", f"--file={dump}"], engine.url
            )
    return contents


def _run_pg_tool(program: str, arguments: list[str], url: sa.URL | None = None) -> None:
    """Run pg_dump or pg_restore; the password travels in the environment,
    never on a command line that `ps` shows."""
    env = None
    if url is not None:
        libpq = url.set(drivername="postgresql", password=None)
        arguments = [*arguments, f"--dbname={libpq.render_as_string(hide_password=False)}"]
        if url.password:
            env = {**os.environ, "PGPASSWORD": str(url.password)}
    try:
        result = subprocess.run([program, *arguments], env=env, capture_output=True, text=True)
    except FileNotFoundError as error:
        raise BackupError(
            f"{program} est introuvable : installez le client PostgreSQL "
            "de la même version majeure que le serveur."
        ) from error
    if result.returncode != 0:
        raise BackupError(f"{program} a échoué : {result.stderr.strip()}")
