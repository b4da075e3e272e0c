"""CSV files, in two dialects, written here and nowhere else.

- The *spreadsheet* dialect is for people who open a table in a spreadsheet
  (national costs, the curators' dashboard): `;` between cells, UTF-8 with a
  byte order mark, French column headings, decimal comma, as a French
  spreadsheet expects.
- The *import* dialect is for the files `cnig-share` reads back (the
  glossary's CSV) and for `cnig-share export --format csv`: `,` between cells,
  UTF-8 without a mark, the English column names the import checks.

Both neutralise formulas (OWASP, "CSV injection"): some cells hold what a
visitor typed, and a spreadsheet would run a cell starting with `=`, `+`,
`-`, `@`, a tab or a carriage return as a formula. A quote put in front makes
it text. In the import dialect the quote is an escape that the reader takes
off again (`unescape`), so that an export imported back gives the same text —
a Markdown list ("- point") included.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from flask import Response

from cnig_share.dates import today

# What a spreadsheet takes for the start of a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


@dataclass(frozen=True)
class Dialect:
    delimiter: str
    byte_order_mark: bool
    decimal_comma: bool


SPREADSHEET = Dialect(delimiter=";", byte_order_mark=True, decimal_comma=True)
IMPORT = Dialect(delimiter=",", byte_order_mark=False, decimal_comma=False)


def neutralise(text: str) -> str:
    """Text a spreadsheet cannot run: a quote in front of a formula's start.

    A text already starting with the quote before such a character (or before
    another quote) gets one more, so that `unescape` is its exact inverse."""
    if text.startswith(FORMULA_STARTS):
        return ESCAPE + text
    if text.startswith(ESCAPE) and text[1:2] and text[1] in (*FORMULA_STARTS, ESCAPE):
        return ESCAPE + text
    return text


def unescape(text: str) -> str:
    """A cell of an import-dialect file as it was before `neutralise`."""
    if text.startswith(ESCAPE) and text[1:2] and text[1] in (*FORMULA_STARTS, ESCAPE):
        return text[1:]
    return text


def _cell(value: object, dialect: Dialect) -> object:
    if value is None:
        return ""
    if isinstance(value, int):
        return value  # a number, never a formula: -5 stays -5
    if isinstance(value, float | Decimal):
        text = format(value, "f") if isinstance(value, Decimal) else repr(value)
        return text.replace(".", ",") if dialect.decimal_comma else text
    return neutralise(str(value))


def csv_text(rows: Iterable[Sequence[object]], dialect: Dialect = IMPORT) -> str:
    """The rows as CSV text in `dialect`, lines ending in a bare newline."""
    out = io.StringIO()
    if dialect.byte_order_mark:
        out.write("\ufeff")
    writer = csv.writer(out, delimiter=dialect.delimiter, lineterminator="\n")
    for row in rows:
        writer.writerow([_cell(value, dialect) for value in row])
    return out.getvalue()


def download(name: str, rows: Iterable[Sequence[object]], dialect: Dialect) -> Response:
    """A CSV attachment named ``cnig-partage-<name>-<today>.csv``, header row first."""
    response = Response(csv_text(rows, dialect), mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="cnig-partage-{name}-{today():%Y-%m-%d}.csv"'
    )
    return response


def spreadsheet_download(name: str, rows: Iterable[Sequence[object]]) -> Response:
    """A table for a spreadsheet: `;`, UTF-8 with BOM, decimal comma."""
    return download(name, rows, SPREADSHEET)


def import_download(name: str, rows: Iterable[Sequence[object]]) -> Response:
    """A file `cnig-share` imports back: `,`, UTF-8, the import's column names."""
    return download(name, rows, IMPORT)
