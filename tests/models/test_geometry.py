import json
import math

import pytest
import shapely

from stat_widgets.errors import ValidationError
from stat_widgets.models import (
    bbox_geometry,
    geodesic_area_km2,
    to_geometry,
    validate_geometry,
    vertex_count,
)

SQUARE_CCW = [[10.0, 50.0], [11.0, 50.0], [11.0, 51.0], [10.0, 51.0], [10.0, 50.0]]
SQUARE_CW = list(reversed(SQUARE_CCW))
BOW_TIE = [[10.0, 50.0], [10.1, 50.1], [10.1, 50.0], [10.0, 50.1], [10.0, 50.0]]


def polygon(*rings: list) -> dict:
    return {"type": "Polygon", "coordinates": list(rings)}


def reason(geom: object, **kwargs: object) -> tuple[str, str]:
    with pytest.raises(ValidationError) as info:
        to_geometry(geom, **kwargs)
    return info.value.field, info.value.message


@pytest.mark.parametrize(
    "geom",
    [
        {"type": "Point", "coordinates": [10, 50]},
        {"type": "Point", "coordinates": [10, 50, 120.5]},
        {"type": "MultiPoint", "coordinates": [[10, 50], [11, 51]]},
        {"type": "LineString", "coordinates": [[10, 50], [11, 51]]},
        {"type": "MultiLineString", "coordinates": [[[10, 50], [11, 51]], [[12, 50], [13, 51]]]},
        polygon(SQUARE_CCW),
        {
            "type": "MultiPolygon",
            "coordinates": [[SQUARE_CCW], [[[20, 0], [21, 0], [21, 1], [20, 0]]]],
        },
        {
            "type": "GeometryCollection",
            "geometries": [{"type": "Point", "coordinates": [0, 0]}, polygon(SQUARE_CCW)],
        },
        {"type": "Point", "coordinates": [-180, -90]},
        {"type": "Point", "coordinates": [180, 90]},
    ],
)
def test_every_geojson_type_is_accepted_unchanged(geom: dict) -> None:
    assert validate_geometry(geom) == geom


def test_clockwise_exterior_and_counterclockwise_hole_are_rewound_not_rejected() -> None:
    hole_ccw = [[10.2, 50.2], [10.4, 50.2], [10.4, 50.4], [10.2, 50.4], [10.2, 50.2]]
    fixed = validate_geometry(polygon(SQUARE_CW, hole_ccw))
    assert fixed["coordinates"][0] == SQUARE_CCW
    assert fixed["coordinates"][1] == list(reversed(hole_ccw))
    assert shapely.is_ccw(shapely.LinearRing(fixed["coordinates"][0]))
    assert not shapely.is_ccw(shapely.LinearRing(fixed["coordinates"][1]))


#: Every rejected geometry with the field and words of its error (posted to the server too).
REJECTED = [
    (polygon(BOW_TIE), "geometry", "Self-intersection at (10.05, 50.05)"),
    (polygon(SQUARE_CCW[:3]), "geometry.coordinates[0]", "has 3 positions"),
    (polygon(SQUARE_CCW[:-1]), "geometry.coordinates[0]", "not closed"),
    (
        polygon([[10, 50], [11, 50], [11, 51], [10, 51], [10.5, 50.5]]),
        "geometry.coordinates[0]",
        "not closed",
    ),
    (
        {"type": "Point", "coordinates": [10, 200]},
        "geometry.coordinates",
        "latitude 200 is outside",
    ),
    ({"type": "Point", "coordinates": [50, 100]}, "geometry.coordinates", "swapped"),
    ({"type": "Point", "coordinates": [-181, 0]}, "geometry.coordinates", "longitude -181"),
    ({"type": "Point", "coordinates": [math.nan, 0]}, "geometry.coordinates", "finite"),
    ({"type": "Point", "coordinates": [math.inf, 0]}, "geometry.coordinates", "finite"),
    ({"type": "Point", "coordinates": ["10", 0]}, "geometry.coordinates", "numbers"),
    ({"type": "Point", "coordinates": [True, 0]}, "geometry.coordinates", "numbers"),
    ({"type": "Point", "coordinates": [1]}, "geometry.coordinates", "[longitude, latitude]"),
    (
        polygon(SQUARE_CCW[:2] + [[11, 95]] + SQUARE_CCW[3:]),
        "geometry.coordinates[0][2]",
        "latitude 95",
    ),
    ({"type": "Polygon", "coordinates": []}, "geometry.coordinates", "exterior ring"),
    ({"type": "Polygon"}, "geometry.coordinates", "needs 'coordinates'"),
    ({"type": "Circle", "coordinates": [0, 0]}, "geometry.type", "unknown geometry type"),
    ({"type": "LineString", "coordinates": [[0, 0]]}, "geometry.coordinates", "at least 2"),
    ({"type": "GeometryCollection", "geometries": []}, "geometry.geometries", "non-empty"),
    (
        polygon(SQUARE_CCW, [[20, 0], [21, 0], [21, 1], [20, 0]]),
        "geometry",
        "Hole lies outside shell",
    ),
    ([1, 2], "geometry", "cannot read an area"),
    ("", "geometry", "no geometry given"),
    ("{not json", "geometry", "not valid JSON"),
    ("POLYGON((0 0, 1", "geometry", "neither GeoJSON nor WKT"),
]


