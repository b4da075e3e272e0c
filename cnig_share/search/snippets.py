"""The passage of a result that matched, with the query's words marked: from
the body, else an attachment (naming it and the page), else the summary.

Analysing a whole body to find two passages cost a third of a search at
10,000 resources (bench/search.py). A cheap accent- and case-blind look for
the start of each stem picks the few places worth analysing first; the
French analyzer then decides, on those places only, what really matches.
"""

from __future__ import annotations

import hashlib
import heapq
import re
from bisect import bisect_left
from collections.abc import Iterator
from functools import lru_cache, partial
from html import escape
from itertools import islice

from markupsafe import Markup

from cnig_share.models import Resource
from cnig_share.search.analysis import WORD, stem_of
from cnig_share.search.kept import Kept
from cnig_share.text import fold

SCAN_CHARS = 200_000  # looked through for candidates, bounded for huge attachments
MAX_CANDIDATES = 100  # word starts considered per text
WINDOW = 300  # a passage: this many characters from its first query word…
AROUND = 100  # …with this much context on either side
PASSAGES = 2

# A passage is marked as Whoosh's highlight() with its ContextFragmenter did:
FRAGMENT_CHARS = 300  # at most this many characters of words in a passage…
SURROUND = 80  # …with this much context before its first mark and after its last
CHAR_LIMIT = 2**15  # no passage past this character of the text
BETWEEN = " … "


def _variants() -> dict[str, str]:
    """Each ASCII letter with the accented letters that fold to it (é → e, ñ → n),
    in both cases. Latin-1 only, which French writes in: a class reaching past
    it made each query's pattern cost milliseconds to compile (bench/search.py)."""
    found: dict[str, str] = {}
    for code in range(0xC0, 0x100):
        char = chr(code)
        base = fold(char)
        if len(base) == 1 and base.isascii() and base.isalpha() and char.islower():
            found[base] = found.get(base, base) + char
    return {base: chars + chars.upper() for base, chars in found.items()}


_ACCENTS = _variants()
# A candidate word's folded start, worked out once per distinct spelling: the
# same few words come back in every text (a tenth of a search when not kept).
_folded = lru_cache(maxsize=4096)(fold)


@lru_cache(maxsize=256)
def _candidates(stems: frozenset[str]) -> re.Pattern[str]:
    """Words starting like a stem, whatever their accents and case. The stem
    minus two letters, since the stemmer rewrites endings (nationaux → national).

    The pattern opens on the class of every prefix's first letter, which lets
    the regex engine skip ahead to those letters alone; only there does it look
    behind for a word's start and at which prefix follows. Opening on `\b`, as
    it first did, the engine tried every prefix at every character: twice the time."""
    firsts, prefixes = [], []
    for stem in sorted(stems):
        prefix = stem[: max(3, len(stem) - 2)]
        first = _either_case(prefix[0])
        firsts.append(first[1:-1] if first.startswith("[") else first)
        rest = "".join(_either_case(char) for char in prefix[1:])
        prefixes.append(f"(?<={first}){rest}")
    # (?<!\w.): the character before the first letter is not one of a word's.
    return re.compile("[" + "".join(firsts) + r"](?<!\w.)(?:" + "|".join(prefixes) + ")")


def _either_case(char: str) -> str:
    """A pattern for the letter in either case and with any accent (without
    re.IGNORECASE, whose classes cost most of the compiling)."""
    if char in _ACCENTS:
        return f"[{_ACCENTS[char]}]"
    upper = char.upper()
    if len(upper) == 1 and upper != char:
        return f"[{re.escape(char)}{re.escape(upper)}]"
    return re.escape(char)


def _places(text: str, pattern: re.Pattern[str]) -> list[str]:
    """The (at most) two excerpts where the most different query words
    start close together, in text order."""
    hits = [
        (found.start(), _folded(found.group()))
        for found in islice(pattern.finditer(text, 0, SCAN_CHARS), MAX_CANDIDATES)
    ]
    windows = []
    for i, (start, _) in enumerate(hits):
        words = {word for position, word in hits[i:] if position - start <= WINDOW}
        windows.append((-len(words), start))
    chosen: list[int] = []
    for _, start in sorted(windows):
        if all(abs(start - other) > WINDOW for other in chosen):
            chosen.append(start)
            if len(chosen) == PASSAGES:
                break
    return [
        text[_boundary(text, start - AROUND, -1) : _boundary(text, start + WINDOW + AROUND, 1)]
        for start in sorted(chosen)
    ]


def _boundary(text: str, position: int, direction: int) -> int:
    """The nearest line break within AROUND characters (a Markdown block is
    then cut whole), else the nearest space."""
    if position <= 0 or position >= len(text):
        return max(0, min(position, len(text)))
    for separator in ("\n", " "):
        if direction < 0:
            found = text.rfind(separator, max(0, position - AROUND), position)
            if found != -1:
                return found + 1
        else:
            found = text.find(separator, position, position + AROUND)
            if found != -1:
                return found
    return position


Passage = tuple[int, int, list[tuple[int, int, str]]]  # start, end, marks (start, end, stem)


