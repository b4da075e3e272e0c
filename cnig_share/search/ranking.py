"""Every match of a query with its BM25 score, in one pass, and the columns
that facets and date sorting read.

Whoosh scores one document at a time through a tree of matchers and reads
each document's length from disk as it goes: at 10,000 resources that was
70 % of a search (bench/search.py), and the matches had to be collected a
second time, unscored, for the facets. Here each word's postings come decoded
from postings.py and are scored as arrays (term at a time, numpy), with the
lengths and columns read once per segment and kept: a segment never changes
once written, so a commit only costs reading the new, small one. A search
combines arrays of some thousands of matches: in Python, one dictionary entry
at a time, that was a third of a search (bench/search.py content-heavy).

`parse()` builds queries from Term, Phrase, And, Or and DisjunctionMax (a
word or its variants, scored by the best); Every means every
document. Anything else is matched by Whoosh itself, unscored.
"""

from __future__ import annotations

import time
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from functools import partial

import numpy as np
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
# Scores a snapshot keeps, counted in entries (16 bytes each: a document number and
# a score): words and clauses come back query after query, and evaluating them
# again was a quarter of a search (bench/search.py content-heavy). Counted by
# entries, not words: a query's short forms and variants bring tens of rare words.
# 100 large-hit queries at 3,000 documents keep 585,000 entries: this bound is
# ~32 MB per process.
MAX_CACHED_SCORES = 2_000_000

_NONE = np.zeros(0, dtype=np.intp)


class Scores:
    """The documents a query matches (index document numbers, ascending) and
    the score of each. Kept and shared between searches: never changed."""

    __slots__ = ("docnums", "values")

    def __init__(self, docnums: np.ndarray, values: np.ndarray) -> None:
        self.docnums = docnums
        self.values = values

    @classmethod
    def alike(cls, docnums: np.ndarray, value: float) -> Scores:
        return cls(docnums, np.full(len(docnums), value, dtype=np.float64))

    def __len__(self) -> int:
        return len(self.docnums)

    def __bool__(self) -> bool:
        return len(self.docnums) > 0

    def as_dict(self) -> dict[int, float]:
        return dict(zip(self.docnums.tolist(), self.values.tolist(), strict=True))

    def holding(self, docnums: np.ndarray) -> np.ndarray:
        """For each of these document numbers, whether it is among the matches."""
        return _positions(self.docnums, docnums)[1]

    def where(self, kept: np.ndarray) -> Scores:
        """The matches the mask (or indexes) keeps."""
        return Scores(self.docnums[kept], self.values[kept])

    def within(self, other: Scores) -> Scores:
        """The matches that `other` matches too, with their own scores."""
        return self.where(other.holding(self.docnums))

    def plus(self, added: np.ndarray) -> Scores:
        return Scores(self.docnums, self.values + added)


NO_MATCH = Scores(_NONE, np.zeros(0, dtype=np.float64))


