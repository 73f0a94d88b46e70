"""``simplify_to_limit`` hands back the validated shape with the simplified dict, so a caller
(``AOIMap``) measures and draws it without building the shape a second time."""

from __future__ import annotations

import math

import shapely.geometry

from stat_widgets.models import read_geometry, simplify_to_limit
from stat_widgets.models.geometry.measure import as_shape


def wobbly(vertices: int) -> dict:
    ring = []
    for k in range(vertices):
        a = 2 * math.pi * k / vertices
        r = 0.2 * (1 + 0.1 * math.sin(13 * a))
        ring.append([10.0 + r * math.cos(a), 50.0 + r * math.sin(a)])
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def test_the_simplified_geometry_comes_with_its_shape() -> None:
    result = simplify_to_limit(wobbly(5000), 100)
    assert result.valid is not None and result.checked is result.valid
    assert result.valid.geometry == result.geometry
    assert result.valid.shape.equals(shapely.geometry.shape(result.geometry))
    assert as_shape(result.checked) is result.valid.shape  # not built again


def test_under_the_limit_the_input_is_handed_back() -> None:
    valid = read_geometry(wobbly(50))
    assert simplify_to_limit(valid, 100).checked is valid
    bare = simplify_to_limit(valid.geometry, 100)
    assert bare.valid is None and bare.checked == valid.geometry
