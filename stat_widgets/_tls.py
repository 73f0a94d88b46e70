"""One TLS context per process for every httpx client the package makes.

``httpx.Client()`` builds a new ``ssl.SSLContext`` and loads certifi's bundle into it each time
(about 40-80 ms here, most of the work of making a client; encode/httpx#838), so a form made a
second time, an app with several providers, or a schema ``$ref`` fetched with its own client each
paid it again. ``verify=`` takes a context made once; it is safe to share between clients and
threads, and the package never changes it after it is made. It is made as httpx would make it
(``SSL_CERT_FILE``/``SSL_CERT_DIR`` honoured when ``trust_env``), once for each value of
``trust_env``, on the first client.
"""

from __future__ import annotations

import functools
import ssl


@functools.cache
def ssl_context(*, trust_env: bool = True) -> ssl.SSLContext:
    """The shared context: what ``httpx.Client(verify=True, trust_env=trust_env)`` would make."""
    import httpx

    return httpx.create_ssl_context(trust_env=trust_env)


__all__ = ["ssl_context"]