@pytest.mark.parametrize(("geom", "field", "words"), REJECTED)
def test_rejections_name_the_field_and_reason(geom: object, field: str, words: str) -> None:
    got_field, message = reason(geom)
    assert got_field == field
    assert words in message


def test_feature_featurecollection_wkt_shapely_and_geo_interface() -> None:
    geom = polygon(SQUARE_CCW)
    feature = {"type": "Feature", "properties": {"name": "aoi"}, "geometry": geom}
    assert to_geometry(feature) == geom
    assert to_geometry({"type": "FeatureCollection", "features": [feature]}) == geom
    assert to_geometry(json.dumps(feature)) == geom
    assert to_geometry(json.dumps(feature).encode()) == geom
    assert to_geometry("POLYGON((10 50, 11 50, 11 51, 10 51, 10 50))") == geom
    assert to_geometry(shapely.Polygon(SQUARE_CW)) == geom

    class HasGeoInterface:
        __geo_interface__ = geom

    assert to_geometry(HasGeoInterface()) == geom


def test_featurecollection_with_many_features_needs_union() -> None:
    a = {"type": "Feature", "properties": {}, "geometry": polygon(SQUARE_CCW)}
    b = {
        "type": "Feature",
        "properties": {},
        "geometry": polygon([[10.5, 50], [12, 50], [12, 51], [10.5, 51], [10.5, 50]]),
    }
    fc = {"type": "FeatureCollection", "features": [a, b]}
    field, message = reason(fc)
    assert field == "geometry" and "has 2 features" in message
    merged = to_geometry(fc, union=True)
    assert merged["type"] == "Polygon"
    assert shapely.geometry.shape(merged).equals(shapely.box(10, 50, 12, 51))
    assert (
        reason({"type": "FeatureCollection", "features": []})[1]
        == "the FeatureCollection has no features"
    )
    assert "no geometry" in reason({"type": "Feature", "properties": {}, "geometry": None})[1]


def test_geodesic_area_in_km2() -> None:
    # a one-degree cell at the equator is ~12,309 km² on WGS 84; on a sphere the cell at 60° N
    # is smaller by (sin 61° - sin 60°) / sin 1°, the ellipsoid differs from that by < 2 %
    equator = geodesic_area_km2(bbox_geometry(0, 0, 1, 1))
    north = geodesic_area_km2(bbox_geometry(0, 60, 1, 61))
    assert equator == pytest.approx(12308.8, rel=0.01)
    sphere_ratio = (math.sin(math.radians(61)) - math.sin(math.radians(60))) / math.sin(
        math.radians(1)
    )
    assert north / equator == pytest.approx(sphere_ratio, rel=0.02)
    assert geodesic_area_km2({"type": "Point", "coordinates": [0, 0]}) == 0


def test_vertex_count_ignores_closing_positions() -> None:
    assert vertex_count(polygon(SQUARE_CCW)) == 4
    assert vertex_count({"type": "Point", "coordinates": [0, 0]}) == 1
    mp = {"type": "MultiPolygon", "coordinates": [[SQUARE_CCW], [SQUARE_CCW]]}
    assert vertex_count(mp) == 8


def test_bbox() -> None:
    assert bbox_geometry(10, 50, 11, 51) == polygon(SQUARE_CCW)
    with pytest.raises(ValidationError) as info:
        bbox_geometry(11, 50, 10, 51)
    assert info.value.field == "geometry.east"
    with pytest.raises(ValidationError) as info:
        bbox_geometry(10, 50, 11, 95)
    assert info.value.field == "geometry.coordinates[0][2]"
    with pytest.raises(ValidationError) as info:
        bbox_geometry(10, math.nan, 11, 51)
    assert info.value.field == "geometry.south"


