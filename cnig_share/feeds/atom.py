"""Building Atom 1.0 documents with feedgen: ids, dates, authors and links
are what feed readers (and the RFC 4287 checks in the tests) require."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from feedgen.feed import FeedGenerator
from flask import Response, url_for

from cnig_share.formatting import french_date
from cnig_share.models import (
    CtdStageChange,
    Project,
    Resource,
    RoadmapVersion,
    Selection,
    utcnow,
)
from cnig_share.routing import public_url_of_request

MEDIA_TYPE = "application/atom+xml"
# What XML 1.0 cannot hold (control characters, U+FFFE/U+FFFF): a search or a
# title may carry them, and lxml refuses the whole feed for one of them.
NOT_XML = re.compile(r"[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    return NOT_XML.sub("", text)


@dataclass
class Entry:
    id: str
    title: str
    url: str
    updated: datetime
    author: str
    summary: str = ""
    published: datetime | None = None
    categories: list[str] = field(default_factory=list)


def resource_entry(resource: Resource) -> Entry:
    url = url_for("resources.show", resource_id=resource.id, _external=True)
    summary = resource.summary
    if resource.is_relayed:
        summary = f"Relayé par le CNIG : {resource.relay_note}\n\n{summary}".strip()
    return Entry(
        id=url,
        title=resource.title,
        url=url,
        updated=resource.updated_at,
        published=resource.published_at,
        author=resource.ctd.name,
        summary=summary,
        categories=[term.pref_label for term in resource.terms],
    )


def selection_entry(selection: Selection) -> Entry:
    url = url_for("watch.show", slug=selection.slug, _external=True)
    return Entry(
        id=url,
        title=selection.title,
        url=url,
        updated=selection.updated_at,
        published=selection.published_at,
        author="Équipe de veille du CNIG",
        summary=selection.introduction,
    )


def project_entry(project: Project) -> Entry:
    url = url_for("workspace.project", slug=project.ctd.slug, project_id=project.id, _external=True)
    return Entry(
        id=url,
        title=f"Projet : {project.title} ({project.status_label.lower()})",
        url=url,
        updated=project.updated_at,
        published=project.created_at,
        author=project.ctd.name,
        summary=project.description,
        categories=[term.pref_label for term in project.terms],
    )


def roadmap_entry(version: RoadmapVersion) -> Entry:
    url = url_for(
        "workspace.roadmap_version", slug=version.ctd.slug, version_id=version.id, _external=True
    )
    return Entry(
        id=url,
        title=f"Feuille de route territoriale du {french_date(version.created_at)}",
        url=url,
        updated=version.created_at,
        published=version.created_at,
        author=version.ctd.name,
        summary=version.note,
    )


def stage_entry(change: CtdStageChange) -> Entry:
    """A change of a CTD's stage, as its feed announces it."""
    ctd = change.ctd
    installed = f", installé le {french_date(change.installed_on)}" if change.installed_on else ""
    return Entry(
        id=url_for("ctds.show", slug=ctd.slug, _external=True) + f"#etape-{change.id}",
        title=f"Étape du comité : {change.stage_label}{installed}",
        url=url_for("ctds.show", slug=ctd.slug, _external=True),
        updated=change.created_at,
        published=change.created_at,
        author=ctd.name,
        summary=f"Le {ctd.name} est désormais à l'étape « {change.stage_label} »{installed}.",
    )


def feed_response(title: str, subtitle: str, page_url: str, entries: Iterable[Entry]) -> Response:
    """An Atom document; `page_url` is the HTML page the feed follows."""
    entries = list(entries)
    feed = FeedGenerator()
    self_url = public_url_of_request()
    feed.id(self_url)
    feed.title(xml_text(title))
    feed.subtitle(xml_text(subtitle or title))
    feed.author({"name": "CNIG Partage"})
    feed.link(href=self_url, rel="self", type=MEDIA_TYPE)
    feed.link(href=page_url, rel="alternate", type="text/html")
    feed.language("fr")
    feed.updated(max((entry.updated for entry in entries), default=None) or utcnow())
    # feedgen puts the last added entry first: add the oldest first.
    for entry in reversed(entries):
        item = feed.add_entry()
        item.id(entry.id)
        item.title(xml_text(entry.title))
        item.link(href=entry.url, rel="alternate", type="text/html")
        item.updated(entry.updated)
        if entry.published:
            item.published(entry.published)
        item.author({"name": xml_text(entry.author)})
        if entry.summary:
            item.summary(xml_text(entry.summary))
        for label in entry.categories:
            item.category(term=xml_text(label))
    response = Response(feed.atom_str(pretty=True), mimetype=MEDIA_TYPE)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
