"""Both texts of the seed on one server: the README's ``POST /order`` and the OpenAPI's
``POST /orders`` create alike (one idempotency scope), stat.yaml's ``filters`` spelling is read,
products carry the ``type`` and ``license`` the OpenAPI requires, and the landing page says where
to create orders."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from stat_widgets.client import StatClient

from .bodies import cloud_filter, order_body


def test_post_orders_creates_like_post_order(stat_url: str) -> None:
    response = httpx.post(f"{stat_url}/orders", json=order_body(filter=cloud_filter(10)))
    assert response.status_code == 201, response.text
    order = response.json()
    assert response.headers["location"] == f"{stat_url}/order/{order['id']}"
    assert order["request"]["filter"] == cloud_filter(10)
    assert httpx.get(response.headers["location"]).json()["id"] == order["id"]
    refused = httpx.post(f"{stat_url}/orders", json=order_body(product_id="nope"))
    assert refused.status_code == 404 and refused.json()["errors"][0]["field"] == "product_id"


def test_one_idempotency_scope_for_both_paths(stat_url: str) -> None:
    headers = {"Idempotency-Key": "both-paths-1"}
    first = httpx.post(f"{stat_url}/order", json=order_body(), headers=headers)
    again = httpx.post(f"{stat_url}/orders", json=order_body(), headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert again.headers["idempotent-replayed"] == "true"


def test_the_openapi_spelling_filters_is_read_as_filter(stat_url: str) -> None:
    body = order_body()
    body["filters"] = cloud_filter(30)
    response = httpx.post(f"{stat_url}/orders", json=body)
    assert response.status_code == 201, response.text
    assert response.json()["request"]["filter"] == cloud_filter(30)
    body["filters"] = cloud_filter(300)
    refused = httpx.post(f"{stat_url}/orders", json=body)
    assert refused.status_code == 422  # as for the README's spelling
    assert refused.json()["errors"][0]["field"] == "filter.args[1]"


def test_products_carry_type_and_license(make_stat_server: Callable[..., Any]) -> None:
    custom = {"id": "mine", "license": "CC-BY-4.0", "constraints": {"properties": {}}}
    server = make_stat_server(products=[custom])
    [product] = httpx.get(f"{server.url}/products").json()["products"]
    assert (product["type"], product["license"]) == ("Product", "CC-BY-4.0")
    demo = httpx.get(f"{make_stat_server().url}/products/optical-vhr").json()
    assert (demo["type"], demo["license"]) == ("Product", "proprietary")


def test_the_landing_page_names_the_create_endpoint_and_the_client_uses_it(
    stat_url: str,
) -> None:
    links = httpx.get(f"{stat_url}/").json()["links"]
    create = next(link for link in links if link["rel"] == "create-order")
    assert (create["href"], create["method"]) == (f"{stat_url}/order", "POST")
    with StatClient(stat_url) as client:
        order = client.create_order(order_body())
        assert client.order(order.id).id == order.id
