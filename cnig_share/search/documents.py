"""What the index holds for a published resource, a CTD project, a national
actor or a CTD's current roadmap: plain text weighted per part, filters, a
fingerprint. Which builder serves which item is search.kinds' to say."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from cnig_share.dates import in_paris
from cnig_share.models import (
    KINDS,
    Consultation,
    GlossaryTerm,
    NationalActor,
    Project,
    Resource,
    RoadmapVersion,
)
from cnig_share.search.analysis import words
from cnig_share.search.schema import TEXT_WEIGHTS

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# The `kind` of the workspace's documents, beside the resource kinds, to filter on.
PROJECT_KIND, ACTOR_KIND, ROADMAP_KIND = "projet", "acteur", "feuille-de-route"
CONSULTATION_KIND = "consultation"
KIND_LABELS = {
    **KINDS,
    PROJECT_KIND: "Projet de CTD",
    ACTOR_KIND: "Acteur national",
    ROADMAP_KIND: "Feuille de route territoriale",
    CONSULTATION_KIND: "Consultation",
}
# A document before its key is known: (fields, text of each weighted part).
Built = tuple[dict[str, Any], dict[str, str]]


def with_broader(terms: Iterable[GlossaryTerm]) -> list[GlossaryTerm]:
    """The terms and all their broader terms, so a search for a broad term
    also finds resources tagged with its narrower ones."""
    seen: dict[int, GlossaryTerm] = {}
    stack = list(terms)
    while stack:
        term = stack.pop()
        if term.id in seen:
            continue  # also guards against a cycle
        seen[term.id] = term
        stack.extend(term.broader)
    return sorted(seen.values(), key=lambda term: term.slug)


def term_labels(terms: Iterable[GlossaryTerm]) -> str:
    return "\n".join(label for term in terms for label in [term.pref_label, *term.alt_label_texts])


def attachments_text(resource: Resource) -> str:
    return "\n\n".join(
        f"{attachment.original_name}\n{attachment.text}" for attachment in resource.attachments
    )


def resource_document(resource: Resource) -> Built:
    tagged = sorted(resource.terms, key=lambda term: term.slug)
    expanded = with_broader(tagged)
    published = resource.published_at
    parts = {
        "title": resource.title,
        "summary": resource.summary,
        "terms": term_labels(expanded),
        "body": resource.body_text,
        "attachments": attachments_text(resource),
        # The region only: every CTD is named "CTD …", which would make the
        # acronym match every resource.
        "ctd": resource.ctd.region,
        "kind": KINDS[resource.kind],
    }
    fields: dict[str, Any] = {
        "text": weighted(parts),
        "kind": resource.kind,
        "ctd": resource.ctd.slug,
        "year": str(in_paris(published).year) if published else "",
        "term": ",".join(term.slug for term in expanded),
        "term_facet": ",".join(term.slug for term in tagged),
        "date_us": microseconds(published),
    }
    return fields, parts


def project_document(project: Project) -> Built:
    """A project speaks through its partners and national actors (a search
    for "IGN" finds what the IGN works on) and its glossary terms."""
    tagged = sorted(project.terms, key=lambda term: term.slug)
    expanded = with_broader(tagged)
    actors = sorted(project.actors, key=lambda part: (part.actor.name, part.role))
    started = project.start_date or in_paris(project.created_at).date()
    parts = {
        "title": project.title,
        "summary": "\n".join(
            [*project.partner_list, *(f"{p.actor.name} ({p.role_label})" for p in actors)]
        ),
        "terms": term_labels(expanded),
        "body": "\n".join(
            [project.description_text, project.status_label, project.avoided_cost_method_text]
        ),
        "attachments": "",
        "ctd": "\n".join([project.ctd.region, *(ctd.region for ctd in project.shared_with)]),
        "kind": KIND_LABELS[PROJECT_KIND],
    }
    fields: dict[str, Any] = {
        "text": weighted(parts),
        "kind": PROJECT_KIND,
        "ctd": project.ctd.slug,
        "year": str(started.year),
        "term": ",".join(term.slug for term in expanded),
        "term_facet": ",".join(term.slug for term in tagged),
        "date_us": microseconds(project.updated_at),
    }
    return fields, parts


def actor_document(actor: NationalActor) -> Built:
    """An actor is found by its name, its type and where it works: the
    regions and titles of its projects. No CTD facet: it works with several."""
    projects = sorted({part.project for part in actor.participations}, key=lambda p: p.id)
    parts = {
        "title": actor.name,
        "summary": actor.type_label,
        "terms": "",
        "body": "\n".join([actor.description_text, *(p.title for p in projects)]),
        "attachments": "",
        "ctd": "\n".join(sorted({p.ctd.region for p in projects})),
        "kind": KIND_LABELS[ACTOR_KIND],
    }
    fields: dict[str, Any] = {
        "text": weighted(parts),
        "kind": ACTOR_KIND,
        "ctd": "",
        "year": "",
        "term": "",
        "term_facet": "",
        "date_us": microseconds(actor.updated_at),
    }
    return fields, parts


def roadmap_document(version: RoadmapVersion) -> Built:
    """A CTD's current feuille de route territoriale."""
    parts = {
        "title": version.title,
        "summary": version.note,
        "terms": "",
        "body": version.body_text,
        "attachments": "",
        "ctd": version.ctd.region,
        "kind": "",  # the title names it already
    }
    fields: dict[str, Any] = {
        "text": weighted(parts),
        "kind": ROADMAP_KIND,
        "ctd": version.ctd.slug,
        "year": str(in_paris(version.created_at).year),
        "term": "",
        "term_facet": "",
        "date_us": microseconds(version.created_at),
    }
    return fields, parts


