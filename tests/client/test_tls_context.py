"""Every client the package makes shares one TLS context (``stat_widgets._tls``): making one
loads certifi's bundle, most of the cost of a new client."""

from __future__ import annotations

import ssl

from stat_widgets._tls import ssl_context
from stat_widgets.client import StatClient


def _context(client: StatClient) -> ssl.SSLContext:
    return client._http._transport._pool._ssl_context  # httpcore's pool holds what httpx made


def test_clients_share_one_context_that_verifies_certificates() -> None:
    with StatClient("https://a.example") as first, StatClient("http://127.0.0.1:1") as second:
        shared = _context(first)
        assert shared is _context(second) is ssl_context()
    assert shared.verify_mode == ssl.CERT_REQUIRED and shared.check_hostname
    assert shared.cert_store_stats()["x509_ca"] > 0  # certifi's bundle, loaded once
    assert ssl_context(trust_env=False) is ssl_context(trust_env=False) is not shared
