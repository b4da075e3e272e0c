"""Plain factory functions for test data, written straight to the database."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from cnig_share.extensions import db
from cnig_share.models import Ctd, GlossaryTerm, Resource, User


def ctd(slug: str) -> Ctd:
    return db.session.scalar(select(Ctd).where(Ctd.slug == slug))


def term(slug: str) -> GlossaryTerm:
    return db.session.scalar(select(GlossaryTerm).where(GlossaryTerm.slug == slug))


def user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def resource(
    title: str = "Une ressource",
    ctd_slug: str = "bretagne",
    status: str = "draft",
    kind: str = "bonne-pratique",
    **fields,
) -> int:
    """Create a resource and return its id (objects do not outlive the context)."""
    if status in ("published", "archived"):
        fields.setdefault("published_at", datetime(2026, 3, 1, 9, tzinfo=UTC))
    item = Resource(title=title, kind=kind, ctd=ctd(ctd_slug), status=status, **fields)
    db.session.add(item)
    db.session.commit()
    return item.id


def publish(title: str, body: str = "", ctd: str = "bretagne", terms=(), **fields) -> int:
    """A published resource, committed (so indexed by the after-commit hook)."""
    return resource(
        title=title,
        body=body,
        ctd_slug=ctd,
        status=fields.pop("status", "published"),
        terms=[term(slug) for slug in terms],
        **fields,
    )


def count_resources() -> int:
    from sqlalchemy import func

    return db.session.scalar(select(func.count(Resource.id)))


def workspace(curator: str) -> None:
    """A CTD workspace with one actor, one mutualised project and a year of costs."""
    from cnig_share.workspace import services

    by = user(curator)
    services.save_actor(None, {"name": "IGN", "type": "operateur-national"}, by)
    project = services.ProjectInput(
        title="PCRS mutualisé",
        partners="Mégalis Bretagne",
        actor_roles=(("ign", "operateur"),),
        shared_with=("corse",),
        term_ids=(term("mutualisation").id,),
        avoided_cost_eur=60_000,
        avoided_cost_year=2026,
        avoided_cost_method="Deux marchés évités.",
    )
    services.save_project(None, ctd("bretagne"), project, by)
    costs = {"staff_fte": "1.5", "day_rate_eur": 450, "days_per_fte": 220, "tools_eur": 2000}
    services.save_costs(ctd("bretagne"), 2026, costs, by)
    db.session.commit()


def run_extraction(app) -> int:
    """Extract every pending attachment's text as `cnig-share worker --until-empty`
    does (a real child process per file, with its limits); how many were done."""
    from cnig_share.resources import extraction_jobs

    with app.app_context():
        return extraction_jobs.work(until_empty=True, report=lambda outcome: None)


def consultation(
    app, curator: str, title: str, opens_today: bool = True, visibility: str = "closing"
) -> str:
    """A consultation of Bretagne and Occitanie (open today, or in preparation) with a
    position question and a free one; its slug."""
    from datetime import timedelta

    from cnig_share.consultations import services
    from cnig_share.consultations.states import paris_day

    with app.test_request_context():
        data = services.ConsultationInput(
            title=title,
            context="Le contexte de la consultation.",
            questions=[("Votre position ?", "position"), ("Vos remarques ?", "text")],
            ctd_ids=[ctd("bretagne").id, ctd("occitanie").id],
            opens_on=paris_day() if opens_today else None,
            closes_on=paris_day() + timedelta(days=20),
            visibility=visibility,
        )
        created = services.create(data, user(curator))
        db.session.commit()
        return created.slug
