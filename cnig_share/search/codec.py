"""Whoosh's own codec, with each field's document lengths read once per segment,
and posting blocks that keep document numbers and weights apart from positions.

Writing a segment, Whoosh asks the length of the posting's document for every
posting (to keep each block's shortest and longest), through a column reader
that seeks and unpacks each time: 18 % of a content-heavy rebuild, two million
times for 3,000 documents. The lengths are read here once per field into a list.
The codec travels with the segments it writes (Whoosh pickles it in the index's
table of contents), so their readers use it too, which costs the same list.
Its classes must keep their names and module: an index names them.

Whoosh's W3 block is one pickled, compressed tuple (ids, weights, positions):
a search cannot read which documents hold a word, and how often, without
unpickling every document's positions (a third of a first search at 10,000
content-heavy documents). SplitBlocksCodec writes each block's data in two
compressed parts, as arrays rather than pickles:

    [length of A: !I][A: document number deltas (uint32), weights (float32)]
    [B: value offsets (uint32, one more than postings), the values one after the other]

little-endian, B empty when the format stores no values. The block's length and
info tuple are W3's, so Whoosh's skipping and block statistics work unchanged.
Segments written before keep their own codec and are read as they were.
"""

from __future__ import annotations

import struct
import sys
import zlib
from array import array
from collections.abc import Sequence
from itertools import accumulate, pairwise
from pickle import dumps

import numpy as np
from whoosh.codec.whoosh3 import (
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3LeafMatcher,
    W3PostingsWriter,
    length_to_byte,
)

_PART_LENGTH = struct.Struct("!I")
_SWAP = sys.byteorder == "big"  # the arrays are stored little-endian


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


# --- split posting blocks -----------------------------------------------------------------


def _stored(values: array) -> bytes:
    if _SWAP:
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


def encode_block(ids, weights, values: list[bytes], compression: int) -> bytes:
    """A block's data: the two parts, each compressed when `compression` > 0."""
    deltas = array("I", (b - a for a, b in pairwise([0, *ids])))
    first = _stored(deltas) + _stored(array("f", weights))
    second = b""
    if len(values) == len(ids) and any(values):
        offsets = array("I", accumulate((len(value) for value in values), initial=0))
        second = _stored(offsets) + b"".join(values)
    if compression:
        first = zlib.compress(first, compression)
        second = zlib.compress(second, compression) if second else b""
    return _PART_LENGTH.pack(len(first)) + first + second


def ids_and_weights(data: bytes, count: int, compressed: bool) -> tuple[np.ndarray, np.ndarray]:
    """A block's document numbers (uint32) and weights (float32), without its values."""
    (size,) = _PART_LENGTH.unpack_from(data)
    first = data[_PART_LENGTH.size : _PART_LENGTH.size + size]
    if compressed:
        first = zlib.decompress(first)
    ids = np.cumsum(np.frombuffer(first, dtype="<u4", count=count), dtype=np.uint32)
    weights = np.frombuffer(first, dtype="<f4", count=count, offset=4 * count)
    return ids, weights.astype(np.float32)  # native order


class Values(Sequence[bytes]):
    """Each posting's encoded value in a block (b"" when the format stores none),
    cut out of the block's second part only when asked for."""

    def __init__(self, data: bytes, count: int, compressed: bool) -> None:
        (size,) = _PART_LENGTH.unpack_from(data)
        second = data[_PART_LENGTH.size + size :]
        if second and compressed:
            second = zlib.decompress(second)
        self._count = count
        self._blob = second
        # Where each value starts in the blob, past the offsets themselves.
        self._offsets = (
            np.frombuffer(second, "<u4", count + 1).astype(np.intp) + 4 * (count + 1)
            if second
            else None
        )

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, number: int) -> bytes:  # type: ignore[override]
        if not 0 <= number < self._count:
            raise IndexError(number)
        if self._offsets is None:
            return b""
        return self._blob[self._offsets[number] : self._offsets[number + 1]]


class SplitBlocksWriter(W3PostingsWriter):
    """W3's posting writer, its blocks' data in two parts (encode_block)."""

    def _write_block(self, last: bool = False) -> None:
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        databytes = encode_block(self._ids, self._weights, self._values, self._compression)
        # W3's block info: postings, last id, max weight, compression, min and max length.
        infobytes = dumps(
            (
                len(self._ids),
                self._ids[-1],
                self._maxweight,
                self._compression,
                length_to_byte(self._minlength),
                length_to_byte(self._maxlength),
            ),
            2,
        )
        blocklength = len(infobytes) + len(databytes)
        self._postfile.write_int(-blocklength if last else blocklength)
        self._postfile.write(infobytes)
        self._postfile.write(databytes)
        self._blockcount += 1
        self._new_block()


class SplitBlocksMatcher(W3LeafMatcher):
    """Whoosh's matcher (phrases use it) over split blocks: it gets the data
    tuple it expects, its ids already whole numbers (W3's are deltas)."""

    def _read_data(self) -> None:
        data = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)
        count, compressed = self._blocklength, bool(self._compression)
        ids, weights = ids_and_weights(data, count, compressed)
        values = list(Values(data, count, compressed))
        fixedsize = self._fixedsize
        if fixedsize == 0:
            stored = None
        elif fixedsize is not None and fixedsize > 0:
            stored = b"".join(values)
        else:
            stored = values
        self._data = (ids.tolist(), weights.tolist(), stored)

    def _read_ids(self) -> None:
        if self._data is None:
            self._read_data()
        self._ids = self._data[0]


class SplitBlocksCodec(LengthsOnceCodec):
    """The site's codec: what every segment written from now on uses."""

    def postings_writer(self, dbfile, byteids: bool = False):
        if byteids:  # term vectors, which the schema does not store
            return super().postings_writer(dbfile, byteids)
        return SplitBlocksWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term, scorer)
        offset, length = terminfo.extent()
        return SplitBlocksMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)
