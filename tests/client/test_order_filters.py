"""Listing orders by status and product: on the server where it filters (STAT), else page by
page in the client (STAPI), with one meaning (``Order.matches``) either way."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from stat_widgets.models import OrderStatus, bbox_geometry

from .conftest import call, collect
from .stapi_server import Backend, run_stapi_server

#: Next year: the server refuses intervals that have already ended.
YEAR = datetime.now(UTC).year + 1
INTERVAL = f"{YEAR}-06-01T00:00:00Z/{YEAR}-06-08T00:00:00Z"


async def filters_orders(client: Any) -> bool:
    """A property on the sync client, a coroutine method on the async one."""
    flag = client.filters_orders
    return await flag() if callable(flag) else flag


async def test_reference_server_filters_and_its_links_keep_the_filter(
    make_client: Any, make_stat_server: Callable[..., Any]
) -> None:
    server = make_stat_server()
    client = make_client(server.url)
    for i in range(40):
        west = 10 + i * 0.01
        await call(
            client.create_order(
                {
                    "datetime": INTERVAL,
                    "product_id": "sar-x-band" if i % 3 else "optical-vhr",
                    "geometry": bbox_geometry(west, 50, west + 0.005, 50.005),
                }
            )
        )
    server.clock.advance(120)  # past acceptance: some accepted, some rejected
    everything = await collect(client.orders(limit=7))
    counts = Counter(str(o.status) for o in everything)
    assert set(counts) <= {"accepted", "rejected"} and counts["accepted"] > 0
    assert await filters_orders(client) is True

    accepted = await collect(client.orders(limit=7, status="accepted"))
    assert [o.id for o in accepted] == [
        o.id for o in everything if o.status is OrderStatus.ACCEPTED
    ]
    page = await call(client.orders_page(limit=5, status="accepted", product_id="sar-x-band"))
    expected = [o for o in everything if o.matches(status="accepted", product_id="sar-x-band")]
    assert page.number_matched == len(expected)
    assert len(page.orders) == min(5, len(expected))  # full pages: the server filtered
    assert page.next is not None and "status=accepted" in page.next.href
    second = await call(client.orders_page(page.next))  # followed exactly as given
    assert all(o.matches(status="accepted", product_id="sar-x-band") for o in second.orders)


async def test_stapi_server_is_filtered_by_the_client(make_client: Any) -> None:
    with run_stapi_server() as (url, backend):
        backend: Backend
        ids = backend.add_many(30)
        for order_id in ids[::4]:
            backend.set_status(order_id, "accepted")
        client = make_client(url)
        assert await filters_orders(client) is False
        everything = await collect(client.orders(limit=8))
        accepted = await collect(client.orders(limit=8, status="accepted"))
        assert {o.id for o in accepted} == set(ids[::4])
        assert {o.id for o in accepted} == {
            o.id for o in everything if o.status is OrderStatus.ACCEPTED
        }
        page = await call(client.orders_page(limit=8, status="accepted"))
        assert all(o.status is OrderStatus.ACCEPTED for o in page.orders)
        assert page.number_matched is None  # the server's count is of all orders, not these
        assert await collect(client.orders(limit=8, product_id="no-such-product")) == []
