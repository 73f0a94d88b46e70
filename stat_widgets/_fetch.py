"""Bounded HTTP: every answer read within a size and a time budget, redirects followed one
hop at a time, credentials decided per hop by origin, addresses checked at connect time.

Neutral ground below both layers that fetch: the client (API requests) and the models
(``JSONReference``, which the reference server also uses to resolve ``$ref`` geometries).
It imports nothing of ``stat_widgets`` but ``_origins``, so models never import the client.

Why not httpx's own knobs: httpx has per-read timeouts but no total deadline (encode/httpx#1450,
open), so a server dripping one byte per second never times out; it decompresses a whole
chunk at once, so 64 KiB of gzip bomb becomes 64 MiB before anyone can count it; and when it
follows redirects itself it reads every intermediate body in full and keeps the headers
given per request. So redirects are followed here, bodies are inflated here in bounded steps,
and the deadline is enforced under httpcore, where every socket read and write takes a timeout:
the one place a total deadline can hold for headers and body alike, sync and async.
"""

from __future__ import annotations

import math
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import httpcore
import httpx

from stat_widgets._origins import AddressPolicy

MAX_RESPONSE_BYTES = 32 * 1024 * 1024
"""The default bound on one response body, counted after decompression (32 MiB)."""
MAX_REDIRECTS = 10
ACCEPT_ENCODING = "gzip, deflate"  # what ``BodyReader`` can inflate in bounded steps
_INFLATE_STEP = 64 * 1024
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_DEADLINE: ContextVar[float] = ContextVar("stat_widgets_deadline", default=math.inf)


class BodyError(Exception):
    """A body that could not be read within bounds (too large, undecodable); ``url`` names
    the response it came from."""

    url = ""


class TooLarge(BodyError):
    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(
            f"the response is larger than {limit:,} bytes (max_response_bytes); stopped reading"
        )


class Budget:
    """The bounds of one request: a body of at most ``max_bytes`` (after decoding), and a
    total deadline ``seconds`` from now for connecting, sending and reading every hop."""

    __slots__ = ("ends", "max_bytes", "seconds")

    def __init__(self, max_bytes: int = MAX_RESPONSE_BYTES, seconds: float | None = None) -> None:
        self.max_bytes = max_bytes
        self.seconds = seconds
        self.ends = math.inf if seconds is None else time.monotonic() + seconds

    @property
    def expired(self) -> bool:
        return time.monotonic() >= self.ends

    @contextmanager
    def running(self) -> Iterator[None]:
        """Every socket operation inside takes its timeout from this deadline (at most)."""
        token = _DEADLINE.set(self.ends)
        try:
            yield
        finally:
            _DEADLINE.reset(token)


# -- the deadline and address checks under httpcore ---------------------------------------------
def _left(timeout: float | None, error: type[Exception]) -> float | None:
    ends = _DEADLINE.get()
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
        addresses = self._policy.addresses(host, port) if self._policy else [host]
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


