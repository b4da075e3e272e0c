"""Best match first: above BM25, a document whose title holds every clause of
the query, then one whose title or glossary terms together do, then the
rest; among the first results, the query's words close together in the text
count too. For a document d and a query of clauses c₁…cₙ (a word with its
variants, a phrase, a glossary label or a synonym with its alternatives):

    score(d) = BM25(d) + TIER·(2 if title(d) ⊨ every cᵢ, else 1 if title(d) or
               terms(d) ⊨ every cᵢ, else 0) + PROXIMITY·k / window(d)

where k is the number of words the clauses have in d (a clause counts as it is
written in d: "modèle numérique de terrain" three words, or "MNT" one) and
window(d) the fewest consecutive word positions of d's text holding them all
(k when they stand side by side: the phrase), read for the documents shown
and CANDIDATES_MORE after them only. A query of one word has no closeness to
weigh: nothing is added.
"""

from __future__ import annotations

import numpy as np
from whoosh import query as q

from cnig_share.search.ranking import NO_DEADLINE, TEXT_FIELD, Deadline, IndexSnapshot, Scores

TITLE_FIELD = "title"
TIER = 1000.0  # above any BM25 sum: a tier is never overtaken by a better-scored lower one
PROXIMITY = 5.0
CANDIDATES_MORE = 10  # beyond those shown, documents whose word positions are read


def promote(
    snapshot: IndexSnapshot,
    clauses: list[q.Query],
    matched: Scores,
    deadline: Deadline = NO_DEADLINE,
    shown: int = 10,
) -> Scores:
    """The matches' scores with the tiers and the proximity added, the proximity
    for the `shown` best and a few more; past the deadline (SEARCH_DEADLINE),
    what is left is skipped: BM25 alone orders."""
    if not clauses or not matched or deadline.passed():
        return matched
    in_title, with_terms = _covering(snapshot, clauses, matched, deadline)
    promoted = matched.plus(TIER * np.where(in_title, 2, np.where(with_terms, 1, 0)))
    options = [clause_options(clause) for clause in clauses]
    if len(clauses) == 1 and all(len(slots) == 1 for slots in options[0]):
        return promoted  # one word: no closeness to weigh
    candidates = [docnum for docnum, _ in snapshot.best(promoted, shown + CANDIDATES_MORE)]
    windows = _windows(snapshot, options, candidates, deadline)
    closeness = np.zeros(len(promoted))
    closeness[np.searchsorted(promoted.docnums, list(windows))] = [
        PROXIMITY * slots / window for window, slots in windows.values()
    ]
    return promoted.plus(closeness)


def _covering(
    snapshot: IndexSnapshot, clauses: list[q.Query], matched: Scores, deadline: Deadline
) -> tuple[np.ndarray, np.ndarray]:
    """For each match, whether its title satisfies every clause, and whether its
    title and glossary terms together do (each clause by one or the other)."""
    in_title = np.ones(len(matched), dtype=bool)
    with_terms = np.ones(len(matched), dtype=bool)
    for clause in clauses:
        if deadline.passed():
            return np.zeros_like(in_title), np.zeros_like(with_terms)
        on_title = _on_title(clause)
        titled = _held(snapshot, on_title, matched)
        tags = _tags(clause)
        tagged = _held(snapshot, q.Or(tags) if tags else None, matched)
        in_title &= titled
        with_terms &= titled | tagged
        if not with_terms.any():
            break
    return in_title, with_terms


def _held(snapshot: IndexSnapshot, query: q.Query | None, matched: Scores) -> np.ndarray:
    """For each match, whether the query matches it too."""
    if query is None:
        return np.zeros(len(matched), dtype=bool)
    return snapshot.scores(query).holding(matched.docnums)


