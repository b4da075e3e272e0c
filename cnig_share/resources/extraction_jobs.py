"""The extraction queue: attachments wait "pending", `cnig-share worker` reads them.

The queue is the attachment table itself. A worker claims a row with a
conditional update (FOR UPDATE SKIP LOCKED first on PostgreSQL), so any
number of workers on any number of hosts take each job once; a job claimed
longer ago than a worker could have held it belongs to a dead worker and is
claimed again. The text is read in a child process with CPU, memory and
wall-clock limits, and recorded on the attachment: the flush puts the
resource in the search outbox, which indexes it after the commit.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import and_, func, or_, select, update

from cnig_share.extensions import db
from cnig_share.models import Attachment
from cnig_share.models.base import utcnow
from cnig_share.resources.attachments import NotStoredHere, stored_path
from cnig_share.resources.extraction import PEAK_MEMORY_LINE, ExtractedText, Limits

logger = logging.getLogger(__name__)

POLL_SECONDS = 2.0
# A job claimed this often without a result (its worker died each time) is
# not tried again: one poisonous file never holds the queue.
MAX_ATTEMPTS = 3
MEGABYTE = 1024 * 1024
# A child ended by these was stopped with its worker (a service manager stops
# the whole group): that says nothing of its file, which waits for a worker again.
STOPPED_FROM_OUTSIDE = (-signal.SIGTERM, -signal.SIGINT, -signal.SIGHUP)


@dataclasses.dataclass(frozen=True)
class Job:
    attachment_id: int
    name: str
    media_type: str
    path: Path


@dataclasses.dataclass(frozen=True)
class Outcome:
    job: Job
    result: ExtractedText
    seconds: float
    # The child's own peak resident memory; None when the kernel ended it first.
    peak_bytes: int | None = None


# --- claiming and recording ----------------------------------------------------------------


def _claimable():
    stale = utcnow() - timedelta(seconds=2 * current_app.config["EXTRACTION_TIMEOUT"] + 60)
    running_for_too_long = and_(
        Attachment.extraction == "running", Attachment.extraction_claimed_at < stale
    )
    return or_(Attachment.extraction == "pending", running_for_too_long)


def claim() -> Job | None:
    """Take the oldest waiting job for this worker, or None when there is none."""
    session = db.session
    while True:
        # SKIP LOCKED lets PostgreSQL workers pass each other; SQLite renders
        # no FOR UPDATE and relies on the conditional update below alone.
        candidate = session.scalar(
            select(Attachment.id)
            .where(_claimable())
            .order_by(Attachment.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if candidate is None:
            session.commit()
            return None
        taken = session.execute(
            update(Attachment)
            .where(Attachment.id == candidate, _claimable())
            .values(
                extraction="running",
                extraction_claimed_at=utcnow(),
                extraction_attempts=Attachment.extraction_attempts + 1,
            )
            .execution_options(synchronize_session=False)
        ).rowcount
        session.commit()
        if not taken:
            continue  # another worker was quicker: look again
        attachment = session.get(Attachment, candidate, populate_existing=True)
        if attachment is None:
            continue  # deleted the moment it was claimed
        if attachment.extraction_attempts > MAX_ATTEMPTS:
            _record(attachment, _failed("lecture interrompue à plusieurs reprises"))
            continue
        try:
            path = stored_path(attachment)
        except NotStoredHere:
            _record(attachment, _failed("fichier introuvable"))
            continue
        return Job(attachment.id, attachment.original_name, attachment.media_type, path)


def pending_count() -> int:
    """Attachments whose text no worker has read yet."""
    waiting = Attachment.extraction.in_(("pending", "running"))
    return db.session.scalar(select(func.count(Attachment.id)).where(waiting))


def record(outcome: Outcome) -> None:
    """Keep the text (or the reason there is none) unless the attachment went meanwhile."""
    attachment = db.session.get(Attachment, outcome.job.attachment_id, populate_existing=True)
    if attachment is not None and attachment.extraction == "running":
        _record(attachment, outcome.result)


def _record(attachment: Attachment, result: ExtractedText) -> None:
    if result.status == "pending":  # put back: this try does not count against the file
        attachment.extraction_attempts = max(0, attachment.extraction_attempts - 1)
    attachment.text = result.text
    attachment.pages = result.pages
    attachment.extraction = result.status
    attachment.extraction_reason = result.reason[:300]
    db.session.commit()


def _failed(reason: str) -> ExtractedText:
    return ExtractedText(status="failed", reason=reason)


# --- the isolated process -------------------------------------------------------------------


def extract_isolated(job: Job, config: dict[str, Any]) -> Outcome:
    """Read a job's text in a child process held to the EXTRACTION_* limits."""
    started = time.monotonic()
    result, peak_bytes = _run_child(job, config)
    return Outcome(job, result, time.monotonic() - started, peak_bytes)