def _wavy_ring(n: int) -> list[list[float]]:
    ring = [
        [
            10
            + 0.05
            * math.cos(2 * math.pi * i / n)
            * (1 + 0.02 * math.sin(2 * math.pi * 37 * i / n)),
            50 + 0.03 * math.sin(2 * math.pi * i / n),
        ]
        for i in range(n)
    ]
    return [*ring, ring[0]]


def test_long_rings_take_the_fast_path_and_still_name_the_bad_position() -> None:
    ring = _wavy_ring(500)
    assert validate_geometry(polygon(ring))["coordinates"][0] == ring
    assert validate_geometry(polygon(list(reversed(ring))))["coordinates"][0] == ring  # re-wound
    for bad, words in (
        (math.nan, "finite"),
        (-math.inf, "finite"),
        (True, "numbers"),
        (None, "numbers"),
        ("10", "numbers"),
        (95.0, "latitude 95"),
        (-90.5, "latitude -90.5"),
    ):
        broken = [list(p) for p in ring]
        broken[57][1] = bad
        field, message = reason(polygon(broken))
        assert field == "geometry.coordinates[0][57]"
        assert words in message
    tuples = [tuple(p) for p in ring]
    assert validate_geometry(polygon(tuples))["coordinates"][0] == ring
    with_altitude = [[*p, 120.0] for p in ring]
    assert validate_geometry(polygon(with_altitude))["coordinates"][0] == with_altitude
    with_altitude[57][2] = math.nan
    assert reason(polygon(with_altitude))[0] == "geometry.coordinates[0][57]"
    mixed = [list(p) for p in ring]
    mixed[57] = [mixed[57][0]]  # one position with a single number among pairs
    assert reason(polygon(mixed))[0] == "geometry.coordinates[0][57]"


def test_simplify_to_limit_meets_the_limit_and_bounds_the_error() -> None:
    from stat_widgets.models import simplify_to_limit

    geom = validate_geometry(polygon(_wavy_ring(20_000)))
    result = simplify_to_limit(geom, 500)
    assert result.vertices_before == 20_000
    assert 450 <= result.vertices_after <= 500
    assert vertex_count(result.geometry) == result.vertices_after
    validate_geometry(result.geometry)  # still valid, counterclockwise
    original, simplified = shapely.geometry.shape(geom), shapely.geometry.shape(result.geometry)
    assert shapely.hausdorff_distance(original, simplified) <= result.tolerance_deg * 1.0001
    assert result.error_m == pytest.approx(result.tolerance_deg * 111_320)
    unchanged = simplify_to_limit(geom, 50_000)
    assert unchanged.geometry is geom and unchanged.error_m == 0


def test_limit_problems_give_the_numbers() -> None:
    from stat_widgets.models import limit_problems

    big = bbox_geometry(10, 50, 11, 51)
    messages = [
        p.message
        for p in limit_problems(
            big, label="Optical", max_area_km2=100, max_vertices=3, geometry_types={"Point"}
        )
    ]
    assert messages == [
        "Optical accepts Point, not Polygon",
        "the area is 7,892.1 km², above the limit of 100 km² for Optical; "
        "draw a smaller area or split the order",
        "the area has 4 vertices, above the limit of 3 for Optical; simplify it",
    ]
    assert limit_problems(big, max_area_km2=10_000, max_vertices=4) == []


@pytest.mark.parametrize("latitude", [0, 35, 60, 80, -70])
@pytest.mark.parametrize(
    ("width", "height"), [(0.01, 0.01), (1, 0.001), (4.9, 0.0005), (2, 2), (0.3, 3)]
)
def test_area_upper_bound_is_never_below_the_geodesic_area(
    latitude: float, width: float, height: float
) -> None:
    """Thin east-west strips at high latitude are the hard case: their geodesic edges bulge
    poleward out of the lon/lat box."""
    from stat_widgets.models.geometry import area_upper_bound_km2

    south = min(latitude, 89 - height)
    ring = [
        [10, south],
        [10 + width, south],
        [10 + width, south + height],
        [10, south + height],
        [10, south],
    ]
    for geom in (
        polygon(ring),
        polygon([[10, south], [10 + width, south], [10 + width / 2, south + height], [10, south]]),
    ):
        geom = validate_geometry(geom)
        exact = geodesic_area_km2(geom)
        bound = area_upper_bound_km2(geom)
        assert exact <= bound
        if height >= width / 10:  # ordinary AOIs: tight enough to spare the exact computation
            assert bound <= 2.5 * exact
    wide = validate_geometry(polygon([[0, 0], [20, 0], [20, 1], [0, 1], [0, 0]]))
    assert area_upper_bound_km2(wide) == math.inf