def _on_title(clause: q.Query) -> q.Query | None:
    """The clause asked of the title field: a phrase as its words (a title is
    short); a term tag is no title."""
    if isinstance(clause, q.Term):
        return q.Term(TITLE_FIELD, clause.text) if clause.fieldname == TEXT_FIELD else None
    if isinstance(clause, q.Phrase):
        return q.And([q.Term(TITLE_FIELD, word) for word in clause.words])
    if isinstance(clause, q.And | q.Or | q.DisjunctionMax):
        parts = [_on_title(child) for child in clause.subqueries]
        kept = [part for part in parts if part is not None]
        if isinstance(clause, q.And) and len(kept) < len(parts):
            return None
        if not kept:
            return None
        return type(clause)(kept) if len(kept) > 1 else kept[0]
    return None


def _tags(clause: q.Query) -> list[q.Query]:
    """The glossary term tags a clause accepts (the terms a label names)."""
    if isinstance(clause, q.Term):
        return [clause] if clause.fieldname != TEXT_FIELD else []
    if isinstance(clause, q.Or | q.DisjunctionMax):
        return [tag for child in clause.subqueries for tag in _tags(child)]
    return []


Slots = list[frozenset[str]]  # words side by side, each slot one of several stems


def clause_options(clause: q.Query) -> list[Slots]:
    """The ways a clause can be written in a text, preferred first: a word (with
    its variants) is one slot, a phrase or a label of several words one slot per
    word; a term tag is no text at all."""
    if isinstance(clause, q.Term):
        return [[frozenset([clause.text])]] if clause.fieldname == TEXT_FIELD else []
    if isinstance(clause, q.Phrase):
        return [[frozenset([word]) for word in clause.words]]
    if isinstance(clause, q.And):
        slots = [slot for child in clause.subqueries for slot in _first(clause_options(child))]
        return [slots] if slots else []
    if isinstance(clause, q.Or | q.DisjunctionMax):
        options = [option for child in clause.subqueries for option in clause_options(child)]
        # A word and its variants are one slot: any of them in that place.
        single = frozenset(word for option in options if len(option) == 1 for word in option[0])
        merged = [option for option in options if len(option) > 1]
        if single:
            first_single = next(i for i, option in enumerate(options) if len(option) == 1)
            merged.insert(min(first_single, len(merged)), [single])
        return merged
    return []


def _first(options: list[Slots]) -> Slots:
    return options[0] if options else []


def _windows(
    snapshot: IndexSnapshot, options: list[list[Slots]], docnums: list[int], deadline: Deadline
) -> dict[int, tuple[int, int]]:
    """For each document with text to look at, the fewest consecutive positions
    holding one word of each slot, each clause written its first way the
    document has; and the number of those slots."""
    words = sorted(
        {word for option in options for slots in option for slot in slots for word in slot}
    )
    by_word = {}
    for word in words:
        if deadline.passed():
            return {}
        by_word[word] = snapshot.positions(TEXT_FIELD, word, docnums)
    windows: dict[int, tuple[int, int]] = {}
    for docnum in docnums:
        positions = {word: found[docnum] for word, found in by_word.items() if docnum in found}
        slots = [_written(option, positions) for option in options]
        found = [slot for chosen in slots for slot in chosen]
        if found:
            windows[docnum] = (_smallest_window(found), len(found))
    return windows


def _written(options: list[Slots], positions: dict[str, list[int]]) -> list[list[int]]:
    """The positions of each slot of the first option the document holds entirely."""
    for slots in options:
        found = [[p for word in slot for p in positions.get(word, ())] for slot in slots]
        if all(found):
            return found
    return []


def _smallest_window(positions: list[list[int]]) -> int:
    """Fewest consecutive positions with one of each list (a sweep over them all)."""
    events = sorted(
        (position, group) for group, found in enumerate(positions) for position in found
    )
    count: dict[int, int] = {}
    best = events[-1][0] - events[0][0] + 1
    start = 0
    for position, group in events:
        count[group] = count.get(group, 0) + 1
        while len(count) == len(positions):
            first, first_group = events[start]
            best = min(best, position - first + 1)
            count[first_group] -= 1
            if not count[first_group]:
                del count[first_group]
            start += 1
    return best
