"""A word's posting list in a segment, read in one piece and decoded once per worker.

Whoosh's own matcher reads a block header with some twenty-five small reads
(without mmap, each is a seek and a read of the compound file) and decodes
positions with every block; its per-posting API then costs three Python calls
per posting. Here a word's whole list comes in one read and its blocks are
parsed from memory: document numbers and weights for scoring, kept per
segment (a segment never changes once written, so they outlive the commits
after it), and the positions of a block only where best match asks for them.

This reads the layout of whoosh-reloaded's W3 codec (pinned in pyproject.toml):
the list is a magic tag, then blocks of [length: !i, negative for the last]
[info: pickled (count, last id, max weight, compression, min length, max
length)][data]. The data is one pickled tuple (delta-coded ids, weights,
encoded values), zlib-compressed when the info says so, in segments written by
Whoosh's W3 codec; two parts, numbers apart from positions, in segments
written by codec.SplitBlocksCodec, which is what the site writes with.
"""

from __future__ import annotations

import io
import pickle
import struct
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from itertools import accumulate

from cnig_share.search import codec
from cnig_share.search.kept import Kept

# Postings (a document number and a weight, 8 bytes in arrays) kept decoded per
# worker: at 10,000 content-heavy documents the 838 words found in 50 documents or
# more take 2.6 million.
MAX_KEPT_POSTINGS = 8_000_000
# Blocks whose positions are kept decoded (128 documents each, ~2 KB): best match
# reads the positions of the first results' words.
MAX_KEPT_BLOCKS = 8192

_LENGTH = struct.Struct("!i")
_MAGIC_SIZE = 4


@dataclass(frozen=True)
class _Block:
    count: int
    last_id: int
    start: int  # of its data in the list's bytes
    end: int
    compressed: bool


@dataclass(frozen=True)
class PostingList:
    """A word's list as stored: its bytes and where each block's data lies.
    Inline lists (a word in one document) come decoded from the term's info."""

    raw: bytes
    blocks: list[_Block]
    split: bool  # written by codec.SplitBlocksCodec, else by Whoosh's W3
    inline: tuple[list[int], list[float], list[bytes]] | None = None

    @property
    def last_ids(self) -> list[int]:
        return [block.last_id for block in self.blocks]

    def ids_and_weights(self, number: int) -> tuple[Sequence[int], Sequence[float]]:
        """The document numbers and weights of one block."""
        if self.split and self.inline is None:
            block = self.blocks[number]
            data = self.raw[block.start : block.end]
            return codec.decode_ids_and_weights(data, block.count, block.compressed)
        ids, weights, _ = self._whole(number)
        return ids, weights

    def ids_and_values(self, number: int) -> tuple[Sequence[int], list[bytes]]:
        """The document numbers and encoded values of one block."""
        if self.split and self.inline is None:
            block = self.blocks[number]
            data = self.raw[block.start : block.end]
            ids, _ = codec.decode_ids_and_weights(data, block.count, block.compressed)
            return ids, codec.decode_values(data, block.count, block.compressed)
        ids, _, values = self._whole(number)
        return ids, values

    def _whole(self, number: int) -> tuple[list[int], list[float], list[bytes]]:
        if self.inline is not None:
            return self.inline
        block = self.blocks[number]
        data = self.raw[block.start : block.end]
        ids, weights, values = pickle.loads(zlib.decompress(data) if block.compressed else data)
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
        return PostingList(b"", [_Block(len(ids), inline[0][-1], 0, 0, False)], False, inline)
    offset, length = info.extent()
    if isinstance(length, tuple):  # whoosh-reloaded reads it back as struct.unpack's tuple
        (length,) = length
    # The segment's postings file, which Whoosh's reader keeps to itself.
    raw = leaf._terms._postfile.get(offset, length)
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
    return PostingList(raw, blocks, isinstance(leaf.segment().codec(), codec.SplitBlocksCodec))


# --- kept per worker, by segment --------------------------------------------------------

_scoring: Kept[tuple[array, array]] = Kept(MAX_KEPT_POSTINGS, size=lambda kept: len(kept[0]))
_blocks: Kept[tuple[Sequence[int], list[bytes]]] = Kept(MAX_KEPT_BLOCKS)
_last_ids: Kept[list[int]] = Kept(MAX_KEPT_BLOCKS)  # each word's blocks' last numbers


def for_scoring(leaf, fieldname: str, word: str) -> tuple[array, array]:
    """The word's document numbers in the segment and its weight in each."""
    key = (leaf.segment().segment_id(), fieldname, word)
    return _scoring.get_or_make(key, partial(_decode_all, leaf, fieldname, word))


def _decode_all(leaf, fieldname: str, word: str) -> tuple[array, array]:
    postings = read(leaf, fieldname, word)
    ids, weights = array("I"), array("f")
    for number in range(len(postings.blocks)):
        block_ids, block_weights = postings.ids_and_weights(number)
        ids.extend(block_ids)
        weights.extend(block_weights)
    return ids, weights


def positions(leaf, fieldname: str, word: str, docnums: list[int]) -> dict[int, bytes]:
    """The encoded positions of the word in each of these documents (sorted segment
    document numbers) that hold it. Only the blocks holding them are decoded; the
    list is read at most once, and only when one of them is not kept."""
    key = (leaf.segment().segment_id(), fieldname, word)
    read_once: list[PostingList] = []

    def posting_list() -> PostingList:
        if not read_once:
            read_once.append(read(leaf, fieldname, word))
        return read_once[0]

    last_ids = _last_ids.get_or_make(key, lambda: posting_list().last_ids)
    found: dict[int, bytes] = {}
    for docnum in docnums:
        number = bisect_left(last_ids, docnum)
        if number == len(last_ids):
            break
        decode = partial(_ids_and_values, posting_list, number)
        ids, values = _blocks.get_or_make((*key, number), decode)
        at = bisect_left(ids, docnum)
        if at < len(ids) and ids[at] == docnum:
            found[docnum] = values[at]
    return found


def _ids_and_values(posting_list, number: int) -> tuple[Sequence[int], list[bytes]]:
    return posting_list().ids_and_values(number)
