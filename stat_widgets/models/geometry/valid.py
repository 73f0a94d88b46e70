"""What every geometry module and the models share, without shapely: the field name, the
GeoJSON types, and ``ValidGeometry`` (a validated dict with its shapely shape).

The models import these at class-building time; shapely (13 ms) loads when a geometry is first
parsed, measured or simplified (``validate``, ``convert``, ``measure``, ``limits``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import shapely

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


@dataclass(frozen=True)
class ValidGeometry:
    """A validated, normalised GeoJSON geometry dict and the shapely shape built while checking
    it. Measuring, limiting and simplifying take either this or the bare dict; given this, they
    reuse ``shape`` (a 200,000-vertex polygon is not rebuilt)."""

    geometry: dict[str, Any]
    shape: shapely.Geometry


#: What the measures accept: a validated geometry dict, or the result of validating it.
AnyGeometry = dict[str, Any] | ValidGeometry

__all__ = ["FIELD", "GEOMETRY_TYPES", "AnyGeometry", "ValidGeometry"]
