"""One search, for the page, the API and the feeds alike: results in rank
order from the database (published only), facets, snippets, a suggestion."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from whoosh import highlight
from whoosh import query as q

from cnig_share.extensions import db
from cnig_share.models import KINDS, Ctd, GlossaryTerm, Resource
from cnig_share.search import sync
from cnig_share.search.analysis import FRENCH, stems
from cnig_share.search.documents import plain_text
from cnig_share.search.index import IndexUnavailable
from cnig_share.search.query import GlossaryLabel, ParsedQuery, parse
from cnig_share.text import like_pattern

FACETS = ("kind", "ctd", "term", "year")
MAX_PER_PAGE = 50
MAX_PAGE = 1000
SNIPPET_CHARS = 60_000  # enough text to find a passage, bounded for long attachments


@dataclass
class SearchParams:
    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)  # facet → values
    sort: str = "relevance"  # or "recent"
    page: int = 1
    per_page: int = 10


@dataclass
class Hit:
    resource: Resource
    score: float | None
    snippet: Markup
    source: str | None = None  # "guide.pdf, page 3" when the passage is in an attachment


@dataclass
class SearchResults:
    params: SearchParams
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=lambda: {f: {} for f in FACETS})
    suggestion: str | None = None
    corrected: bool = False  # nothing for the words typed: these are for the suggestion
    any_word: bool = False  # no result had every word: these have at least one
    degraded: bool = False  # index unavailable: titles and summaries only, for now
    terms: list[GlossaryTerm] = field(default_factory=list)  # glossary terms the query names

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.params.per_page))


def glossary_labels() -> dict[str, list[GlossaryLabel]]:
    """Every label of every term, as stems, to recognise them in a query."""
    terms = db.session.scalars(select(GlossaryTerm).options(selectinload(GlossaryTerm.alt_labels)))
    labels: dict[str, list[GlossaryLabel]] = {}
    for term in terms:
        for text in [term.pref_label, *term.alt_label_texts]:
            stemmed = tuple(stems(text))
            if stemmed:
                labels.setdefault(term.slug, []).append(GlossaryLabel(term.slug, stemmed))
    return labels


def search(params: SearchParams) -> SearchResults:
    """Search published resources; never raises for any input."""
    params.page = min(max(params.page, 1), MAX_PAGE)
    params.per_page = min(max(params.per_page, 1), MAX_PER_PAGE)
    labels = glossary_labels()
    parsed = parse(params.q, labels)
    results = SearchResults(params=params)
    if parsed.term_slugs:
        results.terms = list(
            db.session.scalars(select(GlossaryTerm).where(GlossaryTerm.slug.in_(parsed.term_slugs)))
        )
    index = current_app.extensions["search"]
    sync.catch_up(min_interval=0.0)
    try:
        searcher = index.searcher()
    except IndexUnavailable:
        sync.start_background_rebuild()
        return _degraded(results)
    _run(searcher, parsed, labels, results)
    return results


def _filter_query(filters: dict[str, list[str]]) -> q.Query | None:
    groups = []
    for name in FACETS:
        values = [v for v in filters.get(name, []) if v]
        if values:
            groups.append(q.Or([q.Term(name, value) for value in values]))
    if not groups:
        return None
    return q.And(groups) if len(groups) > 1 else groups[0]


def _run(
    searcher, parsed: ParsedQuery, labels: dict[str, list[GlossaryLabel]], results: SearchResults
) -> None:
    """Every word; else the spelling correction; else any word."""
    params = results.params
    restriction = _filter_query(params.filters)
    base = parsed.all_of or q.Every()
    matched = _matching(searcher, base, restriction)
    if not matched and parsed.all_of is not None:
        results.suggestion = _suggest(searcher, parsed)
        if results.suggestion:
            corrected = parse(results.suggestion, labels)
            if corrected.all_of is not None:
                matched = _matching(searcher, corrected.all_of, restriction)
                if matched:
                    base, parsed, results.corrected = corrected.all_of, corrected, True
        if not matched and parsed.any_of is not None:
            base, results.any_word = parsed.any_of, True
            matched = _matching(searcher, base, restriction)
    results.total = len(matched)
    results.facets = _count_facets(searcher, matched)
    if not matched:
        return

    recent = params.sort == "recent" or parsed.all_of is None
    # search() with a limit rather than search_page(), which counts every match
    # again: the total is already known from `matched`.
    first = (params.page - 1) * params.per_page
    top = searcher.search(
        base,
        limit=first + params.per_page,
        filter=matched,
        sortedby="published" if recent else None,
        reverse=recent,
    )
    ranked = [(int(hit["id"]), None if recent else hit.score) for hit in top[first:]]
    results.hits = _hits(ranked, parsed)


def _matching(searcher, base: q.Query, restriction: q.Query | None) -> set[int]:
    """Document numbers of every match, unscored: for counts and facets."""
    combined = q.And([base, restriction]) if restriction is not None else base
    return set(searcher.docs_for_query(combined))


def _count_facets(searcher, matched: set[int]) -> dict[str, dict[str, int]]:
    """Counted from the index's columns, without loading stored documents."""
    if not matched:  # an empty index has no columns at all
        return {name: {} for name in FACETS}
    counts: dict[str, Counter] = {name: Counter() for name in FACETS}
    columns = _columns(searcher)
    for docnum in matched:
        for name in ("kind", "ctd", "year"):
            value = columns[name][docnum]
            if value:
                counts[name][value] += 1
        tagged = columns["term"][docnum]
        if tagged:
            counts["term"].update(tagged.split(","))
    return {name: dict(counter.most_common()) for name, counter in counts.items()}


