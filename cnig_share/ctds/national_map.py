"""The map of CTDs: each region's class (its stage, or its activity in four
quartile classes), the legend and the table, all from one read of the database.

Colour is never alone: each class also has a pattern (dots, hatching, none)
drawn over its colour, and a label in the legend, the table and each region's
accessible name. The colours are from the DSFR palette.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from sqlalchemy import func, select

from cnig_share import permissions
from cnig_share.ctds import activity, geography
from cnig_share.extensions import db
from cnig_share.formatting import french_number, plural
from cnig_share.models import CTD_STAGES, Ctd, Resource
from cnig_share.text import fold

COLOURINGS = {"etape": "L'étape de chaque CTD", "activite": "L'activité de chaque CTD"}


@dataclass(frozen=True)
class Style:
    fill: str
    pattern: str  # "dots", "hatch", "cross" or "" (plain)
    ink: str  # the pattern's colour, contrasting with the fill


STAGE_STYLES = {
    "not-engaged": Style("#eeeeee", "dots", "#3a3a3a"),  # grey-950, DSFR
    "preparation": Style("#fcc63a", "hatch", "#3a3a3a"),  # yellow-tournesol-main-731
    "constituted": Style("#000091", "", "#ffffff"),  # blue-france-sun-113
}
ACTIVITY_STYLES = (
    Style("#e3e3fd", "dots", "#161616"),  # blue-france-925
    Style("#a1a1f8", "hatch", "#161616"),  # blue-france-main-525 (lighter)
    Style("#6a6af4", "cross", "#ffffff"),  # blue-france-main-525
    Style("#000091", "", "#ffffff"),  # blue-france-sun-113
)


@dataclass
class MapClass:
    key: str
    label: str
    style: Style
    count: int = 0  # CTDs in the class
    short: str = ""  # "classe 2", in a region's accessible name


@dataclass
class RegionEntry:
    ctd: Ctd
    published: int
    activity: dict[str, int]
    total: int = 0
    class_key: str = ""
    label: str = ""  # the region's accessible name on the map


@dataclass
class NationalMap:
    colouring: str
    classes: list[MapClass]
    entries: dict[str, RegionEntry]  # by CTD slug
    sources: list[activity.ActivitySource]
    frames: tuple[geography.Frame, ...] = field(default_factory=geography.frames)
    credit: str = geography.CREDIT

    @property
    def class_by_key(self) -> dict[str, MapClass]:
        return {item.key: item for item in self.classes}

    def ordered_regions(self, frame: geography.Frame) -> list[geography.Region]:
        """A frame's regions in the order a keyboard reaches them: alphabetical."""
        present = [region for region in frame.regions if region.slug in self.entries]
        return sorted(present, key=lambda region: fold(region.name))

    def table_rows(self) -> list[RegionEntry]:
        return sorted(self.entries.values(), key=lambda entry: fold(entry.ctd.region))


def build(colouring: str = "etape") -> NationalMap:
    """The map's figures for every CTD that has a region on it."""
    published = dict(
        db.session.execute(
            select(Resource.ctd_id, func.count(Resource.id))
            .where(permissions.public())
            .group_by(Resource.ctd_id)
        ).all()
    )
    counts = activity.activity_by_ctd()
    entries = {}
    for ctd in db.session.scalars(select(Ctd)):
        figures = {key: by_ctd.get(ctd.id, 0) for key, by_ctd in counts.items()}
        entries[ctd.slug] = RegionEntry(
            ctd, published.get(ctd.id, 0), figures, total=sum(figures.values())
        )
    classes = _activity_classes(entries) if colouring == "activite" else _stage_classes(entries)
    for entry in entries.values():
        entry.label = _label(entry, colouring, classes)
    return NationalMap(colouring, classes, entries, list(activity.ACTIVITY_SOURCES))


def _stage_classes(entries: dict[str, RegionEntry]) -> list[MapClass]:
    classes = [
        MapClass(stage, label.capitalize(), STAGE_STYLES[stage])
        for stage, label in CTD_STAGES.items()
    ]
    by_key = {item.key: item for item in classes}
    for entry in entries.values():
        entry.class_key = entry.ctd.stage
        by_key[entry.ctd.stage].count += 1
    return classes


def quartile_class(value: int, cuts: list[float]) -> int:
    """0 to 3: how many of the three quartile cuts the value is above."""
    return sum(1 for cut in cuts if value > cut)


def _activity_classes(entries: dict[str, RegionEntry]) -> list[MapClass]:
    values = [entry.total for entry in entries.values()]
    cuts = statistics.quantiles(values, n=4, method="inclusive") if len(values) > 1 else []
    members: list[list[int]] = [[], [], [], []]
    for entry in entries.values():
        index = quartile_class(entry.total, cuts)
        entry.class_key = f"q{index + 1}"
        members[index].append(entry.total)
    classes = []
    for index, values_in in enumerate(members):
        if not values_in:
            label = "aucun CTD dans cette classe"
        elif min(values_in) == max(values_in):
            label = f"activité {french_number(min(values_in))}"
        else:
            label = f"activité de {french_number(min(values_in))} à {french_number(max(values_in))}"
        classes.append(
            MapClass(
                f"q{index + 1}",
                f"Classe {index + 1} : {label}",
                ACTIVITY_STYLES[index],
                count=len(values_in),
                short=f"classe {index + 1}",
            )
        )
    return classes


def _label(entry: RegionEntry, colouring: str, classes: list[MapClass]) -> str:
    region = entry.ctd.region
    stage = entry.ctd.stage_label
    resources = plural(entry.published, "ressource")
    if colouring != "activite":
        return f"{region} — {stage}, {resources}"
    shown = {item.key: item for item in classes}[entry.class_key].short
    details = ", ".join(
        plural(entry.activity[source.key], source.singular, source.plural)
        for source in activity.ACTIVITY_SOURCES
    )
    return f"{region} — {stage}, activité {french_number(entry.total)} ({shown} sur 4) : {details}"
