"""Every read is bounded: a gzip bomb, a huge page and a drip-fed answer, each sent by a real
server on 127.0.0.1 to the client (sync and async) and to ``resolve_reference``.

Memory is measured with tracemalloc around the call (the servers send from one reused
buffer, so what is traced is what the client keeps); the deadline is checked to have fired
on time, with a wide margin for a shared machine.
"""

from __future__ import annotations

import gzip
import json
import time
import tracemalloc
import zlib
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest

from stat_widgets.errors import (
    InvalidResponseError,
    TimeoutError,
    TransportError,
    ValidationError,
)
from stat_widgets.models import resolve_reference

from .conftest import call
from .faults import MiB, Reply, dripped, gzip_bomb, head, raw_server, scripted_server, streamed

LIMIT = 1 * MiB
DEFAULT_LIMIT = 32 * MiB


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return gzip_bomb(512)  # 0.53 MB on the wire, 512 MiB inflated


def peak_of(run: Callable[[], Any]) -> tuple[Any, int]:
    """What ``run()`` raised (or returned) and the peak traced memory while it ran."""
    tracemalloc.start()
    try:
        try:
            result: Any = run()
        except Exception as exc:
            result = exc
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


async def apeak_of(run: Callable[[], Awaitable[Any] | Any]) -> tuple[Any, int]:
    tracemalloc.start()
    try:
        try:
            result: Any = await call(run())
        except Exception as exc:
            result = exc
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def bomb_answer(bomb: bytes, status: int = 200, **headers: str) -> Callable:
    return streamed(head(status, len(bomb), Content_Encoding="gzip", **headers), bomb, 1)


@pytest.fixture
def bomb_server(bomb: bytes) -> Iterator[str]:
    with raw_server(bomb_answer(bomb)) as (url, _):
        yield url


# -- the client ---------------------------------------------------------------------------------
async def test_a_gzip_bomb_stops_at_the_limit(make_client: Any, bomb_server: str) -> None:
    client = make_client(bomb_server, dialect="stat", max_response_bytes=LIMIT)
    error, peak = await apeak_of(lambda: client.order("x"))
    assert isinstance(error, InvalidResponseError), error
    assert f"{bomb_server}/order/x" in str(error)
    assert f"larger than {LIMIT:,} bytes (max_response_bytes)" in str(error)
    assert peak < 3 * LIMIT, f"peak {peak / MiB:.1f} MiB for a {LIMIT / MiB:.0f} MiB limit"


CHUNK = b" " * (64 * 1024)
HUGE = {  # 64 MiB of page, sent three ways
    "declared length": streamed(head(200, 64 * MiB), CHUNK, 1024),
    "chunked": streamed(
        head(200, Transfer_Encoding="chunked"), b"10000\r\n" + CHUNK + b"\r\n", 1024
    ),
    "until close": streamed(head(200, Connection="close"), CHUNK, 1024),
}


@pytest.mark.parametrize("framing", list(HUGE))
async def test_a_huge_page_stops_at_the_default_limit(make_client: Any, framing: str) -> None:
    """Read to the default 32 MiB and no further (a declared length over it: not at all)."""
    with raw_server(HUGE[framing]) as (url, _):
        client = make_client(url, dialect="stat")
        error, peak = await apeak_of(lambda: client.orders_page())
    assert isinstance(error, InvalidResponseError), error
    assert f"{url}/orders" in str(error)
    assert f"larger than {DEFAULT_LIMIT:,} bytes" in str(error)
    assert peak < 1.25 * DEFAULT_LIMIT, f"peak {peak / MiB:.1f} MiB"


async def test_an_error_body_is_bounded_too(make_client: Any, bomb: bytes) -> None:
    with raw_server(bomb_answer(bomb, status=500)) as (url, _):
        client = make_client(url, dialect="stat", max_response_bytes=LIMIT)
        error, peak = await apeak_of(lambda: client.order("x"))
    assert isinstance(error, InvalidResponseError), error
    assert peak < 3 * LIMIT


async def test_a_redirect_body_is_never_read(make_client: Any, bomb: bytes) -> None:
    """httpx reads every intermediate body of a redirect in full; ours are closed unread."""
    target = Reply(
        200,
        {
            "id": "x",
            "user": "u",
            "status": "received",
            "created": "2025-01-01T00:00:00Z",
            "links": [],
        },
    )
    with scripted_server({"GET /order/x": [target]}) as (good, _):
        answer = bomb_answer(bomb, status=302, Location=f"{good}/order/x")
        with raw_server(answer) as (url, _):
            client = make_client(url, dialect="stat", max_response_bytes=LIMIT)
            order, peak = await apeak_of(lambda: client.order("x"))
    assert getattr(order, "id", order) == "x"
    assert peak < 3 * LIMIT


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(dripped(head(200, 100_000), b" " * 160, 0.05), id="body"),
        pytest.param(dripped(b"HTTP/1.1 200 OK\r\n", b"X-Slow: " + b"a" * 160, 0.05), id="headers"),
    ],
)
async def test_a_drip_fed_answer_ends_at_the_deadline(make_client: Any, answer: Callable) -> None:
    """One byte every 50 ms: no read ever waits long enough for the 30 s read timeout, but
    the 1 s deadline for the whole request ends it (without it, the answer would break off
    after 8 s with a dropped connection instead)."""
    with raw_server(answer) as (url, heads):
        client = make_client(url, dialect="stat", timeout=30, deadline=1.0)
        started = time.monotonic()
        with pytest.raises(TimeoutError) as caught:
            await call(client.order("x"))
        took = time.monotonic() - started
    assert "within the 1 s deadline" in str(caught.value)
    assert len(heads) == 1  # asked once: a passed deadline is not retried
    assert 0.9 <= took < 5, took


