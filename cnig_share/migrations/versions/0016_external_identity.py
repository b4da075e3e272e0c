"""accounts sign in with an OpenID Connect identity (ProConnect), kept apart

One row per (issuer, subject): ProConnect's subject is per service, so an
account is found by its link, not by a column of user_account, and an account
could hold one identity per provider.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 02:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "external_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=255), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_external_identity_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_external_identity")),
        sa.UniqueConstraint("issuer", "subject", name="uq_external_identity_subject"),
        sa.UniqueConstraint("user_id", "issuer", name="uq_external_identity_user_issuer"),
    )


def downgrade():
    op.drop_table("external_identity")
