"""The CTD workspace as JSON Lines: one object per line, its `kind` saying
what it is — actor, roadmap, governance, project or costs.

Export then import gives back the same workspace, and importing a file twice
changes nothing the second time: actors are matched by slug, projects by CTD
and title, costs by CTD and year, and a roadmap only adds a version when its
text differs from the current one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from slugify import slugify
from sqlalchemy import select

from cnig_share import permissions
from cnig_share.extensions import db
from cnig_share.markdown import refusal as markdown_refusal
from cnig_share.models import (
    ACTOR_ROLES,
    ACTOR_TYPES,
    PROJECT_STATUSES,
    NationalActor,
    Project,
    Resource,
    User,
)
from cnig_share.models.workspace import CostYear
from cnig_share.resources.exchange import Vocabulary
from cnig_share.routing import MAX_ID
from cnig_share.rules import IMPORT_WEB_URL_MESSAGE, Text, WebUrl
from cnig_share.text import fold, unstorable
from cnig_share.urls import is_web_url
from cnig_share.workspace import fields, services

KINDS = ("actor", "roadmap", "governance", "project", "costs")  # the order they are applied in


@dataclass
class Line:
    number: int
    kind: str
    values: dict[str, Any] = field(default_factory=dict)


class Checker:
    """Checks one line's fields, collecting `field: reason` messages."""

    def __init__(self, data: dict, vocabulary: Vocabulary, actors: set[str]) -> None:
        self.data, self.vocabulary, self.actors = data, vocabulary, actors
        self.errors: list[str] = []

    def fail(self, name: str, reason: str) -> None:
        self.errors.append(f"{name}: {reason}")

    def text(self, name: str, rule: Text, required: bool | None = None) -> str:
        """Text under its field's rule (`required` overrides the rule's)."""
        required = bool(rule.required) if required is None else required
        value = self.data.get(name, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.fail(name, "du texte attendu")
            return ""
        if unstorable(value):
            self.fail(name, "caractère nul ou invalide")
            return ""
        if required and not value.strip():
            self.fail(name, "obligatoire")
        if len(value) > rule.max_length:
            self.fail(name, f"{rule.max_length} caractères au plus")
        elif rule.markdown and (refusal := markdown_refusal(value)):
            self.fail(name, refusal)
        return value

    def web_url(self, name: str, rule: WebUrl) -> str:
        """An address under the site's one rule for web addresses, or empty."""
        value = self.text(name, Text(rule.max_length)).strip()
        if value and not is_web_url(value):
            self.fail(name, IMPORT_WEB_URL_MESSAGE)
            return ""
        return value

    def lines(self, name: str, rule: Text) -> str:
        """A list of names, stored one per line, within the rule's length."""
        value = self.data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(name, "une liste de textes attendue")
            return ""
        if any(unstorable(v) or "\n" in v for v in value):
            self.fail(name, "un élément contient un saut de ligne ou un caractère invalide")
            return ""
        text = "\n".join(v.strip() for v in value if v.strip())
        if len(text) > rule.max_length:
            self.fail(name, f"{rule.max_length} caractères au plus (une ligne par élément)")
            return ""
        return text

    def integer(self, name: str, low: int, high: int, required: bool = False) -> int | None:
        value = self.data.get(name)
        if value is None:
            if required:
                self.fail(name, "obligatoire")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(name, f"un entier entre {low} et {high}")
            return None
        return value

    def choice(self, name: str, choices: dict[str, str], default: str | None = None) -> str:
        value = self.data.get(name, default)
        if not isinstance(value, str) or value not in choices:
            self.fail(name, f"l'une des valeurs {', '.join(choices)}")
            return default or ""
        return value

    def ctd(self):
        slug = self.data.get("ctd")
        ctd = self.vocabulary.ctds.get(slug) if isinstance(slug, str) else None
        if ctd is None:
            self.fail("ctd", "identifiant de CTD inconnu")
        return ctd

    def day(self, name: str) -> date | None:
        value = self.data.get(name)
        if value is None:
            return None
        try:
            return date.fromisoformat(value) if isinstance(value, str) else _raise()
        except ValueError:
            self.fail(name, "une date AAAA-MM-JJ")
            return None


def _raise():
    raise ValueError


def actor_key(text: str) -> str:
    return fold(text).strip()


def known_actors(lines_data: list[Any]) -> set[str]:
    """Keys of the actors a project line may name: those stored, and those the
    file itself creates (by name, or by the slug their name will get)."""
    keys = set()
    for actor in db.session.scalars(select(NationalActor)):
        keys |= {actor_key(actor.slug), actor_key(actor.name)}
    for data in lines_data:
        if isinstance(data, dict) and data.get("kind") == "actor":
            name = data.get("name")
            if isinstance(name, str) and name.strip():
                keys |= {actor_key(name), actor_key(slugify(name, max_length=100))}
    return keys


def check_line(number: int, data: Any, vocabulary: Vocabulary, actors: set[str]):
    """A Line, or the list of its problems."""
    if not isinstance(data, dict):
        return ["ligne: un objet JSON attendu"]
    kind = data.get("kind")
    if kind not in KINDS:
        return [f"kind: l'une des valeurs {', '.join(KINDS)}"]
    c = Checker(data, vocabulary, actors)
    values: dict[str, Any] = {}
    if kind == "actor":
        values = {
            "name": c.text("name", fields.ACTOR_NAME),
            "type": c.choice("type", ACTOR_TYPES),
            "website": c.web_url("website", fields.ACTOR_WEBSITE),
            "description": c.text("description", fields.ACTOR_DESCRIPTION),
        }
    elif kind == "roadmap":
        values = {
            "ctd": c.ctd(),
            "body": c.text("body", fields.ROADMAP_BODY),
            "note": c.text("note", fields.ROADMAP_NOTE),
        }
    elif kind == "governance":
        values = {
            "ctd": c.ctd(),
            "region_chair": c.text("region_chair", fields.CHAIR),
            "state_chair": c.text("state_chair", fields.CHAIR),
            "organisations": c.lines("organisations", fields.MEMBER_NAMES),
            "groups": c.lines("groups", fields.MEMBER_NAMES),
        }
    elif kind == "project":
        values = _project_values(c)
    else:
        values = _cost_values(c)
    return c.errors or Line(number, kind, values)


def _project_values(c: Checker) -> dict[str, Any]:
    ctd = c.ctd()
    start, end = c.day("start_date"), c.day("end_date")
    if start and end and end < start:
        c.fail("end_date", "la fin précède le début")
    roles = _actor_roles(c)
    term_ids = []
    for label in c.data.get("terms") or []:
        term = c.vocabulary.terms.get(fold(label).strip()) if isinstance(label, str) else None
        if term is None:
            c.fail("terms", f"terme inconnu : {str(label)[:80]}")
        else:
            term_ids.append(term.id)
    resources = c.data.get("resources") or []
    if not isinstance(resources, list) or not all(
        isinstance(r, int) and not isinstance(r, bool) and 0 < r <= MAX_ID for r in resources
    ):
        c.fail("resources", "une liste de numéros de ressources")
        resources = []
    published = set(
        db.session.scalars(
            select(Resource.id).where(Resource.id.in_(resources), permissions.public())
        )
    )
    for missing in [r for r in resources if r not in published]:
        c.fail("resources", f"{missing} n'est pas une ressource publiée")
    shared = c.data.get("shared_with") or []
    if not isinstance(shared, list) or any(s not in c.vocabulary.ctds for s in shared):
        c.fail("shared_with", "une liste d'identifiants de CTD")
        shared = []
    elif ctd is not None and ctd.slug in shared:
        c.fail("shared_with", "un projet ne se mutualise pas avec son propre CTD")
    avoided = c.data.get("avoided_cost")
    amount = year = None
    method = ""
    if avoided is not None:
        if not isinstance(avoided, dict):
            c.fail("avoided_cost", "un objet {eur, year, method} ou null")
        else:
            sub = Checker(avoided, c.vocabulary, c.actors)
            amount = sub.integer("eur", 0, 1_000_000_000, required=True)
            year = sub.integer("year", 2000, 2100, required=True)
            method = sub.text("method", fields.AVOIDED_COST_METHOD, required=True)
            c.errors += [f"avoided_cost.{error}" for error in sub.errors]
    return {
        "ctd": ctd,
        "input": services.ProjectInput(
            title=c.text("title", fields.PROJECT_TITLE),
            description=c.text("description", fields.PROJECT_DESCRIPTION),
            status=c.choice("status", PROJECT_STATUSES, default="idee"),
            start_date=start,
            end_date=end,
            partners=c.lines("partners", fields.PARTNERS),
            actor_roles=tuple(roles),
            term_ids=tuple(term_ids),
            resources=", ".join(map(str, resources)),
            shared_with=tuple(shared),
            avoided_cost_eur=amount,
            avoided_cost_year=year,
            avoided_cost_method=method,
        ),
    }


def _actor_roles(c: Checker) -> list[tuple[str, str]]:
    parts = c.data.get("actors") or []
    if isinstance(parts, list) and len(parts) > fields.MAX_PROJECT_ACTORS:
        c.fail("actors", f"{fields.MAX_PROJECT_ACTORS} acteurs au plus")
        return []
    roles = []
    for part in parts:
        actor = part.get("actor") if isinstance(part, dict) else None
        role = part.get("role") if isinstance(part, dict) else None
        if not isinstance(actor, str) or actor_key(actor) not in c.actors:
            c.fail("actors", f"acteur inconnu : {str(actor)[:80]}")
        elif role not in ACTOR_ROLES:
            c.fail("actors", f"rôle : l'une des valeurs {', '.join(ACTOR_ROLES)}")
        else:
            roles.append((actor, role))
    return roles


def _cost_values(c: Checker) -> dict[str, Any]:
    values = {
        "ctd": c.ctd(),
        "year": c.integer("year", 2000, 2100, required=True),
        "day_rate_eur": c.integer("day_rate_eur", 0, 100_000, required=True),
        "days_per_fte": c.integer("days_per_fte", 1, 366, required=True),
        "tools_eur": c.integer("tools_eur", 0, 1_000_000_000) or 0,
        "events_eur": c.integer("events_eur", 0, 1_000_000_000) or 0,
        "note": c.text("note", fields.COST_NOTE),
    }
    fte = c.data.get("staff_fte", 0)
    try:
        if isinstance(fte, bool) or not isinstance(fte, int | float | str):
            raise InvalidOperation
        values["staff_fte"] = Decimal(str(fte)).quantize(Decimal("0.01"))
        if not 0 <= values["staff_fte"] <= 1000:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        c.fail("staff_fte", "un nombre d'ETP entre 0 et 1000")
    return values


def apply(lines: list[Line], by: User) -> dict[str, int]:
    """Write checked lines, actors first; the caller commits (or rolls back)."""
    counts = dict.fromkeys(KINDS, 0)
    for kind in KINDS:
        for line in (line for line in lines if line.kind == kind):
            values = line.values
            if kind == "actor":
                actor = services.find_actor(values["name"])
                if actor is None or _differs(actor, values):
                    services.save_actor(actor, values, by)
            elif kind == "roadmap":
                services.save_roadmap(values["ctd"], values["body"], values["note"], by)
            elif kind == "governance":
                fields = {k: v for k, v in values.items() if k != "ctd"}
                services.save_governance(values["ctd"], fields, by)
            elif kind == "project":
                data = values["input"]
                actors = _actors_by_key()
                data.actor_roles = tuple(
                    (actors[actor_key(name)].slug, role) for name, role in data.actor_roles
                )
                existing = db.session.scalar(
                    select(Project).where(
                        Project.ctd_id == values["ctd"].id, Project.title == data.title.strip()
                    )
                )
                services.save_project(existing, values["ctd"], data, by)
            else:
                fields = {k: v for k, v in values.items() if k not in ("ctd", "year")}
                services.save_costs(values["ctd"], values["year"], fields, by)
            counts[kind] += 1
    return counts


def _actors_by_key() -> dict[str, NationalActor]:
    actors = {}
    for actor in db.session.scalars(select(NationalActor)):
        actors[actor_key(actor.name)] = actors[actor_key(actor.slug)] = actor
    return actors


def _differs(actor: NationalActor, values: dict) -> bool:
    return any(getattr(actor, name) != (value or "").strip() for name, value in values.items())


# --- export -------------------------------------------------------------------------------


def export_lines() -> list[str]:
    """Every actor, current roadmap, governance, project and year of costs."""
    records: list[dict] = []
    for actor in db.session.scalars(select(NationalActor).order_by(NationalActor.slug)):
        records.append({"kind": "actor", "name": actor.name, "type": actor.type,
                        "website": actor.website, "description": actor.description})  # fmt: skip
    for ctd in sorted(Vocabulary().ctds.values(), key=lambda c: c.slug):
        versions = services.roadmap_versions(ctd)
        if versions:
            records.append({"kind": "roadmap", "ctd": ctd.slug, "body": versions[0].body,
                            "note": versions[0].note})  # fmt: skip
        governance = services.governance_of(ctd)
        if governance is not None:
            records.append({
                "kind": "governance", "ctd": ctd.slug,
                "region_chair": governance.region_chair, "state_chair": governance.state_chair,
                "organisations": governance.organisation_list, "groups": governance.group_list,
            })  # fmt: skip
    for project in db.session.scalars(select(Project).order_by(Project.id)):
        records.append(project_record(project))
    for costs in db.session.scalars(select(CostYear).order_by(CostYear.ctd_id, CostYear.year)):
        records.append({
            "kind": "costs", "ctd": costs.ctd.slug, "year": costs.year,
            "staff_fte": float(costs.staff_fte), "day_rate_eur": costs.day_rate_eur,
            "days_per_fte": costs.days_per_fte, "tools_eur": costs.tools_eur,
            "events_eur": costs.events_eur, "note": costs.note,
        })  # fmt: skip
    return [json.dumps(record, ensure_ascii=False) for record in records]


def project_record(project: Project) -> dict:
    avoided = None
    if project.avoided_cost_eur is not None:
        avoided = {"eur": project.avoided_cost_eur, "year": project.avoided_cost_year,
                   "method": project.avoided_cost_method}  # fmt: skip
    return {
        "kind": "project", "ctd": project.ctd.slug, "title": project.title,
        "description": project.description, "status": project.status,
        "start_date": project.start_date.isoformat() if project.start_date else None,
        "end_date": project.end_date.isoformat() if project.end_date else None,
        "partners": project.partner_list,
        "actors": [{"actor": p.actor.slug, "role": p.role}
                   for p in sorted(project.actors, key=lambda p: (p.actor.slug, p.role))],
        "terms": [term.pref_label for term in project.terms],
        "resources": sorted(r.id for r in project.resources),
        "shared_with": sorted(c.slug for c in project.shared_with),
        "avoided_cost": avoided,
    }  # fmt: skip
