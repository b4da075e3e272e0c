"""an account's sessions carry a version, raised to end them all at once

Deactivating an account (/admin/comptes) raises it, so the sessions open
before are not brought back by a reactivation. Existing accounts start at 0,
which keeps the sessions open today.

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-05 01:10:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN: batch mode would recreate user_account, which many tables reference.
    op.add_column(
        "user_account",
        sa.Column("session_version", sa.Integer(), server_default="0", nullable=False),
    )


def downgrade():
    # Plain DROP COLUMN (SQLite >= 3.35), never batch mode: recreating user_account
    # with foreign keys on would cascade-delete memberships and tokens.
    op.drop_column("user_account", "session_version")
