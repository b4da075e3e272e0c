"""Resources as the API and the export write them: the import format of
SPEC §4 plus what only the site knows (id, address, dates, attachments)."""

from __future__ import annotations

from typing import Any

from flask import url_for

from cnig_share.models import Resource


def iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def resource_record(resource: Resource) -> dict[str, Any]:
    """The import-format fields: what `cnig-share import` reads back."""
    return {
        "title": resource.title,
        "summary": resource.summary,
        "body": resource.body,
        "kind": resource.kind,
        "ctd": resource.ctd.slug,
        "terms": [term.pref_label for term in resource.terms],
        "status": resource.status,
        "published_at": iso(resource.published_at),
        "featured": resource.featured,
        "links": [{"title": link.title, "url": link.url} for link in resource.links],
        "licence": resource.licence,
    }


def resource_json(resource: Resource) -> dict[str, Any]:
    """SPEC §6: the import format plus id, url, status, dates and attachments."""
    return {
        "id": resource.id,
        "url": url_for("resources.show", resource_id=resource.id, _external=True),
        **resource_record(resource),
        "created_at": iso(resource.created_at),
        "updated_at": iso(resource.updated_at),
        "attachments": [
            {
                "id": attachment.id,
                "name": attachment.original_name,
                "size": attachment.size,
                "media_type": attachment.media_type,
                "url": url_for(
                    "resources.download",
                    resource_id=resource.id,
                    attachment_id=attachment.id,
                    _external=True,
                ),
            }
            for attachment in resource.attachments
        ],
    }


def resource_etag(resource: Resource) -> str:
    """The ETag of a resource's JSON: its version, which every save bumps. A
    write sent with If-Match must name the current one (412 otherwise)."""
    return f"{resource.id}-v{resource.version}"
