"""Attachments: checked by content, stored under generated names, their text
left for the worker to extract (extraction_jobs.py)."""

from __future__ import annotations

import contextlib
import hashlib
import re
import unicodedata
import uuid
from pathlib import Path

from flask import Response, abort, current_app, send_file
from werkzeug.datastructures import FileStorage

from cnig_share.extensions import db
from cnig_share.files import delete_file_after_commit, write_file
from cnig_share.formatting import file_size
from cnig_share.models import Attachment, Consultation, Resource
from cnig_share.resources import filetypes
from cnig_share.resources.extraction import Limits, initial_state

MAX_NAME_LENGTH = 150
# What uuid4().hex gives: a stored name read back from a database (a restored
# one, say) that does not look like this is not ours, and names no file.
STORED_NAME = re.compile(r"[0-9a-f]{32}")


class UploadRejected(ValueError):
    """An upload refused; the message is French, the status 413 or 415."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def upload_folder() -> Path:
    return Path(current_app.config["UPLOAD_PATH"])


class NotStoredHere(ValueError):
    """A stored name that is not one we generate: no path is made from it."""


def stored_path(attachment: Attachment) -> Path:
    """Where the file is: always inside the uploads folder, or NotStoredHere."""
    name = attachment.stored_name
    if not STORED_NAME.fullmatch(name or ""):
        raise NotStoredHere(name)
    # Two levels of fan-out keep folders small; the name is ours, never the user's.
    return upload_folder() / name[:2] / name


def download(attachment: Attachment, public: bool, missing: str) -> Response:
    """The file as a download, or 404 with `missing` when it is gone. Conditional
    (its SHA-256 is the ETag), so a revalidation costs a 304. A shared cache asks
    again after ATTACHMENT_CACHE_SECONDS when the file is public (an archived or
    withdrawn file stops being served soon after) and keeps nothing otherwise."""
    try:
        path = stored_path(attachment)
    except NotStoredHere:
        path = None
    if path is None or not path.is_file():
        abort(404, missing)
    response = send_file(
        path,
        mimetype=attachment.media_type,
        as_attachment=True,
        download_name=attachment.original_name,
        conditional=True,
        etag=attachment.sha256,
        last_modified=attachment.created_at,
    )
    lifetime = current_app.config["ATTACHMENT_CACHE_SECONDS"]
    response.headers["Cache-Control"] = (
        f"public, max-age={lifetime}, must-revalidate" if public else "private, no-store"
    )
    return response


def clean_filename(name: str) -> str:
    """The last path component, without control characters, of a sane length."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip(" .")
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        keep = MAX_NAME_LENGTH - len(extension) - 1
        name = f"{stem[:keep]}.{extension}" if dot and len(extension) <= 10 else name[:150]
    return name or "fichier"


def read_upload(upload: FileStorage) -> bytes:
    """The file's bytes, refused with 413 beyond the per-file limit."""
    limit = current_app.config["ATTACHMENT_MAX_SIZE"]
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise UploadRejected(
            f"Le fichier « {clean_filename(upload.filename or '')} » dépasse la taille "
            f"maximale de {file_size(limit)} par fichier. Rien n'a été enregistré.",
            413,
        )
    return data


def add_attachment(owner: Resource | Consultation, data: bytes, filename: str) -> Attachment:
    """Check and store one file of a resource (or a consultation's documents), its
    text pending for the worker; the caller commits (or rolls back, which removes
    the stored file)."""
    name = clean_filename(filename)
    kind = filetypes.detect(data, name, Limits.from_config(current_app.config).zip)
    if kind is None:
        raise UploadRejected(
            f"Le fichier « {name} » n'est pas d'un format accepté "
            f"({filetypes.ACCEPTED_LABEL}). Son contenu a été vérifié, pas seulement son nom.",
            415,
        )
    attachment = Attachment(
        original_name=name,
        stored_name=uuid.uuid4().hex,
        media_type=kind.media_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        text="",
        pages=[],
        extraction=initial_state(kind.media_type),
    )
    owner.attachments.append(attachment)
    write_file(db.session(), stored_path(attachment), data)
    return attachment


def store_uploads(owner: Resource | Consultation, field) -> bool:
    """Attach the files of a form's upload field to `owner`; False, with the field's
    error, when one is refused; 413 at once when one is too big (nothing kept)."""
    for upload in field.data or []:
        if not upload or not upload.filename:
            continue
        try:
            add_attachment(owner, read_upload(upload), upload.filename)
        except UploadRejected as rejected:
            if rejected.status == 413:
                db.session.rollback()
                abort(413, rejected.message)
            field.errors = [*field.errors, rejected.message]
            return False
    return True


def remove_attachment(attachment: Attachment) -> None:
    """Delete the row now and the file once the deletion is committed."""
    with contextlib.suppress(NotStoredHere):  # a name not ours names no file of ours
        delete_file_after_commit(db.session(), stored_path(attachment))
    attachment.owner.attachments.remove(attachment)
    db.session.delete(attachment)


def type_label(attachment: Attachment) -> str:
    kind = filetypes.ACCEPTED.get(attachment.media_type)
    return kind.label if kind else attachment.media_type
