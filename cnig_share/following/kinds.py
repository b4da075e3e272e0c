"""What can be followed: one entry per kind. A new kind (a discussion thread)
is one more entry; the follow table, the button and the privacy pages read
this registry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import url_for

from cnig_share import permissions
from cnig_share.extensions import db
from cnig_share.models import Ctd, GlossaryTerm, NationalActor, Project, Resource


@dataclass(frozen=True)
class FollowKind:
    """A kind of thing a person may follow."""

    name: str  # stored in Follow.target_kind
    label: str  # "le CTD", in a sentence
    model: type
    title: Callable[[Any], str]
    endpoint: str
    url_values: Callable[[Any], dict[str, Any]]
    # Who may follow it: whatever a visitor may see (a resource: published).
    may_follow: Callable[[Any], bool] = lambda item: True

    def load(self, target_id: int) -> Any | None:
        return db.session.get(self.model, target_id)

    def url(self, item: Any) -> str:
        return url_for(self.endpoint, **self.url_values(item))


FOLLOW_KINDS: dict[str, FollowKind] = {
    kind.name: kind
    for kind in (
        FollowKind(
            name="ctd",
            label="le CTD",
            model=Ctd,
            title=lambda ctd: ctd.name,
            endpoint="ctds.show",
            url_values=lambda ctd: {"slug": ctd.slug},
        ),
        FollowKind(
            name="term",
            label="le terme",
            model=GlossaryTerm,
            title=lambda term: term.pref_label,
            endpoint="glossary.show",
            url_values=lambda term: {"slug": term.slug},
        ),
        FollowKind(
            name="resource",
            label="la ressource",
            model=Resource,
            title=lambda resource: resource.title,
            endpoint="resources.show",
            url_values=lambda resource: {"resource_id": resource.id},
            may_follow=lambda resource: permissions.can_view(None, resource),
        ),
        FollowKind(
            name="project",
            label="le projet",
            model=Project,
            title=lambda project: project.title,
            endpoint="workspace.project",
            url_values=lambda project: {"slug": project.ctd.slug, "project_id": project.id},
        ),
        FollowKind(
            name="actor",
            label="l'acteur national",
            model=NationalActor,
            title=lambda actor: actor.name,
            endpoint="workspace.actor",
            url_values=lambda actor: {"slug": actor.slug},
        ),
    )
}


def register(kind: FollowKind) -> None:
    """Add a kind (discussions add "thread" this way from their own package)."""
    FOLLOW_KINDS[kind.name] = kind
