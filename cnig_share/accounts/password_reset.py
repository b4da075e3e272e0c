"""Password reset by a signed, expiring, single-use link sent by email.

The link carries the account's id and a fingerprint of what a reset or a
sign-in changes (the password hash, the last sign-in, the address), signed
with the secret key. Nothing is stored: once the password changes, or the
person signs in with the old one, the fingerprint no longer matches and the
link is dead. Opening the link changes nothing (mail scanners follow links);
only submitting its form does.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import update

from cnig_share import audit, mail
from cnig_share.accounts.services import check_password_strength, find_user_by_email, hash_password
from cnig_share.extensions import db
from cnig_share.formatting import plural
from cnig_share.models import User

INVALID = (
    "Ce lien n'est pas valide : il est incomplet ou a été modifié. Copiez-le en entier "
    "depuis le message reçu, ou demandez-en un nouveau."
)
EXPIRED = (
    "Ce lien a expiré : par sécurité, il n'est valable que {validity}. Demandez-en un nouveau."
)
SPENT = (
    "Ce lien ne peut plus servir : il a déjà été utilisé, ou le mot de passe a changé "
    "(ou une connexion a eu lieu) depuis son envoi. Demandez-en un nouveau si besoin."
)


class ResetLinkError(Exception):
    """A link that cannot reset a password: its French message and HTTP status.

    400 for a link this site never signed (truncated, altered, foreign); 410
    Gone for one it did sign but that has expired or already served: it was
    valid and never will be again."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="password-reset")


def _fingerprint(user: User) -> str:
    """Changes whenever the password, the last sign-in or the address does.
    Keyed with the secret, so the readable payload says nothing of the hash."""
    state = f"{user.password_hash}|{user.last_login_at.isoformat() if user.last_login_at else ''}"
    material = f"{state}|{user.email.lower()}".encode()
    return hmac.new(current_app.secret_key.encode(), material, hashlib.sha256).hexdigest()[:32]


def validity() -> str:
    """How long a link lasts, in French: "1 heure", "30 minutes"."""
    seconds = int(current_app.config["PASSWORD_RESET_MAX_AGE"])
    if seconds % 3600 == 0:
        return plural(seconds // 3600, "heure")
    if seconds % 60 == 0:
        return plural(seconds // 60, "minute")
    return plural(seconds, "seconde")


def token_for(user: User) -> str:
    return _serializer().dumps([user.id, _fingerprint(user)])


def user_from_token(token: str, *, for_update: bool = False) -> User:
    """The account a link may reset, or ResetLinkError. ``for_update`` locks
    its row (PostgreSQL), so two submissions of one link cannot both win."""
    max_age = int(current_app.config["PASSWORD_RESET_MAX_AGE"])
    try:
        payload = _serializer().loads(token, max_age=max_age)
    except SignatureExpired:
        raise ResetLinkError(EXPIRED.format(validity=validity()), 410) from None
    except BadSignature:
        raise ResetLinkError(INVALID, 400) from None
    if not _well_formed(payload):
        raise ResetLinkError(INVALID, 400)
    user_id, fingerprint = payload
    user = db.session.get(User, user_id, with_for_update=for_update or None)
    if user is None or not user.active or not hmac.compare_digest(_fingerprint(user), fingerprint):
        raise ResetLinkError(SPENT, 410)
    return user


def _well_formed(payload: object) -> bool:
    """[id, fingerprint] as token_for writes it (an id a database column can hold)."""
    if not (isinstance(payload, list) and len(payload) == 2):
        return False
    user_id, fingerprint = payload
    return (
        type(user_id) is int  # not a bool
        and 0 < user_id < 2**31
        and isinstance(fingerprint, str)
    )


def request_reset(email: str) -> None:
    """Mail a link to the active account with this address, if there is one.
    The caller answers the same either way, and the message leaves in the
    background after commit, so neither the page nor its timing tells."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        return
    link = mail.public_url("accounts.reset_password", token=token_for(user))
    body = (
        "Bonjour,\n\n"
        "Quelqu'un (vous, sans doute) a demandé à changer le mot de passe de votre compte "
        f"CNIG Partage ({user.email}).\n\n"
        f"Pour choisir un nouveau mot de passe, ouvrez ce lien dans les {validity()} :\n"
        f"{link}\n\n"
        "Le lien ne sert qu'une fois. Si vous n'avez rien demandé, ignorez ce message : "
        "votre mot de passe reste inchangé.\n\n"
        "— CNIG Partage, centre de ressources des comités territoriaux de la donnée\n"
    )
    message = mail.message(user.email, "Réinitialisation de votre mot de passe CNIG Partage", body)
    mail.send_after_commit(db.session, message, background=True)


def reset_password(user: User, password: str) -> None:
    """Set the new password (which kills the link and every open session) and
    record it in the audit log; the caller commits.

    The change is conditional on the hash the link was checked against: of two
    submissions of one link, the later finds it changed and gets ResetLinkError
    (410), on SQLite as on PostgreSQL (where the row lock already orders them)."""
    check_password_strength(password)
    changed = db.session.execute(
        update(User)
        .where(User.id == user.id, User.password_hash == user.password_hash)
        .values(password_hash=hash_password(password))
    )
    if changed.rowcount != 1:
        raise ResetLinkError(SPENT, 410)
    audit.record("account.password_reset", "user", user.id, user)
