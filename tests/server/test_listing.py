"""GET /orders: keyset pages, links, filters."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable

import httpx
import pytest

from stat_widgets.models import OrdersPage
from stat_widgets.server import EmbeddedServer

from .bodies import link, order_body


def _create(client: httpx.Client, count: int, **overrides: object) -> list[str]:
    ids = []
    for _ in range(count):
        response = client.post("/order", json=order_body(**overrides))
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    return ids


@pytest.fixture(scope="module")
def paged_server() -> EmbeddedServer:
    """250 orders, created once for the module's read-only tests."""
    from stat_widgets.server import ManualClock, run_in_thread

    server = run_in_thread(clock=ManualClock())
    with httpx.Client(base_url=server.url) as client:
        server.ids = _create(client, 250)  # type: ignore[attr-defined]
    yield server
    server.stop()


def test_forward_then_back_sees_every_order_once(paged_server: EmbeddedServer) -> None:
    created = paged_server.ids  # type: ignore[attr-defined]
    seen: list[str] = []
    pages: list[dict] = []
    url: str | None = f"{paged_server.url}/orders?limit=30"
    with httpx.Client() as client:
        while url:
            page = client.get(url).json()
            OrdersPage.model_validate(page)
            pages.append(page)
            seen += [order["id"] for order in page["orders"]]
            assert page["numberMatched"] == 250
            url = link(page, "next")
        assert seen == created[::-1]  # newest first, none missing, no duplicate
        assert [len(p["orders"]) for p in pages] == [30] * 8 + [10]
        assert link(pages[0], "prev") is None
        assert all(link(p, "prev") for p in pages[1:])
        # back from the last page via prev: the same pages in reverse
        back: list[list[str]] = []
        url = link(pages[-1], "prev")
        while url:
            page = client.get(url).json()
            back.append([order["id"] for order in page["orders"]])
            url = link(page, "prev")
        assert back == [[o["id"] for o in p["orders"]] for p in pages[-2::-1]]


def test_links_are_absolute_json_and_carry_the_parameters(paged_server: EmbeddedServer) -> None:
    page = httpx.get(f"{paged_server.url}/orders", params={"limit": 7}).json()
    rels = {item["rel"] for item in page["links"]}
    assert {"self", "first", "next"} <= rels and "prev" not in rels
    for item in page["links"]:
        assert item["href"].startswith(f"{paged_server.url}/")
        assert item["type"] == "application/json"
    assert "limit=7" in link(page, "next")
    assert "limit=7" in link(page, "first") and "page=" not in link(page, "first")
    second = httpx.get(link(page, "next")).json()
    assert link(second, "self") == link(page, "next")
    first_again = httpx.get(link(second, "first")).json()
    assert first_again["orders"] == page["orders"]


def test_default_and_maximum_limit(paged_server: EmbeddedServer) -> None:
    assert len(httpx.get(f"{paged_server.url}/orders").json()["orders"]) == 20
    everything = httpx.get(f"{paged_server.url}/orders", params={"limit": 1000}).json()
    assert len(everything["orders"]) == 250
    assert link(everything, "next") is None and link(everything, "prev") is None


@pytest.mark.parametrize("limit", ["0", "1001", "ten", "2.5"])
def test_bad_limit_is_400_naming_limit(stat_url: str, limit: str) -> None:
    response = httpx.get(f"{stat_url}/orders", params={"limit": limit})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "limit"


def test_tampered_page_token_is_400_naming_page(paged_server: EmbeddedServer) -> None:
    page = httpx.get(f"{paged_server.url}/orders").json()
    token = httpx.URL(link(page, "next")).params["page"]
    data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    data["s"] += 5  # skip five orders
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")
    for bad in (forged, token[:-3], "garbage"):
        response = httpx.get(f"{paged_server.url}/orders", params={"page": bad})
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "page"


def test_pages_stay_stable_under_concurrent_inserts(make_stat_server: Callable) -> None:
    """A writer thread inserts all the time, and the reader also inserts between every two
    pages (so interleaving is guaranteed): every order that existed when paging started is
    seen exactly once, in order."""
    server: EmbeddedServer = make_stat_server()
    with httpx.Client(base_url=server.url) as client:
        existing = _create(client, 120)
    stop = threading.Event()
    inserted: list[str] = []

    def insert_until_stopped() -> None:
        with httpx.Client(base_url=server.url) as writer:
            while not stop.is_set():
                inserted.extend(_create(writer, 1))

    writer = threading.Thread(target=insert_until_stopped)
    writer.start()
    seen: list[str] = []
    try:
        with httpx.Client(base_url=server.url) as reader:
            url: str | None = "/orders?limit=10"
            while url:
                page = reader.get(url).json()
                seen += [order["id"] for order in page["orders"]]
                url = link(page, "next")
                inserted.extend(_create(reader, 1))
    finally:
        stop.set()
        writer.join()
    assert len(seen) == len(set(seen)), "an order was seen twice"
    old = set(existing)
    assert [order_id for order_id in seen if order_id in old] == existing[::-1]
    assert len(inserted) >= 13


def test_filters_by_product_and_status(make_stat_server: Callable) -> None:
    server: EmbeddedServer = make_stat_server()
    with httpx.Client(base_url=server.url) as client:
        optical = _create(client, 5)
        sar = _create(client, 3, product_id="sar-x-band")
        page = client.get("/orders", params={"product_id": "sar-x-band", "limit": 2}).json()
        assert page["numberMatched"] == 3
        assert "product_id=sar-x-band" in link(page, "next")
        rest = client.get(link(page, "next")).json()
        assert [o["id"] for o in page["orders"] + rest["orders"]] == sar[::-1]
        both = client.get("/orders", params={"product_id": "sar-x-band,optical-vhr"}).json()
        assert both["numberMatched"] == 8
        assert client.get("/orders", params={"status": "received"}).json()["numberMatched"] == 8
        assert client.get("/orders", params={"status": "accepted"}).json()["numberMatched"] == 0
        assert client.get("/orders", params={"product_id": "nope"}).json()["orders"] == []
    assert len(optical) == 5