def test_bounds_are_checked_at_construction() -> None:
    from stat_widgets.client import StatClient

    for bad in ({"max_response_bytes": 0}, {"deadline": 0}, {"deadline": "1"}):
        with pytest.raises(ValueError):
            StatClient("http://127.0.0.1:9", **bad)


# -- resolve_reference: the same bounds ---------------------------------------------------------
ALLOW = ("127.0.0.1",)  # the servers here are on loopback, refused unless allowed


def test_a_reference_gzip_bomb_stops_at_the_limit(bomb_server: str) -> None:
    error, peak = peak_of(
        lambda: resolve_reference(f"{bomb_server}/aoi", allow_hosts=ALLOW, max_bytes=LIMIT)
    )
    assert isinstance(error, ValidationError), error
    assert error.field == "geometry.$ref"
    assert f"larger than {LIMIT:,} bytes" in error.message
    assert peak < 3 * LIMIT


@pytest.mark.parametrize("framing", list(HUGE))
def test_a_huge_reference_stops_at_the_default_limit(framing: str) -> None:
    with raw_server(HUGE[framing]) as (url, _):
        error, peak = peak_of(lambda: resolve_reference(f"{url}/aoi", allow_hosts=ALLOW))
    assert isinstance(error, ValidationError), error
    assert f"larger than {DEFAULT_LIMIT:,} bytes" in error.message
    assert peak < 1.25 * DEFAULT_LIMIT


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(dripped(head(200, 100_000), b" " * 160, 0.05), id="body"),
        pytest.param(dripped(b"HTTP/1.1 200 OK\r\n", b"X-Slow: " + b"a" * 160, 0.05), id="headers"),
    ],
)
def test_a_drip_fed_reference_ends_at_the_deadline(answer: Callable) -> None:
    with raw_server(answer) as (url, _):
        started = time.monotonic()
        with pytest.raises(ValidationError) as caught:
            resolve_reference(f"{url}/aoi", allow_hosts=ALLOW, deadline=1.0)
        took = time.monotonic() - started
    assert caught.value.field == "geometry.$ref"
    assert "no complete answer within 1 s" in caught.value.message
    assert 0.9 <= took < 5, took


def test_a_reference_nested_past_any_sense_is_a_validation_error() -> None:
    body = b"[" * 100_000 + b"]" * 100_000
    with raw_server(streamed(head(200, len(body)), body, 1)) as (url, _):
        with pytest.raises(ValidationError) as caught:
            resolve_reference(f"{url}/aoi", allow_hosts=ALLOW)
    assert caught.value.field == "geometry.$ref"
    assert "did not return JSON" in caught.value.message


ORDER = {"id": "x", "user": "u", "status": "received", "created": "2025-01-01T00:00:00Z"}


def _encoded(encoding: str) -> bytes:
    text = json.dumps({**ORDER, "links": []}).encode()
    if encoding == "gzip":
        return gzip.compress(text)
    if encoding == "deflate":
        return zlib.compress(text)
    raw = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)  # "deflate" without a header
    return raw.compress(text) + raw.flush()


@pytest.mark.parametrize(
    ("encoding", "body"),
    [("gzip", "gzip"), ("deflate", "deflate"), ("deflate", "raw deflate")],
)
async def test_encoded_bodies_are_read(make_client: Any, encoding: str, body: str) -> None:
    payload = _encoded(body)
    answer = streamed(head(200, len(payload), Content_Encoding=encoding), payload, 1)
    with raw_server(answer) as (url, _):
        client = make_client(url, dialect="stat")
        order = await call(client.order("x"))
    assert order.id == "x"


@pytest.mark.parametrize(
    ("encoding", "payload", "words"),
    [
        ("gzip", b"\x1f\x8b\x08\x00garbage-not-deflate", "gzip body is corrupt"),
        ("br", b"\x0b\x02\x80{}\x03", "encoded as 'br', which was not asked for"),
    ],
)
async def test_undecodable_bodies_are_invalid_responses(
    make_client: Any, encoding: str, payload: bytes, words: str
) -> None:
    answer = streamed(head(200, len(payload), Content_Encoding=encoding), payload, 1)
    with raw_server(answer) as (url, _):
        client = make_client(url, dialect="stat")
        with pytest.raises(InvalidResponseError) as caught:
            await call(client.order("x"))
    assert words in str(caught.value)
    assert f"{url}/order/x" in str(caught.value)


async def test_a_redirect_loop_ends(make_client: Any) -> None:
    routes = {"GET /order/x": [Reply(302, b"", headers={"Location": "/order/x"})]}
    with scripted_server(routes) as (url, script):
        client = make_client(url, dialect="stat")
        with pytest.raises(TransportError) as caught:
            await call(client.order("x"))
    assert "more than 10 redirects" in str(caught.value)
    assert len(script.seen) == 11
