"""join requests: a person asks to join a CTD, its coordinators answer

One pending request per person and CTD is a partial unique index, so two
submissions at once cannot both pass.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 02:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

PENDING_ONLY = sa.text("status = 'pending'")


def upgrade():
    op.create_table(
        "join_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("ctd_id", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("granted_role", sa.String(length=20), nullable=True),
        sa.Column("decline_reason", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'accepted', 'declined')", name=op.f("ck_join_request_status")
        ),
        sa.CheckConstraint(
            "granted_role IN ('member', 'coordinator')", name=op.f("ck_join_request_granted_role")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_join_request_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["ctd_id"], ["ctd.id"], name=op.f("fk_join_request_ctd_id_ctd"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["answered_by_id"],
            ["user_account.id"],
            name=op.f("fk_join_request_answered_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_join_request")),
    )
    op.create_index(op.f("ix_join_request_user_id"), "join_request", ["user_id"])
    op.create_index(op.f("ix_join_request_ctd_id"), "join_request", ["ctd_id"])
    op.create_index(
        "uq_join_request_pending",
        "join_request",
        ["user_id", "ctd_id"],
        unique=True,
        sqlite_where=PENDING_ONLY,
        postgresql_where=PENDING_ONLY,
    )


def downgrade():
    op.drop_index("uq_join_request_pending", table_name="join_request")
    op.drop_index(op.f("ix_join_request_ctd_id"), table_name="join_request")
    op.drop_index(op.f("ix_join_request_user_id"), table_name="join_request")
    op.drop_table("join_request")