# -- bodies ------------------------------------------------------------------------------------
class BodyReader:
    """Collects one body from raw (still encoded) chunks, inflating gzip/deflate in steps of
    64 KiB and counting the decoded bytes, so a bomb stops at the limit, not at 1.6 GB."""

    __slots__ = ("_budget", "_chunks", "_encoding", "_inflater", "_size")

    def __init__(self, response: httpx.Response, budget: Budget) -> None:
        self._budget = budget
        self._chunks: list[bytes] = []
        self._size = 0
        self._encoding = response.headers.get("content-encoding", "").strip().lower()
        self._inflater: Any = None
        if self._encoding in ("gzip", "x-gzip", "deflate"):
            self._inflater = zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header
        elif self._encoding not in ("", "identity"):
            raise BodyError(f"the body is encoded as {self._encoding!r}, which was not asked for")

    def feed(self, raw: bytes) -> None:
        if self._inflater is None:
            self._take(raw)
        else:
            while raw:
                try:
                    out = self._inflater.decompress(raw, _INFLATE_STEP)
                except zlib.error as exc:
                    raise BodyError(f"the {self._encoding} body is corrupt ({exc})") from None
                self._take(out)
                raw = self._inflater.unconsumed_tail
        if self._budget.expired:  # for transports that ``bound_client`` could not reach
            raise httpx.ReadTimeout("the total deadline for this request has passed")

    def _take(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self._budget.max_bytes:
            raise TooLarge(self._budget.max_bytes)
        self._chunks.append(data)

    def response(self, streamed: httpx.Response) -> httpx.Response:
        """``streamed`` with the body read: a new, complete ``httpx.Response``."""
        if self._inflater is not None:
            self._take(self._inflater.flush())
        headers = [
            (name, value)
            for name, value in streamed.headers.multi_items()
            if name.lower() not in ("content-encoding", "content-length", "transfer-encoding")
        ]
        return httpx.Response(
            streamed.status_code,
            headers=headers,
            content=b"".join(self._chunks),
            request=streamed.request,
        )


def _httpx_may_read(response: httpx.Response, budget: Budget) -> bool:
    """True when httpx's own ``read()`` is already bounded: an unencoded body of a declared
    length within the limit (h11 reads exactly that many bytes, never more). The common case,
    and the cheapest: no second pass over the body. A declared length over the limit is
    refused before a byte of the body is read."""
    headers = response.headers
    length = headers.get("content-length")
    if length is None or not length.isdigit() or headers.get("content-encoding"):
        return False
    if int(length) > budget.max_bytes:
        raise TooLarge(budget.max_bytes)
    return True


def redirect(response: httpx.Response) -> tuple[str, httpx.URL, bool] | None:
    """Where a 3xx answer sends its request next: (method, URL, whether the body goes too),
    or None for a final answer. As browsers and httpx do, 307/308 repeat the request and
    the others continue as a GET without a body."""
    location = response.headers.get("location")
    if response.status_code not in _REDIRECTS or not location:
        return None
    request = response.request
    target = request.url.join(location).copy_with(fragment=None)
    if response.status_code in (307, 308):
        return request.method, target, True
    return ("HEAD" if request.method == "HEAD" else "GET"), target, False


def _too_many(response: httpx.Response) -> httpx.TooManyRedirects:
    return httpx.TooManyRedirects(
        f"more than {MAX_REDIRECTS} redirects, the last to {response.request.url}",
        request=response.request,
    )


def send(
    client: httpx.Client,
    method: str,
    url: str | httpx.URL,
    budget: Budget,
    *,
    headers: Any = None,
    json: Any = None,
) -> httpx.Response:
    """One request within ``budget``, redirects followed (each hop sent anew through the
    client's auth, which decides credentials by the hop's origin), the final body read.

    Raises httpx's errors (a passed deadline is an ``httpx.TimeoutException``),
    ``BodyError`` and ``_origins.AddressRefused``; never reads on past a bound.
    """
    with budget.running():
        for hops in range(MAX_REDIRECTS + 1):
            request = client.build_request(method, url, headers=headers, json=json)
            response = client.send(request, stream=True)
            try:
                target = redirect(response)
                if target is None:
                    if _httpx_may_read(response, budget):
                        response.read()
                        return response
                    reader = BodyReader(response, budget)
                    for chunk in response.iter_raw():
                        reader.feed(chunk)
                    return reader.response(response)
            except BodyError as exc:
                exc.url = str(request.url)
                raise
            finally:
                response.close()
                response.stream = _READ  # break httpx's response <-> stream cycle
            if hops == MAX_REDIRECTS:
                raise _too_many(response)
            method, url, keep_body = target
            json = json if keep_body else None
    raise AssertionError("unreachable")  # pragma: no cover


async def asend(
    client: httpx.AsyncClient,
    method: str,
    url: str | httpx.URL,
    budget: Budget,
    *,
    headers: Any = None,
    json: Any = None,
) -> httpx.Response:
    """The async twin of ``send``: the same hops, bounds and errors."""
    with budget.running():
        for hops in range(MAX_REDIRECTS + 1):
            request = client.build_request(method, url, headers=headers, json=json)
            response = await client.send(request, stream=True)
            try:
                target = redirect(response)
                if target is None:
                    if _httpx_may_read(response, budget):
                        await response.aread()
                        return response
                    reader = BodyReader(response, budget)
                    async for chunk in response.aiter_raw():
                        reader.feed(chunk)
                    return reader.response(response)
            except BodyError as exc:
                exc.url = str(request.url)
                raise
            finally:
                await response.aclose()
                response.stream = _READ
            if hops == MAX_REDIRECTS:
                raise _too_many(response)
            method, url, keep_body = target
            json = json if keep_body else None
    raise AssertionError("unreachable")  # pragma: no cover


_READ = httpx.ByteStream(b"")
