"""Bearer-token users, and orders surviving a restart."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from stat_widgets.server import EmbeddedServer, ManualClock

from .bodies import link, order_body

TOKENS = {"token-abc": "alice", "token-xyz": "bob"}


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def secured(make_stat_server: Callable) -> EmbeddedServer:
    return make_stat_server(tokens=TOKENS)


@pytest.mark.parametrize(
    "headers",
    [{}, _auth("wrong"), {"Authorization": "Basic dG9rZW4tYWJj"}, {"Authorization": "Bearer"}],
    ids=["missing", "wrong", "basic", "empty"],
)
def test_missing_or_wrong_token_is_401(secured: EmbeddedServer, headers: dict) -> None:
    for method, path in [("GET", "/orders"), ("POST", "/order"), ("GET", "/order/x")]:
        response = httpx.request(method, f"{secured.url}{path}", headers=headers, json=order_body())
        assert response.status_code == 401, (method, path)
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.json()["code"] == "Unauthorized"


def test_discovery_stays_public(secured: EmbeddedServer) -> None:
    for path in ("/", "/conformance", "/products", "/products/optical-vhr", "/openapi.json"):
        assert httpx.get(f"{secured.url}{path}").status_code == 200, path


def test_each_user_sees_only_their_orders(secured: EmbeddedServer) -> None:
    url = secured.url
    alice = [
        httpx.post(f"{url}/order", json=order_body(), headers=_auth("token-abc")).json()
        for _ in range(3)
    ]
    bob = httpx.post(f"{url}/order", json=order_body(), headers=_auth("token-xyz")).json()
    assert {order["user"] for order in alice} == {"alice"} and bob["user"] == "bob"
    listing = httpx.get(f"{url}/orders", headers=_auth("token-abc")).json()
    assert [o["id"] for o in listing["orders"]] == [o["id"] for o in alice[::-1]]
    assert listing["numberMatched"] == 3
    assert httpx.get(f"{url}/orders", headers=_auth("token-xyz")).json()["numberMatched"] == 1
    # another user's order does not exist for you
    for path in (f"/order/{bob['id']}", f"/order/{bob['id']}/statuses"):
        assert httpx.get(f"{url}{path}", headers=_auth("token-abc")).status_code == 404
        assert httpx.get(f"{url}{path}", headers=_auth("token-xyz")).status_code == 200


def test_without_tokens_everyone_is_anonymous(make_stat_server: Callable) -> None:
    server: EmbeddedServer = make_stat_server()
    created = httpx.post(f"{server.url}/order", json=order_body()).json()
    assert created["user"] == "anonymous"


def test_without_tokens_a_bearer_token_is_refused_not_ignored(make_stat_server: Callable) -> None:
    """The caller believes they act as someone: filing their order under ``anonymous`` (shared
    with everyone who reaches the server) would be a silent surprise."""
    server: EmbeddedServer = make_stat_server()
    for method, path in [("POST", "/order"), ("GET", "/orders"), ("GET", "/stapi/orders")]:
        response = httpx.request(
            method, f"{server.url}{path}", json=order_body(), headers=_auth("whatever")
        )
        assert response.status_code == 400, (path, response.text)
        error = response.json()["errors"][0]
        assert error["field"] == "Authorization"
        assert "runs without users" in error["message"]
    assert httpx.get(f"{server.url}/orders").json()["orders"] == []  # nothing was filed


def test_without_tokens_the_login_a_proxy_passes_on_is_not_refused(
    make_stat_server: Callable,
) -> None:
    """jupyter-server-proxy checks its own ``Authorization`` (the Jupyter token) and passes it
    on with the prefix it serves us under: that is the proxy's login, not a user of ours."""
    server: EmbeddedServer = make_stat_server()
    proxied = {**_auth("jupyter-token"), "X-Forwarded-Prefix": f"/proxy/{server.port}"}
    created = httpx.post(f"{server.url}/order", json=order_body(), headers=proxied)
    assert created.status_code == 201, created.text
    assert created.json()["user"] == "anonymous"
    assert httpx.get(f"{server.url}/stapi/orders", headers=proxied).status_code == 200


def test_orders_survive_a_restart(make_stat_server: Callable, tmp_path: Path) -> None:
    db = tmp_path / "orders.db"
    clock = ManualClock()
    first = make_stat_server(db_path=db, clock=clock)
    created = [httpx.post(f"{first.url}/order", json=order_body()).json() for _ in range(3)]
    page = httpx.get(f"{first.url}/orders", params={"limit": 2}).json()
    token = httpx.URL(link(page, "next")).params["page"]
    first.stop()
    assert not first.running

    second = make_stat_server(db_path=db, clock=clock)
    again = httpx.get(f"{second.url}/order/{created[0]['id']}")
    assert again.status_code == 200
    assert again.json()["request"] == created[0]["request"]
    assert again.json()["created"] == created[0]["created"]
    listing = httpx.get(f"{second.url}/orders").json()
    assert [o["id"] for o in listing["orders"]] == [o["id"] for o in created[::-1]]
    # page tokens stay valid across restarts
    rest = httpx.get(f"{second.url}/orders", params={"limit": 2, "page": token})
    assert rest.status_code == 200
    assert [o["id"] for o in rest.json()["orders"]] == [created[0]["id"]]


def test_a_new_order_after_restart_is_listed_first(
    make_stat_server: Callable, tmp_path: Path
) -> None:
    db = tmp_path / "orders.db"
    first = make_stat_server(db_path=db)
    old = httpx.post(f"{first.url}/order", json=order_body()).json()["id"]
    first.stop()
    second = make_stat_server(db_path=db)
    new = httpx.post(f"{second.url}/order", json=order_body()).json()["id"]
    listing = httpx.get(f"{second.url}/orders").json()
    assert [o["id"] for o in listing["orders"]] == [new, old]