def _run_child(job: Job, config: dict[str, Any]) -> tuple[ExtractedText, int | None]:
    if not job.path.is_file():
        return _failed("fichier introuvable"), None
    request = {
        "path": str(job.path),
        "media_type": job.media_type,
        "limits": dataclasses.asdict(Limits.from_config(config)),
        "memory_bytes": config["EXTRACTION_MEMORY_MB"] * MEGABYTE,
        "cpu_seconds": config["EXTRACTION_CPU_SECONDS"],
    }
    timeout = config["EXTRACTION_TIMEOUT"]
    try:
        child = subprocess.run(
            [sys.executable, "-m", "cnig_share.resources.extraction"],
            input=json.dumps(request).encode(),
            capture_output=True,
            timeout=timeout,
            # Its own session: a Ctrl-C meant for the worker does not reach it.
            start_new_session=True,
        )
    except subprocess.TimeoutExpired:  # subprocess.run has killed it
        return _failed(f"lecture interrompue au bout de {timeout} s"), None
    if child.returncode in STOPPED_FROM_OUTSIDE:
        return ExtractedText(status="pending"), None
    if child.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        seconds = config["EXTRACTION_CPU_SECONDS"]
        return _failed(f"lecture trop longue (plus de {seconds} s de calcul)"), None
    peak_bytes = _peak_memory(child.stderr)
    if child.returncode != 0:
        logger.warning("Extraction failed: %s", child.stderr.decode(errors="replace")[-2000:])
        if b"MemoryError" in child.stderr:
            return _failed("lecture trop gourmande en mémoire"), peak_bytes
        return _failed("lecture interrompue (erreur du programme de lecture)"), peak_bytes
    return ExtractedText(**json.loads(child.stdout)), peak_bytes


def _peak_memory(stderr: bytes) -> int | None:
    # Measured by the child on its own program: the kernel's ru_maxrss would
    # count the worker's memory too, since a child starts with its parent's.
    found = re.search(rb"^" + PEAK_MEMORY_LINE.encode() + rb" (\d+)$", stderr, re.MULTILINE)
    return int(found.group(1)) if found else None


# --- the worker loop ------------------------------------------------------------------------


class Stop:
    """Set by a signal: take no new job, finish the ones under way."""

    def __init__(self) -> None:
        self.event = threading.Event()

    def __call__(self, *_signal_args) -> None:
        self.event.set()

    def is_set(self) -> bool:
        return self.event.is_set()


def work(until_empty: bool, report: Callable[[Outcome], None], stop: Stop | None = None) -> int:
    """Run jobs, EXTRACTION_CONCURRENCY at once, until stopped (or the queue is
    empty); returns how many were done."""
    stop = stop or Stop()
    config = dict(current_app.config)
    concurrency = max(1, int(config["EXTRACTION_CONCURRENCY"]))
    running: dict[Future[Outcome], Job] = {}
    done_count = 0
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        while True:
            while not stop.is_set() and len(running) < concurrency and (job := claim()):
                running[pool.submit(extract_isolated, job, config)] = job
            if not running:
                if until_empty or stop.is_set():
                    return done_count
                stop.event.wait(POLL_SECONDS)
                continue
            finished, _ = wait(running, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
            for future in finished:
                del running[future]
                outcome = future.result()
                record(outcome)
                report(outcome)
                done_count += 1
