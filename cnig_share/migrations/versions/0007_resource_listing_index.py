"""resource listing index: the API lists resources by status, newest update first

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 18:50:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("resource", schema=None) as batch_op:
        batch_op.create_index(
            "ix_resource_status_updated_at", ["status", "updated_at", "id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("resource", schema=None) as batch_op:
        batch_op.drop_index("ix_resource_status_updated_at")
