"""A provider's limits on an AOI (geometry types, area, vertices), and simplifying under them.

Providers cap the area and the vertex count; an uploaded field boundary often has far more
vertices than they take. ``limit_problems`` says what is over and by how much;
``simplify_to_limit`` brings the vertices under the cap and says how far the outline moved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import shapely

from stat_widgets.errors import FieldError
from stat_widgets.models.geometry.convert import read_geometry
from stat_widgets.models.geometry.measure import (
    area_upper_bound_km2,
    as_shape,
    geodesic_area_km2,
    geojson_of,
    vertex_count,
)
from stat_widgets.models.geometry.measure import geometry_types as member_types
from stat_widgets.models.geometry.valid import FIELD, AnyGeometry, ValidGeometry
from stat_widgets.models.geometry.validate import fail


@dataclass(frozen=True)
class Simplified:
    """A geometry brought under a vertex limit, and how far it may now stray from the original."""

    geometry: dict
    vertices_before: int
    vertices_after: int
    tolerance_deg: float
    error_m: float
    #: ``geometry`` with the shape its validation built, to measure and draw it without
    #: building the shape again (``None`` when the input was a bare dict left as it was).
    valid: ValidGeometry | None = field(default=None, repr=False, compare=False)

    @property
    def checked(self) -> AnyGeometry:
        """The simplified geometry, with its shape when there is one."""
        return self.valid if self.valid is not None else self.geometry


_METRES_PER_DEGREE = 111_320.0  # along a meridian; east-west degrees are shorter, so an upper bound
_BISECTIONS = 40
_TOPOLOGY_TRIES = 20


def simplify_to_limit(geom: AnyGeometry, max_vertices: int) -> Simplified:
    """Simplify with the smallest tolerance that meets ``max_vertices`` and report the error.

    Providers cap vertices; an uploaded field boundary often has far more, and the user must see
    how far the simplified area may stray before paying for it. The tolerance is found by
    bisection with plain Douglas-Peucker (fast); the result keeps its topology (a valid
    geometry) or is redone topology-preserving. Every removed vertex lies within the tolerance
    of the simplified outline, so the tolerance is the reported error bound.
    """
    before = vertex_count(geom)
    if before <= max_vertices:
        valid = geom if isinstance(geom, ValidGeometry) else None
        return Simplified(geojson_of(geom), before, before, 0.0, 0.0, valid)
    original = as_shape(geom)

    def fits(candidate: shapely.Geometry) -> bool:
        count = shapely.get_num_coordinates(candidate) - _closing_count(candidate)
        return not candidate.is_empty and count <= max_vertices

    tolerance, best = _bisect_tolerance(original, fits, max_vertices)
    if best is None or not best.is_valid:
        tolerance, best = _preserving_topology(original, fits, tolerance, max_vertices)
    simplified = read_geometry(best)
    return Simplified(
        simplified.geometry,
        before,
        vertex_count(simplified),
        tolerance,
        tolerance * _METRES_PER_DEGREE,
        simplified,
    )


_Fits = Callable[[shapely.Geometry], bool]


def _bisect_tolerance(
    original: shapely.Geometry, fits: _Fits, max_vertices: int
) -> tuple[float, shapely.Geometry | None]:
    """The smallest Douglas-Peucker tolerance that fits, within 40 halvings, and its result
    (None when every candidate collapsed); stops early once within 10 % of the limit."""
    minx, miny, maxx, maxy = original.bounds
    low, high = 0.0, max(maxx - minx, maxy - miny)
    best: shapely.Geometry | None = None
    for _ in range(_BISECTIONS):
        mid = (low + high) / 2
        candidate = shapely.simplify(original, mid, preserve_topology=False)
        if not (candidate.is_empty or fits(candidate)):
            low = mid
            continue
        high = mid  # empty: collapsed, too coarse as well
        if not candidate.is_empty:
            best = candidate
            if shapely.get_num_coordinates(candidate) >= 0.9 * max_vertices:
                break
    return high, best


def _preserving_topology(
    original: shapely.Geometry, fits: _Fits, tolerance: float, max_vertices: int
) -> tuple[float, shapely.Geometry]:
    """Topology-preserving simplification from ``tolerance`` up, 25 % at a time."""
    for _ in range(_TOPOLOGY_TRIES):
        best = shapely.simplify(original, tolerance, preserve_topology=True)
        if fits(best):
            return tolerance, best
        tolerance *= 1.25
    raise fail(FIELD, f"the area cannot be simplified to {max_vertices} vertices")


def _closing_count(geom: shapely.Geometry) -> int:
    """How many repeated closing positions a shapely geometry has (one per ring)."""
    if isinstance(geom, shapely.Polygon):
        return 1 + len(geom.interiors)
    if hasattr(geom, "geoms"):
        return sum(_closing_count(g) for g in geom.geoms)
    return 0


def limit_problems(
    geom: AnyGeometry,
    *,
    label: str = "this product",
    geometry_types: set[str] | None = None,
    max_area_km2: float | None = None,
    max_vertices: int | None = None,
) -> list[FieldError]:
    """The limits a provider puts on an AOI, as messages with the numbers to act on."""
    problems = [
        _type_problem(geom, label, geometry_types),
        _area_problem(geom, label, max_area_km2),
        _vertex_problem(geom, label, max_vertices),
    ]
    return [p for p in problems if p is not None]


def _type_problem(geom: AnyGeometry, label: str, accepted: set[str] | None) -> FieldError | None:
    given = member_types(geom)
    if accepted is None or given <= accepted:
        return None
    return FieldError(
        FIELD,
        f"{label} accepts {', '.join(sorted(accepted))}, not {', '.join(sorted(given - accepted))}",
    )


def _area_problem(geom: AnyGeometry, label: str, max_area_km2: float | None) -> FieldError | None:
    if max_area_km2 is None:
        return None
    if not isinstance(geom, ValidGeometry):  # both measures below read the shape: build it once
        geom = ValidGeometry(geom, as_shape(geom))
    if area_upper_bound_km2(geom) <= max_area_km2:
        return None
    area = geodesic_area_km2(geom)
    if area <= max_area_km2:
        return None
    return FieldError(
        FIELD,
        f"the area is {area:,.1f} km², above the limit of {max_area_km2:,.0f} km² "
        f"for {label}; draw a smaller area or split the order",
    )


def _vertex_problem(geom: AnyGeometry, label: str, max_vertices: int | None) -> FieldError | None:
    if max_vertices is None:
        return None
    count = vertex_count(geom)
    if count <= max_vertices:
        return None
    return FieldError(
        FIELD,
        f"the area has {count:,} vertices, above the limit of {max_vertices:,} "
        f"for {label}; simplify it",
    )
