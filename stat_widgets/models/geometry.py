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
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
import orjson
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


_NUMBER_TYPES = {int, float}
_FAST_PATH_MIN = 32


class _Positions(list):
    """A checked array of positions that remembers its numpy form, so that orientation,
    closure and the shapely geometry of a 10⁵-vertex upload are computed without Python loops."""

    array: np.ndarray

    @classmethod
    def of(cls, positions: Any, array: np.ndarray) -> _Positions:
        out = cls(positions)
        out.array = array
        return out


_LON_LAT_LIMITS = np.array([180.0, 90.0])


def _fast_positions(coords: list | tuple) -> _Positions | None:
    """Vectorised check of a long array of positions; None sends it to the slow path, which
    finds and names the exact position at fault. Uploaded AOIs have 10⁵ vertices and more."""
    # numpy would turn strings, booleans and None into numbers or NaN: refuse them first
    if not set(map(type, itertools.chain.from_iterable(coords))) <= _NUMBER_TYPES:
        return None
    dims = set(map(len, coords))
    dim = dims.pop() if len(dims) == 1 else 0
    if dim not in (2, 3):
        return None
    # fromiter over the flat values: a third of the time of asarray over nested lists
    flat = itertools.chain.from_iterable(coords)
    arr = np.fromiter(flat, dtype=np.float64, count=len(coords) * dim).reshape(-1, dim)
    # one comparison decides ranges and finiteness (NaN compares false, inf is out of range)
    if not (np.abs(arr[:, :2]) <= _LON_LAT_LIMITS).all():
        return None
    if dim == 3 and not np.isfinite(arr[:, 2]).all():
        return None
    if set(map(type, coords)) == {list}:
        return _Positions.of(coords, arr)
    return _Positions.of(map(list, coords), arr)


def _check_nesting(coords: Any, depth: int, path: str) -> Any:
    if depth == 0:
        return _check_position(coords, path)
    if not isinstance(coords, list | tuple):
        raise _fail(path, f"expected an array of {'positions' if depth == 1 else 'arrays'}")
    if depth == 1 and len(coords) >= _FAST_PATH_MIN:
        try:
            checked = _fast_positions(coords)
        except TypeError:  # a position that is not a sequence
            checked = None
        if checked is not None:
            return checked
    return [_check_nesting(c, depth - 1, f"{path}[{i}]") for i, c in enumerate(coords)]


def _signed_area(ring: list[list[float]]) -> float:
    """Shoelace in lon/lat: positive for counterclockwise; only its sign is used."""
    arr = getattr(ring, "array", None)
    if arr is not None:
        x, y = arr[:, 0], arr[:, 1]
        return float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1])) / 2
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in itertools.pairwise(ring)) / 2


def _reversed(ring: list) -> list:
    arr = getattr(ring, "array", None)
    if arr is not None:
        return _Positions.of(reversed(ring), arr[::-1])
    return list(reversed(ring))


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
        out.append(_reversed(ring) if ccw != want_ccw else ring)
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


def _polygon_from_arrays(rings: list) -> shapely.Polygon | None:
    arrays = [getattr(ring, "array", None) for ring in rings]
    if any(a is None for a in arrays):
        return None
    return shapely.polygons(arrays[0], holes=arrays[1:] or None)


def _to_shapely(geom: dict) -> shapely.Geometry:
    """shapely from the checked arrays where there are any (a 200,000-vertex ring in
    milliseconds, where ``shape()`` walks every position in Python)."""
    if geom["type"] == "Polygon":
        built = _polygon_from_arrays(geom["coordinates"])
        if built is not None:
            return built
    if geom["type"] == "MultiPolygon":
        parts = [_polygon_from_arrays(p) for p in geom["coordinates"]]
        if all(p is not None for p in parts):
            return shapely.multipolygons(parts)
    return shape(geom)


_SHAPES: OrderedDict[int, tuple[dict, shapely.Geometry]] = OrderedDict()
_SHAPES_KEPT = 16


def as_shape(geom: dict) -> shapely.Geometry:
    """The shapely form of a geometry dict, reusing the one built when it was validated."""
    hit = _SHAPES.get(id(geom))
    if hit is not None and hit[0] is geom:
        _SHAPES.move_to_end(id(geom))
        return hit[1]
    built = _to_shapely(geom)
    _remember(geom, built)
    return built


