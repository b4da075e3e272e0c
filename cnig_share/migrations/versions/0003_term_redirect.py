"""term redirects: old slugs of renamed and merged glossary terms

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 16:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "term_redirect",
        sa.Column("old_slug", sa.String(length=120), nullable=False),
        sa.Column("term_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["term_id"],
            ["glossary_term.id"],
            name=op.f("fk_term_redirect_term_id_glossary_term"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("old_slug", name=op.f("pk_term_redirect")),
    )
    with op.batch_alter_table("term_redirect", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_term_redirect_term_id"), ["term_id"], unique=False)


def downgrade():
    with op.batch_alter_table("term_redirect", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_term_redirect_term_id"))
    op.drop_table("term_redirect")
