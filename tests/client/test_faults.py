"""Every error type, from small fault-injecting servers on 127.0.0.1 (sync and async)."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from stat_widgets.client import StatClient
from stat_widgets.errors import (
    APIError,
    InvalidResponseError,
    NotFoundError,
    ServerError,
    StatError,
    TimeoutError,
    TransportError,
    UnauthorizedError,
)

from .conftest import call, collect
from .faults import Reply, dropping_proxy, refused_url, scripted_server, silent_server
from .stapi_server import AOI, run_stapi_server

STAT_LANDING = Reply(
    200,
    {
        "id": "fake",
        "conformsTo": ["https://stat-widgets.dev/spec/stat-order-api/draft-2024-04/core"],
        "links": [],
    },
)
TOKEN = "s3cret-token-DO-NOT-LEAK"


def order(order_id: str) -> dict[str, Any]:
    return {
        "id": order_id,
        "user": "u",
        "status": "received",
        "created": "2025-01-01T00:00:00Z",
        "links": [],
    }


def page(ids: list[str], next_href: str | None) -> Reply:
    links = [{"rel": "next", "href": next_href}] if next_href else []
    return Reply(200, {"orders": [order(i) for i in ids], "links": links})


async def test_timeout_is_a_timeout_error(make_client: Any) -> None:
    with silent_server() as url:
        client = make_client(url, timeout=0.3, dialect="stat")
        with pytest.raises(TimeoutError) as caught:
            await call(client.order("x"))
    assert "did not answer in time" in str(caught.value)
    assert isinstance(caught.value, TransportError)


async def test_connection_refused_is_a_transport_error(make_client: Any) -> None:
    url = refused_url()
    client = make_client(url)
    with pytest.raises(TransportError) as caught:
        await call(client.products())
    assert not isinstance(caught.value, TimeoutError)
    assert "could not connect" in str(caught.value)
    assert url.removeprefix("http://") in str(caught.value)


async def test_gateway_errors_are_retried_then_succeed(make_client: Any) -> None:
    routes = {
        "GET /": [STAT_LANDING],
        "GET /products": [Reply(503, "busy"), Reply(502, "bad gw"), Reply(200, {"products": []})],
    }
    with scripted_server(routes) as (url, script):
        products = await call(make_client(url).products())
    assert products == []
    assert script.count("GET", "/products") == 3


async def test_gateway_errors_are_bounded_then_server_error(make_client: Any) -> None:
    routes = {"GET /": [STAT_LANDING], "GET /products": [Reply(503, "down for maintenance")]}
    with scripted_server(routes) as (url, script):
        with pytest.raises(ServerError) as caught:
            await call(make_client(url).products())
    assert script.count("GET", "/products") == 3
    assert caught.value.status_code == 503
    assert "down for maintenance" in str(caught.value)


async def test_500_is_not_retried(make_client: Any) -> None:
    routes = {
        "GET /": [STAT_LANDING],
        "GET /products": [Reply(500, {"code": "ServerError", "detail": "database on fire"})],
    }
    with scripted_server(routes) as (url, script):
        with pytest.raises(ServerError) as caught:
            await call(make_client(url).products())
    assert script.count("GET", "/products") == 1
    assert "database on fire" in str(caught.value)


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (Reply(200, "<html><body>Login page</body></html>", "text/html"), "Login page"),
        (Reply(200, '{"products": [{"id": "a", "tit'), '{"products": [{"id": "a", "tit'),
        (Reply(200, {"items": []}), "items"),
        (Reply(200, {"products": [{"title": "no id"}]}), "no id"),
        (Reply(200, "x" * 5000, "text/plain"), "xxxx"),
    ],
    ids=["html", "truncated", "wrong-shape", "missing-id", "long"],
)
async def test_malformed_bodies_are_invalid_responses(
    make_client: Any, reply: Reply, expected: str
) -> None:
    routes = {"GET /": [STAT_LANDING], "GET /products": [reply]}
    with scripted_server(routes) as (url, _):
        with pytest.raises(InvalidResponseError) as caught:
            await call(make_client(url).products())
    message = str(caught.value)
    assert expected in message
    assert "/products" in message
    assert len(message) < 450  # an excerpt of at most 200 characters, not the whole body


async def test_landing_that_is_not_json_is_an_invalid_response(make_client: Any) -> None:
    routes = {"GET /": [Reply(200, "<!doctype html><title>Portal</title>", "text/html")]}
    with scripted_server(routes) as (url, _):
        with pytest.raises(InvalidResponseError) as caught:
            await call(make_client(url).products())
    assert "Portal" in str(caught.value)


async def test_server_without_discovery_is_taken_as_stat(make_client: Any) -> None:
    with scripted_server({"GET /products": [Reply(200, {"products": []})]}) as (url, script):
        client = make_client(url)
        assert await call(client.products()) == []
    assert client.dialect == "stat"
    assert [s.path for s in script.seen] == ["/", "/conformance", "/products"]


async def test_wrong_shaped_order_is_an_invalid_response(make_client: Any) -> None:
    routes = {"GET /order/a": [Reply(200, {"id": "a", "status": "received"})]}
    with scripted_server(routes) as (url, _):
        with pytest.raises(InvalidResponseError) as caught:
            await call(make_client(url, dialect="stat").order("a"))
    assert "created" in str(caught.value)


@pytest.mark.parametrize(
    "orders_reply",
    [
        Reply(200, {"orders": []}),
        Reply(200, ["not", "an", "object"]),
        Reply(200, {"type": "FeatureCollection", "features": [{"id": "a", "properties": {}}]}),
    ],
    ids=["stat-shape", "list", "feature-without-status"],
)
async def test_wrong_shaped_stapi_orders_are_invalid_responses(
    make_client: Any, orders_reply: Reply
) -> None:
    landing = Reply(200, {"conformsTo": ["https://stapi.example.com/v0.1.0/core"], "links": []})
    with scripted_server({"GET /": [landing], "GET /orders": [orders_reply]}) as (url, _):
        client = make_client(url)
        with pytest.raises(InvalidResponseError, match="FeatureCollection"):
            await collect(client.orders())


async def test_not_found_and_other_status_codes(make_client: Any) -> None:
    routes = {
        "GET /order/gone": [Reply(404, {"code": "NotFound", "detail": "no order 'gone'"})],
        "GET /order/forbidden": [Reply(403, {"detail": "not yours"})],
        "GET /order/teapot": [Reply(418, "I'm a teapot", "text/plain")],
    }
    with scripted_server(routes) as (url, _):
        client = make_client(url, dialect="stat")
        with pytest.raises(NotFoundError, match="no order 'gone'"):
            await call(client.order("gone"))
        with pytest.raises(UnauthorizedError, match="not yours"):
            await call(client.order("forbidden"))
        with pytest.raises(APIError) as caught:
            await call(client.order("teapot"))
    assert caught.value.status_code == 418


async def test_next_link_cycle_stops_with_an_error(make_client: Any) -> None:
    routes = {
        "GET /orders": [page(["a", "b"], "{base}/orders?page=2")],
        "GET /orders?page=2": [page(["c"], "{base}/orders")],
    }
    with scripted_server(routes) as (url, script):
        client = make_client(url, dialect="stat")
        seen: list[str] = []
        with pytest.raises(InvalidResponseError, match="already seen"):
            iterator = client.orders()
            if isinstance(client, StatClient):
                for item in iterator:
                    seen.append(item.id)
            else:
                async for item in iterator:
                    seen.append(item.id)
    assert seen == ["a", "b", "c"]
    assert script.count("GET", "/orders") == 2  # never asked for page 1 a second time


async def test_next_links_are_followed_exactly_as_given(make_client: Any) -> None:
    next_link = {
        "rel": "next",
        "href": "{base}/orders/search",
        "method": "POST",
        "headers": {"X-Page-Token": "t2"},
        "body": {"next": "t2", "limit": 2},
    }
    routes = {
        "GET /orders": [Reply(200, {"orders": [order("a")], "links": [next_link]})],
        "POST /orders/search": [page(["b"], None)],
    }
    with scripted_server(routes) as (url, script):
        client = make_client(url, dialect="stat")
        orders = await collect(client.orders(limit=1))
    assert [o.id for o in orders] == ["a", "b"]
    posted = next(s for s in script.seen if s.method == "POST")
    assert posted.headers["x-page-token"] == "t2"
    assert posted.body == b'{"next":"t2","limit":2}'
    first = next(s for s in script.seen if s.method == "GET")
    assert first.path == "/orders?limit=1"


async def test_relative_links_resolve_against_the_page_that_carried_them(
    make_client: Any,
) -> None:
    with_links = {
        **order("a"),
        "links": [{"rel": "self", "href": "../order/a"}, {"rel": "product", "href": "/p/x"}],
    }
    routes = {
        "GET /api/orders": [
            Reply(200, {"orders": [with_links], "links": [{"rel": "next", "href": "more"}]})
        ],
        "GET /api/more": [page(["b"], None)],
    }
    with scripted_server(routes) as (url, _):
        orders = await collect(make_client(f"{url}/api/", dialect="stat").orders())
    assert [o.id for o in orders] == ["a", "b"]  # "more" is /api/more, next to /api/orders
    assert orders[0].link("self").href == f"{url}/order/a"
    assert orders[0].link("product").href == f"{url}/p/x"


async def test_an_order_with_a_malformed_link_is_an_invalid_response(make_client: Any) -> None:
    bad = {**order("b"), "links": [{"rel": "self", "href": "http://h/b"}, {"href": "http://h"}]}
    routes = {"GET /orders": [Reply(200, {"orders": [order("a"), bad], "links": []})]}
    with scripted_server(routes) as (url, _):
        client = make_client(url, dialect="stat")
        with pytest.raises(InvalidResponseError) as caught:
            await collect(client.orders())
    assert "link 1 has no rel" in str(caught.value)
    assert "orders" in str(caught.value)


async def test_a_page_with_a_malformed_link_is_an_invalid_response(make_client: Any) -> None:
    routes = {"GET /orders": [Reply(200, {"orders": [order("a")], "links": [{"rel": "next"}]})]}
    with scripted_server(routes) as (url, _):
        client = make_client(url, dialect="stat")
        with pytest.raises(InvalidResponseError) as caught:
            await collect(client.orders())
    assert "link 0 has no href" in str(caught.value)


async def test_token_never_leaks(make_client: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    echo = "{authorization} was rejected"
    routes = {
        "GET /": [STAT_LANDING],
        "GET /products": [Reply(503, echo), Reply(401, {"detail": echo})],
        "GET /order/a": [Reply(500, echo, "text/plain")],
        "GET /order/b": [Reply(422, {"detail": [{"loc": ["query", "x"], "msg": echo}]})],
        "GET /order/c": [Reply(200, echo, "text/plain")],
    }
    errors: list[StatError] = []
    with scripted_server(routes) as (url, script):
        client = make_client(url, token=TOKEN)
        for attempt in (
            client.products,
            lambda: client.order("a"),
            lambda: client.order("b"),
            lambda: client.order("c"),
        ):
            with pytest.raises(StatError) as caught:
                await call(attempt())
            errors.append(caught.value)
    # the server did receive the token, and echoed it back in every error body
    assert all(s.headers.get("authorization") == f"Bearer {TOKEN}" for s in script.seen)
    texts = [repr(client), *(str(e) for e in errors), *(repr(e) for e in errors)]
    texts += [str(getattr(e, "errors", "")) for e in errors]
    texts += [record.getMessage() for record in caplog.records]
    assert "Bearer ***" in str(errors[0]) or "***" in " ".join(texts)
    assert not [text for text in texts if TOKEN in text]
    assert "token=***" in repr(client)


async def test_token_is_not_sent_to_another_origin(make_client: Any) -> None:
    with scripted_server({"GET /elsewhere": [page([], None)]}) as (other, other_script):
        routes = {"GET /orders": [page(["a"], f"{other}/elsewhere")]}
        with scripted_server(routes) as (url, script):
            client = make_client(url, dialect="stat", token=TOKEN)
            orders = await collect(client.orders())
    assert [o.id for o in orders] == ["a"]
    assert script.seen[0].headers.get("authorization") == f"Bearer {TOKEN}"
    assert "authorization" not in other_script.seen[0].headers


async def test_stapi_post_is_not_repeated_after_a_dropped_response(make_client: Any) -> None:
    """stapi-fastapi ignores Idempotency-Key, so a lost answer must not cause a second order."""
    drop_posts = lambda method, path, n: method == "POST"  # noqa: E731
    with (
        run_stapi_server() as (upstream, backend),
        dropping_proxy(upstream, drop_posts) as (
            url,
            log,
        ),
    ):
        client = make_client(url)
        body = {"datetime": "2025-06-01T00:00:00Z/P1D", "product_id": "optical", "geometry": AOI}
        with pytest.raises(TransportError, match="dropped"):
            await call(client.create_order(body))
    assert len(log.dropped) == 1
    assert backend.created_posts == 1


async def test_wrong_shaped_order_in_a_page_is_an_invalid_response(make_client: Any) -> None:
    """Orders of a page are read as they are iterated; a bad one still names the page."""
    good = {"id": "a", "status": "received", "created": "2025-06-01T00:00:00Z", "links": []}
    page = Reply(200, {"orders": [good, {"id": "b", "status": "received"}], "links": []})
    with scripted_server({"GET /orders": [page, page]}) as (url, _):
        client = make_client(url, dialect="stat")
        with pytest.raises(InvalidResponseError, match="/orders") as caught:
            await collect(client.orders())
        assert "created" in str(caught.value)
        with pytest.raises(InvalidResponseError, match="created"):
            await call(client.orders_page())
