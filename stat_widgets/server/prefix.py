"""The server under a path prefix: every link it writes starts with the prefix a browser used.

Behind ``jupyter-server-proxy`` (Binder, JupyterHub) the server is reached as
``https://hub/user/alice/proxy/8000/orders``; the proxy strips ``/user/alice/proxy/8000`` and
forwards ``/orders`` to 127.0.0.1:8000, naming what it stripped in ``X-Forwarded-Prefix`` (and
``X-Forwarded-Context``, ``X-ProxyContextPath``). Links built from ``request.base_url`` must
carry that prefix again, or the browser is sent to ``/orders`` of the hub. A fixed reverse proxy
gives the prefix once instead (``stat-widgets serve --root-path /stat``).

This is the ASGI ``root_path`` (what ``uvicorn --root-path`` sets): Starlette routes on the path
after it and builds ``base_url`` and ``url_for`` with it, so the STAT face, the STAPI face and
their paging links all follow. The path itself keeps the prefix in front, as ASGI says, whether
the proxy stripped it or not (``/proxy/absolute/<port>`` keeps it).

A forwarded prefix is only a path (no scheme or host: a link can never be sent to another
origin by a header), of bounded length, made of plain path segments; anything else is ignored.
It only changes the links in the answer to the request that carried it.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[..., Awaitable[Any]], Callable[..., Awaitable[Any]]], Any]

#: Headers that name the stripped prefix, in the order they are read.
PREFIX_HEADERS = (b"x-forwarded-prefix", b"x-forwarded-context", b"x-proxycontextpath")
MAX_PREFIX = 512
_SEGMENT = r"/[A-Za-z0-9._~!$&'()*+,;=:@%-]+"
_PREFIX = re.compile(rf"(?:{_SEGMENT})+")


def clean_prefix(value: str) -> str | None:
    """``value`` as a root path (``/a/b``, no trailing slash), ``""`` for the root itself, or
    ``None`` when it is not a plain absolute path (``//host``, ``..``, a scheme, control
    characters, too long)."""
    value = value.strip()
    if len(value) > MAX_PREFIX:
        return None
    value = value.rstrip("/")
    if not value:
        return ""
    if not _PREFIX.fullmatch(value):
        return None
    if any(part in (".", "..") for part in value.split("/")):
        return None
    return value


def forwarded_prefix(scope: Scope) -> str | None:
    """The prefix a proxy in front names for this request (the first of ``PREFIX_HEADERS``
    that is a plain path), or ``None`` when no proxy header names one."""
    headers = dict(scope.get("headers") or ())
    for name in PREFIX_HEADERS:
        raw = headers.get(name)
        if raw is None:
            continue
        forwarded = clean_prefix(raw.decode("latin-1"))
        if forwarded is not None:
            return forwarded
    return None


class PathPrefix:
    """ASGI middleware: the root path of each request, from ``root_path`` (fixed) or, when
    ``trust_forwarded``, the proxy's prefix header (which wins: it is what this browser used)."""

    def __init__(self, app: ASGIApp, *, root_path: str = "", trust_forwarded: bool = True):
        fixed = clean_prefix(root_path)
        if fixed is None:
            raise ValueError(f"root_path must be an absolute path like '/stat', got {root_path!r}")
        self.app, self.root_path, self.trust_forwarded = app, fixed, trust_forwarded

    def prefix_of(self, scope: Scope) -> str:
        if self.trust_forwarded:
            forwarded = forwarded_prefix(scope)
            if forwarded is not None:
                return forwarded
        return self.root_path

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] in ("http", "websocket"):
            prefix = self.prefix_of(scope)
            if prefix:
                scope = dict(scope)
                path: str = scope["path"]
                if path != prefix and not path.startswith(prefix + "/"):
                    scope["path"] = prefix + path
                    raw = scope.get("raw_path")
                    if raw is not None:
                        scope["raw_path"] = prefix.encode("latin-1") + raw
                scope["root_path"] = prefix
        await self.app(scope, receive, send)


__all__ = ["PREFIX_HEADERS", "PathPrefix", "clean_prefix", "forwarded_prefix"]
