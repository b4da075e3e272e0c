"""Sections other domains add to /statistiques, and the table they are made of.

A domain that has public figures to show provides them under a section's key
at init_app (`provide("discussions", tables)`): the page then shows its
tables, charts and CSV files like its own. Until one is provided, the page
keeps the section and says its figures are not available yet.

Discussions provide theirs this way (cnig_share/discussions/statistics.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app

Rows = list[tuple[str, int]]


@dataclass(frozen=True)
class Table:
    """One table of figures: its chart, its data table and its CSV file."""

    key: str  # in the page's anchors and the CSV's address: letters, digits and -
    title: str
    rows: Rows
    first: str = "Libellé"  # the heading of the labels' column
    second: str = "Nombre"  # of the values' column


Provider = Callable[[], list[Table]]

EXTENSION = "cnig_statistics"


def provide(app: Flask, section: str, tables: Provider) -> None:
    """Make `tables` the figures of `section` on /statistiques."""
    app.extensions.setdefault(EXTENSION, {})[section] = tables


def provided(section: str) -> list[Table] | None:
    """The figures a domain provided for `section`, or None if none did."""
    provider = current_app.extensions.get(EXTENSION, {}).get(section)
    return None if provider is None else provider()
