"""What each event of the audit log is about: a label and a link for every
kind of object the site audits (audit.record's `target_type`), read in one
query per kind on a page. "Supprimé" only when the object is really gone.

A kind registers itself here with the noun that names it, how to load its
rows and how to describe one; `audit.record` refuses a kind that is not
registered, so no event can reach the log without a way to name its object.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cnig_share import permissions
from cnig_share.extensions import db
from cnig_share.models import (
    CTD_STAGES,
    AcronymProposal,
    ApiToken,
    AuditEvent,
    Ctd,
    GlossaryTerm,
    Invitation,
    NationalActor,
    Project,
    Resource,
    Selection,
    User,
)


@dataclass(frozen=True)
class Target:
    """How the log names an event's object."""

    label: str
    url: str | None = None
    deleted: bool = False


@dataclass(frozen=True)
class TargetKind:
    noun: str  # names an object that is gone and left no label: "projet n° 4"
    model: Any
    options: tuple = ()
    describe: Callable[[Any, AuditEvent, User], Target] | None = None


def _resource(resource: Resource, event: AuditEvent, viewer: User) -> Target:
    label = resource.title
    if event.action == "attachment.delete" and event.details.get("name"):
        label = f"{resource.title} — pièce jointe « {event.details['name']} »"
    return Target(label, url_for("resources.show", resource_id=resource.id))


def _term(term: GlossaryTerm, event: AuditEvent, viewer: User) -> Target:
    return Target(term.pref_label, url_for("glossary.show", slug=term.slug))


def _selection(selection: Selection, event: AuditEvent, viewer: User) -> Target:
    return Target(selection.title, url_for("watch.show", slug=selection.slug))


def account_label(user: User) -> str:
    """An account as people know it: its name and address."""
    return f"{user.name} ({user.email})" if user.name else user.email


def _account(user: User, event: AuditEvent, viewer: User) -> Target:
    # Only administrators open account pages; curators read the name alone.
    url = (
        url_for("admin.account", user_id=user.id)
        if permissions.can_administer_accounts(viewer)
        else None
    )
    return Target(account_label(user), url)


def _token(token: ApiToken, event: AuditEvent, viewer: User) -> Target:
    owner = token.user
    return Target(f"Jeton d'API « {token.name or token.prefix} » de {account_label(owner)}")


def _ctd(ctd: Ctd, event: AuditEvent, viewer: User) -> Target:
    """Costs, governance and roadmap events name what of the CTD changed."""
    if event.action in ("workspace.costs", "workspace.costs_delete"):
        year = event.details.get("year")
        return Target(f"Coûts {year} — {ctd.name}", url_for("workspace.costs", slug=ctd.slug))
    if event.action == "workspace.governance":
        return Target(
            f"Gouvernance — {ctd.name}", url_for("ctds.show", slug=ctd.slug, _anchor="gouvernance")
        )
    if event.action == "workspace.roadmap":
        version = event.details.get("version")
        url = (
            url_for("workspace.roadmap_version", slug=ctd.slug, version_id=version)
            if isinstance(version, int)
            else url_for("workspace.roadmap", slug=ctd.slug)
        )
        return Target(f"Feuille de route — {ctd.name}", url)
    if event.action == "ctd.stage":
        stage = CTD_STAGES.get(event.details.get("stage"), "")
        return Target(f"{ctd.name} — {stage}", url_for("ctds.show", slug=ctd.slug))
    return Target(ctd.name, url_for("ctds.show", slug=ctd.slug))


def _project(project: Project, event: AuditEvent, viewer: User) -> Target:
    return Target(
        f"{project.title} ({project.ctd.name})",
        url_for("workspace.project", slug=project.ctd.slug, project_id=project.id),
    )


def _actor(actor: NationalActor, event: AuditEvent, viewer: User) -> Target:
    return Target(actor.name, url_for("workspace.actor", slug=actor.slug))


def _invitation(invitation: Invitation, event: AuditEvent, viewer: User) -> Target:
    # Pending invitations are listed where they are managed: the CTD's members
    # page, or the admins' page for one that gives only a site role.
    if invitation.ctd is not None:
        url = url_for("membership.members", slug=invitation.ctd.slug, _anchor="invitations")
    elif permissions.can_invite_to_site_role(viewer):
        url = url_for("invitations.admin_invitations")
    else:
        url = None
    return Target(f"Invitation de {invitation.email}", url)


def _acronym(proposal: AcronymProposal, event: AuditEvent, viewer: User) -> Target:
    return Target(
        f"{proposal.acronym} = {proposal.expansion}",
        url_for("synonyms.proposals", _anchor=f"proposition-{proposal.id}"),
    )


KINDS: dict[str, TargetKind] = {
    "resource": TargetKind("ressource", Resource, describe=_resource),
    "glossary_term": TargetKind("terme", GlossaryTerm, describe=_term),
    "selection": TargetKind("sélection", Selection, describe=_selection),
    "user": TargetKind("compte", User, describe=_account),
    "api_token": TargetKind(
        "jeton d'API", ApiToken, (selectinload(ApiToken.user),), describe=_token
    ),
    "ctd": TargetKind("CTD", Ctd, describe=_ctd),
    "project": TargetKind("projet", Project, (selectinload(Project.ctd),), describe=_project),
    "actor": TargetKind("acteur national", NationalActor, describe=_actor),
    "invitation": TargetKind(
        "invitation", Invitation, (selectinload(Invitation.ctd),), describe=_invitation
    ),
    "acronym_proposal": TargetKind("acronyme", AcronymProposal, describe=_acronym),
}


def register(name: str, kind: TargetKind) -> None:
    """Let a domain add a kind of audited object (its noun, model, description)."""
    KINDS[name] = kind


# An event about no single object (a whole glossary imported).
WHOLE = {"glossary_term": lambda: Target("Glossaire", url_for("glossary.index"))}

# Labels an event kept of its object, for when the object is gone.
REMEMBERED = ("title", "label", "name", "slug")


def describe(events: Iterable[AuditEvent], viewer: User) -> dict[int, Target | None]:
    """Each event's object by event id (None: no object), one query per kind."""
    events = list(events)
    wanted: dict[str, set[int]] = {}
    for event in events:
        if event.target_id is not None and event.target_type in KINDS:
            wanted.setdefault(event.target_type, set()).add(event.target_id)
    rows: dict[tuple[str, int], Any] = {}
    for name, ids in wanted.items():
        kind = KINDS[name]
        query = select(kind.model).where(kind.model.id.in_(ids)).options(*kind.options)
        rows.update({(name, row.id): row for row in db.session.scalars(query)})
    return {event.id: _target(event, rows, viewer) for event in events}


def _target(event: AuditEvent, rows: dict, viewer: User) -> Target | None:
    kind = KINDS.get(event.target_type)
    if event.target_id is None:
        whole = WHOLE.get(event.target_type)
        return whole() if whole else None
    row = rows.get((event.target_type, event.target_id))
    if row is not None and kind is not None and kind.describe is not None:
        return kind.describe(row, event, viewer)
    remembered = next((event.details[k] for k in REMEMBERED if event.details.get(k)), None)
    noun = kind.noun if kind else event.target_type
    return Target(str(remembered or f"{noun} n° {event.target_id}"), deleted=True)
