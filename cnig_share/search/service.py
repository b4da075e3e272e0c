"""One search, for the page, the API and the feeds alike: results in rank
order from the database (published resources, CTD projects and roadmaps,
national actors), facets, snippets, a suggestion."""

from __future__ import annotations

import heapq
import logging
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict
from whoosh import query as q
from whoosh.reading import TermNotFound

from cnig_share.extensions import db
from cnig_share.models import KINDS, Ctd, GlossaryTerm, Resource
from cnig_share.pagination import page_argument
from cnig_share.search import best_match, expansion, misses, popular, postings, sync, synonyms
from cnig_share.search.analysis import stems
from cnig_share.search.documents import KIND_LABELS
from cnig_share.search.index import IndexUnavailable
from cnig_share.search.kinds import RESOURCE, IndexedKind, kind_of, load, published_resources
from cnig_share.search.labels import until_glossary_changes
from cnig_share.search.query import GlossaryLabel, ParsedQuery, Variants, parse
from cnig_share.search.ranking import Deadline, IndexSnapshot, Scores
from cnig_share.text import like_pattern
from cnig_share.usefulness import services as usefulness

logger = logging.getLogger(__name__)

FACETS = ("kind", "ctd", "term", "year")
MAX_PER_PAGE = 50
MAX_PAGE = 1000
MAX_FILTER_VALUES = 30
SORTS = ("relevance", "recent", "useful")  # "useful": most marked useful first


@dataclass
class SearchParams:
    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)  # facet → values
    sort: str = "relevance"  # or one of the other SORTS
    page: int = 1
    per_page: int = 10
    # Feeds and alerts announce resources: projects and actors left out.
    resources_only: bool = False

    @property
    def may_find_resources(self) -> bool:
        """False when filtered to projects or actors only: nothing to subscribe to."""
        kinds = [kind for kind in self.filters.get("kind", []) if kind]
        return not kinds or any(kind in KINDS for kind in kinds)


@dataclass
class Hit:
    item: Any  # what the index shows: a published resource, a project… (search.kinds)
    score: float | None
    snippet: Markup
    source: str | None = None  # "guide.pdf, page 3" when the passage is in an attachment
    useful: int = 0  # people who marked a resource useful (its card says so)

    @property
    def kind(self) -> IndexedKind:
        """Its kind, which says its card and its URL."""
        return kind_of(self.item)


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
    partial: bool = False  # stopped at SEARCH_DEADLINE: some matches may be missing
    capped: bool = False  # phrases or words beyond SEARCH_MAX_PHRASES/_TERMS left out
    terms: list[GlossaryTerm] = field(default_factory=list)  # glossary terms the query names

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.params.per_page))


def glossary_labels() -> dict[str, list[GlossaryLabel]]:
    """Every label of every term, as stems, to recognise them in a query
    (kept per process until the glossary changes: search.labels)."""
    return until_glossary_changes(_analysed_glossary_labels)


def _analysed_glossary_labels() -> dict[str, list[GlossaryLabel]]:
    terms = db.session.scalars(select(GlossaryTerm).options(selectinload(GlossaryTerm.alt_labels)))
    labels: dict[str, list[GlossaryLabel]] = {}
    for term in terms:
        for text in [term.pref_label, *term.alt_label_texts]:
            stemmed = tuple(stems(text))
            if stemmed:
                labels.setdefault(term.slug, []).append(GlossaryLabel(term.slug, stemmed))
    return labels


NAMED_IN_CHARS = 300_000  # of each text looked through for glossary labels


def terms_named_in(texts: list[str]) -> set[str]:
    """Slugs of the terms whose preferred or alternative label occurs in the
    texts, compared as the index compares words (accents, case, plurals)."""
    by_first: dict[str, list[GlossaryLabel]] = {}
    for group in glossary_labels().values():
        for label in group:
            by_first.setdefault(label.stems[0], []).append(label)
    found: set[str] = set()
    for text in texts:
        words = stems((text or "")[:NAMED_IN_CHARS])
        for i, word in enumerate(words):
            for label in by_first.get(word, ()):
                if tuple(words[i : i + len(label.stems)]) == label.stems:
                    found.add(label.slug)
    return found


def _number(value: str | None, default: int) -> int:
    if value is None or not (value.isascii() and value.isdigit()) or len(value) > 6:  # not "²"
        return default
    return int(value)


def params_from(args: MultiDict, per_page: int = 10) -> SearchParams:
    """Read a search from query-string arguments; anything odd is ignored."""
    return SearchParams(
        q=args.get("q", "")[:1000],
        filters={
            name: [v[:100] for v in args.getlist(name)[:MAX_FILTER_VALUES] if v] for name in FACETS
        },
        sort=args.get("sort") if args.get("sort") in SORTS else "relevance",
        page=page_argument(args),
        per_page=_number(args.get("per_page"), per_page),
    )