def consultation_document(consultation: Consultation) -> Built:
    """A consultation that has opened: its title, context, questions, actors,
    terms and documents; once published, its synthesis and the contributions
    its visibility rule makes public (never a draft: read.py decides)."""
    from cnig_share.permissions import contributions_are_public

    tagged = sorted(consultation.terms, key=lambda term: term.slug)
    expanded = with_broader(tagged)
    # From what the loader brought (search.kinds): no query while building.
    public = sorted(
        (c for c in consultation.contributions if c.status == "submitted"),
        key=lambda contribution: contribution.ctd.name,
    )
    if not contributions_are_public(consultation):
        public = []
    answers = [
        f"{contribution.ctd.name}\n{answer.position_label}\n{answer.text}"
        for contribution in public
        for answer in contribution.answers
    ]
    started = consultation.opens_on or in_paris(consultation.created_at).date()
    parts = {
        "title": consultation.title,
        "summary": "\n".join(actor.name for actor in consultation.actors),
        "terms": term_labels(expanded),
        "body": "\n".join(
            [
                consultation.context_text,
                *(question.text for question in consultation.questions),
                consultation.synthesis_text if consultation.synthesis_published_at else "",
                *answers,
            ]
        ),
        "attachments": "\n\n".join(
            f"{attachment.original_name}\n{attachment.text}"
            for attachment in consultation.attachments
        ),
        "ctd": "",  # it consults many: no CTD facet, as for an actor
        "kind": KIND_LABELS[CONSULTATION_KIND],
    }
    moment = consultation.synthesis_published_at or consultation.updated_at
    fields: dict[str, Any] = {
        "text": weighted(parts),
        "kind": CONSULTATION_KIND,
        "ctd": "",
        "year": str(started.year),
        "term": ",".join(term.slug for term in expanded),
        "term_facet": ",".join(term.slug for term in tagged),
        "date_us": microseconds(moment),
    }
    return fields, parts


def microseconds(moment: datetime | None) -> int:
    """The date to sort by "most recent", to the microsecond: several resources
    published within one second still come newest first."""
    if moment is None:
        return 0
    if moment.tzinfo is None:  # as stored: UTC
        moment = moment.replace(tzinfo=UTC)
    return (moment - EPOCH) // timedelta(microseconds=1)


def weighted(parts: dict[str, str]) -> str:
    return "\n".join("\n".join([parts[name]] * weight) for name, weight in TEXT_WEIGHTS.items())


def indexed(key: str, built: Built) -> dict[str, Any]:
    """The document as the index stores it: its key, its fields, the words
    for spelling suggestions and the fingerprint."""
    fields, parts = built
    fields = {"id": key, "title": parts["title"], **fields}
    fields["spelling"] = "\n".join(
        [parts["title"], parts["summary"], parts["body"], parts["terms"]]
    )
    fields["version"] = fingerprint(fields)
    return fields


# The text fields as their analysed words (search.analysis.words), by chain.
ANALYSED_FIELDS = {"text": "french", "title": "french", "spelling": "folding"}


def for_writer(fields: dict[str, Any]) -> dict[str, Any]:
    """The document as it is handed to Whoosh: its text fields already analysed,
    which Whoosh then takes as they are (the fingerprint is of the texts)."""
    analysed = {name: words(fields[name], chain) for name, chain in ANALYSED_FIELDS.items()}
    return fields | analysed


def fingerprint(fields: dict[str, Any]) -> str:
    data = json.dumps({k: v for k, v in fields.items() if k != "version"}, sort_keys=True)
    return hashlib.sha256(data.encode()).hexdigest()[:32]
