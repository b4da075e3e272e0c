"""The site's calendar: French days, months and years, and arithmetic the standard
library does not offer.

Instants are stored in UTC; a day, a month or a year is the one people in France
live in, so an event at 23:30 UTC on 31 December belongs to the next year.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def in_paris(moment: datetime) -> datetime:
    """The same instant on a Paris clock, whose day, month and year the site counts in."""
    return moment.astimezone(PARIS)


def today() -> date:
    """Today's date in France."""
    return datetime.now(PARIS).date()


def day_start(day: date) -> datetime:
    """The instant (UTC) at which `day` begins in Paris."""
    return datetime.combine(day, time(), PARIS).astimezone(UTC)


def add_months(moment: datetime, months: int) -> datetime:
    """The same day `months` later, or the month's last day (31 August + 6 → 28/29 February)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def parse_instant(text: str) -> datetime:
    """An ISO 8601 date or instant as an aware UTC datetime (without an offset,
    UTC is meant; a date is its midnight); ValueError when it is not one."""
    moment = datetime.fromisoformat(text)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+01:00 falls before year 1 in UTC
        raise ValueError(text) from None