def _remember(geom: dict, built: shapely.Geometry) -> None:
    _SHAPES[id(geom)] = (geom, built)  # holding geom keeps its id from being reused
    while len(_SHAPES) > _SHAPES_KEPT:
        _SHAPES.popitem(last=False)


def validate_geometry(geom: Any, *, field: str = FIELD) -> dict:
    """Check a GeoJSON geometry dict and return it normalised (closed, re-wound rings)."""
    normalised = _check_structure(geom, field)
    parsed = _to_shapely(normalised)
    if parsed.is_empty:
        raise _fail(field, "the geometry is empty")
    if not parsed.is_valid:
        raise _fail(field, _explain_invalid(parsed))
    _remember(normalised, parsed)
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
    geoms = [as_shape(_from_feature(f, f"{field}.features[{i}]")) for i, f in enumerate(features)]
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
                obj = orjson.loads(text)  # several times faster than json on 10⁵-vertex uploads
            except orjson.JSONDecodeError as exc:
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


def vertex_count(geom: dict) -> int:
    """Distinct corners: a closed ring's repeated last position is not counted."""
    kind, coords = geom["type"], geom.get("coordinates")
    if kind == "Point":
        return 1
    if kind in ("MultiPoint", "LineString"):
        return len(coords)
    if kind == "MultiLineString":
        return sum(len(line) for line in coords)
    if kind == "Polygon":
        return sum(len(ring) - 1 for ring in coords)
    if kind == "MultiPolygon":
        return sum(len(ring) - 1 for polygon in coords for ring in polygon)
    return sum(vertex_count(member) for member in geom["geometries"])


_geod: Any = None


def _ring_area_m2(ring: list) -> float:
    arr = getattr(ring, "array", None)
    if arr is None:
        arr = np.asarray([pos[:2] for pos in ring], dtype=np.float64)
    area, _ = _geod.polygon_area_perimeter(arr[:, 0], arr[:, 1])
    return abs(area)


def _polygon_area_m2(rings: list) -> float:
    return _ring_area_m2(rings[0]) - sum(_ring_area_m2(hole) for hole in rings[1:])


def geodesic_area_km2(geom: dict) -> float:
    """Area on the WGS 84 ellipsoid in km² (0 for points and lines).

    Geodesic, not planar: a degree-square at 60° N is half the area of one at the equator, and
    the product limits are in km². Computed ring by ring from the coordinate arrays (no shapely
    detour), since every order submission checks it.
    """
    global _geod
    if _geod is None:
        from pyproj import Geod  # deferred: pyproj's import costs notebook start-up time

        _geod = Geod(ellps="WGS84")
    kind = geom["type"]
    if kind == "Polygon":
        return _polygon_area_m2(geom["coordinates"]) / 1e6
    if kind == "MultiPolygon":
        return sum(_polygon_area_m2(p) for p in geom["coordinates"]) / 1e6
    if kind == "GeometryCollection":
        return sum(geodesic_area_km2(member) for member in geom["geometries"])
    return 0.0


_AUTHALIC_RADIUS_KM = 6371.0072
_BOUND_MAX_WIDTH_DEG = 5.0


def area_upper_bound_km2(geom: dict) -> float:
    """A cheap upper bound of ``geodesic_area_km2``, so that a limit check can skip the exact
    geodesic area (~80 µs for 100 vertices) when the AOI is clearly small enough.

    The AOI lies inside its lon/lat bounding box widened north and south by how far a geodesic
    edge can bulge from a parallel (at most Δλ²/8 radians for an edge spanning Δλ); the area of
    that box on the authalic sphere, plus 1 % for the sphere-ellipsoid difference, bounds the
    AOI's area. Wide boxes get no bound (infinity) and so the exact computation.
    """
    minx, miny, maxx, maxy = as_shape(geom).bounds
    width = maxx - minx
    if width > _BOUND_MAX_WIDTH_DEG:
        return math.inf
    bulge = math.degrees(math.radians(width) ** 2 / 8)
    south, north = max(-90.0, miny - bulge), min(90.0, maxy + bulge)
    band = math.sin(math.radians(north)) - math.sin(math.radians(south))
    return 1.01 * _AUTHALIC_RADIUS_KM**2 * math.radians(width) * band


