"""Consultations followed, discussed, and in search: the events their
followers hear of, threads about a consultation (which has no single CTD), and
the state in which the search index last took one, so the clock alone can
reindex it

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-05 09:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

OLD_TYPES = "subject_type IN ('resource', 'project', 'roadmap')"
OLD_SUBJECT = (
    "(subject_type = 'resource' AND resource_id IS NOT NULL AND project_id IS NULL)"
    " OR (subject_type = 'project' AND project_id IS NOT NULL AND resource_id IS NULL)"
    " OR (subject_type = 'roadmap' AND resource_id IS NULL AND project_id IS NULL)"
)
NEW_TYPES = "subject_type IN ('resource', 'project', 'roadmap', 'consultation')"
NEW_SUBJECT = (
    "(subject_type = 'resource' AND resource_id IS NOT NULL AND project_id IS NULL"
    " AND consultation_id IS NULL AND ctd_id IS NOT NULL)"
    " OR (subject_type = 'project' AND project_id IS NOT NULL AND resource_id IS NULL"
    " AND consultation_id IS NULL AND ctd_id IS NOT NULL)"
    " OR (subject_type = 'roadmap' AND resource_id IS NULL AND project_id IS NULL"
    " AND consultation_id IS NULL AND ctd_id IS NOT NULL)"
    " OR (subject_type = 'consultation' AND consultation_id IS NOT NULL"
    " AND resource_id IS NULL AND project_id IS NULL AND ctd_id IS NULL)"
)


EVENTS = "kind IN ('opening', 'extension', 'closing', 'synthesis')"


def upgrade():
    op.create_table(
        "consultation_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(EVENTS, name=op.f("ck_consultation_event_kind")),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_consultation_event_consultation_id_consultation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_event")),
        sa.UniqueConstraint(
            "consultation_id", "kind", "closes_on", name="uq_consultation_event_once"
        ),
    )
    op.create_index(
        op.f("ix_consultation_event_consultation_id"), "consultation_event", ["consultation_id"]
    )
    op.create_index(op.f("ix_consultation_event_created_at"), "consultation_event", ["created_at"])
    with op.batch_alter_table("consultation") as batch:
        batch.add_column(sa.Column("indexed_state", sa.String(length=16), nullable=True))
    with op.batch_alter_table("discussion_thread") as batch:
        batch.drop_constraint(op.f("ck_discussion_thread_subject"), type_="check")
        batch.drop_constraint(op.f("ck_discussion_thread_subject_type"), type_="check")
        batch.add_column(sa.Column("consultation_id", sa.Integer(), nullable=True))
        batch.alter_column("ctd_id", existing_type=sa.Integer(), nullable=True)
        batch.create_foreign_key(
            op.f("fk_discussion_thread_consultation_id_consultation"),
            "consultation",
            ["consultation_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.create_index(op.f("ix_discussion_thread_consultation_id"), ["consultation_id"])
        batch.create_check_constraint(op.f("ck_discussion_thread_subject_type"), NEW_TYPES)
        batch.create_check_constraint(op.f("ck_discussion_thread_subject"), NEW_SUBJECT)


def downgrade():
    # Threads on consultations have no place in the older schema.
    op.execute("DELETE FROM discussion_thread WHERE subject_type = 'consultation'")
    with op.batch_alter_table("discussion_thread") as batch:
        batch.drop_constraint(op.f("ck_discussion_thread_subject"), type_="check")
        batch.drop_constraint(op.f("ck_discussion_thread_subject_type"), type_="check")
        batch.drop_index(op.f("ix_discussion_thread_consultation_id"))
        batch.drop_constraint(
            op.f("fk_discussion_thread_consultation_id_consultation"), type_="foreignkey"
        )
        batch.drop_column("consultation_id")
        batch.alter_column("ctd_id", existing_type=sa.Integer(), nullable=False)
        batch.create_check_constraint(op.f("ck_discussion_thread_subject_type"), OLD_TYPES)
        batch.create_check_constraint(op.f("ck_discussion_thread_subject"), OLD_SUBJECT)
    with op.batch_alter_table("consultation") as batch:
        batch.drop_column("indexed_state")
    op.drop_index(op.f("ix_consultation_event_created_at"), table_name="consultation_event")
    op.drop_index(op.f("ix_consultation_event_consultation_id"), table_name="consultation_event")
    op.drop_table("consultation_event")
