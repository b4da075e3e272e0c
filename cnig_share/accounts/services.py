"""Account rules: creating users, checking passwords, loading the signed-in user."""

from __future__ import annotations

import functools
import hmac
from collections.abc import Iterable
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from cnig_share.extensions import db
from cnig_share.models import ROLES, Ctd, Membership, User, utcnow

MIN_PASSWORD_LENGTH = 10


class AccountError(ValueError):
    """A request about an account that cannot be honoured; the message is French."""


def hash_password(password: str) -> str:
    """A salted hash by PASSWORD_HASH_METHOD: scrypt, Werkzeug's default KDF."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


@functools.cache
def dummy_hash(method: str) -> str:
    """Checked when the email is unknown, so a wrong address costs as long as a
    wrong password and response times do not reveal which accounts exist. Made
    once per process and method, when the app is created (accounts.init_app)."""
    return generate_password_hash("not-a-real-password", method=method)


def normalize_email(email: str) -> str:
    """Validated, with its domain lower-cased; raises AccountError when malformed."""
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise AccountError(f"Adresse électronique invalide : {email!r}.") from error


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def load_user(session_id: str) -> User | None:
    """Flask-Login's loader: the active account a session names (see
    User.get_id), if its password has not changed since the session began."""
    user_id, _, key = session_id.partition(":")
    try:
        user = db.session.get(User, int(user_id))
    except ValueError:
        return None
    if user is None or not user.active or not hmac.compare_digest(user.session_key, key):
        return None
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None."""
    user = find_user_by_email(email) if email else None
    if user is None:
        check_password_hash(dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    user.last_login_at = utcnow()
    return user


def check_password_strength(password: str) -> None:
    """The rule every new password follows; raises AccountError (French) when broken."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            f"Le mot de passe doit comporter au moins {MIN_PASSWORD_LENGTH} caractères."
        )


def create_user(
    email: str, password: str, role: str, ctd_slugs: Iterable[str] = (), name: str = ""
) -> User:
    """Add an account with its CTD memberships; the caller commits."""
    email = normalize_email(email)
    if role not in ROLES:
        raise AccountError(f"Rôle inconnu : {role}. Choisissez parmi {', '.join(ROLES)}.")
    check_password_strength(password)
    if find_user_by_email(email) is not None:
        raise AccountError(f"Un compte existe déjà pour {email}.")
    slugs = list(dict.fromkeys(ctd_slugs))
    ctds = list(db.session.scalars(select(Ctd).where(Ctd.slug.in_(slugs))))
    unknown = sorted(set(slugs) - {ctd.slug for ctd in ctds})
    if unknown:
        raise AccountError(f"CTD inconnu : {', '.join(unknown)}.")
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        password_hash=hash_password(password),
        memberships=[Membership(ctd=ctd) for ctd in ctds],
    )
    db.session.add(user)
    return user


def safe_next_url(target: str | None) -> str | None:
    """A path on this site to return to after sign-in, or None if it could leave it."""
    if not target:
        return None
    # Browsers treat backslashes as slashes and ignore tabs and newlines,
    # so "/\\evil.example" and "/\t/evil.example" would leave the site.
    if any(char in target for char in "\\\t\r\n") or not target.startswith("/"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return None
    return target
