"""``pages()``, the client's one loop over ``next`` links (``orders()`` reads through it too),
sync and async: from the first page or from any page's link, lazily, filters applied the way
each dialect allows, and a link back to a page already read stopping it."""

from __future__ import annotations

from typing import Any

import pytest

from stat_widgets.errors import InvalidResponseError

from .conftest import collect
from .faults import scripted_server
from .stapi_server import AOI, Backend, run_stapi_server
from .test_faults import page


async def test_pages_follow_next_links_and_orders_reads_the_same(make_client: Any) -> None:
    routes = {
        "GET /orders": [page(["a", "b"], "{base}/orders?page=2")] * 2,
        "GET /orders?page=2": [page(["c", "d"], "{base}/orders?page=3")] * 3,
        "GET /orders?page=3": [page(["e"], None)] * 3,
    }
    with scripted_server(routes) as (url, script):
        client = make_client(url, dialect="stat")
        pages = await collect(client.pages(limit=2))
        assert [[o.id for o in p.orders] for p in pages] == [["a", "b"], ["c", "d"], ["e"]]
        assert [o.id for o in await collect(client.orders(limit=2))] == list("abcde")
        # from a page's own link: the pages from there on, the first never asked for
        resumed = await collect(client.pages(start=pages[0].next))
        assert [[o.id for o in p.orders] for p in resumed] == [["c", "d"], ["e"]]
    firsts = [s.path for s in script.seen if s.path.startswith("/orders") and "page" not in s.path]
    assert firsts == ["/orders?limit=2"] * 2  # pages() and orders(); never for the resumed one


async def test_pages_are_read_lazily(make_client: Any) -> None:
    routes = {
        "GET /orders": [page(["a"], "{base}/orders?page=2")],
        "GET /orders?page=2": [page(["b"], None)],
    }
    with scripted_server(routes) as (url, script):
        client = make_client(url, dialect="stat")
        pages = client.pages()
        if hasattr(pages, "__anext__"):
            first = await pages.__anext__()
            await pages.aclose()
        else:
            first = next(pages)
            pages.close()
        assert [o.id for o in first.orders] == ["a"]
    assert not any("page=2" in s.path for s in script.seen)


async def test_a_link_back_stops_pages_with_an_error(make_client: Any) -> None:
    routes = {
        "GET /orders": [page(["a"], "{base}/orders?page=2")],
        "GET /orders?page=2": [page(["b"], "{base}/orders")],
    }
    with scripted_server(routes) as (url, _script):
        client = make_client(url, dialect="stat")
        with pytest.raises(InvalidResponseError, match="already seen"):
            await collect(client.pages())


async def test_stapi_pages_are_filtered_here_and_claim_no_total(make_client: Any) -> None:
    backend = Backend()
    ids = backend.add_many(12)
    for order_id in ids[::4]:
        backend.set_status(order_id, "completed")
    with run_stapi_server(backend) as (url, _backend):
        client = make_client(url)
        pages = await collect(client.pages(limit=5, status="completed"))
        assert [len(p.orders) for p in pages] == [2, 1, 0]  # ids 0, 4 | 8 | none of 10, 11
        assert all(p.number_matched is None for p in pages)
        assert [o.id for p in pages for o in p.orders] == ids[::4]
        unfiltered = await collect(client.pages(limit=5))
        assert [p.number_matched for p in unfiltered] == [12, 12, 12]
        assert AOI == unfiltered[0].orders[0].request.geometry
