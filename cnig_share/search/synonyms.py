"""Acronyms learnt from the published resources, decided by the curators, and
the accepted ones as query-time synonyms (no rebuild: a search reads them).

`learn()` counts, for each pair a published resource defines (search.acronyms),
the resources that define it, and proposes the new ones; a proposal no published
resource supports any more is dropped, so nothing unpublished stays on the page.
A decision bumps `synonym_version`: each process keeps the accepted synonyms
until that number changes."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from cnig_share import audit
from cnig_share.extensions import db
from cnig_share.glossary import services as glossary
from cnig_share.models import AcronymProposal, GlossaryTerm, Resource, SynonymVersion, User, utcnow
from cnig_share.search.acronyms import AcronymPair, acronym_key, pairs_in
from cnig_share.search.analysis import stems
from cnig_share.search.kinds import published_resources
from cnig_share.search.query import GlossaryLabel

SITE_SLUG = "synonyme-{id}"  # a site synonym's group among the query's labels


@dataclass(frozen=True)
class Learnt:
    proposed: int  # new proposals
    updated: int  # proposals, accepted or rejected pairs whose count changed
    dropped: int  # proposals no published resource supports any more


def resource_pairs(resource: Resource) -> set[AcronymPair]:
    """The pairs a resource defines, in what a visitor reads of it."""
    texts = [resource.title, resource.summary, resource.body_text]
    texts += [attachment.text or "" for attachment in resource.attachments]
    return {pair for text in texts for pair in pairs_in(text)}


def learn() -> Learnt:
    """Read every published resource and bring the proposals up to date (not committed)."""
    counts: Counter[tuple[str, str]] = Counter()
    spelling: dict[tuple[str, str], AcronymPair] = {}
    query = published_resources().options(selectinload(Resource.attachments))
    for resource in db.session.scalars(query.execution_options(yield_per=100)):
        keys = {}
        for pair in resource_pairs(resource):
            keys.setdefault(pair.key, pair)
        for key, pair in keys.items():
            counts[key] += 1
            spelling.setdefault(key, pair)
    known = {
        (p.acronym_key, p.expansion_key): p for p in db.session.scalars(select(AcronymProposal))
    }
    proposed = updated = dropped = 0
    for key, proposal in known.items():
        count = counts.get(key, 0)
        if count == 0 and proposal.status == "proposed":
            db.session.delete(proposal)
            dropped += 1
        elif count != proposal.resource_count:
            proposal.resource_count = count
            updated += 1
    for key, count in counts.items():
        if key not in known:
            pair = spelling[key]
            db.session.add(
                AcronymProposal(
                    acronym=pair.acronym[:40],
                    expansion=pair.expansion[:200],
                    acronym_key=key[0][:40],
                    expansion_key=key[1][:200],
                    resource_count=count,
                )
            )
            proposed += 1
    db.session.flush()
    return Learnt(proposed, updated, dropped)


# --- decisions -------------------------------------------------------------------------


class DecisionError(Exception):
    """A decision the rules refuse, with a message for the curator."""


def accept_as_term(proposal: AcronymProposal, term: GlossaryTerm, by: User) -> list[str]:
    """The acronym and the expansion become labels of the term (those it lacks)."""
    try:
        added = glossary.add_alt_labels(term, [proposal.acronym, proposal.expansion], by)
    except glossary.GlossaryError as error:
        raise DecisionError(error.message) from error
    _decide(proposal, "accepted", by, accepted_as="term", term=term)
    audit.record(
        "synonym.accept_term",
        "acronym_proposal",
        proposal.id,
        by,
        acronym=proposal.acronym,
        expansion=proposal.expansion,
        term=term.slug,
        added=added,
    )
    return added


def accept_as_site_synonym(proposal: AcronymProposal, by: User) -> None:
    _decide(proposal, "accepted", by, accepted_as="site")
    audit.record(
        "synonym.accept_site",
        "acronym_proposal",
        proposal.id,
        by,
        acronym=proposal.acronym,
        expansion=proposal.expansion,
    )


def reject(proposal: AcronymProposal, by: User) -> None:
    """Refused, or withdrawn after being accepted as a site synonym."""
    _decide(proposal, "rejected", by)
    audit.record(
        "synonym.reject",
        "acronym_proposal",
        proposal.id,
        by,
        acronym=proposal.acronym,
        expansion=proposal.expansion,
    )


def _decide(
    proposal: AcronymProposal,
    status: str,
    by: User,
    accepted_as: str | None = None,
    term: GlossaryTerm | None = None,
) -> None:
    proposal.status, proposal.accepted_as, proposal.term = status, accepted_as, term
    proposal.decided_by, proposal.decided_at = by, utcnow()
    bumped = db.session.execute(update(SynonymVersion).values(version=SynonymVersion.version + 1))
    if not bumped.rowcount:
        db.session.add(SynonymVersion(id=1, version=1))
    db.session.flush()


# --- at query time ---------------------------------------------------------------------

_cache_lock = threading.Lock()
_cached: tuple[int, dict[str, list[GlossaryLabel]]] | None = None


def site_labels() -> dict[str, list[GlossaryLabel]]:
    """The accepted site synonyms as label groups for the query parser (both ways:
    the acronym finds the expansion, the expansion the acronym); read from the
    database only when the version changed."""
    global _cached
    version = db.session.scalar(select(SynonymVersion.version)) or 0
    cached = _cached
    if cached is not None and cached[0] == version:
        return cached[1]
    accepted = db.session.scalars(
        select(AcronymProposal).where(
            AcronymProposal.status == "accepted", AcronymProposal.accepted_as == "site"
        )
    )
    labels = {}
    for proposal in accepted:
        slug = SITE_SLUG.format(id=proposal.id)
        labels[slug] = pair_labels(slug, proposal.acronym, proposal.expansion)
    with _cache_lock:
        _cached = (version, labels)
    return labels


def pair_labels(slug: str, acronym: str, expansion: str) -> list[GlossaryLabel]:
    """The labels of a pair: the acronym, written apart and together ("OCS GE",
    "OCSGE"), and its expansion."""
    texts = {acronym, acronym_key(acronym), expansion}
    found = {tuple(stems(text)) for text in texts}
    return [GlossaryLabel(slug, words, is_term=False) for words in sorted(found) if words]
