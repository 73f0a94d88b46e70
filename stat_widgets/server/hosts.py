"""Which ``Host`` names the server answers to: the loopback names and the configured ones.

A web page the user visits can make the browser send requests to ``127.0.0.1:<port>``; with DNS
rebinding (``attacker.example`` resolving to 127.0.0.1) it could even read the replies. The
browser then sends ``Host: attacker.example``, so refusing unknown names (421) closes that door.
More names can be allowed while the server runs (``allow``): a proxy in front of it, such as
jupyter-server-proxy at ``/proxy/<port>/``, forwards its own host name.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

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
        self._lock = threading.Lock()
        for name in names:
            self.allow(name)

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
