"""Helpers for the tests of one migration, which the chain may move as branches land."""

from __future__ import annotations

from alembic.script import ScriptDirectory

from cnig_share.extensions import MIGRATIONS_DIR


def before(revision: str) -> str:
    """The revision a migration follows: where its test stops to add old rows."""
    down = ScriptDirectory(str(MIGRATIONS_DIR)).get_revision(revision).down_revision
    assert isinstance(down, str)
    return down