def _columns(searcher) -> dict[str, list[str]]:
    """The facet columns as lists, read once per searcher: a column read per
    document costs a seek each (16 times slower at 10k)."""
    cached = getattr(searcher, "cnig_facet_columns", None)
    if cached is None:
        reader = searcher.reader()
        cached = {
            name: list(reader.column_reader(column))
            for name, column in (("kind", "kind"), ("ctd", "ctd"), ("year", "year"),
                                 ("term", "term_facet"))
        }  # fmt: skip
        searcher.cnig_facet_columns = cached
    return cached


def _suggest(searcher, parsed: ParsedQuery) -> str | None:
    """A correction drawn from the published vocabulary, if a word is unknown."""
    reader = searcher.reader()
    corrected, changed = [], False
    for word in parsed.words:
        if len(word) < 4 or _known(reader, word):
            corrected.append(word)
            continue
        # Whoosh ranks candidates by frequency alone: prefer the closest spelling.
        candidates = searcher.suggest("spelling", word, limit=10, maxdist=2, prefix=1)
        best = min(
            candidates,
            key=lambda c: (edit_distance(word, c), -reader.doc_frequency("spelling", c)),
            default=None,
        )
        corrected.append(best or word)
        changed |= best is not None and best != word
    return " ".join(corrected) if changed else None


def _known(reader, word: str) -> bool:
    """In the published vocabulary as typed, or by its stem ("photos")."""
    if ("spelling", word) in reader:
        return True
    return any(("text", stem) in reader for stem in stems(word))


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (with adjacent transpositions)."""
    previous, current = None, list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        before, previous, current = previous, current, [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            current[j] = min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (char_a != char_b),
            )
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], before[j - 2] + 1)
    return current[-1]


def _hits(ranked: list[tuple[int, float | None]], parsed: ParsedQuery) -> list[Hit]:
    """The resources in rank order, published only even if the index lags."""
    ids = [resource_id for resource_id, _ in ranked]
    resources = {
        resource.id: resource
        for resource in db.session.scalars(
            select(Resource)
            .where(Resource.id.in_(ids), Resource.status == "published")
            .options(
                selectinload(Resource.ctd),
                selectinload(Resource.terms),
                selectinload(Resource.attachments),
            )
        )
    }
    hits = []
    for resource_id, score in ranked:
        resource = resources.get(resource_id)
        if resource is not None:
            snippet, source = snippet_for(resource, parsed.highlight_stems)
            hits.append(Hit(resource, score, snippet, source))
    return hits


_FRAGMENTER = highlight.ContextFragmenter(maxchars=300, surround=80)
_FORMATTER = highlight.HtmlFormatter(tagname="mark", between=" … ")


def _highlight(text: str, stems: set[str]) -> str:
    if not text or not stems:
        return ""
    return highlight.highlight(
        text[:SNIPPET_CHARS], frozenset(stems), FRENCH, _FRAGMENTER, _FORMATTER, top=2
    )


def snippet_for(resource: Resource, stems: set[str]) -> tuple[Markup, str | None]:
    """The passage that matched: from the body, else an attachment (and page)."""
    # Whoosh's HtmlFormatter escapes the text around each <mark>: safe to mark up.
    found = _highlight(plain_text(resource.body), stems)
    if found:
        return Markup(found), None
    for attachment in resource.attachments:
        pages = attachment.pages or [{"page": None, "text": attachment.text}]
        for page in pages:
            found = _highlight(page["text"], stems)
            if found:
                where = attachment.original_name
                if page["page"]:
                    where += f", page {page['page']}"
                return Markup(found), where
    found = _highlight(resource.summary, stems)
    return Markup(found) if found else Markup(""), None


def _degraded(results: SearchResults) -> SearchResults:
    """While the index is rebuilt: the most recent published resources whose
    title or summary holds the words, so that search still answers."""
    results.degraded = True
    params = results.params
    query = select(Resource).where(Resource.status == "published")
    for word in params.q.split()[:5]:
        pattern = like_pattern(word)
        query = query.where(
            Resource.title.ilike(pattern, escape="\\")
            | Resource.summary.ilike(pattern, escape="\\")
        )
    rows = db.session.scalars(
        query.order_by(Resource.published_at.desc())
        .offset((params.page - 1) * params.per_page)
        .limit(params.per_page)
    ).all()
    results.hits = [Hit(r, None, Markup(""), None) for r in rows]
    results.total = len(rows) + (params.page - 1) * params.per_page
    return results


def facet_labels() -> dict[str, dict[str, str]]:
    """Display names for facet values."""
    return {
        "kind": dict(KINDS),
        "ctd": {c.slug: c.region for c in db.session.scalars(select(Ctd))},
        "term": {t.slug: t.pref_label for t in db.session.scalars(select(GlossaryTerm))},
        "year": {},
    }


def as_json(results: SearchResults, url_for_resource) -> dict[str, Any]:
    """The SPEC §6 search payload."""
    return {
        "query": results.params.q,
        "total": results.total,
        "page": results.params.page,
        "per_page": results.params.per_page,
        "results": [
            {
                "id": hit.resource.id,
                "title": hit.resource.title,
                "url": url_for_resource(hit.resource),
                "kind": hit.resource.kind,
                "ctd": hit.resource.ctd.slug,
                "terms": [term.slug for term in hit.resource.terms],
                "summary": hit.resource.summary,
                "snippet": str(hit.snippet),
                "published_at": hit.resource.published_at.isoformat()
                if hit.resource.published_at
                else None,
                "score": hit.score,
            }
            for hit in results.hits
        ],
        "facets": results.facets,
        "suggestion": results.suggestion,
    }
