"""The discussions' figures on /statistiques: public threads and replies per
month, and threads by CTD. Only what a visitor may read is counted: threads
whose subject is public, replies neither deleted nor hidden."""

from __future__ import annotations

from collections import Counter

from flask import Flask
from sqlalchemy import func, select

from cnig_share import permissions
from cnig_share.extensions import db
from cnig_share.models import Ctd, Message, Thread
from cnig_share.statistics import figures, registry
from cnig_share.text import fold


def tables() -> list[registry.Table]:
    first = figures.first_month()
    months = f"{figures.MONTHS} derniers mois"
    return [
        registry.Table(
            "discussions-par-mois",
            f"Discussions ouvertes par mois ({months})",
            figures.by_month(first, _per_month(Thread.created_at, first)),
            "Mois",
            "Discussions",
        ),
        registry.Table(
            "reponses-par-mois",
            f"Réponses par mois ({months})",
            figures.by_month(first, _replies_per_month(first)),
            "Mois",
            "Réponses",
        ),
        registry.Table(
            "discussions-par-ctd", "Discussions par CTD", _threads_per_ctd(), "CTD", "Discussions"
        ),
    ]


def _per_month(column, first) -> Counter:
    moments = db.session.scalars(
        select(column).where(permissions.public_threads(), column >= first)
    )
    return Counter(map(figures.month_of, moments))


def _replies_per_month(first) -> Counter:
    opening = select(func.min(Message.id)).group_by(Message.thread_id)
    moments = db.session.scalars(
        select(Message.created_at)
        .join(Thread, Thread.id == Message.thread_id)
        .where(
            permissions.public_threads(),
            Message.created_at >= first,
            Message.id.not_in(opening),
            Message.deleted_at.is_(None),
            Message.hidden_at.is_(None),
        )
    )
    return Counter(map(figures.month_of, moments))


def _threads_per_ctd() -> registry.Rows:
    rows = db.session.execute(
        select(Ctd.name, func.count(Thread.id))
        .join(Thread, Thread.ctd_id == Ctd.id)
        .where(permissions.public_threads())
        .group_by(Ctd.name)
    )
    return sorted(((name, int(n)) for name, n in rows), key=lambda row: (-row[1], fold(row[0])))


def init_app(app: Flask) -> None:
    registry.provide(app, "discussions", tables)
