"""What the index holds for each published resource."""

from __future__ import annotations

from collections import Counter, defaultdict

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import Frequency, Positions
from whoosh.system import pack_uint

from cnig_share.search.analysis import FOLDING, FRENCH

# All searchable text goes into one field: a query word is then one posting
# list to read instead of one per field (measured 3 times the cost at 10k).
# Weight comes from repetition instead of per-field boosts: the title counts
# three times, the summary and the glossary labels twice.
TEXT_WEIGHTS = {
    "title": 3,
    "summary": 2,
    "terms": 2,
    "body": 1,
    "attachments": 1,
    "ctd": 1,
    "kind": 1,
}


class WordPositions(Positions):
    """Positions, from a list of analysed words (search.documents.for_writer) counted
    in one pass: Whoosh's own way makes a Token per word and walks it through
    generators, most of what is left of a document's indexing. A text is analysed
    as Whoosh does."""

    def word_values(self, value, analyzer, **kwargs):
        if not isinstance(value, list):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        positions: defaultdict[str, list[int]] = defaultdict(list)
        for position, word in enumerate(value):
            positions[word].append(position)
        boost, encode = self.field_boost, self.encode
        for word, found in positions.items():
            yield word, len(found), len(found) * boost, encode(found)


class WordFrequency(Frequency):
    """Frequency, from a list of analysed words counted at once."""

    def word_values(self, value, analyzer, **kwargs):
        if not isinstance(value, list):
            return super().word_values(value, analyzer, **kwargs)
        boost = self.field_boost
        return ((word, n, n * boost, pack_uint(n)) for word, n in Counter(value).items())


def _text(analyzer, phrase: bool) -> TEXT:
    field = TEXT(analyzer=analyzer, phrase=phrase)
    field.format = (WordPositions if phrase else WordFrequency)(field_boost=1.0)
    return field


def build_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        # Fingerprint of what was indexed, for `search check` to find stale entries.
        version=STORED(),
        text=_text(FRENCH, phrase=True),
        spelling=_text(FOLDING, phrase=False),
        # The title alone, for the best match first (search.best_match).
        title=_text(FRENCH, phrase=False),
        # Filters and facets; single values are columns, read without stored fields.
        kind=ID(sortable=True),
        ctd=ID(sortable=True),
        year=ID(sortable=True),
        term=KEYWORD(commas=True, lowercase=False, scorable=False),
        # The tagged slugs alone (not their ancestors), as a column for facet counts.
        term_facet=ID(sortable=True),
        # For "most recent": the date in microseconds (seconds tied whole
        # batches). A new field name, so an index written before is rebuilt.
        date_us=NUMERIC(sortable=True, bits=64),
    )
