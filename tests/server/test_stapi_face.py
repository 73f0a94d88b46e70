"""The reference server's STAPI v0.1.0 face (``/stapi``) over HTTP: every route, paging, the
asynchronous search lifecycle and the error shapes. Answers are checked against
stapi-pydantic's models (the field's own reading of the spec) wherever they can hold them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import stapi_fastapi.conformance as stapi_conformance
from stapi_pydantic import (
    OpportunityCollection,
    OpportunitySearchRecord,
    OpportunitySearchRecords,
    OpportunitySearchStatus,
    Order,
    OrderCollection,
    OrderStatuses,
    ProductsCollection,
    RootResponse,
)

from stat_widgets import conformance
from stat_widgets.server import ManualClock
from stat_widgets.server.stapi import backend as stapi_backend

from .bodies import cloud_filter, link, order_body, square

START = datetime(2025, 6, 1, tzinfo=UTC)
MONTH = "2025-06-01T00:00:00Z/2025-07-01T00:00:00Z"
PRODUCTS = {"optical-vhr", "sar-x-band", "multispectral-wide", "optical-stereo-video"}


JSON_TYPE = {"Content-Type": "application/json"}


def stapi_order(**overrides: Any) -> dict[str, Any]:
    body = order_body(**overrides)
    body.pop("product_id")
    body.setdefault("order_parameters", {})
    return body


def searched(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"datetime": MONTH, "geometry": square()}
    body.update(overrides)
    return body


def assert_error(response: httpx.Response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"code", "detail", "errors"} and body["detail"]
    assert all(set(e) == {"field", "message"} for e in body["errors"])
    if field is not None:
        assert body["errors"][0]["field"] == field, body
    return body


@pytest.fixture
def face(make_stat_server: Callable[..., Any]) -> Iterator[tuple[httpx.Client, Any]]:
    server = make_stat_server(clock=ManualClock(START))
    with httpx.Client(base_url=server.url + "/stapi/") as client:
        yield client, server


def test_conformance_uris_are_stapi_fastapis() -> None:
    assert conformance.STAPI_CORE == stapi_conformance.API.core
    assert conformance.STAPI_ORDER_STATUSES == stapi_conformance.API.order_statuses
    assert conformance.STAPI_SEARCHES_OPPORTUNITY == stapi_conformance.API.searches_opportunity
    assert conformance.STAPI_OPPORTUNITIES == stapi_conformance.PRODUCT.opportunities
    assert conformance.STAPI_OPPORTUNITIES_ASYNC == stapi_conformance.PRODUCT.opportunities_async


def test_landing_conformance_and_openapi(face: tuple[httpx.Client, Any]) -> None:
    client, server = face
    landing = RootResponse.model_validate(client.get("").json())
    assert set(landing.conformsTo) >= {
        conformance.STAPI_CORE,
        conformance.STAPI_ORDER_STATUSES,
        conformance.STAPI_SEARCHES_OPPORTUNITY,
        conformance.STAPI_SEARCHES_OPPORTUNITY_STATUSES,
        conformance.STAT_IDEMPOTENCY,
    }
    rels = {item.rel: str(item.href) for item in landing.links}
    assert rels["orders"] == f"{server.url}/stapi/orders"
    assert rels["opportunity-search-records"] == f"{server.url}/stapi/searches/opportunities"
    assert client.get("conformance").json()["conformsTo"] == landing.conformsTo
    document = httpx.get(rels["service-description"]).json()
    paths = set(document["paths"])
    assert "/products/{product_id}/opportunities" not in paths  # one path per product
    assert "/products/optical-vhr/opportunities" in paths and "/orders" in paths
    assert httpx.get(rels["service-docs"]).status_code == 200
    # the STAT face is unchanged and does not list the STAPI routes
    assert "/stapi/orders" not in httpx.get(server.url + "/openapi.json").json()["paths"]
    assert conformance.STAPI_CORE not in httpx.get(server.url + "/").json()["conformsTo"]


def test_products_queryables_and_order_parameters(face: tuple[httpx.Client, Any]) -> None:
    client, server = face
    collection = ProductsCollection.model_validate(client.get("products").json())
    assert {p.id for p in collection.products} == PRODUCTS
    stat_products = {p["id"]: p for p in httpx.get(server.url + "/products").json()["products"]}
    for product in collection.products:
        rels = {item.rel for item in product.links}
        assert rels >= {"self", "queryables", "order-parameters", "create-order", "opportunities"}
        one = client.get(f"products/{product.id}/conformance").json()
        assert set(one["conformsTo"]) >= {
            conformance.STAPI_OPPORTUNITIES,
            conformance.STAPI_OPPORTUNITIES_ASYNC,
            *stat_products[product.id]["conformsTo"],
        }
        queryables = client.get(f"products/{product.id}/queryables").json()
        assert queryables == stat_products[product.id]["constraints"]
        parameters = client.get(f"products/{product.id}/order-parameters").json()
        assert parameters["properties"] == {} and parameters["additionalProperties"] is False
    assert_error(client.get("products/nope"), 404)


def test_create_read_and_list_orders(face: tuple[httpx.Client, Any]) -> None:
    client, server = face
    made = client.post("products/optical-vhr/orders", json=stapi_order(filter=cloud_filter()))
    assert made.status_code == 201, made.text
    order = Order.model_validate(made.json())
    assert made.headers["location"] == f"{server.url}/stapi/orders/{order.id}"
    assert order.properties.status.status_code == "received"
    assert order.properties.search_parameters.filter == cloud_filter()
    assert Order.model_validate(client.get(f"orders/{order.id}").json()).id == order.id
    statuses = OrderStatuses.model_validate(client.get(f"orders/{order.id}/statuses").json())
    assert [s.status_code for s in statuses.statuses] == ["received"]
    server.clock.advance(61)
    statuses = OrderStatuses.model_validate(client.get(f"orders/{order.id}/statuses").json())
    assert len(statuses.statuses) == 2
    # the STAT face lists it too, and the STAPI face lists the STAT face's orders
    stat_ids = [o["id"] for o in httpx.get(server.url + "/orders").json()["orders"]]
    assert order.id in stat_ids
    stat_made = httpx.post(server.url + "/order", json=order_body()).json()
    listed = OrderCollection.model_validate(client.get("orders").json())
    assert {o.id for o in listed.features} == {order.id, stat_made["id"]}


def test_orders_made_on_the_stat_face_keep_what_stapi_models_cannot_hold(
    face: tuple[httpx.Client, Any],
) -> None:
    # (a JSON Reference is kept too, with the footprint it resolved to as the Feature's
    # geometry: tests/server/test_references.py, which serves the reference)
    client, server = face
    open_end = httpx.post(
        server.url + "/order", json=order_body(datetime="2025-06-01T00:00:00Z/..")
    ).json()
    features = {f["id"]: f for f in client.get("orders").json()["features"]}
    search = features[open_end["id"]]["properties"]["search_parameters"]
    assert search["datetime"] == "2025-06-01T00:00:00Z/.."


def test_order_paging_follows_next_links(face: tuple[httpx.Client, Any]) -> None:
    client, _ = face
    made = [
        client.post(
            "products/optical-vhr/orders", json=stapi_order(geometry=square(10 + i / 100))
        ).json()["id"]
        for i in range(23)
    ]
    seen: list[str] = []
    page = client.get("orders", params={"limit": 10}).json()
    sizes = []
    while True:
        OrderCollection.model_validate(page)
        assert page["numberMatched"] == 23
        sizes.append(len(page["features"]))
        seen += [f["id"] for f in page["features"]]
        following = link(page, "next")
        if following is None:
            break
        page = httpx.get(following).json()
    assert sizes == [10, 10, 3]
    assert seen == made[::-1]  # newest first, none twice, none missing
    assert_error(client.get("orders", params={"next": "forged"}), 400, "next")
    for limit in (0, -1, 1001):
        assert_error(client.get("orders", params={"limit": limit}), 400, "limit")
    assert_error(client.get("orders", params={"limit": "many"}), 400, "limit")


def test_order_errors_name_the_field(face: tuple[httpx.Client, Any]) -> None:
    client, _ = face
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[10, 50], [10.1, 50.1], [10.1, 50], [10, 50.1], [10, 50]]],
    }
    assert_error(
        client.post("products/optical-vhr/orders", json=stapi_order(geometry=bowtie)),
        422,
        "geometry",
    )
    body = assert_error(
        client.post(
            "products/optical-vhr/orders",
            json=stapi_order(filter={"op": "<=", "args": [{"property": "eo:cloud_cover"}, 200]}),
        ),
        422,
    )
    assert body["errors"][0]["field"].startswith("filter")
    assert_error(client.post("products/optical-vhr/orders", json=stapi_order(datetime="soon")), 422)
    missing = stapi_order()
    missing.pop("order_parameters")
    assert_error(client.post("products/optical-vhr/orders", json=missing), 422, "order_parameters")
    assert_error(client.post("products/nope/orders", json=stapi_order()), 404)
    assert_error(client.get("orders/nope"), 404, "order_id")
    assert_error(client.get("orders/nope/statuses"), 404, "order_id")
    assert_error(client.get("no/such/route"), 404)
    not_json = client.post("products/optical-vhr/orders", content=b"{not", headers=JSON_TYPE)
    assert_error(not_json, 422)
    deep: Any = {"op": "<=", "args": [{"property": "eo:cloud_cover"}, 1]}
    for _ in range(60):
        deep = {"op": "not", "args": [deep]}
    assert_error(
        client.post("products/optical-vhr/orders", json=stapi_order(filter=deep)),
        422,
        "filter" + ".args[0]" * 21,
    )


def test_idempotency_key_is_honoured(face: tuple[httpx.Client, Any]) -> None:
    client, _ = face
    key = {"Idempotency-Key": "order-1"}
    first = client.post("products/optical-vhr/orders", json=stapi_order(), headers=key)
    again = client.post("products/optical-vhr/orders", json=stapi_order(), headers=key)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    other = client.post(
        "products/optical-vhr/orders", json=stapi_order(geometry=square(11)), headers=key
    )
    assert_error(other, 409, "Idempotency-Key")


def test_users_and_tokens_are_the_stat_faces(make_stat_server: Callable[..., Any]) -> None:
    server = make_stat_server(tokens={"t-ann": "ann", "t-bob": "bob"})
    root = server.url + "/stapi/"
    assert httpx.get(root + "products").status_code == 200  # the catalogue is public
    refused = assert_error(httpx.get(root + "orders"), 401, "Authorization")
    assert refused["code"] == "Unauthorized"
    assert httpx.get(root + "orders").headers["www-authenticate"] == "Bearer"
    ann = {"Authorization": "Bearer t-ann"}
    bob = {"Authorization": "Bearer t-bob"}
    assert_error(httpx.post(root + "products/optical-vhr/orders", json=stapi_order()), 401)
    assert_error(httpx.post(root + "products/optical-vhr/opportunities", json=searched()), 401)
    made = httpx.post(root + "products/optical-vhr/orders", json=stapi_order(), headers=ann).json()
    assert [f["id"] for f in httpx.get(root + "orders", headers=ann).json()["features"]] == [
        made["id"]
    ]
    assert httpx.get(root + "orders", headers=bob).json()["features"] == []
    assert_error(httpx.get(root + f"orders/{made['id']}", headers=bob), 404)
    stat = httpx.get(server.url + "/orders", headers=ann).json()["orders"]
    assert [o["id"] for o in stat] == [made["id"]] and stat[0]["user"] == "ann"


def test_sync_search_pages_with_next_links(face: tuple[httpx.Client, Any]) -> None:
    client, _ = face
    wait = {"Prefer": "wait"}
    whole = client.post(
        "products/optical-vhr/opportunities", json=searched(limit=1000), headers=wait
    )
    assert whole.status_code == 200 and whole.headers["content-type"] == "application/geo+json"
    every = OpportunityCollection.model_validate(whole.json()).features
    assert 40 < len(every) < 120
    pages, response = (
        [],
        client.post("products/optical-vhr/opportunities", json=searched(limit=25), headers=wait),
    )
    while True:
        page = response.json()
        pages.append([f["id"] for f in page["features"]])
        following = next((item for item in page["links"] if item["rel"] == "next"), None)
        if following is None:
            break
        assert following["method"] == "POST" and following["body"]["limit"] == 25
        response = httpx.request(
            following["method"], following["href"], json=following["body"], headers=wait
        )
    assert [len(p) for p in pages[:-1]] == [25] * (len(pages) - 1)
    assert [i for page in pages for i in page] == [f.id for f in every]
    steep = client.post(
        "products/optical-vhr/opportunities",
        json=searched(
            limit=1000, filter={"op": "<=", "args": [{"property": "view:off_nadir"}, 15]}
        ),
        headers=wait,
    ).json()["features"]
    assert [f["id"] for f in steep] == [
        f.id for f in every if f.properties.model_extra["view:off_nadir"] <= 15
    ]


def test_each_opportunity_links_the_order_of_exactly_it(face: tuple[httpx.Client, Any]) -> None:
    client, _ = face
    features = client.post(
        "products/sar-x-band/opportunities", json=searched(limit=3), headers={"Prefer": "wait"}
    ).json()["features"]
    action = next(item for item in features[1]["links"] if item["rel"] == "create-order")
    assert action["method"] == "POST"
    assert action["body"]["datetime"] == features[1]["properties"]["datetime"].replace(
        "+00:00", "Z"
    )
    made = httpx.request(action["method"], action["href"], json=action["body"])
    assert made.status_code == 201, made.text
    properties = made.json()["properties"]
    assert properties["opportunity_properties"]["id"] == features[1]["id"]
    assert (
        properties["opportunity_properties"]["sar:incidence_angle"]
        == features[1]["properties"]["sar:incidence_angle"]
    )


def test_search_errors_name_the_field(face: tuple[httpx.Client, Any], monkeypatch: Any) -> None:
    client, _ = face
    wait = {"Prefer": "wait"}
    path = "products/optical-vhr/opportunities"
    assert_error(client.post(path, json=searched(limit=0), headers=wait), 400, "limit")
    assert_error(client.post(path, json=searched(next="forged"), headers=wait), 400, "next")
    year = "2025-01-01T00:00:00Z/2026-02-01T00:00:00Z"
    assert_error(client.post(path, json=searched(datetime=year), headers=wait), 400, "datetime")
    late = searched(filter={"op": "<=", "args": [{"property": "view:off_nadir"}, 60]})
    assert (
        client.post(path, json=late, headers=wait).json()["errors"][0]["field"].startswith("filter")
    )
    assert_error(
        client.post(
            path, json=searched(geometry={"type": "Point", "coordinates": [200, 0]}), headers=wait
        ),
        422,
    )
    assert_error(client.post(path, json=searched(), headers={"Prefer": "sometime"}), 400)


def test_async_search_lifecycle(face: tuple[httpx.Client, Any], monkeypatch: Any) -> None:
    client, server = face
    posted = client.post("products/multispectral-wide/opportunities", json=searched())
    assert posted.status_code == 201, posted.text
    record = OpportunitySearchRecord.model_validate(posted.json())
    location = posted.headers["location"]
    assert location == f"{server.url}/stapi/searches/opportunities/{record.id}"
    assert record.status.status_code == "received"
    results = f"products/multispectral-wide/opportunities/{record.id}"
    assert_error(client.get(results), 404, "id")  # not before it completes
    server.clock.advance(0.5)
    assert httpx.get(location).json()["status"]["status_code"] == "in_progress"
    server.clock.advance(0.5)
    done = httpx.get(location).json()
    assert done["status"]["status_code"] == "completed"
    collection = next(item["href"] for item in done["links"] if item["rel"] == "opportunities")
    assert collection == f"{server.url}/stapi/{results}"
    features = OpportunityCollection.model_validate(httpx.get(collection).json()).features
    sync = client.post(
        "products/multispectral-wide/opportunities",
        json=searched(limit=1000),
        headers={"Prefer": "wait"},
    ).json()["features"]
    assert [f.id for f in features] == [f["id"] for f in sync]
    history = [
        OpportunitySearchStatus.model_validate(s).status_code
        for s in httpx.get(location + "/statuses").json()
    ]
    assert history == ["received", "in_progress", "completed"]
    listed = OpportunitySearchRecords.model_validate(client.get("searches/opportunities").json())
    assert [r.id for r in listed.search_records] == [record.id]
    assert_error(client.get("searches/opportunities/nope"), 404, "id")
    assert_error(client.get("searches/opportunities", params={"limit": 0}), 400, "limit")


def test_an_async_search_with_too_many_results_fails_with_a_reason(
    face: tuple[httpx.Client, Any], monkeypatch: Any
) -> None:
    client, server = face
    monkeypatch.setattr(stapi_backend, "MAX_ASYNC_RESULTS", 3)
    posted = client.post("products/optical-vhr/opportunities", json=searched())
    server.clock.advance(1)
    record = httpx.get(posted.headers["location"]).json()
    assert record["status"]["status_code"] == "failed"
    assert "narrow the interval" in record["status"]["reason_text"]
    body = assert_error(client.get(f"products/optical-vhr/opportunities/{record['id']}"), 404, "id")
    assert "narrow the interval" in body["detail"]


def test_search_records_belong_to_their_user(make_stat_server: Callable[..., Any]) -> None:
    server = make_stat_server(tokens={"t-ann": "ann", "t-bob": "bob"})
    root = server.url + "/stapi/"
    ann = {"Authorization": "Bearer t-ann"}
    bob = {"Authorization": "Bearer t-bob"}
    posted = httpx.post(root + "products/optical-vhr/opportunities", json=searched(), headers=ann)
    assert posted.status_code == 201
    assert httpx.get(posted.headers["location"], headers=ann).status_code == 200
    assert_error(httpx.get(posted.headers["location"], headers=bob), 404)
    assert httpx.get(root + "searches/opportunities", headers=bob).json()["search_records"] == []


def test_a_product_without_a_constellation_has_no_search(
    make_stat_server: Callable[..., Any],
) -> None:
    custom = [
        {
            "id": "aerial",
            "title": "Aerial survey",
            "constraints": {"type": "object", "properties": {}},
        }
    ]
    server = make_stat_server(products=custom)
    root = server.url + "/stapi/"
    product = httpx.get(root + "products/aerial").json()
    assert "opportunities" not in {item["rel"] for item in product["links"]}
    classes = httpx.get(root + "products/aerial/conformance").json()["conformsTo"]
    assert conformance.STAPI_OPPORTUNITIES not in classes
    assert httpx.post(root + "products/aerial/opportunities", json=searched()).status_code in (
        404,
        405,
    )


def test_the_librarys_own_refusals_keep_their_words(face: tuple[httpx.Client, Any]) -> None:
    client, _ = face
    body = assert_error(client.get("products", params={"next": "nope"}), 404)
    assert "pagination token" in body["detail"]
    assert "no such endpoint" in assert_error(client.get("nothing/here"), 404)["detail"]
