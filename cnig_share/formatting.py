"""How dates, numbers and plurals read in French: Jinja filters."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
PARIS = ZoneInfo("Europe/Paris")


def init_app(app: Flask) -> None:
    app.add_template_filter(french_date, "date_fr")
    app.add_template_filter(french_number, "number_fr")
    app.add_template_filter(plural, "plural")


def french_date(value: date | datetime | None) -> str:
    """3 mars 2026 — in Paris time for instants; "1er" for the first of the month."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(PARIS).date()
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def french_number(value: int | float) -> str:
    """12 345 — a narrow no-break space between thousands, a comma for decimals."""
    if isinstance(value, float) and not value.is_integer():
        whole, _, fraction = f"{value:,.1f}".partition(".")
        return whole.replace(",", "\u202f") + "," + fraction
    return f"{int(value):,}".replace(",", "\u202f")


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """ "1 ressource", "0 ressource", "3 ressources": French puts 0 and 1 in the singular."""
    word = singular if abs(count) < 2 else (plural_form or singular + "s")
    return f"{french_number(count)} {word}"
