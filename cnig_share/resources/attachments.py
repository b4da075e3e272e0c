"""Attachments: checked by content, stored under generated names, text extracted."""

from __future__ import annotations

import hashlib
import unicodedata
import uuid
from pathlib import Path

from flask import current_app
from werkzeug.datastructures import FileStorage

from cnig_share.extensions import db
from cnig_share.files import delete_file_after_commit, write_file
from cnig_share.formatting import file_size
from cnig_share.models import Attachment, Resource
from cnig_share.resources import filetypes
from cnig_share.resources.extraction import extract

MAX_NAME_LENGTH = 150


class UploadRejected(ValueError):
    """An upload refused; the message is French, the status 413 or 415."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def upload_folder() -> Path:
    return Path(current_app.config["UPLOAD_PATH"])


def stored_path(attachment: Attachment) -> Path:
    # Two levels of fan-out keep folders small; the name is ours, never the user's.
    return upload_folder() / attachment.stored_name[:2] / attachment.stored_name


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


def add_attachment(resource: Resource, data: bytes, filename: str) -> Attachment:
    """Check, store and extract one file; the caller commits (or rolls back,
    which removes the stored file)."""
    name = clean_filename(filename)
    kind = filetypes.detect(data, name)
    if kind is None:
        raise UploadRejected(
            f"Le fichier « {name} » n'est pas d'un format accepté "
            f"({filetypes.ACCEPTED_LABEL}). Son contenu a été vérifié, pas seulement son nom.",
            415,
        )
    extracted = extract(data, kind.media_type)
    attachment = Attachment(
        original_name=name,
        stored_name=uuid.uuid4().hex,
        media_type=kind.media_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        text=extracted.text,
        pages=extracted.pages,
        extraction=extracted.status,
    )
    resource.attachments.append(attachment)
    write_file(db.session(), stored_path(attachment), data)
    return attachment


def remove_attachment(attachment: Attachment) -> None:
    """Delete the row now and the file once the deletion is committed."""
    delete_file_after_commit(db.session(), stored_path(attachment))
    attachment.resource.attachments.remove(attachment)
    db.session.delete(attachment)


def type_label(attachment: Attachment) -> str:
    kind = filetypes.ACCEPTED.get(attachment.media_type)
    return kind.label if kind else attachment.media_type
