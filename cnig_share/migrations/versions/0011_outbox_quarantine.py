"""search outbox rows count their failures and can be set aside

A row whose document cannot be indexed used to fail its whole batch, again and
again, and every row behind it waited: now each row counts its failures
(`attempts`, `last_error`) and is quarantined after a few (`quarantined_at`),
so that the others go through.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 20:20:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# The recreated SQLite table keeps AUTOINCREMENT (see 0008).
KEEP = {"table_kwargs": {"sqlite_autoincrement": True}}


def upgrade():
    with op.batch_alter_table("search_outbox", **KEEP) as batch_op:
        batch_op.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("last_error", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("quarantined_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_search_outbox_quarantined_at"), ["quarantined_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("search_outbox", **KEEP) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_outbox_quarantined_at"))
        batch_op.drop_column("quarantined_at")
        batch_op.drop_column("last_error")
        batch_op.drop_column("attempts")
