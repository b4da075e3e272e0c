"""The only code that reads HX-* headers: one page, or one block of it.

The pattern (STYLE.md): the element htmx replaces has an id, and its content
is a block of the page's own template named after that id; a bad form
re-renders its block with 422, which base.html's htmx `responseHandling`
swaps in; success is a 303, or HX-Redirect for htmx (a 303 would be followed
by the browser inside the request and its page swapped into the block).
"""

from __future__ import annotations

from typing import Any

from flask import Response, make_response, redirect, render_template, request
from jinja2_fragments.flask import render_block


def is_htmx_request() -> bool:
    """True when htmx sent this request (it then wants a block, not a page)."""
    return request.headers.get("HX-Request") == "true"


def render_page_or_block(template: str, block: str, status: int = 200, **context: Any) -> Response:
    """The whole page, or only `block` when htmx asks; caches keep both apart."""
    if is_htmx_request():
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response


def redirect_after_success(location: str) -> Response:
    """A 303 to `location`; for htmx, an HX-Redirect so the whole page goes there."""
    if not is_htmx_request():
        response = redirect(location, 303)
    else:
        response = make_response("", 200)
        response.headers["HX-Redirect"] = location
    response.vary.add("HX-Request")
    return response
