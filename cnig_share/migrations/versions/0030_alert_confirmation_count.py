"""alert confirmations counted per address and day in the database, so that
the daily cap holds across worker processes and restarts without Redis

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-05 21:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "alert_confirmation_count",
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("sent", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("email", "day", name=op.f("pk_alert_confirmation_count")),
    )
    op.create_index(op.f("ix_alert_confirmation_count_day"), "alert_confirmation_count", ["day"])


def downgrade():
    op.drop_index(op.f("ix_alert_confirmation_count_day"), table_name="alert_confirmation_count")
    op.drop_table("alert_confirmation_count")
