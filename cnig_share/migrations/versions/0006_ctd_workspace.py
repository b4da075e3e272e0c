"""ctd workspace

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 18:01:49.550416

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "national_actor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=30), nullable=False),
        sa.Column("website", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "type IN ('etat', 'operateur-national', 'collectivite', 'association', "
            "'entreprise', 'recherche', 'autre')",
            name=op.f("ck_national_actor_type"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_national_actor")),
        sa.UniqueConstraint("slug", name=op.f("uq_national_actor_slug")),
    )
    op.create_table(
        "cost_year",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ctd_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("staff_fte", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.Column("day_rate_eur", sa.Integer(), nullable=False),
        sa.Column("days_per_fte", sa.Integer(), nullable=False),
        sa.Column("tools_eur", sa.Integer(), nullable=False),
        sa.Column("events_eur", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "staff_fte >= 0 AND day_rate_eur >= 0 AND days_per_fte > 0 "
            "AND tools_eur >= 0 AND events_eur >= 0",
            name=op.f("ck_cost_year_positive"),
        ),
        sa.ForeignKeyConstraint(
            ["ctd_id"], ["ctd.id"], name=op.f("fk_cost_year_ctd_id_ctd"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cost_year")),
        sa.UniqueConstraint("ctd_id", "year", name="uq_cost_year_ctd_year"),
    )
    with op.batch_alter_table("cost_year", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cost_year_ctd_id"), ["ctd_id"], unique=False)

    op.create_table(
        "ctd_governance",
        sa.Column("ctd_id", sa.Integer(), nullable=False),
        sa.Column("region_chair", sa.String(length=300), nullable=False),
        sa.Column("state_chair", sa.String(length=300), nullable=False),
        sa.Column("organisations", sa.Text(), nullable=False),
        sa.Column("groups", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["ctd_id"], ["ctd.id"], name=op.f("fk_ctd_governance_ctd_id_ctd"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("ctd_id", name=op.f("pk_ctd_governance")),
    )
    op.create_table(
        "project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ctd_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("partners", sa.Text(), nullable=False),
        sa.Column("avoided_cost_eur", sa.Integer(), nullable=True),
        sa.Column("avoided_cost_year", sa.Integer(), nullable=True),
        sa.Column("avoided_cost_method", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('idee', 'en-preparation', 'en-cours', 'termine', 'abandonne')",
            name=op.f("ck_project_status"),
        ),
        sa.CheckConstraint(
            "avoided_cost_eur IS NULL OR avoided_cost_eur >= 0", name=op.f("ck_project_avoided")
        ),
        sa.ForeignKeyConstraint(
            ["ctd_id"], ["ctd.id"], name=op.f("fk_project_ctd_id_ctd"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project")),
    )
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_project_ctd_id"), ["ctd_id"], unique=False)

    op.create_table(
        "roadmap_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ctd_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["user_account.id"],
            name=op.f("fk_roadmap_version_author_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["ctd_id"], ["ctd.id"], name=op.f("fk_roadmap_version_ctd_id_ctd"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roadmap_version")),
    )
    with op.batch_alter_table("roadmap_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_roadmap_version_ctd_id"), ["ctd_id"], unique=False)

    op.create_table(
        "project_actor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.CheckConstraint(
            "role IN ('commanditaire', 'operateur', 'financeur', 'contributeur')",
            name=op.f("ck_project_actor_role"),
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["national_actor.id"],
            name=op.f("fk_project_actor_actor_id_national_actor"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_project_actor_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_actor")),
        sa.UniqueConstraint("project_id", "actor_id", "role", name="uq_project_actor_role"),
    )
    with op.batch_alter_table("project_actor", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_project_actor_actor_id"), ["actor_id"], unique=False)

    op.create_table(
        "project_resource",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_project_resource_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resource.id"],
            name=op.f("fk_project_resource_resource_id_resource"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("project_id", "resource_id", name=op.f("pk_project_resource")),
    )
    with op.batch_alter_table("project_resource", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_project_resource_resource_id"), ["resource_id"], unique=False
        )

    op.create_table(
        "project_shared_ctd",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("ctd_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ctd_id"],
            ["ctd.id"],
            name=op.f("fk_project_shared_ctd_ctd_id_ctd"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_project_shared_ctd_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("project_id", "ctd_id", name=op.f("pk_project_shared_ctd")),
    )
    with op.batch_alter_table("project_shared_ctd", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_project_shared_ctd_ctd_id"), ["ctd_id"], unique=False)

    op.create_table(
        "project_term",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("term_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_project_term_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["term_id"],
            ["glossary_term.id"],
            name=op.f("fk_project_term_term_id_glossary_term"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("project_id", "term_id", name=op.f("pk_project_term")),
    )
    with op.batch_alter_table("project_term", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_project_term_term_id"), ["term_id"], unique=False)


def downgrade():
    with op.batch_alter_table("project_term", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_term_term_id"))

    op.drop_table("project_term")
    with op.batch_alter_table("project_shared_ctd", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_shared_ctd_ctd_id"))

    op.drop_table("project_shared_ctd")
    with op.batch_alter_table("project_resource", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_resource_resource_id"))

    op.drop_table("project_resource")
    with op.batch_alter_table("project_actor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_actor_actor_id"))

    op.drop_table("project_actor")
    with op.batch_alter_table("roadmap_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_roadmap_version_ctd_id"))

    op.drop_table("roadmap_version")
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_ctd_id"))

    op.drop_table("project")
    op.drop_table("ctd_governance")
    with op.batch_alter_table("cost_year", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cost_year_ctd_id"))

    op.drop_table("cost_year")
    op.drop_table("national_actor")
