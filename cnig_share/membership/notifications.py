"""The messages a join request causes: to those who answer it, then to the person
who asked. Each leaves after commit; links come from PUBLIC_URL."""

from __future__ import annotations

from datetime import datetime

from cnig_share import mail
from cnig_share.extensions import db
from cnig_share.formatting import french_date
from cnig_share.models import JoinRequest, User

SIGNATURE = "— CNIG Partage, centre de ressources des comités territoriaux de la donnée\n"


def _paragraph(text: str) -> str:
    """A quoted message as a paragraph of its own, or nothing."""
    return f"{text}\n" if text else ""


def _who(user: User) -> str:
    """The asker as the reviewers see them: name, address, organisation."""
    who = f"{mail.defanged(user.name)} ({user.email})" if user.name else user.email
    return f"{who}, {user.organisation}," if user.organisation else who


def request_received(
    join_request: JoinRequest, reviewers: list[User], *, for_the_team: bool
) -> None:
    """Tell each reviewer (one message each: addresses are not shared) of a new request;
    `for_the_team` when the CNIG team answers for a CTD without an active coordinator."""
    user, ctd = join_request.user, join_request.ctd
    link = mail.public_url("membership.members", slug=ctd.slug, _anchor="demandes")
    quoted = _paragraph(mail.quoted_message(user.display_name, join_request.message))
    why = (
        "Vous recevez ce message parce que ce comité n'a pas d'animateur ou d'animatrice "
        "en activité : l'équipe du CNIG répond à sa place.\n\n"
        if for_the_team
        else ""
    )
    body = (
        "Bonjour,\n\n"
        f"{_who(user)} demande à rejoindre le {ctd.name} sur CNIG Partage.\n\n"
        f"{quoted}"
        "Pour accepter (comme membre, ou animateur ou animatrice) ou refuser cette demande, "
        f"ouvrez la page des membres du comité :\n{link}\n\n"
        f"{why}{SIGNATURE}"
    )
    for reviewer in reviewers:
        if reviewer.id == user.id:
            continue
        message = mail.message(reviewer.email, f"Demande pour rejoindre le {ctd.name}", body)
        mail.send_after_commit(db.session, message)


def request_accepted(join_request: JoinRequest) -> None:
    """Tell the person they are in, and as what."""
    ctd = join_request.ctd
    role = "animateur ou animatrice" if join_request.granted_role == "coordinator" else "membre"
    body = (
        "Bonjour,\n\n"
        f"Votre demande pour rejoindre le {ctd.name} sur CNIG Partage est acceptée : "
        f"vous en êtes désormais {role}.\n\n"
        "Vous pouvez proposer des ressources au nom du comité et voir ses membres :\n"
        f"{mail.public_url('membership.members', slug=ctd.slug)}\n\n"
        f"{SIGNATURE}"
    )
    subject = f"Vous avez rejoint le {ctd.name}"
    mail.send_after_commit(db.session, mail.message(join_request.user.email, subject, body))


def request_declined(join_request: JoinRequest, next_allowed: datetime) -> None:
    """Tell the person their request was turned down, why if a reason was given, and when
    they may ask again."""
    ctd, by = join_request.ctd, join_request.answered_by
    # Their name, never their address (display_name falls back to it).
    author = by.name if by and by.name else "l'équipe du comité"
    quoted = _paragraph(mail.quoted_message(author, join_request.decline_reason))
    body = (
        "Bonjour,\n\n"
        f"Votre demande pour rejoindre le {ctd.name} sur CNIG Partage n'a pas été acceptée.\n\n"
        f"{quoted}"
        f"Vous pourrez envoyer une nouvelle demande à ce comité à partir du "
        f"{french_date(next_allowed)}. Les ressources publiées restent ouvertes à tous.\n\n"
        f"{SIGNATURE}"
    )
    subject = f"Votre demande pour rejoindre le {ctd.name}"
    mail.send_after_commit(db.session, mail.message(join_request.user.email, subject, body))
