"""A consultation event's instant apart from when it was recorded: a closing, or an
opening that came with its date, is recorded by the next `consultations remind`
but happened at its own instant

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-05 21:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("consultation_event") as batch:
        batch.add_column(sa.Column("happened_at", sa.DateTime(timezone=True), nullable=True))
    # Those recorded before: their instant is the one they were recorded at.
    op.execute("UPDATE consultation_event SET happened_at = created_at")
    with op.batch_alter_table("consultation_event") as batch:
        batch.alter_column("happened_at", nullable=False)
        batch.create_index(op.f("ix_consultation_event_happened_at"), ["happened_at"], unique=False)


def downgrade():
    with op.batch_alter_table("consultation_event") as batch:
        batch.drop_index(op.f("ix_consultation_event_happened_at"))
        batch.drop_column("happened_at")
