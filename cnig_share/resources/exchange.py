"""Resources in and out as JSON Lines (SPEC §4): reading and checking one
record, applying it, and writing the export with its attachments beside it.
The import command and the write API share the checks."""

from __future__ import annotations

import codecs
import json
import shutil
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cnig_share.api.serialize import iso, resource_record
from cnig_share.csv_files import csv_text
from cnig_share.dates import parse_instant
from cnig_share.extensions import db
from cnig_share.models import (
    DEFAULT_LICENCE,
    KINDS,
    STATUSES,
    Ctd,
    GlossaryTerm,
    Link,
    Resource,
    utcnow,
)
from cnig_share.resources.attachments import UploadRejected, add_attachment, stored_path
from cnig_share.resources.fields import (
    EXPORT_ONLY,
    FIELDS,
    LINK_TITLE,
    LINK_URL,
    MAX_LINKS,
    REQUIRED,
    TEXTS,
)
from cnig_share.rules import IMPORT_WEB_URL_MESSAGE
from cnig_share.text import fold, unstorable


@dataclass
class FieldError:
    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


@dataclass
class Record:
    """A checked record, ready to apply."""

    values: dict[str, Any]
    ctd: Ctd | None = None
    terms: list[GlossaryTerm] = field(default_factory=list)
    attachments: list[Path] = field(default_factory=list)


class Vocabulary:
    """CTDs by slug and terms by folded label, slug or alternative label,
    loaded once for a whole import."""

    def __init__(self) -> None:
        self.ctds = {ctd.slug: ctd for ctd in db.session.scalars(select(Ctd))}
        self.terms: dict[str, GlossaryTerm] = {}
        terms = db.session.scalars(
            select(GlossaryTerm).options(selectinload(GlossaryTerm.alt_labels))
        )
        for term in terms:
            for label in [term.slug, term.pref_label, *term.alt_label_texts]:
                self.terms.setdefault(fold(label).strip(), term)


def check(
    data: Any,
    vocabulary: Vocabulary,
    base: Path | None = None,
    partial: bool = False,
) -> tuple[Record | None, list[FieldError]]:
    """Check one record; `partial` (PATCH) requires nothing, `base` is the
    folder attachment paths are relative to (None: attachments refused)."""
    if not isinstance(data, dict):
        return None, [FieldError("", "un objet JSON est attendu")]
    errors: list[FieldError] = [
        FieldError(name, "caractère interdit (NUL ou demi-caractère UTF-16 isolé)")
        for name, value in data.items()
        if unstorable(value)
    ]
    if errors:
        return None, errors
    unknown = sorted(set(data) - FIELDS - EXPORT_ONLY)
    errors += [FieldError(name, "champ inconnu") for name in unknown]
    if not partial:
        errors += [FieldError(name, "champ obligatoire") for name in REQUIRED if not data.get(name)]
    record = Record(values={})
    errors += _check_texts(data, record.values)
    if data.get("kind"):
        errors += _check_choice(data, record.values, "kind", KINDS)
    if data.get("ctd"):
        record.ctd = vocabulary.ctds.get(data["ctd"]) if isinstance(data["ctd"], str) else None
        if record.ctd is None:
            errors.append(
                FieldError("ctd", "CTD inconnu (slug attendu, par exemple « occitanie »)")
            )
    if "status" in data:
        errors += _check_choice(data, record.values, "status", STATUSES)
    if "featured" in data:
        if isinstance(data["featured"], bool):
            record.values["featured"] = data["featured"]
        else:
            errors.append(FieldError("featured", "true ou false"))
    errors += _check_moments(data, record.values)
    if "terms" in data:
        errors += _check_terms(data["terms"], vocabulary, record)
    if "links" in data:
        errors += _check_links(data["links"], record.values)
    if "attachments" in data:
        errors += _check_attachments(data["attachments"], base, record)
    return (None if errors else record), errors


def _check_texts(data: dict[str, Any], values: dict[str, Any]) -> list[FieldError]:
    errors = []
    for name, rule in TEXTS.items():
        if name in data:
            if refusal := rule.refusal(data[name]):
                errors.append(FieldError(name, refusal))
            else:  # Markdown keeps its leading and trailing spaces (an indented code block)
                values[name] = data[name] if rule.markdown else data[name].strip()
    return errors