def visitor_search(args: MultiDict, per_page: int = 10) -> SearchResults:
    """The search a visitor typed (the page, the API): counted among the
    searches without results when it finds nothing (misses.record)."""
    results = search(params_from(args, per_page))
    misses.record(results)
    popular.record(results)
    return results


def search(params: SearchParams) -> SearchResults:
    """Search published resources; never raises for any input."""
    params.page = min(max(params.page, 1), MAX_PAGE)
    params.per_page = min(max(params.per_page, 1), MAX_PER_PAGE)
    labels = {**glossary_labels(), **synonyms.site_labels()}
    config = current_app.config
    index = current_app.extensions["search"]
    sync.catch_up(min_interval=0.0)
    searcher, failure = None, None
    try:
        searcher = index.searcher()
    except Exception as error:  # answered below as before, once the query is read
        failure = error
    lexicon_failures: list[Exception] = []
    parsed = parse(
        params.q,
        labels,
        config["SEARCH_MAX_PHRASES"],
        config["SEARCH_MAX_TERMS"],
        variants=_guarded(expansion.variants_for(searcher), lexicon_failures)
        if searcher is not None
        else None,
    )
    failure = failure or next(iter(lexicon_failures), None)
    results = SearchResults(params=params, capped=parsed.capped)
    if parsed.term_slugs:
        results.terms = list(
            db.session.scalars(select(GlossaryTerm).where(GlossaryTerm.slug.in_(parsed.term_slugs)))
        )
    try:
        if failure is not None:
            raise failure
        _run(searcher, parsed, labels, results, Deadline(config["SEARCH_DEADLINE"]))
    except IndexUnavailable:
        sync.start_background_rebuild()
        return _degraded(results)
    except Exception:
        # Files damaged under a searcher opened earlier: answer from the
        # database and have the index rebuilt rather than fail the request.
        logger.exception("Search failed on the index; answering degraded")
        index.forget()
        sync.start_background_rebuild(suspected=True)
        return _degraded(SearchResults(params=params, terms=results.terms, capped=parsed.capped))
    return results


def _guarded(variants: Variants, failures: list[Exception]) -> Variants:
    """The variants, which read the index's lexicon while the query is parsed: damaged
    files fail there first, and are then answered like any damage below."""

    def guarded(typed: str, stem: str) -> list[tuple[str, float]]:
        if failures:
            return []
        try:
            return variants(typed, stem)
        except Exception as error:
            failures.append(error)
            return []

    return guarded


def _filter_query(params: SearchParams) -> q.Query | None:
    groups = []
    for name in FACETS:
        values = [v for v in params.filters.get(name, []) if v]
        if values:
            groups.append(q.Or([q.Term(name, value) for value in values]))
    if params.resources_only:
        groups.append(q.Or([q.Term("kind", kind) for kind in KINDS]))
    if not groups:
        return None
    return q.And(groups) if len(groups) > 1 else groups[0]


def _run(
    searcher,
    parsed: ParsedQuery,
    labels: dict[str, list[GlossaryLabel]],
    results: SearchResults,
    deadline: Deadline,
) -> None:
    """Every word; else the spelling correction; else any word — while time allows."""
    params = results.params
    snapshot = IndexSnapshot.of(searcher)
    restriction = _filter_query(params)
    allowed = snapshot.scores(restriction) if restriction is not None else None
    matched = _matching(snapshot, parsed.all_of or q.Every(), allowed, deadline)
    if not matched and parsed.all_of is not None and not deadline.passed():
        results.suggestion = _suggest(searcher, parsed, deadline)
        if results.suggestion:
            corrected = parse(results.suggestion, labels)
            if corrected.all_of is not None:
                matched = _matching(snapshot, corrected.all_of, allowed, deadline)
                if matched:
                    parsed, results.corrected = corrected, True
    if not matched and parsed.any_of is not None:  # past the deadline, its first part only
        matched = _matching(snapshot, parsed.any_of, allowed, deadline)
        # Said only when it found something: "here are those with one word"
        # above "nothing matches" would contradict itself.
        results.any_word = bool(matched)
    results.partial = deadline.reached
    results.total = len(matched)
    results.facets = _count_facets(snapshot, matched)
    if not matched:
        return

    first = (params.page - 1) * params.per_page
    wanted = first + params.per_page
    if params.sort == "relevance" and parsed.all_of is not None:
        matched = best_match.promote(snapshot, parsed.clauses, matched, deadline, wanted)
    if params.sort == "useful":
        ranked = _most_useful(searcher, snapshot, matched, wanted)[first:]
    elif params.sort == "recent" or parsed.all_of is None:
        ranked = [(docnum, None) for docnum in snapshot.newest(matched, wanted)[first:]]
    else:
        ranked = snapshot.best(matched, wanted)[first:]
    results.hits = _hits(
        [(searcher.stored_fields(docnum)["id"], score) for docnum, score in ranked], parsed
    )


