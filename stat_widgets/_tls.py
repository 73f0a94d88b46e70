"""One TLS context per process for every httpx client the package makes, its trust loaded on
the first TLS handshake.

``httpx.Client()`` builds a new ``ssl.SSLContext`` and loads certifi's bundle into it each time
(about 40-80 ms here, most of the work of making a client; encode/httpx#838), so a form made a
second time, an app with several providers, or a schema ``$ref`` fetched with its own client each
paid it again. ``verify=`` takes a context made once; it is safe to share between clients and
threads, and the package never changes its settings after it is made.

Loading the bundle (15-20 ms) is also most of what making the one context costs, and a form on
an ``http://`` API (the embedded server, a notebook's first cell) may never open a TLS
connection. httpx needs the context when the client is made, and the client of an ``http://``
API may still follow a link, a redirect or a ``$ref`` to an ``https://`` origin through it, so
the trusted certificates are loaded into the same context just before its first handshake
(``wrap_socket`` for the blocking backend, ``wrap_bio`` for asyncio, anyio and trio), under a
lock; every other setting is httpx's from the start. A handshake that could bypass both would
find no trusted certificate and fail: never a connection left unverified.

The context is made as httpx would make it (``httpx.create_ssl_context``: ``SSL_CERT_FILE`` or
``SSL_CERT_DIR`` when ``trust_env``, else certifi's bundle; the settings of
``ssl.create_default_context``), once for each value of ``trust_env``, on the first client;
``tests/client/test_tls_context.py`` compares the two setting by setting.
"""

from __future__ import annotations

import functools
import os
import ssl
import sys
import threading
from typing import Any

#: The settings ``tests/client/test_tls_context.py`` compares with httpx's own context.
SETTINGS = (
    "protocol",
    "options",
    "verify_mode",
    "verify_flags",
    "check_hostname",
    "hostname_checks_common_name",
    "minimum_version",
    "maximum_version",
    "post_handshake_auth",
    "keylog_filename",
    "security_level",
)


class _TrustOnFirstHandshake(ssl.SSLContext):
    """A client context whose trusted certificates (``cafile``/``capath``) are loaded just
    before its first handshake instead of when it is made."""

    _trust: tuple[str | None, str | None]
    _pending: bool
    _lock: threading.Lock

    def _load_trust(self) -> None:
        if self._pending:
            with self._lock:
                if self._pending:
                    self.load_verify_locations(*self._trust)
                    self._pending = False

    def wrap_socket(self, *args: Any, **kwargs: Any) -> ssl.SSLSocket:
        self._load_trust()
        return super().wrap_socket(*args, **kwargs)

    def wrap_bio(self, *args: Any, **kwargs: Any) -> ssl.SSLObject:
        self._load_trust()
        return super().wrap_bio(*args, **kwargs)


def _trust_source(trust_env: bool) -> tuple[str | None, str | None]:
    """``(cafile, capath)`` as ``httpx.create_ssl_context(verify=True)`` chooses them."""
    if trust_env and os.environ.get("SSL_CERT_FILE"):
        return os.environ["SSL_CERT_FILE"], None
    if trust_env and os.environ.get("SSL_CERT_DIR"):
        return None, os.environ["SSL_CERT_DIR"]
    import certifi

    return certifi.where(), None


@functools.cache
def ssl_context(*, trust_env: bool = True) -> ssl.SSLContext:
    """The shared context: what ``httpx.Client(verify=True, trust_env=trust_env)`` would make,
    its trusted certificates loaded on its first handshake."""
    context = _TrustOnFirstHandshake(ssl.PROTOCOL_TLS_CLIENT)
    # What ssl.create_default_context(cafile=...) sets besides loading the certificates.
    context.verify_mode = ssl.CERT_REQUIRED
    context.check_hostname = True
    if sys.version_info >= (3, 13):
        context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN | ssl.VERIFY_X509_STRICT
    keylog = os.environ.get("SSLKEYLOGFILE")
    if keylog and not sys.flags.ignore_environment:
        context.keylog_filename = keylog
    context._trust = _trust_source(trust_env)
    context._pending = True
    context._lock = threading.Lock()
    return context


__all__ = ["SETTINGS", "ssl_context"]
