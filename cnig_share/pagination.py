"""The ?page= of every listing, read one way: pages, the search and the API."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

MAX_PAGE = 10_000  # deep enough for any listing, shallow enough for any database's OFFSET
# ASCII digits only: str.isdigit() also accepts "²" or "٣", which int() refuses.
_DIGITS = re.compile(r"[0-9]{1,9}")


def whole_number(value: str | None, highest: int) -> int | None:
    """`value` as a whole number from 1 to `highest`; None for anything else
    ("abc", "-1", "0", "²", twenty digits)."""
    if value is None or not _DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if 1 <= number <= highest else None


def page_argument(args: Mapping[str, str], name: str = "page") -> int:
    """The page an HTML listing shows: ?page= (or ?`name`=, for a page of several
    listings) when it is a whole number (at most MAX_PAGE, past the end being an
    empty page), else the first page."""
    value = args.get(name)
    if value is not None and _DIGITS.fullmatch(value) and int(value) > MAX_PAGE:
        return MAX_PAGE
    return whole_number(value, MAX_PAGE) or 1


@dataclass(frozen=True)
class ListPage(Generic[T]):
    """One page of a list already in memory (sorted or counted in Python), with
    the figures the pagination macro reads, as Flask-SQLAlchemy's pages have."""

    items: list[T]
    page: int
    pages: int
    total: int


def page_of(
    items: Sequence[T], args: Mapping[str, str], per_page: int, name: str = "page"
) -> ListPage[T]:
    """The ?page= (or ?`name`=) of `items`, `per_page` to a page (past the end: an
    empty page)."""
    page = page_argument(args, name)
    start = (page - 1) * per_page
    pages = max(1, -(-len(items) // per_page))
    return ListPage(list(items[start : start + per_page]), page, pages, len(items))
