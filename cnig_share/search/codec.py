"""Whoosh's own codec, with each field's document lengths read once per segment.

Writing a segment, Whoosh asks the length of the posting's document for every
posting (to keep each block's shortest and longest), through a column reader
that seeks and unpacks each time: 18 % of a content-heavy rebuild, two million
times for 3,000 documents. The lengths are read here once per field into a list.
The codec travels with the segments it writes (Whoosh pickles it in the index's
table of contents), so their readers use it too, which costs the same list.
"""

from __future__ import annotations

from whoosh.codec.whoosh3 import W3Codec


class _Lengths:
    """A per-document reader whose document lengths come from lists, field by field."""

    def __init__(self, reader) -> None:
        self._reader = reader
        self._lengths: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            read = self._reader.doc_field_length
            count = self._reader.doc_count_all()
            lengths = self._lengths[fieldname] = [read(n, fieldname, 0) for n in range(count)]
        if not 0 <= docnum < len(lengths):
            return self._reader.doc_field_length(docnum, fieldname, default)
        return lengths[docnum] or default

    def __getattr__(self, name: str):
        return getattr(self._reader, name)


class LengthsOnceCodec(W3Codec):
    def per_document_reader(self, storage, segment):
        return _Lengths(super().per_document_reader(storage, segment))
