"""Which account a ProConnect identity signs into, and the links that say so.

An identity is known by its link (issuer, subject): ProConnect's subject is
per service, so the first time round the account is found by the verified
email. A new address makes a new account, with no CTD. An existing account is
linked at once only when nothing guards it (no password, not a curator's or an
admin's): a ProConnect identity carrying someone's address must not take their
account over, so an account with a password is linked once its owner has typed
it, and a curator's or admin's only from their own profile.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select

from cnig_share import audit
from cnig_share.accounts.services import AccountError, find_user_by_email, normalize_email
from cnig_share.extensions import db
from cnig_share.models import ExternalIdentity, User, utcnow
from cnig_share.proconnect.client import Identity, ProConnectError

NO_EMAIL = (
    "ProConnect n'a pas transmis votre adresse électronique : sans elle, aucun compte ne "
    "peut vous être ouvert. Vérifiez auprès de votre fournisseur d'identité, ou "
    "connectez-vous avec votre adresse électronique et votre mot de passe."
)
BAD_EMAIL = (
    "L'adresse électronique transmise par ProConnect n'est pas valide : aucun compte ne "
    "peut vous être ouvert avec elle."
)
DEACTIVATED = (
    "Ce compte est désactivé : il ne peut plus se connecter. Si c'est une erreur, "
    "adressez-vous à l'équipe du CNIG."
)
STAFF_NOT_LINKED = (
    "Cette adresse est celle d'un compte de l'équipe du CNIG (veille et relais, ou "
    "administration) : il n'est jamais relié à ProConnect automatiquement. Connectez-vous "
    "avec votre adresse électronique et votre mot de passe, puis, sur votre profil, "
    "rubrique « Modes de connexion », choisissez « Relier mon identité ProConnect »."
)
OTHER_IDENTITY = (
    "Ce compte est déjà relié à une autre identité ProConnect : il ne peut pas l'être à "
    "celle-ci. Connectez-vous avec l'identité déjà reliée, ou adressez-vous à l'équipe du CNIG."
)
LINKED_ELSEWHERE = (
    "Cette identité ProConnect est déjà reliée à un autre compte de CNIG Partage : elle ne "
    "peut pas l'être au vôtre."
)

Action = Literal["sign_in", "link", "create", "confirm_password"]


@dataclass(frozen=True)
class Decision:
    """What a ProConnect sign-in does: sign into a linked account, link an unguarded
    one, create one, or ask an account's password before linking it."""

    action: Action
    user: User | None = None


def linked_account(identity: Identity) -> User | None:
    return db.session.scalar(
        select(User)
        .join(ExternalIdentity)
        .where(
            ExternalIdentity.issuer == identity.issuer,
            ExternalIdentity.subject == identity.subject,
        )
    )


def decide(identity: Identity) -> Decision:
    """Where this identity signs in; raises ProConnectError (French) when nowhere."""
    user = linked_account(identity)
    if user is not None:
        if not user.active:
            raise ProConnectError(DEACTIVATED, 403)
        return Decision("sign_in", user)
    email = verified_email(identity)
    user = find_user_by_email(email)
    if user is None:
        return Decision("create")
    if not user.active:
        raise ProConnectError(DEACTIVATED, 403)
    if user.is_curator:
        raise ProConnectError(STAFF_NOT_LINKED, 403)
    if user.identity_from(identity.issuer) is not None:
        raise ProConnectError(OTHER_IDENTITY, 403)
    if user.has_password:
        return Decision("confirm_password", user)
    return Decision("link", user)


def verified_email(identity: Identity) -> str:
    if identity.email is None:
        raise ProConnectError(NO_EMAIL)
    try:
        return normalize_email(identity.email)
    except AccountError:
        raise ProConnectError(BAD_EMAIL) from None


def create_account(identity: Identity) -> User:
    """A new account for a first sign-in: role member, no CTD, no password. The
    caller commits."""
    user = User(
        email=verified_email(identity),
        name=identity.name[:200],
        role="member",
        password_hash="",
    )
    user.identities.append(ExternalIdentity(issuer=identity.issuer, subject=identity.subject))
    db.session.add(user)
    db.session.flush()
    audit.record("account.proconnect_create", "user", user.id, user, label=user.email)
    return user


def link(user: User, identity: Identity) -> None:
    """Link this identity to the account (its owner proved both); the caller commits."""
    if linked_account(identity) not in (None, user):
        raise ProConnectError(LINKED_ELSEWHERE, 409)
    if user.identity_from(identity.issuer) is not None:
        raise ProConnectError(OTHER_IDENTITY, 409)
    user.identities.append(ExternalIdentity(issuer=identity.issuer, subject=identity.subject))
    if not user.name and identity.name:
        user.name = identity.name[:200]
    audit.record("account.proconnect_link", "user", user.id, user, label=user.email)


def record_sign_in(user: User, identity: Identity) -> None:
    now = utcnow()
    user.last_login_at = now
    linked = user.identity_from(identity.issuer)
    if linked is not None:
        linked.last_used_at = now
