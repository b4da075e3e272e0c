"""French analysis: fold accents before stemming (SEARCH-NOTES.md measured it)."""

from __future__ import annotations

from whoosh.analysis import (
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
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


def french_analyzer():
    """Tokenise, lower-case, fold accents, drop stop words and plurals, stem in French."""
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter(stoplist=STOP_WORDS, minsize=1)
        | PluralFilter()
        | StemFilter(lang="fr", cachesize=50_000)
    )


def folding_analyzer():
    """Words as typed, folded but not stemmed: the vocabulary of suggestions."""
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter(stoplist=STOP_WORDS, minsize=3)
    )


FRENCH = french_analyzer()
FOLDING = folding_analyzer()


def stems(text: str) -> list[str]:
    """The indexed form of each word of a text, in order."""
    return [token.text for token in FRENCH(text)]


def folded_words(text: str) -> list[str]:
    return [token.text for token in FOLDING(text)]
