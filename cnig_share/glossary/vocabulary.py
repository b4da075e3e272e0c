"""Reading the glossary: every term with its links, the terms below a term,
and the published resources a term covers (its own and its narrower terms')."""

from __future__ import annotations

import re
from collections import defaultdict

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from cnig_share import permissions
from cnig_share.extensions import db
from cnig_share.models import GlossaryTerm, Resource, resource_terms
from cnig_share.text import fold


def all_terms() -> list[GlossaryTerm]:
    """Every term, alphabetically (accents ignored), relations loaded."""
    terms = db.session.scalars(
        select(GlossaryTerm).options(
            selectinload(GlossaryTerm.alt_labels),
            selectinload(GlossaryTerm.broader),
            selectinload(GlossaryTerm.narrower),
            selectinload(GlossaryTerm.related),
        )
    ).all()
    return sorted(terms, key=lambda term: fold(term.pref_label))


def reachable(term: GlossaryTerm, relation: str) -> set[int]:
    """Ids of the terms reached by following `relation` ("broader" or
    "narrower") from the term, however far; safe against cycles."""
    found, stack = set(), list(getattr(term, relation))
    while stack:
        current = stack.pop()
        if current.id not in found:
            found.add(current.id)
            stack.extend(getattr(current, relation))
    return found


def with_narrower(term: GlossaryTerm) -> set[int]:
    """The term's id and those of every term below it."""
    return {term.id} | reachable(term, "narrower")


def published_counts(terms: list[GlossaryTerm]) -> dict[int, int]:
    """Published resources per term, counting those tagged with a narrower term."""
    tagged: dict[int, set[int]] = defaultdict(set)
    rows = db.session.execute(
        select(resource_terms.c.term_id, resource_terms.c.resource_id)
        .join(Resource, Resource.id == resource_terms.c.resource_id)
        .where(permissions.public())
    )
    for term_id, resource_id in rows:
        tagged[term_id].add(resource_id)
    return {term.id: len(set().union(*(tagged[i] for i in with_narrower(term)))) for term in terms}


def published_resources(term: GlossaryTerm) -> Select:
    """Published resources tagged with the term or a narrower one, newest first."""
    tagged = select(resource_terms.c.resource_id).where(
        resource_terms.c.term_id.in_(with_narrower(term))
    )
    return (
        permissions.public_resources()
        .where(Resource.id.in_(tagged))
        .order_by(Resource.published_at.desc(), Resource.id.desc())
    )


def matches_filter(term: GlossaryTerm, needle: str) -> bool:
    """Whether a label has a word starting with the filter box's text (accents
    and case ignored): "ia" finds "IA", not "territoriale"."""
    if not needle:
        return True
    starts = re.compile(r"(?<!\w)" + re.escape(needle))
    return any(starts.search(fold(label)) for label in [term.pref_label, *term.alt_label_texts])
