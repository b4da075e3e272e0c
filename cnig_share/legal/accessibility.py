"""The RGAA 4.1 self-audit, as data: accessibility_audit.toml lists the pages of
the sample (the browser suite scans each with axe-core) and the result of each of
the 106 criteria. /accessibilite and the tests read it through `load`."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

AUDIT_FILE = Path(__file__).with_name("accessibility_audit.toml")
CRITERIA_COUNT = 106  # RGAA 4.1
STATUSES = {"C": "Conforme", "NC": "Non conforme", "NA": "Non applicable"}
# How a result was obtained: by axe-core in the browser suite, by the suite's own
# browser tests (keyboard, focus, skip links), or by a person.
METHODS = {"axe": "axe-core (automatique)", "tests": "tests navigateur", "manuel": "à la main"}


class AuditError(ValueError):
    """The audit file breaks one of its rules."""


@dataclass(frozen=True)
class SamplePage:
    name: str
    path: str  # may name a page of the demo content: {resource}, {selection}, {project}


@dataclass(frozen=True)
class Criterion:
    id: str
    title: str
    status: str
    methods: tuple[str, ...]
    note: str

    @property
    def theme(self) -> int:
        return int(self.id.split(".")[0])


@dataclass(frozen=True)
class Audit:
    referential: str
    audited_on: date
    auditor: str
    sample: tuple[SamplePage, ...]
    criteria: tuple[Criterion, ...]
    tools: tuple[str, ...]
    environments: tuple[str, ...]
    themes: dict[int, str]

    def with_status(self, status: str) -> list[Criterion]:
        return [criterion for criterion in self.criteria if criterion.status == status]

    @property
    def rate(self) -> float:
        """RGAA's compliance rate: conformant criteria over applicable ones, in %."""
        conformant, failing = len(self.with_status("C")), len(self.with_status("NC"))
        return 100 * conformant / (conformant + failing)

    @property
    def level(self) -> str:
        """The state of compliance the statement must declare (RGAA 4.1)."""
        if not self.with_status("NC"):
            return "totalement conforme"
        return "partiellement conforme" if self.rate >= 50 else "non conforme"

    def by_method(self, method: str) -> list[Criterion]:
        return [c for c in self.criteria if method in c.methods and c.status != "NA"]


@cache
def load(path: Path = AUDIT_FILE) -> Audit:
    """The audit, checked: every RGAA 4.1 criterion once, with a known status."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    criteria = tuple(_criterion(entry) for entry in data["criteria"])
    ids = [criterion.id for criterion in criteria]
    if len(set(ids)) != len(ids) or len(ids) != CRITERIA_COUNT:
        raise AuditError(f"{path.name}: {CRITERIA_COUNT} critères distincts attendus")
    return Audit(
        referential=data["referential"],
        audited_on=data["audited_on"],
        auditor=data["auditor"],
        sample=tuple(SamplePage(page["name"], page["path"]) for page in data["sample"]),
        criteria=criteria,
        tools=tuple(data["tools"]),
        environments=tuple(data["environments"]),
        themes={int(number): name for number, name in data["themes"].items()},
    )


def _criterion(entry: dict) -> Criterion:
    criterion = Criterion(
        id=entry["id"],
        title=entry["title"],
        status=entry["status"],
        methods=tuple(entry.get("methods", ())),
        note=entry.get("note", ""),
    )
    if criterion.status not in STATUSES:
        raise AuditError(f"critère {criterion.id} : statut inconnu « {criterion.status} »")
    if unknown := set(criterion.methods) - set(METHODS):
        raise AuditError(f"critère {criterion.id} : méthode inconnue {sorted(unknown)}")
    if criterion.status != "NA" and not criterion.methods:
        raise AuditError(f"critère {criterion.id} : dire comment il a été vérifié")
    if criterion.status == "NC" and not criterion.note:
        raise AuditError(f"critère {criterion.id} : dire ce qui n'est pas conforme")
    return criterion
