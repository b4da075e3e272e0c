"""The demo's usage (content/usage.toml): « utile » marks, views and downloads
over past months, searched words. Added once: a resource that already has
counts, a mark that exists, a word already counted are left as they are."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import insert, select

from cnig_share.dates import in_paris, today
from cnig_share.demo.content import Folder, Page
from cnig_share.extensions import db
from cnig_share.models import Resource, ResourceDailyCount, SearchedWord, UsefulMark, User
from cnig_share.search import popular

USAGE = "usage.toml"
SEED = 18  # the same figures at every run


@dataclass(frozen=True)
class Usage:
    marks: list[tuple[str, list[str]]]  # (resource key, logins)
    months: int
    views_per_day: int
    downloads_per_day: int
    searched: list[tuple[str, int, int]]  # (word, per day, days)


def check(folder: Folder, pages: list[Page]) -> Usage | None:
    """Read usage.toml (optional: a folder without it has no usage), noting problems."""
    if not (folder.root / USAGE).is_file():
        return None
    statuses = {page.key: page.header.get("status") for page in pages}
    marks = []
    for entry in folder.tables(USAGE, "useful"):
        key, logins = entry.get("resource"), entry.get("by", [])
        if key not in statuses:
            continue  # a folder trimmed of that resource (a copy to try something on)
        if statuses[key] != "published":
            folder.fail(USAGE, f"useful: « {key} » n'est pas une ressource publiée")
        elif not isinstance(logins, list) or not all(isinstance(x, str) for x in logins):
            folder.fail(USAGE, f"useful: by de « {key} » : une liste de logins")
        else:
            marks.append((key, logins))
    audience = folder.table(USAGE).get("audience", {})
    numbers = [audience.get(name, 0) for name in ("months", "views_per_day", "downloads_per_day")]
    if not all(isinstance(n, int) and 0 <= n <= 1000 for n in numbers):
        folder.fail(USAGE, "audience: months, views_per_day, downloads_per_day : des entiers")
        numbers = [0, 0, 0]
    searched = []
    for entry in folder.tables(USAGE, "searched"):
        word, per_day, days = (entry.get(name) for name in ("word", "per_day", "days"))
        if not (isinstance(word, str) and word.isalpha() and len(word) >= popular.MIN_LETTERS):
            folder.fail(USAGE, f"searched: « {word} » : un mot d'au moins 3 lettres")
        elif not all(isinstance(n, int) and n > 0 for n in (per_day, days)) or days > popular.DAYS:
            folder.fail(USAGE, f"searched: « {word} » : per_day et days (90 au plus) entiers")
        else:
            searched.append((word.lower(), per_day, days))
    return Usage(marks, *numbers, searched)


def create(usage: Usage | None, pages: list[Page], domain: str) -> None:
    """Add what is missing; the caller commits."""
    if usage is None:
        return
    by_title = {r.title: r for r in db.session.scalars(select(Resource))}
    resources = {page.key: by_title.get(page.header.get("title")) for page in pages}
    _marks(usage, resources, domain)
    _audience(usage, [r for r in resources.values() if r is not None and r.is_published])
    _searched(usage)


def _marks(usage: Usage, resources: dict[str, Any], domain: str) -> None:
    users = {user.email: user for user in db.session.scalars(select(User))}
    existing = set(db.session.execute(select(UsefulMark.user_id, UsefulMark.resource_id)))
    for key, logins in usage.marks:
        resource = resources.get(key)
        for login in logins:
            user = users.get(f"{login}@{domain}")
            if resource is None or user is None or resource.author_id == user.id:
                continue
            if (user.id, resource.id) not in existing:
                db.session.add(UsefulMark(user_id=user.id, resource_id=resource.id))


def _audience(usage: Usage, resources: list[Resource]) -> None:
    counted = set(db.session.scalars(select(ResourceDailyCount.resource_id).distinct()))
    chance = random.Random(SEED)
    last = today()
    first = last - timedelta(days=int(usage.months * 30.5))
    rows = []
    for resource in sorted(resources, key=lambda r: r.id):
        if resource.id in counted or resource.published_at is None:
            continue
        day = max(first, in_paris(resource.published_at).date())
        while day <= last:
            views = chance.randint(0, usage.views_per_day)
            downloads = chance.randint(0, min(views, usage.downloads_per_day))
            if views:
                rows.append(
                    {"resource_id": resource.id, "day": day, "views": views, "downloads": downloads}
                )
            day += timedelta(days=1)
    if rows:
        db.session.execute(insert(ResourceDailyCount), rows)


def _searched(usage: Usage) -> None:
    existing = set(db.session.scalars(select(SearchedWord.word).distinct()))
    last = today()
    rows = [
        {"word": word, "day": last - timedelta(days=ago), "count": per_day}
        for word, per_day, days in usage.searched
        if word not in existing
        for ago in range(days)
    ]
    if rows:
        db.session.execute(insert(SearchedWord), rows)
