"""editable rows carry a version; a roadmap version names the one it replaced

Resources, projects, governance, costs, glossary terms and selections get a
`version` counter (existing rows start at 1): a save is a conditional update,
so a stale form or a concurrent save fails instead of overwriting. A roadmap
version records the version it replaced, once only.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 20:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

VERSIONED = ("resource", "project", "ctd_governance", "cost_year", "glossary_term", "selection")


def upgrade():
    # Plain ADD COLUMN on every backend: batch mode would recreate parent tables
    # (see downgrade). Only roadmap_version, which nothing references, is recreated.
    for table in VERSIONED:
        op.add_column(table, sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    with op.batch_alter_table("roadmap_version") as batch_op:
        batch_op.add_column(sa.Column("replaces_id", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_roadmap_version_replaces_id"), ["replaces_id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_roadmap_version_replaces_id_roadmap_version"),
            "roadmap_version",
            ["replaces_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("roadmap_version") as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_roadmap_version_replaces_id_roadmap_version"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("uq_roadmap_version_replaces_id"), type_="unique")
        batch_op.drop_column("replaces_id")
    # A plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35), never batch mode: batch
    # recreates the table, and dropping `resource` with foreign keys on would
    # cascade-delete its attachments, links, revisions and tags.
    for table in VERSIONED:
        op.drop_column(table, "version")
