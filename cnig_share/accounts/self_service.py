"""What a signed-in person does to their own account: name and organisation,
password, their alerts and contributions, the export of their data, deletion."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash

from cnig_share import audit
from cnig_share.accounts import keepers, services
from cnig_share.accounts.services import AccountError
from cnig_share.alerts import quota as alert_quota
from cnig_share.discussions import privacy as discussions_privacy
from cnig_share.extensions import db
from cnig_share.models import (
    NOTIFICATION_MODES,
    STATUSES,
    ApiToken,
    Resource,
    Subscription,
    User,
    utcnow,
)
from cnig_share.usefulness import services as usefulness

WRONG_PASSWORD = "Mot de passe incorrect."
NO_PASSWORD_YET = (
    "Votre compte n'a pas encore de mot de passe : choisissez-en un dans la rubrique "
    "« Mot de passe », puis saisissez-le ici pour confirmer la suppression."
)
LAST_ADMIN = (
    "Vous êtes le dernier administrateur actif : votre compte ne peut pas être supprimé. "
    "Nommez d'abord un autre administrateur."
)


def password_matches(user: User, password: str) -> bool:
    """Whether this is the account's password; an account without one (ProConnect) has none."""
    return user.has_password and check_password_hash(user.password_hash, password)


def update_profile(user: User, name: str, organisation: str) -> None:
    """Set the name and organisation shown to others; audited. The caller commits."""
    before = {"name": user.name, "organisation": user.organisation}
    user.name, user.organisation = name.strip(), organisation.strip()
    after = {"name": user.name, "organisation": user.organisation}
    if before != after:
        audit.record("account.profile", "user", user.id, user, before=before, after=after)


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password once the current one is given (an account without one, made
    through ProConnect, sets its first). The session key follows the hash, so every
    session opened before ends: the caller signs this one in again."""
    first = not user.has_password
    if not first and not password_matches(user, current):
        raise AccountError(WRONG_PASSWORD)
    services.check_password_strength(new)
    user.password_hash = services.hash_password(new)
    action = "account.password_set" if first else "account.password_change"
    audit.record(action, "user", user.id, user)


def alerts_of(user: User) -> list[Subscription]:
    """The email alerts of the account's address, oldest first."""
    return list(
        db.session.scalars(
            select(Subscription)
            .where(func.lower(Subscription.email) == user.email.lower())
            .order_by(Subscription.created_at, Subscription.id)
        )
    )


def contributions_of(user: User) -> dict[str, list[Resource]]:
    """The resources this person wrote, by status (in the life cycle's order)."""
    by_status: dict[str, list[Resource]] = {status: [] for status in STATUSES}
    resources = db.session.scalars(
        select(Resource).where(Resource.author_id == user.id).order_by(Resource.updated_at.desc())
    )
    for resource in resources:
        by_status[resource.status].append(resource)
    return {status: found for status, found in by_status.items() if found}


def consultation_answers_of(user: User) -> list[dict[str, Any]]:
    """Every version of a consultation answer this person saved (their CTD's
    contribution stays the CTD's; these are their own words in it)."""
    from cnig_share.models import AnswerVersion

    versions = db.session.scalars(
        select(AnswerVersion).where(AnswerVersion.author_id == user.id).order_by(AnswerVersion.id)
    )
    return [
        {
            "consultation": version.answer.contribution.consultation.slug,
            "ctd": version.answer.contribution.ctd.slug,
            "question": version.answer.question.text,
            "position": version.position,
            "text": version.text,
            "saved_at": version.created_at.isoformat(),
        }
        for version in versions
    ]


def export(user: User) -> dict[str, Any]:
    """The person's data as JSON can carry it: no password hash, no token digest."""
    return {
        "exported_at": utcnow().isoformat(),
        "account": {
            "id": user.id,
            "email": user.email,
            "name": user.name,
            "organisation": user.organisation,
            "role": user.role,
            "created_at": user.created_at.isoformat(),
            "last_login_at": user.last_login_at.isoformat() if user.last_login_at else None,
        },
        "memberships": [
            {"ctd": m.ctd.slug, "ctd_name": m.ctd.name, "role": m.role} for m in user.memberships
        ],
        "sign_in": {
            "local": user.has_password,  # an address and a password
            "proconnect": [
                {
                    "issuer": identity.issuer,
                    "subject": identity.subject,
                    "linked_at": identity.created_at.isoformat(),
                }
                for identity in user.identities
            ],
        },
        "alerts": [
            {
                "query": alert.query,
                "period": alert.period,
                "confirmed": alert.confirmed_at is not None,
                "created_at": alert.created_at.isoformat(),
            }
            for alert in alerts_of(user)
        ],
        **following_export(user),
        "contributions": [
            {"id": resource.id, "title": resource.title, "status": resource.status}
            for resources in contributions_of(user).values()
            for resource in resources
        ],
        "useful_marks": usefulness.marks_of(user),
        **discussions_privacy.export(user),
        "consultation_answers": consultation_answers_of(user),
        "api_tokens": [
            {"name": token.name, "prefix": token.prefix, "created_at": token.created_at.isoformat()}
            for token in db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id))
        ],
    }


def following_export(user: User) -> dict[str, Any]:
    """What the person follows and how they hear of it."""
    from cnig_share.following import notifications, services

    settings = services.settings_of(user)
    return {
        "follows": [
            {
                "kind": followed.kind.name,
                "id": followed.follow.target_id,
                "title": followed.title,
                "since": followed.follow.created_at.isoformat(),
            }
            for followed in services.follows_of(user)
        ],
        # In words ("Dans le résumé"): the export names no "digest", a token's word.
        "notification_preferences": {
            "modes": {
                kind: NOTIFICATION_MODES[mode]
                for kind, mode in notifications.modes_of(settings).items()
            },
            "summary_period": settings.period if settings else None,
        },
    }


def delete_account(user: User, password: str = "", *, reauthenticated: bool = False) -> None:
    """Delete the account once its password is given, or once its owner has just
    authenticated again at ProConnect (``reauthenticated``, for an account without
    a password). Its resources stay with their CTD (their author becomes "ancien
    membre"); its alerts, tokens, memberships, usefulness marks, ProConnect links, follows
    and notification preferences go (the last two by the database's cascade). Audited
    without naming the person, who asked to be forgotten. The caller commits."""
    if keepers.is_last_active_admin(user, lock=True):
        raise AccountError(LAST_ADMIN)
    refusal = keepers.refusal_to_leave(user)  # the last coordinator of a CTD
    if refusal is not None:
        raise AccountError(refusal)
    if not reauthenticated:
        if not user.has_password:
            raise AccountError(NO_PASSWORD_YET)
        if not password_matches(user, password):
            raise AccountError(WRONG_PASSWORD)
    user_id = user.id
    db.session.execute(
        delete(Subscription).where(func.lower(Subscription.email) == user.email.lower())
    )
    alert_quota.forget(user.email)
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user_id))
    usefulness.forget(user)
    db.session.delete(user)
    db.session.flush()
    audit.record(
        "account.delete",
        "user",
        user_id,
        None,
        "Compte supprimé par son titulaire",
        label=f"compte n° {user_id}",
    )
