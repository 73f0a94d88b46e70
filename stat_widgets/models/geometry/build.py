"""shapely geometries from checked coordinates, polygons from numpy arrays.

``shapely.geometry.shape()`` walks every position in Python; a 200,000-vertex ring built from
its array takes milliseconds instead. Validation builds from the arrays the fast path already
made; ``shape_of`` rebuilds a shape for a geometry dict validated earlier.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape


def ring_array(positions: Sequence[Sequence[float]]) -> np.ndarray:
    """A checked ring (every position with the same number of coordinates) as an array."""
    dim = len(positions[0])
    flat = itertools.chain.from_iterable(positions)
    return np.fromiter(flat, dtype=np.float64, count=len(positions) * dim).reshape(-1, dim)


def polygon(rings: Sequence[np.ndarray]) -> shapely.Polygon:
    """A polygon from its exterior and holes; each ring may or may not carry elevations."""
    if len(rings) == 1:
        return shapely.polygons(rings[0])
    return shapely.polygons(rings[0], holes=[shapely.linearrings(hole) for hole in rings[1:]])


def shape_of(geom: dict[str, Any]) -> shapely.Geometry:
    """The shapely form of a validated GeoJSON geometry dict."""
    kind = geom["type"]
    if kind == "Polygon":
        return polygon([ring_array(ring) for ring in geom["coordinates"]])
    if kind == "MultiPolygon":
        parts = [polygon([ring_array(ring) for ring in p]) for p in geom["coordinates"]]
        return shapely.multipolygons(parts)
    if kind == "GeometryCollection":
        return shapely.geometrycollections([shape_of(member) for member in geom["geometries"]])
    return shape(geom)
