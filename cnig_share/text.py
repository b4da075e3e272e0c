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
    by PostgreSQL), or a lone UTF-16 surrogate (JSON can encode one, UTF-8 cannot)."""
    if isinstance(value, str):
        return "\x00" in value or any("\ud800" <= char <= "\udfff" for char in value)
    if isinstance(value, list | tuple):
        return any(unstorable(item) for item in value)
    if isinstance(value, dict):
        return any(unstorable(key) or unstorable(item) for key, item in value.items())
    return False
