"""CTD stages: where each CTD stands, the date of its installation, and the
history of changes its feed announces

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-05 06:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

STAGES = "stage IN ('not-engaged', 'preparation', 'constituted')"


def upgrade():
    with op.batch_alter_table("ctd") as batch:
        batch.add_column(
            sa.Column("stage", sa.String(length=20), server_default="not-engaged", nullable=False)
        )
        batch.add_column(sa.Column("installed_on", sa.Date(), nullable=True))
        batch.add_column(
            sa.Column("stage_version", sa.Integer(), server_default="0", nullable=False)
        )
        batch.create_check_constraint(op.f("ck_ctd_stage"), STAGES)
    op.create_table(
        "ctd_stage_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ctd_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("installed_on", sa.Date(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(STAGES, name=op.f("ck_ctd_stage_change_stage")),
        sa.ForeignKeyConstraint(
            ["ctd_id"], ["ctd.id"], name=op.f("fk_ctd_stage_change_ctd_id_ctd"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["user_account.id"],
            name=op.f("fk_ctd_stage_change_author_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ctd_stage_change")),
    )
    op.create_index(op.f("ix_ctd_stage_change_ctd_id"), "ctd_stage_change", ["ctd_id"])


def downgrade():
    op.drop_index(op.f("ix_ctd_stage_change_ctd_id"), table_name="ctd_stage_change")
    op.drop_table("ctd_stage_change")
    with op.batch_alter_table("ctd") as batch:
        batch.drop_constraint(op.f("ck_ctd_stage"), type_="check")
        batch.drop_column("stage_version")
        batch.drop_column("installed_on")
        batch.drop_column("stage")
