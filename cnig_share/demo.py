"""seed-demo: accounts, resources with real attachments, and selections, so a
newcomer sees a living site. Everything is added once; a second run adds nothing."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from flask import current_app
from slugify import slugify
from sqlalchemy import select

from cnig_share import audit, demo_workspace, documents
from cnig_share.accounts.services import create_user, find_user_by_email
from cnig_share.dates import add_months
from cnig_share.demo_content import DEMO_RELAYS, DEMO_RESOURCES, DEMO_SELECTIONS, DemoResource
from cnig_share.extensions import db
from cnig_share.models import (
    Ctd,
    GlossaryTerm,
    Link,
    Resource,
    Revision,
    Selection,
    SelectionItem,
    User,
    utcnow,
)
from cnig_share.resources.attachments import add_attachment

DEMO_DOMAIN = "demo.example.org"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    role: str
    ctds: tuple[str, ...]
    description: str
    password: str = ""


@dataclass
class SeedReport:
    accounts: list[DemoAccount] = field(default_factory=list)
    resources: int = 0
    selections: int = 0
    projects: int = 0


ACCOUNTS = [
    DemoAccount("admin", "Alix Administratrice", "admin", (), "administration"),
    DemoAccount("veille", "Dominique Veille", "curator", (), "équipe veille et relais du CNIG"),
    DemoAccount("occitanie", "Camille Roux", "member", ("occitanie",), "membre du CTD Occitanie"),
    DemoAccount("bretagne", "Yann Le Gall", "member", ("bretagne",), "membre du CTD Bretagne"),
    DemoAccount(
        "paysdelaloire",
        "Inès Moreau",
        "member",
        ("pays-de-la-loire",),
        "membre du CTD Pays de la Loire",
    ),
    DemoAccount(
        "iledefrance", "Thomas Nguyen", "member", ("ile-de-france",), "membre du CTD Île-de-France"
    ),
    DemoAccount(
        "hautsdefrance",
        "Sarah Lefebvre",
        "member",
        ("hauts-de-france", "normandie"),
        "membre des CTD Hauts-de-France et Normandie",
    ),
    DemoAccount("grandest", "Lucas Schmitt", "member", ("grand-est",), "membre du CTD Grand Est"),
]
# One draft shows what a member sees when the CNIG team sends it back.
RETURNED_DRAFT = next(d["key"] for d in DEMO_RESOURCES if d["status"] == "draft")
RETURN_COMMENT = (
    "Merci pour ce partage. Pouvez-vous préciser le coût du projet et les partenaires "
    "associés, puis la soumettre de nouveau ?"
)


def seed() -> SeedReport:
    """Add whatever demo content is missing; return what was added."""
    report = SeedReport(accounts=_seed_accounts())
    db.session.flush()
    report.resources = _seed_resources()
    db.session.flush()
    report.selections = _seed_selections()
    db.session.flush()
    report.projects = demo_workspace.seed(_authors()[""])
    db.session.commit()
    return report


def _seed_accounts() -> list[DemoAccount]:
    created = []
    for account in ACCOUNTS:
        email = f"{account.email}@{DEMO_DOMAIN}"
        if find_user_by_email(email) is not None:
            continue
        password = secrets.token_urlsafe(12)
        create_user(email, password, account.role, account.ctds, account.name)
        created.append(
            DemoAccount(
                email, account.name, account.role, account.ctds, account.description, password
            )
        )
    return created


def _day(value: str) -> datetime:
    return datetime.combine(datetime.fromisoformat(value).date(), time(9, 30), tzinfo=UTC)


def _authors() -> dict[str, User]:
    """The demo member who writes for each CTD; the CNIG team for the others."""
    users = {u.email: u for u in db.session.scalars(select(User))}
    curator = users[f"veille@{DEMO_DOMAIN}"]
    authors: dict[str, User] = {}
    for account in ACCOUNTS:
        for slug in account.ctds:
            authors.setdefault(slug, users[f"{account.email}@{DEMO_DOMAIN}"])
    return {"": curator, **authors}


def _seed_resources() -> int:
    existing = set(db.session.scalars(select(Resource.title)))
    ctds = {ctd.slug: ctd for ctd in db.session.scalars(select(Ctd))}
    terms = {term.slug: term for term in db.session.scalars(select(GlossaryTerm))}
    authors = _authors()
    curator = authors[""]
    added = 0
    for age, item in enumerate(DEMO_RESOURCES):
        if item["title"] in existing:
            continue
        author = authors.get(item["ctd"], curator)
        resource = _resource(item, ctds, terms, author, age)
        db.session.add(resource)
        attachment = item.get("attachment")
        if attachment:
            writer = documents.WRITERS[attachment["format"]]
            data = writer(item["title"], attachment["paragraphs"])
            add_attachment(resource, data, attachment["name"])
        db.session.flush()
        _history(resource, item, author, curator)
        added += 1
    return added


def _resource(item: DemoResource, ctds, terms, author: User, age: int) -> Resource:
    published = _day(item["published_at"]) if item["published_at"] else None
    created = (published or utcnow() - timedelta(days=age % 20 + 1)) - timedelta(days=12)
    return Resource(
        title=item["title"],
        summary=item["summary"],
        body=item["body"],
        kind=item["kind"],
        ctd=ctds[item["ctd"]],
        author=author,
        status=item["status"],
        featured=item["featured"],
        terms=[terms[slug] for slug in item["terms"]],
        links=[
            Link(title=link["title"], url=link["url"], position=position)
            for position, link in enumerate(item["links"])
        ],
        created_at=created,
        updated_at=published or created,
        published_at=published,
        submitted_at=created + timedelta(days=2) if item["status"] != "draft" else None,
        relayed_at=published + timedelta(days=3) if item["key"] in DEMO_RELAYS else None,
        relay_note=DEMO_RELAYS.get(item["key"], ""),
        review_by=add_months(published, current_app.config["REVIEW_AFTER_MONTHS"])
        if published
        else None,
    )


def _history(resource: Resource, item: DemoResource, author: User, curator: User) -> None:
    """The audit trail and revisions the resource would have had."""
    audit.record("resource.create", "resource", resource.id, author)
    if item["status"] in ("submitted", "published", "archived"):
        audit.record("resource.submit", "resource", resource.id, author)
    if item["status"] in ("published", "archived"):
        db.session.add(
            Revision(
                resource=resource,
                author=curator,
                created_at=resource.published_at,
                changes={"status": {"old": "submitted", "new": "published"}},
                title=resource.title,
                summary=resource.summary,
                body=resource.body,
            )
        )
        audit.record("resource.publish", "resource", resource.id, curator)
    if item["status"] == "archived":
        audit.record("resource.archive", "resource", resource.id, curator)
    if item["key"] == RETURNED_DRAFT:
        audit.record("resource.return", "resource", resource.id, curator, comment=RETURN_COMMENT)


def _seed_selections() -> int:
    existing = set(db.session.scalars(select(Selection.slug)))
    by_title = {r.title: r for r in db.session.scalars(select(Resource))}
    by_key = {item["key"]: by_title.get(item["title"]) for item in DEMO_RESOURCES}
    curator = _authors()[""]
    added = 0
    for data in DEMO_SELECTIONS:
        slug = slugify(data["slug"])
        if slug in existing:
            continue
        selection = Selection(
            slug=slug,
            title=data["title"],
            introduction=data["introduction"],
            author=curator,
            published_at=_day(data["published_at"]),
            items=[
                SelectionItem(resource=by_key[key], position=position, note=note)
                for position, (key, note) in enumerate(data["items"])
                if by_key.get(key) is not None
            ],
        )
        db.session.add(selection)
        added += 1
    return added
