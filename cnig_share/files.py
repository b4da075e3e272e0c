"""Files that follow the database: written files vanish if the transaction
rolls back, deleted files go only once the deletion is committed."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

_WRITTEN = "files_written"
_TO_DELETE = "files_to_delete"


def write_file(session: Session, path: Path, data: bytes) -> None:
    """Write atomically; the file is removed again if the session rolls back."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    session.info.setdefault(_WRITTEN, []).append(path)


def delete_file_after_commit(session: Session, path: Path) -> None:
    session.info.setdefault(_TO_DELETE, []).append(path)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    session.info.pop(_WRITTEN, None)
    for path in session.info.pop(_TO_DELETE, []):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_TO_DELETE, None)
    for path in session.info.pop(_WRITTEN, []):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
