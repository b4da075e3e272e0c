"""Following and unfollowing, what a person follows (a followed term brings
its narrower terms), and their email preferences."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, delete, or_, select

from cnig_share import upserts
from cnig_share.extensions import db
from cnig_share.following.kinds import FOLLOW_KINDS, FollowKind
from cnig_share.models import (
    NOTIFICATION_MODES,
    PERIODS,
    Follow,
    NotificationSettings,
    User,
    term_broader,
    utcnow,
)


class FollowError(Exception):
    def __init__(self, message: str, status: int = 404) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def target(kind_name: str, target_id: int) -> tuple[FollowKind, Any]:
    """The kind and the thing named in a follow request; FollowError (404) when
    it does not exist or may not be followed (a draft)."""
    kind = FOLLOW_KINDS.get(kind_name)
    item = kind.load(target_id) if kind else None
    if kind is None or item is None or not kind.may_follow(item):
        raise FollowError("Ce contenu n'existe pas ou ne peut pas être suivi.")
    return kind, item


def is_following(user: User, kind_name: str, target_id: int) -> bool:
    return (
        db.session.scalar(
            select(Follow.id).where(
                Follow.user_id == user.id,
                Follow.target_kind == kind_name,
                Follow.target_id == target_id,
            )
        )
        is not None
    )


def follow(user: User, kind_name: str, target_id: int) -> None:
    """Follow it (again: nothing changes); the email settings start with the first follow."""
    target(kind_name, target_id)
    settings_of(user, create=True)
    # The same click twice at once: one row, no error.
    upserts.insert_or_ignore(
        db.session,
        Follow,
        user_id=user.id,
        target_kind=kind_name,
        target_id=target_id,
        created_at=utcnow(),
    )


def unfollow(user: User, kind_name: str, target_id: int) -> None:
    db.session.execute(
        delete(Follow).where(
            Follow.user_id == user.id,
            Follow.target_kind == kind_name,
            Follow.target_id == target_id,
        )
    )


def move_follows(kind_name: str, from_id: int, to_id: int) -> None:
    """Followers of `from_id` follow `to_id` instead (a merged glossary term's);
    someone who followed both keeps one follow. The old follows go with their
    target (following.forgetting)."""
    moved = db.session.execute(
        select(Follow.user_id, Follow.created_at).where(
            Follow.target_kind == kind_name, Follow.target_id == from_id
        )
    ).all()
    for user_id, created_at in moved:
        upserts.insert_or_ignore(
            db.session,
            Follow,
            user_id=user_id,
            target_kind=kind_name,
            target_id=to_id,
            created_at=created_at,
        )


def followers(targets: list[tuple[str, int]]) -> list[User]:
    """The active accounts following any of these (kind, id) targets, each once."""
    if not targets:
        return []
    pairs = [and_(Follow.target_kind == kind, Follow.target_id == id_) for kind, id_ in targets]
    user_ids = select(Follow.user_id).where(or_(*pairs)).distinct()
    return list(db.session.scalars(select(User).where(User.id.in_(user_ids), User.active)))


@dataclass
class Followed:
    """What one person follows, as ids by kind; "term" includes the narrower
    terms of every followed term."""

    ids: dict[str, set[int]]

    def __getitem__(self, kind_name: str) -> set[int]:
        return self.ids.get(kind_name, set())

    def __bool__(self) -> bool:
        return any(self.ids.values())


def followed_by(user_id: int) -> Followed:
    ids: dict[str, set[int]] = defaultdict(set)
    for kind_name, target_id in db.session.execute(
        select(Follow.target_kind, Follow.target_id).where(Follow.user_id == user_id)
    ):
        ids[kind_name].add(target_id)
    if ids["term"]:
        ids["term"] = with_narrower(ids["term"])
    return Followed(dict(ids))


def with_narrower(term_ids: set[int]) -> set[int]:
    """The terms and all their narrower terms, however deep (cycles are harmless)."""
    return _closure(term_ids, downwards=True)


def with_broader(term_ids: set[int]) -> set[int]:
    """The terms and all their broader terms: whoever follows one of these follows them."""
    return _closure(term_ids, downwards=False)


def _closure(term_ids: set[int], downwards: bool) -> set[int]:
    """The terms and those reached from them along `term_broader`, in one query
    (glossary.vocabulary.reachable walks one loaded term instead)."""
    edges: dict[int, set[int]] = defaultdict(set)
    for narrower, broader in db.session.execute(
        select(term_broader.c.narrower_id, term_broader.c.broader_id)
    ):
        if downwards:
            edges[broader].add(narrower)
        else:
            edges[narrower].add(broader)
    found, todo = set(term_ids), list(term_ids)
    while todo:
        for reached in edges[todo.pop()] - found:
            found.add(reached)
            todo.append(reached)
    return found


@dataclass
class FollowedItem:
    follow: Follow
    kind: FollowKind
    item: Any

    @property
    def title(self) -> str:
        return self.kind.title(self.item)

    @property
    def url(self) -> str:
        return self.kind.url(self.item)


def follows_of(user: User) -> list[FollowedItem]:
    """What the person follows and still exists, newest first (for /profil and the export)."""
    found = []
    for follow_row in db.session.scalars(
        select(Follow).where(Follow.user_id == user.id).order_by(Follow.created_at.desc())
    ):
        kind = FOLLOW_KINDS.get(follow_row.target_kind)
        item = kind.load(follow_row.target_id) if kind else None
        if kind is not None and item is not None:
            found.append(FollowedItem(follow_row, kind, item))
    return found


# --- email preferences -------------------------------------------------------------------


def settings_of(user: User, create: bool = False) -> NotificationSettings | None:
    settings = db.session.get(NotificationSettings, user.id)
    if settings is None and create:
        now = utcnow()
        upserts.insert_or_ignore(
            db.session,
            NotificationSettings,
            user_id=user.id,
            modes={},
            period="weekly",
            created_at=now,
            last_digest_at=now,
        )
        settings = db.session.get(NotificationSettings, user.id)
    return settings


def save_settings(user: User, modes: dict[str, str], period: str) -> NotificationSettings:
    """Record the modes (each one of NOTIFICATION_MODES) and the digest's period."""
    if period not in PERIODS or any(mode not in NOTIFICATION_MODES for mode in modes.values()):
        raise FollowError("Choisissez une fréquence et un mode proposés.", 422)
    settings = settings_of(user, create=True)
    settings.modes = dict(modes)
    settings.period = period
    return settings
