"""Shapes drawn on a web map's repeated world copies, brought back into −180…180°.

Leaflet keeps counting longitudes past ±180° as the map is panned, so a shape drawn over
Japan on the copy to the right of the first world arrives with longitudes near 500, and one
drawn across the Pacific runs from 170° to 190°. RFC 7946 (section 3.1.9) wants longitudes
within ±180° and shapes that cross the antimeridian cut in two there; that is what
``wrap_antimeridian`` does, so that the area ordered is the area drawn.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

_NUMBER = (int, float)


@dataclass(frozen=True)
class Wrapped:
    """The result: ``geometry`` (the input itself when nothing had to change), whether it was
    ``moved`` by whole turns of 360°, and into how many ``parts`` the antimeridian cut it
    (1 when it did not cross)."""

    geometry: Any
    moved: bool = False
    parts: int = 1

    @property
    def note(self) -> str:
        """A sentence for the user, or "" when nothing changed."""
        if self.parts > 1:
            return f"It crosses the antimeridian, so it is sent as {self.parts} parts cut at 180°."
        if self.moved:
            return "It was drawn on a repeated world copy; its longitudes were moved by 360°."
        return ""


def _longitudes(coords: Any, out: list[float]) -> bool:
    """Collect every longitude; False when the nesting holds anything but numbers."""
    if isinstance(coords, list | tuple) and coords and isinstance(coords[0], _NUMBER):
        if not all(isinstance(v, _NUMBER) and not isinstance(v, bool) for v in coords):
            return False
        out.append(float(coords[0]))
        return True
    if isinstance(coords, list | tuple):
        return all(_longitudes(c, out) for c in coords)
    return False


def wrap_antimeridian(geometry: Any) -> Wrapped:
    """Bring a GeoJSON geometry dict into −180…180°: moved by whole turns when it lies on
    another world copy, cut at 180° into a Multi* geometry when it crosses the antimeridian.

    Anything this cannot read (not a geometry dict, non-numeric or non-finite coordinates, a
    shape shapely refuses) is returned unchanged, so that validation names the actual fault.
    An invalid shape (a bow-tie) across 180° is not cut: validation then refuses its
    longitudes, and the user redraws it.
    """
    if not isinstance(geometry, dict) or geometry.get("type") == "GeometryCollection":
        return Wrapped(geometry)
    lons: list[float] = []
    if not _longitudes(geometry.get("coordinates"), lons) or not lons:
        return Wrapped(geometry)
    west, east = min(lons), max(lons)
    if not (math.isfinite(west) and math.isfinite(east)) or (west >= -180 and east <= 180):
        return Wrapped(geometry)
    try:
        shape = shapely.geometry.shape(geometry)
    except (ValueError, TypeError, AttributeError, shapely.errors.GEOSException):
        return Wrapped(geometry)
    turns = math.floor((west + 180) / 360)  # whole turns that bring the west edge in range
    shape = _shift(shape, -360.0 * turns)
    west, east = west - 360.0 * turns, east - 360.0 * turns
    kind = geometry["type"]
    if kind in ("Point", "MultiPoint"):  # no extent to cut: each position on its own
        shape = shapely.transform(shape, lambda xy: np.column_stack([_wrap(xy[:, 0]), xy[:, 1]]))
        return Wrapped(_to_dict(shape), moved=True)
    if east <= 180:
        return Wrapped(_to_dict(shape), moved=True)
    if not shape.is_valid:  # cutting would need repairing it first: never behind the user's back
        return Wrapped(_to_dict(shape), moved=turns != 0)
    pieces = []
    for turn in range(math.ceil((east - 180) / 360) + 1):
        window = shapely.box(-180 + 360 * turn, -90, 180 + 360 * turn, 90)
        piece = _shift(shape.intersection(window), -360.0 * turn)
        pieces.extend(p for p in shapely.get_parts(piece) if _same_dimension(p, shape))
    merged = shapely.union_all(pieces)
    parts = len(shapely.get_parts(merged))
    return Wrapped(_to_dict(merged), moved=turns != 0, parts=parts)


def _wrap(lon: np.ndarray) -> np.ndarray:
    wrapped = (lon + 180.0) % 360.0 - 180.0
    return np.where(lon == 180.0, 180.0, wrapped)


def _shift(shape: shapely.Geometry, dx: float) -> shapely.Geometry:
    """Move by ``dx`` degrees of longitude, rounded to 1e-10° (0.01 mm): 370.1 − 360 is
    10.100000000000023 in floating point, and the order should say 10.1."""
    if dx == 0:
        return shape

    def move(xy: np.ndarray) -> np.ndarray:
        return np.column_stack([np.round(xy[:, 0] + dx, 10), xy[:, 1]])

    return shapely.transform(shape, move)


def _same_dimension(piece: shapely.Geometry, shape: shapely.Geometry) -> bool:
    """Cutting a polygon along the antimeridian can leave a line or a point where it only
    touches 180°: those slivers are not part of the area."""
    return not piece.is_empty and shapely.get_dimensions(piece) == shapely.get_dimensions(shape)


def _to_dict(shape: shapely.Geometry) -> dict[str, Any]:
    return json.loads(shapely.to_geojson(shape))


__all__ = ["Wrapped", "wrap_antimeridian"]
