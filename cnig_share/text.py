"""Small text helpers shared by several domains."""

from __future__ import annotations

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


def unstorable(value: Any) -> bool:
    """Text no database keeps, in a value or anywhere inside it: NUL (refused
    by PostgreSQL), or a lone UTF-16 surrogate (JSON can encode one, UTF-8 cannot).
    Walked with a stack, not recursion: nesting depth is the sender's choice."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item or any("\ud800" <= char <= "\udfff" for char in item):
                return True
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
    return False
