"""How dates, numbers and plurals read in French: Jinja filters."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import Flask

from cnig_share.dates import PARIS

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


def init_app(app: Flask) -> None:
    app.add_template_filter(french_date, "date_fr")
    app.add_template_filter(french_time, "time_fr")
    app.add_template_filter(french_number, "number_fr")
    app.add_template_filter(plural, "plural")
    app.add_template_filter(file_size, "file_size")
    app.add_template_filter(euros, "euros")
    app.add_template_filter(decimal_fr, "decimal_fr")


def french_date(value: date | datetime | None) -> str:
    """3 mars 2026 — in Paris time for instants; "1er" for the first of the month."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(PARIS).date()
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def french_time(value: datetime) -> str:
    """14 h 05, in Paris time."""
    local = value.astimezone(PARIS)
    return f"{local.hour} h {local.minute:02d}"


def french_number(value: int | float) -> str:
    """12 345 — a narrow no-break space between thousands, a comma for decimals."""
    if isinstance(value, float) and not value.is_integer():
        whole, _, fraction = f"{value:,.1f}".partition(".")
        return whole.replace(",", "\u202f") + "," + fraction
    return f"{int(value):,}".replace(",", "\u202f")


def euros(value: int) -> str:
    """12 345 €"""
    return f"{french_number(value)}\u00a0€"


def decimal_fr(value: Decimal | float, places: int = 2) -> str:
    """1,50 — a fixed number of decimals, French style."""
    whole, _, fraction = f"{value:,.{places}f}".partition(".")
    return whole.replace(",", "\u202f") + ("," + fraction if fraction else "")


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """ "1 ressource", "0 ressource", "3 ressources": French puts 0 and 1 in the singular."""
    word = singular if abs(count) < 2 else (plural_form or singular + "s")
    return f"{french_number(count)} {word}"


def file_size(size: int) -> str:
    """ "350 octets", "12,5 Ko", "25 Mo": French units, powers of 1024."""
    if size < 1024:
        return plural(size, "octet")
    for unit in ("Ko", "Mo", "Go"):
        size /= 1024
        if size < 1024 or unit == "Go":
            break
    return f"{french_number(round(size, 1))} {unit}"
