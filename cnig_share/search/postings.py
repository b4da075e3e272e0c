"""A word's posting list in a segment, read in one piece and decoded once per worker.

Whoosh's own matcher reads a block header with some twenty-five small reads
(without mmap, each is a seek and a read of the compound file) and decodes
positions with every block; its per-posting API then costs three Python calls
per posting. Here a word's whole list comes in one read and its blocks are
parsed from memory: document numbers and weights for scoring, kept per
segment (a segment never changes once written, so they outlive the commits
after it) with where each block lies; the positions of a block are read, alone,
only where best match asks for them, and only the document's are cut out.

This reads the layout of whoosh-reloaded's W3 codec (pinned in pyproject.toml):
the list is a magic tag, then blocks of [length: !i, negative for the last]
[info: pickled (count, last id, max weight, compression, min length, max
length)][data]. The data is one pickled tuple (delta-coded ids, weights,
encoded values), zlib-compressed when the info says so, in segments written by
Whoosh's W3 codec; two parts, numbers apart from positions, in segments
written by codec.SplitBlocksCodec, and the numbers narrow, uncompressed, by
codec.NarrowBlocksCodec, which is what the site writes with.
"""

from __future__ import annotations

import io
import pickle
import struct
import zlib
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial
from itertools import accumulate

import numpy as np

from cnig_share.search import codec
from cnig_share.search.kept import Kept

# Postings (a document number and a weight, 8 bytes) kept decoded per worker: at
# 10,000 content-heavy documents the 838 words found in 50 documents or more take
# 2.6 million.
MAX_KEPT_POSTINGS = 8_000_000
# Blocks whose positions are kept (128 documents each, ~3 KB with their offsets):
# best match reads the positions of the first results' words.
MAX_KEPT_BLOCKS = 8192

_LENGTH = struct.Struct("!i")
_MAGIC_SIZE = 4


@dataclass(frozen=True)
class _Block:
    count: int
    last_id: int
    start: int  # of its data, from the list's start in the postings file
    end: int
    compressed: bool


@dataclass(frozen=True)
class PostingList:
    """A word's list as stored: its bytes and where each block's data lies.
    Inline lists (a word in one document) come decoded from the term's info."""

    raw: bytes
    blocks: list[_Block]
    # The codec that wrote it: "w3" (Whoosh's), "split" (codec.SplitBlocksCodec) or
    # "narrow" (codec.NarrowBlocksCodec); split and narrow blocks keep positions apart.
    written_by: str
    offset: int = 0  # of the list in the segment's postings file
    inline: tuple[list[int], list[float], list[bytes]] | None = None

    def ids_and_weights(self) -> tuple[np.ndarray, np.ndarray]:
        """The document numbers (uint32, ascending) and weights (float32) of the list."""
        if self.inline is not None:
            ids, weights, _ = self.inline
        elif self.written_by != "w3":
            narrow = self.written_by == "narrow"
            arrays = [
                codec.block_arrays(self.raw[b.start : b.end], b.count, b.compressed, narrow)
                for b in self.blocks
            ]
            return codec.ids_and_weights(arrays, [block.last_id for block in self.blocks])
        else:
            blocks = [_w3_block(self.raw[b.start : b.end], b.compressed) for b in self.blocks]
            ids = [number for block in blocks for number in block[0]]
            weights = [weight for block in blocks for weight in block[1]]
        return np.array(ids, dtype=np.uint32), np.array(weights, dtype=np.float32)


def _w3_block(data: bytes, compressed: bool) -> tuple[list[int], list[float], list[bytes]]:
    """A block Whoosh's W3 codec wrote: ids, weights and values in one pickle."""
    ids, weights, values = pickle.loads(zlib.decompress(data) if compressed else data)
    count = len(ids)
    if weights is None or isinstance(weights, float):  # all alike, stored once
        weights = [weights or 1.0] * count
    if values is None:
        values = [b""] * count
    return list(accumulate(ids)), weights, values


