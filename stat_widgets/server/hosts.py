"""Which ``Host`` names the server answers to: the loopback names and the configured ones.

A web page the user visits can make the browser send requests to ``127.0.0.1:<port>``; with DNS
rebinding (``attacker.example`` resolving to 127.0.0.1) it could even read the replies. The
browser then sends ``Host: attacker.example``, so refusing unknown names (421) closes that door.
More names can be allowed while the server runs (``allow``).

A proxy in front, jupyter-server-proxy at ``<base_url>proxy/<port>/`` on Binder and JupyterHub,
passes on the browser's ``Host`` (the hub's name), which no one configured. Such a request is
admitted when the prefix the proxy names (``X-Forwarded-Prefix``) is exactly the path this
server is proxied at (``allow_proxy``; the embedded server learns it from the Jupyter server
in front of its kernel, ``stat_widgets.jupyter_proxy``). The proxy has checked the user's
Jupyter login; a page rebinding its own name to 127.0.0.1 would have to forge that header with
this server's (random) port and the Jupyter base URL, and on a hub the browser is on another
machine than the kernel's loopback anyway (docs/decisions.md, Security).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
#: Bind addresses meaning "every interface": not host names a client would send.
WILDCARD_ADDRESSES = frozenset({"0.0.0.0", "::", ""})
ANY = "*"


def host_name(header: str) -> str:
    """The name in a ``Host`` header without its port, lower-case, IPv6 brackets removed."""
    value = header.strip().lower()
    if value.startswith("["):
        inside, _, _ = value[1:].partition("]")
        return inside
    if value.count(":") == 1:
        value = value.partition(":")[0]
    return value.rstrip(".")


class AllowedHosts:
    """The names a request's ``Host`` may carry; ``"*"`` among them allows any."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        self._names = set(LOOPBACK_NAMES)
        self._proxy_paths: frozenset[str] = frozenset()
        self._pending: tuple[Callable[[], str | None], ...] = ()
        self._lock = threading.Lock()
        for name in names:
            self.allow(name)

    def allow_proxy(self, path: str | Callable[[], str | None]) -> None:
        """Admit any ``Host`` on requests whose forwarded prefix is exactly ``path`` (a proxy's
        path to this server, ``/user/alice/proxy/8000``), or the path a callable gives when
        first needed (finding the Jupyter server in front can take a while: only a request
        with an unknown name waits for it)."""
        with self._lock:
            if callable(path):
                self._pending = (*self._pending, path)
            else:
                self._proxy_paths = self._proxy_paths | {path.rstrip("/")}

    def proxied(self, forwarded_prefix: str | None) -> bool:
        """Whether a request that names ``forwarded_prefix`` came through an allowed proxy."""
        if forwarded_prefix is None:
            return False
        if self._pending:
            with self._lock:
                found = {p() for p in self._pending}
                self._pending = ()
                self._proxy_paths = self._proxy_paths | {p.rstrip("/") for p in found if p}
        return forwarded_prefix in self._proxy_paths

    def allow(self, name: str) -> None:
        """Allow one more name (a host name, an address, ``[v6]`` or ``name:port``)."""
        key = ANY if name.strip() == ANY else host_name(name)
        if key in WILDCARD_ADDRESSES:
            return
        with self._lock:
            self._names = {*self._names, key}

    def __contains__(self, header: object) -> bool:
        names = self._names
        return ANY in names or (isinstance(header, str) and host_name(header) in names)

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self._names)

    def __repr__(self) -> str:
        return f"AllowedHosts({sorted(self._names)})"
