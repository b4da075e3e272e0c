"""From what a person typed to a Whoosh query, leniently: no syntax to get
wrong, quotes for phrases, glossary labels as synonyms."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from whoosh import query as q

from cnig_share.search.analysis import folded_words, stems

MAX_CHARS = 1000
MAX_WORDS = 24  # of one phrase
PHRASE = re.compile(r'"([^"]*)"')
OPERATORS = {"AND", "OR", "NOT", "ET", "OU", "SAUF"}


@dataclass(frozen=True)
class GlossaryLabel:
    """A label (preferred or alternative) of a glossary term, as stems; or,
    `is_term` false, one of a site synonym's (search.synonyms), which tags nothing."""

    slug: str
    stems: tuple[str, ...]
    is_term: bool = True


# Other indexed words a typed word also finds, each with its weight below 1:
# (folded word, stem) → [(stem, weight)] (search.expansion).
Variants = Callable[[str, str], list[tuple[str, float]]]


@dataclass
class ParsedQuery:
    text: str
    all_of: q.Query | None = None  # every word (the default)
    any_of: q.Query | None = None  # at least one word (the fallback)
    words: list[str] = field(default_factory=list)  # folded words, for suggestions
    term_slugs: list[str] = field(default_factory=list)  # glossary terms the query names
    highlight_stems: set[str] = field(default_factory=set)
    capped: bool = False  # phrases or words beyond the limits were left out
    clauses: list[q.Query] = field(default_factory=list)  # each a word, phrase or label


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text[:MAX_CHARS])
    return "".join(c if unicodedata.category(c)[0] != "C" else " " for c in text)


def _word_clause(stem: str) -> q.Query:
    return q.Term("text", stem)


def _phrase_clause(phrase_stems: list[str]) -> q.Query:
    if len(phrase_stems) == 1:
        return _word_clause(phrase_stems[0])
    return q.Phrase("text", phrase_stems)


def _find_labels(
    words: list[str], labels: list[GlossaryLabel]
) -> list[tuple[int, int, list[GlossaryLabel]]]:
    """Spans of the query's stems that spell a glossary label, longest first."""
    spans = []
    i = 0
    while i < len(words):
        best: tuple[int, list[GlossaryLabel]] | None = None
        for label in labels:
            n = len(label.stems)
            if n and tuple(words[i : i + n]) == label.stems and (best is None or n >= best[0]):
                if best is not None and n == best[0]:
                    best[1].append(label)
                else:
                    best = (n, [label])
        if best:
            spans.append((i, i + best[0], best[1]))
            i += best[0]
        else:
            i += 1
    return spans


def parse(
    text: str,
    labels_by_slug: dict[str, list[GlossaryLabel]],
    max_phrases: int = MAX_WORDS,
    max_clauses: int = MAX_WORDS,
    variants: Variants | None = None,
) -> ParsedQuery:
    """Any text gives a query (or none, meaning everything) — never an error.
    Phrases beyond `max_phrases`, clauses beyond `max_clauses` are left out
    (SEARCH_MAX_PHRASES, SEARCH_MAX_TERMS): a phrase reads word positions,
    slow for common words; every clause reads a posting list. A word outside
    a label also finds its `variants`, with their lower weight."""
    text = _clean(text)
    parsed = ParsedQuery(text=text.strip())
    clauses: list[q.Query] = []

    phrases = PHRASE.findall(text)
    rest = PHRASE.sub(" ", text).replace('"', " ")
    real_phrases = 0  # of two words or more: a single word is no phrase to check
    for phrase in phrases:
        phrase_stems = stems(phrase)[:MAX_WORDS]
        real_phrases += len(phrase_stems) > 1
        if len(phrase_stems) > 1 and real_phrases > max_phrases:
            parsed.capped = True
        elif phrase_stems:
            clauses.append(_phrase_clause(phrase_stems))
            parsed.highlight_stems.update(phrase_stems)

    raw_words = [w for w in re.findall(r"[\w'’-]+", rest) if w not in OPERATORS]
    if len(raw_words) > max_clauses:
        raw_words, parsed.capped = raw_words[:max_clauses], True
    parsed.words = folded_words(" ".join([*phrases, *raw_words]))[:max_clauses]
    word_stems, typed = _stems_and_typed(raw_words)
    all_labels = [label for group in labels_by_slug.values() for label in group]
    position = 0

    def plain(start: int, end: int) -> list[q.Query]:
        return [
            _word_with_variants(word_stems[i], typed[i], variants, parsed.highlight_stems)
            for i in range(start, end)
        ]

    for start, end, matched in _find_labels(word_stems, all_labels):
        clauses.extend(plain(position, start))
        slugs = sorted({label.slug for label in matched})
        clauses.append(_synonyms(word_stems[start:end], slugs, labels_by_slug))
        for slug in slugs:
            for label in labels_by_slug[slug]:
                parsed.highlight_stems.update(label.stems)
        terms = [slug for slug in slugs if _is_term(labels_by_slug[slug])]
        parsed.term_slugs.extend(s for s in terms if s not in parsed.term_slugs)
        position = end
    clauses.extend(plain(position, len(word_stems)))
    parsed.highlight_stems.update(word_stems)

    if len(clauses) > max_clauses:
        clauses, parsed.capped = clauses[:max_clauses], True
    parsed.clauses = clauses
    if clauses:
        parsed.all_of = q.And(clauses) if len(clauses) > 1 else clauses[0]
        parsed.any_of = q.Or(clauses) if len(clauses) > 1 else None
    return parsed


def _stems_and_typed(raw_words: list[str]) -> tuple[list[str], list[str]]:
    """Each word's stems, and beside each the word as typed (folded), which
    the variants start from; a word that is several stems stands as its stems."""
    all_stems, typed = [], []
    for word in raw_words:
        word_stems, folded = stems(word), folded_words(word)
        all_stems += word_stems
        typed += folded if len(folded) == len(word_stems) else word_stems
    return all_stems, typed


def _word_with_variants(
    stem: str, typed: str, variants: Variants | None, highlight: set[str]
) -> q.Query:
    found = variants(typed, stem) if variants else []
    if not found:
        return _word_clause(stem)
    highlight.update(other for other, _ in found)
    # The best of the word and its variants: a text holding many completions
    # of a short form is no better for it than one holding the word itself.
    alternatives = [_word_clause(stem), *(q.Term("text", other, boost=w) for other, w in found)]
    return q.DisjunctionMax(alternatives)


def _is_term(labels: list[GlossaryLabel]) -> bool:
    return any(label.is_term for label in labels)


def _all_words(word_stems: list[str]) -> q.Query:
    # Words rather than a phrase: positions of common words such as "donnée"
    # are costly to read, and a label's words together are precise enough.
    clauses = [_word_clause(stem) for stem in word_stems]
    return q.And(clauses) if len(clauses) > 1 else clauses[0]


def _synonyms(
    span: list[str], slugs: list[str], labels_by_slug: dict[str, list[GlossaryLabel]]
) -> q.Query:
    """The words typed, or any other label of the same term, or the tag itself
    (which also covers resources tagged with a narrower term)."""
    alternatives: list[q.Query] = [_all_words(span)]
    for slug in slugs:
        if _is_term(labels_by_slug[slug]):
            alternatives.append(q.Term("term", slug, boost=3.0))
        for label in labels_by_slug[slug]:
            if list(label.stems) != span:
                alternatives.append(_all_words(list(label.stems)))
    return q.Or(alternatives)
