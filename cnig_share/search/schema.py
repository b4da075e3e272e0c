"""What the index holds for each published resource."""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from cnig_share.search.analysis import FOLDING, FRENCH

# Field boosts: a word in the title or among the glossary terms says more
# about a resource than the same word deep in an attachment.
TEXT_FIELDS = {
    "title": 4.0,
    "summary": 2.0,
    "terms": 2.5,
    "body": 1.0,
    "attachments": 0.7,
    "ctd_text": 1.0,
    "kind_text": 1.0,
}


def build_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        # Fingerprint of what was indexed, for `search check` to find stale entries.
        version=STORED(),
        title=TEXT(analyzer=FRENCH, phrase=True),
        summary=TEXT(analyzer=FRENCH, phrase=True),
        body=TEXT(analyzer=FRENCH, phrase=True),
        attachments=TEXT(analyzer=FRENCH, phrase=True),
        terms=TEXT(analyzer=FRENCH, phrase=True),
        ctd_text=TEXT(analyzer=FRENCH),
        kind_text=TEXT(analyzer=FRENCH),
        spelling=TEXT(analyzer=FOLDING, phrase=False),
        # Filters and facets; single values are columns, read without stored fields.
        kind=ID(sortable=True),
        ctd=ID(sortable=True),
        year=ID(sortable=True),
        term=KEYWORD(commas=True, lowercase=False, scorable=False),
        # The tagged slugs alone (not their ancestors), as a column for facet counts.
        term_facet=ID(sortable=True),
        published=NUMERIC(sortable=True, bits=64),
    )
