"""/plan-du-site: every page a person can reach, by section, from the same
navigation data as the header, plus the pages of the signed-in roles."""

from __future__ import annotations

from dataclasses import dataclass

from flask_login import current_user

from cnig_share import permissions
from cnig_share.pages import MAIN_NAVIGATION, NavLink, NavMenu


@dataclass(frozen=True)
class Section:
    title: str
    links: tuple[NavLink, ...]


FIND = Section(
    "Trouver",
    (
        NavLink("pages.home", "Accueil"),
        NavLink("resources.index", "Toutes les ressources"),
        NavLink("search.page", "Recherche"),
        NavLink("glossary.index", "Glossaire"),
    ),
)
WATCH = Section(
    "Veille du CNIG",
    (
        NavLink("watch.selections", "Sélections"),
        NavLink("watch.relays", "Ressources relayées"),
        NavLink("alerts.subscribe", "S'abonner aux nouvelles ressources"),
    ),
)
REUSE = Section(
    "Réutiliser",
    (
        NavLink("api_guide.page", "L'API de CNIG Partage"),
        NavLink("glossary.turtle", "Le glossaire en SKOS (Turtle)"),
        NavLink("glossary.jsonld", "Le glossaire en JSON-LD"),
        NavLink("glossary.csv", "Le glossaire en CSV"),
        NavLink("feeds.resources", "Flux Atom des nouvelles ressources"),
        NavLink("consultations.feed", "Flux Atom des consultations"),
    ),
)
SITE = Section(
    "À propos du site",
    (
        NavLink("legal.accessibility_statement", "Accessibilité"),
        NavLink("legal.legal_notice", "Mentions légales"),
        NavLink("legal.personal_data", "Données personnelles"),
        NavLink("legal.cookies", "Gestion des cookies"),
        NavLink("statistics.page", "Statistiques"),
    ),
)
ACCOUNT_SIGNED_OUT = Section(
    "Compte",
    (
        NavLink("accounts.login", "Se connecter"),
        NavLink("accounts.forgot_password", "Mot de passe oublié"),
    ),
)
ACCOUNT = Section("Mon compte", (NavLink("accounts.profile", "Mon profil"),))
CONTRIBUTE = Section("Contribuer", (NavLink("resources.create", "Proposer une ressource"),))
REVIEW = Section(
    "Relecture (équipe du CNIG)",
    (
        NavLink("curation.queue", "File de relecture"),
        NavLink("curation.dashboard", "Tableau de bord"),
        NavLink("curation.audit_log", "Journal"),
    ),
)
ADMIN = Section("Administration", (NavLink("admin.accounts", "Comptes"),))


def sections() -> list[Section]:
    """The sections this visitor may open, the CTD menu of the header included."""
    ctd = next(item for item in MAIN_NAVIGATION if isinstance(item, NavMenu))
    found = [FIND, Section("Les comités territoriaux de la donnée", ctd.links), WATCH, REUSE]
    if not current_user.is_authenticated:
        found.append(ACCOUNT_SIGNED_OUT)
    else:
        found.append(ACCOUNT)
        if permissions.can_create(current_user):
            found.append(CONTRIBUTE)
        if permissions.can_curate(current_user):
            found.append(REVIEW)
        if permissions.can_administer_accounts(current_user):
            found.append(ADMIN)
    found.append(SITE)
    return found
