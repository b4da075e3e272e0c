"""An invitation's link: signed, valid INVITATION_MAX_AGE, single use.

The link carries the invitation's id and the number of its latest sending,
signed with the secret key. Its state lives in the database: accepted or
revoked, it is dead; sent again, only the newest link works. Opening it
changes nothing (mail scanners follow links); only its page's button does.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from cnig_share.extensions import db
from cnig_share.formatting import plural
from cnig_share.models import Invitation

INVALID = (
    "Ce lien d'invitation n'est pas valide : il est incomplet ou a été modifié. Copiez-le "
    "en entier depuis le message reçu."
)
EXPIRED = (
    "Cette invitation a expiré : son lien n'est valable que {validity}. Demandez à la "
    "personne qui vous a invité·e de vous l'envoyer de nouveau."
)
ACCEPTED = (
    "Cette invitation a déjà été acceptée : le lien ne sert qu'une fois. Connectez-vous "
    "pour retrouver votre espace."
)
REVOKED = (
    "Cette invitation a été révoquée par un animateur du CTD ou un administrateur : "
    "elle ne peut plus servir."
)
REPLACED = (
    "Cette invitation vous a été envoyée de nouveau depuis : seul le lien du message le "
    "plus récent fonctionne."
)


class LinkError(Exception):
    """A link that cannot serve: its title, French message and HTTP status.

    404 for a link this site never signed (truncated, altered, foreign); 410
    Gone for one it did sign that is accepted, revoked, replaced or expired."""

    def __init__(self, title: str, message: str, status: int) -> None:
        super().__init__(message)
        self.title = title
        self.message = message
        self.status = status


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="invitation")


def validity() -> str:
    """How long a link lasts, in French: "14 jours", "2 heures"."""
    seconds = int(current_app.config["INVITATION_MAX_AGE"])
    for size, unit in ((86400, "jour"), (3600, "heure"), (60, "minute")):
        if seconds % size == 0:
            return plural(seconds // size, unit)
    return plural(seconds, "seconde")


def token_for(invitation: Invitation) -> str:
    return _serializer().dumps([invitation.id, invitation.sendings])


def invitation_from_token(token: str, *, for_update: bool = False) -> Invitation:
    """The pending invitation a link names, or LinkError. ``for_update`` locks
    its row (PostgreSQL), so two submissions of one link are ordered."""
    max_age = int(current_app.config["INVITATION_MAX_AGE"])
    expired = False
    try:
        payload = _serializer().loads(token, max_age=max_age)
    except SignatureExpired:
        # Signed by this site, only too old: still say so if it was used or revoked.
        expired = True
        payload = _serializer().loads(token)
    except BadSignature:
        raise LinkError("Lien non valable", INVALID, 404) from None
    if not _well_formed(payload):
        raise LinkError("Lien non valable", INVALID, 404)
    invitation_id, sending = payload
    invitation = db.session.get(Invitation, invitation_id, with_for_update=for_update or None)
    if invitation is None:
        raise LinkError("Lien non valable", INVALID, 404)
    if invitation.accepted_at is not None:
        raise LinkError("Invitation déjà acceptée", ACCEPTED, 410)
    if invitation.revoked_at is not None:
        raise LinkError("Invitation révoquée", REVOKED, 410)
    if sending != invitation.sendings:
        raise LinkError("Lien remplacé", REPLACED, 410)
    if expired:
        raise LinkError("Invitation expirée", EXPIRED.format(validity=validity()), 410)
    return invitation


def _well_formed(payload: object) -> bool:
    """[id, sending] as token_for writes it (numbers a database column can hold)."""
    if not (isinstance(payload, list) and len(payload) == 2):
        return False
    return all(type(number) is int and 0 <= number < 2**31 for number in payload)
