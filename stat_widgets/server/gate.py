"""The door every request of both faces passes before any route (an ASGI middleware on the
outer app, so the STAPI face mounted at ``/stapi`` is behind it too):

- ``Host`` must be a loopback name or a configured one (``hosts``), else 421: DNS rebinding.
  Any name passes on a request that comes through the proxy the server is known to sit behind
  (its forwarded prefix is the proxy's path to this server: ``hosts.AllowedHosts.proxied``).
- A request with a body (POST, PUT, PATCH) must say ``application/json`` or ``*+json``, else
  415: a web page can send a ``text/plain`` "simple request" to 127.0.0.1 without asking, but
  not a JSON one (that needs a CORS preflight the server never grants). Cross-site request
  forgery of an order ends here.
- The body is read here, at most ``max_body_bytes`` (413 beyond) within ``body_timeout`` (408
  and close beyond), then handed on; routes read it as usual.

Each refusal has the server's error body naming the field at fault.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.datastructures import Headers

from .hosts import AllowedHosts
from .limits import Limits
from .prefix import forwarded_prefix
from .problems import Problem

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
CLOSE = {"Connection": "close"}


def is_json(content_type: str | None) -> bool:
    """``application/json`` or any ``application/*+json`` (``geo+json``, ``merge-patch+json``),
    parameters such as ``charset`` allowed."""
    media = (content_type or "").partition(";")[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


class _BodyTooLarge(Exception):
    pass


class Gate:
    def __init__(self, app: ASGIApp, *, hosts: AllowedHosts, limits: Limits) -> None:
        self.app = app
        self.hosts = hosts
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            receive = await self._admit(scope, receive)
        except Problem as problem:
            await problem.response()(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _admit(self, scope: Scope, receive: Receive) -> Receive:
        """The request's ``receive`` once it may pass (its body read), or ``Problem``."""
        headers = Headers(scope=scope)
        host = headers.get("host")
        if (host is None or host not in self.hosts) and not self.hosts.proxied(
            forwarded_prefix(scope)
        ):
            raise Problem(
                421,
                f"this server does not answer to the host name {(host or '')[:100]!r}; it "
                f"answers to {', '.join(sorted(self.hosts.names))}",
                field="Host",
                headers=CLOSE,
            )
        if scope["method"] not in BODY_METHODS:
            return receive
        limit = self.limits.max_body_bytes
        declared = _declared_length(headers)
        if declared is not None and declared > limit:
            await self._drain(receive)
            raise Problem(413, _too_large(limit), headers=CLOSE)
        if not is_json(headers.get("content-type")):
            await self._drain(receive)
            raise Problem(
                415,
                f"the request body must be JSON (Content-Type: application/json or "
                f"application/*+json), not {(headers.get('content-type') or 'none')[:100]!r}",
                field="Content-Type",
                headers=CLOSE,
            )
        body = await self._read(receive, limit)
        return _replay(body, receive)

    async def _read(self, receive: Receive, limit: int) -> bytes:
        chunks: list[bytes] = []
        size = 0
        try:
            async with asyncio.timeout(self.limits.body_timeout):
                more = True
                while more:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        raise Problem(400, "the client went away before sending the body")
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size > limit:
                        raise _BodyTooLarge
                    chunks.append(chunk)
                    more = message.get("more_body", False)
        except TimeoutError:
            raise self._slow() from None
        except _BodyTooLarge:
            await self._drain(receive)
            raise Problem(413, _too_large(limit), headers=CLOSE) from None
        return b"".join(chunks)

    async def _drain(self, receive: Receive) -> None:
        """Read and drop the rest of a refused body (bounded in size and time), so that the
        client reads the refusal instead of a connection reset."""
        size = 0
        try:
            async with asyncio.timeout(self.limits.body_timeout):
                while size <= self.limits.max_drain_bytes:
                    message = await receive()
                    size += len(message.get("body", b""))
                    if message["type"] != "http.request" or not message.get("more_body"):
                        return
        except TimeoutError:
            return

    def _slow(self) -> Problem:
        return Problem(
            408,
            f"the request body did not arrive within {self.limits.body_timeout:g} s",
            headers=CLOSE,
        )


def _declared_length(headers: Headers) -> int | None:
    raw = headers.get("content-length")
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        return None  # the HTTP parser refuses it before us


def _too_large(limit: int) -> str:
    return f"the request body is larger than {limit / 1024**2:g} MB"


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that yields the body read once, then the connection's own messages (the
    disconnect a streaming response waits for)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
