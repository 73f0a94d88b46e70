"""Areas of interest: GeoJSON geometries per RFC 7946, checked before anyone pays for them.

Whatever the user hands us (a drawn feature, an uploaded FeatureCollection, WKT, a shapely or
``__geo_interface__`` object) becomes one validated GeoJSON geometry dict. The coordinates the
user gave are kept exactly, only re-wound where RFC 7946 asks for counterclockwise exteriors.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Callable, Iterator
from typing import Any

import shapely
from shapely.geometry import shape

from stat_widgets.errors import FieldError, ValidationError

FIELD = "geometry"
GEOMETRY_TYPES = (
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
)
_DEPTH = {
    "Point": 0,
    "MultiPoint": 1,
    "LineString": 1,
    "MultiLineString": 2,
    "Polygon": 2,
    "MultiPolygon": 3,
}


def _fail(path: str, message: str) -> ValidationError:
    return ValidationError([FieldError(path, message)])


def _check_position(pos: Any, path: str) -> list[float]:
    if not isinstance(pos, list | tuple) or not 2 <= len(pos) <= 3:
        raise _fail(
            path, f"a position must be [longitude, latitude] (or with elevation), got {pos!r}"
        )
    for value in pos:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _fail(path, f"coordinates must be numbers, got {value!r}")
        if not math.isfinite(value):
            raise _fail(path, f"coordinates must be finite numbers, got {value!r}")
    lon, lat = pos[0], pos[1]
    swapped = -180 <= lat <= 180 and -90 <= lon <= 90
    hint = " (are longitude and latitude swapped?)" if swapped else ""
    if not -180 <= lon <= 180:
        raise _fail(path, f"longitude {lon} is outside [-180, 180]{hint}")
    if not -90 <= lat <= 90:
        raise _fail(path, f"latitude {lat} is outside [-90, 90]{hint}")
    return list(pos)


def _check_nesting(coords: Any, depth: int, path: str) -> Any:
    if depth == 0:
        return _check_position(coords, path)
    if not isinstance(coords, list | tuple):
        raise _fail(path, f"expected an array of {'positions' if depth == 1 else 'arrays'}")
    return [_check_nesting(c, depth - 1, f"{path}[{i}]") for i, c in enumerate(coords)]


def _signed_area(ring: list[list[float]]) -> float:
    """Shoelace in lon/lat: positive for counterclockwise; only its sign is used."""
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in itertools.pairwise(ring)) / 2


def _check_polygon(rings: list, path: str) -> list:
    if not rings:
        raise _fail(path, "a polygon needs at least an exterior ring")
    out = []
    for i, ring in enumerate(rings):
        rpath = f"{path}[{i}]"
        name = "the exterior ring" if i == 0 else f"hole {i}"
        if len(ring) < 4:
            raise _fail(
                rpath,
                f"{name} has {len(ring)} positions; a ring needs at least 4 "
                "(3 corners and the first repeated)",
            )
        if list(ring[0][:2]) != list(ring[-1][:2]):
            raise _fail(
                rpath,
                f"{name} is not closed: it starts at ({ring[0][0]}, {ring[0][1]}) but ends at "
                f"({ring[-1][0]}, {ring[-1][1]}); repeat the first position at the end",
            )
        ccw = _signed_area(ring) > 0
        want_ccw = i == 0  # RFC 7946 section 3.1.6: exterior counterclockwise, holes clockwise
        out.append(list(reversed(ring)) if ccw != want_ccw else ring)
    return out


def _check_structure(geom: Any, path: str) -> dict:
    if not isinstance(geom, dict):
        raise _fail(path, f"expected a GeoJSON geometry object, got {type(geom).__name__}")
    kind = geom.get("type")
    if kind in ("Feature", "FeatureCollection"):
        raise _fail(path, f"expected a geometry, got a {kind}; use its geometry")
    if kind not in GEOMETRY_TYPES:
        raise _fail(
            f"{path}.type" if path else "type",
            f"unknown geometry type {kind!r}; expected one of {', '.join(GEOMETRY_TYPES)}",
        )
    if kind == "GeometryCollection":
        members = geom.get("geometries")
        if not isinstance(members, list) or not members:
            raise _fail(
                f"{path}.geometries", "a GeometryCollection needs a non-empty 'geometries' array"
            )
        return {
            "type": kind,
            "geometries": [
                _check_structure(g, f"{path}.geometries[{i}]") for i, g in enumerate(members)
            ],
        }
    cpath = f"{path}.coordinates"
    if "coordinates" not in geom:
        raise _fail(cpath, f"a {kind} needs 'coordinates'")
    coords = _check_nesting(geom["coordinates"], _DEPTH[kind], cpath)
    if kind == "LineString" and len(coords) < 2:
        raise _fail(cpath, "a LineString needs at least 2 positions")
    if kind == "MultiLineString":
        for i, line in enumerate(coords):
            if len(line) < 2:
                raise _fail(f"{cpath}[{i}]", "each line needs at least 2 positions")
    if kind in ("MultiPoint", "MultiLineString", "MultiPolygon") and not coords:
        raise _fail(cpath, f"a {kind} needs at least one member")
    if kind == "Polygon":
        coords = _check_polygon(coords, cpath)
    if kind == "MultiPolygon":
        coords = [_check_polygon(p, f"{cpath}[{i}]") for i, p in enumerate(coords)]
    return {"type": kind, "coordinates": coords}


_REASON = re.compile(r"^(?P<reason>[^\[]+)\[(?P<x>\S+) (?P<y>\S+)(?: \S+)?\]$")


def _explain_invalid(geom: shapely.Geometry) -> str:
    reason = shapely.is_valid_reason(geom)
    match = _REASON.match(reason)
    if not match:
        return reason
    x, y = float(match["x"]), float(match["y"])
    hint = {
        "Self-intersection": " (an edge crosses another; redraw it without the crossing)",
        "Ring Self-intersection": " (the ring touches itself)",
        "Hole lies outside shell": " (a hole must lie inside the outer ring)",
        "Too few points": " (the shape has collapsed)",
    }.get(match["reason"].strip(), "")
    return f"{match['reason'].strip()} at ({x:.6g}, {y:.6g}){hint}"


def validate_geometry(geom: Any, *, field: str = FIELD) -> dict:
    """Check a GeoJSON geometry dict and return it normalised (closed, re-wound rings)."""
    normalised = _check_structure(geom, field)
    parsed = shape(normalised)
    if parsed.is_empty:
        raise _fail(field, "the geometry is empty")
    if not parsed.is_valid:
        raise _fail(field, _explain_invalid(parsed))
    return normalised


def _from_feature_collection(fc: dict, union: bool, field: str) -> dict:
    features = fc.get("features")
    if not isinstance(features, list) or not features:
        raise _fail(field, "the FeatureCollection has no features")
    if len(features) == 1:
        return _from_feature(features[0], f"{field}")
    if not union:
        raise _fail(
            field,
            f"the FeatureCollection has {len(features)} features, but an order has one area; "
            "keep one feature or merge them into one (union)",
        )
    geoms = [shape(_from_feature(f, f"{field}.features[{i}]")) for i, f in enumerate(features)]
    return shapely_to_geojson(shapely.union_all(geoms), field=field)


def _from_feature(feature: Any, field: str) -> dict:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise _fail(field, "expected a GeoJSON Feature")
    if not feature.get("geometry"):
        raise _fail(field, "the feature has no geometry")
    return validate_geometry(feature["geometry"], field=field)


def shapely_to_geojson(geom: shapely.Geometry, *, field: str = FIELD) -> dict:
    return validate_geometry(json.loads(shapely.to_geojson(geom)), field=field)


def to_geometry(obj: Any, *, union: bool = False, field: str = FIELD) -> dict:
    """Turn anything that describes an area into one validated GeoJSON geometry dict.

    Accepts a geometry, Feature or FeatureCollection (dict or JSON text), WKT text, a shapely
    geometry, or any object with ``__geo_interface__``. A FeatureCollection with many features
    is refused unless ``union`` is true, because silently picking one could order the wrong place.
    """
    if isinstance(obj, shapely.Geometry):
        return shapely_to_geojson(obj, field=field)
    if hasattr(obj, "__geo_interface__") and not isinstance(obj, dict):
        obj = obj.__geo_interface__
    if isinstance(obj, bytes):
        obj = obj.decode("utf-8-sig")
    if isinstance(obj, str):
        text = obj.strip()
        if not text:
            raise _fail(field, "no geometry given: paste GeoJSON or WKT")
        if text.startswith("{"):
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as exc:
                raise _fail(
                    field,
                    f"this is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
                ) from None
        else:
            try:
                return shapely_to_geojson(shapely.from_wkt(text), field=field)
            except shapely.errors.GEOSException as exc:
                raise _fail(
                    field,
                    f"this is neither GeoJSON nor WKT ({exc}); "
                    "e.g. POLYGON((10 50, 11 50, 11 51, 10 50))",
                ) from None
    if isinstance(obj, dict):
        kind = obj.get("type")
        if kind == "FeatureCollection":
            return _from_feature_collection(obj, union, field)
        if kind == "Feature":
            return _from_feature(obj, field)
        return validate_geometry(obj, field=field)
    raise _fail(field, f"cannot read an area from a {type(obj).__name__}")


def bbox_geometry(
    west: float, south: float, east: float, north: float, *, field: str = FIELD
) -> dict:
    """A bounding box as a Polygon; west > east (crossing the antimeridian) is refused because
    RFC 7946 wants such boxes split, and the user rarely means it."""
    for name, value in (("west", west), ("south", south), ("east", east), ("north", north)):
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise _fail(f"{field}.{name}", f"{name} must be a finite number, got {value!r}")
    if west >= east:
        raise _fail(f"{field}.east", f"east ({east}) must be greater than west ({west})")
    if south >= north:
        raise _fail(f"{field}.north", f"north ({north}) must be greater than south ({south})")
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return validate_geometry({"type": "Polygon", "coordinates": [ring]}, field=field)


def _positions(geom: dict) -> Iterator[list]:
    if geom["type"] == "GeometryCollection":
        for member in geom["geometries"]:
            yield from _positions(member)
        return
    depth = _DEPTH[geom["type"]]

    def walk(coords: Any, level: int) -> Iterator[list]:
        if level == 0:
            yield coords
        else:
            for c in coords:
                yield from walk(c, level - 1)

    yield from walk(geom["coordinates"], depth)


def vertex_count(geom: dict) -> int:
    """Distinct corners: a closed ring's repeated last position is not counted."""
    count = sum(1 for _ in _positions(geom))

    def closing(g: dict) -> int:
        if g["type"] == "Polygon":
            return len(g["coordinates"])
        if g["type"] == "MultiPolygon":
            return sum(len(p) for p in g["coordinates"])
        if g["type"] == "GeometryCollection":
            return sum(closing(m) for m in g["geometries"])
        return 0

    return count - closing(geom)


_geod: Callable[..., Any] | None = None


def geodesic_area_km2(geom: dict) -> float:
    """Area on the WGS 84 ellipsoid in km² (0 for points and lines).

    Geodesic, not planar: a degree-square at 60° N is half the area of one at the equator, and
    the product limits are in km².
    """
    global _geod
    if _geod is None:
        from pyproj import Geod  # deferred: pyproj's import costs notebook start-up time

        _geod = Geod(ellps="WGS84").geometry_area_perimeter
    area, _ = _geod(shape(geom))
    return abs(area) / 1e6


def geometry_types(geom: dict) -> set[str]:
    """The member types of a geometry, looking inside collections."""
    if geom.get("type") == "GeometryCollection":
        return set().union(*(geometry_types(g) for g in geom["geometries"]))
    return {geom["type"]}