def _check_choice(
    data: dict[str, Any], values: dict[str, Any], name: str, allowed: Collection[str]
) -> list[FieldError]:
    if isinstance(data[name], str) and data[name] in allowed:
        values[name] = data[name]
        return []
    return [FieldError(name, f"l'une des valeurs {', '.join(allowed)}")]


def _check_moments(data: dict[str, Any], values: dict[str, Any]) -> list[FieldError]:
    errors = []
    for name in ("published_at", "created_at", "updated_at"):
        if data.get(name) is not None:
            try:
                values[name] = parse_instant(data[name])
            except (TypeError, ValueError):  # not text, or not a date
                errors.append(FieldError(name, "date ISO 8601 attendue (AAAA-MM-JJ)"))
    return errors


def _check_terms(terms: Any, vocabulary: Vocabulary, record: Record) -> list[FieldError]:
    if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
        return [FieldError("terms", "liste de libellés ou de slugs attendue")]
    errors = []
    for label in terms:
        term = vocabulary.terms.get(fold(label).strip())
        if term is None:
            errors.append(FieldError("terms", f"terme inconnu « {label[:100]} »"))
        elif term not in record.terms:
            record.terms.append(term)
    return errors


def _check_links(links: Any, values: dict[str, Any]) -> list[FieldError]:
    if not isinstance(links, list):
        return [FieldError("links", "liste attendue")]
    if len(links) > MAX_LINKS:
        return [FieldError("links", f"{MAX_LINKS} liens au plus")]
    checked = []
    for link in links:
        if not isinstance(link, dict) or not isinstance(link.get("url"), str):
            return [FieldError("links", "chaque lien est un objet {title, url}")]
        url, title = link["url"], link.get("title") or ""
        if LINK_TITLE.refusal(title):
            limit = LINK_TITLE.max_length
            return [FieldError("links", f"intitulé de lien : texte de {limit} caractères au plus")]
        if LINK_URL.refusal(url):
            return [FieldError("links", f"{IMPORT_WEB_URL_MESSAGE} : {url.strip()[:80]}")]
        checked.append((title.strip() or url.strip(), url.strip()))
    values["links"] = checked
    return []


def _check_attachments(items: Any, base: Path | None, record: Record) -> list[FieldError]:
    if not isinstance(items, list):
        return [FieldError("attachments", "liste attendue")]
    if not items:
        return []
    if base is None:
        return [FieldError("attachments", "envoyez les fichiers par …/attachments (multipart)")]
    root = base.resolve()
    limit = current_app.config["ATTACHMENT_MAX_SIZE"]
    errors = []
    for item in items:
        path = item.get("path") if isinstance(item, dict) else None
        if not isinstance(path, str) or not path:
            errors.append(FieldError("attachments", "chaque pièce jointe a un chemin (path)"))
            continue
        try:
            target = (root / path).resolve()
            outside = not target.is_relative_to(root)
            missing = outside or not target.is_file()
        except OSError:  # a name too long for the file system, a loop of links
            outside, missing = False, True
        if outside:
            errors.append(FieldError("attachments", f"chemin hors du dossier de l'import : {path}"))
        elif missing:
            errors.append(FieldError("attachments", f"fichier introuvable : {path[:200]}"))
        elif target.stat().st_size > limit:
            errors.append(FieldError("attachments", f"fichier trop volumineux : {path}"))
        else:
            record.attachments.append(target)
    return errors


# --- applying ---------------------------------------------------------------------------


def create(record: Record) -> Resource:
    """A new resource from a checked record, as the import format states it
    (statuses and dates included): for the import command."""
    values = record.values
    now = utcnow()
    status = values.get("status", "draft")
    published_at = values.get("published_at")
    if status in ("published", "archived") and published_at is None:
        published_at = values.get("created_at") or now
    resource = Resource(
        title=values["title"],
        kind=values["kind"],
        ctd=record.ctd,
        status=status,
        published_at=published_at,
        created_at=values.get("created_at") or now,
        updated_at=values.get("updated_at") or values.get("created_at") or now,
    )
    apply(resource, record)
    if status == "submitted":
        resource.submitted_at = resource.updated_at
    db.session.add(resource)
    return resource


