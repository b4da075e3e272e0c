"""Demo content for seed-demo: accounts now, resources as the site grows."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from cnig_share.accounts.services import create_user, find_user_by_email
from cnig_share.extensions import db

DEMO_DOMAIN = "demo.example.org"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    role: str
    ctds: tuple[str, ...]
    description: str
    password: str = ""


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


def seed() -> list[DemoAccount]:
    """Create the demo accounts that do not exist yet; return them with their passwords."""
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
    db.session.commit()
    return created
