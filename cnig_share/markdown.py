"""Markdown to safe HTML: render, then sanitise with an allow-list."""

from __future__ import annotations

import html
import threading
from functools import lru_cache

import markdown as markdown_lib
import nh3
from flask import Flask
from markupsafe import Markup

EXTENSIONS = ["extra", "sane_lists"]
ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "img", "li", "ol", "p", "pre",
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


def init_app(app: Flask) -> None:
    app.add_template_filter(render, "markdown")
    app.add_template_filter(first_sentence, "first_sentence")


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    # Images only from this site: a remote image would track readers.
    if tag == "img" and attribute == "src":
        return value if value.startswith("/") and not value.startswith("//") else None
    return value


_converters = threading.local()


def _converter() -> markdown_lib.Markdown:
    # Building a converter loads every extension: a third of a short render.
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = markdown_lib.Markdown(extensions=EXTENSIONS, output_format="html")
        _converters.markdown = converter
    return converter.reset()


def render(text: str | None) -> Markup:
    """Markdown rendered to HTML that carries no script, handler or style."""
    html = _converter().convert(text or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener nofollow",
        attribute_filter=_keep_attribute,
        strip_comments=True,
    )
    return Markup(clean)


@lru_cache(maxsize=1024)
def plain_text(text: str) -> str:
    """The words a reader sees in rendered Markdown, without markup."""
    return html.unescape(nh3.clean(str(render(text)), tags=set()))


def first_sentence(text: str, limit: int = 240) -> str:
    """The opening sentence of some Markdown, as plain text: a short definition."""
    plain = " ".join(plain_text(text or "").split())
    end = plain.find(". ")
    sentence = plain[: end + 1] if 0 < end < limit else plain
    if len(sentence) > limit:
        sentence = sentence[:limit].rsplit(" ", 1)[0] + " …"
    return sentence
