"""attachment text is extracted by a worker: a queue on the attachment rows

Extraction leaves the web request: an attachment is stored "pending", a
worker claims it ("running", with the time it did and a count of attempts)
and records the text, or why there is none.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 10:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

STATES = "('pending', 'running', 'done', 'failed', 'none')"
OLD_STATES = "('pending', 'done', 'failed', 'none')"


def upgrade():
    with op.batch_alter_table("attachment") as batch_op:
        batch_op.add_column(
            sa.Column("extraction_reason", sa.String(length=300), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("extraction_claimed_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("extraction_attempts", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.drop_constraint(batch_op.f("ck_attachment_extraction"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_attachment_extraction"), f"extraction IN {STATES}"
        )
        batch_op.create_index(batch_op.f("ix_attachment_extraction"), ["extraction"], unique=False)
    # The models give the defaults; the server ones only filled the existing rows.
    with op.batch_alter_table("attachment") as batch_op:
        batch_op.alter_column("extraction_reason", server_default=None)
        batch_op.alter_column("extraction_attempts", server_default=None)


def downgrade():
    op.execute("UPDATE attachment SET extraction = 'pending' WHERE extraction = 'running'")
    with op.batch_alter_table("attachment") as batch_op:
        batch_op.drop_index(batch_op.f("ix_attachment_extraction"))
        batch_op.drop_constraint(batch_op.f("ck_attachment_extraction"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_attachment_extraction"), f"extraction IN {OLD_STATES}"
        )
        batch_op.drop_column("extraction_attempts")
        batch_op.drop_column("extraction_claimed_at")
        batch_op.drop_column("extraction_reason")
