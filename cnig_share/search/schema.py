"""What the index holds for each published resource."""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

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


def build_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        # Fingerprint of what was indexed, for `search check` to find stale entries.
        version=STORED(),
        text=TEXT(analyzer=FRENCH, phrase=True),
        spelling=TEXT(analyzer=FOLDING, phrase=False),
        # The title alone, for the best match first (search.best_match).
        title=TEXT(analyzer=FRENCH, phrase=False),
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
