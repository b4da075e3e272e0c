"""What a member is told by email about their submission: published, or
returned with the curator's comment. Sent once the decision is committed."""

from __future__ import annotations

from cnig_share import mail
from cnig_share.extensions import db
from cnig_share.models import Resource

SIGNATURE = "\n— L'équipe veille et relais du CNIG, sur CNIG Partage\n"


def _tell_author(resource: Resource, subject: str, body: str) -> None:
    author = resource.author
    if author is None or not author.active:
        return
    mail.send_after_commit(db.session, mail.message(author.email, subject, body + SIGNATURE))


def published(resource: Resource) -> None:
    url = mail.public_url("resources.show", resource_id=resource.id)
    _tell_author(
        resource,
        f"Publiée : « {resource.title} »",
        f"Bonjour,\n\nVotre ressource « {resource.title} » ({resource.ctd.name}) est publiée"
        f" sur CNIG Partage. Tout le monde peut désormais la lire et la retrouver :\n{url}\n",
    )


def returned(resource: Resource, comment: str) -> None:
    url = mail.public_url("resources.show", resource_id=resource.id)
    _tell_author(
        resource,
        f"À revoir : « {resource.title} »",
        f"Bonjour,\n\nL'équipe du CNIG vous renvoie la ressource « {resource.title} »"
        f" ({resource.ctd.name}) avec ce commentaire :\n\n{comment}\n\n"
        f"Elle est de nouveau en brouillon : modifiez-la puis soumettez-la de nouveau.\n{url}\n",
    )
