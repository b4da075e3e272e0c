"""CSV downloads: one shape for every table the site lets people take away
(and the same text for the files the commands write)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from flask import Response

from cnig_share.dates import today


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    """The rows as CSV text, lines ending in a bare newline."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def csv_download(name: str, rows: Iterable[Sequence[object]]) -> Response:
    """A CSV attachment named ``cnig-partage-<name>-<today>.csv``, header row first."""
    response = Response(csv_text(rows), mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="cnig-partage-{name}-{today():%Y-%m-%d}.csv"'
    )
    return response
