"""Bounded HTTP: every answer read within a size and a time budget, redirects followed one
hop at a time, credentials decided per hop by origin, addresses checked at connect time.

Neutral ground below both layers that fetch: the client (API requests) and the models
(``JSONReference``, which the reference server also uses to resolve ``$ref`` geometries).
It imports nothing of ``stat_widgets`` but ``_origins`` and ``_deadline``, so the models
never import the client.

Why not httpx's own knobs: httpx has per-read timeouts but no total deadline (encode/httpx#1450,
open), so a server dripping one byte per second never times out; it decompresses a whole
chunk at once, so 64 KiB of gzip bomb becomes 64 MiB before anyone can count it; and when it
follows redirects itself it reads every intermediate body in full and keeps the headers
given per request. So redirects are followed here, bodies are inflated here in bounded steps,
and the deadline is enforced under httpcore (``_deadline``).
"""

from __future__ import annotations

import math
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from stat_widgets._deadline import DEADLINE
from stat_widgets._deadline import bound_client as bound_client  # callers need only _fetch

MAX_RESPONSE_BYTES = 32 * 1024 * 1024
"""The default bound on one response body, counted after decompression (32 MiB)."""
MAX_REDIRECTS = 10
ACCEPT_ENCODING = "gzip, deflate"  # what ``BodyReader`` can inflate in bounded steps
_INFLATE_STEP = 64 * 1024
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


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
        token = DEADLINE.set(self.ends)
        try:
            yield
        finally:
            DEADLINE.reset(token)


# -- bodies ------------------------------------------------------------------------------------
class BodyReader:
    """Collects one body from raw (still encoded) chunks, inflating gzip/deflate in steps of
    64 KiB and counting the decoded bytes, so a bomb stops at the limit, not at 1.6 GB."""

    __slots__ = ("_budget", "_chunks", "_encoding", "_inflater", "_raw", "_size")

    def __init__(self, response: httpx.Response, budget: Budget) -> None:
        self._budget = budget
        self._chunks: list[bytes] = []
        self._size = 0
        self._encoding = response.headers.get("content-encoding", "").strip().lower()
        self._inflater: Any = None
        self._raw = False
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
                    if self._size or self._encoding != "deflate" or self._raw:
                        raise BodyError(f"the {self._encoding} body is corrupt ({exc})") from None
                    self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)  # bare "deflate"
                    self._raw = True
                    continue
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
