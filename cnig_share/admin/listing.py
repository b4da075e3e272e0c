"""The accounts list: its filters read from the query string, and their query."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import selectinload

from cnig_share.dates import add_months
from cnig_share.extensions import db
from cnig_share.models import ROLES, Ctd, Membership, User, utcnow
from cnig_share.text import like_pattern

# How an account signs in, as a where-clause; an account may have both. One made
# through ProConnect alone has no password (an empty hash).
SIGN_IN_METHODS: dict[str, tuple[str, ColumnElement[bool]]] = {
    "mot-de-passe": ("Mot de passe", User.password_hash != ""),
    "proconnect": ("ProConnect", User.identities.any()),
}
STATES: dict[str, tuple[str, ColumnElement[bool]]] = {
    "actif": ("Actifs", User.active.is_(True)),
    "desactive": ("Désactivés", User.active.is_(False)),
}
# When the account last signed in, as a where-clause at a given instant: recent use, and
# the dormant accounts an admin reviews (the older buckets overlap, as "more than" does).
LAST_SIGN_INS: dict[str, tuple[str, Callable[[datetime], ColumnElement[bool]]]] = {
    "30-jours": (
        "Au cours des 30 derniers jours",
        lambda now: User.last_login_at >= now - timedelta(days=30),
    ),
    "plus-de-6-mois": (
        "Il y a plus de 6 mois",
        lambda now: User.last_login_at < add_months(now, -6),
    ),
    "plus-d-un-an": (
        "Il y a plus d'un an",
        lambda now: User.last_login_at < add_months(now, -12),
    ),
    "jamais": ("Jamais", lambda now: User.last_login_at.is_(None)),
}
SORTS = {
    "derniere-connexion": ("Dernière connexion", (User.last_login_at.desc().nulls_last(),)),
    "nom": ("Nom", (User.name, User.email)),
    "creation": ("Création du compte", (User.created_at.desc(),)),
}
DEFAULT_SORT = "derniere-connexion"


@dataclass(frozen=True)
class AccountFilters:
    text: str = ""
    role: str = ""
    ctd: Ctd | None = None
    state: str = ""
    method: str = ""
    last_sign_in: str = ""
    sort: str = DEFAULT_SORT


def filters(args: Mapping[str, str]) -> AccountFilters:
    """The filters a query string asks for; unknown values are ignored."""
    ctd = db.session.scalar(select(Ctd).where(Ctd.slug == args.get("ctd", "")[:80]))
    return AccountFilters(
        text=" ".join(args.get("q", "").split())[:254],
        role=args.get("role", "") if args.get("role") in ROLES else "",
        ctd=ctd,
        state=args.get("state", "") if args.get("state") in STATES else "",
        method=args.get("method", "") if args.get("method") in SIGN_IN_METHODS else "",
        last_sign_in=args.get("connexion", "") if args.get("connexion") in LAST_SIGN_INS else "",
        sort=args.get("sort", "") if args.get("sort") in SORTS else DEFAULT_SORT,
    )


def accounts(chosen: AccountFilters) -> Select[tuple[User]]:
    """The accounts these filters keep, in the order they ask for."""
    query = select(User).options(selectinload(User.memberships).selectinload(Membership.ctd))
    if chosen.text:
        pattern = like_pattern(chosen.text)
        query = query.where(
            or_(User.email.ilike(pattern, escape="\\"), User.name.ilike(pattern, escape="\\"))
        )
    if chosen.role:
        query = query.where(User.role == chosen.role)
    if chosen.ctd is not None:
        query = query.where(
            User.id.in_(select(Membership.user_id).where(Membership.ctd_id == chosen.ctd.id))
        )
    if chosen.state:
        query = query.where(STATES[chosen.state][1])
    if chosen.method:
        query = query.where(SIGN_IN_METHODS[chosen.method][1])
    if chosen.last_sign_in:
        query = query.where(LAST_SIGN_INS[chosen.last_sign_in][1](utcnow()))
    return query.order_by(*SORTS[chosen.sort][1], User.id)
