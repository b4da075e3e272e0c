"""Acronyms learnt from the published texts, proposed to the curators, and the
version number that tells each process its accepted synonyms changed

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-05 09:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "acronym_proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("acronym", sa.String(length=40), nullable=False),
        sa.Column("expansion", sa.String(length=200), nullable=False),
        sa.Column("acronym_key", sa.String(length=40), nullable=False),
        sa.Column("expansion_key", sa.String(length=200), nullable=False),
        sa.Column("resource_count", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("accepted_as", sa.String(length=10), nullable=True),
        sa.Column("term_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('proposed', 'accepted', 'rejected')",
            name=op.f("ck_acronym_proposal_status"),
        ),
        sa.ForeignKeyConstraint(
            ["term_id"],
            ["glossary_term.id"],
            name=op.f("fk_acronym_proposal_term_id_glossary_term"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user_account.id"],
            name=op.f("fk_acronym_proposal_decided_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_acronym_proposal")),
        sa.UniqueConstraint("acronym_key", "expansion_key", name="uq_acronym_proposal_pair"),
    )
    op.create_index(op.f("ix_acronym_proposal_status"), "acronym_proposal", ["status"])
    op.create_table(
        "synonym_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_synonym_version")),
    )


def downgrade():
    op.drop_table("synonym_version")
    op.drop_index(op.f("ix_acronym_proposal_status"), table_name="acronym_proposal")
    op.drop_table("acronym_proposal")
