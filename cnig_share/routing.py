"""URL converters: identifiers the database can hold, so that a huge number
in an address is a 404, not an integer overflow in PostgreSQL."""

from __future__ import annotations

import re

from flask import Flask
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # PostgreSQL's integer
DIGITS = re.compile(r"[0-9]{1,10}")


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
