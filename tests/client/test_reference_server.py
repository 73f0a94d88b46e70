"""The client against the real reference server (STAT draft dialect), sync and async."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from stat_widgets.client import AsyncStatClient, StatClient
from stat_widgets.errors import (
    ConflictError,
    NotFoundError,
    RemoteValidationError,
    UnauthorizedError,
    ValidationError,
)
from stat_widgets.models import Order, OrderRequest, OrderStatus, StatusRecord, bbox_geometry

from .conftest import call, collect
from .faults import dropping_proxy

PRODUCT = "optical-vhr"
#: Next year: the server refuses intervals that have already ended.
YEAR = datetime.now(UTC).year + 1
INTERVAL = f"{YEAR}-06-01T00:00:00Z/{YEAR}-06-08T00:00:00Z"


def request_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "datetime": INTERVAL,
        "product_id": PRODUCT,
        "geometry": bbox_geometry(10.0, 50.0, 10.05, 50.05),
    }
    body.update(overrides)
    return body


def count_orders(url: str, **kwargs: Any) -> int:
    with StatClient(url, **kwargs) as client:
        return client.orders_page(limit=1).number_matched or 0


async def fill(url: str, count: int) -> None:
    """``count`` orders over real HTTP, eight at a time (the server takes ~45 ms per POST)."""
    gate = asyncio.Semaphore(8)
    async with AsyncStatClient(url) as client:

        async def one(i: int) -> None:
            west = 10.0 + (i % 100) * 0.01
            async with gate:
                await client.create_order(
                    request_body(geometry=bbox_geometry(west, 50.0, west + 0.005, 50.005))
                )

        await asyncio.gather(*(one(i) for i in range(count)))


@pytest.fixture(scope="module")
def thousand() -> Iterator[str]:
    """A reference server holding exactly 1,000 orders."""
    from stat_widgets.server import run_in_thread

    server = run_in_thread()
    try:
        asyncio.run(fill(server.url, 1000))
        yield server.url
    finally:
        server.stop()


async def test_detects_the_stat_dialect(make_client: Any, stat_url: str) -> None:
    client = make_client(stat_url)
    landing = await call(client.landing())
    assert "conformsTo" in landing
    if isinstance(client, StatClient):
        assert client.dialect == "stat"
    else:
        assert await client.detect() == "stat"
        assert client.dialect == "stat"


async def test_products_and_one_product_with_constraints(make_client: Any, stat_url: str) -> None:
    client = make_client(stat_url)
    products = await call(client.products())
    ids = [p.id for p in products]
    assert PRODUCT in ids and len(ids) == len(set(ids))
    one = await call(client.product(PRODUCT))
    assert one.id == PRODUCT
    assert one.constraints["type"] == "object"
    assert "eo:cloud_cover" in one.fields
    assert one == next(p for p in products if p.id == PRODUCT)
    assert all(link.href.startswith("http://127.0.0.1") for link in one.links)


async def test_unknown_product_is_not_found(make_client: Any, stat_url: str) -> None:
    client = make_client(stat_url)
    with pytest.raises(NotFoundError) as caught:
        await call(client.product("no-such-product"))
    assert caught.value.status_code == 404
    assert "no-such-product" in str(caught.value)


async def test_create_get_and_statuses(make_client: Any, stat_url: str) -> None:
    client = make_client(stat_url)
    flt = {"op": "<=", "args": [{"property": "eo:cloud_cover"}, 20]}
    created = await call(client.create_order(request_body(filter=flt)))
    assert isinstance(created, Order)
    assert created.status == OrderStatus.RECEIVED
    assert created.request is not None and created.request.filter == flt
    fetched = await call(client.order(created.id))
    assert fetched.id == created.id and fetched.product_id == PRODUCT
    history = await call(client.order_statuses(created.id))
    assert history and all(isinstance(r, StatusRecord) for r in history)
    assert history[0].status == OrderStatus.RECEIVED


async def test_accepts_an_order_request_model(make_client: Any, stat_url: str) -> None:
    client = make_client(stat_url)
    model = OrderRequest.from_input(request_body())
    created = await call(client.create_order(model))
    assert created.request == model


async def test_local_validation_sends_nothing(make_client: Any, make_stat_server: Any) -> None:
    server = make_stat_server()
    client = make_client(server.url)
    bad_filter = {"op": "<=", "args": [{"property": "no:such"}, 1]}
    with pytest.raises(ValidationError) as caught:
        await call(client.create_order(request_body(filter=bad_filter)))
    assert not isinstance(caught.value, RemoteValidationError)
    assert caught.value.field.startswith("filter")
    with pytest.raises(ValidationError) as caught:
        await call(client.create_order(request_body(product_id="nope")))
    assert caught.value.field == "product_id"
    with pytest.raises(ValidationError) as caught:
        await call(client.create_order(request_body(datetime="next week")))
    assert caught.value.field == "datetime"
    assert count_orders(server.url) == 0


async def test_remote_validation_error_has_the_servers_field(
    make_client: Any, stat_url: str
) -> None:
    client = make_client(stat_url)
    with pytest.raises(RemoteValidationError) as caught:
        await call(client.create_order(request_body(), idempotency_key="x" * 1000))
    assert caught.value.field == "Idempotency-Key"
    assert caught.value.status_code == 400
    assert isinstance(caught.value, ValidationError)


async def test_idempotency_key_replays_and_conflicts(make_client: Any, stat_url: str) -> None:
    client = make_client(stat_url)
    key = str(uuid.uuid4())
    first = await call(client.create_order(request_body(), idempotency_key=key))
    again = await call(client.create_order(request_body(), idempotency_key=key))
    assert again.id == first.id
    other = request_body(geometry=bbox_geometry(11.0, 50.0, 11.05, 50.05))
    with pytest.raises(ConflictError) as caught:
        await call(client.create_order(other, idempotency_key=key))
    assert caught.value.status_code == 409


async def test_unauthorised_and_token_use(make_client: Any, make_stat_server: Any) -> None:
    server = make_stat_server(tokens={"alice-token-0123456789": "alice"})
    with pytest.raises(UnauthorizedError):
        await call(make_client(server.url).orders_page())
    with pytest.raises(UnauthorizedError) as caught:
        await call(make_client(server.url, token="wrong-token-9876543210").orders_page())
    assert caught.value.status_code == 401
    client = make_client(server.url, token="alice-token-0123456789")
    created = await call(client.create_order(request_body()))
    assert created.user == "alice"


async def test_retry_after_a_dropped_response_creates_one_order(
    make_client: Any, make_stat_server: Any
) -> None:
    server = make_stat_server()
    drop_first_post = lambda method, path, n: method == "POST" and n == 0  # noqa: E731
    with dropping_proxy(server.url, drop_first_post) as (proxy_url, log):
        client = make_client(proxy_url)
        created = await call(client.create_order(request_body()))
    assert log.dropped == [("POST", "/order")]
    assert log.forwarded.count(("POST", "/order")) == 1
    with StatClient(server.url) as direct:
        orders = list(direct.orders())
    assert [o.id for o in orders] == [created.id]


async def test_pages_through_1000_orders_in_pages_of_50(make_client: Any, thousand: str) -> None:
    client = make_client(thousand)
    orders = await collect(client.orders(limit=50))
    ids = [o.id for o in orders]
    assert len(ids) == 1000
    assert len(set(ids)) == 1000
    pages, link = 0, None
    while True:
        page = await call(client.orders_page(link, limit=50))
        pages += 1
        assert len(page.orders) == 50 and page.number_matched == 1000
        link = page.next
        if link is None:
            break
    assert pages == 20


async def test_orders_iterator_is_lazy(make_client: Any, thousand: str) -> None:
    client = make_client(thousand)
    iterator = client.orders(limit=50)
    if isinstance(client, StatClient):
        first = [next(iterator) for _ in range(3)]
    else:
        first = [await iterator.__anext__() for _ in range(3)]
        await iterator.aclose()
    assert len({o.id for o in first}) == 3
