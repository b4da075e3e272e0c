"""Every match of a query with its BM25 score, in one pass, and the columns
that facets and date sorting read.

Whoosh scores one document at a time through a tree of matchers and reads
each document's length from disk as it goes: at 10,000 resources that was
70 % of a search (bench/search.py), and the matches had to be collected a
second time, unscored, for the facets. Here each word's postings come decoded
from postings.py and are scored in one comprehension (term at a time), with
the lengths and columns read once per segment and kept: a segment never
changes once written, so a commit only costs reading the new, small one.

`parse()` builds queries from Term, Phrase, And, Or and DisjunctionMax (a
word or its variants, scored by the best); Every means every
document. Anything else is matched by Whoosh itself, unscored.
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Collection, Hashable, Iterable
from dataclasses import dataclass
from functools import partial
from operator import itemgetter

from whoosh import query as q
from whoosh.searching import Searcher

from cnig_share.search import postings
from cnig_share.search.kept import Kept

# Whoosh's BM25F defaults, so that ranking is what Whoosh itself would give.
K1, B = 1.2, 0.75
TEXT_FIELD = "text"
COLUMNS = {"kind": "kind", "ctd": "ctd", "year": "year", "term": "term_facet"}
LIST_COLUMNS = {"term"}  # stored comma-separated, kept split
MAX_CACHED_SEGMENTS = 48  # an index keeps about ten; least recently used go first
# Scores a snapshot keeps, counted in entries (about 40 bytes each, measured): words
# and clauses come back query after query, and evaluating them again was a quarter
# of a search (bench/search.py content-heavy). Counted by entries, not words: a
# query's short forms and variants bring tens of rare words. 100 large-hit queries
# at 3,000 documents keep 585,000 entries (23 MB): this bound is ~80 MB per process.
MAX_CACHED_SCORES = 2_000_000

Scores = dict[int, float]  # index document number → score


@dataclass(frozen=True)
class _Segment:
    """What is read once per segment: text lengths, facet values, dates."""

    lengths: list[int]
    columns: dict[str, list]  # a value per document, a tuple of them in LIST_COLUMNS
    dates: list[int]  # microseconds, for "most recent"


class Deadline:
    """When one search must stop evaluating (SEARCH_DEADLINE): what is left is
    then skipped or approximated, and the result marked partial."""

    def __init__(self, seconds: float | None) -> None:
        self.at = None if seconds is None else time.monotonic() + seconds
        self.reached = False

    def passed(self) -> bool:
        if not self.reached and self.at is not None and time.monotonic() >= self.at:
            self.reached = True
        return self.reached


NO_DEADLINE = Deadline(None)

_segments: Kept[_Segment] = Kept(MAX_CACHED_SEGMENTS)  # merged or rebuilt ones age out


def _read_segment(reader) -> _Segment:
    count = reader.doc_count_all()
    return _Segment(
        lengths=[reader.doc_field_length(n, TEXT_FIELD, 0) for n in range(count)],
        columns={
            facet: [_split(value) for value in reader.column_reader(column)]
            if facet in LIST_COLUMNS
            else list(reader.column_reader(column))
            for facet, column in COLUMNS.items()
        },
        dates=list(reader.column_reader("date_us")),
    )


def _split(value: str) -> tuple[str, ...]:
    return tuple(value.split(",")) if value else ()


def _segment(reader) -> _Segment:
    return _segments.get_or_make(reader.segment().segment_id(), partial(_read_segment, reader))


class IndexSnapshot:
    """The index as one searcher sees it, as flat lists indexed by document
    number, to score queries and read facets and dates from. Built on first
    use and kept on the searcher, which is reused until the index changes
    (index.SearchIndex.searcher)."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        reader = searcher.reader()
        self.leaves = list(reader.leaf_readers())
        self.lengths: list[int] = []
        self.columns: dict[str, list] = {facet: [] for facet in COLUMNS}
        self.dates: list[int] = []
        self.deleted: set[int] = set()
        for leaf, offset in self.leaves:
            if leaf.doc_count_all() == 0:
                continue
            segment = _segment(leaf)
            self.lengths += segment.lengths
            self.dates += segment.dates
            for facet in COLUMNS:
                self.columns[facet] += segment.columns[facet]
            if leaf.has_deletions():
                self.deleted.update(offset + n for n in leaf.deleted_docs_set)
        average = searcher.avg_field_length(TEXT_FIELD) or 1
        # The length part of BM25's denominator, once per document.
        self.norms = [K1 * ((1 - B) + B * length / average) for length in self.lengths]
        # A word (field, word, boost) or a query → its scores; the snapshot goes with its searcher
        # when the index changes, so nothing older than a commit is served.
        self._scores: Kept[Scores] = Kept(MAX_CACHED_SCORES, size=len)

    @classmethod
    def of(cls, searcher: Searcher) -> IndexSnapshot:
        """The searcher's snapshot, built once."""
        snapshot = getattr(searcher, "cnig_snapshot", None)
        if snapshot is None:
            snapshot = searcher.cnig_snapshot = cls(searcher)
        return snapshot

    # --- evaluating ------------------------------------------------------------------

    def scores(self, query: q.Query, deadline: Deadline = NO_DEADLINE) -> Scores:
        """Every live document the query matches, with its score. Once the
        deadline has passed, an And's remaining clauses and an Or's remaining
        alternatives are skipped, and a phrase's remaining candidates kept
        without reading their positions.

        The scores are kept for the snapshot's life, a word's and a clause's alike
        (a word with its variants, a label with its synonyms come back query after
        query): they are shared, so read, never changed. A result cut short by
        the deadline is not kept."""
        if isinstance(query, q.Every):
            return dict.fromkeys(self._live(range(len(self.lengths))), 0.0)
        if isinstance(query, q.Term):
            key: Hashable = (query.fieldname, query.text, query.boost)
            evaluate = partial(self._read_term, query.fieldname, query.text, query.boost)
        else:
            key, evaluate = query, partial(self._evaluate, query, deadline)
        found = self._scores.get(key)
        if found is None:
            found = evaluate()
            if not deadline.reached:
                self._scores.put(key, found)
        return found

    def _evaluate(self, query: q.Query, deadline: Deadline) -> Scores:
        if isinstance(query, q.And):
            # Words first, then phrases, each checked only where everything before
            # matched; past the deadline, the clauses left are not required.
            children = sorted(query.subqueries, key=lambda child: isinstance(child, q.Phrase))
            result: Scores | None = None
            for child in children:
                if result is not None and (not result or deadline.passed()):
                    break  # nothing can match any more, or no time is left
                if isinstance(child, q.Phrase):
                    result = self._phrase(child, deadline, within=result)
                else:
                    part = self.scores(child, deadline)
                    result = part if result is None else _intersection([result, part])
            return result
        if isinstance(query, q.Or):
            parts = []
            for child in query.subqueries:
                if parts and deadline.passed():
                    break
                parts.append(self.scores(child, deadline))
            return _union(parts)
        if isinstance(query, q.DisjunctionMax):  # a word or its variants: the best one counts
            return _best_of([self.scores(child, deadline) for child in query.subqueries])
        if isinstance(query, q.Phrase):
            return self._phrase(query, deadline)
        return dict.fromkeys(self.searcher.docs_for_query(query), 0.0)

    def _phrase(self, query: q.Phrase, deadline: Deadline, within: Scores | None = None) -> Scores:
        """Documents holding the words one after the other, scored by the words.

        Only documents with every word (and in `within`, what the rest of the
        query matched) have their positions read, so a phrase of common words
        costs what its candidates cost; once the deadline has passed, the
        candidates left count as matches (the result is then partial)."""
        words = [self._term(query.fieldname, word, query.boost) for word in query.words]
        if within is not None:
            words.append(within)
        candidates = _intersection(words)  # the sum of the words' scores (and within's)
        matched: Scores = {}
        for leaf, offset in self.leaves:
            end = offset + leaf.doc_count_all()
            in_leaf = sorted(n - offset for n in candidates if offset <= n < end)
            if not in_leaf:
                continue
            matchers = [leaf.postings(query.fieldname, word) for word in query.words]
            for i, docnum in enumerate(in_leaf):
                if i % 32 == 0 and deadline.passed():
                    matched.update({offset + n: candidates[offset + n] for n in in_leaf[i:]})
                    break
                if _consecutive(matchers, docnum):
                    matched[offset + docnum] = candidates[offset + docnum]
        return matched

    def _live(self, docnums):
        deleted = self.deleted
        return (n for n in docnums if n not in deleted) if deleted else docnums

    def _term(self, fieldname: str, text: str, boost: float) -> Scores:
        return self.scores(q.Term(fieldname, text, boost=boost))

    def _read_term(self, fieldname: str, text: str, boost: float) -> Scores:
        if (fieldname, text) not in self.searcher.reader():
            return {}
        scores: Scores = {}
        if fieldname == TEXT_FIELD:
            idf = self.searcher.idf(fieldname, text) * (K1 + 1) * boost
            norms = self.norms
            for leaf, offset in self.leaves:
                if (fieldname, text) in leaf:
                    ids, weights = postings.for_scoring(leaf, fieldname, text)
                    scores.update(
                        {
                            offset + n: idf * w / (w + norms[offset + n])
                            for n, w in zip(ids, weights, strict=True)
                        }
                    )
        else:  # tags and filters: present or not, worth their boost
            for leaf, offset in self.leaves:
                if (fieldname, text) in leaf:
                    ids, _ = postings.for_scoring(leaf, fieldname, text)
                    scores.update(dict.fromkeys([offset + n for n in ids], boost))
        for docnum in self.deleted:
            scores.pop(docnum, None)
        return scores

    def positions(self, fieldname: str, word: str, docnums: Iterable[int]) -> dict[int, list[int]]:
        """Where the word stands in each of these documents that hold it (word
        positions after stop words, as in phrases). Only the blocks holding the
        documents are read, and kept decoded (postings.MAX_KEPT_BLOCKS)."""
        found: dict[int, list[int]] = {}
        decode = self.searcher.schema[fieldname].format.decoder("positions")
        for leaf, offset in self.leaves:
            end = offset + leaf.doc_count_all()
            wanted = sorted(n - offset for n in docnums if offset <= n < end)
            if wanted and (fieldname, word) in leaf:
                encoded = postings.positions(leaf, fieldname, word, wanted)
                found.update({offset + n: list(decode(value)) for n, value in encoded.items()})
        return found

    # --- ordering --------------------------------------------------------------------

    def best(self, scores: Scores, count: int) -> list[tuple[int, float]]:
        """The `count` best (docnum, score)."""
        return [(n, scores[n]) for n in heapq.nlargest(count, scores, key=scores.__getitem__)]

    def newest(self, docnums: Iterable[int], count: int) -> list[int]:
        return heapq.nlargest(count, docnums, key=self.dates.__getitem__)

    def values(self, facet: str, docnums: Collection[int]) -> list:
        """The facet's value for each document (a tuple of them for terms)."""
        if not docnums:
            return []
        found = itemgetter(*docnums)(self.columns[facet])
        return list(found) if len(docnums) > 1 else [found]


def _consecutive(matchers: list, docnum: int) -> bool:
    """Whether the words of the matchers follow each other in the document
    (positions count words left after stop words, as in Whoosh's Phrase)."""
    starts: set[int] | None = None
    for shift, matcher in enumerate(matchers):
        matcher.skip_to(docnum)
        positions = {position - shift for position in matcher.value_as("positions")}
        starts = positions if starts is None else starts & positions
        if not starts:
            return False
    return True


def _intersection(parts: list[Scores]) -> Scores:
    parts.sort(key=len)
    result = parts[0]
    for part in parts[1:]:
        result = {n: score + part[n] for n, score in result.items() if n in part}
    return result


def _best_of(parts: list[Scores]) -> Scores:
    result: Scores = {}
    for part in parts:
        get = result.get
        result.update({n: score for n, score in part.items() if score > get(n, -1.0)})
    return result


def _union(parts: list[Scores]) -> Scores:
    result: Scores = {}
    for part in sorted(parts, key=len, reverse=True):
        if not result:
            result = dict(part)
            continue
        get = result.get
        result.update({n: get(n, 0.0) + score for n, score in part.items()})
    return result
