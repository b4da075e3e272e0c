"""Demo content of the CTD workspace (content/workspace/): national actors,
roadmaps, governance, projects and two years of costs, so that a newcomer
sees every page alive. Each entry becomes a line of `cnig-share workspace
import`, checked and applied as that command does, when it is not there yet.

Organisations are real national bodies; the projects and figures are
illustrations written for this demo, not official data.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from cnig_share.demo.content import Folder, iso
from cnig_share.extensions import db
from cnig_share.models import NationalActor, Project, User
from cnig_share.models.workspace import CostYear
from cnig_share.resources.exchange import Vocabulary
from cnig_share.workspace import exchange, services


def _entries(folder: Folder) -> list[tuple[str, dict[str, Any]]]:
    """(file name, import line) for every entry of the workspace files."""
    entries = []
    name = "workspace/actors.toml"
    entries += [(name, {**actor, "kind": "actor"}) for actor in folder.tables(name, "actors")]
    for page in folder.pages("workspace/roadmaps"):
        line = {**page.header, "kind": "roadmap", "ctd": page.key, "body": page.body}
        entries.append((page.name, line))
    name = "workspace/governance.toml"
    for slug, values in folder.table(name).items():
        if not isinstance(values, dict):
            folder.fail(name, f"{slug}: une table [{slug}] attendue")
            continue
        entries.append((name, {**values, "kind": "governance", "ctd": slug}))
    for page in folder.pages("workspace/projects"):
        header = {key: iso(value) for key, value in page.header.items()}
        entries.append((page.name, {**header, "kind": "project", "description": page.body}))
    name = "workspace/costs.toml"
    entries += [(name, {**costs, "kind": "costs"}) for costs in folder.tables(name, "costs")]
    return entries


def _missing(line: dict[str, Any], vocabulary: Vocabulary) -> bool:
    """Whether the database lacks what the line describes: the demo adds, it
    never overwrites what people changed since."""
    kind, slug, name, year = (line.get(key) for key in ("kind", "ctd", "name", "year"))
    if kind == "actor":
        named = select(NationalActor.id).where(NationalActor.name == name)
        return not isinstance(name, str) or db.session.scalar(named) is None
    ctd = vocabulary.ctds.get(slug) if isinstance(slug, str) else None
    if (
        ctd is None
        or not isinstance(line.get("title", ""), str)
        or not isinstance(year, int | None)
    ):
        return True  # the check reports what is wrong
    if kind == "roadmap":
        return not services.roadmap_versions(ctd)
    if kind == "governance":
        return services.governance_of(ctd) is None
    if kind == "project":
        found = select(Project.id).where(
            Project.ctd_id == ctd.id, Project.title == line.get("title")
        )
    else:
        found = select(CostYear.id).where(
            CostYear.ctd_id == ctd.id, CostYear.year == line.get("year")
        )
    return db.session.scalar(found) is None


def check(folder: Folder) -> list[exchange.Line]:
    """The workspace entries not yet seeded, checked as import lines."""
    vocabulary = Vocabulary()
    entries = [(name, line) for name, line in _entries(folder) if _missing(line, vocabulary)]
    actors = exchange.known_actors([line for _, line in entries])
    checked = []
    for number, (name, line) in enumerate(entries, start=1):
        found = exchange.check_line(number, line, vocabulary, actors)
        if isinstance(found, list):
            for message in found:
                folder.fail(_label(name, line), message)
        else:
            checked.append(found)
    return checked


def _label(name: str, line: dict[str, Any]) -> str:
    """The file, and which of its entries when it holds several."""
    if name.endswith(".md"):
        return name
    entry = line.get("name") if line["kind"] == "actor" else line.get("ctd")
    year = f" {line['year']}" if line["kind"] == "costs" and "year" in line else ""
    return f"{name} ({entry}{year})"


def create(lines: list[exchange.Line], curator: User) -> int:
    """Apply the checked entries; return how many projects were added."""
    return exchange.apply(lines, curator)["project"]
