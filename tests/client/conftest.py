"""Fixtures for the client tests: the same behavioural tests run with ``StatClient`` and
``AsyncStatClient`` (``client_kind``), against real servers on 127.0.0.1."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

from stat_widgets.client import AsyncStatClient, RetryPolicy, StatClient

from .stapi_server import Backend, run_stapi_server

FAST_RETRY = RetryPolicy(tries=3, base=0.01, cap=0.05)


async def call(result: Any) -> Any:
    """The value of a client call, awaited when the client is async."""
    return await result if inspect.isawaitable(result) else result


async def collect(iterator: Any) -> list[Any]:
    if hasattr(iterator, "__aiter__"):
        return [item async for item in iterator]
    return list(iterator)


@pytest.fixture(params=["sync", "async"])
def client_kind(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
async def make_client(client_kind: str) -> AsyncIterator[Callable[..., Any]]:
    """``make_client(url, **kwargs)``: a client of the parametrized kind (fast retries unless
    ``retry`` is given); all are closed after the test."""
    made: list[Any] = []

    def make(url: str, **kwargs: Any) -> Any:
        kwargs.setdefault("retry", FAST_RETRY)
        cls = StatClient if client_kind == "sync" else AsyncStatClient
        client = cls(url, **kwargs)
        made.append(client)
        return client

    yield make
    for client in made:
        if isinstance(client, AsyncStatClient):
            await client.aclose()
        else:
            client.close()


@pytest.fixture(scope="session")
def stapi() -> Iterator[tuple[str, Backend]]:
    """One stapi-fastapi server for the session (tests that count orders make their own)."""
    with run_stapi_server() as served:
        yield served
