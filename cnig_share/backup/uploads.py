"""The uploads folder as a backup sees it.

Just before the database snapshot, every upload gets a hard link in a hidden
folder beside the uploads. The site deletes a file only after the deletion of
its row is committed, so a file the snapshot refers to either is still in the
uploads when the backup copies it, or is readable through its link — unless
it was uploaded after the links were made and deleted before its copy, which
service.backup answers by starting again.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from cnig_share.resources.attachments import STORED_NAME


@contextlib.contextmanager
def links_to_every_file(folder: Path) -> Iterator[Path | None]:
    """A hidden folder holding a hard link to each upload, removed on leaving;
    None when the file system cannot link (then only the restart remains)."""
    if not folder.is_dir():
        yield None
        return
    with tempfile.TemporaryDirectory(dir=folder.parent, prefix=".backup-links-") as kept:
        yield Path(kept) if _link_all(folder, Path(kept)) else None


def _link_all(folder: Path, kept: Path) -> bool:
    # <fan>/<stored name>: attachments.stored_path's layout.
    for path in folder.glob("*/*"):
        if not path.is_file():
            continue
        link = kept / path.relative_to(folder)
        link.parent.mkdir(exist_ok=True)
        try:
            os.link(path, link)
        except FileNotFoundError:
            continue  # deleted before the snapshot: its row is not in it either
        except OSError:
            return False
    return True


def open_stored(folder: Path, kept: Path | None, stored_name: str) -> tuple[IO[bytes], bool]:
    """An upload's file, from the uploads or else from its link (then True);
    a stored name that is not one we generate names no file."""
    if not STORED_NAME.fullmatch(stored_name):
        raise FileNotFoundError(stored_name)
    relative = Path(stored_name[:2], stored_name)
    try:
        return (folder / relative).open("rb"), False
    except FileNotFoundError:
        if kept is None:
            raise
        return (kept / relative).open("rb"), True
