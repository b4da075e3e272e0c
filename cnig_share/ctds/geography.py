"""France's 18 regions as shapes ready to draw: projected with pyproj, then
turned into SVG path data in kilometres.

The outlines are IGN Admin Express (Licence Ouverte), simplified, in
cnig_share/data/regions-france.geojson (its README says how). Metropolitan
France is drawn in Lambert-93 (EPSG:2154), the conformal projection French
maps use; each overseas region in its own UTM zone, so that none is
distorted, each with its own scale (an inset is not at the scale of the
metropolitan map, hence one scale bar per frame).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from pyproj import Transformer

LAMBERT_93 = "EPSG:2154"
# The UTM zone of each overseas region (WGS 84), north or south of the equator.
OVERSEAS_PROJECTIONS = {
    "guadeloupe": "EPSG:32620",
    "martinique": "EPSG:32620",
    "guyane": "EPSG:32622",
    "la-reunion": "EPSG:32740",
    "mayotte": "EPSG:32738",
}
OVERSEAS_ORDER = ("guadeloupe", "martinique", "guyane", "la-reunion", "mayotte")
METROPOLITAN = "metropole"
MARGIN_KM = 4
CREDIT = "Contours : IGN Admin Express – Licence Ouverte"

Ring = list[tuple[float, float]]


@dataclass(frozen=True)
class ScaleBar:
    """A round length and its label, drawn at the frame's scale."""

    km: int
    label: str


@dataclass(frozen=True)
class Region:
    slug: str
    name: str
    code: str
    rings: tuple[tuple[tuple[float, float], ...], ...]  # the frame's kilometres, y downwards

    @property
    def path(self) -> str:
        """SVG path data."""
        return "".join(
            "M" + " ".join(f"{x:.1f} {y:.1f}" for x, y in ring) + "Z" for ring in self.rings
        )


@dataclass(frozen=True)
class Frame:
    """One drawing: the metropolitan map, or an overseas inset."""

    key: str
    projection: str
    width: float  # kilometres
    height: float
    regions: tuple[Region, ...]
    scale: ScaleBar
    bar_room: float  # kilometres below the shapes, for the scale bar

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:.0f} {self.height:.0f}"


@cache
def _transformer(crs: str) -> Transformer:
    return Transformer.from_crs("EPSG:4326", crs, always_xy=True)


def project(crs: str, lon: float, lat: float) -> tuple[float, float]:
    """Longitude and latitude (WGS 84) to metres in `crs` (easting, northing)."""
    return _transformer(crs).transform(lon, lat)


def _features() -> list[dict]:
    text = resources.files("cnig_share").joinpath("data/regions-france.geojson").read_text()
    return json.loads(text)["features"]


def _rings(geometry: dict) -> list[Ring]:
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    return [[(lon, lat) for lon, lat in ring] for polygon in polygons for ring in polygon]


def _scale_bar(width_km: float) -> ScaleBar:
    """The largest round length under a quarter of the frame's width."""
    for km in (500, 200, 100, 50, 20, 10, 5, 2, 1):
        if km <= width_km / 4:
            return ScaleBar(km, f"{km} km")
    return ScaleBar(1, "1 km")


def _frame(key: str, crs: str, features: list[dict]) -> Frame:
    transformer = _transformer(crs)
    projected: list[tuple[dict, list[Ring]]] = []
    for feature in features:
        rings = []
        for ring in _rings(feature["geometry"]):
            xs, ys = transformer.transform([p[0] for p in ring], [p[1] for p in ring])
            rings.append([(x / 1000, y / 1000) for x, y in zip(xs, ys, strict=True)])
        projected.append((feature, rings))
    points = [point for _, rings in projected for ring in rings for point in ring]
    left = min(x for x, _ in points) - MARGIN_KM
    top = max(y for _, y in points) + MARGIN_KM
    width = max(x for x, _ in points) + MARGIN_KM - left
    height = top - (min(y for _, y in points) - MARGIN_KM)
    # Room below the shapes for the scale bar, whose lettering is larger
    # (in kilometres) on an inset, drawn smaller on the page.
    bar_room = width * (0.05 if key == METROPOLITAN else 0.16)
    height += bar_room
    regions = tuple(
        Region(
            slug=feature["properties"]["slug"],
            name=feature["properties"]["nom"],
            code=feature["properties"]["code"],
            rings=tuple(tuple((x - left, top - y) for x, y in ring) for ring in rings),
        )
        for feature, rings in projected
    )
    return Frame(key, crs, width, height, regions, _scale_bar(width), bar_room)


@cache
def frames() -> tuple[Frame, ...]:
    """The metropolitan frame first, then the five overseas insets."""
    features = _features()
    by_slug = {feature["properties"]["slug"]: feature for feature in features}
    metropolitan = [f for f in features if f["properties"]["slug"] not in OVERSEAS_PROJECTIONS]
    return (
        _frame(METROPOLITAN, LAMBERT_93, metropolitan),
        *(_frame(slug, OVERSEAS_PROJECTIONS[slug], [by_slug[slug]]) for slug in OVERSEAS_ORDER),
    )


def frame_of(slug: str) -> Frame:
    """The frame that holds a region: its inset overseas, the metropolitan map otherwise."""
    for frame in frames():
        if any(region.slug == slug for region in frame.regions):
            return frame
    raise KeyError(slug)
