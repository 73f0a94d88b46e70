"""The shapely shape travels with the validated dict (``ValidGeometry``), never through a cache
shared between threads: the embedded server validates on its own thread while the notebook
validates on the kernel's."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import shapely

from stat_widgets.errors import ValidationError
from stat_widgets.models import (
    OrderRequest,
    Product,
    ValidGeometry,
    as_shape,
    bbox_geometry,
    geodesic_area_km2,
    limit_problems,
    read_geometry,
    simplify_to_limit,
    to_geometry,
    validate_geometry,
    vertex_count,
)

THREADS = 8
ROUNDS = 800


@pytest.fixture
def frequent_thread_switches() -> Iterator[None]:
    """Switch threads every microsecond instead of every 5 ms, so that two threads interleave
    inside the few bytecodes between a cache lookup and its update (where an ``id()``-keyed
    LRU raised ``KeyError`` when another thread evicted the entry in between)."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def _square(n: int) -> dict:
    west, south = (n % 340) * 0.5 - 170, (n % 160) * 0.5 - 80
    return bbox_geometry(west, south, west + 0.1, south + 0.1)


def _ring(n: int, vertices: int = 40) -> dict:
    """A long enough ring for the numpy fast path, different for every ``n``."""
    square = _square(n)["coordinates"][0]
    west, south = square[0]
    ring = [[west + 0.1 * k / vertices, south] for k in range(vertices)]
    ring += [[west + 0.1, south + 0.1], [west, south + 0.1], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def test_validating_from_several_threads_at_once_gives_each_its_own_shape(
    frequent_thread_switches: None,
) -> None:
    start = threading.Barrier(THREADS)

    def work(thread: int) -> int:
        start.wait()
        for k in range(ROUNDS):
            n = thread * ROUNDS + k
            geom = validate_geometry(_square(n) if k % 2 else _ring(n))
            west, south = geom["coordinates"][0][0][:2]
            # the dict alone: a shape built anew, never another thread's
            for _ in range(3):
                bounds = as_shape(geom).bounds
                assert bounds == pytest.approx((west, south, west + 0.1, south + 0.1))
            assert limit_problems(geom, max_area_km2=1e6, max_vertices=10_000) == []
            valid = read_geometry(geom)
            assert valid.geometry == geom
            assert valid.shape.bounds == as_shape(geom).bounds
        return thread

    with ThreadPoolExecutor(THREADS) as pool:
        assert sorted(pool.map(work, range(THREADS))) == list(range(THREADS))


def test_order_requests_validated_from_several_threads_keep_their_own_area(
    frequent_thread_switches: None,
) -> None:
    """What the embedded server and the notebook do at once: ``from_input`` with a product."""
    product = Product(id="p", max_area_km2=1e6, max_vertices=1000)
    start = threading.Barrier(THREADS)

    def work(thread: int) -> None:
        start.wait()
        for k in range(ROUNDS // 3):
            geom = _ring(thread * ROUNDS + k)
            body = {"datetime": "2025-01-01T00:00:00Z/..", "product_id": "p", "geometry": geom}
            request = OrderRequest.from_input(body, product=product)
            assert request.geometry == geom
            assert request.area_km2 == pytest.approx(geodesic_area_km2(geom))

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(work, range(THREADS)))


def test_read_geometry_returns_the_dict_with_the_shape_it_was_checked_with() -> None:
    valid = read_geometry("POLYGON((10 50, 10 51, 11 51, 11 50, 10 50))")  # clockwise
    assert isinstance(valid, ValidGeometry)
    assert valid.geometry == to_geometry("POLYGON((10 50, 10 51, 11 51, 11 50, 10 50))")
    assert valid.geometry["coordinates"][0][1] == [11.0, 50.0]  # re-wound counterclockwise
    assert as_shape(valid) is valid.shape
    assert valid.shape.equals_exact(as_shape(valid.geometry), 0)
    assert read_geometry(valid) is valid
    # every measure takes the result or its dict, with the same answer
    assert vertex_count(valid) == vertex_count(valid.geometry) == 4
    assert geodesic_area_km2(valid) == geodesic_area_km2(valid.geometry)
    assert limit_problems(valid, max_area_km2=100) == limit_problems(
        valid.geometry, max_area_km2=100
    )
    assert simplify_to_limit(valid, 10).geometry is valid.geometry


@pytest.mark.parametrize(
    "geom",
    [
        _ring(3),
        {
            "type": "MultiPolygon",
            "coordinates": [_ring(3)["coordinates"], _square(9)["coordinates"]],
        },
        {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Point", "coordinates": [1, 2, 3]},
                {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
                _ring(5),
                {"type": "GeometryCollection", "geometries": [_square(7)]},
            ],
        },
        {
            "type": "Polygon",
            "coordinates": [
                [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]],
                [[0.2, 0.2, 5], [0.2, 0.4, 5], [0.4, 0.4, 5], [0.2, 0.2, 5]],
                [[0.6, 0.6], [0.6, 0.8], [0.8, 0.8], [0.6, 0.6]],
            ],
        },
    ],
)
def test_a_shape_rebuilt_from_the_dict_equals_the_one_validation_built(geom: dict) -> None:
    valid = read_geometry(geom)
    rebuilt = as_shape(valid.geometry)
    assert rebuilt is not valid.shape
    assert shapely.to_wkb(rebuilt) == shapely.to_wkb(valid.shape)
    assert rebuilt.equals(shapely.geometry.shape(valid.geometry))


def test_a_request_copied_with_another_geometry_measures_the_new_one() -> None:
    small, large = bbox_geometry(10, 50, 10.1, 50.1), bbox_geometry(10, 50, 11, 51)
    body = {"datetime": "2025-01-01T00:00:00Z/..", "product_id": "p", "geometry": small}
    request = OrderRequest.from_input(body)
    assert type(request.geometry) is dict and request.geometry == small
    assert request.model_dump(mode="json")["geometry"] == small
    assert request == OrderRequest.model_construct(**dict(request))  # the shape is no field
    copied = request.model_copy(update={"geometry": large})
    assert copied.area_km2 == pytest.approx(geodesic_area_km2(large))
    assert request.area_km2 == pytest.approx(geodesic_area_km2(small))
    assert copied.problems_for(Product(id="p", max_area_km2=1000))
    assert not request.problems_for(Product(id="p", max_area_km2=1000))


@pytest.mark.parametrize(
    ("geom", "field", "words"),
    [
        (
            {"type": "Polygon", "coordinates": [[[10, 50], [11, 50, 5], [11, 51], [10, 50]]]},
            "geometry.coordinates[0][1]",
            "has 3 coordinates but the first of a ring has 2",
        ),
        (
            {"type": "LineString", "coordinates": [[10, 50, 1], [11, 50]]},
            "geometry.coordinates[1]",
            "has 2 coordinates but the first of a line has 3",
        ),
        (
            {"type": "MultiLineString", "coordinates": [[[0, 0], [1, 1]], [[0, 0], [1, 1, 1]]]},
            "geometry.coordinates[1][1]",
            "the first of a line",
        ),
    ],
)
def test_a_line_or_ring_mixing_dimensions_is_refused_by_position(
    geom: dict, field: str, words: str
) -> None:
    """shapely cannot build these (numpy raised a bare ValueError about inhomogeneous arrays)."""
    with pytest.raises(ValidationError) as info:
        to_geometry(geom)
    assert info.value.field == field
    assert words in info.value.message
    # points stand alone: a MultiPoint may mix them
    assert to_geometry({"type": "MultiPoint", "coordinates": [[0, 0], [1, 1, 1]]})
