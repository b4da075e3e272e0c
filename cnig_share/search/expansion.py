"""Other indexed words a typed word also finds, with a lower weight than its
own stem: the words it begins when it has six letters or more (a short form:
"géoloc" finds *géolocalisation*; the index's own lexicon is the dictionary,
its 20 most frequent completions at most), and the short or long forms the
stemmer does not join (*orthophotos*, *orthophotographies*), kept as data in
derivations.txt. Looked up once per word and index generation: the answers
are kept on the searcher, which is replaced when the index changes."""

from __future__ import annotations

import heapq
from functools import lru_cache
from pathlib import Path

from cnig_share.search.analysis import stems
from cnig_share.search.query import Variants

MIN_PREFIX = 6  # letters of a typed word before it stands for the words it begins
MAX_COMPLETIONS = 20
PREFIX_WEIGHT = 0.5
DERIVED_WEIGHT = 0.8
MAX_KEPT = 5000  # words whose variants one searcher keeps (a flood of odd words is bounded)
DERIVATIONS = Path(__file__).with_name("derivations.txt")
SPELLING = "spelling"  # the folded, unstemmed words of the published documents


@lru_cache(maxsize=1)
def derivations() -> dict[str, frozenset[str]]:
    """Each stem of derivations.txt with the stems of its group."""
    groups: dict[str, set[str]] = {}
    for line in DERIVATIONS.read_text(encoding="utf-8").splitlines():
        words = line.split("#", 1)[0].split()
        group = {stem for word in words for stem in stems(word)}
        for stem in group:
            groups.setdefault(stem, set()).update(group - {stem})
    return {stem: frozenset(others) for stem, others in groups.items()}


def variants_for(searcher) -> Variants:
    """The variants of words for queries on this searcher, cached on it."""
    kept = getattr(searcher, "cnig_variants", None)
    if kept is None:
        kept = searcher.cnig_variants = {}
    reader = searcher.reader()

    def variants(typed: str, stem: str) -> list[tuple[str, float]]:
        key = (typed, stem)
        found = kept.get(key)
        if found is None:
            if len(kept) >= MAX_KEPT:
                kept.clear()
            found = kept[key] = _variants(reader, typed, stem)
        return found

    return variants


def _variants(reader, typed: str, stem: str) -> list[tuple[str, float]]:
    found = dict.fromkeys(derivations().get(stem, ()), DERIVED_WEIGHT)
    if len(typed) >= MIN_PREFIX:
        for word in completions(reader, typed):
            for other in stems(word):
                if other != stem:
                    found.setdefault(other, PREFIX_WEIGHT)
    return sorted(found.items())


def completions(reader, typed: str) -> list[str]:
    """The most frequent indexed words that begin with `typed` (itself aside)."""
    words = (_text(word) for word in reader.expand_prefix(SPELLING, typed))
    return heapq.nlargest(
        MAX_COMPLETIONS,
        (word for word in words if word != typed),
        key=lambda word: reader.doc_frequency(SPELLING, word),
    )


def _text(word: str | bytes) -> str:
    return word.decode("utf-8") if isinstance(word, bytes) else word
