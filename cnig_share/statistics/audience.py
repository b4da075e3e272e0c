"""Views of a resource's page and downloads of its files, counted per
resource and day, for its CTD and the curators.

Nothing about the visitor is kept: no cookie is set, no address, browser or
time of day is stored — only a number per resource and day, raised by one
upsert (INSERT … ON CONFLICT DO UPDATE), so that several workers counting
at once all count and the table grows by one row per resource and day at
most. A browser's prefetch (`Sec-Purpose: prefetch`, `Purpose: prefetch`),
a HEAD request and an obvious robot are not counted. Only published
resources are counted: drafts are read by their authors, not an audience.

Like the searches without results (search/misses.py), a count is written in a
short transaction of its own, never with the request's session; a count that
cannot be written is logged and the page answers all the same."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, timedelta

from flask import Request, request
from sqlalchemy import case, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from cnig_share import upserts
from cnig_share.dates import today
from cnig_share.extensions import db
from cnig_share.models import Resource, ResourceDailyCount

logger = logging.getLogger(__name__)

RECENT_DAYS = 30
# Crawlers, link previews, monitors and HTTP libraries name themselves so; a
# browser's user agent has none of these words.
ROBOT = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|scrap|archiver|preview|monitor|uptime|checker|validator"
    r"|headless|lighthouse|pingdom|facebookexternalhit|embedly|feed|curl|wget|httpie|python"
    r"|java/|okhttp|go-http|libwww|httpclient|axios|node-fetch|undici|ruby|perl|php",
    re.IGNORECASE,
)


def is_counted(incoming: Request) -> bool:
    """Whether this request is a person looking: a GET, not a prefetch, not a robot."""
    if incoming.method != "GET":
        return False
    purpose = " ".join(
        incoming.headers.get(name, "") for name in ("Sec-Purpose", "Purpose", "X-Purpose", "X-Moz")
    ).lower()
    if "prefetch" in purpose or "prerender" in purpose or "preview" in purpose:
        return False
    agent = incoming.headers.get("User-Agent", "")
    return bool(agent.strip()) and not ROBOT.search(agent)


def count_view(resource: Resource) -> None:
    """A person opened the resource's page."""
    _count(resource, "views")


def count_download(resource: Resource) -> None:
    """A person downloaded one of its files."""
    _count(resource, "downloads")


def _count(resource: Resource, column: str) -> None:
    if not resource.is_published or not is_counted(request):
        return
    try:
        with Session(db.engine) as session, session.begin():
            statement = upserts.insert(session, ResourceDailyCount).values(
                resource_id=resource.id, day=today(), **{"views": 0, "downloads": 0, column: 1}
            )
            session.execute(
                statement.on_conflict_do_update(
                    index_elements=[ResourceDailyCount.resource_id, ResourceDailyCount.day],
                    set_={column: getattr(ResourceDailyCount, column) + 1},
                )
            )
    except SQLAlchemyError:
        logger.exception("View or download not counted")


@dataclass(frozen=True)
class Audience:
    views: int
    downloads: int
    recent_views: int  # in the last RECENT_DAYS days, today included
    recent_downloads: int
    since: date | None  # the first day counted


def audience_of(resource: Resource) -> Audience:
    """The resource's views and downloads, in all and lately."""
    recent = ResourceDailyCount.day > today() - timedelta(days=RECENT_DAYS)
    row = db.session.execute(
        select(
            func.coalesce(func.sum(ResourceDailyCount.views), 0),
            func.coalesce(func.sum(ResourceDailyCount.downloads), 0),
            func.coalesce(func.sum(case((recent, ResourceDailyCount.views), else_=0)), 0),
            func.coalesce(func.sum(case((recent, ResourceDailyCount.downloads), else_=0)), 0),
            func.min(ResourceDailyCount.day),
        ).where(ResourceDailyCount.resource_id == resource.id)
    ).one()
    return Audience(int(row[0]), int(row[1]), int(row[2]), int(row[3]), row[4])
