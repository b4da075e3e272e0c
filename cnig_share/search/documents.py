"""A resource as the index sees it: plain text per field, filters, a fingerprint."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from cnig_share.markdown import plain_text
from cnig_share.models import KINDS, GlossaryTerm, Resource
from cnig_share.search.schema import TEXT_WEIGHTS


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


def document(resource: Resource) -> dict[str, Any]:
    """The fields indexed for a published resource."""
    tagged = sorted(resource.terms, key=lambda term: term.slug)
    expanded = with_broader(tagged)
    published = resource.published_at
    parts = {
        "title": resource.title,
        "summary": resource.summary,
        "terms": term_labels(expanded),
        "body": plain_text(resource.body),
        "attachments": attachments_text(resource),
        # The region only: every CTD is named "CTD …", which would make the
        # acronym match every resource.
        "ctd": resource.ctd.region,
        "kind": KINDS[resource.kind],
    }
    fields: dict[str, Any] = {
        "id": str(resource.id),
        "text": "\n".join(
            "\n".join([parts[name]] * weight) for name, weight in TEXT_WEIGHTS.items()
        ),
        "kind": resource.kind,
        "ctd": resource.ctd.slug,
        "year": str(published.year) if published else "",
        "term": ",".join(term.slug for term in expanded),
        "term_facet": ",".join(term.slug for term in tagged),
        "published": int(published.timestamp()) if published else 0,
    }
    fields["spelling"] = "\n".join(
        [parts["title"], parts["summary"], parts["body"], parts["terms"]]
    )
    fields["version"] = fingerprint(fields)
    return fields


def fingerprint(fields: dict[str, Any]) -> str:
    data = json.dumps({k: v for k, v in fields.items() if k != "version"}, sort_keys=True)
    return hashlib.sha256(data.encode()).hexdigest()[:32]