def _most_useful(
    searcher, snapshot: IndexSnapshot, matched: Scores, count: int
) -> list[tuple[int, float | None]]:
    """The `count` matches most marked useful, then the most relevant (the
    newest for an empty query). The marks are counted in the database, the
    truth, at each search: nothing about them is kept in the index, which
    therefore never disagrees with it."""
    marks: dict[int, int] = {}
    for resource_id, n in usefulness.published_counts().items():
        docnum = searcher.document_number(id=RESOURCE.key(resource_id))
        if docnum is not None:
            marks[docnum] = n
    scores = matched.as_dict()
    dates = snapshot.dates.tolist()
    best = heapq.nlargest(count, scores, key=lambda n: (marks.get(n, 0), scores[n], dates[n]))
    return [(docnum, scores[docnum] or None) for docnum in best]


def _matching(snapshot: IndexSnapshot, query: q.Query, allowed, deadline: Deadline) -> Scores:
    """Every match with its score, within the filters."""
    scores = snapshot.scores(query, deadline)
    return scores if allowed is None else scores.within(allowed)


def _count_facets(snapshot: IndexSnapshot, matched: Scores) -> dict[str, dict[str, int]]:
    """Counted from the index's columns, without loading stored documents."""
    return snapshot.facet_counts(FACETS, matched)


def _suggest(searcher, parsed: ParsedQuery, deadline: Deadline) -> str | None:
    """A correction drawn from the published vocabulary, if a word is unknown
    (words left when the deadline passes are kept as typed)."""
    reader = searcher.reader()
    corrected, changed = [], False
    for word in parsed.words:
        if len(word) < 4 or deadline.passed() or _known(reader, word):
            corrected.append(word)
            continue
        # Whoosh ranks candidates by frequency alone: prefer the closest spelling.
        candidates = [
            candidate
            for candidate in searcher.suggest("spelling", word, limit=20, maxdist=2, prefix=1)
            if _in_live_document(reader, "spelling", candidate)
        ]
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
    if _in_live_document(reader, "spelling", word):
        return True
    return any(_in_live_document(reader, "text", stem) for stem in stems(word))


def _in_live_document(reader, fieldname: str, word: str) -> bool:
    """Whether a document the index shows holds the word. The lexicon alone
    is not enough: an archived resource, or the old version of an edited one,
    keeps its words there until its segment merges (SEARCH-NOTES.md). A segment
    where more documents hold it than were deleted has a live one; else its
    postings tell (Whoosh's matcher, opened for this, was a tenth of a search)."""
    for leaf, _ in reader.leaf_readers():
        try:
            info = leaf.term_info(fieldname, word)
        except TermNotFound:
            continue
        if info.doc_frequency() > leaf.doc_count_all() - leaf.doc_count():
            return True
        ids, _ = postings.for_scoring(leaf, fieldname, word)
        if not all(leaf.is_deleted(docnum) for docnum in ids.tolist()):
            return True
    return False


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


def _hits(ranked: list[tuple[str, float | None]], parsed: ParsedQuery) -> list[Hit]:
    """What the document keys name, in rank order; what the index should
    show only (resources published), even if the index lags."""
    by_key = load(db.session, [document_key for document_key, _ in ranked], for_index=False)
    marks = usefulness.counts([item.id for item in by_key.values() if isinstance(item, Resource)])
    hits = []
    for document_key, score in ranked:
        item = by_key.get(document_key)
        if item is not None:
            snippet, source = kind_of(item).snippet(item, parsed.highlight_stems)
            useful = marks.get(item.id, 0) if isinstance(item, Resource) else 0
            hits.append(Hit(item, score, snippet, source, useful))
    return hits


def _degraded(results: SearchResults) -> SearchResults:
    """While the index is rebuilt: the most recent published resources whose
    title or summary holds the words, so that search still answers (the
    workspace's documents wait for the index)."""
    results.degraded = True
    params = results.params
    query = published_resources()
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
    """Display names for facet values (names only: no object to build)."""
    ctds = db.session.execute(select(Ctd.slug, Ctd.region)).all()
    terms = db.session.execute(select(GlossaryTerm.slug, GlossaryTerm.pref_label)).all()
    return {"kind": dict(KIND_LABELS), "ctd": dict(ctds), "term": dict(terms), "year": {}}


def as_json(results: SearchResults) -> dict[str, Any]:
    """The SPEC §6 search payload. A project's or an actor's `id` is its own
    number, a roadmap's that of its current version: the `kind` says which."""
    return {
        "query": results.params.q,
        "total": results.total,
        "page": results.params.page,
        "per_page": results.params.per_page,
        "results": [_hit_json(hit) for hit in results.hits],
        "facets": results.facets,
        "suggestion": results.suggestion,
        "degraded": results.degraded,
        "partial": results.partial,
        "capped": results.capped,
    }


def _hit_json(hit: Hit) -> dict[str, Any]:
    item, kind = hit.item, hit.kind
    url = kind.url(item, external=True)
    fields = {"id": item.id, "url": url, "snippet": str(hit.snippet), "score": hit.score}
    return fields | kind.json(item)
