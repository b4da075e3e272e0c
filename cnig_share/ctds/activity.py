"""How active each CTD is: a sum of counts from a short list of sources.

Each source counts, per CTD, something a visitor may see. The map's activity
colouring adds them up; its table shows each. Consultations add the open ones
they ask each CTD to answer (consultations/activity.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from cnig_share import permissions
from cnig_share.extensions import db
from cnig_share.models import Project, Resource, utcnow

RECENT_DAYS = 365


@dataclass(frozen=True)
class ActivitySource:
    key: str
    label: str  # the table's column heading, and the legend's list of what is counted
    singular: str
    plural: str
    count: Callable[[], dict[int, int]]  # CTD id -> count; CTDs with none may be left out


def recently_published() -> dict[int, int]:
    """Resources published in the last 12 months, as a visitor sees them."""
    since = utcnow() - timedelta(days=RECENT_DAYS)
    query = (
        select(Resource.ctd_id, func.count(Resource.id))
        .where(permissions.public(), Resource.published_at >= since)
        .group_by(Resource.ctd_id)
    )
    return dict(db.session.execute(query).all())


def live_projects() -> dict[int, int]:
    """Projects that are not abandoned: ideas, in preparation, running or done."""
    query = (
        select(Project.ctd_id, func.count(Project.id))
        .where(Project.status != "abandonne")
        .group_by(Project.ctd_id)
    )
    return dict(db.session.execute(query).all())


ACTIVITY_SOURCES: list[ActivitySource] = [
    ActivitySource(
        "recent_resources",
        "Ressources publiées depuis 12 mois",
        "ressource publiée depuis 12 mois",
        "ressources publiées depuis 12 mois",
        recently_published,
    ),
    ActivitySource("projects", "Projets", "projet", "projets", live_projects),
]


def register(source: ActivitySource) -> None:
    """Let another domain (consultations) count in the activity of CTDs."""
    ACTIVITY_SOURCES.append(source)


def activity_by_ctd() -> dict[str, dict[int, int]]:
    """Each source's counts, by source key then CTD id."""
    return {source.key: source.count() for source in ACTIVITY_SOURCES}
