"""Small text helpers shared by several domains."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case without accents: "Île-de-France" → "ile-de-france"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def like_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, its own % and _ taken literally
    (use with escape="\\")."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
