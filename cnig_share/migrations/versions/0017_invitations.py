"""invitations into a CTD or to a site role, and each email sent for one

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 02:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("ctd_id", sa.Integer(), nullable=True),
        sa.Column("ctd_role", sa.String(length=20), nullable=True),
        sa.Column("site_role", sa.String(length=20), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sendings", sa.Integer(), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_by_id", sa.Integer(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "ctd_role IS NULL OR ctd_role IN ('member', 'coordinator')",
            name=op.f("ck_invitation_ctd_role"),
        ),
        sa.CheckConstraint(
            "site_role IN ('member', 'curator', 'admin')", name=op.f("ck_invitation_site_role")
        ),
        sa.ForeignKeyConstraint(
            ["ctd_id"], ["ctd.id"], name=op.f("fk_invitation_ctd_id_ctd"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["invited_by_id"],
            ["user_account.id"],
            name=op.f("fk_invitation_invited_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["accepted_by_id"],
            ["user_account.id"],
            name=op.f("fk_invitation_accepted_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitation")),
    )
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invitation_email"), ["email"], unique=False)
        batch_op.create_index(batch_op.f("ix_invitation_ctd_id"), ["ctd_id"], unique=False)

    op.create_table(
        "invitation_sending",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=False),
        sa.Column("sent_by_id", sa.Integer(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["invitation_id"],
            ["invitation.id"],
            name=op.f("fk_invitation_sending_invitation_id_invitation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sent_by_id"],
            ["user_account.id"],
            name=op.f("fk_invitation_sending_sent_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitation_sending")),
    )
    with op.batch_alter_table("invitation_sending", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_invitation_sending_invitation_id"), ["invitation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_invitation_sending_sent_by_id"), ["sent_by_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_invitation_sending_sent_at"), ["sent_at"], unique=False
        )


def downgrade():
    op.drop_table("invitation_sending")
    op.drop_table("invitation")
