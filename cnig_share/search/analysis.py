"""French analysis: fold accents before stemming (SEARCH-NOTES.md measured it).

Each raw word is analysed once per process: a text of 770 words has a few
hundred distinct ones, and a corpus a few thousand, yet every token used to
walk the whole chain (lower case, accent fold, stop list, plural, stem) —
29 % of indexing, most of a snippet's highlighting. `TermFilter` looks the
raw word up in a bounded memo of what the chain makes of it.
"""

from __future__ import annotations

import re

from whoosh.analysis import (
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    Token,
)
from whoosh.lang import stopwords_for_language
from whoosh.support.charset import accent_map

from cnig_share.text import fold

# Words, numbers and intra-word apostrophes/hyphens split: "l'échelle" → l, échelle.
TOKEN_PATTERN = r"\w+"
# "est" stays searchable for the CTD Grand Est; the rest are folded like the text.
STOP_WORDS = frozenset(fold(word) for word in stopwords_for_language("fr")) - {"est"}


class PluralFilter(Filter):
    """Drop a final -s before stemming: the French Snowball stemmer keeps it on
    some words ("photos" stays "photos" while "photo" is "photo"). It already
    turns -aux and -eaux into their singular, so -x is left to it."""

    def __call__(self, tokens):
        for token in tokens:
            text = token.text
            if len(text) > 4 and text[-1] == "s" and text[-2] != "s":
                token.text = text[:-1]
            yield token


def french_chain():
    """Lower-case, fold accents, drop stop words and plurals, stem in French."""
    return (
        LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter(stoplist=STOP_WORDS, minsize=1)
        | PluralFilter()
        | StemFilter(lang="fr", cachesize=None)
    )


def folding_chain():
    """Lower-case, fold accents, drop stop words and words under three letters."""
    return (
        LowercaseFilter() | CharsetFilter(accent_map) | StopFilter(stoplist=STOP_WORDS, minsize=3)
    )


MEMO_SIZE = 200_000  # distinct raw words remembered per chain; then it starts afresh
# Chain name → what its filters make of a raw word: (text, stopped).
_memos: dict[str, dict[str, tuple[str, bool]]] = {}
_CHAINS = {"french": french_chain(), "folding": folding_chain()}


def _analysed(chain: str, raw: str) -> tuple[str, bool]:
    """What the chain makes of one raw word, and whether it stops it."""
    memo = _memos.setdefault(chain, {})
    found = memo.get(raw)
    if found is None:
        token = Token(positions=False, removestops=False)
        token.text, token.stopped = raw, False
        token = next(iter(_CHAINS[chain]([token])))
        found = (token.text, token.stopped)
        if len(memo) >= MEMO_SIZE:
            memo.clear()  # an unbounded stream of new words; the common ones return
        memo[raw] = found
    return found


class TermFilter(Filter):
    """The named chain applied to each token, each distinct word analysed once
    (the memo is per process, not kept in the index's pickled schema).
    Positions are renumbered over the words kept, as StopFilter does."""

    def __init__(self, chain: str) -> None:
        self.chain = chain

    def __eq__(self, other) -> bool:
        return other.__class__ is self.__class__ and other.chain == self.chain

    def __call__(self, tokens):
        chain = self.chain
        memo = _memos.setdefault(chain, {})
        pos = None
        for token in tokens:
            raw = token.text
            found = memo.get(raw) or _analysed(chain, raw)
            token.text, stopped = found
            if stopped:
                if not token.removestops:
                    token.stopped = True
                    yield token
                continue
            if token.positions:
                if pos is None:
                    pos = token.pos
                else:
                    pos += 1
                    token.pos = pos
            token.stopped = False
            yield token


def french_analyzer():
    """Tokenise, lower-case, fold accents, drop stop words and plurals, stem in French."""
    return RegexTokenizer(TOKEN_PATTERN) | TermFilter("french")


def folding_analyzer():
    """Words as typed, folded but not stemmed: the vocabulary of suggestions."""
    return RegexTokenizer(TOKEN_PATTERN) | TermFilter("folding")


FRENCH = french_analyzer()
FOLDING = folding_analyzer()


WORD = re.compile(TOKEN_PATTERN)  # as RegexTokenizer compiles it


def words(text: str, chain: str) -> list[str]:
    """What the chain ("french" or "folding") indexes of a text, in order, its stop
    words left out: the analyzer's tokens without a Token object per word, which
    made analysis most of a rebuild's document work. Whoosh numbers these words
    from 0 (the analyzer from the first one kept): positions are only ever
    compared with one another, in phrases and in best match's windows."""
    memo = _memos.setdefault(chain, {})
    found = [memo.get(raw) or _analysed(chain, raw) for raw in WORD.findall(text)]
    return [word for word, stopped in found if not stopped]


def stem_of(raw: str) -> str:
    """What the French chain makes of one raw word (a stop word's folded form included)."""
    found = _memos.setdefault("french", {}).get(raw)
    return (found or _analysed("french", raw))[0]


def stems(text: str) -> list[str]:
    """The indexed form of each word of a text, in order."""
    return words(text, "french")


def folded_words(text: str) -> list[str]:
    return words(text, "folding")
