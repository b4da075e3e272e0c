"""The only code that reads HX-* headers: one page, or one block of it."""

from __future__ import annotations

from typing import Any

from flask import Response, make_response, render_template, request
from jinja2_fragments.flask import render_block


def is_htmx_request() -> bool:
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
