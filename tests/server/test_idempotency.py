"""Idempotency-Key: a retried POST /order never creates a second order."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx

from stat_widgets.server import EmbeddedServer

from .bodies import YEAR, cloud_filter, order_body


def _post(url: str, body: dict, key: str, token: str | None = None) -> httpx.Response:
    headers = {"Idempotency-Key": key}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return httpx.post(f"{url}/order", json=body, headers=headers)


def test_same_key_same_body_returns_the_same_order(stat_url: str) -> None:
    key = uuid.uuid4().hex
    first = _post(stat_url, order_body(), key)
    again = _post(stat_url, order_body(), key)
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["location"] == first.headers["location"]
    assert "idempotent-replayed" not in first.headers
    assert again.headers["idempotent-replayed"] == "true"


def test_same_request_in_another_spelling_is_the_same_request(stat_url: str) -> None:
    """The comparison is on the validated request, so an equivalent body is a replay."""
    key = uuid.uuid4().hex
    first = _post(stat_url, order_body(datetime=f"{YEAR}-06-01T00:00:00Z/P7D"), key)
    again = _post(
        stat_url, order_body(datetime=f"{YEAR}-06-01T02:00:00+02:00/{YEAR}-06-08T00:00:00Z"), key
    )
    assert again.status_code == 201, again.text
    assert again.json()["id"] == first.json()["id"]


def test_same_key_different_body_is_409_naming_the_key(stat_url: str) -> None:
    key = uuid.uuid4().hex
    assert _post(stat_url, order_body(), key).status_code == 201
    conflict = _post(stat_url, order_body(filter=cloud_filter(10)), key)
    assert conflict.status_code == 409
    body = conflict.json()
    assert body["code"] == "Conflict"
    assert body["errors"][0]["field"] == "Idempotency-Key"
    assert key in body["errors"][0]["message"]


def test_invalid_request_with_a_key_does_not_burn_the_key(stat_url: str) -> None:
    key = uuid.uuid4().hex
    assert _post(stat_url, order_body(datetime="nonsense"), key).status_code == 422
    assert _post(stat_url, order_body(), key).status_code == 201


def test_without_a_key_every_post_creates_an_order(make_stat_server: Callable) -> None:
    server: EmbeddedServer = make_stat_server()
    for _ in range(2):
        assert httpx.post(f"{server.url}/order", json=order_body()).status_code == 201
    assert httpx.get(f"{server.url}/orders").json()["numberMatched"] == 2


def test_concurrent_identical_requests_create_one_order(make_stat_server: Callable) -> None:
    server: EmbeddedServer = make_stat_server()
    key = uuid.uuid4().hex
    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(lambda _: _post(server.url, order_body(), key), range(16)))
    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["id"] for r in responses}) == 1
    assert httpx.get(f"{server.url}/orders").json()["numberMatched"] == 1


def test_keys_are_scoped_per_user(make_stat_server: Callable) -> None:
    server: EmbeddedServer = make_stat_server(tokens={"ta": "alice", "tb": "bob"})
    key = "shared-key"
    alice = _post(server.url, order_body(), key, "ta")
    bob = _post(server.url, order_body(filter=cloud_filter(5)), key, "tb")
    assert alice.status_code == bob.status_code == 201
    assert alice.json()["id"] != bob.json()["id"]
    assert bob.json()["user"] == "bob"
