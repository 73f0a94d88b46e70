"""Shapes from a web map's repeated world copies: moved into −180…180° and cut at the
antimeridian, so the area ordered is the area drawn."""

from __future__ import annotations

import math

import pytest
import shapely.geometry

from stat_widgets.errors import ValidationError
from stat_widgets.models import (
    bbox_geometry,
    geodesic_area_km2,
    to_geometry,
    validate_geometry,
    wrap_antimeridian,
)


def box(west: float, south: float, east: float, north: float) -> dict:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def test_a_shape_within_range_is_returned_as_it_is() -> None:
    inside = box(170, -10, 180, 10)  # touching 180° is not crossing it
    result = wrap_antimeridian(inside)
    assert result.geometry is inside
    assert (result.moved, result.parts, result.note) == (False, 1, "")


@pytest.mark.parametrize("turns", [1, 2, -1, -3])
def test_a_shape_on_another_world_copy_is_moved_by_whole_turns(turns: int) -> None:
    result = wrap_antimeridian(box(10 + 360 * turns, 50, 11 + 360 * turns, 51))
    assert result.moved and result.parts == 1
    assert shapely.geometry.shape(result.geometry).equals(
        shapely.geometry.shape(box(10, 50, 11, 51))
    )
    assert "world copy" in result.note


@pytest.mark.parametrize(("west", "east"), [(170.0, 190.0), (-190.0, -170.0), (530.0, 550.0)])
def test_a_shape_across_the_antimeridian_is_cut_there(west: float, east: float) -> None:
    result = wrap_antimeridian(box(west, -5, east, 5))
    assert result.parts == 2 and result.geometry["type"] == "MultiPolygon"
    checked = validate_geometry(result.geometry)  # valid GeoJSON, every longitude in range
    parts = [shapely.geometry.Polygon(p[0]) for p in checked["coordinates"]]
    bounds = sorted(p.bounds for p in parts)
    assert bounds == [(-180.0, -5.0, -170.0, 5.0), (170.0, -5.0, 180.0, 5.0)]
    # the same area as the two halves drawn separately
    halves = geodesic_area_km2(bbox_geometry(170, -5, 180, 5)) * 2
    assert geodesic_area_km2(checked) == pytest.approx(halves, rel=1e-9)
    assert "2 parts" in result.note


def test_a_line_across_the_antimeridian_is_cut_and_a_point_is_wrapped() -> None:
    line = wrap_antimeridian({"type": "LineString", "coordinates": [[170, 0], [190, 10]]})
    assert line.geometry["type"] == "MultiLineString" and line.parts == 2
    assert [seg[0][0] for seg in line.geometry["coordinates"]] == [170.0, -180.0]
    point = wrap_antimeridian({"type": "Point", "coordinates": [200.0, 5.0]})
    assert point.geometry == {"type": "Point", "coordinates": [-160.0, 5.0]}
    assert point.moved and point.parts == 1


def test_what_it_cannot_read_is_left_for_validation_to_name() -> None:
    for odd in (
        None,
        "POLYGON ((...))",
        {"type": "Polygon"},
        {"type": "Polygon", "coordinates": [[[190, "50"], [191, 50], [191, 51], [190, 50]]]},
        {"type": "Polygon", "coordinates": [[[math.nan, 50], [191, 50], [191, 51]]]},
        {"type": "GeometryCollection", "geometries": []},
    ):
        assert wrap_antimeridian(odd).geometry is odd
    # a bow-tie across 180° is not cut (that would mean repairing it): validation refuses it
    bow_tie = [[175, 0], [185, 5], [185, 0], [175, 5], [175, 0]]
    kept = wrap_antimeridian({"type": "Polygon", "coordinates": [bow_tie]})
    assert (kept.parts, kept.moved, kept.note) == (1, False, "")
    with pytest.raises(ValidationError, match="longitude 185"):
        to_geometry(kept.geometry)
