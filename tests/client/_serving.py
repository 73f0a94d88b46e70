"""Serve an ASGI app with uvicorn on 127.0.0.1 in a thread, on an ephemeral port (over TLS,
with a certificate from a test CA, when one is given)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import trustme
import uvicorn


@contextmanager
def serve(app: Any, *, tls: trustme.CA | None = None) -> Iterator[str]:
    """Yield the base URL while ``app`` runs; always stopped on exit. With ``tls``, the app is
    served over HTTPS with a certificate for 127.0.0.1 that ``tls`` issued."""
    if tls is None:
        with _serving(app) as port:
            yield f"http://127.0.0.1:{port}"
        return
    with tls.issue_cert("127.0.0.1").private_key_and_cert_chain_pem.tempfile() as pem:
        with _serving(app, ssl_certfile=pem) as port:
            yield f"https://127.0.0.1:{port}"


@contextmanager
def _serving(app: Any, **options: Any) -> Iterator[int]:
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, log_level="warning", lifespan="on", **options
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="test-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=10)
