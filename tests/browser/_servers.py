"""JupyterLab and Voila servers for the browser tests: subprocesses on 127.0.0.1 with token
auth, in a temporary root directory, with their logs kept next to the screenshots.

Kernels inherit the server's environment, which is how a test points a notebook at its own
reference server (``STAT_API_URL``) without editing the notebook.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import httpx

STARTUP_TIMEOUT = 90.0

#: Debian's Chromium and the flags every launch uses (the browser tests and
#: ``benchmarks/first_paint.py``): Playwright's own browser download cannot work offline.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

#: JupyterLab settings for the tests: no news or update checks (no network here, and their
#: pop-ups would cover the widgets in screenshots), and every cell kept in the page (by default
#: cells scrolled out of view are not rendered, so their widgets could not be checked).
LAB_USER_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerProcess:
    """A Jupyter-family server started by a test; ``stop()`` ends it and its kernels."""

    def __init__(
        self, argv: Sequence[str], *, url: str, token: str, env: Mapping[str, str], log: Path
    ) -> None:
        self.url, self.token, self.log = url, token, log
        self._log_file: IO[bytes] = log.open("wb")
        self.process = subprocess.Popen(
            list(argv),
            env=dict(env),
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # stop() can end the server together with its kernels
        )

    def wait_until_listening(self, port: int) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.url} exited early; see {self.log}:\n{self.tail()}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"{self.url} did not start; see {self.log}") from None
                time.sleep(0.1)

    def tail(self, lines: int = 40) -> str:
        self._log_file.flush()
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            # SIGTERM to the server's own process group: the server and the kernels it started.
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait(10)
        self._log_file.close()


def isolated_env(home: Path, extra: Mapping[str, str]) -> dict[str, str]:
    """The test's environment with Jupyter's per-user config, data and settings in ``home``,
    so neither the developer's settings nor a previous run change what the browser sees."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "STAT_API"))}
    settings = home / "lab-settings"
    for name, value in LAB_USER_SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    env.update(
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
        IPYTHONDIR=str(home / "ipython"),
        STAT_WIDGETS_HOME=str(home / "stat_widgets"),  # drafts start empty in every test
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def start_lab(root: Path, home: Path, log: Path, env: Mapping[str, str]) -> ServerProcess:
    port, token = free_port(), secrets.token_hex(16)
    argv = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--ServerApp.terminals_enabled=False",
        "--ServerApp.allow_root=True",  # CI runs as root in a container
        "--LabApp.extension_manager=readonly",  # no PyPI queries from the extension manager
    ]
    url = f"http://127.0.0.1:{port}"
    server = ServerProcess(argv, url=url, token=token, env=isolated_env(home, env), log=log)
    server.wait_until_listening(port)
    _wait_for_api(server)
    return server


def start_notebook(root: Path, home: Path, log: Path, env: Mapping[str, str]) -> ServerProcess:
    """Jupyter Notebook 7 (the same front-end extensions as JupyterLab, another shell)."""
    port, token = free_port(), secrets.token_hex(16)
    argv = [
        sys.executable,
        "-m",
        "notebook",
        "--no-browser",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        "--ServerApp.terminals_enabled=False",
        "--ServerApp.allow_root=True",
        "--JupyterNotebookApp.news_url=None",
    ]
    url = f"http://127.0.0.1:{port}"
    server = ServerProcess(argv, url=url, token=token, env=isolated_env(home, env), log=log)
    server.wait_until_listening(port)
    _wait_for_api(server)
    return server


def start_voila(notebook: Path, home: Path, log: Path, env: Mapping[str, str]) -> ServerProcess:
    port, token = free_port(), secrets.token_hex(16)
    argv = [
        sys.executable,
        "-m",
        "voila",
        str(notebook),
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        f"--port={port}",
        f"--token={token}",
        "--show_tracebacks=True",
    ]
    url = f"http://127.0.0.1:{port}"
    server = ServerProcess(argv, url=url, token=token, env=isolated_env(home, env), log=log)
    server.wait_until_listening(port)
    return server


def _wait_for_api(server: ServerProcess) -> None:
    """The port opens before the Lab handlers are ready: wait for an authenticated answer."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while True:
        try:
            response = httpx.get(
                f"{server.url}/api/status", headers={"Authorization": f"token {server.token}"}
            )
            if response.status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"JupyterLab at {server.url} never became ready:\n{server.tail()}")
        time.sleep(0.2)


def one_cell_notebook(source: str) -> dict[str, Any]:
    """A notebook (nbformat 4.5, Python 3 kernel) of one code cell holding ``source``."""
    cell = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None}
    return {
        "cells": [{**cell, "source": source}],
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