def apply(resource: Resource, record: Record) -> None:
    """Set the record's content fields (not its status) on a resource."""
    values = record.values
    for name in ("title", "summary", "body", "kind", "licence", "featured"):
        if name in values:
            setattr(resource, name, values[name])
    if resource.licence is None:
        resource.licence = DEFAULT_LICENCE
    if record.ctd is not None:
        resource.ctd = record.ctd
    if "terms" in values or record.terms:
        resource.terms = list(record.terms)
    if "links" in values:
        resource.links = [
            Link(title=title, url=url, position=n) for n, (title, url) in enumerate(values["links"])
        ]


def attach(resource: Resource, record: Record) -> None:
    """Store the record's attachment files; UploadRejected names the first refused."""
    for path in record.attachments:
        try:
            add_attachment(resource, path.read_bytes(), path.name)
        except UploadRejected as rejected:
            raise UploadRejected(f"{path.name} : {rejected.message}", rejected.status) from None


def read_lines(data: bytes) -> Iterator[tuple[int, Any, str | None]]:
    """(line number, decoded object, or None and the problem) per non-blank line.

    Lines end at "\n" only: JSON text may hold U+2028 or U+0085 as they are,
    which str.splitlines() takes for line ends. Each line is decoded alone, so
    that bytes which are not UTF-8 are reported where they are.
    """
    for number, raw in enumerate(data.removeprefix(codecs.BOM_UTF8).split(b"\n"), start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            yield number, None, f"UTF-8 illisible (octet {error.start + 1} de la ligne)"
            continue
        if not line.strip():
            continue
        try:
            yield number, json.loads(line), None
        except json.JSONDecodeError as error:
            yield number, None, f"JSON illisible ({error.msg}, colonne {error.colno})"
        except (ValueError, RecursionError):  # huge integers, absurd nesting
            yield number, None, "JSON illisible (nombre trop long ou imbrication trop profonde)"


# --- export -------------------------------------------------------------------------------


def _exported(query) -> Iterator[Resource]:
    yield from db.session.scalars(
        query.options(
            selectinload(Resource.ctd),
            selectinload(Resource.terms),
            selectinload(Resource.links),
            selectinload(Resource.attachments),
        )
        .order_by(Resource.id)
        .execution_options(yield_per=500)
    )


def export_jsonl(target: Path) -> int:
    """Every resource, one line each; attachments copied into
    `<target>.attachments/<resource id>/` and referenced by relative path."""
    folder = target.with_name(target.name + ".attachments")
    shutil.rmtree(folder, ignore_errors=True)
    count = 0
    with target.open("w", encoding="utf-8") as out:
        for resource in _exported(select(Resource)):
            line = {"id": resource.id, **resource_record(resource)}
            line["created_at"] = iso(resource.created_at)
            line["updated_at"] = iso(resource.updated_at)
            line["attachments"] = []
            for attachment in resource.attachments:
                relative = (
                    Path(folder.name) / str(resource.id) / str(attachment.id)
                    / attachment.original_name
                )  # fmt: skip
                (target.parent / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(stored_path(attachment), target.parent / relative)
                line["attachments"].append({
                    "name": attachment.original_name, "size": attachment.size,
                    "media_type": attachment.media_type, "path": relative.as_posix(),
                })  # fmt: skip
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
            count += 1
    return count


CSV_COLUMNS = ["id", "title", "kind", "ctd", "status", "terms", "published_at", "updated_at",
               "summary", "licence", "attachments"]  # fmt: skip


def export_csv(target: Path) -> int:
    """One row per resource (terms separated by « | »), in the import dialect
    with the column names above (csv_files)."""
    rows: list[list] = [CSV_COLUMNS]
    for resource in _exported(select(Resource)):
        rows.append([
            resource.id, resource.title, resource.kind, resource.ctd.slug, resource.status,
            " | ".join(term.pref_label for term in resource.terms),
            iso(resource.published_at) or "", iso(resource.updated_at), resource.summary,
            resource.licence, len(resource.attachments),
        ])  # fmt: skip
    target.write_text(csv_text(rows), encoding="utf-8")
    return len(rows) - 1
