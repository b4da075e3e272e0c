"""The messages a consultation sends: the opening to each consulted CTD, the
reminders before closing, a receipt on submission, the synthesis to every
contributor. One message per person (addresses are never shared); each leaves
after the commit; links come from PUBLIC_URL."""

from __future__ import annotations

from collections.abc import Iterable

from cnig_share import mail
from cnig_share.extensions import db
from cnig_share.following.services import followers
from cnig_share.formatting import french_date
from cnig_share.models import Consultation, Contribution, Ctd, User

SIGNATURE = "— CNIG Partage, centre de ressources des comités territoriaux de la donnée\n"


def voices_of(ctd: Ctd) -> list[User]:
    """Who speaks for a CTD: its active coordinators, or all its active members
    when it has none (they may then submit)."""
    active = [m for m in ctd.memberships if m.user is not None and m.user.active]
    coordinators = [m.user for m in active if m.role == "coordinator"]
    return coordinators or [m.user for m in active]


def _send(people: Iterable[User], subject: str, body: str) -> None:
    seen: set[int] = set()
    for person in people:
        if person.id in seen:
            continue
        seen.add(person.id)
        mail.send_after_commit(db.session, mail.message(person.email, subject, body))


def _link(consultation: Consultation, ctd: Ctd) -> str:
    return mail.public_url("consultations.contribution", slug=consultation.slug, ctd_slug=ctd.slug)


def asked_at_opening(ctd: Ctd) -> list[User]:
    """Who hears of an opening for a CTD: its voices, and its active members who
    follow the CTD (following/: they asked to hear of what concerns it)."""
    following = {user.id for user in followers([("ctd", ctd.id)])}
    members = [m.user for m in ctd.memberships if m.user is not None and m.user.id in following]
    return [*voices_of(ctd), *(user for user in members if user.active)]


def opening(consultation: Consultation) -> set[int]:
    """The consultation is open: each consulted CTD's voices, and its members who
    follow it, are asked to answer. One message per address: someone in two
    consulted CTDs gets one, with both CTDs' pages. Returns who was written to."""
    ctds_of: dict[int, list[Ctd]] = {}
    people: dict[int, User] = {}
    for ctd in consultation.ctds:
        for person in asked_at_opening(ctd):
            people[person.id] = person
            if ctd not in ctds_of.setdefault(person.id, []):
                ctds_of[person.id].append(ctd)
    for person_id, person in people.items():
        ctds = ctds_of[person_id]
        names = " et le ".join(ctd.name for ctd in ctds)
        links = "\n".join(f"{ctd.name} : {_link(consultation, ctd)}" for ctd in ctds)
        body = (
            "Bonjour,\n\n"
            f"Le CNIG consulte le {names} : « {consultation.title} ».\n\n"
            f"Les membres du comité rédigent ensemble sa contribution jusqu'au "
            f"{french_date(consultation.closes_on)} à 23 h 59 (heure de Paris), puis "
            "l'animateur ou l'animatrice la dépose au nom du comité :\n"
            f"{links}\n\n{SIGNATURE}"
        )
        _send([person], f"Consultation du CNIG : {consultation.title}", body)
    return set(people)


def reminder(consultation: Consultation, ctds: list[Ctd], days: int) -> None:
    """A reminder to the CTDs that have neither submitted nor declined."""
    for ctd in ctds:
        body = (
            "Bonjour,\n\n"
            f"La consultation « {consultation.title} » ferme le "
            f"{french_date(consultation.closes_on)} à 23 h 59 (heure de Paris), dans "
            f"{days} jour{'s' if days > 1 else ''}. La contribution du {ctd.name} n'est "
            f"pas encore déposée :\n{_link(consultation, ctd)}\n\n"
            "Si le comité ne souhaite pas répondre, vous pouvez aussi le dire depuis "
            f"cette page.\n\n{SIGNATURE}"
        )
        _send(voices_of(ctd), f"Rappel : {consultation.title}", body)


def receipt(contribution: Contribution, by: User) -> None:
    """Thanks, with the date and the name the contribution is signed with."""
    consultation, ctd = contribution.consultation, contribution.ctd
    body = (
        "Bonjour,\n\n"
        f"La contribution du {ctd.name} à la consultation « {consultation.title} » est "
        f"déposée, en son nom, par {mail.defanged(by.display_name)}. Merci.\n\n"
        "Tant que la consultation est ouverte, vous pouvez la reprendre pour la modifier :\n"
        f"{_link(consultation, ctd)}\n\n{SIGNATURE}"
    )
    _send([by], f"Contribution déposée : {consultation.title}", body)


def synthesis(consultation: Consultation) -> None:
    """The synthesis is published: to everyone who wrote or submitted a contribution."""
    people: list[User] = []
    for contribution in consultation.contributions:
        if contribution.status != "submitted":
            continue
        if contribution.submitted_by is not None:
            people.append(contribution.submitted_by)
        for answer in contribution.answers:
            people += [v.author for v in answer.versions if v.author is not None]
    body = (
        "Bonjour,\n\n"
        f"Le CNIG publie la synthèse de la consultation « {consultation.title} », "
        "à laquelle vous avez contribué :\n"
        f"{mail.public_url('consultations.show', slug=consultation.slug)}\n\n{SIGNATURE}"
    )
    _send([p for p in people if p.active], f"Synthèse publiée : {consultation.title}", body)
