"""API tokens: issued to a person, stored as a SHA-256 digest, shown once,
revocable. A request proves who it acts for with `Authorization: Bearer …`."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from sqlalchemy import select

from cnig_share import audit
from cnig_share.extensions import db
from cnig_share.models import ApiToken, User, utcnow

PREFIX = "cnig_"
TOUCH_EVERY = timedelta(minutes=1)  # "last used" is written at most this often
SECRET = re.compile(PREFIX + r"[A-Za-z0-9_-]{20,100}")  # nothing else, not even a space


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue(user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new token and its secret, which is not kept anywhere."""
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name.strip()[:100], digest=digest(secret), prefix=secret[:12])
    db.session.add(token)
    db.session.flush()
    audit.record("token.create", "api_token", token.id, user, name=token.name)
    return token, secret


def revoke(token: ApiToken, by: User) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record("token.revoke", "api_token", token.id, by, name=token.name)


def tokens_of(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.created_at.desc())
        )
    )


def user_for(authorization: str | None) -> User | None:
    """The active person a `Bearer` header speaks for, or None."""
    scheme, _, secret = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not SECRET.fullmatch(secret):
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.digest == digest(secret)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        token.last_used_at = now
        db.session.commit()
    return token.user
