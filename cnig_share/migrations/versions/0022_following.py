"""following: follows, notification preferences, grouped notifications, project status history

Existing projects get their creation as the first row of their status history,
so the followers' feed knows them from the start.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-05 05:45:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def _user_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["user_id"],
        ["user_account.id"],
        name=op.f(f"fk_{table}_user_id_user_account"),
        ondelete="CASCADE",
    )


def upgrade():
    op.create_table(
        "follow",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("target_kind", sa.String(length=20), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _user_fk("follow"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow")),
        sa.UniqueConstraint("user_id", "target_kind", "target_id", name="uq_follow_user_target"),
    )
    op.create_index("ix_follow_target", "follow", ["target_kind", "target_id"])
    op.create_table(
        "notification_settings",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("modes", sa.JSON(), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_digest_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "period IN ('daily', 'weekly')", name=op.f("ck_notification_settings_period")
        ),
        _user_fk("notification_settings"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_notification_settings")),
    )
    op.create_table(
        "notification_pending",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=60), nullable=False),
        sa.Column("event_kind", sa.String(length=20), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _user_fk("notification_pending"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_pending")),
    )
    op.create_index(op.f("ix_notification_pending_user_id"), "notification_pending", ["user_id"])
    op.create_table(
        "notification_throttle",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=60), nullable=False),
        sa.Column("last_sent_at", sa.DateTime(timezone=True), nullable=False),
        _user_fk("notification_throttle"),
        sa.PrimaryKeyConstraint("user_id", "subject", name=op.f("pk_notification_throttle")),
    )
    op.create_table(
        "project_status_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("previous", sa.String(length=20), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_project_status_change_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_status_change")),
    )
    op.create_index(
        op.f("ix_project_status_change_project_id"), "project_status_change", ["project_id"]
    )
    op.create_index(
        op.f("ix_project_status_change_created_at"), "project_status_change", ["created_at"]
    )
    op.execute(
        "INSERT INTO project_status_change (project_id, previous, status, created_at) "
        "SELECT id, NULL, status, created_at FROM project"
    )


def downgrade():
    op.drop_index(op.f("ix_project_status_change_created_at"), table_name="project_status_change")
    op.drop_index(op.f("ix_project_status_change_project_id"), table_name="project_status_change")
    op.drop_table("project_status_change")
    op.drop_table("notification_throttle")
    op.drop_index(op.f("ix_notification_pending_user_id"), table_name="notification_pending")
    op.drop_table("notification_pending")
    op.drop_table("notification_settings")
    op.drop_index("ix_follow_target", table_name="follow")
    op.drop_table("follow")
