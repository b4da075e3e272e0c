"""The demo's follows (accounts.toml's [[follows]]): a demo member follows a
CTD, a term, a national actor (by slug), a resource or a project (by title),
so that /fil and the profile's preferences are alive from the start."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from cnig_share.demo.content import Folder
from cnig_share.extensions import db
from cnig_share.following import services as following
from cnig_share.models import Ctd, GlossaryTerm, NationalActor, Project, Resource, User

ACCOUNTS = "accounts.toml"
# What each kind is named by in the file: a slug, or a title.
NAMED_BY = {
    "ctd": (Ctd, Ctd.slug),
    "term": (GlossaryTerm, GlossaryTerm.slug),
    "actor": (NationalActor, NationalActor.slug),
    "resource": (Resource, Resource.title),
    "project": (Project, Project.title),
}


@dataclass(frozen=True)
class PlannedFollow:
    email: str
    kind: str
    name: str


def check(folder: Folder, domain: str, logins: set[str]) -> list[PlannedFollow]:
    """Each entry: a demo login and exactly one of ctd, term, actor, resource, project."""
    planned = []
    for entry in folder.tables(ACCOUNTS, "follows"):
        login = entry.get("login")
        named = [(kind, entry[kind]) for kind in NAMED_BY if kind in entry]
        if login not in logins or len(named) != 1 or not isinstance(named[0][1], str):
            folder.fail(ACCOUNTS, f"follows: {login}: un compte de démonstration et une cible")
            continue
        planned.append(PlannedFollow(f"{login}@{domain}", *named[0]))
    return planned


def create(planned: list[PlannedFollow]) -> int:
    """Add the follows whose account and target exist (targets are created first); how many."""
    added = 0
    for each in planned:
        user = db.session.scalar(select(User).where(User.email == each.email))
        model, column = NAMED_BY[each.kind]
        target = db.session.scalar(select(model).where(column == each.name))
        if user is None or target is None:
            continue
        if not following.is_following(user, each.kind, target.id):
            following.follow(user, each.kind, target.id)
            added += 1
    return added
