"""The total deadline of a request, enforced under httpx: httpcore hands every socket connect,
read and write a timeout, and the wrappers here clamp it to the time the current request
has left (``DEADLINE``, set by ``_fetch.Budget.running``), so headers and body dripped one
byte at a time end when the request's time is up, in the sync and the async client alike.
httpx itself has only per-operation timeouts (encode/httpx#1450, open).

With an ``AddressPolicy`` the blocking backend also resolves and checks the host where the
connection is opened, and connects to the address it checked.
"""

from __future__ import annotations

import math
import time
from contextvars import ContextVar
from typing import Any

import httpcore
import httpx

from stat_widgets._origins import AddressPolicy

DEADLINE: ContextVar[float] = ContextVar("stat_widgets_deadline", default=math.inf)
"""``time.monotonic()`` by which the current request must be done; infinity outside one."""


def _left(timeout: float | None, error: type[Exception]) -> float | None:
    ends = DEADLINE.get()
    if ends == math.inf:
        return timeout
    left = ends - time.monotonic()
    if left <= 0:
        raise error("the total deadline for this request has passed")
    return left if timeout is None or timeout > left else timeout


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        timeout = _left(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    """Wraps httpcore's backend: deadlines on every operation; with a policy, the host is
    resolved and checked here and the connection made to a checked address, so a name that
    resolves differently on the second lookup (DNS rebinding) cannot slip past."""

    def __init__(self, inner: httpcore.NetworkBackend, policy: AddressPolicy | None) -> None:
        self._inner = inner
        self._policy = policy

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        if self._policy is None:
            addresses = [host]
        else:  # the name lookup counts against the deadline too
            addresses = self._policy.addresses(host, port, _left(timeout, httpcore.ConnectTimeout))
        failure: Exception | None = None
        for address in addresses:
            try:
                stream = self._inner.connect_tcp(
                    address,
                    port,
                    _left(timeout, httpcore.ConnectTimeout),
                    local_address,
                    socket_options,
                )
            except httpcore.ConnectError as exc:
                failure = exc
            else:
                return _Stream(stream)
        raise failure or httpcore.ConnectError(f"{host} has no address")

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:
        timeout = _left(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _AsyncStream(httpcore.AsyncNetworkStream):
    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, _left(timeout, httpcore.ReadTimeout))

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, _left(timeout, httpcore.WriteTimeout))

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        timeout = _left(timeout, httpcore.ConnectTimeout)
        return _AsyncStream(await self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _AsyncBackend(httpcore.AsyncNetworkBackend):
    """The async twin of ``_Backend``, deadlines only (the API client checks no addresses)."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend) -> None:
        self._inner = inner

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.AsyncNetworkStream:
        timeout = _left(timeout, httpcore.ConnectTimeout)
        stream = await self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        return _AsyncStream(stream)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.AsyncNetworkStream:
        timeout = _left(timeout, httpcore.ConnectTimeout)
        return _AsyncStream(await self._inner.connect_unix_socket(path, timeout, socket_options))

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def bound_client(
    client: httpx.Client | httpx.AsyncClient, policy: AddressPolicy | None = None
) -> bool:
    """Put the deadline (and ``policy``'s address rules) under every connection ``client``
    opens. Returns False for a transport without an httpcore pool (one given by the caller):
    its bodies are still bounded, and the deadline is checked between chunks.

    httpx keeps each transport's httpcore pool as ``_pool`` and the pool its backend as
    ``_network_backend``: the only private names this package relies on (tests would fail
    at once if they moved), because httpx offers no public way to a total deadline.
    """
    wrapped = False
    for transport in (client._transport, *client._mounts.values()):
        pool = getattr(transport, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if backend is None or isinstance(backend, _Backend | _AsyncBackend):
            continue
        if isinstance(client, httpx.AsyncClient):
            if policy is not None:
                raise ValueError("address policies are for the blocking client only")
            pool._network_backend = _AsyncBackend(backend)  # type: ignore[union-attr]
        else:
            pool._network_backend = _Backend(backend, policy)  # type: ignore[union-attr]
        wrapped = True
    if policy is not None and not wrapped:
        raise ValueError("an address policy needs httpx's own transport")
    return wrapped
