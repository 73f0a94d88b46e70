"""Real providers' documents through the client: links as maps, exact errors naming the product,
and both forms of the STAT draft (``POST /order`` or ``/orders``, found from the server's links).
"""

from __future__ import annotations

from typing import Any

import pytest

from stat_widgets.errors import (
    APIError,
    ConflictError,
    InvalidResponseError,
    RemoteValidationError,
    ServerError,
    ValidationError,
)

from .conftest import call, collect
from .faults import Reply, scripted_server

STAT_LANDING = Reply(200, {"conformsTo": [], "links": []})
INTERVAL = "2025-06-01T00:00:00Z/2025-06-08T00:00:00Z"
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[10, 50], [10.1, 50], [10.1, 50.1], [10, 50.1], [10, 50]]],
}
PRODUCT = {
    "type": "Product",
    "id": "p1",
    "title": "P1",
    "description": "",
    "license": "proprietary",
    "links": {"self": {"href": "{base}/products/p1"}},
    "constraints": {"type": "object", "properties": {}},
}
REQUEST = {"datetime": INTERVAL, "product_id": "p1", "geometry": SQUARE}


def order(order_id: str, self_href: str = "{base}/order/{id}") -> dict[str, Any]:
    return {
        "id": order_id,
        "status": "received",
        "created": "2025-06-01T00:00:00Z",
        "links": [{"href": self_href.replace("{id}", order_id), "rel": "self"}],
    }


def routes(extra: dict[str, list[Reply]] | None = None) -> dict[str, list[Reply]]:
    """A STAT server with product ``p1``, and ``extra`` routes."""
    return {"GET /": [STAT_LANDING], "GET /products/p1": [Reply(200, PRODUCT)], **(extra or {})}


# -- invalid documents name the product and the field ------------------------------------------


async def test_a_bad_product_in_a_list_is_named_by_index_id_and_field(make_client: Any) -> None:
    bad = {**PRODUCT, "id": "maxar_opt", "links": {"docs": {"title": "no href"}}}
    served = {"GET /": [STAT_LANDING], "GET /products": [Reply(200, {"products": [PRODUCT, bad]})]}
    with scripted_server(served) as (url, _):
        client = make_client(url)
        with pytest.raises(InvalidResponseError) as caught:
            await call(client.products())
    message = str(caught.value)
    assert "products[1] (id 'maxar_opt')" in message
    assert "links" in message and "link 'docs' has no href string" in message


@pytest.mark.parametrize(
    ("product", "words"),
    [
        ({**PRODUCT, "title": ["not", "text"]}, "title"),
        ({**PRODUCT, "constraints": [1, 2]}, "constraints"),
        ({k: v for k, v in PRODUCT.items() if k != "id"}, "id"),
        ({**PRODUCT, "links": "http://x"}, "links"),
    ],
    ids=["title", "constraints", "no-id", "links"],
)
async def test_one_bad_product_names_the_field(make_client: Any, product: dict, words: str) -> None:
    served = {"GET /": [STAT_LANDING], "GET /products/p1": [Reply(200, product)]}
    with scripted_server(served) as (url, _):
        client = make_client(url)
        with pytest.raises(InvalidResponseError) as caught:
            await call(client.product("p1"))
    assert "product 'p1'" in str(caught.value) and words in str(caught.value)


async def test_a_bad_order_on_a_page_is_named(make_client: Any) -> None:
    page = {"orders": [order("a"), {"id": "b", "status": "received"}], "links": []}
    with scripted_server({"GET /": [STAT_LANDING], "GET /orders": [Reply(200, page)]}) as (url, _):
        client = make_client(url)
        with pytest.raises(InvalidResponseError, match=r"order 'b' \(orders\[1\]\)"):
            await collect(client.orders())


async def test_a_bad_stapi_product_is_named(make_client: Any) -> None:
    landing = Reply(200, {"conformsTo": ["https://stapi.example.com/v0.1.0/core"], "links": []})
    products = {"products": [{"id": "ok", "links": []}, {"id": 7, "links": []}], "links": []}
    served = {"GET /": [landing], "GET /products": [Reply(200, products)]}
    with scripted_server(served) as (url, _):
        client = make_client(url)
        with pytest.raises(InvalidResponseError, match=r"products\[1\]: id"):
            await call(client.products())


# -- links as a map, on products and pages -----------------------------------------------------


async def test_pages_with_links_keyed_by_rel_are_followed(make_client: Any) -> None:
    served = {
        "GET /": [STAT_LANDING],
        "GET /orders": [
            Reply(200, {"orders": [order("a")], "links": {"next": {"href": "{base}/orders?p=2"}}})
        ],
        "GET /orders?p=2": [
            Reply(200, {"orders": [order("b")], "links": {"prev": {"href": "{base}/orders"}}})
        ],
        "GET /products": [Reply(200, {"products": [PRODUCT], "links": {}})],
    }
    with scripted_server(served) as (url, _):
        client = make_client(url)
        assert [o.id for o in await collect(client.orders())] == ["a", "b"]
        [product] = await call(client.products())
        assert [(link.rel, link.href) for link in product.links] == [("self", f"{url}/products/p1")]


