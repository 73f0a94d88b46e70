"""Garbage in never gives a 500: every bad input gets a 4xx with the error body."""

from __future__ import annotations

import json

import httpx
import pytest

from .bodies import order_body

GOOD = order_body()

RAW_BODIES: dict[str, bytes] = {
    "empty": b"",
    "not json": b"{datetime: 1",
    "truncated": json.dumps(GOOD).encode()[:-5],
    "json array": b"[]",
    "json null": b"null",
    "json number": b"42",
    "json string": b'"order"',
    "binary": bytes(range(256)),
    "bad utf-8": b'{"datetime": "\xff\xfe"}',
    "nan everywhere": b'{"datetime": NaN, "product_id": NaN, "geometry": NaN, "filter": NaN}',
    "infinity coordinate": (
        b'{"datetime": "2025-06-01T00:00:00Z/P1D", "product_id": "optical-vhr",'
        b' "geometry": {"type": "Point", "coordinates": [Infinity, -Infinity]}}'
    ),
    "huge integer": b'{"datetime": 1' + b"0" * 5000 + b"}",
    "deep nesting": b'{"geometry": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    # Kept shallow: cql2's validator is super-linear in depth (300 levels take ~35 s).
    "deep filter": json.dumps(order_body(filter="FILTER"))
    .replace('"FILTER"', '{"op": "not", "args": [' * 30 + "[]" + "]}" * 30)
    .encode(),
    "duplicate keys": b'{"product_id": "optical-vhr", "product_id": 5}',
}

JSON_BODIES: dict[str, object] = {
    "missing fields": {"product_id": "optical-vhr"},
    "all null": {"datetime": None, "product_id": None, "geometry": None, "filter": None},
    "wrong types": {"datetime": 5, "product_id": 3.5, "geometry": [1, 2], "filter": "x"},
    "strings where objects go": order_body(geometry="a polygon", filter="cloud < 5"),
    "objects where strings go": order_body(datetime={"start": 1}, product_id={"id": "x"}),
    "booleans": order_body(datetime=True, product_id=False, geometry=True),
    "huge numbers": order_body(geometry={"type": "Point", "coordinates": [1e308, -1e308]}),
    "huge exponent": order_body(
        filter={"op": "<", "args": [{"property": "eo:cloud_cover"}, 1e308]}
    ),
    "nested geometry garbage": order_body(
        geometry={"type": "Polygon", "coordinates": [[["a", "b"], [None, {}], [[], []]]]}
    ),
    "geometry collection": order_body(
        geometry={"type": "GeometryCollection", "geometries": [{"type": "Point"}]}
    ),
    "feature collection of garbage": order_body(
        geometry={"type": "FeatureCollection", "features": [1, None, {"type": "Feature"}]}
    ),
    "empty polygon": order_body(geometry={"type": "Polygon", "coordinates": []}),
    "ring of one point": order_body(geometry={"type": "Polygon", "coordinates": [[[1, 2]]]}),
    "bad reference": order_body(geometry={"$ref": {"nested": True}}),
    "unknown op": order_body(filter={"op": "frobnicate", "args": [1, 2]}),
    "args not a list": order_body(filter={"op": "<", "args": {"a": 1}}),
    "property not a string": order_body(filter={"op": "<", "args": [{"property": 5}, 1]}),
    "interval garbage": order_body(datetime="yesterday/tomorrow"),
    "interval with year 0": order_body(datetime="0000-01-01T00:00:00Z/P1D"),
    "interval with huge duration": order_body(datetime="2025-01-01T00:00:00Z/P99999999Y"),
    "control characters": order_body(product_id="optical\x00vhr\n"),
    "very long product id": order_body(product_id="p" * 100_000),
    "emoji": order_body(product_id="🛰️", datetime="🕒"),
    "whitespace product": order_body(product_id="   "),
}


def _assert_client_error(response: httpx.Response) -> None:
    assert response.status_code < 500, response.text[:500]
    assert response.status_code >= 400
    body = response.json()
    assert set(body) == {"code", "detail", "errors"}
    assert all(set(error) == {"field", "message"} for error in body["errors"])


@pytest.mark.parametrize("name", RAW_BODIES, ids=list(RAW_BODIES))
def test_raw_garbage_bodies(stat_url: str, name: str) -> None:
    response = httpx.post(
        f"{stat_url}/order", content=RAW_BODIES[name], headers={"Content-Type": "application/json"}
    )
    _assert_client_error(response)


@pytest.mark.parametrize("name", JSON_BODIES, ids=list(JSON_BODIES))
def test_json_garbage_bodies(stat_url: str, name: str) -> None:
    _assert_client_error(httpx.post(f"{stat_url}/order", json=JSON_BODIES[name]))


def test_oversized_body_is_413(stat_url: str) -> None:
    response = httpx.post(f"{stat_url}/order", content=b" " * (6 * 1024 * 1024))
    assert response.status_code == 413
    _assert_client_error(response)


@pytest.mark.parametrize(
    "query",
    [
        {"limit": "abc"},
        {"limit": "0"},
        {"limit": "-5"},
        {"limit": "1001"},
        {"limit": "1e3"},
        {"limit": "9" * 5000},
        {"page": "!!!"},
        {"page": "x" * 10_000},
        {"page": ""},
        {"status": "exploded"},
        {"status": "x" * 5000},
    ],
)
def test_garbage_query_parameters(stat_url: str, query: dict[str, str]) -> None:
    response = httpx.get(f"{stat_url}/orders", params=query)
    assert response.status_code == 400
    _assert_client_error(response)
    assert response.json()["errors"][0]["field"] == next(iter(query))


@pytest.mark.parametrize("key", ["", " ", "k" * 300, "bad\x7fkey"])
def test_garbage_idempotency_keys(stat_url: str, key: str) -> None:
    try:
        response = httpx.post(f"{stat_url}/order", json=GOOD, headers={"Idempotency-Key": key})
    except httpx.LocalProtocolError:  # httpx itself refuses some header values
        return
    assert response.status_code == 400
    _assert_client_error(response)
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"


@pytest.mark.parametrize("order_id", ["x" * 5000, "%00", "..%2F..%2Fetc", "' OR 1=1 --"])
def test_garbage_order_ids(stat_url: str, order_id: str) -> None:
    response = httpx.get(f"{stat_url}/order/{order_id}")
    assert response.status_code == 404
    _assert_client_error(response)
