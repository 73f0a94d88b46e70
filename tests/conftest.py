"""Shared fixtures: a real reference server on 127.0.0.1 (no HTTP mocks).

``stat_server`` is one server for the whole session (temp db, ``ManualClock`` at
``stat_server.clock``); tests that need their own state (auth, restarts, a clock nobody else
moves) use ``make_stat_server(**kwargs)``, which stops what it started. The server package is
imported inside the fixtures so that collecting tests never requires FastAPI.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

if TYPE_CHECKING:
    from stat_widgets.server import EmbeddedServer


@pytest.fixture(autouse=True)
def _own_stat_widgets_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: Any) -> None:
    """Each test its own ``$STAT_WIDGETS_HOME``: drafts (``OrderApp`` keeps one by default)
    never travel from one test, or from the developer's home, into another."""
    monkeypatch.setenv("STAT_WIDGETS_HOME", str(tmp_path_factory.mktemp("stat-widgets-home")))


@pytest.fixture(scope="session")
def stat_server() -> Iterator[EmbeddedServer]:
    from stat_widgets.server import ManualClock, run_in_thread

    server = run_in_thread(clock=ManualClock())
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def stat_url(stat_server: EmbeddedServer) -> str:
    return stat_server.url


@pytest.fixture
def make_stat_server() -> Iterator[Callable[..., EmbeddedServer]]:
    """``make_stat_server(**kwargs)`` → a started server (``run_in_thread`` arguments; a
    ``ManualClock`` unless ``clock`` is given); all are stopped after the test."""
    from stat_widgets.server import ManualClock, run_in_thread

    started: list[EmbeddedServer] = []

    def make(**kwargs: Any) -> EmbeddedServer:
        kwargs.setdefault("clock", ManualClock())
        server = run_in_thread(**kwargs)
        started.append(server)
        return server

    try:
        yield make
    finally:
        for server in reversed(started):
            server.stop()


# -- a Jupyter server with jupyter-server-proxy, as on Binder ---------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def jupyter_server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A Jupyter server on 127.0.0.1 with jupyter-server-proxy (a dev dependency, as on
    Binder), token auth, config and runtime files in ``tmp_path``: ``(url, token)``."""
    pytest.importorskip("jupyter_server_proxy")
    port, token = _free_port(), secrets.token_hex(16)
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    env.update(
        JUPYTER_CONFIG_DIR=str(tmp_path / "config"), JUPYTER_RUNTIME_DIR=str(tmp_path / "rt")
    )
    argv = [sys.executable, "-m", "jupyter_server", "--no-browser", f"--port={port}"]
    argv += ["--ServerApp.ip=127.0.0.1", "--ServerApp.port_retries=0"]
    argv += [f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={tmp_path}"]
    argv += ["--ServerApp.allow_root=True"]
    argv += ["--ServerApp.allow_remote_access=True"]  # as on a hub: any Host the browser names
    log = (tmp_path / "jupyter.log").open("wb")
    process = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status = httpx.get(f"{url}/api/status", headers={"Authorization": f"token {token}"})
                if status.status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, (tmp_path / "jupyter.log").read_text()
            assert time.monotonic() < deadline, "the Jupyter server did not start"
            time.sleep(0.2)
        yield url, token
    finally:
        process.terminate()
        process.wait(20)
        log.close()