# -- both forms of the draft -------------------------------------------------------------------


async def test_the_readme_paths_by_default(make_client: Any) -> None:
    served = routes(
        {"POST /order": [Reply(201, order("o1"))], "GET /order/o1": [Reply(200, order("o1"))]}
    )
    with scripted_server(served) as (url, script):
        client = make_client(url)
        created = await call(client.create_order(REQUEST))
        assert (await call(client.order(created.id))).id == "o1"
    assert script.count("POST", "/order") == 1 and script.count("POST", "/orders") == 0


async def test_a_server_of_the_openapi_form_is_ordered_from_after_one_405(
    make_client: Any,
) -> None:
    served = routes(
        {
            "POST /order": [Reply(405, {"code": "MethodNotAllowed", "detail": "no POST here"})],
            "POST /orders": [
                Reply(201, order("o1", "{base}/orders/{id}")),
                Reply(201, order("o2", "{base}/orders/{id}")),
            ],
            "GET /orders/o2": [Reply(200, order("o2", "{base}/orders/{id}"))],
        }
    )
    with scripted_server(served) as (url, script):
        client = make_client(url)
        first = await call(client.create_order(REQUEST))
        second = await call(client.create_order(REQUEST))
        # the order's own self link says where orders live
        assert (await call(client.order("o2"))).id == "o2"
    assert (first.id, second.id) == ("o1", "o2")
    assert script.count("POST", "/order") == 1  # learnt once, then posted straight to /orders
    assert script.count("POST", "/orders") == 2
    keys = {s.headers["idempotency-key"] for s in script.seen if s.method == "POST"}
    assert len(keys) == 2  # the fallback repeats the first submission's key


async def test_the_landing_page_names_the_create_endpoint(make_client: Any) -> None:
    landing = Reply(
        200,
        {
            "conformsTo": [],
            "links": [
                {"href": "{base}/v2/orders", "rel": "create-order", "method": "POST"},
            ],
        },
    )
    served = {
        "GET /": [landing],
        "GET /products/p1": [Reply(200, PRODUCT)],
        "POST /v2/orders": [Reply(201, order("o1", "{base}/v2/orders/{id}"))],
        "GET /v2/orders/o9": [Reply(200, order("o9", "{base}/v2/orders/{id}"))],
    }
    with scripted_server(served) as (url, script):
        client = make_client(url)
        assert (await call(client.order("o9"))).id == "o9"  # below the create endpoint
        assert (await call(client.create_order(REQUEST))).id == "o1"
    assert [s.path for s in script.seen if s.method == "POST"] == ["/v2/orders"]


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        (Reply(400, {"code": "ValidationError", "detail": "bad"}), RemoteValidationError),
        (Reply(409, {"code": "Conflict", "detail": "key reused"}), ConflictError),
        (Reply(500, {"code": "ServerError", "detail": "boom"}), ServerError),
    ],
    ids=["400", "409", "500"],
)
async def test_no_fallback_unless_nothing_can_have_been_created(
    make_client: Any, reply: Reply, error: type[Exception]
) -> None:
    served = routes({"POST /order": [reply], "POST /orders": [Reply(201, order("o1"))]})
    with scripted_server(served) as (url, script):
        client = make_client(url)
        with pytest.raises(error):
            await call(client.create_order(REQUEST))
    assert script.count("POST", "/orders") == 0


async def test_when_neither_path_exists_the_first_answer_is_reported(make_client: Any) -> None:
    with scripted_server(routes()) as (url, script):
        client = make_client(url)
        with pytest.raises(APIError) as caught:
            await call(client.create_order(REQUEST))
    assert caught.value.status_code == 404
    assert "/order:" in str(caught.value)
    assert script.count("POST", "/order") == 1 and script.count("POST", "/orders") == 1


async def test_a_filter_on_a_tuple_items_queryable_is_a_validation_error(
    make_client: Any,
) -> None:
    """Issue 12's crash: Planet-like queryables with ``items: [...]`` through the client."""
    from tests.models.corpus import document

    planet = {**PRODUCT, "constraints": document("planet_like_queryables")}
    served = {"GET /": [STAT_LANDING], "GET /products/p1": [Reply(200, planet)]}
    with scripted_server(served) as (url, script):
        client = make_client(url)
        bad = {**REQUEST, "filter": {"op": "=", "args": [{"property": "constellations"}, 5]}}
        with pytest.raises(ValidationError) as caught:
            await call(client.create_order(bad))
    assert caught.value.field == "filter.args[1]"
    assert not [s for s in script.seen if s.method == "POST"]
