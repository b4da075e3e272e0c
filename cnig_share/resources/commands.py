"""cnig-share import FILE | export FILE: resources as JSON Lines (SPEC §4)."""

from __future__ import annotations

import contextlib
import json
import re
import signal
import sys
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from cnig_share import markdown
from cnig_share.extensions import db
from cnig_share.models import Resource
from cnig_share.resources import exchange, extraction_jobs
from cnig_share.resources.attachments import UploadRejected
from cnig_share.resources.fields import BODY
from cnig_share.search import sync

BULK = 200  # from this many lines, render in other processes and index all at once
CHUNK = 500  # lines whose Markdown is rendered ahead at a time


def _fail(messages: list[str]) -> None:
    for message in messages:
        click.echo(message, err=True)
    click.echo(f"Import refusé : {len(messages)} erreur(s), rien n'a été importé.", err=True)
    sys.exit(1)


def _field(name: str) -> str:
    """A field as the file names it; quoted when odd (blank, spaces, a line break)."""
    if not name:
        return "ligne"
    return name if re.fullmatch(r"[\w-]+", name) else json.dumps(name)


def _one_line(text: str) -> str:
    """Text quoted from the file, kept to one line of output: line breaks and
    other invisible characters escaped, so that each error stays one line."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def _renderer(lines: int):
    """A bulk import renders its Markdown in other processes (markdown.render_pool);
    a small one, in this one."""
    if lines < BULK:
        return contextlib.nullcontext(None)
    return markdown.render_pool(current_app.config["SEARCH_REINDEX_PROCS"])


def _bodies(chunk: list) -> list[str]:
    """The Markdown of a chunk's lines, those within the length limit only: a longer
    one is refused for its length, never rendered."""
    return [
        data["body"]
        for _, data, problem in chunk
        if problem is None
        and isinstance(data, dict)
        and isinstance(data.get("body"), str)
        and len(data["body"]) <= BODY.max_length
    ]


@click.command("import")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Vérifier le fichier sans rien enregistrer.")
def import_command(file: Path, dry_run: bool) -> None:
    """Import resources from JSON Lines: all of them, or none."""
    started = time.perf_counter()
    try:
        content = file.read_bytes()
    except OSError as error:
        _fail([f"{file} : lecture impossible ({error})"])
    vocabulary = exchange.Vocabulary()
    lines = list(exchange.read_lines(content))
    chunks = [lines[start : start + CHUNK] for start in range(0, len(lines), CHUNK)]
    session = db.session()
    created: list[tuple[int, exchange.Record, Resource | None]] = []
    errors: list[str] = []
    with _renderer(len(lines)) as send, sync.deferred(session):
        try:
            pending = send(_bodies(chunks[0])) if send and chunks else None
            for n, chunk in enumerate(chunks):
                ahead = pending() if pending else {}
                # The next chunk's texts render in other processes meanwhile.
                pending = send(_bodies(chunks[n + 1])) if send and n + 1 < len(chunks) else None
                with markdown.rendered_ahead(ahead):
                    for number, data, problem in chunk:
                        if problem is not None:
                            errors.append(f"line {number}: {problem}")
                            continue
                        record, found = exchange.check(data, vocabulary, base=file.parent)
                        errors += [
                            f"line {number}: {_field(e.field)}: {_one_line(e.message)}"
                            for e in found
                        ]
                        if record is None:
                            continue
                        # Made at once, its texts rendered for the check: each text is
                        # rendered once. Any error later on and all of it is rolled back.
                        resource = None if errors or dry_run else exchange.create(record)
                        created.append((number, record, resource))
            if errors:
                db.session.rollback()
                _fail(errors)
            if dry_run:
                click.echo(f"Fichier valide : {len(created)} ressource(s) à importer.")
                return
            # Files last: nothing is stored for a file refused further down.
            for number, record, resource in created:
                try:
                    exchange.attach(resource, record)
                except UploadRejected as rejected:
                    db.session.rollback()
                    _fail([f"line {number}: attachments: {rejected.message}"])
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
    stored = time.perf_counter() - started
    if len(created) >= BULK:
        sync.rebuild(procs=current_app.config["SEARCH_REINDEX_PROCS"])
    else:
        sync.apply_outbox()
    click.echo(
        f"{len(created)} ressource(s) importée(s) en {time.perf_counter() - started:.1f} s"
        f" (dont indexation {time.perf_counter() - started - stored:.1f} s)."
    )
    waiting = extraction_jobs.pending_count()
    if waiting:
        click.echo(
            f"{waiting} pièce(s) jointe(s) en attente d'extraction du texte : "
            "cnig-share worker s'en charge."
        )


@click.command("export")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "format_", type=click.Choice(["jsonl", "csv"]), default="jsonl")
def export_command(file: Path, format_: str) -> None:
    """Export every resource (JSON Lines with attachments beside, or CSV)."""
    if format_ == "csv":
        count = exchange.export_csv(file)
        click.echo(f"{count} ressource(s) exportée(s) dans {file}.")
        return
    count = exchange.export_jsonl(file)
    click.echo(
        f"{count} ressource(s) exportée(s) dans {file} (pièces jointes : {file}.attachments/)."
    )


def _describe(outcome: extraction_jobs.Outcome) -> str:
    job, result = outcome.job, outcome.result
    if result.status == "done":
        pages = f", {len(result.pages)} page(s)" if result.pages else ""
        what = f"texte extrait ({len(result.text)} caractères{pages})"
    elif result.status == "none":
        what = "pas de texte dans ce format"
    elif result.status == "pending":
        what = "lecture arrêtée avec le worker, remise en attente"
    else:
        what = f"texte non extrait : {result.reason}"
    return f"Pièce jointe n° {job.attachment_id} ({job.name}) : {what}, en {outcome.seconds:.1f} s."


@click.command("worker")
@with_appcontext
@click.option(
    "--until-empty", is_flag=True, help="S'arrêter quand il n'y a plus rien à faire (cron, tests)."
)
def worker_command(until_empty: bool) -> None:
    """Extract the text of attachments as they arrive (several may run, on several hosts)."""
    stop = extraction_jobs.Stop()
    for name in (signal.SIGTERM, signal.SIGINT):
        signal.signal(name, stop)
    concurrency = current_app.config["EXTRACTION_CONCURRENCY"]
    click.echo(f"Extraction du texte des pièces jointes, {concurrency} à la fois.")
    peaks: list[int] = []

    def report(outcome: extraction_jobs.Outcome) -> None:
        click.echo(_describe(outcome))
        if outcome.peak_bytes is not None:
            peaks.append(outcome.peak_bytes)

    count = extraction_jobs.work(until_empty, report, stop)
    peak = f"{max(peaks) // (1024 * 1024)} Mo" if peaks else "non mesurée"
    click.echo(
        f"{count} pièce(s) jointe(s) traitée(s) ; mémoire maximale d'une extraction : {peak}."
    )
