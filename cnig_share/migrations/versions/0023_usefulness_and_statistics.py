"""usefulness marks, views and downloads per resource and day, searched words per day

For "Cette ressource m'a été utile", the audience shown to a resource's CTD
and the public statistics page. None of these tables keeps a query, an
address, a cookie or a browser.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-05 05:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "useful_mark",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_useful_mark_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resource.id"],
            name=op.f("fk_useful_mark_resource_id_resource"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "resource_id", name=op.f("pk_useful_mark")),
    )
    op.create_index(op.f("ix_useful_mark_resource_id"), "useful_mark", ["resource_id"])
    op.create_table(
        "resource_daily_count",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("views", sa.Integer(), nullable=False),
        sa.Column("downloads", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resource.id"],
            name=op.f("fk_resource_daily_count_resource_id_resource"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource_daily_count")),
        sa.UniqueConstraint("resource_id", "day", name="uq_resource_daily_count_day"),
    )
    op.create_index(
        op.f("ix_resource_daily_count_resource_id"), "resource_daily_count", ["resource_id"]
    )
    op.create_index(op.f("ix_resource_daily_count_day"), "resource_daily_count", ["day"])
    op.create_table(
        "searched_word",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("word", sa.String(length=60), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_searched_word")),
        sa.UniqueConstraint("word", "day", name="uq_searched_word_day"),
    )
    op.create_index(op.f("ix_searched_word_day"), "searched_word", ["day"])


def downgrade():
    op.drop_index(op.f("ix_searched_word_day"), table_name="searched_word")
    op.drop_table("searched_word")
    op.drop_index(op.f("ix_resource_daily_count_day"), table_name="resource_daily_count")
    op.drop_index(op.f("ix_resource_daily_count_resource_id"), table_name="resource_daily_count")
    op.drop_table("resource_daily_count")
    op.drop_index(op.f("ix_useful_mark_resource_id"), table_name="useful_mark")
    op.drop_table("useful_mark")
