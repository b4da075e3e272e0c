"""search outbox rows name a document key, not only a resource

Projects and national actors are indexed too: a row names the index entry
to rewrite ("12", "projet-3", "acteur-5"). Pending rows are carried over.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28 21:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# The recreated SQLite table keeps AUTOINCREMENT (see 0008).
KEEP = {"table_kwargs": {"sqlite_autoincrement": True}}


def upgrade():
    with op.batch_alter_table("search_outbox", **KEEP) as batch_op:
        batch_op.add_column(sa.Column("document", sa.String(length=40), nullable=True))
    op.execute("UPDATE search_outbox SET document = CAST(resource_id AS VARCHAR(40))")
    with op.batch_alter_table("search_outbox", **KEEP) as batch_op:
        batch_op.alter_column("document", existing_type=sa.String(length=40), nullable=False)
        batch_op.drop_index(batch_op.f("ix_search_outbox_resource_id"))
        batch_op.drop_column("resource_id")
        batch_op.create_index(batch_op.f("ix_search_outbox_document"), ["document"], unique=False)


def downgrade():
    # Rows for projects and actors have no resource id: a downgraded index
    # is rebuilt from the database (`cnig-share search reindex`) anyway.
    op.execute(
        "DELETE FROM search_outbox WHERE document LIKE 'projet-%' OR document LIKE 'acteur-%'"
    )
    with op.batch_alter_table("search_outbox", **KEEP) as batch_op:
        batch_op.add_column(sa.Column("resource_id", sa.Integer(), nullable=True))
    op.execute("UPDATE search_outbox SET resource_id = CAST(document AS INTEGER)")
    with op.batch_alter_table("search_outbox", **KEEP) as batch_op:
        batch_op.alter_column("resource_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_index(batch_op.f("ix_search_outbox_document"))
        batch_op.drop_column("document")
        batch_op.create_index(
            batch_op.f("ix_search_outbox_resource_id"), ["resource_id"], unique=False
        )
