"""The national figures: running costs and costs avoided, per CTD and year.

An avoided cost belongs to the project that estimated it, so it is counted
once, for the project's own CTD, in the year the estimate names — never
again for the CTDs it is mutualised with.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cnig_share.extensions import db
from cnig_share.models import Ctd, Project
from cnig_share.models.workspace import CostYear


@dataclass
class CostLine:
    """One CTD's year: what it cost to run, and what its projects saved."""

    ctd: Ctd
    year: int
    staff_fte: Decimal = Decimal(0)
    day_rate_eur: int | None = None
    days_per_fte: int | None = None
    staff_eur: int = 0
    tools_eur: int = 0
    events_eur: int = 0
    avoided_eur: int = 0
    avoiding_projects: list[Project] = field(default_factory=list)
    recorded: bool = False  # running costs recorded for that year

    @property
    def running_eur(self) -> int:
        return self.staff_eur + self.tools_eur + self.events_eur


@dataclass
class YearTotal:
    year: int
    ctds: int = 0  # CTDs that recorded their running costs
    staff_fte: Decimal = Decimal(0)
    staff_eur: int = 0
    tools_eur: int = 0
    events_eur: int = 0
    running_eur: int = 0
    avoided_eur: int = 0


def cost_lines(ctd: Ctd | None = None) -> list[CostLine]:
    """Every (CTD, year) with recorded costs or an avoided-cost estimate,
    by region then year."""
    costs = select(CostYear).options(selectinload(CostYear.ctd))
    projects = (
        select(Project)
        .where(Project.avoided_cost_eur.is_not(None), Project.avoided_cost_year.is_not(None))
        .options(selectinload(Project.ctd))
    )
    if ctd is not None:
        costs = costs.where(CostYear.ctd_id == ctd.id)
        projects = projects.where(Project.ctd_id == ctd.id)
    lines: dict[tuple[int, int], CostLine] = {}
    for row in db.session.scalars(costs):
        lines[(row.ctd_id, row.year)] = CostLine(
            ctd=row.ctd,
            year=row.year,
            staff_fte=row.staff_fte,
            day_rate_eur=row.day_rate_eur,
            days_per_fte=row.days_per_fte,
            staff_eur=row.staff_eur,
            tools_eur=row.tools_eur,
            events_eur=row.events_eur,
            recorded=True,
        )
    for project in db.session.scalars(projects):
        key = (project.ctd_id, project.avoided_cost_year)
        line = lines.setdefault(key, CostLine(ctd=project.ctd, year=project.avoided_cost_year))
        line.avoided_eur += project.avoided_cost_eur
        line.avoiding_projects.append(project)
    return sorted(lines.values(), key=lambda line: (line.ctd.region, line.year))


def year_totals(lines: list[CostLine]) -> list[YearTotal]:
    """National totals per year, most recent first."""
    totals: dict[int, YearTotal] = defaultdict(lambda: YearTotal(0))
    for line in lines:
        total = totals[line.year]
        total.year = line.year
        total.ctds += 1 if line.recorded else 0
        total.staff_fte += line.staff_fte
        total.staff_eur += line.staff_eur
        total.tools_eur += line.tools_eur
        total.events_eur += line.events_eur
        total.running_eur += line.running_eur
        total.avoided_eur += line.avoided_eur
    return sorted(totals.values(), key=lambda total: -total.year)


# The national costs for a spreadsheet (csv_files.SPREADSHEET): French headings.
CSV_COLUMNS = [
    "CTD", "Région", "Année", "Personnel (ETP)", "Coût d'une journée (€)", "Jours par ETP",
    "Personnel (€)", "Outils (€)", "Événements (€)", "Coût de fonctionnement (€)",
    "Coûts évités (€)", "Projets ayant évité des coûts",
]  # fmt: skip


def csv_rows(lines: list[CostLine]) -> list[list]:
    return [
        [
            line.ctd.slug,
            line.ctd.region,
            line.year,
            line.staff_fte,
            line.day_rate_eur,
            line.days_per_fte,
            line.staff_eur,
            line.tools_eur,
            line.events_eur,
            line.running_eur,
            line.avoided_eur,
            len(line.avoiding_projects),
        ]
        for line in lines
    ]


def actor_links() -> list[tuple]:
    """(actor, CTD, [(project, roles)]) for every actor taking part in a CTD's project."""
    projects = db.session.scalars(
        select(Project).options(selectinload(Project.actors), selectinload(Project.ctd))
    )
    links: dict[tuple[int, int], dict] = {}
    for project in projects:
        for part in project.actors:
            entry = links.setdefault(
                (part.actor_id, project.ctd_id),
                {"actor": part.actor, "ctd": project.ctd, "projects": {}},
            )
            entry["projects"].setdefault(project, []).append(part.role_label)
    rows = [
        (entry["actor"], entry["ctd"], list(entry["projects"].items())) for entry in links.values()
    ]
    return sorted(rows, key=lambda row: (row[0].name.lower(), row[1].region))
