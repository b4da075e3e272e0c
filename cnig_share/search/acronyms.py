"""Acronyms defined in a text: "plan corps de rue simplifié (PCRS)" and
"PCRS (plan corps de rue simplifié)", kept only when the acronym's letters
are the beginnings of the expansion's words in order. French function words
may give no letter (*de*, *du*, *à*…); a word may give more than its initial
(*OCcupation du Sol* → OCS, *DIrection … NUMérique* → DINUM)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from cnig_share.search.analysis import stems
from cnig_share.text import fold

SCAN_CHARS = 300_000  # of each text looked through
MAX_LETTERS = 10
# Words that may stand in an expansion without giving a letter to the acronym.
FUNCTION_WORDS = frozenset(
    [
        "a",
        "au",
        "aux",
        "d",
        "de",
        "des",
        "du",
        "en",
        "et",
        "l",
        "la",
        "le",
        "les",
        "par",
        "pour",
        "sur",
        "un",
        "une",
        "dans",
        "avec",
    ]
)
LOOK_BACK = 250  # characters before "(ACRO)" where its expansion may start
MAX_DEFINITIONS = 200  # looked at per text and form: a text defines a few, not thousands
# A word of letters with two capitals or more, perhaps a second part ("OCS GE",
# "LiDAR HD"); no digits. Bounded, so that a run of letters costs no backtracking.
_ACRONYM = r"\b[A-Z](?=[a-z]{0,8}[A-Z])[A-Za-z]{1,9}(?:[ -][A-Z]{2,6})?\b"
# "expansion (ACRO)": the acronym alone in its brackets.
_AFTER = re.compile(r"\(\s*(" + _ACRONYM + r")\s*\)")
# "ACRO (expansion)": a word that looks like an acronym, then words in brackets.
_BEFORE = re.compile(r"(" + _ACRONYM + r")\s*\(([^()\n]{3,150})\)")
_WORD = re.compile(r"\w+")
# Where a clause ends: an expansion never reaches back over these.
_CLAUSE_END = re.compile(r"[.;:!?()\[\]\n,«»\"]")


@dataclass(frozen=True)
class AcronymPair:
    acronym: str  # as written, spaces normalised: "OCS GE"
    expansion: str  # as written: "occupation du sol à grande échelle"

    @property
    def key(self) -> tuple[str, str]:
        """What two ways of writing the same pair share: the acronym's letters,
        the expansion's stems (plurals, accents and case aside)."""
        return acronym_key(self.acronym), " ".join(stems(self.expansion))


def acronym_key(acronym: str) -> str:
    return re.sub(r"[^a-z]", "", fold(acronym.lower()))


def pairs_in(text: str) -> set[AcronymPair]:
    """Every acronym the text defines, with its expansion."""
    text = (text or "")[:SCAN_CHARS]
    found: set[AcronymPair] = set()
    for match in islice(_AFTER.finditer(text), MAX_DEFINITIONS):
        acronym = _normalised(match.group(1))
        before = _CLAUSE_END.split(text[max(0, match.start() - LOOK_BACK) : match.start()])[-1]
        expansion = _expansion_ending(before, acronym_key(acronym))
        if expansion:
            found.add(AcronymPair(acronym, expansion))
    for match in islice(_BEFORE.finditer(text), MAX_DEFINITIONS):
        acronym = _normalised(match.group(1))
        inside = " ".join(match.group(2).split())
        spans = list(_WORD.finditer(inside))
        while spans and fold(spans[0].group().lower()) in FUNCTION_WORDS:  # "(le plan …)"
            spans.pop(0)
        words = tuple(_folded([span.group() for span in spans]))
        if words and initials_agree(acronym_key(acronym), words):
            found.add(AcronymPair(acronym, inside[spans[0].start() :]))
    return found


def _normalised(acronym: str) -> str:
    return " ".join(acronym.replace("-", " ").split())


def _folded(words: list[str]) -> list[str]:
    return [fold(word.lower()) for word in words]


def _expansion_ending(before: str, letters: str) -> str | None:
    """The shortest run of words ending `before` whose initials spell `letters`."""
    if not 2 <= len(letters) <= MAX_LETTERS:
        return None
    spans = list(_WORD.finditer(before))
    words = _folded([span.group() for span in spans])
    for start in range(len(words) - 1, max(-1, len(words) - 3 * len(letters) - 1), -1):
        if words[start] in FUNCTION_WORDS:
            continue
        if initials_agree(letters, tuple(words[start:])):
            return " ".join(before[spans[start].start() : spans[-1].end()].split())
    return None


@lru_cache(maxsize=4096)
def initials_agree(letters: str, words: tuple[str, ...]) -> bool:
    """Whether the words, in order, spell the letters: each word gives the
    first one or more of its letters, a function word may give none."""
    if not letters or len(letters) > MAX_LETTERS or not 2 <= len(words) <= 3 * MAX_LETTERS:
        return False
    return _spell(letters, words)


def _spell(letters: str, words: tuple[str, ...]) -> bool:
    if not words:
        return not letters
    word, rest = words[0], words[1:]
    if word in FUNCTION_WORDS and _spell(letters, rest):
        return True
    for taken in range(1, min(len(word), len(letters)) + 1):
        if word[:taken] != letters[:taken]:
            break
        if _spell(letters[taken:], rest):
            return True
    return False
