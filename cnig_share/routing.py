"""Addresses: URL converters for identifiers the database can hold (a huge
number in an address is a 404, not an integer overflow in PostgreSQL), and
absolute links built from PUBLIC_URL."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, current_app, request
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # PostgreSQL's integer
DIGITS = re.compile(r"[0-9]{1,10}")
# A resource as a person names it: its number, or its address (/ressources/42-titre).
RESOURCE_REFERENCE = re.compile(r"^(?:.*/ressources/)?([0-9]+)(?:[-/?#].*)?$")


class PublicUrlFlask(Flask):
    """Flask whose absolute links (`url_for(..., _external=True)`, in code and
    templates alike) start with PUBLIC_URL when it is set, never with the
    request's Host header: a forged Host would otherwise reach feeds, API
    answers and every reader who follows them."""

    def url_for(self, /, endpoint: str, *, _external: bool | None = None, **values: Any) -> str:
        public = self.config.get("PUBLIC_URL")
        if not (_external and public):
            return super().url_for(endpoint, _external=_external, **values)
        return public.rstrip("/") + super().url_for(endpoint, _external=False, **values)


def public_url_of_request() -> str:
    """This request's address, on PUBLIC_URL when it is set."""
    public = current_app.config.get("PUBLIC_URL")
    if not public:
        return request.url
    return public.rstrip("/") + request.script_root + request.full_path.removesuffix("?")


class IdConverter(IntegerConverter):
    """A positive database identifier: <id:resource_id>."""

    def __init__(self, map, *args, **kwargs) -> None:
        super().__init__(map, min=1, max=MAX_ID)


def init_app(app: Flask) -> None:
    app.url_map.converters["id"] = IdConverter


def parse_id(value: str | None) -> int | None:
    """An identifier from a query string, or None when it cannot be one."""
    # ASCII digits only: str.isdigit() also accepts "²" or "٣", which int() refuses.
    if value is None or not DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None


def resource_reference(text: str) -> int | None:
    """The resource number in "42" or "https://…/ressources/42-titre", or None."""
    match = RESOURCE_REFERENCE.match(text.strip())
    return parse_id(match.group(1)) if match else None
