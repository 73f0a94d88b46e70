import json
import math

import pydantic
import pytest

from stat_widgets.errors import ValidationError
from stat_widgets.models import (
    JSONReference,
    Order,
    OrderRequest,
    OrdersPage,
    OrderStatus,
    Product,
    StatusRecord,
    parse_status,
)

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[10, 50], [10.1, 50], [10.1, 50.1], [10, 50.1], [10, 50]]],
}
BODY = {
    "datetime": "2025-06-01T00:00:00+02:00/P7D",
    "product_id": "optical",
    "geometry": SQUARE,
    "filter": {"op": "<=", "args": [{"property": "eo:cloud_cover"}, 20]},
}
PRODUCT = Product(
    id="optical",
    title="Optical VHR",
    conformsTo=[
        "https://geojson.org/schema/Polygon.json",
        "https://geojson.org/schema/MultiPolygon.json",
    ],
    max_area_km2=100,
    max_vertices=50,
    constraints={
        "type": "object",
        "properties": {"eo:cloud_cover": {"type": "number", "minimum": 0, "maximum": 100}},
    },
)


def errors_of(data: object, **kwargs: object) -> dict[str, str]:
    with pytest.raises(ValidationError) as info:
        OrderRequest.from_input(data, **kwargs)
    return {e.field: e.message for e in info.value.errors}


def test_wire_body_has_exactly_the_seed_fields_normalised() -> None:
    request = OrderRequest.from_input(BODY, product=PRODUCT)
    wire = request.model_dump(mode="json")
    assert list(wire) == ["datetime", "product_id", "geometry", "filter"]
    assert wire["datetime"] == "2025-05-31T22:00:00Z/2025-06-07T22:00:00Z"
    assert wire["geometry"] == SQUARE
    assert json.loads(request.model_dump_json()) == wire
    # the wire body validates back to the same request
    assert OrderRequest.from_input(wire) == request
    assert OrderRequest.from_input(json.dumps(wire)) == request


def test_no_filter_key_when_there_is_no_filter() -> None:
    for empty in (None, {}, "  "):
        wire = OrderRequest.from_input({**BODY, "filter": empty}).model_dump(mode="json")
        assert "filter" not in wire


def test_every_field_at_fault_is_named() -> None:
    problems = errors_of(
        {
            "datetime": "2025-06-01",
            "product_id": "",
            "geometry": {"type": "Point", "coordinates": [10, math.nan]},
            "filter": {"op": "<", "args": [{"property": "eo:cloud_cover"}]},
            "extra": 1,
        }
    )
    assert set(problems) == {
        "datetime",
        "product_id",
        "geometry.coordinates",
        "filter.args",
        "extra",
    }
    assert "unknown field" in problems["extra"]
    assert errors_of({}) == {
        "datetime": "this field is required",
        "product_id": "this field is required",
        "geometry": "this field is required",
    }
    assert "expected a JSON object" in errors_of([BODY])[""]
    assert "not valid JSON" in errors_of("{")[""]
    assert "must be text" in errors_of({**BODY, "product_id": 5})["product_id"]


def test_product_checks_area_vertices_types_and_constraints() -> None:
    big = {"type": "Polygon", "coordinates": [[[10, 50], [11, 50], [11, 51], [10, 51], [10, 50]]]}
    problems = errors_of({**BODY, "geometry": big}, product=PRODUCT)
    assert "7,892.1 km²" in problems["geometry"] and "limit of 100 km²" in problems["geometry"]
    problems = errors_of(
        {**BODY, "geometry": {"type": "Point", "coordinates": [10, 50]}}, product=PRODUCT
    )
    assert problems["geometry"] == "Optical VHR accepts MultiPolygon, Polygon, not Point"
    problems = errors_of(
        {**BODY, "filter": {"op": "<", "args": [{"property": "eo:cloud_cover"}, 101]}},
        product=PRODUCT,
    )
    assert problems == {"filter.args[1]": "eo:cloud_cover must be at most 100, got 101"}
    assert (
        "not 'optical'" in errors_of({**BODY, "product_id": "sar"}, product=PRODUCT)["product_id"]
    )
    ring = [[10 + 0.001 * i, 50 + 0.0001 * (i % 2)] for i in range(60)] + [[10.03, 50.05]]
    ring.append(ring[0])
    problems = errors_of(
        {**BODY, "geometry": {"type": "Polygon", "coordinates": [ring]}}, product=PRODUCT
    )
    assert "61 vertices, above the limit of 50" in problems["geometry"]


def test_json_reference_is_kept_on_the_wire() -> None:
    ref = {"$ref": "https://features.example.com/collections/aoi/items/42"}
    request = OrderRequest.from_input({**BODY, "geometry": ref}, product=PRODUCT)
    assert isinstance(request.geometry, JSONReference)
    assert request.model_dump(mode="json")["geometry"] == ref
    assert request.area_km2 is None
    assert (
        "not an http(s) URL"
        in errors_of({**BODY, "geometry": {"$ref": "file:///etc/passwd"}})["geometry.$ref"]
    )
    assert "geometry.$ref" in errors_of({**BODY, "geometry": {"$ref": 5}})


