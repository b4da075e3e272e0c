"""Markdown tables already stored go in the DSFR table container

A table's stored HTML is wrapped in the DSFR table container when a text is
saved (cnig_share/markdown.py): the texts saved before are rendered again here,
only those with a table (the others' HTML does not change), under
MARKDOWN_RENDER_BUDGET as migration 0010 did. Going down takes the containers
off again.

Revision ID: 0020
Revises: 0018
Create Date: 2026-12-05 02:30:00

"""

import logging
import re

import sqlalchemy as sa
from alembic import op

from cnig_share import markdown

# revision identifiers, used by Alembic.
revision = "0020"
down_revision = "0018"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

# table: its Markdown columns (as in 0010)
MARKDOWN_COLUMNS = {
    "resource": ["body"],
    "roadmap_version": ["body"],
    "national_actor": ["description"],
    "project": ["description", "avoided_cost_method"],
    "glossary_term": ["definition"],
    "selection": ["introduction"],
}
CONTAINER_OPEN = re.compile(r'<div class="fr-table[^"]*"><div class="fr-table__wrapper">'
                            r'<div class="fr-table__container" tabindex="0">'
                            r'<div class="fr-table__content"><table>')  # fmt: skip


def _rows_with_tables(table: str, column: str) -> list:
    return (
        op.get_bind()
        .execute(
            sa.text(
                f"SELECT id, {column}, {column}_html FROM {table} "
                f"WHERE {column}_html LIKE '%<table>%' ORDER BY id"
            )
        )
        .all()
    )


def _store(table: str, column: str, row_id: int, html: str, text: str | None = None) -> None:
    values = {"html": html, "id": row_id}
    setting = f"{column}_html = :html"
    if text is not None:
        setting += f", {column}_text = :text"
        values["text"] = text
    op.get_bind().execute(sa.text(f"UPDATE {table} SET {setting} WHERE id = :id"), values)


def upgrade():
    for table, columns in MARKDOWN_COLUMNS.items():
        for column in columns:
            for row_id, source, _ in _rows_with_tables(table, column):
                try:
                    rendered = markdown.render(source or "")
                except markdown.RenderRefused:
                    log.warning(
                        "%s %s %s: over the render budget, kept as is", table, row_id, column
                    )
                    continue
                _store(table, column, row_id, rendered.html, rendered.text)


def downgrade():
    for table, columns in MARKDOWN_COLUMNS.items():
        for column in columns:
            for row_id, _, html in _rows_with_tables(table, column):
                unwrapped = CONTAINER_OPEN.sub("<table>", html)
                _store(table, column, row_id, unwrapped.replace(markdown.TABLE_CLOSE, "</table>"))