def read(leaf, fieldname: str, word: str) -> PostingList:
    """The word's list in this segment (a leaf reader); it must hold the word."""
    info = leaf.term_info(fieldname, word)
    if info.is_inlined():
        ids, weights, values = info.inlined_postings()
        inline = (list(ids), list(weights), list(values or [b""] * len(ids)))
        block = _Block(len(ids), inline[0][-1], 0, 0, False)
        return PostingList(b"", [block], "w3", inline=inline)
    offset, length = info.extent()
    if isinstance(length, tuple):  # whoosh-reloaded reads it back as struct.unpack's tuple
        (length,) = length
    raw = _postings_file(leaf).get(offset, length)
    stream = io.BytesIO(raw)  # shares raw's buffer; tells where each pickled info ends
    blocks, position = [], _MAGIC_SIZE
    while position < length:
        (size,) = _LENGTH.unpack_from(raw, position)
        body = position + _LENGTH.size
        stream.seek(body)
        count, last_id, _, compression, _, _ = pickle.load(stream)
        end = body + abs(size)
        blocks.append(_Block(count, last_id, stream.tell(), end, bool(compression)))
        if size < 0:  # the last block
            break
        position = end
    return PostingList(raw, blocks, _written_by(leaf.segment().codec()), offset)


def _written_by(segment_codec) -> str:
    if isinstance(segment_codec, codec.NarrowBlocksCodec):
        return "narrow"
    return "split" if isinstance(segment_codec, codec.SplitBlocksCodec) else "w3"


def _postings_file(leaf):
    """The segment's postings file, which Whoosh's reader keeps to itself."""
    return leaf._terms._postfile


# --- kept per worker, by segment --------------------------------------------------------


@dataclass(frozen=True)
class _Word:
    """A word's postings in a segment, for scoring, and where its blocks lie (the
    list's layout without its bytes) to read one block's positions later."""

    ids: np.ndarray  # uint32, ascending
    weights: np.ndarray  # float32
    starts: list[int]  # where each block's postings start in ids
    layout: PostingList


_words: Kept[_Word] = Kept(MAX_KEPT_POSTINGS, size=lambda kept: len(kept.ids))
_values: Kept[Sequence[bytes]] = Kept(MAX_KEPT_BLOCKS)  # a block's encoded positions


def for_scoring(leaf, fieldname: str, word: str) -> tuple[np.ndarray, np.ndarray]:
    """The word's document numbers in the segment (uint32) and its weight in each (float32)."""
    kept = _word(leaf, fieldname, word)
    return kept.ids, kept.weights


def _word(leaf, fieldname: str, word: str) -> _Word:
    key = (leaf.segment().segment_id(), fieldname, word)
    return _words.get_or_make(key, partial(_decode_all, leaf, fieldname, word))


def _decode_all(leaf, fieldname: str, word: str) -> _Word:
    postings = read(leaf, fieldname, word)
    ids, weights = postings.ids_and_weights()
    starts = list(accumulate((block.count for block in postings.blocks[:-1]), initial=0))
    layout = replace(postings, raw=b"")
    return _Word(ids, weights, starts, layout)


def positions(leaf, fieldname: str, word: str, docnums: list[int]) -> dict[int, bytes]:
    """The encoded positions of the word in each of these documents (segment
    document numbers) that hold it. Only the blocks holding them are read, each
    alone, and kept."""
    kept = _word(leaf, fieldname, word)
    key = (leaf.segment().segment_id(), fieldname, word)
    found: dict[int, bytes] = {}
    ids = kept.ids
    for docnum, index in zip(docnums, np.searchsorted(ids, docnums).tolist(), strict=True):
        if index == len(ids) or ids[index] != docnum:
            continue
        number = bisect_right(kept.starts, index) - 1
        values = _values.get_or_make((*key, number), partial(_block_values, leaf, kept, number))
        found[docnum] = values[index - kept.starts[number]]
    return found


def _block_values(leaf, kept: _Word, number: int) -> Sequence[bytes]:
    layout = kept.layout
    if layout.inline is not None:
        return layout.inline[2]
    block = layout.blocks[number]
    # The block's bytes alone, where the list's layout puts them in the postings file.
    data = _postings_file(leaf).get(layout.offset + block.start, block.end - block.start)
    if layout.written_by != "w3":
        return codec.Values(data, block.count, block.compressed)
    return _w3_block(data, block.compressed)[2]
