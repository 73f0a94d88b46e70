"""Every client the package makes shares one TLS context (``stat_widgets._tls``): making one
loads certifi's bundle, most of the cost of a new client. The bundle loads on the context's
first handshake (a form on an ``http://`` API never pays it), and every handshake verifies:
against a real HTTPS server on 127.0.0.1 with a certificate from a test CA (trustme)."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import trustme

from stat_widgets import _tls
from stat_widgets._tls import ssl_context
from stat_widgets.client import RetryPolicy, StatClient
from stat_widgets.errors import TransportError

from ._serving import serve
from .conftest import call


def _context(client: StatClient) -> ssl.SSLContext:
    return client._http._transport._pool._ssl_context  # httpcore's pool holds what httpx made


def test_clients_share_one_context_that_verifies_certificates() -> None:
    with StatClient("https://a.example") as first, StatClient("http://127.0.0.1:1") as second:
        shared = _context(first)
        assert shared is _context(second) is ssl_context()
    assert shared.verify_mode == ssl.CERT_REQUIRED and shared.check_hostname
    assert ssl_context(trust_env=False) is ssl_context(trust_env=False) is not shared


@pytest.mark.parametrize("trust_env", [True, False])
def test_the_context_is_made_as_httpx_makes_it(trust_env: bool) -> None:
    """Setting by setting as ``httpx.create_ssl_context``, and once loaded the same trust."""
    ours, theirs = ssl_context(trust_env=trust_env), httpx.create_ssl_context(trust_env=trust_env)
    for setting in _tls.SETTINGS:
        assert getattr(ours, setting) == getattr(theirs, setting), setting
    ours._load_trust()  # type: ignore[attr-defined]
    assert ours.cert_store_stats() == theirs.cert_store_stats()
    assert ours.cert_store_stats()["x509_ca"] > 0  # certifi's bundle


@pytest.fixture(scope="module")
def test_ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def https_url(test_ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The reference server over HTTPS, its certificate issued by ``test_ca``."""
    from stat_widgets.server.app import create_app

    app = create_app(db_path=tmp_path_factory.mktemp("tls") / "orders.db")
    with serve(app, tls=test_ca) as url:
        yield url


@pytest.fixture
def fresh_contexts() -> Iterator[None]:
    """The process's contexts made anew for the test (and again after it)."""
    ssl_context.cache_clear()
    yield
    ssl_context.cache_clear()


async def test_a_certificate_no_trusted_ca_issued_is_refused(
    make_client: Any, https_url: str, fresh_contexts: None
) -> None:
    client = make_client(https_url, retry=RetryPolicy(tries=1))
    assert ssl_context().cert_store_stats()["x509_ca"] == 0  # nothing loaded before a handshake
    with pytest.raises(TransportError, match="CERTIFICATE_VERIFY_FAILED"):
        await call(client.products())
    assert ssl_context().cert_store_stats()["x509_ca"] > 0  # loaded for that handshake


async def test_a_certificate_the_trusted_ca_issued_is_accepted(
    make_client: Any,
    https_url: str,
    test_ca: trustme.CA,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fresh_contexts: None,
) -> None:
    """``SSL_CERT_FILE`` names the trust, as for httpx (``trust_env``)."""
    ca_file = tmp_path / "ca.pem"
    test_ca.cert_pem.write_to_path(str(ca_file))
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
    client = make_client(https_url)
    products = await call(client.products())
    assert products and all(p.id for p in products)
    assert ssl_context().cert_store_stats()["x509_ca"] == 1
