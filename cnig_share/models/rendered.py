"""Markdown columns that keep their rendering beside them.

A Markdown column `x` has two companions, `x_html` (sanitised HTML) and
`x_text` (the plain words, for the index, snippets and short summaries),
written whenever `x` is set: pages, feeds and the index read them and never
render again. The forms, the API and the imports check a text first
(`markdown.refusal`), so here the render is usually the one they kept.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Text, event
from sqlalchemy.orm import InstrumentedAttribute, Mapped, mapped_column

from cnig_share import markdown


def rendered_column() -> Mapped[str]:
    """A companion column of a Markdown column (its HTML or its plain text)."""
    return mapped_column(Text, default="", server_default="")


def keep_rendered(source: InstrumentedAttribute[str]) -> None:
    """Write `<name>_html` and `<name>_text` whenever the Markdown column is set.

    A text over the render budget raises markdown.RenderRefused: it is never
    stored (the checks before saving give the user the same message).
    """
    name = source.key

    @event.listens_for(source, "set")
    def _render(target: Any, value: str | None, old: Any, initiator: Any) -> None:
        rendered = markdown.render(value)
        setattr(target, f"{name}_html", rendered.html)
        setattr(target, f"{name}_text", rendered.text)
