"""Small text helpers shared by several domains."""

from __future__ import annotations

import re
import unicodedata
from typing import Any


def fold(text: str) -> str:
    """Lower-case without accents: "Île-de-France" → "ile-de-france"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def like_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, its own % and _ taken literally
    (use with escape="\\")."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# NUL or a UTF-16 surrogate; found by the regex engine, not a Python loop per
# character (a third of an import's checks).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable(value: Any) -> bool:
    """Text no database keeps, in a value or anywhere inside it: NUL (refused
    by PostgreSQL), or a lone UTF-16 surrogate (JSON can encode one, UTF-8 cannot).
    Walked with a stack, not recursion: nesting depth is the sender's choice."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _UNSTORABLE.search(item):
                return True
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
    return False
