"""seed-demo: accounts, resources with real attachments, selections and the CTD
workspace, read from the demo content folder and added through the checks and
services people's own content goes through. Everything is added once; a second
run adds nothing; a file that breaks a rule adds nothing at all."""

from __future__ import annotations

import secrets
import tempfile
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from slugify import slugify
from sqlalchemy import select

from cnig_share.accounts.services import AccountError, create_user, find_user_by_email
from cnig_share.demo import (
    consultations,
    discussions,
    following,
    membership,
    resources,
    stages,
    usage,
    workspace,
)
from cnig_share.demo.content import PACKAGED, DemoContentError, Folder, Page, moment
from cnig_share.extensions import db
from cnig_share.models import Ctd, Resource, Selection, User
from cnig_share.search import synonyms
from cnig_share.watch import services as watch

ACCOUNTS = "accounts.toml"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    role: str
    ctds: tuple[str, ...]
    description: str
    coordinates: tuple[str, ...] = ()  # the CTDs this account coordinates, among its own
    password: str = ""


@dataclass
class SeedReport:
    accounts: list[DemoAccount] = field(default_factory=list)
    resources: int = 0
    selections: int = 0
    projects: int = 0
    stages: int = 0  # CTDs whose stage the demo set
    invitations: list[tuple[str, str]] = field(default_factory=list)  # (address, link)
    join_requests: int = 0
    follows: int = 0
    discussions: int = 0
    consultations: int = 0
    acronyms: int = 0  # proposals learnt from the published resources (/curation/synonymes)


def seed(root: Path = PACKAGED) -> SeedReport:
    """Add whatever demo content of `root` is missing; return what was added.
    A file that breaks a rule raises DemoContentError, and nothing is added."""
    folder = Folder(root)
    with tempfile.TemporaryDirectory(prefix="cnig-share-demo-") as files:
        try:
            return _seed(folder, Path(files))
        except DemoContentError:
            db.session.rollback()
            raise


def _seed(folder: Folder, files: Path) -> SeedReport:
    accounts = _read_accounts(folder)
    pages = folder.pages("resources")
    planned = resources.check(folder, pages, files)
    selections = _check_selections(folder, pages)
    lines = workspace.check(folder)
    ctd_slugs = set(db.session.scalars(select(Ctd.slug)))
    ctd_stages = stages.check(folder, ctd_slugs)
    people = membership.check(
        folder,
        folder.table(ACCOUNTS).get("domain", ""),
        {account.email.partition("@")[0] for account in accounts},
        ctd_slugs,
    )
    domain = folder.table(ACCOUNTS).get("domain", "")
    logins = {account.email.partition("@")[0] for account in accounts}
    threads = discussions.check(folder, pages, logins, domain)
    follows = following.check(folder, domain, logins)
    used = usage.check(folder, pages)
    folder.raise_errors()
    report = SeedReport(accounts=_create_accounts(accounts))
    db.session.flush()
    authors, curator = _authors(accounts)
    report.resources = resources.create(planned, authors, curator)
    db.session.flush()
    report.selections = _create_selections(selections, pages, curator)
    db.session.flush()
    report.projects = workspace.create(lines, curator)
    report.stages = stages.create(ctd_stages, curator)
    report.invitations, report.join_requests = membership.create(people)
    report.follows = following.create(follows)
    db.session.flush()
    usage.create(used, pages, folder.table(ACCOUNTS).get("domain", ""))
    report.discussions = discussions.create(threads, curator)
    report.consultations = consultations.create(folder, domain, curator)
    report.acronyms = synonyms.learn().proposed
    db.session.commit()
    return report


