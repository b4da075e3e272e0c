"""search outbox ids never reused: AUTOINCREMENT on SQLite

An applier deletes the outbox rows it applied by id. Without AUTOINCREMENT,
SQLite hands the highest deleted id to the next row, so a worker could delete
a newer update it had not applied: a resource then went missing from the index
under concurrent writes. PostgreSQL sequences never reuse ids: nothing to do.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 19:40:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table(
            "search_outbox", recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ):
            pass


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table(
            "search_outbox", recreate="always", table_kwargs={"sqlite_autoincrement": False}
        ):
            pass
