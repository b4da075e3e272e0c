"""The figures of the dashboard, each a list of (label, value) rows, and the
CTD × term coverage matrix. Published resources only, except the queue."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select

from cnig_share import permissions
from cnig_share.dates import add_months, in_paris
from cnig_share.extensions import db
from cnig_share.glossary.vocabulary import all_terms, with_narrower
from cnig_share.models import KINDS, Ctd, Resource, resource_terms, utcnow
from cnig_share.search import misses
from cnig_share.text import fold

MONTHS = 12
MONTH_NAMES = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.",
               "oct.", "nov.", "déc.")  # fmt: skip

Rows = list[tuple[str, int]]


@dataclass
class Figures:
    per_ctd: Rows
    per_kind: Rows
    per_term: Rows
    per_month: Rows
    waiting: list[tuple[Resource, int]]  # (submission, days waiting), oldest first
    misses: Rows

    def tables(self) -> list[tuple[str, str, Rows]]:
        """(key, title, rows) of every table that has a chart and a CSV section."""
        return [
            ("ctd", "Ressources publiées par CTD", self.per_ctd),
            ("type", "Ressources publiées par type", self.per_kind),
            ("terme", "Ressources publiées par terme du glossaire", self.per_term),
            ("mois", f"Ressources publiées par mois ({MONTHS} derniers mois)", self.per_month),
            ("attente", "Soumissions en attente, par ancienneté", self.waiting_ages()),
        ]

    def waiting_ages(self) -> Rows:
        buckets = [("moins d'une semaine", 0, 7), ("une à deux semaines", 7, 14),
                   ("deux semaines à un mois", 14, 31), ("plus d'un mois", 31, None)]  # fmt: skip
        return [
            (
                label,
                sum(1 for _, days in self.waiting if days >= low and (high is None or days < high)),
            )
            for label, low, high in buckets
        ]

    @property
    def median_wait(self) -> float | None:
        return statistics.median(days for _, days in self.waiting) if self.waiting else None


def figures() -> Figures:
    per_ctd = db.session.execute(
        select(Ctd.name, func.count(Resource.id))
        .outerjoin(Resource, (Resource.ctd_id == Ctd.id) & permissions.public())
        .group_by(Ctd.id, Ctd.name)
    ).all()
    per_kind = dict(
        db.session.execute(
            select(Resource.kind, func.count(Resource.id))
            .where(permissions.public())
            .group_by(Resource.kind)
        ).all()
    )
    per_term = db.session.execute(
        select(resource_terms.c.term_id, func.count(Resource.id))
        .join(Resource, Resource.id == resource_terms.c.resource_id)
        .where(permissions.public())
        .group_by(resource_terms.c.term_id)
    ).all()
    tagged = dict(per_term)
    terms = all_terms()
    now = utcnow()
    waiting = [
        (resource, (now - (resource.submitted_at or resource.updated_at)).days)
        for resource in db.session.scalars(
            select(Resource)
            .where(Resource.status == "submitted")
            .order_by(func.coalesce(Resource.submitted_at, Resource.updated_at))
        )
    ]
    return Figures(
        per_ctd=sorted(((name, n) for name, n in per_ctd), key=lambda row: (-row[1], fold(row[0]))),
        per_kind=[(label, per_kind.get(kind, 0)) for kind, label in KINDS.items()],
        per_term=sorted(
            ((term.pref_label, tagged.get(term.id, 0)) for term in terms),
            key=lambda row: (-row[1], fold(row[0])),
        ),
        per_month=_per_month(now),
        waiting=waiting,
        misses=misses.recent(),
    )


def _per_month(now) -> Rows:
    """The last MONTHS months, oldest first, months without any included."""
    this_month = in_paris(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    start = add_months(this_month, 1 - MONTHS)
    dates = db.session.scalars(
        select(Resource.published_at).where(permissions.public(), Resource.published_at >= start)
    )
    counted = Counter((moment.year, moment.month) for moment in map(in_paris, dates))
    months = [add_months(start, n) for n in range(MONTHS)]
    return [
        (f"{MONTH_NAMES[m.month - 1]} {m.year}", counted.get((m.year, m.month), 0)) for m in months
    ]


@dataclass
class Coverage:
    ctds: list[Ctd]
    terms: list
    counts: dict[tuple[int, int], int]  # (ctd id, term id) → published resources

    def row_total(self, ctd: Ctd) -> int:
        return sum(self.counts.get((ctd.id, term.id), 0) for term in self.terms)


def coverage() -> Coverage:
    """Published resources per CTD and term, a term counting its narrower terms'."""
    terms = all_terms()
    rows = db.session.execute(
        select(Resource.ctd_id, resource_terms.c.term_id, Resource.id)
        .join(resource_terms, resource_terms.c.resource_id == Resource.id)
        .where(permissions.public())
    ).all()
    resources: dict[tuple[int, int], set[int]] = {}
    for ctd_id, term_id, resource_id in rows:
        resources.setdefault((ctd_id, term_id), set()).add(resource_id)
    ctds = sorted(db.session.scalars(select(Ctd)), key=lambda ctd: fold(ctd.region))
    counts = {}
    for term in terms:
        family = with_narrower(term)
        for ctd in ctds:
            found = set().union(*(resources.get((ctd.id, t), set()) for t in family))
            if found:
                counts[(ctd.id, term.id)] = len(found)
    return Coverage(ctds=ctds, terms=terms, counts=counts)