def geometry_types(geom: dict) -> set[str]:
    """The member types of a geometry, looking inside collections."""
    if geom.get("type") == "GeometryCollection":
        return set().union(*(geometry_types(g) for g in geom["geometries"]))
    return {geom["type"]}


_member_types = geometry_types  # limit_problems has a parameter of that name


@dataclass(frozen=True)
class Simplified:
    """A geometry brought under a vertex limit, and how far it may now stray from the original."""

    geometry: dict
    vertices_before: int
    vertices_after: int
    tolerance_deg: float
    error_m: float


_METRES_PER_DEGREE = 111_320.0  # along a meridian; east-west degrees are shorter, so an upper bound


def simplify_to_limit(geom: dict, max_vertices: int) -> Simplified:
    """Simplify with the smallest tolerance that meets ``max_vertices`` and report the error.

    Providers cap vertices; an uploaded field boundary often has far more, and the user must see
    how far the simplified area may stray before paying for it. The tolerance is found by
    bisection with plain Douglas-Peucker (fast); the result keeps its topology (a valid
    geometry) or is redone topology-preserving. Every removed vertex lies within the tolerance
    of the simplified outline, so the tolerance is the reported error bound.
    """
    before = vertex_count(geom)
    if before <= max_vertices:
        return Simplified(geom, before, before, 0.0, 0.0)
    original = as_shape(geom)

    def fits(candidate: shapely.Geometry) -> bool:
        count = shapely.get_num_coordinates(candidate) - _closing_count(candidate)
        return not candidate.is_empty and count <= max_vertices

    minx, miny, maxx, maxy = original.bounds
    low, high = 0.0, max(maxx - minx, maxy - miny)
    best: shapely.Geometry | None = None
    for _ in range(40):
        mid = (low + high) / 2
        candidate = shapely.simplify(original, mid, preserve_topology=False)
        if candidate.is_empty or fits(candidate):  # empty: collapsed, too coarse as well
            high = mid
            if not candidate.is_empty:
                best = candidate
                if shapely.get_num_coordinates(candidate) >= 0.9 * max_vertices:
                    break
        else:
            low = mid
    tolerance = high
    if best is None or not best.is_valid:
        for _ in range(20):
            best = shapely.simplify(original, tolerance, preserve_topology=True)
            if fits(best):
                break
            tolerance *= 1.25
        else:
            raise _fail(FIELD, f"the area cannot be simplified to {max_vertices} vertices")
    simplified = shapely_to_geojson(best)
    return Simplified(
        simplified,
        before,
        vertex_count(simplified),
        tolerance,
        tolerance * _METRES_PER_DEGREE,
    )


def _closing_count(geom: shapely.Geometry) -> int:
    """How many repeated closing positions a shapely geometry has (one per ring)."""
    if isinstance(geom, shapely.Polygon):
        return 1 + len(geom.interiors)
    if hasattr(geom, "geoms"):
        return sum(_closing_count(g) for g in geom.geoms)
    return 0


def limit_problems(
    geom: dict,
    *,
    label: str = "this product",
    geometry_types: set[str] | None = None,
    max_area_km2: float | None = None,
    max_vertices: int | None = None,
) -> list[FieldError]:
    """The limits a provider puts on an AOI, as messages with the numbers to act on."""
    problems: list[FieldError] = []
    given = _member_types(geom)
    if geometry_types is not None and not given <= geometry_types:
        problems.append(
            FieldError(
                FIELD,
                f"{label} accepts {', '.join(sorted(geometry_types))}, "
                f"not {', '.join(sorted(given - geometry_types))}",
            )
        )
    if max_area_km2 is not None and area_upper_bound_km2(geom) > max_area_km2:
        area = geodesic_area_km2(geom)
        if area > max_area_km2:
            problems.append(
                FieldError(
                    FIELD,
                    f"the area is {area:,.1f} km², above the limit of {max_area_km2:,.0f} km² "
                    f"for {label}; draw a smaller area or split the order",
                )
            )
    if max_vertices is not None:
        count = vertex_count(geom)
        if count > max_vertices:
            problems.append(
                FieldError(
                    FIELD,
                    f"the area has {count:,} vertices, above the limit of {max_vertices:,} "
                    f"for {label}; simplify it",
                )
            )
    return problems
