"""Run the reference server inside this process: uvicorn in a daemon thread on a free loopback
port. Notebooks, Binder, tests and benchmarks all start it this way."""

from __future__ import annotations

import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

import uvicorn

from stat_widgets import jupyter_proxy

from .app import create_app
from .clock import Clock
from .connections import uvicorn_options
from .limits import Limits

STARTUP_TIMEOUT = 30.0


class EmbeddedServer:
    """A running server; ``url`` has no trailing slash. ``stop()`` is idempotent."""

    def __init__(
        self,
        *,
        db_path: str | Path | None = None,
        tokens: Mapping[str, str] | None = None,
        clock: Clock | None = None,
        products: Iterable[Any] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        allow_ref_hosts: Iterable[str] = (),
        allowed_hosts: Iterable[str] = (),
        limits: Limits | None = None,
        root_path: str = "",
    ) -> None:
        self._tempdir: tempfile.TemporaryDirectory[str] | None = None
        if db_path is None:
            self._tempdir = tempfile.TemporaryDirectory(prefix="stat-server-")
            db_path = Path(self._tempdir.name) / "orders.db"
        self.db_path = Path(db_path)
        self.tokens = dict(tokens) if tokens else None
        self.app = create_app(
            db_path=self.db_path,
            tokens=tokens,
            clock=clock,
            products=products,
            allow_ref_hosts=allow_ref_hosts,
            allowed_hosts=[host, *allowed_hosts],
            limits=limits,
            root_path=root_path,
        )
        self.clock: Clock = self.app.state.stat.clock
        try:
            self._socket = _bind(host, port)
        except OSError:
            self._release()
            raise
        bound_host, bound_port = self._socket.getsockname()[:2]
        self.host, self.port = host, int(bound_port)
        url_host = f"[{bound_host}]" if ":" in bound_host else bound_host
        self.url = f"http://{url_host}:{self.port}"
        port_now = self.port
        # Behind jupyter-server-proxy (Binder, JupyterHub) the browser's requests arrive with
        # the hub's Host; admit them at the proxy's path to this port (server/hosts.py).
        self.allow_proxy(lambda: jupyter_proxy.proxied_path(port_now))
        config = uvicorn.Config(
            self.app,
            log_level="warning",
            access_log=False,
            lifespan="on",
            **uvicorn_options(self.app.state.stat.limits),
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [self._socket]},
            name=f"stat-server-{self.port}",
            daemon=True,
        )
        self._stopped = False

    def start(self) -> EmbeddedServer:
        self._thread.start()
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the STAT server did not start on {self.url}")
            time.sleep(0.01)
        _wait_for_port(self.host if self.host not in ("0.0.0.0", "::") else "127.0.0.1", self.port)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop accepting connections, let in-flight requests finish, close the database."""
        if self._stopped:
            return
        self._stopped = True
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout)
        if self._thread.is_alive():  # pragma: no cover - a request that never ends
            self._server.force_exit = True
            self._thread.join(timeout)
        self._socket.close()
        self._release()

    def allow_host(self, name: str) -> None:
        """Answer to one more ``Host`` name, e.g. the one a proxy in front forwards."""
        self.app.state.stat.hosts.allow(name)

    def allow_proxy(self, path: str | Callable[[], str | None]) -> None:
        """Answer to any ``Host`` on requests a proxy forwards from ``path`` (its
        ``X-Forwarded-Prefix``, e.g. ``/user/alice/proxy/8000``). The Jupyter server's proxy in
        front of this kernel is allowed already (``stat_widgets.jupyter_proxy``)."""
        self.app.state.stat.hosts.allow_proxy(path)

    def _release(self) -> None:
        self.app.state.stat.store.close()
        if self._tempdir is not None:
            self._tempdir.cleanup()

    @property
    def running(self) -> bool:
        return self._thread.is_alive() and not self._stopped

    def __enter__(self) -> EmbeddedServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<EmbeddedServer {self.url} {state} db={self.db_path}>"


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto must be IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY on accepted connections only
    # for sockets that say so, and without it Nagle + delayed ACK add 40 ms to every response.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def _wait_for_port(host: str, port: int) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while True:
        try:
            with socket.create_connection((host, port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def run_in_thread(
    *,
    db_path: str | Path | None = None,
    tokens: Mapping[str, str] | None = None,
    clock: Clock | None = None,
    products: Iterable[Any] | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    allow_ref_hosts: Iterable[str] = (),
    allowed_hosts: Iterable[str] = (),
    limits: Limits | None = None,
    root_path: str = "",
) -> EmbeddedServer:
    """Start a server and return once it answers. ``db_path=None`` uses a temporary file that
    is removed on ``stop()``; the same ``db_path`` again gives the same orders.
    ``allow_ref_hosts``: the non-public hosts ``$ref`` geometries may be fetched from. The
    server answers to the loopback names, ``host`` and ``allowed_hosts`` (``Host`` header).
    ``root_path``: the prefix of a reverse proxy in front (links carry it; ``server/prefix.py``)."""
    server = EmbeddedServer(
        db_path=db_path,
        tokens=tokens,
        clock=clock,
        products=products,
        host=host,
        port=port,
        allow_ref_hosts=allow_ref_hosts,
        allowed_hosts=allowed_hosts,
        limits=limits,
        root_path=root_path,
    )
    return server.start()


start_server = run_in_thread
