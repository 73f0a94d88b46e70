"""POST /order: creation, and every rejection naming the field at fault."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from stat_widgets.models import Order, OrderRequest, geodesic_area_km2

from .bodies import YEAR, cloud_filter, order_body, square


def test_create_answers_201_with_location_and_the_order(stat_url: str) -> None:
    body = order_body(filter=cloud_filter(15))
    response = httpx.post(f"{stat_url}/order", json=body)
    assert response.status_code == 201, response.text
    order = Order.model_validate(response.json())
    assert response.headers["location"] == f"{stat_url}/order/{order.id}"
    assert order.status == "received"
    assert order.user == "anonymous"
    assert response.json()["created"].endswith("Z")
    assert order.request == OrderRequest.from_input(body)
    assert response.json()["request"] == OrderRequest.from_input(body).model_dump(mode="json")
    rels = {link.rel: link.href for link in order.links}
    assert rels["self"] == response.headers["location"]
    assert rels["monitor"] == f"{stat_url}/order/{order.id}/statuses"
    fetched = httpx.get(response.headers["location"])
    assert fetched.status_code == 200
    assert fetched.json() == response.json()


def test_order_ids_are_opaque_and_url_safe(stat_url: str) -> None:
    ids = {httpx.post(f"{stat_url}/order", json=order_body()).json()["id"] for _ in range(3)}
    assert len(ids) == 3
    for order_id in ids:
        assert order_id.isalnum() and order_id.isascii()


def test_request_is_stored_normalised(stat_url: str) -> None:
    clockwise = {
        "type": "Polygon",
        "coordinates": [[[10, 50], [10, 50.1], [10.1, 50.1], [10.1, 50], [10, 50]]],
    }
    body = order_body(datetime=f"{YEAR}-06-01T02:00:00+02:00/P7D", geometry=clockwise)
    created = httpx.post(f"{stat_url}/order", json=body).json()
    assert created["request"]["datetime"] == f"{YEAR}-06-01T00:00:00Z/{YEAR}-06-08T00:00:00Z"
    assert created["request"]["geometry"] == OrderRequest.from_input(body).geometry
    assert "filter" not in created["request"]


def test_other_products_and_geometry_kinds(stat_url: str) -> None:
    sar = order_body(
        product_id="sar-x-band",
        geometry={"type": "Point", "coordinates": [13.4, 52.5]},
        filter={
            "op": "and",
            "args": [
                {"op": "=", "args": [{"property": "sar:polarizations"}, "VV"]},
                {"op": "between", "args": [{"property": "sar:incidence_angle"}, 20, 40]},
            ],
        },
    )
    response = httpx.post(f"{stat_url}/order", json=sar)
    assert response.status_code == 201, response.text
    stereo = order_body(
        product_id="optical-stereo-video",
        filter={"op": "=", "args": [{"property": "stereo"}, True]},
    )
    assert httpx.post(f"{stat_url}/order", json=stereo).status_code == 201


def _errors(response: httpx.Response) -> dict[str, str]:
    body = response.json()
    assert set(body) == {"code", "detail", "errors"}, body
    assert body["detail"] == "; ".join(
        f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in body["errors"]
    )
    return {error["field"]: error["message"] for error in body["errors"]}


BOW_TIE = {
    "type": "Polygon",
    "coordinates": [[[10, 50], [10.1, 50.1], [10.1, 50], [10, 50.1], [10, 50]]],
}
UNCLOSED = {"type": "Polygon", "coordinates": [[[10, 50], [10.1, 50], [10.1, 50.1], [10, 50.1]]]}

REJECTIONS: dict[str, tuple[dict[str, Any], str, str]] = {
    "bow-tie polygon": (order_body(geometry=BOW_TIE), "geometry", "intersection"),
    "unclosed ring": (order_body(geometry=UNCLOSED), "geometry.coordinates[0]", "closed"),
    "latitude 200": (
        order_body(geometry={"type": "Point", "coordinates": [10, 200]}),
        "geometry.coordinates",
        "200",
    ),
    "CQL2 missing argument": (
        order_body(filter={"op": "<=", "args": [{"property": "eo:cloud_cover"}]}),
        "filter.args",
        "argument",
    ),
    "unknown property": (
        order_body(filter={"op": "<", "args": [{"property": "colour"}, 3]}),
        "filter.args[0]",
        "colour",
    ),
    "value outside range": (
        order_body(filter={"op": "<=", "args": [{"property": "view:off_nadir"}, 80]}),
        "filter.args[1]",
        "45",
    ),
    "end before start": (
        order_body(datetime="2025-06-08T00:00:00Z/2025-06-01T00:00:00Z"),
        "datetime",
        "before",
    ),
    "unknown field": (order_body(colour="red"), "colour", "unknown field"),
    "geometry type not accepted": (
        order_body(
            product_id="multispectral-wide", geometry={"type": "Point", "coordinates": [1, 2]}
        ),
        "geometry",
        "Point",
    ),
}


@pytest.mark.parametrize("case", REJECTIONS, ids=list(REJECTIONS))
def test_rejections_name_the_field(stat_url: str, case: str) -> None:
    body, field, fragment = REJECTIONS[case]
    response = httpx.post(f"{stat_url}/order", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "ValidationError"
    errors = _errors(response)
    assert field in errors, errors
    assert fragment in errors[field]


def test_nan_coordinate_is_rejected_naming_the_field(stat_url: str) -> None:
    raw = (
        '{"datetime": "2025-06-01T00:00:00Z/P1D", "product_id": "optical-vhr",'
        ' "geometry": {"type": "Point", "coordinates": [10, NaN]}}'
    )
    response = httpx.post(
        f"{stat_url}/order", content=raw, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422, response.text
    assert "geometry.coordinates" in _errors(response)


def test_every_missing_field_is_named_at_once(stat_url: str) -> None:
    response = httpx.post(f"{stat_url}/order", json={})
    assert response.status_code == 422
    assert {"datetime", "product_id", "geometry"} <= set(_errors(response))


def test_oversized_aoi_gives_area_and_limit(stat_url: str) -> None:
    big = square(size=1.0)
    response = httpx.post(f"{stat_url}/order", json=order_body(geometry=big))
    assert response.status_code == 422
    message = _errors(response)["geometry"]
    numbers = [float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", message)]
    assert 2000 in numbers  # the limit
    area = geodesic_area_km2(big)  # ~7,900 km² for a 1° cell at 50°N
    assert any(abs(n - area) < 1 for n in numbers), message


def test_unknown_product_is_404_naming_it(stat_url: str) -> None:
    response = httpx.post(f"{stat_url}/order", json=order_body(product_id="hyperspectral-9000"))
    assert response.status_code == 404
    assert response.json()["code"] == "NotFound"
    assert "hyperspectral-9000" in _errors(response)["product_id"]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [(b"not json", "not valid JSON"), (b"[1, 2]", "JSON object"), (b'"text"', "JSON object")],
)
def test_body_that_is_not_a_json_object_is_400(
    stat_url: str, content: bytes, fragment: str
) -> None:
    response = httpx.post(
        f"{stat_url}/order", content=content, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert fragment in _errors(response)[""]


def test_unknown_order_is_404_naming_the_id(stat_url: str) -> None:
    for path in ("/order/nope-123", "/order/nope-123/statuses"):
        response = httpx.get(f"{stat_url}{path}")
        assert response.status_code == 404
        assert "nope-123" in _errors(response)["id"]


def test_unknown_route_and_method_use_the_error_body(stat_url: str) -> None:
    missing = httpx.get(f"{stat_url}/no/such/route")
    assert missing.status_code == 404 and missing.json()["code"] == "NotFound"
    wrong_method = httpx.delete(f"{stat_url}/orders")
    assert wrong_method.status_code == 405
    assert set(wrong_method.json()) == {"code", "detail", "errors"}


def test_fastapi_request_validation_uses_the_error_body(make_stat_server: Callable) -> None:
    """Routes with typed parameters get our error shape (400 naming the parameter), not
    FastAPI's default ``{"detail": [...]}``."""
    server = make_stat_server()

    def probe(count: int) -> dict[str, int]:
        return {"count": count}

    server.app.add_api_route("/_probe", probe)
    response = httpx.get(f"{server.url}/_probe", params={"count": "many"})
    assert response.status_code == 400
    assert "count" in _errors(response)


def test_unexpected_exception_is_a_json_500(make_stat_server: Callable) -> None:
    server = make_stat_server()

    def broken() -> None:
        raise RuntimeError("boom")

    server.app.add_api_route("/_broken", broken)
    response = httpx.get(f"{server.url}/_broken")
    assert response.status_code == 500
    assert response.json()["code"] == "ServerError"
    assert "boom" not in response.text  # internals stay in the log