def _positions(sorted_docnums: np.ndarray, docnums: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each of `docnums` stands in `sorted_docnums`, and whether it is there."""
    if not len(sorted_docnums):
        return np.zeros(len(docnums), dtype=np.intp), np.zeros(len(docnums), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_docnums, docnums), len(sorted_docnums) - 1)
    return at, sorted_docnums[at] == docnums


@dataclass(frozen=True)
class _Column:
    """A facet's values over a run of documents: `owners[i]` (a document number
    from the run's first) holds the value `labels[codes[i]]`; a document may
    hold several (terms) or none."""

    owners: np.ndarray
    codes: np.ndarray
    labels: list


@dataclass(frozen=True)
class _Segment:
    """What is read once per segment: text lengths, facet values, dates."""

    lengths: np.ndarray
    columns: dict[str, _Column]
    dates: np.ndarray  # microseconds, for "most recent"


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
    lengths = [reader.doc_field_length(n, TEXT_FIELD, 0) for n in range(count)]
    return _Segment(
        lengths=np.array(lengths, dtype=np.int64),
        columns={
            facet: _column(reader.column_reader(column), split=facet in LIST_COLUMNS)
            for facet, column in COLUMNS.items()
        },
        dates=np.array(list(reader.column_reader("date_us")), dtype=np.int64),
    )


def _column(values: Iterable, split: bool) -> _Column:
    owners: list[int] = []
    codes: list[int] = []
    labels: dict = {}
    for docnum, value in enumerate(values):
        for one in (value.split(",") if value else ()) if split else (value,):
            if one:  # no value: counted nowhere
                owners.append(docnum)
                codes.append(labels.setdefault(one, len(labels)))
    return _Column(np.array(owners, dtype=np.intp), np.array(codes, dtype=np.intp), list(labels))


def _joined(columns: list[tuple[int, _Column]]) -> _Column:
    """Segments' columns as one, over the snapshot's document numbers."""
    labels: dict = {}
    owners, codes = [_NONE], [_NONE]
    for offset, column in columns:
        recoded = np.array(
            [labels.setdefault(label, len(labels)) for label in column.labels], dtype=np.intp
        )
        owners.append(column.owners + offset)
        codes.append(recoded[column.codes] if len(column.codes) else _NONE)
    return _Column(np.concatenate(owners), np.concatenate(codes), list(labels))


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
        self.size = sum(leaf.doc_count_all() for leaf, _ in self.leaves)
        self.live = np.ones(self.size, dtype=bool)
        segments = [
            (offset, _segment(leaf)) for leaf, offset in self.leaves if leaf.doc_count_all()
        ]
        for leaf, offset in self.leaves:
            if leaf.has_deletions():
                self.live[[offset + n for n in leaf.deleted_docs_set]] = False
        self.lengths = np.concatenate([_NONE, *(segment.lengths for _, segment in segments)])
        self.dates = np.concatenate([_NONE, *(segment.dates for _, segment in segments)])
        self.columns = {
            facet: _joined([(offset, segment.columns[facet]) for offset, segment in segments])
            for facet in COLUMNS
        }
        average = searcher.avg_field_length(TEXT_FIELD) or 1
        # The length part of BM25's denominator, once per document.
        self.norms = K1 * ((1 - B) + B * self.lengths / average)
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
            return Scores.alike(np.flatnonzero(self.live), 0.0)
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
            return self._union(parts)
        if isinstance(query, q.DisjunctionMax):  # a word or its variants: the best one counts
            return self._best_of([self.scores(child, deadline) for child in query.subqueries])
        if isinstance(query, q.Phrase):
            return self._phrase(query, deadline)
        found = np.unique(np.fromiter(self.searcher.docs_for_query(query), dtype=np.intp))
        return Scores.alike(found[self.live[found]], 0.0)

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
        matched: list[int] = []  # where in the candidates
        for leaf, offset in self.leaves:
            first, end = np.searchsorted(
                candidates.docnums, [offset, offset + leaf.doc_count_all()]
            )
            in_leaf = (candidates.docnums[first:end] - offset).tolist()
            if not in_leaf:
                continue
            matchers = [leaf.postings(query.fieldname, word) for word in query.words]
            for i, docnum in enumerate(in_leaf):
                if i % 32 == 0 and deadline.passed():
                    matched += range(first + i, end)
                    break
                if _consecutive(matchers, docnum):
                    matched.append(first + i)
        return candidates.where(np.array(matched, dtype=np.intp))

    def _term(self, fieldname: str, text: str, boost: float) -> Scores:
        return self.scores(q.Term(fieldname, text, boost=boost))

    def _read_term(self, fieldname: str, text: str, boost: float) -> Scores:
        if (fieldname, text) not in self.searcher.reader():
            return NO_MATCH
        docnums, weights = [_NONE], [np.zeros(0, dtype=np.float32)]
        for leaf, offset in self.leaves:
            if (fieldname, text) in leaf:
                ids, leaf_weights = postings.for_scoring(leaf, fieldname, text)
                docnums.append(ids.astype(np.intp) + offset)
                weights.append(leaf_weights)
        found = np.concatenate(docnums)
        if fieldname == TEXT_FIELD:
            idf = self.searcher.idf(fieldname, text) * (K1 + 1) * boost
            w = np.concatenate(weights).astype(np.float64)
            scores = Scores(found, idf * w / (w + self.norms[found]))
        else:  # tags and filters: present or not, worth their boost
            scores = Scores.alike(found, boost)
        live = self.live[found]
        return scores if live.all() else scores.where(live)

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

    def _union(self, parts: list[Scores]) -> Scores:
        """Every document of the parts, scored by the sum of its scores, added
        biggest part first: one fixed order, so that a sum is the same to the bit
        from one search to the next."""
        total = np.zeros(self.size)
        found = np.zeros(self.size, dtype=bool)
        for part in sorted(parts, key=len, reverse=True):
            total[part.docnums] += part.values
            found[part.docnums] = True
        docnums = np.flatnonzero(found)
        return Scores(docnums, total[docnums])

    def _best_of(self, parts: list[Scores]) -> Scores:
        best = np.full(self.size, -np.inf)
        for part in parts:
            best[part.docnums] = np.maximum(best[part.docnums], part.values)
        docnums = np.flatnonzero(best > -np.inf)
        return Scores(docnums, best[docnums])

    # --- ordering and counting -------------------------------------------------------

    def best(self, scores: Scores, count: int) -> list[tuple[int, float]]:
        """The `count` best (docnum, score); equal scores in document order."""
        chosen = _top(scores.values, count)
        return list(
            zip(scores.docnums[chosen].tolist(), scores.values[chosen].tolist(), strict=True)
        )

    def newest(self, scores: Scores, count: int) -> list[int]:
        return scores.docnums[_top(self.dates[scores.docnums], count)].tolist()

    def facet_counts(self, facets: Iterable[str], matched: Scores) -> dict[str, dict]:
        """For each facet, how many matches hold each value, most first (then by value)."""
        held = np.zeros(self.size, dtype=bool)
        held[matched.docnums] = True
        counted = {}
        for facet in facets:
            column = self.columns[facet]
            counts = np.bincount(column.codes[held[column.owners]], minlength=len(column.labels))
            codes = sorted(
                np.flatnonzero(counts).tolist(),
                key=lambda code: (-counts[code], column.labels[code]),
            )
            counted[facet] = {column.labels[code]: int(counts[code]) for code in codes}
        return counted


def _top(keys: np.ndarray, count: int) -> np.ndarray:
    """Where the `count` largest keys stand, largest first, equal keys in their
    order (as heapq.nlargest, a stable sort, gave them)."""
    if count <= 0 or not len(keys):
        return _NONE
    if count < len(keys):
        threshold = np.partition(keys, len(keys) - count)[len(keys) - count]
        chosen = np.flatnonzero(keys >= threshold)
    else:
        chosen = np.arange(len(keys))
    return chosen[np.lexsort((chosen, -keys[chosen]))][:count]


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
    """The documents in every part, scored by the sum, added smallest part first."""
    parts.sort(key=len)
    result = parts[0]
    for part in parts[1:]:
        at, held = _positions(part.docnums, result.docnums)
        result = Scores(result.docnums[held], result.values[held] + part.values[at[held]])
    return result
