"""discussions: threads under resources, projects and roadmaps, their messages and
the messages' earlier versions; reports to the curators (one open per person and object)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05 05:25:59.041258

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=False),
        sa.Column("target_type", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("handled_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "reason IN ('inapproprie', 'errone', 'obsolete', 'doublon', 'autre')",
            name=op.f("ck_report_reason"),
        ),
        sa.CheckConstraint("status IN ('open', 'closed', 'hidden')", name=op.f("ck_report_status")),
        sa.CheckConstraint(
            "target_type IN ('resource', 'project', 'message')", name=op.f("ck_report_target_type")
        ),
        sa.ForeignKeyConstraint(
            ["handled_by_id"],
            ["user_account.id"],
            name=op.f("fk_report_handled_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["reporter_id"],
            ["user_account.id"],
            name=op.f("fk_report_reporter_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report")),
    )
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_reporter_id"), ["reporter_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_report_status"), ["status"], unique=False)
        batch_op.create_index("ix_report_target", ["target_type", "target_id"], unique=False)
        batch_op.create_index(
            "uq_report_open",
            ["reporter_id", "target_type", "target_id"],
            unique=True,
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )

    op.create_table(
        "discussion_thread",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_type", sa.String(length=16), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=True),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("ctd_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_message_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(subject_type = 'resource' AND resource_id IS NOT NULL AND project_id IS NULL)"
            " OR (subject_type = 'project' AND project_id IS NOT NULL AND resource_id IS NULL)"
            " OR (subject_type = 'roadmap' AND resource_id IS NULL AND project_id IS NULL)",
            name=op.f("ck_discussion_thread_subject"),
        ),
        sa.CheckConstraint(
            "subject_type IN ('resource', 'project', 'roadmap')",
            name=op.f("ck_discussion_thread_subject_type"),
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["user_account.id"],
            name=op.f("fk_discussion_thread_author_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["ctd_id"], ["ctd.id"], name=op.f("fk_discussion_thread_ctd_id_ctd"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_discussion_thread_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by_id"],
            ["user_account.id"],
            name=op.f("fk_discussion_thread_resolved_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resource.id"],
            name=op.f("fk_discussion_thread_resource_id_resource"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discussion_thread")),
    )
    with op.batch_alter_table("discussion_thread", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_discussion_thread_ctd_id"), ["ctd_id"], unique=False)
        batch_op.create_index(
            "ix_discussion_thread_last_message_at", ["last_message_at", "id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_discussion_thread_project_id"), ["project_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_discussion_thread_resource_id"), ["resource_id"], unique=False
        )

    op.create_table(
        "discussion_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), server_default="", nullable=False),
        sa.Column("body_text", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hidden_reason", sa.String(length=300), nullable=False),
        sa.Column("hidden_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["user_account.id"],
            name=op.f("fk_discussion_message_author_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["hidden_by_id"],
            ["user_account.id"],
            name=op.f("fk_discussion_message_hidden_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["discussion_thread.id"],
            name=op.f("fk_discussion_message_thread_id_discussion_thread"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discussion_message")),
    )
    with op.batch_alter_table("discussion_message", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_discussion_message_author_id"), ["author_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_discussion_message_thread_id"), ["thread_id"], unique=False
        )

    op.create_table(
        "discussion_message_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), server_default="", nullable=False),
        sa.Column("body_text", sa.Text(), server_default="", nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["discussion_message.id"],
            name=op.f("fk_discussion_message_version_message_id_discussion_message"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discussion_message_version")),
    )
    with op.batch_alter_table("discussion_message_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_discussion_message_version_message_id"), ["message_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("discussion_message_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_discussion_message_version_message_id"))

    op.drop_table("discussion_message_version")
    with op.batch_alter_table("discussion_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_discussion_message_thread_id"))
        batch_op.drop_index(batch_op.f("ix_discussion_message_author_id"))

    op.drop_table("discussion_message")
    with op.batch_alter_table("discussion_thread", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_discussion_thread_resource_id"))
        batch_op.drop_index(batch_op.f("ix_discussion_thread_project_id"))
        batch_op.drop_index("ix_discussion_thread_last_message_at")
        batch_op.drop_index(batch_op.f("ix_discussion_thread_ctd_id"))

    op.drop_table("discussion_thread")
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_report_open",
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )
        batch_op.drop_index("ix_report_target")
        batch_op.drop_index(batch_op.f("ix_report_status"))
        batch_op.drop_index(batch_op.f("ix_report_reporter_id"))

    op.drop_table("report")
