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

NarrowBlocksCodec, what the site writes with since, leaves part A uncompressed
and stores it narrow instead: inflating a zlib stream for each block of 128
postings was most of the cost of a word new to a worker (bench/search.py). The
narrow part takes 2 bytes a posting in a content-heavy index's text field
(zlib's took 1.5, raw 8):

    A: [width of each delta: 1, 2 or 4 bytes][of each weight: 1 (a whole
        number below 256: a count, as most are) or 4 (float32)]
       [the first document number: <I][deltas, the first 0][weights]
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
    """A SplitBlocksCodec block: the two parts, each compressed when `compression` > 0."""
    deltas = array("I", (b - a for a, b in pairwise([0, *ids])))
    first = _stored(deltas) + _stored(array("f", weights))
    if compression:
        first = zlib.compress(first, compression)
    return _PART_LENGTH.pack(len(first)) + first + _second_part(values, len(ids), compression)


def _second_part(values: list[bytes], count: int, compression: int) -> bytes:
    if len(values) != count or not any(values):
        return b""
    offsets = array("I", accumulate((len(value) for value in values), initial=0))
    second = _stored(offsets) + b"".join(values)
    return zlib.compress(second, compression) if compression else second


def block_arrays(
    data: bytes, count: int, compressed: bool, narrow: bool
) -> tuple[int, np.ndarray, np.ndarray]:
    """A block's first document number, its deltas as stored (the first one
    standing for that number) and its weights: read-only views."""
    (size,) = _PART_LENGTH.unpack_from(data)
    first = data[_PART_LENGTH.size : _PART_LENGTH.size + size]
    if narrow:
        delta_width, weight_width = first[0], first[1]
        (first_id,) = _FIRST_ID.unpack_from(first, 2)
        deltas = np.frombuffer(first, _DELTAS[delta_width], count, _NARROW_HEADER)
        at = _NARROW_HEADER + delta_width * count
        return first_id, deltas, np.frombuffer(first, _WEIGHTS[weight_width], count, at)
    if compressed:
        first = zlib.decompress(first)
    deltas = np.frombuffer(first, "<u4", count)  # the first from 0: the number itself
    return int(deltas[0]), deltas, np.frombuffer(first, "<f4", count, 4 * count)


_FIRST_ID = struct.Struct("<I")
_NARROW_HEADER = 2 + _FIRST_ID.size  # the two widths, the first number
_DELTAS = {1: np.dtype("<u1"), 2: np.dtype("<u2"), 4: np.dtype("<u4")}
_WEIGHTS = {1: np.dtype("<u1"), 4: np.dtype("<f4")}


def ids_and_weights(
    blocks: list[tuple[int, np.ndarray, np.ndarray]], last_ids: list[int]
) -> tuple[np.ndarray, np.ndarray]:
    """The document numbers (uint32) and weights (float32) of consecutive blocks
    of a list, from their block_arrays and the last number of each, in native order."""
    deltas = np.concatenate([block[1] for block in blocks], dtype=np.uint32)
    weights = np.concatenate([block[2] for block in blocks], dtype=np.float32)
    # A block's first delta is its first number counted from the last of the block before.
    starts = np.cumsum([0, *(len(block[1]) for block in blocks[:-1])], dtype=np.intp)
    firsts = np.array([block[0] for block in blocks], dtype=np.uint32)
    deltas[starts] = firsts - np.array([0, *last_ids[:-1]], dtype=np.uint32)
    return np.cumsum(deltas, dtype=np.uint32), weights


def encode_narrow_block(ids, weights, values: list[bytes], compression: int) -> bytes:
    """A NarrowBlocksCodec block: part A narrow and uncompressed, part B as before.
    The first number stands apart, so that the deltas' width follows the gaps
    between the block's documents, not how far into the index it lies."""
    deltas = _narrowest([0, *(b - a for a, b in pairwise(ids))])
    counts = all(float(weight).is_integer() and 0 <= weight < 256 for weight in weights)
    stored = array("B", map(int, weights)) if counts else array("f", weights)
    header = bytes([deltas.itemsize, stored.itemsize]) + _FIRST_ID.pack(ids[0])
    first = header + _stored(deltas) + _stored(stored)
    return _PART_LENGTH.pack(len(first)) + first + _second_part(values, len(ids), compression)


def _narrowest(numbers: list[int]) -> array:
    top = max(numbers, default=0)
    code = "B" if top < 2**8 else "H" if top < 2**16 else "I"
    return array(code, numbers)


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

    encode = staticmethod(encode_block)

    def _write_block(self, last: bool = False) -> None:
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        databytes = self.encode(self._ids, self._weights, self._values, self._compression)
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

    narrow = False

    def _read_data(self) -> None:
        data = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)
        count, compressed = self._blocklength, bool(self._compression)
        ids, weights = ids_and_weights([block_arrays(data, count, compressed, self.narrow)], [])
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
    """Split blocks, part A compressed: what the site wrote with before
    NarrowBlocksCodec, still read in the segments it wrote."""

    writer_class: type[SplitBlocksWriter] = SplitBlocksWriter
    matcher_class: type[SplitBlocksMatcher] = SplitBlocksMatcher

    def postings_writer(self, dbfile, byteids: bool = False):
        if byteids:  # term vectors, which the schema does not store
            return super().postings_writer(dbfile, byteids)
        return self.writer_class(
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
        return self.matcher_class(dbfile, offset, length, format_, term=term, scorer=scorer)


class NarrowBlocksWriter(SplitBlocksWriter):
    encode = staticmethod(encode_narrow_block)


class NarrowBlocksMatcher(SplitBlocksMatcher):
    narrow = True


class NarrowBlocksCodec(SplitBlocksCodec):
    """The site's codec: what every segment written from now on uses (split
    blocks whose numbers are stored narrow, not compressed)."""

    writer_class = NarrowBlocksWriter
    matcher_class = NarrowBlocksMatcher
