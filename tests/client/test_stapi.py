"""The client against a real stapi-fastapi 0.8.0 server (STAPI v0.1.0 dialect), sync and async."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from stat_widgets.client import StatClient
from stat_widgets.errors import NotFoundError, RemoteValidationError, ValidationError
from stat_widgets.models import Order, OrderStatus, StatusRecord

from .conftest import call, collect
from .stapi_server import AOI, Backend, run_stapi_server

INTERVAL = "2025-06-01T00:00:00Z/2025-06-08T00:00:00Z"


def body(**overrides: Any) -> dict[str, Any]:
    data = {"datetime": INTERVAL, "product_id": "optical", "geometry": AOI}
    data.update(overrides)
    return data


@pytest.fixture
def fresh() -> Iterator[tuple[str, Backend]]:
    """A server of its own, for tests that count what reached the backend."""
    with run_stapi_server() as served:
        yield served


@pytest.fixture(scope="module")
def hundred_twenty() -> Iterator[tuple[str, Backend]]:
    with run_stapi_server() as (url, backend):
        backend.add_many(120)
        yield url, backend


async def test_detects_stapi(make_client: Any, stapi: tuple[str, Backend]) -> None:
    client = make_client(stapi[0])
    landing = await call(client.landing())
    assert "https://stapi.example.com/v0.1.0/core" in landing["conformsTo"]
    detected = client.dialect if isinstance(client, StatClient) else await client.detect()
    assert detected == "stapi"


async def test_products_carry_queryables_and_order_parameters(
    make_client: Any, stapi: tuple[str, Backend]
) -> None:
    client = make_client(stapi[0])
    products = {p.id: p for p in await call(client.products())}
    assert set(products) == {"optical", "radar", "brief"}
    optical = await call(client.product("optical"))
    assert optical.constraints["properties"]["off_nadir"]["maximum"] == 45
    assert optical.order_parameters["properties"]["delivery"]["default"] == "standard"
    assert optical.geometry_types == {"Polygon", "MultiPolygon"}
    assert products["radar"].accepts_points
    assert products["radar"].order_parameters["properties"] == {}
    assert optical.title == "Optical 50 cm" and "test" in optical.keywords


async def test_unknown_product_and_order(make_client: Any, stapi: tuple[str, Backend]) -> None:
    client = make_client(stapi[0])
    with pytest.raises(NotFoundError):
        await call(client.product("nope"))
    with pytest.raises(NotFoundError, match="Order not found"):
        await call(client.order("no-such-order"))
    with pytest.raises(ValidationError) as caught:
        await call(client.create_order(body(product_id="nope")))
    assert caught.value.field == "product_id"


async def test_create_with_filter_and_default_parameters(
    make_client: Any, fresh: tuple[str, Backend]
) -> None:
    url, backend = fresh
    client = make_client(url)
    flt = {"op": "<=", "args": [{"property": "off_nadir"}, 30]}
    created = await call(client.create_order(body(filter=flt)))
    assert isinstance(created, Order)
    assert created.status == OrderStatus.RECEIVED and created.product_id == "optical"
    stored = backend.orders[created.id].properties
    assert stored.order_parameters == {"delivery": "standard"}
    assert stored.search_parameters.filter == flt
    assert created.request is not None and created.request.filter == flt
    radar = await call(client.create_order(body(product_id="radar")))
    assert backend.orders[radar.id].properties.order_parameters == {}
    fetched = await call(client.order(created.id))
    assert fetched.id == created.id and fetched.request == created.request


async def test_order_parameters_given_and_checked(
    make_client: Any, fresh: tuple[str, Backend]
) -> None:
    url, backend = fresh
    client = make_client(url)
    express = await call(client.create_order(body(), order_parameters={"delivery": "express"}))
    assert backend.orders[express.id].properties.order_parameters == {"delivery": "express"}
    with pytest.raises(ValidationError) as caught:
        await call(client.create_order(body(product_id="brief")))
    assert caught.value.field == "order_parameters.contact"
    with pytest.raises(ValidationError) as caught:
        await call(client.create_order(body(), order_parameters={"colour": "red"}))
    assert caught.value.field == "order_parameters.colour"
    with pytest.raises(ValidationError) as caught:
        await call(client.create_order(body(), order_parameters={"delivery": "overnight"}))
    assert caught.value.field == "order_parameters.delivery"
    assert not isinstance(caught.value, RemoteValidationError)  # refused before sending
    assert backend.created_posts == 1  # nothing invalid was sent


async def test_server_side_refusal_maps_to_the_field(
    make_client: Any, fresh: tuple[str, Backend]
) -> None:
    """What only the server knows (here: a schema the client was given without its enum) comes
    back as a RemoteValidationError on the same field path."""
    url, _backend = fresh
    client = make_client(url)
    product = await call(client.product("optical"))
    product.order_parameters["properties"]["delivery"].pop("enum")
    client._core._products["optical"] = product
    with pytest.raises(RemoteValidationError) as remote:
        await call(client.create_order(body(), order_parameters={"delivery": "overnight"}))
    assert remote.value.field == "order_parameters.delivery"
    assert remote.value.status_code == 422


async def test_open_interval_is_refused_before_sending(
    make_client: Any, fresh: tuple[str, Backend]
) -> None:
    url, backend = fresh
    client = make_client(url)
    with pytest.raises(ValidationError) as caught:
        await call(client.create_order(body(datetime="2025-06-01T00:00:00Z/..")))
    assert caught.value.field == "datetime"
    assert "closed interval" in caught.value.message
    assert backend.created_posts == 0


async def test_json_reference_is_resolved_before_posting(
    make_client: Any, fresh: tuple[str, Backend]
) -> None:
    url, backend = fresh
    client = make_client(url)
    created = await call(client.create_order(body(geometry={"$ref": f"{url}/files/aoi.geojson"})))
    sent = backend.orders[created.id].properties.search_parameters.geometry
    assert sent.model_dump(mode="json") == AOI


async def test_json_reference_that_cannot_resolve_says_why(
    make_client: Any, fresh: tuple[str, Backend]
) -> None:
    url, backend = fresh
    client = make_client(url)
    with pytest.raises(ValidationError) as caught:
        await call(client.create_order(body(geometry={"$ref": f"{url}/files/missing.json"})))
    assert caught.value.field.startswith("geometry")
    assert "404" in caught.value.message
    assert backend.created_posts == 0


@pytest.mark.filterwarnings("ignore::UserWarning")  # the server serialises a legacy code
async def test_statuses_history_and_canceled_spelling(
    make_client: Any, fresh: tuple[str, Backend]
) -> None:
    url, backend = fresh
    client = make_client(url)
    created = await call(client.create_order(body()))
    for code in ["accepted", "scheduled", "tasked", "processing"] * 3:
        backend.set_status(created.id, code)
    backend.set_status(created.id, "canceled", reason="user asked")
    history = await call(client.order_statuses(created.id))
    assert all(isinstance(record, StatusRecord) for record in history)
    assert len(history) == 14  # more than stapi-fastapi's page of 10: the next link was followed
    assert history[0].status == OrderStatus.RECEIVED
    assert history[-1].status == OrderStatus.CANCELLED
    assert history[-1].reason_text == "user asked"
    assert (await call(client.order(created.id))).status == OrderStatus.CANCELLED
    backend.set_status(created.id, "cancelled")
    assert (await call(client.order(created.id))).status == OrderStatus.CANCELLED


async def test_pages_through_120_orders_in_pages_of_50(
    make_client: Any, hundred_twenty: tuple[str, Backend]
) -> None:
    url, backend = hundred_twenty
    client = make_client(url)
    orders = await collect(client.orders(limit=50))
    ids = [o.id for o in orders]
    assert len(ids) == 120 and len(set(ids)) == 120
    assert set(ids) == set(backend.orders)
    sizes, link = [], None
    while True:
        page = await call(client.orders_page(link, limit=50))
        sizes.append(len(page.orders))
        assert page.number_matched == 120
        link = page.next
        if link is None:
            break
    assert sizes == [50, 50, 20]
