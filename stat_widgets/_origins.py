"""Who may receive what: credentials only for the API's own origin, and fetches of
third-party URLs (JSON References) only to public addresses.

``OriginAuth`` is the client's single credential mechanism: it holds every credential (bearer
token, Basic credentials from ``auth=`` or the URL, every header given as ``headers=``, any
``httpx.Auth``) and decides per request, so a ``next`` link, a redirect hop (``_fetch``
sends each hop anew) or a reference elsewhere gets none of them, and no cookie either.
``AddressPolicy`` is checked where connections are opened (``_fetch._Backend``).
"""

from __future__ import annotations

import base64
import ipaddress
import socket
import threading
from collections.abc import AsyncGenerator, Generator, Iterable, Mapping
from urllib.parse import urlsplit

import httpx

_DEFAULT_PORTS = {"http": 80, "https": 443}
Origin = tuple[str, str, int | None]


def origin_of(url: str | httpx.URL) -> Origin:
    """(scheme, host, port) with the default port filled in: what two URLs must share for
    credentials to go along. ``http://h`` and ``http://h:80`` are one origin."""
    parts = urlsplit(str(url))
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = -1  # unparseable: equal to nothing sensible
    return scheme, (parts.hostname or "").lower(), port or _DEFAULT_PORTS.get(scheme)


class OriginAuth(httpx.Auth):
    """Every credential the client holds, attached only to requests for ``origin``.

    Requests elsewhere leave without them and without the ``Cookie`` header (httpx's cookie
    jar matches host names, not origins: a cookie from ``127.0.0.1:8000`` would go to
    ``127.0.0.1:9000``). An ``inner`` auth (``httpx.DigestAuth``, a custom flow) runs only for
    the API's origin. Its repr shows no secret.
    """

    def __init__(
        self,
        origin: str | httpx.URL,
        headers: Mapping[str, str] | None = None,
        inner: httpx.Auth | None = None,
    ) -> None:
        self._origin = origin_of(origin)
        self._headers = dict(headers or {})
        self._inner = inner
        if inner is not None:
            self.requires_request_body = inner.requires_request_body
            self.requires_response_body = inner.requires_response_body

    def _prepare(self, request: httpx.Request) -> bool:
        """Attach our credentials (True) or remove any that could be ours (False)."""
        if origin_of(request.url) != self._origin:
            request.headers.pop("Cookie", None)
            return False
        request.headers.update(self._headers)
        return True

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        if self._prepare(request) and self._inner is not None:
            yield from self._inner.sync_auth_flow(request)
        else:
            yield request

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        if not (self._prepare(request) and self._inner is not None):
            yield request
            return
        flow = self._inner.async_auth_flow(request)
        step = await flow.__anext__()
        while True:
            response = yield step
            try:
                step = await flow.asend(response)
            except StopAsyncIteration:
                return

    def __repr__(self) -> str:
        scheme, host, port = self._origin
        return f"OriginAuth({scheme}://{host}:{port}, {len(self._headers)} credential(s))"


def basic_header(username: str, password: str) -> str:
    """The ``Authorization`` value for Basic credentials (RFC 7617, UTF-8)."""
    token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
    return f"Basic {token}"


# -- addresses --------------------------------------------------------------------------------
PUBLIC, LOOPBACK, LINK_LOCAL, PRIVATE = "public", "loopback", "link-local", "private"


class AddressRefused(Exception):
    """A fetch would connect to an address its policy refuses."""


def address_kind(address: str) -> str:
    """``public``, ``loopback`` (also ``0.0.0.0``/``::``), ``link-local`` (169.254/16, fe80::/10:
    cloud metadata lives there) or ``private`` (everything else not globally routable:
    RFC 1918, unique-local, carrier-grade NAT, multicast, reserved). IPv4-mapped IPv6
    addresses count as the IPv4 address they carry."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback or ip.is_unspecified:
        return LOOPBACK
    if ip.is_link_local:
        return LINK_LOCAL
    if ip.is_global and not ip.is_multicast:
        return PUBLIC
    return PRIVATE


def _resolve(host: str, port: int, timeout: float | None = None) -> list[str]:
    """The host's addresses. With ``timeout``, the lookup runs in a thread of its own and is
    given up after that long: ``getaddrinfo`` takes no timeout, and a name server that does
    not answer holds it for the resolver's 5 s times attempts times servers."""
    found: list[list[str]] = []
    failed: list[BaseException] = []

    def lookup() -> None:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            found.append(list(dict.fromkeys(str(info[4][0]) for info in infos)))
        except (OSError, UnicodeError) as exc:
            failed.append(exc)

    if timeout is None:
        lookup()
    else:
        thread = threading.Thread(target=lookup, name=f"resolve {host}", daemon=True)
        thread.start()
        thread.join(timeout)
        if thread.is_alive():  # left to finish on its own; nobody waits for it
            raise AddressRefused(f"{host} could not be resolved within {timeout:.3g} s")
    if failed:
        raise AddressRefused(f"{host} could not be resolved ({failed[0]})")
    return found[0]


class AddressPolicy:
    """Which addresses a fetch of a third-party URL may connect to: public ones, the kinds in
    ``kinds``, and any address of a host named in ``allow_hosts`` (case-insensitive names or
    IP literals, as in the URL)."""

    def __init__(self, kinds: Iterable[str] = (PUBLIC,), allow_hosts: Iterable[str] = ()) -> None:
        self.kinds = frozenset(kinds) | {PUBLIC}
        self.allow_hosts = frozenset(h.strip("[]").lower() for h in allow_hosts)

    @classmethod
    def beside(cls, api_url: str | None, allow_hosts: Iterable[str] = ()) -> AddressPolicy:
        """The policy for references given to an API at ``api_url``: an API on a loopback,
        link-local or private address may name references on the same kind of address (its
        own network), never on another kind."""
        kinds = {PUBLIC}
        host = urlsplit(api_url).hostname if api_url else None
        if host:
            try:
                kinds.update(address_kind(a) for a in _resolve(host, 0))
            except AddressRefused:
                pass
        return cls(kinds, allow_hosts)

    def addresses(self, host: str, port: int, timeout: float | None = None) -> list[str]:
        """The addresses to connect to for ``host``: every one it resolves to must be allowed,
        so a name with one public and one private address is refused. ``timeout`` bounds the
        lookup."""
        name = host.strip("[]").lower()
        if name in self.allow_hosts:
            return [host]
        addresses = _resolve(name, port, timeout)
        for address in addresses:
            kind = address_kind(address)
            if kind not in self.kinds:
                shown = host if host == address else f"{host} ({address})"
                raise AddressRefused(
                    f"{shown} is a {kind} address; references to loopback, link-local and "
                    "private addresses are refused unless the API is on one or the host is "
                    "allowed explicitly"
                )
        return addresses
