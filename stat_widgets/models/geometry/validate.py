"""Validation: a GeoJSON geometry dict checked per RFC 7946, returned with its shapely shape.

The structure is checked first (types, nesting, ranges, ring closure), with the field path of
the first position at fault; then shapely decides validity and its reason is explained. The
coordinates the user gave are kept exactly, only re-wound where RFC 7946 asks for
counterclockwise exteriors. The shapely shape built on the way is handed back with the dict
(``ValidGeometry``), so whoever measures or simplifies the area next need not rebuild it.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
import shapely
from shapely.geometry import shape

from stat_widgets.errors import FieldError, ValidationError
from stat_widgets.models.geometry.build import polygon, ring_array
from stat_widgets.models.geometry.fast_path import checked_positions
from stat_widgets.models.geometry.valid import FIELD, GEOMETRY_TYPES, ValidGeometry

_DEPTH = {
    "Point": 0,
    "MultiPoint": 1,
    "LineString": 1,
    "MultiLineString": 2,
    "Polygon": 2,
    "MultiPolygon": 3,
}


def fail(path: str, message: str) -> ValidationError:
    return ValidationError([FieldError(path, message)])


def check_position(pos: Any, path: str) -> list[float]:
    if not isinstance(pos, list | tuple) or not 2 <= len(pos) <= 3:
        raise fail(
            path, f"a position must be [longitude, latitude] (or with elevation), got {pos!r}"
        )
    for value in pos:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise fail(path, f"coordinates must be numbers, got {value!r}")
        if not math.isfinite(value):
            raise fail(path, f"coordinates must be finite numbers, got {value!r}")
    lon, lat = pos[0], pos[1]
    swapped = -180 <= lat <= 180 and -90 <= lon <= 90
    hint = " (are longitude and latitude swapped?)" if swapped else ""
    if not -180 <= lon <= 180:
        raise fail(path, f"longitude {lon} is outside [-180, 180]{hint}")
    if not -90 <= lat <= 90:
        raise fail(path, f"latitude {lat} is outside [-90, 90]{hint}")
    return list(pos)


class _Positions(NamedTuple):
    """A checked array of positions and, when the fast path took it, its numpy form."""

    positions: list[list[float]]
    array: np.ndarray | None


def _check_positions(coords: Any, path: str) -> _Positions:
    if not isinstance(coords, list | tuple):
        raise fail(path, "expected an array of positions")
    fast = checked_positions(coords)
    if fast is not None:
        return _Positions(*fast)
    return _Positions([check_position(c, f"{path}[{i}]") for i, c in enumerate(coords)], None)


def _check_nesting(coords: Any, depth: int, path: str) -> Any:
    """Positions at depth 0, ``_Positions`` at depth 1, lists of those further up."""
    if depth == 0:
        return check_position(coords, path)
    if depth == 1:
        return _check_positions(coords, path)
    if not isinstance(coords, list | tuple):
        raise fail(path, "expected an array of arrays")
    return [_check_nesting(c, depth - 1, f"{path}[{i}]") for i, c in enumerate(coords)]


def _check_one_dimension(line: _Positions, path: str, name: str) -> None:
    """A line or ring mixing [lon, lat] and [lon, lat, elevation] cannot be drawn."""
    if line.array is not None:  # the fast path took only arrays of one dimension
        return
    first = len(line.positions[0])
    for i, pos in enumerate(line.positions):
        if len(pos) != first:
            raise fail(
                f"{path}[{i}]",
                f"this position has {len(pos)} coordinates but the first of {name} has "
                f"{first}; give every position of {name} the same number",
            )


def _signed_area(ring: _Positions) -> float:
    """Shoelace in lon/lat: positive for counterclockwise; only its sign is used."""
    if ring.array is not None:
        x, y = ring.array[:, 0], ring.array[:, 1]
        return float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1])) / 2
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in itertools.pairwise(ring.positions)) / 2


def _check_ring(ring: _Positions, i: int, path: str) -> _Positions:
    """A closed ring of at least 4 positions, wound as RFC 7946 section 3.1.6 asks: the
    exterior (``i == 0``) counterclockwise, holes clockwise."""
    positions = ring.positions
    name = "the exterior ring" if i == 0 else f"hole {i}"
    if len(positions) < 4:
        raise fail(
            path,
            f"{name} has {len(positions)} positions; a ring needs at least 4 "
            "(3 corners and the first repeated)",
        )
    first, last = positions[0], positions[-1]
    if list(first[:2]) != list(last[:2]):
        raise fail(
            path,
            f"{name} is not closed: it starts at ({first[0]}, {first[1]}) but ends at "
            f"({last[0]}, {last[1]}); repeat the first position at the end",
        )
    _check_one_dimension(ring, path, "a ring")
    if (_signed_area(ring) > 0) == (i == 0):
        return ring
    array = None if ring.array is None else ring.array[::-1]
    return _Positions(list(reversed(positions)), array)


def _check_polygon(rings: list[_Positions], path: str) -> tuple[list, shapely.Polygon]:
    if not rings:
        raise fail(path, "a polygon needs at least an exterior ring")
    checked = [_check_ring(ring, i, f"{path}[{i}]") for i, ring in enumerate(rings)]
    arrays = [ring_array(r.positions) if r.array is None else r.array for r in checked]
    return [r.positions for r in checked], polygon(arrays)


# -- one check per geometry type: (checked nesting, path) -> (coordinates, shape or None) ------

_Checked = tuple[Any, shapely.Geometry | None]


def _point(coords: list[float], path: str) -> _Checked:
    return coords, None


def _members(coords: list, path: str, kind: str) -> None:
    if not coords:
        raise fail(path, f"a {kind} needs at least one member")


def _multi_point(coords: _Positions, path: str) -> _Checked:
    _members(coords.positions, path, "MultiPoint")
    return coords.positions, None


def _line_string(coords: _Positions, path: str) -> _Checked:
    if len(coords.positions) < 2:
        raise fail(path, "a LineString needs at least 2 positions")
    _check_one_dimension(coords, path, "a line")
    return coords.positions, None


def _multi_line_string(coords: list[_Positions], path: str) -> _Checked:
    for i, line in enumerate(coords):
        if len(line.positions) < 2:
            raise fail(f"{path}[{i}]", "each line needs at least 2 positions")
    _members(coords, path, "MultiLineString")
    for i, line in enumerate(coords):
        _check_one_dimension(line, f"{path}[{i}]", "a line")
    return [line.positions for line in coords], None


def _polygon(coords: list[_Positions], path: str) -> _Checked:
    return _check_polygon(coords, path)


def _multi_polygon(coords: list[list[_Positions]], path: str) -> _Checked:
    _members(coords, path, "MultiPolygon")
    parts = [_check_polygon(p, f"{path}[{i}]") for i, p in enumerate(coords)]
    return [rings for rings, _ in parts], shapely.multipolygons([shape for _, shape in parts])


_BY_TYPE: dict[str, Callable[[Any, str], _Checked]] = {
    "Point": _point,
    "MultiPoint": _multi_point,
    "LineString": _line_string,
    "MultiLineString": _multi_line_string,
    "Polygon": _polygon,
    "MultiPolygon": _multi_polygon,
}


def _check_type(geom: Any, path: str) -> str:
    if not isinstance(geom, dict):
        raise fail(path, f"expected a GeoJSON geometry object, got {type(geom).__name__}")
    kind = geom.get("type")
    if kind in ("Feature", "FeatureCollection"):
        raise fail(path, f"expected a geometry, got a {kind}; use its geometry")
    if kind not in GEOMETRY_TYPES:
        raise fail(
            f"{path}.type" if path else "type",
            f"unknown geometry type {kind!r}; expected one of {', '.join(GEOMETRY_TYPES)}",
        )
    return kind


def _check_collection(geom: dict, path: str) -> tuple[dict, shapely.Geometry]:
    members = geom.get("geometries")
    if not isinstance(members, list) or not members:
        raise fail(
            f"{path}.geometries", "a GeometryCollection needs a non-empty 'geometries' array"
        )
    checked = [_check_structure(g, f"{path}.geometries[{i}]") for i, g in enumerate(members)]
    normalised = {"type": "GeometryCollection", "geometries": [g for g, _ in checked]}
    return normalised, shapely.geometrycollections([s for _, s in checked])


def _check_structure(geom: Any, path: str) -> tuple[dict, shapely.Geometry]:
    kind = _check_type(geom, path)
    if kind == "GeometryCollection":
        return _check_collection(geom, path)
    cpath = f"{path}.coordinates"
    if "coordinates" not in geom:
        raise fail(cpath, f"a {kind} needs 'coordinates'")
    nested = _check_nesting(geom["coordinates"], _DEPTH[kind], cpath)
    coords, built = _BY_TYPE[kind](nested, cpath)
    normalised = {"type": kind, "coordinates": coords}
    return normalised, shape(normalised) if built is None else built


_REASON = re.compile(r"^(?P<reason>[^\[]+)\[(?P<x>\S+) (?P<y>\S+)(?: \S+)?\]$")
_HINTS = {
    "Self-intersection": " (an edge crosses another; redraw it without the crossing)",
    "Ring Self-intersection": " (the ring touches itself)",
    "Hole lies outside shell": " (a hole must lie inside the outer ring)",
    "Too few points": " (the shape has collapsed)",
}


def _explain_invalid(geom: shapely.Geometry) -> str:
    reason = shapely.is_valid_reason(geom)
    match = _REASON.match(reason)
    if not match:
        return reason
    x, y = float(match["x"]), float(match["y"])
    what = match["reason"].strip()
    return f"{what} at ({x:.6g}, {y:.6g}){_HINTS.get(what, '')}"


def check_geometry(geom: Any, *, field: str = FIELD) -> ValidGeometry:
    """Check a GeoJSON geometry dict; the normalised dict (re-wound rings) with its shape."""
    normalised, parsed = _check_structure(geom, field)
    if parsed.is_empty:
        raise fail(field, "the geometry is empty")
    if not parsed.is_valid:
        raise fail(field, _explain_invalid(parsed))
    return ValidGeometry(normalised, parsed)


def validate_geometry(geom: Any, *, field: str = FIELD) -> dict:
    """Check a GeoJSON geometry dict and return it normalised (closed, re-wound rings)."""
    return check_geometry(geom, field=field).geometry
