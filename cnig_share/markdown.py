"""Markdown to safe HTML, rendered once when a text is saved.

Pages, feeds, snippets and the search index read the stored result (HTML
and plain text) and never render again. markdown-it-py parses in linear
time (Python-Markdown took 10.7 s on 8,000 "[" and about 28 minutes on the
100,000 characters a roadmap may hold), so the cost of a save is bounded by
the length limits; the budget below refuses whatever still takes too long.
"""

from __future__ import annotations

import gc
import html
import math
import multiprocessing
import re
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

import nh3
from flask import Flask, current_app, has_app_context
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.deflist import deflist_plugin

# CPU seconds one text may take to render: the default of MARKDOWN_RENDER_BUDGET.
DEFAULT_BUDGET = 0.5
REFUSAL = (
    "Ce texte demande trop de calcul pour être mis en forme. Merci de simplifier sa "
    "mise en forme Markdown (longues suites de crochets, d'astérisques ou de chevrons, "
    "listes et citations très imbriquées) ou de le scinder."
)
ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "caption", "code", "dd", "del", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "img", "li", "ol", "p", "pre", "s",
    "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "td": {"align"},
    "th": {"align", "scope"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# A table goes in the DSFR table container, whose inner box scrolls sideways: a wide
# table scrolls on its own instead of widening the whole page (issue 17 §3). The box
# takes the keyboard focus so that it can be scrolled without a mouse (RGAA 7.3).
TABLE_OPEN = (
    '<div class="fr-table{modifier}"><div class="fr-table__wrapper">'
    '<div class="fr-table__container" tabindex="0"><div class="fr-table__content"><table>'
)
TABLE_CLOSE = "</table></div></div></div></div>"
_TABLE_TAGS = re.compile(r"<table>(\s*<caption>)?|</table>")


class RenderRefused(ValueError):
    """A text that could not be rendered within the budget: it is not saved."""

    def __init__(self) -> None:
        super().__init__(REFUSAL)


@dataclass(frozen=True)
class Rendered:
    """A Markdown text as it is stored: sanitised HTML and the words a reader sees."""

    html: str
    text: str


def init_app(app: Flask) -> None:
    app.add_template_filter(first_sentence, "first_sentence")


class _Deadline(threading.local):
    """When this thread's render must stop, in CPU seconds (none outside a render)."""

    at: float = math.inf
    steps: int = 0
    collection_started: float = 0.0


_deadline = _Deadline()


def _collection_is_not_the_texts_cost(phase: str, info: dict) -> None:
    # A full garbage collection runs in whichever thread happens to allocate
    # and costs in proportion to the whole heap (0.5 s on a large worker),
    # not to the text: its time moves this thread's deadline back.
    if _deadline.at == math.inf:
        return
    if phase == "start":
        _deadline.collection_started = time.thread_time()
    else:
        _deadline.at += time.thread_time() - _deadline.collection_started


gc.callbacks.append(_collection_is_not_the_texts_cost)


def _on_time() -> None:
    # Called at each block and at each inline position the parser tries:
    # a render over budget stops there, not after minutes. The clock is read
    # every 64 steps only, which keeps the check under 1 % of a render.
    _deadline.steps += 1
    if _deadline.steps % 64 == 0 and time.thread_time() > _deadline.at:
        raise RenderRefused()


def _block_budget(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    _on_time()
    return False  # never takes the block: the real rules follow


def _inline_budget(state: StateInline, silent: bool) -> bool:
    _on_time()
    return False


def _core_budget(state: StateCore) -> None:
    _deadline.steps = 63  # the next step reads the clock
    _on_time()


def _aligned_cells(state: StateCore) -> None:
    # Tables say their alignment with `style`, which the sanitiser drops:
    # the `align` attribute it keeps says the same.
    for token in state.tokens:
        if token.type in ("th_open", "td_open"):
            style = token.attrs.pop("style", None)
            if isinstance(style, str) and style.startswith("text-align:"):
                token.attrs["align"] = style.removeprefix("text-align:")


def _parser() -> MarkdownIt:
    # CommonMark with raw HTML (sanitised afterwards), tables, ~~strikethrough~~
    # and definition lists: what the site's texts used with Python-Markdown.
    parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    parser.use(deflist_plugin)
    # Every link is parsed as a link; the sanitiser alone decides which
    # addresses survive (markdown-it would leave "[x](javascript:…)" as text).
    parser.validateLink = lambda url: True
    parser.core.ruler.push("aligned_cells", _aligned_cells)
    parser.block.ruler.before("table", "budget", _block_budget)
    parser.inline.ruler.before("text", "budget", _inline_budget)
    parser.core.ruler.after("block", "budget_after_block", _core_budget)
    parser.core.ruler.after("inline", "budget_after_inline", _core_budget)
    return parser


_PARSER = _parser()


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    # Images only from this site: a remote image would track readers.
    if tag == "img" and attribute == "src":
        return value if value.startswith("/") and not value.startswith("//") else None
    return value


def sanitised_html(text: str) -> str:
    """Markdown rendered to HTML that carries no script, handler or style (no budget)."""
    return _in_table_containers(_sanitised(text))


def _in_table_containers(clean_html: str) -> str:
    # The sanitiser writes a table's tags as exactly "<table>" and "</table>" (no
    # attribute is allowed on it) and escapes "<" in text and attribute values, so
    # these are the tables and nothing else. Without a caption, the container keeps
    # no room for one.
    def wrapped(tag: re.Match[str]) -> str:
        if tag.group(0) == "</table>":
            return TABLE_CLOSE
        modifier = "" if tag.group(1) else " fr-table--no-caption"
        return TABLE_OPEN.format(modifier=modifier) + (tag.group(1) or "")

    return _TABLE_TAGS.sub(wrapped, clean_html)


def _sanitised(text: str) -> str:
    return nh3.clean(
        _PARSER.render(text or ""),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener nofollow",
        attribute_filter=_keep_attribute,
        strip_comments=True,
    )


def text_of(clean_html: str) -> str:
    """The words a reader sees in some sanitised HTML, without markup."""
    return html.unescape(nh3.clean(clean_html, tags=set()))


def budget() -> float:
    """The MARKDOWN_RENDER_BUDGET setting, in CPU seconds."""
    if has_app_context():
        return float(current_app.config.get("MARKDOWN_RENDER_BUDGET", DEFAULT_BUDGET))
    return DEFAULT_BUDGET


@lru_cache(maxsize=32)
def _rendered(text: str, seconds: float) -> Rendered:
    # CPU time of this thread: other processes on the machine do not count
    # against a text, only its own cost does.
    _deadline.at = time.thread_time() + seconds
    try:
        clean = sanitised_html(text)
        rendered = Rendered(clean, text_of(clean))
        if time.thread_time() > _deadline.at:
            raise RenderRefused()
    finally:
        _deadline.at = math.inf
    return rendered


def render(text: str | None) -> Rendered:
    """A text rendered under the budget; raises RenderRefused past it.

    The last renders are kept: the check of a form or an import line and
    the model that stores the text then share one render. Texts rendered
    ahead (`rendered_ahead`) are taken as they are.
    """
    text = text or ""
    ahead = getattr(_ahead, "renders", None)
    if ahead is not None and text in ahead:
        found = ahead[text]
        if found is None:
            raise RenderRefused()
        return found
    return _rendered(text, budget())


_ahead = threading.local()
Ahead = dict[str, Rendered | None]  # a text → its render, or None when refused


@contextmanager
def render_pool(processes: int) -> Iterator[Callable[[list[str]], Callable[[], Ahead]]]:
    """For a bulk import: a function that sends texts to be rendered in `processes`
    other processes, each under the budget as in `render`, and gives back how to
    wait for them (None for a refused text). Rendering is most of checking a line,
    and this process renders one text at a time; the next lines' texts render while
    this process checks and stores the present ones."""
    seconds = budget()
    context = multiprocessing.get_context("spawn")  # nothing of this process's state
    pool = ProcessPoolExecutor(max_workers=processes, mp_context=context)

    def send(texts: list[str]) -> Callable[[], Ahead]:
        distinct = list(dict.fromkeys(texts))
        found = pool.map(_render_or_refuse, distinct, [seconds] * len(distinct), chunksize=8)
        return lambda: dict(zip(distinct, found, strict=True))

    try:
        yield send
    finally:
        # An import refused early does not wait for the texts sent ahead.
        pool.shutdown(wait=True, cancel_futures=True)


def _render_or_refuse(text: str, seconds: float) -> Rendered | None:
    try:
        return _rendered(text, seconds)
    except RenderRefused:
        return None


@contextmanager
def rendered_ahead(renders: Ahead) -> Iterator[None]:
    """Within the block, `render` takes these texts as rendered (render_pool)."""
    previous = getattr(_ahead, "renders", None)
    _ahead.renders = renders
    try:
        yield
    finally:
        _ahead.renders = previous


def refusal(text: str | None) -> str | None:
    """Why a text cannot be stored (a French sentence), or None when it renders in time."""
    try:
        render(text)
    except RenderRefused as refused:
        return str(refused)
    return None


def fallback(text: str) -> Rendered:
    """What an existing text over the budget shows: its words, escaped, unformatted."""
    return Rendered(f"<p>{html.escape(text)}</p>", text)


def first_sentence(plain: str | None, limit: int = 240) -> str:
    """The opening sentence of some stored plain text: a short definition."""
    words = " ".join((plain or "").split())
    end = words.find(". ")
    sentence = words[: end + 1] if 0 < end < limit else words
    if len(sentence) > limit:
        sentence = sentence[:limit].rsplit(" ", 1)[0] + " …"
    return sentence
