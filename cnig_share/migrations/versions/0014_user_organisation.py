"""an account names its organisation (edited on /profil)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 01:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN: batch mode would recreate user_account, which many tables reference.
    op.add_column(
        "user_account",
        sa.Column("organisation", sa.String(length=200), server_default="", nullable=False),
    )


def downgrade():
    # Plain DROP COLUMN (SQLite >= 3.35), never batch mode: recreating user_account
    # with foreign keys on would cascade-delete memberships and tokens.
    op.drop_column("user_account", "organisation")
