"""The audit trail: one event per decision, kept with who, what and why."""

from __future__ import annotations

from typing import Any

from cnig_share.extensions import db
from cnig_share.models import AuditEvent, User

# What each action means, for the curators' audit log.
ACTION_LABELS = {
    "resource.create": "Ressource créée",
    "resource.update": "Ressource modifiée",
    "resource.submit": "Ressource soumise",
    "resource.publish": "Ressource publiée",
    "resource.return": "Ressource renvoyée aux auteurs",
    "resource.archive": "Ressource archivée",
    "resource.feature": "Ressource mise à la une",
    "resource.unfeature": "Ressource retirée de la une",
    "resource.restore": "Version restaurée",
    "resource.review": "Ressource vérifiée",
    "resource.relay": "Ressource relayée",
    "resource.relay_note": "Note de relais modifiée",
    "resource.unrelay": "Relais retiré",
    "attachment.delete": "Pièce jointe supprimée",
    "glossary.create": "Terme créé",
    "glossary.update": "Terme modifié",
    "glossary.merge": "Termes fusionnés",
    "glossary.delete": "Terme supprimé",
    "glossary.import": "Glossaire importé",
    "selection.create": "Sélection créée",
    "selection.update": "Sélection modifiée",
    "selection.add": "Ressource ajoutée à une sélection",
    "selection.move": "Sélection réordonnée",
    "selection.remove": "Ressource retirée d'une sélection",
    "selection.delete": "Sélection supprimée",
    "account.password_reset": "Mot de passe réinitialisé par lien",
    "account.password_change": "Mot de passe changé depuis le profil",
    "account.password_set": "Premier mot de passe choisi",
    "account.profile": "Nom ou organisation modifiés",
    "account.delete": "Compte supprimé par son titulaire",
    "account.proconnect_create": "Compte ouvert par une connexion ProConnect",
    "account.proconnect_link": "Identité ProConnect reliée au compte",
    "account.role": "Rôle sur le site changé",
    "account.membership_add": "Compte ajouté à un CTD",
    "account.membership_role": "Rôle dans un CTD changé",
    "account.membership_remove": "Compte retiré d'un CTD",
    "account.deactivate": "Compte désactivé",
    "account.reactivate": "Compte réactivé",
    "join_request.create": "Demande pour rejoindre un CTD",
    "join_request.accept": "Demande pour rejoindre un CTD acceptée",
    "join_request.decline": "Demande pour rejoindre un CTD refusée",
    "invitation.create": "Invitation envoyée",
    "invitation.resend": "Invitation renvoyée",
    "invitation.revoke": "Invitation révoquée",
    "invitation.accept": "Invitation acceptée",
    "ctd.stage": "Étape du CTD modifiée",
    "workspace.roadmap": "Feuille de route modifiée",
    "workspace.governance": "Gouvernance modifiée",
    "workspace.project_create": "Projet créé",
    "workspace.project_update": "Projet modifié",
    "workspace.project_delete": "Projet supprimé",
    "workspace.costs": "Coûts annuels saisis",
    "workspace.costs_delete": "Coûts annuels supprimés",
    "workspace.actor_create": "Acteur national créé",
    "workspace.actor_update": "Acteur national modifié",
    "synonym.accept_term": "Acronyme ajouté aux appellations d'un terme",
    "synonym.accept_site": "Acronyme accepté comme synonyme du site",
    "synonym.reject": "Acronyme refusé ou retiré",
    "token.create": "Jeton d'API créé",
    "token.revoke": "Jeton d'API révoqué",
}


def record(
    action: str,
    target_type: str,
    target_id: int | None,
    actor: User | None,
    comment: str = "",
    **details: Any,
) -> AuditEvent:
    """Add an event to the session; it is committed with the change it records.

    `target_type` is a kind the audit log can name (curation.audit_targets):
    an event about an object the log could not show is a programming error."""
    from cnig_share.curation.audit_targets import KINDS

    if target_type not in KINDS:
        raise ValueError(f"audit: register the target type {target_type!r} in audit_targets")
    event = AuditEvent(
        action=action,
        target_type=target_type,
        target_id=target_id,
        actor=actor,
        comment=comment,
        details=details,
    )
    db.session.add(event)
    return event
