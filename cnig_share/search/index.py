"""The index on disk: opening, one searcher per thread, writers that wait,
and the rebuild lock that every process can see."""

from __future__ import annotations

import contextlib
import fcntl
import gc
import logging
import os
import random
import shutil
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import whoosh.util
from whoosh.filedb.filestore import FileStorage, OverlayStorage
from whoosh.index import Index, LockError
from whoosh.searching import Searcher

from cnig_share.search.codec import NarrowBlocksCodec
from cnig_share.search.schema import build_schema

logger = logging.getLogger(__name__)


@contextlib.contextmanager
def _unclosed_files_ignored() -> Iterator[None]:
    """Whoosh leaves the file of a TOC it failed to read open; it is released
    with the error, quietly here rather than as a warning at some later moment."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        yield


def _close_overlay(storage: OverlayStorage) -> None:
    """A segment reader reads a compound segment through an OverlayStorage, whose
    close() does nothing in whoosh-reloaded 2.7.5: without mmap (see _storage) the
    compound file stays open until the garbage collector finds it, one descriptor
    per reader closed. Closing the overlay closes that file."""
    compound = storage.a
    if not getattr(compound, "is_closed", True):
        compound.close()


OverlayStorage.close = _close_overlay

# Whoosh names segments and temporary files from the global `random` state, which
# whoever seeds it replays (Hypothesis does, before each example): a name then comes
# back, the new segment's files collide with an old one's and the commit fails. The
# names come from the system's randomness instead, which nothing replays.
whoosh.util.random = random.SystemRandom()

# Tries at opening the index before a missing file is taken for damage.
READ_ATTEMPTS = 5


class IndexUnavailable(RuntimeError):
    """The index is missing, damaged or being rebuilt: search runs degraded."""


class SearchIndex:
    """One per app and process. Safe to share between threads."""

    def __init__(self, path: str, write_timeout: float) -> None:
        self.path = Path(path)
        self.write_timeout = write_timeout
        self._index: Index | None = None
        self._generation_lock = threading.Lock()
        self._local = threading.local()
        self._open_searchers: set[Searcher] = set()
        self._leftovers_checked = False

    # --- opening ---------------------------------------------------------------------

    def _storage(self, path: Path | None = None) -> FileStorage:
        # Without mmap each process reads what it needs instead of mapping
        # the whole index: measured 38 MB instead of 1 GB per worker at 100k.
        return FileStorage(str(path or self.path), supports_mmap=False)

    def exists(self) -> bool:
        """Whether an index was written here (readable or not: open() tells)."""
        return any(self.path.glob("_MAIN_*.toc"))

    def open(self) -> Index:
        """The index; IndexUnavailable when missing, damaged or being rebuilt."""
        if not self._leftovers_checked:
            self._leftovers_checked = True
            self.remove_leftovers()
        with self._generation_lock:
            if self._index is not None:
                return self._index
            if self.rebuilding():
                raise IndexUnavailable("rebuilding")
            if not self.exists():
                raise IndexUnavailable("missing")
            index, damage = self._read()
            if damage is not None:
                logger.warning("Search index unreadable at %s: %s", self.path, damage)
                raise IndexUnavailable("damaged")
            self._index = index
            return index

    def _read(self) -> tuple[Index | None, str | None]:
        """Open and probe the index: (index, None), or (None, what is wrong)."""
        with _unclosed_files_ignored():
            for attempt in range(READ_ATTEMPTS):
                try:
                    index = self._storage().open_index()
                    with index.searcher() as searcher:
                        searcher.doc_count()
                    if set(index.schema.names()) != set(build_schema().names()):
                        return None, "written with an older schema"
                    return index, None
                except FileNotFoundError as error:
                    # Most often another process's commit removed the generation
                    # being opened: read the newer one rather than call it damage.
                    damage = f"{type(error).__name__}: {error}"
                    time.sleep(0.02 * (attempt + 1))
                except Exception as error:  # unreadable TOC, missing segment…
                    damage = f"{type(error).__name__}: {error}"
                    break
            gc.collect()
        return None, damage

    def _open_again(self) -> Index:
        """After the files changed under the index opened earlier: drop it and
        open anew, which probes it (IndexUnavailable when damaged)."""
        with _unclosed_files_ignored():
            gc.collect()
        self.forget()
        return self.open()

    def forget(self) -> None:
        """Drop the cached index object (after a rebuild swapped the folder)."""
        with self._generation_lock:
            self._index = None
        self._local.__dict__.clear()

    # --- reading ---------------------------------------------------------------------

    def searcher(self) -> Searcher:
        """This thread's searcher, reopened only when the index changed.

        A new searcher rather than Searcher.refresh(), which keeps readers of
        merged segments in whoosh-reloaded 2.7.5 (SEARCH-NOTES.md).
        """
        searcher: Searcher | None = getattr(self._local, "searcher", None)
        try:
            if searcher is not None and searcher.up_to_date():
                return searcher
        except Exception:  # the folder was swapped or damaged under us
            self.forget()
            searcher = None
        fresh = None
        with _unclosed_files_ignored():
            try:
                fresh = self.open().searcher()
            except IndexUnavailable:
                raise
            except Exception:  # deleted or damaged under the index opened earlier
                pass
        if fresh is None:
            fresh = self._open_again().searcher()
        self._local.searcher = fresh
        with self._generation_lock:
            self._open_searchers.add(fresh)
            if searcher is not None:
                self._open_searchers.discard(searcher)
        if searcher is not None:
            with contextlib.suppress(Exception):
                searcher.close()
        return fresh

    def close(self) -> None:
        """Close every searcher this process opened (at shutdown, in tests)."""
        with self._generation_lock:
            searchers, self._open_searchers = self._open_searchers, set()
        for searcher in searchers:
            with contextlib.suppress(Exception):
                searcher.close()
        self.forget()

    # --- writing ---------------------------------------------------------------------

    def writer(self, timeout: float | None = None):
        """A writer that waits for another process's lock, then gives up with LockError."""
        wait = self.write_timeout if timeout is None else timeout
        with _unclosed_files_ignored():
            try:
                return self.open().writer(timeout=wait, delay=0.05, codec=NarrowBlocksCodec())
            except (IndexUnavailable, LockError):
                raise
            except Exception:  # deleted or damaged since it was opened
                pass
        return self._open_again().writer(timeout=wait, delay=0.05, codec=NarrowBlocksCodec())

    # --- rebuilding ------------------------------------------------------------------

    @property
    def _lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".rebuild.lock")

    def rebuilding(self) -> bool:
        """True while any process holds the rebuild lock."""
        if not self._lock_path.exists():
            return False
        with open(self._lock_path, "a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(handle, fcntl.LOCK_UN)
            return False

    @contextlib.contextmanager
    def rebuild_lock(self, wait: bool) -> Iterator[bool]:
        """Hold the rebuild lock (yields False when busy and not waiting).
        The kernel releases it if the process dies, so it never goes stale."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self._lock_path, "a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def remove_leftovers(self) -> list[Path]:
        """Remove the staging and retired folders (`index.new-<pid>`,
        `index.old-<pid>`) that a rebuild stopped midway left behind; only
        when no rebuild runs, so that nobody's staging is taken from under it."""
        with self.rebuild_lock(wait=False) as acquired:
            return self._remove_leftovers_locked() if acquired else []

    def _remove_leftovers_locked(self) -> list[Path]:
        # Under the rebuild lock every such folder belongs to a process that stopped.
        if not self.path.parent.is_dir():
            return []
        removed = []
        for pattern in (f"{self.path.name}.new-*", f"{self.path.name}.old-*"):
            for folder in self.path.parent.glob(pattern):
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
                logger.info("Search index: removed %s, left by a stopped rebuild", folder)
        return removed

    def new_index(self) -> tuple[Index, Path]:
        """An empty index beside the live one, to be filled then swapped in
        (called under the rebuild lock: it first clears what stopped rebuilds left)."""
        self._remove_leftovers_locked()
        staging = self.path.with_name(f"{self.path.name}.new-{os.getpid()}")
        staging.mkdir(parents=True)
        return self._storage(staging).create_index(build_schema()), staging

    def swap_in(self, staging: Path) -> None:
        """Replace the live index with the staged one (two renames)."""
        retired = self.path.with_name(f"{self.path.name}.old-{os.getpid()}")
        shutil.rmtree(retired, ignore_errors=True)
        if self.path.exists():
            os.rename(self.path, retired)
        os.rename(staging, self.path)
        shutil.rmtree(retired, ignore_errors=True)
        self.forget()
