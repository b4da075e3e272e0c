"""Demo resources: one Markdown file each (content/resources/), checked and
created as `cnig-share import` checks and creates a line, then given the
author, dates, relay and history they would have had."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select

from cnig_share import audit
from cnig_share.dates import add_months
from cnig_share.demo import sample_files
from cnig_share.demo.content import DemoContentError, Folder, Page, iso, moment
from cnig_share.extensions import db
from cnig_share.models import Resource, Revision, User, utcnow
from cnig_share.resources import exchange
from cnig_share.resources.attachments import UploadRejected

# Header keys of the demo's own, beside those of the import format.
DEMO_KEYS = ("attachment", "relay_note", "return_comment")


@dataclass
class Planned:
    """A resource file not yet seeded, checked and ready to create."""

    page: Page
    record: exchange.Record
    relay_note: str
    return_comment: str


def check(folder: Folder, pages: list[Page], files: Path) -> list[Planned]:
    """The resources not yet in the database, checked as import lines; their
    attachments are written into `files` first, as an export would leave them."""
    existing = set(db.session.scalars(select(Resource.title)))
    vocabulary = exchange.Vocabulary()
    planned = []
    for age, page in enumerate(pages):
        header = dict(page.header)
        extras = {key: header.pop(key) for key in DEMO_KEYS if key in header}
        if header.get("title") in existing:
            continue
        line = {**header, "body": page.body, **_dates(header.get("published_at"), age)}
        if "attachment" in extras:
            line["attachments"] = _attachment(folder, page, extras["attachment"], files)
        notes = {key: extras.get(key, "") for key in ("relay_note", "return_comment")}
        for key, note in notes.items():
            if not isinstance(note, str):
                folder.fail(page.name, f"{key}: texte attendu")
        record, errors = exchange.check(line, vocabulary, base=files)
        for error in errors:
            folder.fail(
                page.name, f"{error.field}: {error.message}" if error.field else error.message
            )
        if record is not None:
            planned.append(Planned(page, record, **notes))
    return planned


def _dates(published_at: Any, age: int) -> dict[str, Any]:
    """Published resources were written twelve days before; the others, a few
    weeks ago, `age` spreading them out."""
    published = moment(published_at)
    if isinstance(published, datetime):
        created = published - timedelta(days=12)
        return {
            "published_at": iso(published),
            "created_at": iso(created),
            "updated_at": iso(published),
        }
    created = utcnow() - timedelta(days=age % 20 + 1) - timedelta(days=12)
    dates = {"created_at": iso(created), "updated_at": iso(created)}
    return dates if published_at is None else {**dates, "published_at": published_at}


def _attachment(folder: Folder, page: Page, spec: Any, files: Path) -> list[dict[str, str]]:
    """Write the attachment the header describes; its path, relative to `files`."""
    name = spec.get("name") if isinstance(spec, dict) else None
    text = spec.get("text") if isinstance(spec, dict) else None
    plain_name = isinstance(name, str) and name != "" and Path(name).name == name
    if not plain_name or not isinstance(text, str):
        folder.fail(page.name, "attachment: un nom de fichier (name) et un texte (text) attendus")
        return []
    writer = sample_files.WRITERS.get(Path(name).suffix.lower()[1:])
    if writer is None:
        formats = ", ".join(f".{suffix}" for suffix in sample_files.WRITERS)
        folder.fail(page.name, f"attachment: un nom de fichier en {formats}")
        return []
    paragraphs = [paragraph.strip() for paragraph in text.split("\n\n") if paragraph.strip()]
    title = page.header.get("title") if isinstance(page.header.get("title"), str) else name
    (files / page.key).mkdir(exist_ok=True)
    (files / page.key / name).write_bytes(writer(title, paragraphs))
    return [{"path": f"{page.key}/{name}"}]


def create(planned: list[Planned], authors: Mapping[str, User], curator: User) -> int:
    """Create the checked resources, with their history; return how many."""
    for item in planned:
        resource = exchange.create(item.record)
        author = authors.get(resource.ctd.slug, curator)
        _demo_fields(resource, item, author)
        try:
            exchange.attach(resource, item.record)
        except UploadRejected as rejected:
            raise DemoContentError([f"{item.page.name}: attachment: {rejected.message}"]) from None
        db.session.flush()
        _history(resource, item, author, curator)
    return len(planned)


def _demo_fields(resource: Resource, item: Planned, author: User) -> None:
    """What the import format does not carry: the author, the submission, the
    relay by the CNIG watch and the date of review."""
    resource.author = author
    submitted = resource.status != "draft"
    resource.submitted_at = resource.created_at + timedelta(days=2) if submitted else None
    published = resource.published_at
    if published is not None:
        months = current_app.config["REVIEW_AFTER_MONTHS"]
        resource.review_by = add_months(published, months)
    if item.relay_note and published is not None:
        resource.relayed_at = published + timedelta(days=3)
        resource.relay_note = item.relay_note


def _history(resource: Resource, item: Planned, author: User, curator: User) -> None:
    """The audit trail and revisions the resource would have had."""
    audit.record("resource.create", "resource", resource.id, author)
    if resource.status in ("submitted", "published", "archived"):
        audit.record("resource.submit", "resource", resource.id, author)
    if resource.status in ("published", "archived"):
        db.session.add(
            Revision(
                resource=resource,
                author=curator,
                created_at=resource.published_at,
                changes={"status": {"old": "submitted", "new": "published"}},
                title=resource.title,
                summary=resource.summary,
                body=resource.body,
            )
        )
        audit.record("resource.publish", "resource", resource.id, curator)
    if resource.status == "archived":
        audit.record("resource.archive", "resource", resource.id, curator)
    if item.return_comment:
        audit.record(
            "resource.return", "resource", resource.id, curator, comment=item.return_comment
        )
