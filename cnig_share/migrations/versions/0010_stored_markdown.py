"""Markdown texts keep their rendering: HTML and plain text beside each

Pages, feeds, snippets and the search index read the stored rendering and
never render again (a text of 30,000 "[" took minutes with Python-Markdown).
Existing rows are rendered here under MARKDOWN_RENDER_BUDGET; a text over it
keeps its words, escaped in one paragraph, and is named in the log.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 20:30:00

"""

import logging

import sqlalchemy as sa
from alembic import op

from cnig_share import markdown

# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

# table: its Markdown columns
MARKDOWN_COLUMNS = {
    "resource": ["body"],
    "roadmap_version": ["body"],
    "national_actor": ["description"],
    "project": ["description", "avoided_cost_method"],
    "glossary_term": ["definition"],
    "selection": ["introduction"],
}


def _companions(column: str) -> list[str]:
    return [f"{column}_html", f"{column}_text"]


def _rendered(where: str, text: str) -> markdown.Rendered:
    try:
        return markdown.render(text)
    except markdown.RenderRefused:
        log.warning("%s: over the Markdown render budget, shown unformatted", where)
        return markdown.fallback(text)


def _fill(table: str, column: str) -> None:
    connection = op.get_bind()
    html_column, text_column = _companions(column)
    rows = connection.execute(sa.text(f"SELECT id, {column} FROM {table} ORDER BY id")).all()
    update = sa.text(
        f"UPDATE {table} SET {html_column} = :html, {text_column} = :text WHERE id = :id"
    )
    for row_id, text in rows:
        rendered = _rendered(f"{table} {row_id} {column}", text or "")
        connection.execute(update, {"html": rendered.html, "text": rendered.text, "id": row_id})


def upgrade():
    # Plain ADD COLUMN, no batch: SQLite would recreate each table, and with
    # foreign keys on, dropping the old one deletes its children in cascade.
    for table, columns in MARKDOWN_COLUMNS.items():
        for column in columns:
            for companion in _companions(column):
                op.add_column(
                    table, sa.Column(companion, sa.Text(), nullable=False, server_default="")
                )
            _fill(table, column)


def downgrade():
    # DROP COLUMN in place (SQLite 3.35 and later), for the same reason.
    for table, columns in MARKDOWN_COLUMNS.items():
        for column in columns:
            for companion in _companions(column):
                op.drop_column(table, companion)
