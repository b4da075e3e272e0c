"""Backups of a whole instance (database and uploads) and their restoration.

snapshot.py takes and puts back the database, archive.py writes and checks
the archive, service.py orders the steps, commands.py is the CLI.
"""

from __future__ import annotations

from flask import Flask


class BackupError(Exception):
    """A backup or restore refused or failed; the message is French, for the console."""

    def __init__(self, *messages: str) -> None:
        super().__init__("\n".join(messages))
        self.messages = list(messages)


def init_app(app: Flask) -> None:
    """Register backup and restore."""
    from cnig_share.backup import commands

    app.cli.add_command(commands.backup_command)
    app.cli.add_command(commands.restore_command)