def test_a_reference_url_is_capped_at_2048_characters() -> None:
    base = "https://features.example.com/items/"
    longest = base + "x" * (2048 - len(base))
    request = OrderRequest.from_input({**BODY, "geometry": {"$ref": longest}}, product=PRODUCT)
    assert request.model_dump(mode="json")["geometry"] == {"$ref": longest}
    huge = base + "x" * 4_500_000  # 50 of these made one listing 225 MB
    message = errors_of({**BODY, "geometry": {"$ref": huge}})["geometry.$ref"]
    assert "at most 2,048 are taken" in message
    assert len(message) < 200  # the URL is not echoed back
    with pytest.raises(pydantic.ValidationError):
        JSONReference.model_validate({"$ref": longest + "x"})


def test_an_orders_footprint_is_its_inline_geometry_or_the_resolved_reference() -> None:
    base = {"id": "o1", "status": "accepted", "created": "2025-06-01T00:00:00Z", "links": []}
    inline = Order.model_validate({**base, "request": BODY})
    assert inline.footprint == SQUARE
    by_ref = {**BODY, "geometry": {"$ref": "https://features.example.com/items/42"}}
    resolved = Order.model_validate({**base, "request": by_ref, "footprint": SQUARE})
    assert isinstance(resolved.request.geometry, JSONReference)
    assert resolved.footprint == SQUARE
    assert resolved.model_dump()["footprint"] == SQUARE  # kept as sent
    empty = {"type": "GeometryCollection", "geometries": []}  # a STAPI Feature without one
    for unreadable in (None, empty, "POLYGON", {"type": "Circle", "coordinates": [1, 2]}):
        order = Order.model_validate({**base, "request": by_ref, "footprint": unreadable})
        assert order.footprint is None
    assert Order.model_validate(base).footprint is None


def test_order_status_known_respelled_and_unknown_kept() -> None:
    base = {"id": "o1", "user": "alice", "created": "2025-06-01T00:00:00Z", "links": []}
    assert Order.model_validate({**base, "status": "accepted"}).status is OrderStatus.ACCEPTED
    assert Order.model_validate({**base, "status": "canceled"}).status is OrderStatus.CANCELLED
    assert (
        Order.model_validate({**base, "status": "user_canceled"}).status
        is OrderStatus.USER_CANCELLED
    )
    weird = Order.model_validate({**base, "status": "on_the_moon"})
    assert weird.status == "on_the_moon" and not isinstance(weird.status, OrderStatus)
    assert weird.model_dump(mode="json")["status"] == "on_the_moon"
    assert Order.model_validate({**base, "status": " Tasked"}).status is OrderStatus.TASKED
    stapi_status = {"status_code": "Tasked", "timestamp": "2025-06-01T00:00:00Z"}
    assert parse_status(stapi_status) is OrderStatus.TASKED  # the client maps STAPI's objects
    assert parse_status("on_the_moon") == "on_the_moon"
    assert len(OrderStatus) == 13


def test_order_keeps_its_request_and_product() -> None:
    wire = OrderRequest.from_input(BODY).model_dump(mode="json")
    order = Order.model_validate(
        {
            "id": "o1",
            "user": "alice",
            "status": "received",
            "created": "2025-06-01T00:00:00Z",
            "links": [{"href": "http://x/order/o1", "rel": "self"}],
            "request": wire,
        }
    )
    assert order.product_id == "optical"
    dumped = order.model_dump(mode="json")
    assert dumped["product_id"] == "optical"  # exports see it even when only the request has it
    assert dumped["request"] == wire and dumped["links"] == [
        {"href": "http://x/order/o1", "rel": "self"}
    ]
    assert order.request is not None and order.request.geometry == SQUARE
    assert order.link("self").href == "http://x/order/o1"
    # an unreadable request from some server does not make the order unreadable
    odd = Order.model_validate({**order.model_dump(mode="json"), "request": {"nonsense": True}})
    assert odd.request is None


def test_orders_page_links() -> None:
    page = OrdersPage.model_validate(
        {
            "orders": [],
            "links": [
                {
                    "href": "http://x/orders?page=b",
                    "rel": "next",
                    "method": "POST",
                    "body": {"next": "b"},
                },
                {"href": "http://x/orders?page=a", "rel": "prev"},
            ],
            "numberMatched": 250,
        }
    )
    assert page.next.method == "POST" and page.next.body == {"next": "b"}
    assert page.prev.href.endswith("page=a")
    assert page.first is None
    assert page.number_matched == 250


def test_status_record() -> None:
    record = StatusRecord.model_validate(
        {"timestamp": "2025-06-01T00:00:00Z", "status": "canceled"}
    )
    assert record.status is OrderStatus.CANCELLED