def _read_accounts(folder: Folder) -> list[DemoAccount]:
    domain = folder.table(ACCOUNTS).get("domain")
    if not isinstance(domain, str) or not domain:
        folder.fail(ACCOUNTS, "domain: le domaine des adresses attendu")
    accounts = []
    for entry in folder.tables(ACCOUNTS, "accounts"):
        login, name, role = (entry.get(key) for key in ("login", "name", "role"))
        ctds, description = entry.get("ctds", []), entry.get("description", "")
        coordinates = entry.get("coordinates", [])
        lists = [ctds, coordinates]
        texts = (login, name, role, description, *(x for each in lists for x in _items(each)))
        if not all(isinstance(text, str) for text in texts) or not (login and name and role):
            folder.fail(ACCOUNTS, f"{login}: login, name, role, description et ctds attendus")
            continue
        if not set(coordinates) <= set(ctds):
            folder.fail(ACCOUNTS, f"{login}: coordinates ne peut nommer que des CTD de ctds")
            continue
        accounts.append(
            DemoAccount(
                f"{login}@{domain}", name, role, tuple(ctds), description, tuple(coordinates)
            )
        )
    if not any(account.role == "curator" for account in accounts):
        folder.fail(ACCOUNTS, "un compte de rôle curator au moins (il publie la démonstration)")
    return accounts


def _items(value: object) -> list[object]:
    """A TOML list's items; anything else stands for one bad item."""
    return value if isinstance(value, list) else [None]


def _create_accounts(accounts: list[DemoAccount]) -> list[DemoAccount]:
    created = []
    for account in accounts:
        if find_user_by_email(account.email) is not None:
            continue
        password = secrets.token_urlsafe(12)
        try:
            user = create_user(account.email, password, account.role, account.ctds, account.name)
        except AccountError as error:
            raise DemoContentError([f"{ACCOUNTS}: {account.email}: {error}"]) from None
        for each in user.memberships:
            if each.ctd.slug in account.coordinates:
                each.role = "coordinator"
        created.append(replace(account, password=password))
    return created


def _authors(accounts: list[DemoAccount]) -> tuple[dict[str, User], User]:
    """The demo member who writes for each CTD, and the curator who writes for the others."""
    users = {user.email: user for user in db.session.scalars(select(User))}
    curator = next(users[a.email] for a in accounts if a.role == "curator")
    authors: dict[str, User] = {}
    for account in accounts:
        for slug in account.ctds:
            authors.setdefault(slug, users[account.email])
    return authors, curator


def _check_selections(folder: Folder, resource_pages: list[Page]) -> list[Page]:
    """Selection files not yet seeded; each item names a published resource file."""
    existing = set(db.session.scalars(select(Selection.slug)))
    statuses = {page.key: page.header.get("status") for page in resource_pages}
    pages = []
    for page in folder.pages("selections"):
        if slugify(page.key) in existing:
            continue
        title, items = page.header.get("title"), page.header.get("items", [])
        if not isinstance(title, str) or not title.strip():
            folder.fail(page.name, "title: champ obligatoire")
        if not isinstance(moment(page.header.get("published_at")), datetime):
            folder.fail(page.name, "published_at: une date AAAA-MM-JJ")
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            folder.fail(page.name, "items: des entrées [[items]] (resource, note) attendues")
            continue
        for item in items:
            key = item.get("resource")
            if statuses.get(key) != "published":
                folder.fail(page.name, f"items: « {key} » n'est pas une ressource publiée")
            if not isinstance(item.get("note", ""), str):
                folder.fail(page.name, f"items: la note de « {key} » est un texte")
        pages.append(page)
    return pages


def _create_selections(pages: list[Page], resource_pages: list[Page], curator: User) -> int:
    by_title = {resource.title: resource for resource in db.session.scalars(select(Resource))}
    by_key = {page.key: by_title.get(page.header.get("title")) for page in resource_pages}
    for page in pages:
        header = page.header
        published_at = moment(header["published_at"])
        selection = watch.save_selection(None, header["title"], page.body, published_at, curator)
        selection.slug = slugify(page.key)  # the demo's addresses are its file names
        for item in header.get("items", []):
            resource = by_key[item["resource"]]
            try:
                if resource is None:
                    raise watch.SelectionError(f"« {item['resource']} » introuvable")
                watch.add_item(selection, resource, item.get("note", ""), curator)
            except watch.SelectionError as error:
                raise DemoContentError([f"{page.name}: items: {error.message}"]) from None
    return len(pages)