def _highlight(text: str, stems: frozenset[str]) -> str:
    """The best PASSAGES passages of `text` with the words of these stems marked,
    in text order, HTML-escaped around the marks. What Whoosh's highlight() made
    (tests/test_search_costs.py compares them), without a Token object per
    word, which made it most of a snippet's cost."""
    best = heapq.nlargest(PASSAGES, _passages(text, stems), key=_passage_score)
    shown = sorted((passage for passage in best if passage[2]), key=lambda passage: passage[0])
    return BETWEEN.join(_marked_up(text, passage) for passage in shown)


def _passage_score(passage: Passage) -> tuple[int, int]:
    """Marks times distinct words marked, ties to the later passage (as Whoosh)."""
    start, _, marks = passage
    return len(marks) * (len({stem for _, _, stem in marks}) * 100 or 1), start


def _passages(text: str, stems: frozenset[str]) -> Iterator[Passage]:
    """The passages around marked words, cut as Whoosh's ContextFragmenter cuts
    them, step for step: some come out empty, which the scoring then drops."""
    first: int | None = None
    # Starts of the words outside passages since the last one: Whoosh keeps those
    # within SURROUND of the latest, for the context before a mark; they are
    # found by bisection when a mark comes (trimming a queue at every word was a
    # third of this loop).
    befores: list[int] = []
    latest = 0  # the end of the latest of them
    countdown = -1  # characters left in the current passage; < 0: not in one
    marks: list[tuple[int, int, str]] = []
    length = 0
    end = 0
    for word in WORD.finditer(text):
        start, end = word.span()
        size = end - start
        if end > CHAR_LIMIT:
            break
        stem = stem_of(word.group())
        matched = stem in stems
        if countdown < 0 and not matched:
            befores.append(start)
            latest = end
        elif length + size > FRAGMENT_CHARS:
            countdown = 0
        elif matched:
            countdown = SURROUND
            if first is None:
                within = bisect_left(befores, latest - SURROUND)
                if within < len(befores):
                    first = befores[within]
                else:
                    first = start
                    countdown += SURROUND
            marks.append((start, end, stem))
        if countdown >= 0:
            length += size
            countdown -= size
            if countdown <= 0:
                yield _passage(text, first, end, marks)
                marks, befores, first, length = [], [], None, 0
    if marks:
        yield _passage(text, first, end, marks)


def _passage(text: str, first: int | None, end: int, marks: list) -> Passage:
    if first is None:
        first = marks[0][0] if marks else 0
    return max(0, first), min(len(text), end), marks


def _marked_up(text: str, passage: Passage) -> str:
    start, end, marks = passage
    parts, at = [], start
    for mark_start, mark_end, _ in marks:  # in text order, apart
        parts.append(escape(text[at:mark_start], quote=False))
        parts.append(f"<mark>{escape(text[mark_start:mark_end], quote=False)}</mark>")
        at = mark_end
    parts.append(escape(text[at:end], quote=False))
    return "".join(parts)


# Passages kept, by the text's digest and the stems: the same results come back for
# the same words (a page of results, then the next visitor's), and finding and
# marking passages was a third of a search once the index's scores were kept.
_kept: Kept[str] = Kept(4096)


def _marked(text: str, stems: frozenset[str]) -> str:
    """Up to two marked passages of `text`, or ""."""
    if not text:
        return ""
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
    return _kept.get_or_make((digest, stems), partial(_found, text, stems))


def _found(text: str, stems: frozenset[str]) -> str:
    places = _places(text, _candidates(stems))
    if not places:
        return ""
    excerpt = PLACES_APART.join(places)
    found = _highlight(excerpt, stems)
    if not found:
        # The candidates were only look-alikes, or sat in markup (a link's
        # address): the whole text, bounded, as a last resort.
        whole = text[:SCAN_CHARS]
        found = _highlight(whole, stems)
    return _separated(found)


# Joins two places of one text, so that they are shown apart (" … ").
PLACES_APART = "\n\u2029\n"
_BETWEEN_PLACES = re.compile(r"\s*\u2029\s*")
_BETWEEN_BLOCKS = re.compile(r"[^\S\n]*\n\s*")


def _separated(passage: str) -> str:
    """The stored plain text keeps one block (a heading, a paragraph, a table
    cell) per line; a page shows line breaks as mere spaces, and "Contexte"
    would run into its paragraph, a cell into the next. A visible separator."""
    passage = _BETWEEN_PLACES.sub(" … ", passage.strip())
    return _BETWEEN_BLOCKS.sub(" · ", passage)


def marked_passage(plain: str, stems: set[str]) -> Markup:
    """Up to two marked passages of the stored plain text of a Markdown text
    (a project's or an actor's description, a roadmap), or nothing."""
    if not stems:
        return Markup("")
    return Markup(_marked(plain, frozenset(stems)))


def snippet_for(resource: Resource, stems: set[str]) -> tuple[Markup, str | None]:
    """The marked passage and, when it is in an attachment, where: "guide.pdf, page 3"."""
    if not stems:
        return Markup(""), None
    wanted = frozenset(stems)
    found = _marked(resource.body_text, wanted)
    if found:
        return Markup(found), None
    for attachment in resource.attachments:
        pages = attachment.pages or [{"page": None, "text": attachment.text}]
        for page in pages:
            found = _marked(page["text"], wanted)
            if found:
                where = attachment.original_name
                if page["page"]:
                    where += f", page {page['page']}"
                return Markup(found), where
    found = _highlight(resource.summary, wanted) if resource.summary else ""
    return Markup(found), None
