"""Providers for the browser and pager tests: reference servers and stapi-fastapi servers with
orders at chosen times, so that merged listings can be checked order by order.

Each order's ``created`` is set on the server itself: the reference server's clock is moved to
that time before the order is posted; the STAPI backend is given it. Listings are newest first
on both (the STAPI backend of tests/client lists in insertion order, so it is listed here in
reverse), and the STAPI one serves at most ``page_cap`` orders per page, whatever was asked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from client.stapi_server import AOI, Backend, run_stapi_server
from fastapi import Request
from returns.maybe import Maybe, Nothing, Some
from returns.result import Failure, ResultE, Success
from stapi_pydantic import Order

from stat_widgets.client import RetryPolicy, StatClient

T0 = datetime(2031, 1, 1, tzinfo=UTC)
INTERVAL = "2031-03-01T00:00:00Z/2031-03-08T00:00:00Z"
PRODUCTS = ("optical-vhr", "sar-x-band")


def at(seconds: int) -> datetime:
    return T0 + timedelta(seconds=seconds)


def square(lon: float, lat: float, size: float = 0.02) -> dict[str, Any]:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


@dataclass
class NewestFirstBackend(Backend):
    """The tests/client STAPI backend listing newest first, at most ``page_cap`` per page, and
    recording the query of every listing request it answers."""

    page_cap: int = 7
    queries: list[str] = field(default_factory=list)

    async def get_orders(
        self, next: str | None, limit: int, request: Request
    ) -> ResultE[tuple[list[Order], Maybe[str], Maybe[int]]]:
        self.queries.append(request.url.query)
        ids = list(reversed(self.orders))
        try:
            start = int(next) if next else 0
        except ValueError as exc:
            return Failure(exc)
        end = start + min(limit, self.page_cap)
        page = [self._copy(self.orders[i]) for i in ids[start:end]]
        token: Maybe[str] = Some(str(end)) if end < len(ids) else Nothing
        return Success((page, token, Some(len(ids))))


@contextmanager
def stapi_provider(seconds: Sequence[int], *, page_cap: int = 7) -> Iterator[NewestFirstBackend]:
    """A stapi-fastapi server (``backend.url``) with one order created at each time."""
    backend = NewestFirstBackend(page_cap=page_cap)
    interval = (T0, T0 + timedelta(days=7))
    for s in sorted(seconds):
        backend.add("optical", interval, AOI, created=at(s))
    with run_stapi_server(backend) as (url, _backend):
        backend.url = url  # type: ignore[attr-defined]
        yield backend


def stat_provider(make_stat_server: Callable[..., Any], seconds: Sequence[int]) -> Any:
    """A reference server with one order created at each time (alternating two products, each
    with its own square), its clock then moved three hours on so every status has settled."""
    from stat_widgets.server import ManualClock

    server = make_stat_server(clock=ManualClock(T0))
    ids = []
    with StatClient(server.url) as client:
        for i, s in enumerate(sorted(seconds)):
            server.clock.advance((at(s) - server.clock.now()).total_seconds())
            order = client.create_order(
                {
                    "datetime": INTERVAL,
                    "product_id": PRODUCTS[i % 2],
                    "geometry": square(5 + (i % 25) * 0.1, 45 + (i // 25) * 0.1),
                }
            )
            ids.append(order.id)
    server.clock.advance(3 * 3600)
    server.order_ids = ids
    return server


class RecordingTransport(httpx.HTTPTransport):
    """A real HTTP transport that remembers the URL of every request."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[httpx.URL] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.urls.append(request.url)
        return super().handle_request(request)


def recording_client(url: str) -> tuple[StatClient, RecordingTransport]:
    transport = RecordingTransport()
    return StatClient(url, transport=transport, retry=RetryPolicy(tries=1), timeout=5), transport


def dead_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (the connection is refused at once)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def fast_client(url: str) -> StatClient:
    """A client that gives up quickly on a dead server (one try instead of three)."""
    return StatClient(url, retry=RetryPolicy(tries=1), timeout=5)
