"""The public statistics: what is published, by whom (counted only), what is
downloaded and searched. Only what a visitor may see is counted: published
resources (permissions.public), their edits and their downloads; nothing about
drafts, submissions or archived resources, nothing naming a person."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from cnig_share import permissions
from cnig_share.curation.dashboard import MONTH_NAMES
from cnig_share.dates import add_months, day_start, in_paris, today
from cnig_share.extensions import db
from cnig_share.models import KINDS, Ctd, Resource, ResourceDailyCount, Revision
from cnig_share.search import popular
from cnig_share.statistics.registry import Rows, Table, provided
from cnig_share.text import fold

MONTHS = 12
MOST_SEARCHED = 20


@dataclass
class Section:
    key: str
    title: str
    tables: list[Table] | None  # None: figures not available yet (registry)
    note: str = ""


def sections() -> list[Section]:
    """Every section of /statistiques, in the page's order."""
    first = first_month()
    months = f"{MONTHS} derniers mois"
    return [
        Section(
            "publications",
            "Publications",
            [
                Table(
                    "publications-par-mois",
                    f"Ressources publiées par mois ({months})",
                    published_per_month(first),
                    "Mois",
                    "Ressources",
                ),
                Table(
                    "publications-par-type",
                    "Ressources publiées par type",
                    published_per_kind(),
                    "Type",
                    "Ressources",
                ),
                Table(
                    "publications-par-ctd",
                    "Ressources publiées par CTD",
                    published_per_ctd(),
                    "CTD",
                    "Ressources",
                ),
            ],
        ),
        Section(
            "contributeurs",
            "Contributeurs",
            [
                Table(
                    "contributeurs-actifs",
                    f"Contributeurs actifs par mois ({months})",
                    active_contributors(first),
                    "Mois",
                    "Contributeurs",
                )
            ],
            "Une personne est comptée un mois où une ressource qu'elle a rédigée a été "
            "publiée, ou où elle a modifié une ressource publiée. Seul leur nombre est montré.",
        ),
        Section("discussions", "Discussions et réponses", provided("discussions")),
        Section(
            "telechargements",
            "Téléchargements",
            [
                Table(
                    "telechargements-par-mois",
                    f"Téléchargements de documents par mois ({months})",
                    downloads_per_month(first),
                    "Mois",
                    "Téléchargements",
                )
            ],
            "Comptés par jour et par ressource publiée, sans cookie ni adresse IP ; les "
            "robots et les préchargements des navigateurs ne sont pas comptés.",
        ),
        Section(
            "recherches",
            "Les mots les plus cherchés",
            [
                Table(
                    "mots-cherches",
                    f"Les {MOST_SEARCHED} mots les plus cherchés ({popular.DAYS} derniers jours)",
                    popular.most_searched(MOST_SEARCHED),
                    "Mot",
                    "Recherches",
                )
            ],
            f"Mots d'au moins {popular.MIN_LETTERS} lettres, tirés des recherches qui ont "
            "trouvé quelque chose et présents dans les contenus publiés ; un mot apparaît une "
            f"fois cherché au moins {popular.MIN_SEARCHES} fois, sur au moins "
            f"{popular.MIN_DAYS} jours différents. Les recherches elles-mêmes ne sont pas "
            "conservées.",
        ),
    ]


def tables() -> dict[str, Table]:
    """Every table of the page by its key (for its CSV file)."""
    return {table.key: table for section in sections() for table in section.tables or []}


# --- months ---------------------------------------------------------------------------


def first_month() -> datetime:
    """The first instant of the first of the MONTHS months shown, in Paris."""
    this_month = in_paris(day_start(today())).replace(day=1)
    return add_months(this_month, 1 - MONTHS)


def _months(first: datetime) -> list[tuple[int, int]]:
    return [(m.year, m.month) for m in (add_months(first, n) for n in range(MONTHS))]


def by_month(first: datetime, counted: Counter[tuple[int, int]]) -> Rows:
    """One row per month, oldest first, months without any included."""
    return [(f"{MONTH_NAMES[m - 1]} {y}", counted.get((y, m), 0)) for y, m in _months(first)]


def month_of(moment: datetime | date) -> tuple[int, int]:
    if isinstance(moment, datetime):
        moment = in_paris(moment)
    return moment.year, moment.month


# --- figures --------------------------------------------------------------------------


def published_per_month(first: datetime) -> Rows:
    """Published resources by the month of their publication."""
    dates = db.session.scalars(
        select(Resource.published_at).where(permissions.public(), Resource.published_at >= first)
    )
    return by_month(first, Counter(map(month_of, dates)))


def published_per_kind() -> Rows:
    counted = dict(
        db.session.execute(
            select(Resource.kind, func.count(Resource.id))
            .where(permissions.public())
            .group_by(Resource.kind)
        ).all()
    )
    return [(label, counted.get(kind, 0)) for kind, label in KINDS.items()]


def published_per_ctd() -> Rows:
    """Every CTD, the most published first (a CTD without any shows 0)."""
    rows = db.session.execute(
        select(Ctd.name, func.count(Resource.id))
        .outerjoin(Resource, (Resource.ctd_id == Ctd.id) & permissions.public())
        .group_by(Ctd.id, Ctd.name)
    ).all()
    return sorted(((name, int(n)) for name, n in rows), key=lambda row: (-row[1], fold(row[0])))


def active_contributors(first: datetime) -> Rows:
    """Distinct people a month: authors of what was published, editors of what is."""
    published = db.session.execute(
        select(Resource.author_id, Resource.published_at).where(
            permissions.public(), Resource.published_at >= first, Resource.author_id.is_not(None)
        )
    )
    edited = db.session.execute(
        select(Revision.author_id, Revision.created_at)
        .join(Resource, Resource.id == Revision.resource_id)
        .where(permissions.public(), Revision.created_at >= first, Revision.author_id.is_not(None))
    )
    return _distinct_per_month(first, [*published, *edited])


def _distinct_per_month(first: datetime, rows: Iterable[tuple[int, datetime]]) -> Rows:
    people: dict[tuple[int, int], set[int]] = defaultdict(set)
    for person, moment in rows:
        people[month_of(moment)].add(person)
    return by_month(first, Counter({month: len(found) for month, found in people.items()}))


def downloads_per_month(first: datetime) -> Rows:
    """Downloads of the files of published resources, by month."""
    per_day = db.session.execute(
        select(ResourceDailyCount.day, func.sum(ResourceDailyCount.downloads))
        .join(Resource, Resource.id == ResourceDailyCount.resource_id)
        .where(permissions.public(), ResourceDailyCount.day >= in_paris(first).date())
        .group_by(ResourceDailyCount.day)
    )
    counted: Counter[tuple[int, int]] = Counter()
    for day, n in per_day:
        counted[month_of(day)] += int(n or 0)
    return by_month(first, counted)
